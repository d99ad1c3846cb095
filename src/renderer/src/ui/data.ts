import { useCallback, useEffect, useRef, useState } from 'react'
import type { Input, MethodName, Output } from '../../../shared/api.ts'
import type { AppEvent, Topic } from '../../../shared/events.ts'
import { ApiError, call, onEvent } from './api.ts'

function asApiError(e: unknown): ApiError {
  return e instanceof ApiError ? e : new ApiError({ code: 'internal', params: { message: String(e) } })
}

/** Whether an event asks a view showing `topics` to load again: another workspace, or a change to one of them. */
function concerns(e: AppEvent, topics: readonly Topic[]): boolean {
  return e.type === 'workspace' || (e.type === 'changed' && e.topics.some((t) => topics.includes(t)))
}

/**
 * Loads a query and reloads it when the core reports a change to one of `topics` or another workspace
 * is opened. `input` (compared by value) is sent with the call; `undefined` sends none, and while it is
 * `null` nothing is loaded (and `data` is null), e.g. until a round is chosen.
 */
export function useData<K extends MethodName>(method: K, input?: Input<K> | null, topics: readonly Topic[] = []) {
  const [data, setData] = useState<Output<K> | null>(null)
  const [error, setError] = useState<ApiError | null>(null)
  const inputKey = input === undefined ? '' : JSON.stringify(input)
  const skip = inputKey === 'null'
  const topicKey = topics.join(',')
  const reload = useCallback(() => {
    if (inputKey === 'null') return
    call(method, inputKey ? (JSON.parse(inputKey) as Input<K>) : undefined)
      .then((d) => {
        setData(d)
        setError(null)
      })
      .catch((e: unknown) => setError(asApiError(e)))
  }, [method, inputKey])
  useEffect(() => {
    reload()
    const wanted = topicKey ? (topicKey.split(',') as Topic[]) : []
    return onEvent((e) => {
      if (concerns(e, wanted)) reload()
    })
  }, [reload, topicKey])
  return { data: skip ? null : data, error, reload, setData }
}

/** The value, once it has stopped changing for `ms` milliseconds. */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value)
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms)
    return () => clearTimeout(timer)
  }, [value, ms])
  return settled
}

/** The list queries: paged with offset/limit, answering `{ rows, total }`. */
export type ListMethod = 'suppliers.list' | 'products.list' | 'buyers.list' | 'orders.list'
export type ListRow<K extends ListMethod> = Output<K>['rows'][number]
export type ListParams<K extends ListMethod> = Omit<NonNullable<Input<K>>, 'offset' | 'limit'>

/** Rows are fetched in pages of this size as the list scrolls. */
export const PAGE_SIZE = 200

interface Page<R> {
  rows: R[]
  generation: number
}

interface PagedState<R> {
  key: string
  total: number | null
  pages: Map<number, Page<R>>
}

/**
 * A list too long to load at once: it keeps pages of PAGE_SIZE rows and fetches the ones covering
 * `[first, last]` (the rows on screen) on demand. A change to `params` starts afresh; a change reported
 * by the core for one of `topics` refetches the pages on screen while the old ones stay visible.
 */
export function usePagedList<K extends ListMethod>(method: K, params: ListParams<K>, topics: readonly Topic[]) {
  const key = JSON.stringify(params)
  const [generation, setGeneration] = useState(0)
  const [state, setState] = useState<PagedState<ListRow<K>>>({ key, total: null, pages: new Map() })
  const [error, setError] = useState<ApiError | null>(null)
  const inFlight = useRef(new Set<string>())
  const latest = useRef({ key, generation })
  const topicKey = topics.join(',')

  useEffect(() => {
    latest.current = { key, generation }
  }, [key, generation])

  useEffect(() => {
    const wanted = topicKey.split(',') as Topic[]
    return onEvent((e) => {
      if (concerns(e, wanted)) setGeneration((g) => g + 1)
    })
  }, [topicKey])

  const current = state.key === key
  const pages = state.pages

  /** Fetches the pages covering rows first…last that are missing or outdated. */
  const ensure = useCallback(
    (first: number, last: number) => {
      const from = Math.floor(Math.max(0, first) / PAGE_SIZE)
      const to = Math.floor(Math.max(0, last) / PAGE_SIZE)
      for (let page = from; page <= to; page++) {
        const have = current ? pages.get(page) : undefined
        if (have && have.generation === generation) continue
        const tag = `${key}|${generation}|${page}`
        if (inFlight.current.has(tag)) continue
        inFlight.current.add(tag)
        const input = { ...(JSON.parse(key) as ListParams<K>), offset: page * PAGE_SIZE, limit: PAGE_SIZE } as Input<K>
        call(method, input)
          .then((result) => {
            const { rows, total } = result as { rows: ListRow<K>[]; total: number }
            // An answer for a search or filter no longer shown is dropped.
            if (latest.current.key !== key) return
            setError(null)
            setState((s) => {
              const kept = s.key === key ? new Map(s.pages) : new Map<number, Page<ListRow<K>>>()
              kept.set(page, { rows, generation })
              return { key, total, pages: kept }
            })
          })
          .catch((e: unknown) => {
            if (latest.current.key === key) setError(asApiError(e))
          })
          .finally(() => inFlight.current.delete(tag))
      }
    },
    [method, key, generation, current, pages]
  )

  /** The row at an index, or undefined while its page is loading. */
  const rowAt = useCallback(
    (index: number): ListRow<K> | undefined => pages.get(Math.floor(index / PAGE_SIZE))?.rows[index % PAGE_SIZE],
    [pages]
  )

  return {
    /** The number of matching rows (of the previous search until the new one answers). */
    total: state.total,
    /** Whether what is shown already answers the current params. */
    current,
    rowAt,
    ensure,
    error
  }
}
