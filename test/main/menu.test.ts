import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { dispatch } from '../../src/core/api/dispatch.ts'
import type { Context } from '../../src/core/api/map.ts'
import type { Session } from '../../src/core/app/session.ts'
import { IPC_EVENT } from '../../src/shared/api.ts'
import { type TempSession, tempSession } from '../support/workspace.ts'
import { dialog, FakeBrowserWindow, Menu, type MenuTemplateItem, resetFakes, shell } from './fake-electron.ts'

vi.mock('electron', async () => (await import('./fake-electron.ts')).electronModule)

const { installMenu, menuTemplate } = await import('../../src/main/menu.ts')
const { createMenuActions, WEBSITE_URL } = await import('../../src/main/actions.ts')
const { createTexts } = await import('../../src/main/texts.ts')
const { createMainWindow } = await import('../../src/main/window.ts')
const { appPaths } = await import('../../src/main/paths.ts')

type Win = NonNullable<ReturnType<Parameters<typeof createMenuActions>[0]['getWindow']>>

let temp: TempSession
let dir: string
let session: Session
let ctx: Context
let win: FakeBrowserWindow
let texts: ReturnType<typeof createTexts>
let menu: ReturnType<typeof installMenu>

beforeEach(async () => {
  temp = tempSession({ prefix: 'puente-menu-' })
  dir = temp.dir
  session = temp.session
  ctx = { session }
  texts = createTexts('en')
  win = createMainWindow(appPaths({ mainDir: '/opt/puente/out/main', packaged: false, env: {} }), false) as unknown as FakeBrowserWindow
  const actions = createMenuActions({ ctx, texts, getWindow: () => win as unknown as Win })
  menu = installMenu({ session, texts, packaged: false, actions, platform: 'linux' })
})

afterEach(() => {
  menu.dispose()
  temp.dispose()
  resetFakes()
})

function current(): MenuTemplateItem[] {
  const m = Menu.current
  if (!m) throw new Error('no application menu set')
  return m.template
}
const labels = (items: MenuTemplateItem[] | undefined) => (items ?? []).filter((i) => i.type !== 'separator').map((i) => i.label)
const top = (id: string) => current().find((i) => i.id === id)
function item(menuId: string, itemId: string): MenuTemplateItem {
  const found = top(menuId)?.submenu?.find((i) => i.id === itemId)
  if (!found) throw new Error(`no menu item ${menuId}/${itemId}`)
  return found
}
/** Clicks an item and waits for the command it started to finish. */
async function click(entry: MenuTemplateItem): Promise<void> {
  if (!entry.click) throw new Error(`${entry.label} has no click handler`)
  await (entry.click() as unknown)
}

describe('application menu', () => {
  it('has File, Edit, View and Help in English', () => {
    expect(labels(current())).toEqual(['File', 'Edit', 'View', 'Help'])
    expect(labels(top('file')?.submenu)).toEqual([
      'New workspace…',
      'Open workspace…',
      'Open recent',
      'Back up now',
      'Recreate demo workspace…',
      'Quit'
    ])
    expect(item('file', 'quit').role).toBe('quit')
    expect(top('edit')?.submenu?.filter((i) => i.role).map((i) => [i.role, i.label])).toEqual([
      ['undo', 'Undo'],
      ['redo', 'Redo'],
      ['cut', 'Cut'],
      ['copy', 'Copy'],
      ['paste', 'Paste'],
      ['selectAll', 'Select all']
    ])
    expect(top('view')?.submenu?.filter((i) => i.role).map((i) => i.role)).toEqual([
      'reload',
      'toggleDevTools',
      'resetZoom',
      'zoomIn',
      'zoomOut',
      'togglefullscreen'
    ])
    expect(labels(top('help')?.submenu)).toEqual(['Diagnostics', 'Puente on the web', 'About Puente'])
  })

  it('has no developer tools when packaged, and an app menu on macOS', () => {
    const base = { texts, recent: [], actions: createMenuActions({ ctx, texts, getWindow: () => null }) }
    const packaged = menuTemplate({ ...base, packaged: true, platform: 'linux' })
    const view = packaged.find((i) => i.id === 'view')?.submenu as MenuTemplateItem[]
    expect(view.some((i) => i.role === 'toggleDevTools')).toBe(false)
    const mac = menuTemplate({ ...base, packaged: true, platform: 'darwin' })
    expect(mac.map((i) => i.label)).toEqual(['Puente', 'File', 'Edit', 'View', 'Help'])
  })

  it('is rebuilt in German and Spanish when the language changes', async () => {
    expect(await dispatch(ctx, 'prefs.setLanguage', { language: 'de' })).toMatchObject({ ok: true })
    expect(labels(current())).toEqual(['Datei', 'Bearbeiten', 'Ansicht', 'Hilfe'])
    expect(labels(top('edit')?.submenu)).toEqual(['Rückgängig', 'Wiederholen', 'Ausschneiden', 'Kopieren', 'Einfügen', 'Alles auswählen'])
    expect(item('file', 'openRecent').label).toBe('Zuletzt geöffnet')
    expect(item('file', 'openRecent').submenu?.[0]?.label).toBe('Keine zuletzt geöffneten Arbeitsbereiche')
    expect(texts.language).toBe('de')

    await dispatch(ctx, 'prefs.setLanguage', { language: 'es' })
    expect(labels(current())).toEqual(['Archivo', 'Edición', 'Ver', 'Ayuda'])
    expect(item('file', 'quit').label).toBe('Salir')
    expect(item('help', 'diagnostics').label).toBe('Diagnóstico')
    expect(labels(top('view')?.submenu)).toContain('Pantalla completa')
  })

  it('lists recent workspaces, rebuilt when one opens, and opens them', async () => {
    const recent = item('file', 'openRecent').submenu ?? []
    expect(recent).toHaveLength(1)
    expect(recent[0]).toMatchObject({ label: 'No recent workspaces', enabled: false })

    const a = join(dir, 'Kooperative A.puente')
    await session.open(a, true)
    await session.openDemo()
    const listed = item('file', 'openRecent').submenu ?? []
    expect(listed.map((i) => [i.label, i.checked])).toEqual([
      ['Puente-Demo', true],
      ['Kooperative A', false]
    ])
    const first = listed.find((i) => i.label === 'Kooperative A')
    if (!first) throw new Error('Kooperative A not listed')
    await click(first)
    expect(session.workspace?.path).toBe(a)
  })

  it('backs up the workspace and shows where', async () => {
    await session.openDemo()
    await click(item('file', 'backupNow'))
    const options = dialog.showMessageBox.mock.calls[0]?.[1] as { message: string; detail: string }
    expect(options.message).toBe('Backup saved')
    expect(existsSync(options.detail)).toBe(true)
  })

  it('shows a translated error when there is nothing to back up', async () => {
    await click(item('file', 'backupNow'))
    const options = dialog.showMessageBox.mock.calls[0]?.[1] as { type: string; detail: string }
    expect(options).toMatchObject({ type: 'error', detail: 'No workspace is open.' })
  })

  it('recreates the demo only after confirmation', async () => {
    await session.openDemo()
    const before = session.workspace?.id

    await click(item('file', 'recreateDemo')) // the fake dialog answers 0: cancel
    const confirm = dialog.showMessageBox.mock.calls[0]?.[1] as { detail: string; buttons: string[]; cancelId: number }
    expect(confirm.detail).toBe(
      'Delete the demo workspace and create it again from scratch? All changes made in the demo are lost.'
    )
    expect(confirm.buttons).toEqual(['Cancel', 'Confirm'])
    expect(confirm.cancelId).toBe(0)
    expect(session.workspace?.id).toBe(before)

    dialog.showMessageBox.mockResolvedValueOnce({ response: 1, checkboxChecked: false })
    await click(item('file', 'recreateDemo'))
    expect(session.workspace?.path).toBe(session.demoPath)
    expect(session.workspace?.id).not.toBe(before)
  })

  it('asks the window to show diagnostics', () => {
    void click(item('help', 'diagnostics'))
    expect(win.webContents.sent).toEqual([[IPC_EVENT, { type: 'navigate', to: 'diagnostics' }]])
  })

  it('opens the website through the allow-list', () => {
    void click(item('help', 'website'))
    expect(WEBSITE_URL.startsWith('https://github.com')).toBe(true)
    expect(shell.openExternal).toHaveBeenCalledExactlyOnceWith(WEBSITE_URL)
  })

  it('shows the version in About', async () => {
    await click(item('help', 'about'))
    const options = dialog.showMessageBox.mock.calls[0]?.[1] as { title: string; message: string }
    expect(options.title).toBe('About Puente')
    expect(options.message).toMatch(/^Puente \d+\.\d+\.\d+/)
    expect(FakeBrowserWindow.instances).toHaveLength(1)
  })
})
