import { randomBytes } from 'node:crypto'
import { copyFileSync, existsSync, rmSync, renameSync, statSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import { AppError } from '../../shared/errors.ts'
import type { AppEvent } from '../../shared/events.ts'
import { AppData } from './appdata.ts'
import { Workspace } from '../db/workspace.ts'
import { backedUpOn, type BackupInfo, type BackupReason, backupProblem, backupsDir, flushDir, flushFile, inspectBackup, listBackups, rotateBackups, takeBackup } from '../db/backups.ts'
import { LATEST_SCHEMA_VERSION } from '../db/migrations/index.ts'
import { type Env, systemEnv } from '../common/env.ts'
import { Jobs } from './jobs.ts'
import { BACKUP_JOB } from './backupJob.ts'
import { privateDir, privateFile } from '../common/private.ts'
import type { Language } from '../../shared/reference.ts'
import { getOrganisation } from '../settings/organisation.ts'
import { seedDemo } from './demo.ts'

export interface SessionOptions {
  appDataDir: string
  /** The folder with the demo seed (`demo/organisation.json`, …): the project's `resources/`. */
  resourcesDir: string
  env?: Env
  /** The job worker's entry (app/jobs.ts); its source by default, the bundled copy in Electron. */
  jobWorker?: URL | string
}

/**
 * The running app's state: the open workspace, the per-installation data, and the events views listen
 * to. The same in Electron and in the browser host; only how a file is picked differs.
 */
export class Session {
  readonly appData: AppData
  readonly env: Env
  readonly resourcesDir: string
  /** Long work (imports) in worker threads, with progress events and cancel. */
  readonly jobs: Jobs
  private ws: Workspace | null = null
  private readonly listeners = new Set<(e: AppEvent) => void>()

  constructor(options: SessionOptions) {
    this.env = options.env ?? systemEnv
    this.appData = new AppData(options.appDataDir, this.env)
    this.resourcesDir = options.resourcesDir
    this.jobs = new Jobs(
      {
        env: this.env,
        systemEnv: this.env === systemEnv,
        emit: (e) => this.emit(e),
        target: () => ({ path: this.requireWorkspace().path, deviceId: this.appData.deviceId })
      },
      options.jobWorker
    )
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
    // A job writing to the current workspace finishes first.
    await this.jobs.writesDone()
    const full = resolve(path)
    const existed = existsSync(full)
    const next = await Workspace.open(full, { create, deviceId: this.appData.deviceId, env: this.env })
    this.ws?.close()
    this.ws = next
    this.appData.addRecent(full)
    // The backup on open, at most one a day (a file made just now holds nothing to lose), in the job
    // worker: the main thread stays free while a large workspace is copied and verified.
    if (existed && !backedUpOn(full, this.env.now())) {
      try {
        await this.backupInWorker('open')
        this.emit({ type: 'changed', topics: ['backups'] })
      } catch (e) {
        // Opening goes on; the next open tries again.
        console.error('[puente] the backup on open failed', e)
      }
    }
    this.emit({ type: 'workspace', path: full })
    return next
  }

  /** Opens the demo workspace, creating it from resources/ when missing or when asked to start afresh. */
  async openDemo(recreate = false): Promise<Workspace> {
    const path = this.demoPath
    if (recreate || !existsSync(path)) {
      await this.jobs.writesDone()
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

  /** "Back up now": a verified backup into the backups folder, never deleted by the rotation. */
  async backupNow(): Promise<string> {
    const path = takeBackup(this.requireWorkspace(), 'manual')
    this.emit({ type: 'changed', topics: ['backups'] })
    return path
  }

  /**
   * An automatic backup (verified, then the rotation); see db/backups.ts. `announce: false` leaves telling
   * the UI to the caller (dispatch does once the operation the backup was for has succeeded, so that a
   * refused call announces nothing).
   */
  autoBackup(reason: BackupReason, announce = true): string {
    const ws = this.requireWorkspace()
    const path = takeBackup(ws, reason)
    rotateBackups(ws.path)
    if (announce) this.emit({ type: 'changed', topics: ['backups'] })
    return path
  }

  /**
   * The backup before a bulk operation that is not itself a job (api/map.ts marks which), taken in the job
   * worker (backupBeforeBulk there: a verified copy, unless the newest one holds this very state). When it
   * cannot be taken, the operation does not run (`backup.failed`).
   */
  async backupBefore(reason: BackupReason): Promise<void> {
    this.requireWorkspace()
    await this.backupInWorker(reason)
  }

  /** Runs the backup job (app/backupJob.ts) for a reason; the worker refuses with `backup.failed`. */
  private backupInWorker(reason: BackupReason): Promise<unknown> {
    return this.jobs.run(BACKUP_JOB, null, { writes: true, backupBefore: reason })
  }

  /** The current workspace's backups, newest first. */
  backups(): BackupInfo[] {
    return listBackups(this.requireWorkspace().path)
  }

  /**
   * Puts the backup `file` (a name from `backups()`) in place of the current workspace's file: the
   * backup is checked (sound, the same workspace, not from a newer version), the current state is backed
   * up first, then the workspace is closed, the backup copied to a temporary file in the same folder,
   * flushed and checked again, and renamed over the workspace file (one atomic step), and the workspace
   * reopened (migrated when the backup is older). Until the rename the file stays as it was; when
   * anything fails the workspace is reopened as it was.
   */
  async restoreBackup(file: string): Promise<{ file: string; safety: string }> {
    await this.jobs.writesDone()
    const ws = this.requireWorkspace()
    const path = ws.path
    if (!listBackups(path).some((b) => b.file === file)) throw new AppError('backup.not_found', { file })
    const source = join(backupsDir(path), file)
    const problem = backupProblem(source, { id: ws.id })
    if (problem) throw new AppError('backup.invalid', { file, problem })
    const version = inspectBackup(source).version
    if (version > LATEST_SCHEMA_VERSION) throw new AppError('workspace.too_new', { path: source, version, supported: LATEST_SCHEMA_VERSION })

    // Not rotated now: the rotation would keep this newer backup of the day in place of the one restored.
    const safety = takeBackup(ws, 'restore')
    this.emit({ type: 'changed', topics: ['backups'] })
    const temp = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.restoring`)
    try {
      privateFile(temp)
      copyFileSync(source, temp)
      privateFile(temp)
      flushFile(temp)
      const copied = backupProblem(temp, { id: ws.id })
      if (copied) throw new AppError('backup.invalid', { file, problem: copied })
      ws.close()
      this.ws = null
      // Closed by its last connection, the workspace folds its log back and removes it; a log still
      // there means another program has the file open: leave it alone.
      if (existsSync(`${path}-wal`) && statSync(`${path}-wal`).size > 0) throw new AppError('workspace.busy')
      rmSync(`${path}-wal`, { force: true })
      rmSync(`${path}-shm`, { force: true })
      renameSync(temp, path)
      flushDir(dirname(path))
    } catch (e) {
      rmSync(temp, { force: true })
      if (!this.ws) await this.open(path)
      throw e
    }
    await this.open(path)
    return { file, safety: basename(safety) }
  }

  /** The language the user reads the app in (for previews and exports): the saved choice, else the organisation's. */
  uiLanguage(): Language {
    return this.appData.language ?? getOrganisation(this.requireWorkspace()).defaultLanguage
  }

  close(): void {
    this.jobs.stopAll()
    this.ws?.close()
    this.ws = null
  }
}
