import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { FakeBrowserWindow, resetFakes } from './fake-electron.ts'

vi.mock('electron', async () => (await import('./fake-electron.ts')).electronModule)

const { createMainWindow, focusWindow } = await import('../../src/main/window.ts')
const { appPaths } = await import('../../src/main/paths.ts')

type Win = Parameters<typeof focusWindow>[0]

afterEach(() => resetFakes())

const paths = appPaths({ mainDir: '/opt/puente/out/main', packaged: false, env: {} })

describe('main window', () => {
  it('keeps experimental web platform features and Blink features off', () => {
    createMainWindow(paths, true)
    const prefs = FakeBrowserWindow.instances[0]?.options.webPreferences ?? {}
    expect(prefs.experimentalFeatures).toBe(false)
    expect(prefs.enableBlinkFeatures).toBeUndefined()
    expect(prefs.enableWebSQL).toBe(false)
    expect(prefs.plugins).toBe(false)
    // None of the settings Electron's checklist warns about is switched on, under any name.
    for (const [key, value] of Object.entries(prefs)) {
      if (/blink|experimental/i.test(key)) expect(value === false || value === undefined, key).toBe(true)
    }
    expect(Object.keys(prefs)).not.toContain('additionalArguments')
  })

  it('switches on no Blink or experimental feature anywhere in the main process or preload (no command-line switch either)', () => {
    const root = fileURLToPath(new URL('../../src', import.meta.url))
    for (const dir of ['main', 'preload']) {
      for (const name of readdirSync(join(root, dir))) {
        const text = readFileSync(join(root, dir, name), 'utf8')
        expect(text, name).not.toMatch(/enableBlinkFeatures|appendSwitch|appendArgument|enable-blink-features|enable-experimental-web-platform-features|experimentalFeatures:\s*true/)
      }
    }
  })

  it('is isolated, sandboxed and without Node', () => {
    createMainWindow(paths, true)
    const win = FakeBrowserWindow.instances[0]
    expect(win).toBeDefined()
    expect(win?.options.title).toBe('Puente')
    expect(win?.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      devTools: false,
      preload: '/opt/puente/out/preload/index.cjs'
    })
  })

  it('loads the built page through app://, not file://, and shows only when ready', () => {
    createMainWindow(paths, false)
    const win = FakeBrowserWindow.instances[0]
    expect(win?.options.show).toBe(false)
    expect(win?.loadedUrl).toBe('app://puente/index.html')
    expect(win?.loadedFile).toBeNull()
    expect(win?.visible).toBe(false)
    win?.emit('ready-to-show')
    expect(win?.visible).toBe(true)
  })

  it('loads the dev server in development', () => {
    createMainWindow({ ...paths, rendererUrl: 'http://localhost:5173' }, false)
    const win = FakeBrowserWindow.instances[0]
    expect(win?.loadedUrl).toBe('http://localhost:5173')
    expect(win?.loadedFile).toBeNull()
    expect(win?.options.webPreferences?.devTools).toBe(true)
  })

  it('comes to the front when focused again', () => {
    const win = createMainWindow(paths, false) as unknown as FakeBrowserWindow
    win.minimized = true
    focusWindow(win as unknown as Win)
    expect(win.minimized).toBe(false)
    expect(win.visible).toBe(true)
    expect(win.focusCount).toBe(1)
    win.destroy()
    focusWindow(win as unknown as Win)
    expect(win.focusCount).toBe(1)
    focusWindow(null)
  })
})
