import { useCallback, useEffect, useState } from 'react'
import type { Input, MethodName, Output } from '../../../../shared/api.ts'
import { ApiError, call, onEvent } from '../../ui/api.ts'

/**
 * Loads a query with an input (skipped while `input` is null) and reloads it when the core reports a
 * change to one of `topics` or another workspace is opened.
 */
export function useCall<K extends MethodName>(method: K, input: Input<K> | null, topics: string[]) {
  const [data, setData] = useState<Output<K> | null>(null)
  const [error, setError] = useState<ApiError | null>(null)
  const inputKey = JSON.stringify(input)
  const topicKey = topics.join(',')
  const reload = useCallback(() => {
    if (inputKey === 'null') return
    call(method, JSON.parse(inputKey) as Input<K>)
      .then((d) => {
        setData(d)
        setError(null)
      })
      .catch((e: unknown) => setError(e instanceof ApiError ? e : new ApiError({ code: 'internal', params: { message: String(e) } })))
  }, [method, inputKey])
  useEffect(() => {
    reload()
    const wanted = topicKey.split(',')
    return onEvent((e) => {
      if (e.type === 'workspace' || (e.type === 'changed' && e.topics.some((t) => wanted.includes(t)))) reload()
    })
  }, [reload, topicKey])
  return { data: inputKey === 'null' ? null : data, error, reload }
}

/** The product name in the UI language, falling back es → en → de. */
export function productName(p: { nameEs: string | null; nameDe: string | null; nameEn: string | null }, language: string): string {
  const own = language === 'de' ? p.nameDe : language === 'es' ? p.nameEs : p.nameEn
  return own ?? p.nameEs ?? p.nameEn ?? p.nameDe ?? ''
}
