import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { CONTENT_SECURITY_POLICY } from '../../src/shared/csp.ts'
import { protocol, resetFakes } from './fake-electron.ts'

vi.mock('electron', async () => (await import('./fake-electron.ts')).electronModule)

const { APP_PAGE_URL, appProtocolHandler, handleAppProtocol, mimeType, registerAppScheme, resolveAppPath } = await import('../../src/main/protocol.ts')

let dir: string
let rendererDir: string
const PAGE = '<!doctype html><title>Puente</title>'

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'puente-protocol-'))
  rendererDir = join(dir, 'out', 'renderer')
  mkdirSync(join(rendererDir, 'assets'), { recursive: true })
  writeFileSync(join(rendererDir, 'index.html'), PAGE)
  writeFileSync(join(rendererDir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>')
  writeFileSync(join(rendererDir, 'assets', 'index-abc.js'), 'console.log(1)')
  writeFileSync(join(rendererDir, 'assets', 'index-abc.css'), 'body{}')
  writeFileSync(join(rendererDir, 'assets', 'font.woff2'), Buffer.from([0x77, 0x4f, 0x46, 0x32]))
  writeFileSync(join(rendererDir, 'assets', 'data.bin'), Buffer.from([1, 2, 3]))
  // Secrets beside the renderer folder that no URL may reach.
  writeFileSync(join(dir, 'out', 'secret.txt'), 'secret')
  mkdirSync(join(dir, 'out', 'renderer-evil'))
  writeFileSync(join(dir, 'out', 'renderer-evil', 'x.js'), 'evil')
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))
afterEach(() => {
  resetFakes()
  vi.restoreAllMocks()
})

const serve = appProtocolHandler.bind(null)
async function get(url: string, method = 'GET') {
  vi.spyOn(console, 'warn').mockImplementation(() => {})
  const handler = serve(rendererDir)
  // Request normalises the URL as Chromium does for a standard scheme (dot segments, %2e) before the handler sees it.
  return handler(new Request(url, { method }))
}

describe('app:// scheme', () => {
  it('is registered as privileged (standard, secure, fetch) without bypassing the CSP or opening CORS', () => {
    registerAppScheme()
    expect(protocol.registerSchemesAsPrivileged).toHaveBeenCalledOnce()
    const [scheme] = protocol.privileged
    expect(scheme?.scheme).toBe('app')
    expect(scheme?.privileges).toMatchObject({ standard: true, secure: true, supportFetchAPI: true })
    expect(scheme?.privileges?.bypassCSP).toBeUndefined()
    expect(scheme?.privileges?.corsEnabled).toBeUndefined()
    expect(scheme?.privileges?.allowServiceWorkers).toBeUndefined()
    handleAppProtocol(rendererDir)
    expect([...protocol.handlers.keys()]).toEqual(['app'])
    expect(APP_PAGE_URL).toBe('app://puente/index.html')
  })

  it('serves the page and its assets with their content types and the CSP', async () => {
    const page = await get('app://puente/index.html')
    expect(page.status).toBe(200)
    expect(await page.text()).toBe(PAGE)
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY)
    expect(page.headers.get('x-content-type-options')).toBe('nosniff')

    const root = await get('app://puente/')
    expect(root.status).toBe(200)
    expect(await root.text()).toBe(PAGE)

    const cases: [string, string][] = [
      ['app://puente/assets/index-abc.js', 'text/javascript; charset=utf-8'],
      ['app://puente/assets/index-abc.css', 'text/css; charset=utf-8'],
      ['app://puente/favicon.svg', 'image/svg+xml'],
      ['app://puente/assets/font.woff2', 'font/woff2'],
      ['app://puente/assets/data.bin', 'application/octet-stream'],
      ['app://puente/assets/index-abc.js?v=1#x', 'text/javascript; charset=utf-8']
    ]
    for (const [url, type] of cases) {
      const r = await get(url)
      expect(r.status, url).toBe(200)
      expect(r.headers.get('content-type'), url).toBe(type)
      expect(r.headers.get('content-security-policy'), url).toBe(CONTENT_SECURITY_POLICY)
    }
    expect(new Uint8Array(await (await get('app://puente/assets/font.woff2')).arrayBuffer())).toEqual(new Uint8Array([0x77, 0x4f, 0x46, 0x32]))
    expect(mimeType('X.HTML')).toBe('text/html; charset=utf-8')
  })

  it('answers HEAD without a body and refuses other methods', async () => {
    const head = await get('app://puente/index.html', 'HEAD')
    expect(head.status).toBe(200)
    expect(head.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(await head.text()).toBe('')
    for (const method of ['POST', 'PUT', 'DELETE']) expect((await get('app://puente/index.html', method)).status).toBe(405)
  })

  it('answers 404 for what is not a file of the build', async () => {
    expect((await get('app://puente/missing.js')).status).toBe(404)
    expect((await get('app://puente/assets')).status).toBe(404)
    expect((await get('app://puente/assets/')).status).toBe(403)
  })

  it('never leaves the renderer folder, however the path is written', async () => {
    const hostile = [
      'app://puente/..%2fsecret.txt',
      'app://puente/..%2Fsecret.txt',
      'app://puente/assets/..%2f..%2fsecret.txt',
      'app://puente/%2e%2e%2fsecret.txt',
      'app://puente/..%5csecret.txt',
      'app://puente/assets%5c..%5c..%5csecret.txt',
      'app://puente/%252e%252e%252fsecret.txt',
      'app://puente/index.html%00.js',
      'app://puente/%2fetc%2fpasswd',
      'app://puente//etc/passwd',
      'app://puente/C:%5cWindows%5cwin.ini',
      'app://puente/C:/Windows/win.ini',
      'app://puente/%E0%A4%A',
      'app://puente/assets/%0aindex-abc.js',
      'app://puente/..%2frenderer-evil%2fx.js',
      'app://puente/index.html:stream'
    ]
    for (const url of hostile) {
      const r = await get(url)
      expect([403, 404], url).toContain(r.status)
      const text = await r.text()
      expect(text, url).not.toContain('secret')
      expect(text, url).not.toContain('evil')
    }
    // Those the check itself must refuse (before any file is looked up).
    for (const url of hostile.filter((u) => !u.includes('%252e'))) expect(resolveAppPath(rendererDir, url), url).toBeNull()
  })

  it('refuses other hosts, schemes and user or port parts', () => {
    for (const url of [
      'app://other/index.html',
      'file:///index.html',
      'https://puente/index.html',
      'app://user@puente/index.html',
      'app://user:pw@puente/index.html',
      'app://puente:8080/index.html',
      'app://puente/../../etc/passwd'.replace('../../', '%2e%2e/%2e%2e/'),
      'not a url'
    ]) {
      const file = resolveAppPath(rendererDir, url)
      if (file !== null) expect(file.startsWith(rendererDir), url).toBe(true)
      if (!url.startsWith('app://puente/%2e')) expect(file, url).toBeNull()
    }
    // A path that the URL parser normalises stays inside.
    expect(resolveAppPath(rendererDir, 'app://puente/assets/%2e%2e/index.html')).toBe(join(rendererDir, 'index.html'))
    expect(resolveAppPath(rendererDir, 'app://puente/%2e%2e/%2e%2e/etc/passwd')).toBe(join(rendererDir, 'etc', 'passwd'))
  })

  it('does not follow a link out of the folder', async () => {
    const link = join(rendererDir, 'assets', 'link.txt')
    symlinkSync(join(dir, 'out', 'secret.txt'), link)
    try {
      const r = await get('app://puente/assets/link.txt')
      expect(r.status).toBe(403)
      expect(await r.text()).not.toContain('secret')
    } finally {
      rmSync(link)
    }
  })
})
