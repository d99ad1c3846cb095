import type { Bridge, Input, MethodName, Output } from '../../../shared/api.ts'
import type { ApiResponse, ErrorPayload } from '../../../shared/errors.ts'
import type { AppEvent } from '../../../shared/events.ts'
import type { TFunction } from 'i18next'
import { httpRequest } from './wire.ts'

declare global {
  interface Window {
    puente?: Bridge
  }
}

/** An error from the core, still untranslated: the UI turns `code` and `params` into text. */
export class ApiError extends Error {
  readonly code: string
  readonly params: Record<string, unknown>
  constructor(payload: ErrorPayload | { code: string; params?: Record<string, unknown> }) {
    super(payload.code)
    this.code = payload.code
    this.params = payload.params ?? {}
  }
}

const TOKEN_KEY = 'puente.token'

/** The browser host passes its session key in the address (#token=…); keep it for reloads, hide it. */
function takeToken(): string {
  const m = /(?:^#|&)token=([\w-]+)/.exec(window.location.hash)
  if (m) {
    sessionStorage.setItem(TOKEN_KEY, m[1]!)
    history.replaceState(null, '', window.location.pathname + window.location.search)
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? ''
}

interface Transport {
  call(method: string, input: unknown): Promise<ApiResponse<unknown>>
  subscribe(listener: (e: AppEvent) => void): () => void
}

function httpTransport(): Transport {
  const token = takeToken()
  const listeners = new Set<(e: AppEvent) => void>()
  let source: EventSource | null = null
  return {
    async call(method, input) {
      let res: Response
      try {
        res = await fetch(`/api/${encodeURIComponent(method)}`, { method: 'POST', ...httpRequest(input, token) })
      } catch {
        return { ok: false, error: { code: 'network' as never } }
      }
      return (await res.json()) as ApiResponse<unknown>
    },
    subscribe(listener) {
      // One event stream for all listeners: each stream holds a connection open, and the browser
      // allows only six per host, so a stream per list or form would soon stall every call.
      listeners.add(listener)
      if (!source) {
        source = new EventSource(`/api/events?token=${encodeURIComponent(token)}`)
        source.onmessage = (m: MessageEvent<string>) => {
          const event = JSON.parse(m.data) as AppEvent
          for (const l of [...listeners]) l(event)
        }
      }
      return () => {
        listeners.delete(listener)
        if (listeners.size === 0 && source) {
          source.close()
          source = null
        }
      }
    }
  }
}

function bridgeTransport(bridge: Bridge): Transport {
  return {
    call: (method, input) => bridge.invoke(method, input ?? {}),
    subscribe: (listener) => bridge.onEvent((e) => listener(e as AppEvent))
  }
}

/** The same calls whether Electron's preload bridge or the browser host carries them. */
const transport: Transport = window.puente ? bridgeTransport(window.puente) : httpTransport()

export async function call<K extends MethodName>(method: K, input?: Input<K>): Promise<Output<K>> {
  const response = await transport.call(method, input)
  if (!response.ok) throw new ApiError(response.error)
  return response.result as Output<K>
}

export function onEvent(listener: (e: AppEvent) => void): () => void {
  return transport.subscribe(listener)
}

/**
 * Any error as the user reads it: a refused call in their language. An `internal` error names its id (the
 * details are in the log, see Diagnostics); anything thrown in the UI itself has no id and says so.
 */
export function errorText(t: TFunction, error: unknown): string {
  if (!(error instanceof ApiError)) {
    console.error('[puente] unexpected error in the UI', error)
    return t('errors.unexpected')
  }
  if (error.code === 'internal' && typeof error.params.id !== 'string') return t('errors.unexpected')
  return t(`errors.${error.code}`, error.params as Record<string, string>)
}

/** A refused call's field errors, each in the user's language, or null when the call was refused otherwise. */
export function fieldErrorTexts(t: TFunction, error: unknown): Record<string, string> | null {
  if (!(error instanceof ApiError) || error.code !== 'validation') return null
  const fields = (error.params.fields ?? {}) as Record<string, { code: string; params?: Record<string, unknown> }>
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, t(`fieldErrors.${v.code}`, v.params ?? {})]))
}
