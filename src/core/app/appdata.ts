import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { z } from 'zod'
import { isLanguage, type Language } from '../../shared/reference.ts'
import type { Env } from '../common/env.ts'
import { PRIVATE_FILE, privateDir, tightenFiles } from '../common/private.ts'

/**
 * Per-installation state that belongs to no workspace: the device id, the UI language, the recently
 * opened workspaces. One small JSON file, written atomically.
 */
const fileSchema = z.object({
  deviceId: z.string().uuid(),
  language: z.string().nullable().default(null),
  recent: z.array(z.object({ path: z.string(), openedAt: z.string() })).default([])
})
type AppState = z.infer<typeof fileSchema>

export const RECENT_MAX = 10

/** The per-user folder: PUENTE_HOME if set, else the platform's config folder. */
export function defaultAppDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.PUENTE_HOME) return resolve(env.PUENTE_HOME)
  if (process.platform === 'win32' && env.APPDATA) return join(env.APPDATA, 'Puente')
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Puente')
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'Puente')
}

export class AppData {
  readonly dir: string
  private state: AppState
  private readonly file: string
  private readonly env: Env

  constructor(dir: string, env: Env) {
    this.dir = dir
    this.env = env
    this.file = join(dir, 'puente-state.json')
    // The folder holds the recent workspaces' paths and the demo: its owner's only (0700, 0600 files).
    privateDir(dir)
    tightenFiles(this.file)
    this.state = this.load()
  }

  private load(): AppState {
    if (existsSync(this.file)) {
      try {
        return fileSchema.parse(JSON.parse(readFileSync(this.file, 'utf8')))
      } catch {
        // A damaged state file must not stop the app: keep a copy and start afresh.
        renameSync(this.file, `${this.file}.damaged`)
        tightenFiles(`${this.file}.damaged`)
      }
    }
    const fresh: AppState = { deviceId: this.env.uuid(), language: null, recent: [] }
    this.write(fresh)
    return fresh
  }

  private write(state: AppState): void {
    privateDir(dirname(this.file))
    const tmp = `${this.file}.tmp`
    writeFileSync(tmp, JSON.stringify(state, null, 2), { mode: PRIVATE_FILE })
    // `mode` only applies to a new file: a .tmp left over by a crash keeps its own unless set here.
    chmodSync(tmp, PRIVATE_FILE)
    renameSync(tmp, this.file)
    this.state = state
  }

  get deviceId(): string {
    return this.state.deviceId
  }

  get language(): Language | null {
    return isLanguage(this.state.language) ? this.state.language : null
  }

  setLanguage(language: Language): void {
    this.write({ ...this.state, language })
  }

  get recent(): readonly { path: string; openedAt: string }[] {
    return this.state.recent
  }

  addRecent(path: string): void {
    const full = resolve(path)
    const recent = [
      { path: full, openedAt: this.env.now().toISOString() },
      ...this.state.recent.filter((r) => r.path !== full)
    ].slice(0, RECENT_MAX)
    this.write({ ...this.state, recent })
  }

  removeRecent(path: string): void {
    this.write({ ...this.state, recent: this.state.recent.filter((r) => r.path !== resolve(path)) })
  }
}
