import { mkdirSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Session } from '../../src/core/app/session.ts'
import { type RunningHost, startHost } from '../../src/host/server.ts'
import { CONTENT_SECURITY_POLICY } from '../../src/shared/csp.ts'
import { type TempSession, tempSession } from '../support/workspace.ts'

interface Reply {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

/** A raw HTTP request, so the test controls every header (Host and Origin included). */
function raw(port: number, path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  return new Promise((ok, ko) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers ?? {}, setHost: false },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => ok({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }))
      }
    )
    req.on('error', ko)
    if (options.body !== undefined) req.write(options.body)
    req.end()
  })
}

describe('browser host', () => {
  let temp: TempSession
  let session: Session
  let host: RunningHost
  let rendererDir: string
  let hostHeader: string

  beforeAll(async () => {
    temp = tempSession({ prefix: 'puente-host-' })
    const dir = temp.dir
    rendererDir = join(dir, 'renderer')
    mkdirSync(join(rendererDir, 'assets'), { recursive: true })
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Puente</title>')
    writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)')
    writeFileSync(join(dir, 'secret.txt'), 'not for the browser')
    session = temp.session
    await session.openDemo()
    host = await startHost({ session, rendererDir })
    hostHeader = `127.0.0.1:${host.port}`
  })

  afterAll(async () => {
    await host.close()
    temp.dispose()
  })

  const api = (method: string, body: unknown, headers: Record<string, string> = {}) =>
    raw(host.port, `/api/${method}`, {
      method: 'POST',
      headers: { host: hostHeader, 'content-type': 'application/json', 'x-puente-token': host.token, ...headers },
      body: JSON.stringify(body)
    })

  it('prints a loopback URL that carries the token', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/#token=${host.token}`)
    expect(host.token.length).toBeGreaterThanOrEqual(32)
  })

  it('answers API calls with the token', async () => {
    const r = await api('app.info', {})
    expect(r.status).toBe(200)
    const body = JSON.parse(r.body) as { ok: boolean; result: { workspacePath: string } }
    expect(body.ok).toBe(true)
    expect(body.result.workspacePath).toBe(session.demoPath)
  })

  it('passes core errors through as {ok:false, error:{code, params}}', async () => {
    const r = await api('no.such.method', {})
    expect(JSON.parse(r.body)).toEqual({ ok: false, error: { code: 'api.unknown_method', params: { method: 'no.such.method' } } })
  })

  it('refuses calls without the token or with a wrong one', async () => {
    const none = await raw(host.port, '/api/app.info', {
      method: 'POST',
      headers: { host: hostHeader, 'content-type': 'application/json' },
      body: '{}'
    })
    expect(none.status).toBe(401)
    expect(JSON.parse(none.body).error.code).toBe('host.bad_token')
    const wrong = await api('app.info', {}, { 'x-puente-token': host.token.replace(/./, (c) => (c === 'a' ? 'b' : 'a')) })
    expect(wrong.status).toBe(401)
  })

  it('refuses a foreign Origin even with the right token (CSRF)', async () => {
    const r = await api('settings.get', {}, { origin: 'https://evil.example' })
    expect(r.status).toBe(403)
    expect(JSON.parse(r.body).error.code).toBe('host.forbidden')
    const same = await api('settings.get', {}, { origin: `http://${hostHeader}` })
    expect(same.status).toBe(200)
  })

  it('refuses a foreign Host header (DNS rebinding), for the API and for pages', async () => {
    const r = await api('app.info', {}, { host: `evil.example:${host.port}` })
    expect(r.status).toBe(403)
    const page = await raw(host.port, '/', { headers: { host: `rebind.example:${host.port}` } })
    expect(page.status).toBe(403)
  })

  it('refuses form posts that are not JSON', async () => {
    const r = await raw(host.port, '/api/settings.get', {
      method: 'POST',
      headers: { host: hostHeader, 'content-type': 'application/x-www-form-urlencoded', 'x-puente-token': host.token },
      body: 'a=1'
    })
    expect(r.status).toBe(415)
  })

  it('serves the renderer with the strict CSP and nothing outside it', async () => {
    const page = await raw(host.port, '/', { headers: { host: hostHeader } })
    expect(page.status).toBe(200)
    expect(page.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY)
    expect(page.body).toContain('<title>Puente</title>')
    const asset = await raw(host.port, '/assets/app.js', { headers: { host: hostHeader } })
    expect(asset.headers['content-type']).toMatch(/javascript/)
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/../../secret.txt']) {
      const r = await raw(host.port, path, { headers: { host: hostHeader } })
      expect(r.status).toBe(404)
      expect(r.body).not.toContain('not for the browser')
    }
  })

  it('answers a malformed %-encoding in the path with 400 and a JSON error, not a crash', async () => {
    for (const path of ['/%E0%A4%A', '/assets/%zz.js', '/%']) {
      const r = await raw(host.port, path, { headers: { host: hostHeader } })
      expect(r.status, path).toBe(400)
      expect(JSON.parse(r.body), path).toEqual({ ok: false, error: { code: 'api.bad_request', params: { reason: 'path' } } })
    }
    const call = await api('app.%E0%A4%A', {})
    expect(call.status).toBe(400)
    expect(JSON.parse(call.body)).toEqual({ ok: false, error: { code: 'api.bad_request', params: { reason: 'path' } } })
    // The host still answers afterwards.
    expect((await api('app.info', {})).status).toBe(200)
  })

  it('needs the token for the event stream', async () => {
    const r = await raw(host.port, '/api/events', { headers: { host: hostHeader } })
    expect(r.status).toBe(401)
  })

  it('will not listen on a non-loopback address', async () => {
    for (const address of ['0.0.0.0', '::', '192.168.1.10']) {
      await expect(startHost({ session, rendererDir, host: address })).rejects.toMatchObject({ code: 'host.forbidden' })
    }
  })
})
