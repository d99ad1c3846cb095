import { shell } from 'electron'
import type { Session as ElectronSession, WebContents } from 'electron'
import { CONTENT_SECURITY_POLICY } from '../shared/csp.ts'

/** The only schemes the app ever hands to the operating system. */
export const EXTERNAL_SCHEMES: readonly string[] = ['https:', 'mailto:']

/** Whether a URL may be opened outside the app (in the browser or mail program). */
export function isExternalAllowed(url: string): boolean {
  try {
    return EXTERNAL_SCHEMES.includes(new URL(url).protocol)
  } catch {
    return false
  }
}

/**
 * The one way the app opens anything outside itself: https: and mailto: only; every other scheme
 * (file:, javascript:, http:, custom protocol handlers) is refused. Returns whether it was handed on.
 */
export function openExternal(url: string): boolean {
  if (!isExternalAllowed(url)) {
    console.warn('[puente] refused to open', url.slice(0, 200))
    return false
  }
  shell.openExternal(url).catch((e: unknown) => console.error('[puente] could not open', url, e))
  return true
}

/**
 * The policy for the dev server only: Vite injects its client and styles inline and talks over a web
 * socket. Built pages always get the strict CONTENT_SECURITY_POLICY.
 */
export function devContentSecurityPolicy(devUrl: string): string {
  const ws = devUrl.replace(/^http/, 'ws')
  return CONTENT_SECURITY_POLICY.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
    .replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
    .replace("connect-src 'self'", `connect-src 'self' ${ws}`)
}

/**
 * Hardens an Electron session: the CSP as a response header on every response (whatever the page
 * itself says), and no permission (camera, notifications, geolocation, …) ever granted.
 */
export function secureSession(ses: ElectronSession, policy: string = CONTENT_SECURITY_POLICY): void {
  ses.webRequest.onHeadersReceived((details, callback) => {
    const responseHeaders: Record<string, string | string[]> = {}
    for (const [name, value] of Object.entries(details.responseHeaders ?? {})) {
      if (name.toLowerCase() !== 'content-security-policy') responseHeaders[name] = value
    }
    responseHeaders['Content-Security-Policy'] = [policy]
    callback({ responseHeaders })
  })
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  ses.setPermissionCheckHandler(() => false)
}

/**
 * Hardens one web contents: it may only ever show the app's own page; new windows are refused (links
 * to https: and mailto: open outside); no <webview>.
 */
export function secureWebContents(contents: WebContents, isAppUrl: (url: string) => boolean): void {
  const guard = (event: { preventDefault(): void; url?: string }, url?: string) => {
    const target = event.url ?? url ?? ''
    if (!isAppUrl(target) || (url !== undefined && !isAppUrl(url))) event.preventDefault()
  }
  contents.on('will-navigate', guard)
  contents.on('will-redirect', guard)
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(({ url }) => {
    openExternal(url)
    return { action: 'deny' }
  })
}
