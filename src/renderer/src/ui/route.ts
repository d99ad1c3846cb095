import { useSyncExternalStore } from 'react'

/**
 * Hash routing: `#/catalogue/suppliers/<id>?supplier=…`. The first segment is the section of the main
 * navigation, the rest belongs to the page.
 */
export interface Route {
  /** The path segments after `#/`, e.g. ['catalogue', 'suppliers', 'new']. */
  segments: string[]
  query: URLSearchParams
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange)
  return () => window.removeEventListener('hashchange', onChange)
}

const currentHash = () => window.location.hash

export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#\/?/, '')
  const [path = '', search = ''] = raw.split('?', 2)
  const segments = path
    .split('/')
    .filter(Boolean)
    .map((s) => decodeURIComponent(s))
  return { segments, query: new URLSearchParams(search) }
}

/** The current hash; components re-render when it changes. */
export function useHash(): string {
  return useSyncExternalStore(subscribe, currentHash)
}

/** The address of a route, for links and navigation. */
export function href(segments: string[], query?: Record<string, string | undefined>): string {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(query ?? {})) if (v) q.set(k, v)
  const search = q.toString()
  return `#/${segments.map(encodeURIComponent).join('/')}${search ? '?' + search : ''}`
}

export function navigate(to: string): void {
  window.location.hash = to
}
