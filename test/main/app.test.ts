import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { AppData } from '../../src/core/app/appdata.ts'
import { logPath } from '../../src/core/app/log.ts'
import { systemEnv } from '../../src/core/common/env.ts'
import { IPC_EVENT, IPC_INVOKE } from '../../src/shared/api.ts'
import { CONTENT_SECURITY_POLICY } from '../../src/shared/csp.ts'
import { app, dialog, FakeBrowserWindow, FakeEvent, ipcMain, Menu, type MenuTemplateItem, protocol, resetFakes, session } from './fake-electron.ts'

vi.mock('electron', async () => (await import('./fake-electron.ts')).electronModule)

const { startApp } = await import('../../src/main/app.ts')

const root = fileURLToPath(new URL('../..', import.meta.url))
const mainDir = join(root, 'out', 'main')

let dir: string
let running: Awaited<NonNullable<ReturnType<typeof startApp>>> | null = null

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'puente-app-'))
  app.paths.userData = join(dir, 'userData')
  app.paths.documents = join(dir, 'documents')
})

afterEach(() => {
  running?.session.close()
  running = null
  rmSync(dir, { recursive: true, force: true })
  resetFakes()
})

async function start(argv: string[] = ['electron', '.']) {
  const started = startApp({ argv, env: {}, mainDir })
  if (!started) throw new Error('the app did not start')
  running = await started
  return running
}
function theWindow(): FakeBrowserWindow {
  const win = FakeBrowserWindow.instances[0]
  if (!win) throw new Error('no window')
  return win
}

describe('app lifecycle', () => {
  it('quits at once when another instance holds the lock', () => {
    app.hasLock = false
    expect(startApp({ argv: [], env: {}, mainDir })).toBeNull()
    expect(app.quit).toHaveBeenCalledOnce()
    expect(app.listenerCount('second-instance')).toBe(0)
    expect(FakeBrowserWindow.instances).toHaveLength(0)
    expect(ipcMain.handlers.size).toBe(0)
  })

  it('starts with the demo, a hardened window, the IPC handler and the menu', async () => {
    const { session: s, paths } = await start()
    expect(app.enableSandbox).toHaveBeenCalledOnce()
    expect(s.appData.dir).toBe(join(dir, 'userData'))
    expect(s.resourcesDir).toBe(join(root, 'resources'))
    expect(s.workspace?.path).toBe(s.demoPath)

    const win = theWindow()
    expect(win.loadedUrl).toBe('app://puente/index.html')
    expect(win.loadedFile).toBeNull()
    expect(paths.rendererDir).toBe(join(root, 'out', 'renderer'))
    // The scheme was made privileged before ready, and is served in the default session.
    expect(protocol.registerSchemesAsPrivileged).toHaveBeenCalledOnce()
    expect(protocol.privileged).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } }])
    expect([...protocol.handlers.keys()]).toEqual(['app'])
    expect(paths.preload).toBe(join(root, 'out', 'preload', 'index.cjs'))
    expect(win.options.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false })
    // Every web contents is hardened as it is created.
    expect(win.webContents.windowOpenHandler?.({ url: 'https://example.org' })).toEqual({ action: 'deny' })
    const nav = new FakeEvent('https://evil.example/')
    win.webContents.emit('will-navigate', nav, nav.url)
    expect(nav.defaultPrevented).toBe(true)

    let headers: Record<string, string | string[]> | undefined
    session.defaultSession.headersListener?.({ url: 'file:///x', responseHeaders: {} }, (r) => {
      headers = r.responseHeaders
    })
    expect(headers?.['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY])

    const handler = ipcMain.handlers.get(IPC_INVOKE)
    const info = (await handler?.({ senderFrame: win.webContents.mainFrame, sender: win.webContents }, 'app.info', undefined)) as {
      ok: boolean
      result: { workspacePath: string; canPickFiles: boolean }
    }
    expect(info).toMatchObject({ ok: true, result: { workspacePath: s.demoPath, canPickFiles: true } })

    expect(Menu.current?.template.map((i) => i.label)).toEqual(['File', 'Edit', 'View', 'Help'])
    s.emit({ type: 'changed', topics: ['settings'] })
    expect(win.webContents.sent).toContainEqual([IPC_EVENT, { type: 'changed', topics: ['settings'] }])
  })

  it('opens the workspace given with --workspace=FILE', async () => {
    const file = join(dir, 'Einkauf 2026.puente')
    const { session: s } = await start(['electron', '.', `--workspace=${file}`])
    expect(s.workspace?.path).toBe(file)
    expect(dialog.showErrorBox).not.toHaveBeenCalled()
  })

  it('shows a translated error and falls back to the demo when the workspace cannot be opened', async () => {
    app.locale = 'de-DE'
    const bad = join(dir, 'kaputt.puente')
    writeFileSync(bad, 'this is not a database, just some text that is long enough to be read as a header '.repeat(20))
    const { session: s } = await start(['electron', '.', `--workspace=${bad}`])
    expect(dialog.showErrorBox).toHaveBeenCalledOnce()
    const [title, content] = dialog.showErrorBox.mock.calls[0] ?? []
    expect(title).toBe('Der Arbeitsbereich konnte nicht geöffnet werden')
    expect(content).toContain(bad)
    expect(s.workspace?.path).toBe(s.demoPath)
    expect(Menu.current?.template.map((i) => i.label)).toEqual(['Datei', 'Bearbeiten', 'Ansicht', 'Hilfe'])
  })

  it('logs an unexpected error on opening and shows its id, not its text', async () => {
    // A folder where a workspace file is expected: reading it fails with EISDIR, which is no AppError.
    const folder = join(dir, 'a-folder.puente')
    mkdirSync(folder)
    const reported = vi.spyOn(console, 'error').mockImplementation(() => {})
    const { session: s } = await start(['electron', '.', `--workspace=${folder}`])
    expect(dialog.showErrorBox).toHaveBeenCalledOnce()
    const content = String(dialog.showErrorBox.mock.calls[0]?.[1])
    const id = /error ID ([A-Za-z0-9-]+)\)/.exec(content)?.[1]
    expect(id, content).toBeDefined()
    expect(content).not.toContain('EISDIR')
    const log = readFileSync(logPath(join(dir, 'userData')), 'utf8')
    expect(log).toContain(String(id))
    expect(log).toContain('app.openInitial')
    expect(log).toContain('EISDIR')
    expect(String(reported.mock.calls[0]?.[0])).toContain(String(id))
    reported.mockRestore()
    expect(s.workspace?.path).toBe(s.demoPath)
  })

  it('prefers the saved language to the system one', async () => {
    app.locale = 'es-AR'
    new AppData(join(dir, 'userData'), systemEnv).setLanguage('de')
    const { texts } = await start()
    expect(texts.language).toBe('de')
    expect(Menu.current?.template.map((i) => i.label)).toEqual(['Datei', 'Bearbeiten', 'Ansicht', 'Hilfe'])
  })

  it('takes the system language when none is saved, and follows a change', async () => {
    app.locale = 'es-AR'
    const { session: s, texts } = await start()
    expect(texts.language).toBe('es')
    expect(Menu.current?.template.map((i) => i.label)).toEqual(['Archivo', 'Edición', 'Ver', 'Ayuda'])
    s.appData.setLanguage('de')
    s.emit({ type: 'language', language: 'de' })
    const file = Menu.current?.template.find((i: MenuTemplateItem) => i.id === 'file')
    expect(file?.label).toBe('Datei')
    expect(texts.t('menu.workspaceFilter')).toBe('Puente-Arbeitsbereich')
  })

  it('brings the window to the front on a second start', async () => {
    await start()
    const win = theWindow()
    win.minimized = true
    app.emit('second-instance', new FakeEvent(), ['puente'], '/')
    expect(win.minimized).toBe(false)
    expect(win.focusCount).toBe(1)
    expect(FakeBrowserWindow.instances).toHaveLength(1)
  })

  it('closes the session when quitting', async () => {
    const { session: s } = await start()
    expect(s.workspace).not.toBeNull()
    app.emit('will-quit', new FakeEvent())
    expect(s.workspace).toBeNull()
  })

  it('quits when the last window closes (except on macOS)', async () => {
    await start()
    theWindow().destroy()
    expect(running?.window()).toBeNull()
    app.emit('window-all-closed')
    expect(app.quit).toHaveBeenCalledTimes(process.platform === 'darwin' ? 0 : 1)
  })
})
