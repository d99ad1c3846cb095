/**
 * Hand-made stand-ins for the parts of Electron the main process uses. Each records what was done to
 * it, so tests can assert real behaviour without the Electron binary. Test files use it with
 * `vi.mock('electron', async () => (await import('./fake-electron.ts')).electronModule)`.
 */
import { EventEmitter } from 'node:events'
import { pathToFileURL } from 'node:url'
import { vi } from 'vitest'

export class FakeEvent {
  defaultPrevented = false
  readonly url: string | undefined
  constructor(url?: string) {
    this.url = url
  }
  preventDefault(): void {
    this.defaultPrevented = true
  }
}

let nextFrameId = 1
export class FakeFrame {
  url: string
  readonly processId: number
  readonly routingId: number
  constructor(url = 'about:blank', processId = 7, routingId = nextFrameId++) {
    this.url = url
    this.processId = processId
    this.routingId = routingId
  }
}

type OpenHandler = (details: { url: string }) => { action: string }

export class FakeWebContents extends EventEmitter {
  readonly mainFrame = new FakeFrame()
  readonly sent: [string, unknown][] = []
  windowOpenHandler: OpenHandler | null = null
  destroyed = false
  send(channel: string, payload: unknown): void {
    this.sent.push([channel, payload])
  }
  setWindowOpenHandler(handler: OpenHandler): void {
    this.windowOpenHandler = handler
  }
  isDestroyed(): boolean {
    return this.destroyed
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static instances: FakeBrowserWindow[] = []
  readonly options: Record<string, unknown> & { webPreferences?: Record<string, unknown> }
  readonly webContents = new FakeWebContents()
  loadedFile: string | null = null
  loadedUrl: string | null = null
  visible = false
  minimized = false
  destroyed = false
  focusCount = 0
  constructor(options: Record<string, unknown>) {
    super()
    this.options = options
    FakeBrowserWindow.instances.push(this)
    app.emit('web-contents-created', new FakeEvent(), this.webContents)
  }
  loadFile(file: string): Promise<void> {
    this.loadedFile = file
    this.webContents.mainFrame.url = pathToFileURL(file).href
    return Promise.resolve()
  }
  loadURL(url: string): Promise<void> {
    this.loadedUrl = url
    this.webContents.mainFrame.url = url
    return Promise.resolve()
  }
  show(): void {
    this.visible = true
  }
  isVisible(): boolean {
    return this.visible
  }
  isMinimized(): boolean {
    return this.minimized
  }
  restore(): void {
    this.minimized = false
  }
  focus(): void {
    this.focusCount++
  }
  isDestroyed(): boolean {
    return this.destroyed
  }
  destroy(): void {
    this.destroyed = true
    this.webContents.destroyed = true
    this.emit('closed')
  }
}

class FakeApp extends EventEmitter {
  isPackaged = false
  locale = 'en-US'
  hasLock = true
  readonly paths: Record<string, string> = { userData: '/nonexistent/userData', documents: '/nonexistent/documents' }
  readonly requestSingleInstanceLock = vi.fn(() => this.hasLock)
  readonly quit = vi.fn()
  readonly exit = vi.fn()
  readonly enableSandbox = vi.fn()
  readonly setPath = vi.fn((name: string, path: string) => {
    this.paths[name] = path
  })
  getPath(name: string): string {
    const p = this.paths[name]
    if (!p) throw new Error(`no fake path ${name}`)
    return p
  }
  getLocale(): string {
    return this.locale
  }
  getVersion(): string {
    return '0.0.0-test'
  }
  whenReady(): Promise<void> {
    return Promise.resolve()
  }
}
export const app = new FakeApp()

type Handler = (event: unknown, ...args: unknown[]) => unknown
export const ipcMain = {
  handlers: new Map<string, Handler>(),
  handle(channel: string, handler: Handler): void {
    // Like Electron: a second handler for the same channel is an error.
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`)
    this.handlers.set(channel, handler)
  },
  removeHandler(channel: string): void {
    this.handlers.delete(channel)
  }
}

export const dialog = {
  showOpenDialog: vi.fn(async (..._args: unknown[]) => ({ canceled: true, filePaths: [] as string[] })),
  showSaveDialog: vi.fn(async (..._args: unknown[]) => ({ canceled: true, filePath: '' })),
  showMessageBox: vi.fn(async (..._args: unknown[]) => ({ response: 0, checkboxChecked: false })),
  showErrorBox: vi.fn((_title: string, _content: string) => {})
}

export const shell = {
  openExternal: vi.fn(async (_url: string) => {})
}

export interface FakeMenu {
  template: MenuTemplateItem[]
}
export interface MenuTemplateItem {
  id?: string
  label?: string
  role?: string
  type?: string
  enabled?: boolean
  checked?: boolean
  click?: (...args: unknown[]) => void
  submenu?: MenuTemplateItem[]
}
export const Menu = {
  current: null as FakeMenu | null,
  buildFromTemplate: vi.fn((template: MenuTemplateItem[]): FakeMenu => ({ template })),
  setApplicationMenu: vi.fn((menu: FakeMenu | null) => {
    Menu.current = menu
  })
}

type HeadersListener = (
  details: { url: string; responseHeaders?: Record<string, string[]> },
  callback: (response: { responseHeaders?: Record<string, string | string[]> }) => void
) => void
type PermissionRequest = (contents: unknown, permission: string, callback: (granted: boolean) => void, details: unknown) => void
type PermissionCheck = (contents: unknown, permission: string, origin: string, details: unknown) => boolean

export class FakeSession {
  headersListener: HeadersListener | null = null
  permissionRequestHandler: PermissionRequest | null = null
  permissionCheckHandler: PermissionCheck | null = null
  readonly webRequest = {
    onHeadersReceived: (listener: HeadersListener) => {
      this.headersListener = listener
    }
  }
  setPermissionRequestHandler(handler: PermissionRequest): void {
    this.permissionRequestHandler = handler
  }
  setPermissionCheckHandler(handler: PermissionCheck): void {
    this.permissionCheckHandler = handler
  }
}
export const session = { defaultSession: new FakeSession() }

type ProtocolHandler = (request: Request) => Promise<Response>
/** Like Electron's: schemes registered as privileged (allowed once, before ready) and the handlers of the default session. */
export const protocol = {
  privileged: [] as { scheme: string; privileges?: Record<string, boolean> }[],
  handlers: new Map<string, ProtocolHandler>(),
  registerSchemesAsPrivileged: vi.fn((schemes: { scheme: string; privileges?: Record<string, boolean> }[]) => {
    protocol.privileged.push(...schemes)
  }),
  handle(scheme: string, handler: ProtocolHandler): void {
    if (protocol.handlers.has(scheme)) throw new Error(`The scheme ${scheme} is already handled`)
    protocol.handlers.set(scheme, handler)
  }
}

/** Forgets everything recorded, for the next test. */
export function resetFakes(): void {
  FakeBrowserWindow.instances = []
  app.removeAllListeners()
  app.isPackaged = false
  app.locale = 'en-US'
  app.hasLock = true
  ipcMain.handlers.clear()
  Menu.current = null
  session.defaultSession = new FakeSession()
  protocol.privileged = []
  protocol.handlers.clear()
  vi.resetAllMocks()
}

/** The module as `import … from 'electron'` sees it. */
export const electronModule = { app, BrowserWindow: FakeBrowserWindow, dialog, ipcMain, Menu, protocol, session, shell }
export default electronModule
