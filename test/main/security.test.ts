import { afterEach, describe, expect, it, vi } from 'vitest'
import { CONTENT_SECURITY_POLICY } from '../../src/shared/csp.ts'
import { FakeEvent, FakeSession, FakeWebContents, resetFakes, shell } from './fake-electron.ts'

vi.mock('electron', async () => (await import('./fake-electron.ts')).electronModule)

const { devContentSecurityPolicy, isExternalAllowed, openExternal, secureSession, secureWebContents } = await import(
  '../../src/main/security.ts'
)
const { appPaths, isAppUrl, workspaceArg } = await import('../../src/main/paths.ts')

type ElectronSession = Parameters<typeof secureSession>[0]
type WebContents = Parameters<typeof secureWebContents>[0]

const paths = appPaths({ mainDir: '/opt/puente/out/main', packaged: false, env: {} })
const ownPage = (url: string) => isAppUrl(url, paths)
const APP_PAGE = 'app://puente/index.html'

afterEach(() => {
  resetFakes()
  vi.restoreAllMocks()
})
const quiet = () => vi.spyOn(console, 'warn').mockImplementation(() => {})

function headersFor(ses: FakeSession, responseHeaders: Record<string, string[]>) {
  const listener = ses.headersListener
  if (!listener) throw new Error('no onHeadersReceived listener')
  let answer: { responseHeaders?: Record<string, string | string[]> } | undefined
  listener({ url: APP_PAGE, responseHeaders }, (r) => {
    answer = r
  })
  if (!answer) throw new Error('the listener did not answer')
  return answer.responseHeaders ?? {}
}

describe('session hardening', () => {
  it('adds the CSP header to every response and replaces any other CSP', () => {
    const ses = new FakeSession()
    secureSession(ses as unknown as ElectronSession)
    const plain = headersFor(ses, { 'Content-Type': ['text/html'] })
    expect(plain['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY])
    expect(plain['Content-Type']).toEqual(['text/html'])

    const weaker = headersFor(ses, { 'content-security-policy': ["default-src *"], 'X-Other': ['1'] })
    expect(weaker['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY])
    expect(weaker['content-security-policy']).toBeUndefined()
    expect(weaker['X-Other']).toEqual(['1'])
    expect(Object.keys(weaker).filter((k) => k.toLowerCase() === 'content-security-policy')).toHaveLength(1)
  })

  it('denies every permission request and check', () => {
    const ses = new FakeSession()
    secureSession(ses as unknown as ElectronSession)
    for (const permission of ['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal', 'fullscreen']) {
      const callback = vi.fn()
      ses.permissionRequestHandler?.({}, permission, callback, {})
      expect(callback).toHaveBeenCalledExactlyOnceWith(false)
      expect(ses.permissionCheckHandler?.({}, permission, 'file://', {})).toBe(false)
    }
  })

  it('has a dev policy that only loosens what Vite needs', () => {
    const dev = devContentSecurityPolicy('http://localhost:5173')
    expect(dev).toContain("script-src 'self' 'unsafe-inline'")
    expect(dev).toContain('connect-src \'self\' ws://localhost:5173')
    expect(dev).toContain("object-src 'none'")
    expect(dev).toContain("frame-ancestors 'none'")
  })
})

describe('web contents hardening', () => {
  function hardened() {
    const contents = new FakeWebContents()
    secureWebContents(contents as unknown as WebContents, ownPage)
    return contents
  }

  it('prevents navigation away from the app page, not to it', () => {
    const contents = hardened()
    const navigate = (url: string) => {
      const event = new FakeEvent(url)
      contents.emit('will-navigate', event, url)
      return event.defaultPrevented
    }
    expect(navigate('https://evil.example/')).toBe(true)
    expect(navigate('http://localhost:5173/')).toBe(true)
    expect(navigate('file:///etc/passwd')).toBe(true)
    expect(navigate('file:///opt/puente/out/renderer/index.html')).toBe(true)
    expect(navigate('app://puente/other.html')).toBe(true)
    expect(navigate('app://other/index.html')).toBe(true)
    expect(navigate('javascript:alert(1)')).toBe(true)
    expect(navigate(APP_PAGE)).toBe(false)
    expect(navigate(`${APP_PAGE}#/settings`)).toBe(false)
  })

  it('prevents redirects to foreign pages', () => {
    const contents = hardened()
    const foreign = new FakeEvent('https://evil.example/')
    contents.emit('will-redirect', foreign, 'https://evil.example/')
    expect(foreign.defaultPrevented).toBe(true)
    const own = new FakeEvent(APP_PAGE)
    contents.emit('will-redirect', own, APP_PAGE)
    expect(own.defaultPrevented).toBe(false)
  })

  it('prevents attaching a webview', () => {
    const contents = hardened()
    const event = new FakeEvent()
    contents.emit('will-attach-webview', event, {}, {})
    expect(event.defaultPrevented).toBe(true)
  })

  it('denies every new window and opens only https: and mailto: outside', () => {
    const warn = quiet()
    const contents = hardened()
    const open = contents.windowOpenHandler
    if (!open) throw new Error('no window open handler')
    for (const url of ['https://github.com/', 'mailto:hola@example.org', 'file:///etc/passwd', 'javascript:alert(1)', 'http://example.org/', APP_PAGE, 'smb://server/share', 'not a url']) {
      expect(open({ url })).toEqual({ action: 'deny' })
    }
    expect(shell.openExternal.mock.calls.map((c) => c[0])).toEqual(['https://github.com/', 'mailto:hola@example.org'])
    expect(warn).toHaveBeenCalledTimes(6)
  })
})

describe('opening outside the app', () => {
  it('allow-lists https: and mailto: only', () => {
    quiet()
    expect(isExternalAllowed('https://example.org')).toBe(true)
    expect(isExternalAllowed('mailto:a@b.c')).toBe(true)
    for (const url of ['http://example.org', 'file:///tmp/x', 'javascript:alert(1)', 'ftp://x', 'HTTPS//x', '']) {
      expect(isExternalAllowed(url)).toBe(false)
      expect(openExternal(url)).toBe(false)
    }
    expect(shell.openExternal).not.toHaveBeenCalled()
    expect(openExternal('https://example.org/a')).toBe(true)
    expect(shell.openExternal).toHaveBeenCalledExactlyOnceWith('https://example.org/a')
  })
})

describe('paths', () => {
  it('finds the built pieces and resources from out/main', () => {
    expect(paths).toEqual({
      resourcesDir: '/opt/puente/resources',
      preload: '/opt/puente/out/preload/index.cjs',
      rendererDir: '/opt/puente/out/renderer',
      jobWorker: '/opt/puente/out/main/jobWorker.js',
      rendererUrl: null
    })
    const packaged = appPaths({ mainDir: '/x/app.asar/out/main', packaged: true, resourcesPath: '/x', env: { ELECTRON_RENDERER_URL: 'http://localhost:5173' } })
    expect(packaged.resourcesDir).toBe('/x')
    expect(packaged.rendererUrl).toBeNull()
  })

  it('accepts the dev server only in development and only its origin', () => {
    const dev = appPaths({ mainDir: '/opt/puente/out/main', packaged: false, env: { ELECTRON_RENDERER_URL: 'http://localhost:5173' } })
    expect(isAppUrl('http://localhost:5173/#/x', dev)).toBe(true)
    expect(isAppUrl('http://localhost:5174/', dev)).toBe(false)
    expect(isAppUrl(APP_PAGE, dev)).toBe(false)
    expect(isAppUrl('file://server/opt/puente/out/renderer/index.html', paths)).toBe(false)
  })

  it('takes only app://puente/index.html as the built page, never file:', () => {
    expect(isAppUrl('app://puente/index.html', paths)).toBe(true)
    expect(isAppUrl('app://puente/index.html#/orders?x=1', paths)).toBe(true)
    expect(isAppUrl('app://puente/', paths)).toBe(true)
    for (const url of [
      'file:///opt/puente/out/renderer/index.html',
      'app://puente/assets/index.js',
      'app://evil/index.html',
      'app://user:pw@puente/index.html',
      'apps://puente/index.html',
      'http://puente/index.html',
      'not a url'
    ])
      expect(isAppUrl(url, paths), url).toBe(false)
  })

  it('reads --workspace from the command line', () => {
    expect(workspaceArg(['electron', '.', '--workspace=/tmp/a.puente'])).toBe('/tmp/a.puente')
    expect(workspaceArg(['puente', '--workspace', 'b.puente'])).toBe('b.puente')
    expect(workspaceArg(['puente', '--workspace='])).toBeUndefined()
    expect(workspaceArg(['puente', '--other'])).toBeUndefined()
  })
})
