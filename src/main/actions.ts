import type { BrowserWindow } from 'electron'
import { dispatch } from '../core/api/dispatch.ts'
import type { Context, MethodName } from '../core/api/map.ts'
import { APP_VERSION } from '../core/common/env.ts'
import { messageBox, showError } from './dialogs.ts'
import { sendToWindow } from './ipc.ts'
import type { MenuActions } from './menu.ts'
import { openExternal } from './security.ts'
import type { Texts } from './texts.ts'

/** Where "Puente on the web" leads. */
export const WEBSITE_URL = 'https://github.com'

export interface ActionDeps {
  ctx: Context
  texts: Texts
  getWindow: () => BrowserWindow | null
}

/**
 * The menu's commands. Workspace commands go through the same API map as the UI, so the menu can do
 * nothing the page could not; failures are shown as translated message boxes.
 */
export function createMenuActions(deps: ActionDeps): MenuActions & { run(method: MethodName, input?: unknown): Promise<unknown> } {
  const { ctx, texts, getWindow } = deps
  const t = (key: string, params?: Record<string, unknown>) => texts.t(key, params)

  /** Runs an API method as the page would; a failure is shown as a message box. */
  async function run(method: MethodName, input?: unknown): Promise<unknown> {
    const r = await dispatch(ctx, method, input)
    if (r.ok) return r.result
    await showError(getWindow(), texts, t('menu.openFailed'), r.error)
    return undefined
  }
  /** Menu clicks are not awaited by Electron: failures are logged here instead of going unhandled. */
  const background = async (work: Promise<unknown>): Promise<void> => {
    try {
      await work
    } catch (e) {
      console.error('[puente] menu command failed', e)
    }
  }

  return {
    run,
    newWorkspace: () => background(run('workspace.create')),
    openWorkspace: () => background(run('workspace.open')),
    openRecent: (path) => background(run('workspace.openRecent', { path })),
    backupNow: () =>
      background(
        (async () => {
          const r = await dispatch(ctx, 'workspace.backup', undefined)
          if (!r.ok) return showError(getWindow(), texts, t('menu.backupNow'), r.error)
          const { path } = r.result as { path: string }
          await messageBox(getWindow(), { type: 'info', title: 'Puente', message: t('menu.backupSaved'), detail: path, buttons: [t('common.close')] })
        })()
      ),
    recreateDemo: () =>
      background(
        (async () => {
          const choice = await messageBox(getWindow(), {
            type: 'warning',
            title: 'Puente',
            message: t('menu.recreateDemo').replace(/\s*…$/, ''),
            detail: t('diagnostics.recreateConfirm'),
            buttons: [t('common.cancel'), t('common.confirm')],
            defaultId: 0,
            cancelId: 0
          })
          if (choice !== 1) return
          const r = await dispatch(ctx, 'demo.recreate', undefined)
          if (!r.ok) return showError(getWindow(), texts, t('menu.recreateDemo').replace(/\s*…$/, ''), r.error)
          await messageBox(getWindow(), { type: 'info', title: 'Puente', message: t('diagnostics.recreateDone'), buttons: [t('common.close')] })
        })()
      ),
    diagnostics: () => {
      const win = getWindow()
      sendToWindow(win, { type: 'navigate', to: 'diagnostics' })
      if (win && !win.isDestroyed()) win.focus()
    },
    website: () => {
      openExternal(WEBSITE_URL)
    },
    about: () =>
      background(
        messageBox(getWindow(), {
          type: 'info',
          title: t('menu.about'),
          message: `Puente ${APP_VERSION}`,
          detail: `${t('app.tagline')}\n\nElectron ${process.versions.electron ?? '–'} · Node ${process.versions.node}\nAGPL-3.0-or-later`,
          buttons: [t('common.close')]
        })
      )
  }
}
