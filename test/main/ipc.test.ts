import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Session } from '../../src/core/app/session.ts'
import { IPC_EVENT, IPC_INVOKE } from '../../src/shared/api.ts'
import { MAX_UPLOAD_BYTES, MAX_UPLOAD_MB } from '../../src/shared/errors.ts'
import { type TempSession, tempSession } from '../support/workspace.ts'
import { dialog, FakeBrowserWindow, FakeFrame, FakeWebContents, ipcMain, resetFakes } from './fake-electron.ts'

vi.mock('electron', async () => (await import('./fake-electron.ts')).electronModule)
// The real dispatcher, wrapped so tests can see whether a call reached it.
vi.mock('../../src/core/api/dispatch.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/core/api/dispatch.ts')>()
  return { ...real, dispatch: vi.fn(real.dispatch) }
})

const { dispatch } = await import('../../src/core/api/dispatch.ts')
const { FORBIDDEN, forwardEvents, registerIpc } = await import('../../src/main/ipc.ts')
const { pickWorkspaceFile } = await import('../../src/main/dialogs.ts')
const { appPaths, isAppUrl } = await import('../../src/main/paths.ts')
const { createTexts } = await import('../../src/main/texts.ts')
const { createMainWindow } = await import('../../src/main/window.ts')

type Win = NonNullable<ReturnType<Parameters<typeof registerIpc>[0]['getWindow']>>

const paths = appPaths({ mainDir: '/opt/puente/out/main', packaged: false, env: {} })

let temp: TempSession
let dir: string
let session: Session
let win: FakeBrowserWindow
let texts: ReturnType<typeof createTexts>

beforeEach(async () => {
  temp = tempSession({ prefix: 'puente-ipc-' })
  dir = temp.dir
  session = temp.session
  await session.openDemo()
  texts = createTexts('en')
  win = createMainWindow(paths, false) as unknown as FakeBrowserWindow
  registerIpc({
    ctx: { session, pickFile: (purpose) => pickWorkspaceFile(win as unknown as Win, purpose, texts, dir) },
    getWindow: () => (win.isDestroyed() ? null : (win as unknown as Win)),
    isAppUrl: (url) => isAppUrl(url, paths)
  })
  vi.spyOn(console, 'warn').mockImplementation(() => {})
})

afterEach(() => {
  temp.dispose()
  resetFakes()
  vi.restoreAllMocks()
  vi.mocked(dispatch).mockClear()
})

function invoke(event: { senderFrame: FakeFrame | null; sender: FakeWebContents }, method: string, input?: unknown) {
  const handler = ipcMain.handlers.get(IPC_INVOKE)
  if (!handler) throw new Error('no IPC handler')
  return handler(event, method, input) as Promise<{ ok: boolean; result?: unknown; error?: { code: string } }>
}
const fromWindow = () => ({ senderFrame: win.webContents.mainFrame, sender: win.webContents })

describe('IPC', () => {
  it('registers exactly one handler', () => {
    expect([...ipcMain.handlers.keys()]).toEqual([IPC_INVOKE])
  })

  it('dispatches calls from the main frame showing the app page', async () => {
    const r = await invoke(fromWindow(), 'app.info')
    expect(r.ok).toBe(true)
    expect(r.result).toMatchObject({ workspacePath: session.demoPath, isDemo: true, canPickFiles: true })
    expect(dispatch).toHaveBeenCalledOnce()
  })

  it('accepts the same frame by id even when Electron hands over another wrapper object', async () => {
    const main = win.webContents.mainFrame
    const same = new FakeFrame(main.url, main.processId, main.routingId)
    const r = await invoke({ senderFrame: same, sender: win.webContents }, 'prefs.get')
    expect(r).toEqual({ ok: true, result: { language: null } })
  })

  it('refuses a foreign frame without dispatching', async () => {
    const sub = new FakeFrame(win.webContents.mainFrame.url) // a subframe with the right URL
    const other = new FakeWebContents()
    other.mainFrame.url = win.webContents.mainFrame.url
    const cases = [
      { senderFrame: sub, sender: win.webContents },
      { senderFrame: null, sender: win.webContents },
      { senderFrame: other.mainFrame, sender: other }
    ]
    for (const event of cases) {
      expect(await invoke(event, 'prefs.setLanguage', { language: 'de' })).toEqual(FORBIDDEN)
    }
    expect(FORBIDDEN).toEqual({ ok: false, error: { code: 'host.forbidden' } })
    expect(dispatch).not.toHaveBeenCalled()
    expect(session.appData.language).toBeNull()
  })

  it('refuses the main frame once it shows anything but the app page', async () => {
    for (const url of ['https://evil.example/', 'file:///tmp/evil.html', 'file:///opt/puente/out/renderer/index.html', 'app://puente/assets/x.js', 'about:blank']) {
      win.webContents.mainFrame.url = url
      expect(await invoke(fromWindow(), 'app.info')).toEqual(FORBIDDEN)
    }
    expect(dispatch).not.toHaveBeenCalled()
  })

  it('refuses everything once the window is gone', async () => {
    const event = fromWindow()
    win.destroy()
    expect(await invoke(event, 'app.info')).toEqual(FORBIDDEN)
    expect(dispatch).not.toHaveBeenCalled()
  })

  it('carries a file as a Uint8Array straight into an import, and refuses one above the limit as the browser host does', async () => {
    const supplierId = session.requireWorkspace().db.prepare("SELECT id FROM supplier WHERE code = 'LH'").pluck().get() as string
    // Electron's IPC clones a Uint8Array as a Uint8Array (no base64 on the way).
    const data = new TextEncoder().encode('Código;Nombre;Precio;Moneda\r\nLH-NUEVO;Yerba nueva 250 g;1,50;USD\r\n')
    const r = await invoke(fromWindow(), 'catalogue.importPreview', { supplierId, fileName: 'lista.csv', data })
    expect(r.ok).toBe(true)
    expect((r.result as { rows: { sku: string; action: string }[] }).rows).toMatchObject([{ sku: 'LH-NUEVO', action: 'insert' }])
    const big = await invoke(fromWindow(), 'catalogue.importPreview', { supplierId, fileName: 'lista.csv', data: new Uint8Array(MAX_UPLOAD_BYTES + 1) })
    expect(big).toEqual({ ok: false, error: { code: 'api.too_large', params: { maxMb: MAX_UPLOAD_MB } } })
  })

  it('passes the API’s own errors through', async () => {
    const r = await invoke(fromWindow(), 'no.such.method')
    expect(r).toMatchObject({ ok: false, error: { code: 'api.unknown_method' } })
  })

  it('creates a workspace through the save dialog, filtered to .puente files', async () => {
    dialog.showSaveDialog.mockResolvedValueOnce({ canceled: false, filePath: join(dir, 'Kollektiv') })
    const r = await invoke(fromWindow(), 'workspace.create')
    expect(r).toEqual({ ok: true, result: { opened: true } })
    const options = dialog.showSaveDialog.mock.calls[0]?.[1] as { filters: { name: string; extensions: string[] }[] }
    expect(dialog.showSaveDialog.mock.calls[0]?.[0]).toBe(win)
    expect(options.filters).toEqual([{ name: 'Puente workspace', extensions: ['puente'] }])
    expect(session.workspace?.path).toBe(join(dir, 'Kollektiv.puente'))
    expect(existsSync(join(dir, 'Kollektiv.puente'))).toBe(true)
  })

  it('opens a workspace through the open dialog, and does nothing when cancelled', async () => {
    expect(await invoke(fromWindow(), 'workspace.open')).toEqual({ ok: true, result: { opened: false } })
    expect(session.workspace?.path).toBe(session.demoPath)
    const options = dialog.showOpenDialog.mock.calls[0]?.[1] as { filters: unknown; properties: string[] }
    expect(options.filters).toEqual([{ name: 'Puente workspace', extensions: ['puente'] }])
    expect(options.properties).toEqual(['openFile'])

    await session.open(join(dir, 'other.puente'), true)
    await session.openDemo()
    dialog.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: [join(dir, 'other.puente')] })
    expect(await invoke(fromWindow(), 'workspace.open')).toEqual({ ok: true, result: { opened: true } })
    expect(session.workspace?.path).toBe(join(dir, 'other.puente'))
  })

  it('forwards session events to the window, and stops when it is gone', async () => {
    const stop = forwardEvents(session, () => (win.isDestroyed() ? null : (win as unknown as Win)))
    await invoke(fromWindow(), 'prefs.setLanguage', { language: 'es' })
    expect(win.webContents.sent).toEqual([[IPC_EVENT, { type: 'language', language: 'es' }]])
    win.destroy()
    session.emit({ type: 'changed', topics: ['settings'] })
    expect(win.webContents.sent).toHaveLength(1)
    stop()
  })
})
