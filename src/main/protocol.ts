import { lstat as lstatCb, readFile as readFileCb } from 'node:fs'
import { extname, isAbsolute, join, relative, resolve, sep } from 'node:path'
import { promisify } from 'node:util'
import { protocol } from 'electron'
import type { CustomScheme } from 'electron'
import { CONTENT_SECURITY_POLICY } from '../shared/csp.ts'

/**
 * The app's own scheme: the built renderer is served as `app://puente/…` instead of `file://` (Electron's
 * security checklist: file: pages get privileges a web page should not have, and every file on the disk
 * shares their origin). Only the files of the built renderer folder are ever answered.
 */
export const APP_SCHEME = 'app'
export const APP_HOST = 'puente'
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`
export const APP_PAGE_URL = `${APP_ORIGIN}/index.html`

/**
 * The scheme's privileges: standard (an origin, relative URLs, storage), secure (like https), fetch and
 * the V8 code cache. Not `corsEnabled`: no other origin may read its responses. Not `bypassCSP`.
 */
export const APP_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true }
}

/** Must run before the app is ready (Electron allows it only then, and only once). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES])
}

/** The content types of what the build emits; anything else is served as bytes (with nosniff). */
export const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8'
}

export function mimeType(file: string): string {
  return MIME_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream'
}

/** Whether a decoded segment holds what no file name of the build holds: a separator, a control character, a drive or stream colon. */
function forbiddenInSegment(segment: string): boolean {
  for (let i = 0; i < segment.length; i++) {
    const c = segment.charCodeAt(i)
    if (c <= 0x1f || c === 0x7f || c === 0x2f /* / */ || c === 0x5c /* \\ */ || c === 0x3a /* : */) return true
  }
  return false
}

/**
 * The file inside `rendererDir` that an `app://puente/…` URL names, or null when the URL may not be
 * answered: another scheme or host, user or port parts, a segment that is (or decodes to) `.` or `..`,
 * an encoded separator or control character (`%2f`, `%5c`, `%00`), a malformed %-escape, a drive letter
 * or anything else that would leave the folder once normalised. `/` is the page itself.
 */
export function resolveAppPath(rendererDir: string, url: string): string | null {
  let target: URL
  try {
    target = new URL(url)
  } catch {
    return null
  }
  if (target.protocol !== `${APP_SCHEME}:` || target.hostname !== APP_HOST) return null
  if (target.username || target.password || target.port) return null
  const raw = target.pathname
  if (!raw.startsWith('/') || raw.includes('\\')) return null
  const segments: string[] = []
  for (const part of raw.slice(1).split('/')) {
    let decoded: string
    try {
      decoded = decodeURIComponent(part)
    } catch {
      return null
    }
    if (decoded === '' || decoded === '.' || decoded === '..' || forbiddenInSegment(decoded)) {
      // An empty segment is only allowed as the root itself (`app://puente/`).
      if (decoded === '' && raw === '/') continue
      return null
    }
    segments.push(decoded)
  }
  const rel = segments.length === 0 ? 'index.html' : segments.join('/')
  if (isAbsolute(rel)) return null
  const root = resolve(rendererDir)
  const file = resolve(root, rel)
  const inside = relative(root, file)
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside) || !file.startsWith(root + sep)) return null
  return file
}

// The callback forms: Electron reads files inside app.asar through them (its asar support wraps them).
const lstat = promisify(lstatCb)
const readFile = promisify(readFileCb)

/** Whether `file` (inside `root`) is reached without passing a symbolic link: a link could lead out of the folder. */
async function withoutLinks(root: string, file: string): Promise<boolean> {
  let at = root
  for (const part of relative(root, file).split(sep)) {
    at = join(at, part)
    if ((await lstat(at)).isSymbolicLink()) return false
  }
  return true
}

function plain(status: number, text: string): Response {
  return new Response(text, {
    status,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Security-Policy': CONTENT_SECURITY_POLICY, 'X-Content-Type-Options': 'nosniff' }
  })
}

/**
 * The handler of `app://`: GET and HEAD only, a file of the built renderer with its content type and the
 * app's CSP (also set here: a custom protocol's responses may not pass the session's header hook), 403 for
 * a URL that tries to leave the folder (or a symbolic link on the way), 404 for a file that is not there.
 */
export function appProtocolHandler(rendererDir: string, policy: string = CONTENT_SECURITY_POLICY): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'Method not allowed')
    const file = resolveAppPath(rendererDir, request.url)
    if (file === null) {
      console.warn('[puente] refused an app:// request', request.url.slice(0, 200))
      return plain(403, 'Forbidden')
    }
    try {
      if (!(await withoutLinks(resolve(rendererDir), file))) {
        console.warn('[puente] refused an app:// request through a link', request.url.slice(0, 200))
        return plain(403, 'Forbidden')
      }
      const info = await lstat(file)
      if (!info.isFile()) return plain(404, 'Not found')
      const body = request.method === 'HEAD' ? null : await readFile(file)
      return new Response(body === null ? null : new Uint8Array(body), {
        status: 200,
        headers: {
          'Content-Type': mimeType(file),
          'Content-Security-Policy': policy,
          'X-Content-Type-Options': 'nosniff',
          'Referrer-Policy': 'no-referrer',
          'Cross-Origin-Resource-Policy': 'same-origin',
          'Cache-Control': 'no-cache'
        }
      })
    } catch {
      return plain(404, 'Not found')
    }
  }
}

/** Serves the built renderer at `app://puente/` in the default session (after the app is ready). */
export function handleAppProtocol(rendererDir: string, policy: string = CONTENT_SECURITY_POLICY): void {
  protocol.handle(APP_SCHEME, appProtocolHandler(rendererDir, policy))
}
