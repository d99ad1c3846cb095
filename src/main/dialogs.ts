import { join } from 'node:path'
import { dialog } from 'electron'
import type { BrowserWindow, MessageBoxOptions, OpenDialogOptions, SaveDialogOptions } from 'electron'
import { type ErrorOrigin, toErrorPayload } from '../core/api/dispatch.ts'
import type { ErrorPayload } from '../shared/errors.ts'
import type { Texts } from './texts.ts'

export const WORKSPACE_EXTENSION = 'puente'

const usable = (win: BrowserWindow | null): win is BrowserWindow => win !== null && !win.isDestroyed()

/**
 * Lets the user pick a workspace file: an existing one to open, or a new file name to create (the
 * `.puente` extension is added when missing). Null when cancelled.
 */
export async function pickWorkspaceFile(
  win: BrowserWindow | null,
  purpose: 'open' | 'create',
  texts: Texts,
  defaultDir: string
): Promise<string | null> {
  const filters = [{ name: texts.t('menu.workspaceFilter'), extensions: [WORKSPACE_EXTENSION] }]
  if (purpose === 'open') {
    const options: OpenDialogOptions = {
      title: texts.t('menu.openWorkspace'),
      defaultPath: defaultDir,
      filters,
      properties: ['openFile']
    }
    const r = usable(win) ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options)
    return r.canceled ? null : (r.filePaths[0] ?? null)
  }
  const options: SaveDialogOptions = {
    title: texts.t('menu.newWorkspace'),
    defaultPath: join(defaultDir, `Puente.${WORKSPACE_EXTENSION}`),
    filters,
    properties: ['createDirectory', 'showOverwriteConfirmation']
  }
  const r = usable(win) ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options)
  if (r.canceled || !r.filePath) return null
  return r.filePath.toLowerCase().endsWith(`.${WORKSPACE_EXTENSION}`) ? r.filePath : `${r.filePath}.${WORKSPACE_EXTENSION}`
}

/** A message box on the window when there is one. */
export async function messageBox(win: BrowserWindow | null, options: MessageBoxOptions): Promise<number> {
  const r = usable(win) ? await dialog.showMessageBox(win, options) : await dialog.showMessageBox(options)
  return r.response
}

/**
 * The translated text for an error (an AppError, an API error payload, or anything thrown). `origin`
 * says where an unexpected error is logged (the app data folder's error log) and what was running; the
 * text then names the error's id, as the API's answers do.
 */
export function errorText(texts: Texts, error: unknown, origin?: ErrorOrigin): string {
  const payload: ErrorPayload = isPayload(error) ? error : toErrorPayload(error, origin)
  return texts.t(`errors.${payload.code}`, payload.params ?? {})
}

function isPayload(value: unknown): value is ErrorPayload {
  return typeof value === 'object' && value !== null && !(value instanceof Error) && typeof (value as { code?: unknown }).code === 'string'
}

/** Shows an error as a message box with a translated title. */
export async function showError(win: BrowserWindow | null, texts: Texts, title: string, error: unknown, origin?: ErrorOrigin): Promise<void> {
  await messageBox(win, { type: 'error', title: 'Puente', message: title, detail: errorText(texts, error, origin), buttons: [texts.t('common.close')] })
}
