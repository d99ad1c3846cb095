import { Menu } from 'electron'
import type { MenuItemConstructorOptions } from 'electron'
import type { Session } from '../core/app/session.ts'
import { isLanguage } from '../shared/reference.ts'
import type { Texts } from './texts.ts'

/**
 * What the menu's own items do (the Edit and View items are Electron roles). Long-running commands
 * return a promise that settles when they are done (Electron ignores it; tests await it).
 */
export interface MenuActions {
  newWorkspace(): Promise<void>
  openWorkspace(): Promise<void>
  openRecent(path: string): Promise<void>
  backupNow(): Promise<void>
  recreateDemo(): Promise<void>
  diagnostics(): void
  website(): void
  about(): Promise<void>
}

export interface RecentItem {
  path: string
  name: string
  exists: boolean
  current: boolean
}

export interface TemplateOptions {
  texts: Pick<Texts, 't'>
  recent: readonly RecentItem[]
  packaged: boolean
  platform: NodeJS.Platform
  actions: MenuActions
}

/** The application menu as a template, in the current language. */
export function menuTemplate(options: TemplateOptions): MenuItemConstructorOptions[] {
  const { actions, packaged, platform } = options
  const t = (key: string) => options.texts.t(`menu.${key}`)
  const mac = platform === 'darwin'
  const separator: MenuItemConstructorOptions = { type: 'separator' }
  const about: MenuItemConstructorOptions = { id: 'about', label: t('about'), click: () => actions.about() }
  const quit: MenuItemConstructorOptions = { id: 'quit', label: t('quit'), role: 'quit' }

  const recent: MenuItemConstructorOptions[] = options.recent.length
    ? options.recent.map((r) => ({
        label: r.name,
        sublabel: r.path,
        toolTip: r.path,
        type: 'checkbox' as const,
        checked: r.current,
        enabled: r.exists,
        click: () => actions.openRecent(r.path)
      }))
    : [{ id: 'noRecent', label: t('noRecent'), enabled: false }]

  const template: MenuItemConstructorOptions[] = []
  if (mac) template.push({ label: 'Puente', submenu: [about, separator, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, separator, quit] })
  template.push(
    {
      id: 'file',
      label: t('file'),
      submenu: [
        { id: 'newWorkspace', label: t('newWorkspace'), accelerator: 'CmdOrCtrl+N', click: () => actions.newWorkspace() },
        { id: 'openWorkspace', label: t('openWorkspace'), accelerator: 'CmdOrCtrl+O', click: () => actions.openWorkspace() },
        { id: 'openRecent', label: t('openRecent'), submenu: recent },
        separator,
        { id: 'backupNow', label: t('backupNow'), click: () => actions.backupNow() },
        { id: 'recreateDemo', label: t('recreateDemo'), click: () => actions.recreateDemo() },
        ...(mac ? [] : [separator, quit])
      ]
    },
    {
      id: 'edit',
      label: t('edit'),
      submenu: [
        { label: t('undo'), role: 'undo' },
        { label: t('redo'), role: 'redo' },
        separator,
        { label: t('cut'), role: 'cut' },
        { label: t('copy'), role: 'copy' },
        { label: t('paste'), role: 'paste' },
        separator,
        { label: t('selectAll'), role: 'selectAll' }
      ]
    },
    {
      id: 'view',
      label: t('view'),
      submenu: [
        { label: t('reload'), role: 'reload' },
        ...(packaged ? [] : [{ role: 'toggleDevTools', label: t('menu.devTools') } as MenuItemConstructorOptions]),
        separator,
        { label: t('resetZoom'), role: 'resetZoom' },
        { label: t('zoomIn'), role: 'zoomIn' },
        { label: t('zoomOut'), role: 'zoomOut' },
        separator,
        { label: t('fullscreen'), role: 'togglefullscreen' }
      ]
    },
    {
      id: 'help',
      label: t('help'),
      role: 'help',
      submenu: [
        { id: 'diagnostics', label: t('diagnostics'), click: () => actions.diagnostics() },
        { id: 'website', label: t('website'), click: () => actions.website() },
        ...(mac ? [] : [separator, about])
      ]
    }
  )
  return template
}

export interface InstallMenuOptions {
  session: Session
  texts: Texts
  packaged: boolean
  actions: MenuActions
  platform?: NodeJS.Platform
}

/**
 * Sets the application menu and keeps it current: rebuilt when the language changes (the main
 * process's texts follow the session's language here) or a workspace opens (the recent list changes
 * then).
 */
export function installMenu(options: InstallMenuOptions): { rebuild(): void; dispose(): void } {
  const rebuild = () => {
    const template = menuTemplate({
      texts: options.texts,
      recent: options.session.recent(),
      packaged: options.packaged,
      platform: options.platform ?? process.platform,
      actions: options.actions
    })
    Menu.setApplicationMenu(Menu.buildFromTemplate(template))
  }
  const dispose = options.session.on((event) => {
    if (event.type === 'language' && isLanguage(event.language)) options.texts.setLanguage(event.language)
    if (event.type === 'language' || event.type === 'workspace') rebuild()
  })
  rebuild()
  return { rebuild, dispose }
}
