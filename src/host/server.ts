import { randomBytes, timingSafeEqual } from 'node:crypto'
import { createReadStream, existsSync, statSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize, resolve, sep } from 'node:path'
import { dispatch, toErrorPayload } from '../core/api/dispatch.ts'
import type { Session } from '../core/app/session.ts'
import { CONTENT_SECURITY_POLICY } from '../shared/csp.ts'
import { AppError, type ErrorPayload, MAX_UPLOAD_BYTES, MAX_UPLOAD_MB } from '../shared/errors.ts'

/**
 * The browser host: serves the built renderer and the API map on the loopback interface only. Every API
 * call carries a random token that is only in the printed URL; the Host and Origin headers must name
 * this server, so neither another web page (CSRF) nor a rebound DNS name can reach it.
 */
export interface HostOptions {
  session: Session
  rendererDir: string
  host?: string
  port?: number
  token?: string
}

export interface RunningHost {
  url: string
  origin: string
  port: number
  token: string
  close(): Promise<void>
}

export const TOKEN_HEADER = 'x-puente-token'
/**
 * A call that carries a file: the body is the file's bytes as they are (`application/octet-stream`), the
 * other fields of the input are JSON in INPUT_HEADER (URI-encoded, so any file name fits a header), and
 * FILE_FIELD_HEADER names the input field the bytes go into. No base64, no multipart.
 */
export const INPUT_HEADER = 'x-puente-input'
export const FILE_FIELD_HEADER = 'x-puente-file-field'
const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost'])
/** The largest body, JSON or file: the upload schema's limit (one constant, in src/shared/errors.ts). */
export const MAX_BODY = MAX_UPLOAD_BYTES
/**
 * After a 413 the rest of a body is read and thrown away (never kept), so the client, still sending,
 * gets to read the answer; a body that goes on this much longer loses its connection instead.
 */
const MAX_DISCARD = 4 * MAX_BODY
const TOO_LARGE: ErrorPayload = { code: 'api.too_large', params: { maxMb: MAX_UPLOAD_MB } }
const FIELD_NAME = /^[A-Za-z][A-Za-z0-9]{0,63}$/
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.json': 'application/json'
}

export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host)
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff'
  })
  res.end(json)
}

function fail(res: ServerResponse, status: number, error: ErrorPayload): void {
  send(res, status, { ok: false, error })
}

/** A URL path segment decoded, or null when its %-encoding is malformed ("%E0%A4%A" or "%zz"). */
function decodedPath(text: string): string | null {
  try {
    return decodeURIComponent(text)
  } catch {
    return null
  }
}

/**
 * Reads a request's body up to `limit` bytes, or answers null as soon as it is larger: a Content-Length
 * above the limit before reading anything, else the chunk that crosses it. What follows is discarded
 * as it arrives (see MAX_DISCARD), never buffered.
 */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  const declared = Number(req.headers['content-length'] ?? NaN)
  if (declared > limit) {
    discardRest(req)
    return Promise.resolve(null)
  }
  return new Promise((ok, ko) => {
    const chunks: Buffer[] = []
    let size = 0
    const onData = (c: Buffer) => {
      size += c.length
      if (size <= limit) return void chunks.push(c)
      chunks.length = 0
      req.off('data', onData)
      req.off('end', onEnd)
      discardRest(req)
      ok(null)
    }
    const onEnd = () => ok(Buffer.concat(chunks, size))
    req.on('data', onData)
    req.on('end', onEnd)
    req.on('error', ko)
  })
}

function discardRest(req: IncomingMessage): void {
  let dropped = 0
  req.on('data', (c: Buffer) => {
    dropped += c.length
    if (dropped > MAX_DISCARD) req.socket.destroy()
  })
  req.resume()
}

/** An API call's input from a JSON body, or from a file body with the rest of the input in a header. */
type ReadInput = { input: unknown } | { status: number; error: ErrorPayload }

async function readInput(req: IncomingMessage): Promise<ReadInput> {
  const type = req.headers['content-type'] ?? ''
  const bad = (reason: string): ReadInput => ({ status: 400, error: { code: 'api.bad_request', params: { reason } } })
  if (type.startsWith('application/json')) {
    const body = await readBody(req, MAX_BODY)
    if (body === null) return { status: 413, error: TOO_LARGE }
    const text = body.toString('utf8')
    try {
      return { input: text.trim() === '' ? undefined : (JSON.parse(text) as unknown) }
    } catch {
      return bad('json')
    }
  }
  if (type === 'application/octet-stream') {
    const field = req.headers[FILE_FIELD_HEADER]
    if (typeof field !== 'string' || !FIELD_NAME.test(field)) return bad('file-field')
    let rest: unknown
    try {
      rest = JSON.parse(decodeURIComponent(String(req.headers[INPUT_HEADER] ?? '%7B%7D')))
    } catch {
      return bad('input-header')
    }
    if (typeof rest !== 'object' || rest === null || Array.isArray(rest)) return bad('input-header')
    const body = await readBody(req, MAX_BODY)
    if (body === null) return { status: 413, error: TOO_LARGE }
    return { input: { ...rest, [field]: body } }
  }
  return { status: 415, error: { code: 'api.bad_request', params: { reason: 'content-type' } } }
}

export async function startHost(options: HostOptions): Promise<RunningHost> {
  const bind = options.host ?? '127.0.0.1'
  if (!isLoopback(bind)) throw new AppError('host.forbidden', { host: bind })
  const token = options.token ?? randomBytes(24).toString('base64url')
  const rendererDir = resolve(options.rendererDir)
  const { session } = options
  const streams = new Set<ServerResponse>()
  let port = 0

  const allowedHosts = () => [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]

  const unsubscribe = session.on((event) => {
    const line = `data: ${JSON.stringify(event)}\n\n`
    for (const s of streams) s.write(line)
  })

  const server = createServer((req, res) => {
    void handle(req, res).catch((e: unknown) => {
      const error = toErrorPayload(e, { appDataDir: session.appData.dir, method: 'host', now: () => session.env.now() })
      if (!res.headersSent) fail(res, 500, error)
    })
  })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const hostHeader = req.headers.host ?? ''
    const origin = req.headers.origin
    if (!allowedHosts().includes(hostHeader)) return fail(res, 403, { code: 'host.forbidden', params: { reason: 'host' } })
    if (origin !== undefined && !allowedHosts().some((h) => origin === `http://${h}`))
      return fail(res, 403, { code: 'host.forbidden', params: { reason: 'origin' } })
    const url = new URL(req.url ?? '/', `http://${hostHeader}`)

    if (url.pathname.startsWith('/api/')) {
      if (url.pathname === '/api/events' && req.method === 'GET') {
        if (!sameToken(url.searchParams.get('token') ?? '', token)) return fail(res, 401, { code: 'host.bad_token' })
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' })
        res.write(': connected\n\n')
        streams.add(res)
        req.on('close', () => streams.delete(res))
        return
      }
      if (req.method !== 'POST') return fail(res, 405, { code: 'host.forbidden', params: { reason: 'method' } })
      const given = req.headers[TOKEN_HEADER]
      if (typeof given !== 'string' || !sameToken(given, token)) return fail(res, 401, { code: 'host.bad_token' })
      const method = decodedPath(url.pathname.slice('/api/'.length))
      if (method === null) return fail(res, 400, { code: 'api.bad_request', params: { reason: 'path' } })
      const read = await readInput(req)
      if ('error' in read) return fail(res, read.status, read.error)
      return send(res, 200, await dispatch({ session }, method, read.input))
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') return fail(res, 405, { code: 'host.forbidden' })
    const path = decodedPath(url.pathname)
    if (path === null) return fail(res, 400, { code: 'api.bad_request', params: { reason: 'path' } })
    const rel = url.pathname === '/' ? 'index.html' : path.replace(/^\/+/, '')
    const file = normalize(join(rendererDir, rel))
    if (!file.startsWith(rendererDir + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' })
      return void res.end('Not found')
    }
    // No Cross-Origin-Opener-Policy: it makes Chromium move the page into a new process on every load
    // (about 25 ms before anything is fetched) and protects nothing here: what guards the API is the
    // token, which lives in the URL fragment no other origin can read, and the Host/Origin checks.
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cross-origin-resource-policy': 'same-origin',
      'cache-control': rel === 'index.html' ? 'no-store' : 'max-age=3600'
    })
    if (req.method === 'HEAD') return void res.end()
    createReadStream(file).pipe(res)
  }

  await new Promise<void>((ok, ko) => {
    server.once('error', ko)
    server.listen(options.port ?? 0, bind, () => ok())
  })
  port = (server.address() as AddressInfo).port
  const shown = bind === '::1' ? '[::1]' : bind
  const originUrl = `http://${shown}:${port}`
  return {
    url: `${originUrl}/#token=${token}`,
    origin: originUrl,
    port,
    token,
    close: () =>
      new Promise<void>((ok) => {
        unsubscribe()
        for (const s of streams) s.end()
        streams.clear()
        server.closeAllConnections()
        server.close(() => ok())
      })
  }
}
