import { BrowserWindow } from 'electron'
import type { BrowserWindowConstructorOptions } from 'electron'
import { type AppPaths, pageUrl } from './paths.ts'

/**
 * The renderer's settings: isolated, sandboxed, no Node, only the preload's small bridge; no experimental
 * web platform features and no Blink features switched on (Electron's security checklist, items 9 and 10).
 */
export function webPreferences(paths: Pick<AppPaths, 'preload'>, packaged: boolean): NonNullable<BrowserWindowConstructorOptions['webPreferences']> {
  return {
    preload: paths.preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    enableWebSQL: false,
    plugins: false,
    safeDialogs: true,
    navigateOnDragDrop: false,
    spellcheck: false,
    devTools: !packaged
  }
}

/** Creates the main window, shown once its first paint is ready. */
export function createMainWindow(paths: AppPaths, packaged: boolean): BrowserWindow {
  const win = new BrowserWindow({
    title: 'Puente',
    width: 1280,
    height: 860,
    minWidth: 720,
    minHeight: 480,
    show: false,
    autoHideMenuBar: false,
    webPreferences: webPreferences(paths, packaged)
  })
  win.once('ready-to-show', () => win.show())
  // The built page comes through app:// (protocol.ts), never file://.
  const loaded = win.loadURL(pageUrl(paths))
  loaded.catch((e: unknown) => console.error('[puente] could not load the window', e))
  return win
}

/** Brings an existing window to the front (for a second start of the app). */
export function focusWindow(win: BrowserWindow | null): void {
  if (!win || win.isDestroyed()) return
  if (win.isMinimized()) win.restore()
  if (!win.isVisible()) win.show()
  win.focus()
}
