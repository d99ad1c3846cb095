import { useCallback, useEffect, useState } from 'react'
import type { MethodName, Output } from '../../shared/api.ts'
import { ApiError, call, onEvent } from './api.ts'

/** Loads a query and reloads it when the core reports a change to one of `topics` or a new workspace. */
export function useQuery<K extends MethodName>(method: K, topics: string[] = []) {
  const [data, setData] = useState<Output<K> | null>(null)
  const [error, setError] = useState<ApiError | null>(null)
  const key = topics.join(',')
  const reload = useCallback(() => {
    call(method)
      .then((d) => {
        setData(d)
        setError(null)
      })
      .catch((e: unknown) => setError(e instanceof ApiError ? e : new ApiError({ code: 'internal', params: { message: String(e) } })))
  }, [method])
  useEffect(() => {
    reload()
    const wanted = key ? key.split(',') : []
    return onEvent((e) => {
      if (e.type === 'workspace' || (e.type === 'changed' && e.topics.some((t) => wanted.includes(t)))) reload()
    })
  }, [reload, key])
  return { data, error, reload, setData }
}
