import { ipcMain } from 'electron'
import type { BrowserWindow, IpcMainInvokeEvent } from 'electron'
import { dispatch } from '../core/api/dispatch.ts'
import type { Context } from '../core/api/map.ts'
import type { Session } from '../core/app/session.ts'
import { IPC_EVENT, IPC_INVOKE } from '../shared/api.ts'
import type { ApiResponse } from '../shared/errors.ts'
import type { AppEvent } from '../shared/events.ts'

/** The answer to any call that does not come from the app's own page in its own window. */
export const FORBIDDEN: ApiResponse<never> = Object.freeze({ ok: false, error: Object.freeze({ code: 'host.forbidden' }) })

export interface IpcOptions {
  ctx: Context
  /** The main window, when there is one. */
  getWindow: () => BrowserWindow | null
  /** Whether a URL is the app's own page. */
  isAppUrl: (url: string) => boolean
}

/**
 * Whether an IPC call comes from the main window's main frame while it shows the app's own page (not
 * from a subframe, another window, or after a navigation to anything else).
 */
export function isTrustedSender(event: Pick<IpcMainInvokeEvent, 'senderFrame' | 'sender'>, win: BrowserWindow | null, isAppUrl: (url: string) => boolean): boolean {
  if (!win || win.isDestroyed()) return false
  const frame = event.senderFrame
  if (!frame) return false
  if (event.sender !== win.webContents) return false
  const main = win.webContents.mainFrame
  if (frame !== main && (frame.processId !== main.processId || frame.routingId !== main.routingId)) return false
  return isAppUrl(frame.url)
}

/** Registers the one IPC handler: every call goes through the sender check, then the API map. */
export function registerIpc(options: IpcOptions): () => void {
  ipcMain.handle(IPC_INVOKE, async (event, method: unknown, input: unknown) => {
    if (!isTrustedSender(event, options.getWindow(), options.isAppUrl)) {
      console.warn('[puente] refused an IPC call from', event.senderFrame?.url ?? 'a closed frame')
      return FORBIDDEN
    }
    return dispatch(options.ctx, method as string, input)
  })
  return () => ipcMain.removeHandler(IPC_INVOKE)
}

/** Sends an event to the window's page (if it is there). */
export function sendToWindow(win: BrowserWindow | null, event: AppEvent): void {
  if (!win || win.isDestroyed() || win.webContents.isDestroyed()) return
  win.webContents.send(IPC_EVENT, event)
}

/** Forwards every session event to the window; returns the unsubscribe function. */
export function forwardEvents(session: Session, getWindow: () => BrowserWindow | null): () => void {
  return session.on((event) => sendToWindow(getWindow(), event))
}
