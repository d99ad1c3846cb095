import { resolve } from 'node:path'
import { app, dialog, session as electronSession } from 'electron'
import type { BrowserWindow } from 'electron'
import type { Context } from '../core/api/map.ts'
import { Session } from '../core/app/session.ts'
import { CONTENT_SECURITY_POLICY } from '../shared/csp.ts'
import { pickLanguage } from '../shared/i18n/index.ts'
import { createMenuActions } from './actions.ts'
import { errorText, pickWorkspaceFile } from './dialogs.ts'
import { forwardEvents, registerIpc } from './ipc.ts'
import { installMenu } from './menu.ts'
import { appPaths, type AppPaths, isAppUrl, MAIN_DIR, workspaceArg } from './paths.ts'
import { handleAppProtocol, registerAppScheme } from './protocol.ts'
import { devContentSecurityPolicy, secureSession, secureWebContents } from './security.ts'
import { createTexts, type Texts } from './texts.ts'
import { createMainWindow, focusWindow } from './window.ts'


export interface StartOptions {
  argv?: readonly string[]
  env?: NodeJS.ProcessEnv
  /** The folder of the main bundle; defaults to this module's folder. */
  mainDir?: string
}

export interface RunningApp {
  session: Session
  texts: Texts
  paths: AppPaths
  ctx: Context
  window(): BrowserWindow | null
}

/**
 * The app's lifecycle: one instance only (a second start brings the window to the front), every web
 * contents hardened, the session opened on ready, and closed cleanly on quit. Resolves when the window
 * exists; null when another instance already runs.
 */
export function startApp(options: StartOptions = {}): Promise<RunningApp> | null {
  const argv = options.argv ?? process.argv
  const env = options.env ?? process.env
  if (env.PUENTE_HOME) app.setPath('userData', resolve(env.PUENTE_HOME))

  if (!app.requestSingleInstanceLock()) {
    app.quit()
    return null
  }
  app.enableSandbox()
  // Before ready, as Electron requires: the built page is served through app:// (protocol.ts).
  registerAppScheme()

  const packaged = app.isPackaged
  const paths = appPaths({ mainDir: options.mainDir ?? MAIN_DIR, packaged, resourcesPath: process.resourcesPath, env })
  const ownPage = (url: string) => isAppUrl(url, paths)
  let win: BrowserWindow | null = null
  let session: Session | null = null
  const getWindow = () => (win && !win.isDestroyed() ? win : null)

  app.on('second-instance', () => focusWindow(getWindow()))
  app.on('web-contents-created', (_event, contents) => secureWebContents(contents, ownPage))
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
  app.on('will-quit', () => {
    session?.close()
    session = null
  })

  const openWindow = () => {
    const created = createMainWindow(paths, packaged)
    win = created
    created.on('closed', () => {
      if (win === created) win = null
    })
    return created
  }

  return app.whenReady().then(async () => {
    secureSession(electronSession.defaultSession, paths.rendererUrl ? devContentSecurityPolicy(paths.rendererUrl) : CONTENT_SECURITY_POLICY)
    handleAppProtocol(paths.rendererDir)

    const s = new Session({ appDataDir: app.getPath('userData'), resourcesDir: paths.resourcesDir, jobWorker: paths.jobWorker })
    session = s
    const texts = createTexts(s.appData.language ?? pickLanguage(app.getLocale()))
    await openFirstWorkspace(s, texts, workspaceArg(argv))

    const ctx: Context = {
      session: s,
      pickFile: (purpose) => pickWorkspaceFile(getWindow(), purpose, texts, app.getPath('documents'))
    }
    registerIpc({ ctx, getWindow, isAppUrl: ownPage })
    forwardEvents(s, getWindow)
    installMenu({ session: s, texts, packaged, actions: createMenuActions({ ctx, texts, getWindow }) })

    openWindow()
    app.on('activate', () => {
      if (!getWindow()) openWindow()
    })
    return { session: s, texts, paths, ctx, window: getWindow }
  })
}

/** The workspace from the command line or the last one used; on failure a message, then the demo. */
async function openFirstWorkspace(session: Session, texts: Texts, explicit: string | undefined): Promise<void> {
  // An unexpected error is shown with its id and logged in full (app/log.ts), as the API does.
  const origin = (method: string) => ({ appDataDir: session.appData.dir, method, now: () => session.env.now() })
  try {
    await session.openInitial(explicit)
    return
  } catch (e) {
    dialog.showErrorBox(texts.t('menu.openFailed'), errorText(texts, e, origin('app.openInitial')))
  }
  try {
    await session.openDemo()
  } catch (e) {
    // Without any workspace the UI still starts and says so; the user can open or create one.
    dialog.showErrorBox(texts.t('menu.openFailed'), errorText(texts, e, origin('app.openDemo')))
  }
}

/** Runs the app; a failure before the window appears is shown and ends the process. */
export function main(): void {
  const started = startApp()
  started?.catch((e: unknown) => {
    console.error('[puente] could not start', e)
    dialog.showErrorBox('Puente', e instanceof Error ? (e.stack ?? e.message) : String(e))
    app.exit(1)
  })
}
