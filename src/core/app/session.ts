import { existsSync, rmSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import { AppError } from '../../shared/errors.ts'
import type { AppEvent } from '../../shared/events.ts'
import { AppData } from './appdata.ts'
import { Workspace } from '../db/workspace.ts'
import { type Env, systemEnv } from '../common/env.ts'
import { privateDir } from '../common/private.ts'
import type { Language } from '../../shared/reference.ts'
import { getOrganisation } from '../settings/organisation.ts'
import { seedDemo } from './demo.ts'

export interface SessionOptions {
  appDataDir: string
  /** The folder with the demo seed (`demo/organisation.json`, …): the project's `resources/`. */
  resourcesDir: string
  env?: Env
}

/**
 * The running app's state: the open workspace, the per-installation data, and the events views listen
 * to. The same in Electron and in the browser host; only how a file is picked differs.
 */
export class Session {
  readonly appData: AppData
  readonly env: Env
  readonly resourcesDir: string
  private ws: Workspace | null = null
  private readonly listeners = new Set<(e: AppEvent) => void>()

  constructor(options: SessionOptions) {
    this.env = options.env ?? systemEnv
    this.appData = new AppData(options.appDataDir, this.env)
    this.resourcesDir = options.resourcesDir
  }

  get workspace(): Workspace | null {
    return this.ws
  }

  /** The open workspace, or the `workspace.none` error. */
  requireWorkspace(): Workspace {
    if (!this.ws) throw new AppError('workspace.none')
    return this.ws
  }

  get demoPath(): string {
    return join(this.appData.dir, 'demo', 'Puente-Demo.puente')
  }

  on(listener: (e: AppEvent) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  emit(event: AppEvent): void {
    for (const l of this.listeners) l(event)
  }

  /** Opens (or with `create`, creates) a workspace and makes it the current one. */
  async open(path: string, create = false): Promise<Workspace> {
    const full = resolve(path)
    const next = await Workspace.open(full, { create, deviceId: this.appData.deviceId, env: this.env })
    this.ws?.close()
    this.ws = next
    this.appData.addRecent(full)
    this.emit({ type: 'workspace', path: full })
    return next
  }

  /** Opens the demo workspace, creating it from resources/ when missing or when asked to start afresh. */
  async openDemo(recreate = false): Promise<Workspace> {
    const path = this.demoPath
    if (recreate || !existsSync(path)) {
      if (this.ws?.path === path) {
        this.ws.close()
        this.ws = null
      }
      for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true })
      // The demo folder is the app's own (an older version made it 0755): 0700.
      privateDir(dirname(path))
      const ws = await Workspace.open(path, { create: true, deviceId: this.appData.deviceId, env: this.env })
      try {
        seedDemo(ws, this.resourcesDir, this.appData.deviceId)
      } finally {
        ws.close()
      }
    }
    return this.open(path)
  }

  /** Opens the last workspace used, else the demo. */
  async openInitial(explicit?: string): Promise<Workspace> {
    if (explicit) return this.open(explicit, true)
    for (const r of this.appData.recent) {
      if (!existsSync(r.path)) continue
      try {
        return await this.open(r.path)
      } catch {
        // fall through to the next one, then the demo
      }
    }
    return this.openDemo()
  }

  /** Reopens one of the recent workspaces; only paths on the recent list are accepted. */
  async openRecent(path: string): Promise<Workspace> {
    if (!this.appData.recent.some((r) => r.path === path)) throw new AppError('workspace.not_found', { path })
    if (!existsSync(path)) {
      this.appData.removeRecent(path)
      throw new AppError('workspace.not_found', { path })
    }
    return this.open(path)
  }

  recent(): { path: string; name: string; openedAt: string; exists: boolean; current: boolean }[] {
    return this.appData.recent.map((r) => ({
      ...r,
      name: basename(r.path).replace(/\.puente$/, ''),
      exists: existsSync(r.path),
      current: this.ws?.path === r.path
    }))
  }

  async backupNow(): Promise<string> {
    const ws = this.requireWorkspace()
    return ws.backupTo(ws.defaultBackupPath())
  }

  /** The language the user reads the app in (for previews and exports): the saved choice, else the organisation's. */
  uiLanguage(): Language {
    return this.appData.language ?? getOrganisation(this.requireWorkspace()).defaultLanguage
  }

  close(): void {
    this.ws?.close()
    this.ws = null
  }
}
