import { randomBytes } from 'node:crypto'
import { closeSync, existsSync, fsyncSync, linkSync, openSync, readdirSync, rmSync, statSync, truncateSync, unlinkSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import Database from 'better-sqlite3'
import { AppError } from '../../shared/errors.ts'
import type { Env } from '../common/env.ts'
import { privateDir, privateFile } from '../common/private.ts'

/**
 * Automatic backups of a workspace, in the `backups` folder beside it (the app's own folder, 0700; files
 * 0600). One is taken when a workspace is opened (at most one a day), before every bulk operation (a
 * price-list import, an order import, a consolidation run; marked in api/map.ts) and before a restore;
 * the user can take one by hand. The copy taken before a migration lies beside the workspace (see
 * workspace.ts) and is written and verified the same way.
 *
 * - Every backup is a consistent snapshot (`VACUUM INTO`, one self-contained file without -wal/-shm),
 *   written under a temporary name, flushed to disk and verified before it gets its name: it opens
 *   read-only, `PRAGMA integrity_check` says ok, it holds the same workspace id and, table by table,
 *   the same number of rows as the workspace had when it was copied. A copy that fails is deleted and
 *   the backup fails; a file with a backup's name is therefore a verified backup.
 * - Names never collide and a backup never overwrites a file: `<workspace>-<UTC time to the
 *   millisecond>-<reason>-<6 random hex digits>.puente`, given by a hard link that fails when the name
 *   exists (then another suffix is drawn).
 * - Rotation keeps 7 daily, 4 weekly and 12 monthly backups: for each of the 7 newest days (UTC) that
 *   have an automatic backup, the newest of that day; the same for the 4 newest ISO weeks and the 12
 *   newest months; one backup may count for several. It deletes only automatic backups of this
 *   workspace, recognised by their full name; a backup taken by hand, older files and anything else in
 *   the folder stay.
 */

export const BACKUP_REASONS = ['open', 'import', 'consolidation', 'invoices', 'restore', 'manual'] as const
export type BackupReason = (typeof BACKUP_REASONS)[number]
/** The reasons the rotation may delete: all but a backup the user asked for. */
const ROTATED: ReadonlySet<BackupReason> = new Set(['open', 'import', 'consolidation', 'invoices', 'restore'])

export const KEEP = { daily: 7, weekly: 4, monthly: 12 } as const

/** What a backup is taken of: an open workspace (structurally, so this file needs no workspace.ts). */
export interface BackupSource {
  readonly db: Database.Database
  readonly path: string
  readonly id: string
  readonly env: Env
}

export interface BackupInfo {
  /** The file's name in the backups folder (what a restore asks for). */
  file: string
  /** When it was taken, from its name: ISO 8601 UTC. */
  takenAt: string
  reason: BackupReason
  size: number
  /** Written and verified by this version (true), or a backup named as older versions did (not verified). */
  verified: boolean
}

export function backupsDir(workspacePath: string): string {
  return join(dirname(workspacePath), 'backups')
}

function workspaceName(workspacePath: string): string {
  return basename(workspacePath).replace(/\.puente$/, '')
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
const STAMP = String.raw`(\d{4}-\d{2}-\d{2})_(\d{2})-(\d{2})-(\d{2})`

/** `2026-12-06_09-15-30-123`: the UTC time, usable in a file name on every system. */
function nameStamp(d: Date): string {
  return d.toISOString().replace('T', '_').replace(/[:.]/g, '-').slice(0, 23)
}

function backupName(workspacePath: string, at: Date, reason: BackupReason): string {
  return `${workspaceName(workspacePath)}-${nameStamp(at)}-${reason}-${randomBytes(3).toString('hex')}.puente`
}

/** The backups of the workspace at `workspacePath`, newest first. */
export function listBackups(workspacePath: string): BackupInfo[] {
  const dir = backupsDir(workspacePath)
  if (!existsSync(dir)) return []
  const name = escape(workspaceName(workspacePath))
  const current = new RegExp(`^${name}-${STAMP}-(\\d{3})-(${BACKUP_REASONS.join('|')})-[0-9a-f]{6}\\.puente$`)
  // "Back up now" of earlier versions: to the second, no reason, not verified.
  const older = new RegExp(`^${name}-${STAMP}\\.puente$`)
  const out: BackupInfo[] = []
  for (const file of readdirSync(dir)) {
    const made = current.exec(file)
    const m = made ?? older.exec(file)
    if (!m) continue
    const [, day, h, min, s, ms = '000', reason = 'manual'] = m
    const takenAt = `${day}T${h}:${min}:${s}.${ms}Z`
    if (Number.isNaN(Date.parse(takenAt))) continue
    let size: number
    try {
      const st = statSync(join(dir, file))
      if (!st.isFile()) continue
      size = st.size
    } catch {
      continue
    }
    out.push({ file, takenAt, reason: reason as BackupReason, size, verified: made !== null })
  }
  return out.sort((a, b) => (a.takenAt === b.takenAt ? b.file.localeCompare(a.file) : b.takenAt.localeCompare(a.takenAt)))
}

/** The number of rows of every table (SQLite's own tables aside). */
export function rowCounts(db: Database.Database): Record<string, number> {
  const tables = db
    .prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
    .pluck()
    .all() as string[]
  const out: Record<string, number> = {}
  for (const t of tables) out[t] = db.prepare(`SELECT count(*) FROM "${t.replace(/"/g, '""')}"`).pluck().get() as number
  return out
}

export interface Inspection {
  /** `PRAGMA integrity_check`'s first line: 'ok' for a sound file. */
  integrity: string
  /** The workspace id it holds, or null. */
  id: string | null
  /** Its schema version (user_version). */
  version: number
  counts: Record<string, number>
}

/** Opens a backup read-only (leaving nothing beside it) and looks at it; a file SQLite cannot read gives its error as `integrity`. */
export function inspectBackup(path: string): Inspection {
  let db: Database.Database | null = null
  try {
    db = new Database(path, { readonly: true, fileMustExist: true })
    const integrity = String(db.pragma('integrity_check', { simple: true }))
    const version = db.pragma('user_version', { simple: true }) as number
    let id: string | null = null
    try {
      id = (db.prepare('SELECT id FROM workspace').pluck().get() as string | undefined) ?? null
    } catch {
      id = null
    }
    return { integrity, id, version, counts: integrity === 'ok' ? rowCounts(db) : {} }
  } catch (e) {
    return { integrity: e instanceof Error ? e.message : String(e), id: null, version: 0, counts: {} }
  } finally {
    db?.close()
  }
}

/**
 * Why the file at `path` is not a sound copy of the workspace `expected.id` (with, when given, exactly
 * `expected.counts` rows per table), or null when it is.
 */
export function backupProblem(path: string, expected: { id: string | null; counts?: Record<string, number> }): string | null {
  const found = inspectBackup(path)
  if (found.integrity !== 'ok') return `integrity_check: ${found.integrity}`
  if (expected.id !== null && found.id !== expected.id) return `workspace id ${String(found.id)}, expected ${expected.id}`
  if (expected.counts) {
    const names = new Set([...Object.keys(expected.counts), ...Object.keys(found.counts)])
    for (const t of [...names].sort()) {
      if (found.counts[t] !== expected.counts[t]) return `table ${t}: ${found.counts[t] ?? 'missing'} rows, expected ${expected.counts[t] ?? 'none'}`
    }
  }
  return null
}

export function flushFile(path: string): void {
  const fd = openSync(path, 'r+')
  try {
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

/** Flushes a folder's entries (a new or renamed file in it); not possible on Windows, where it is skipped. */
export function flushDir(dir: string): void {
  let fd: number
  try {
    fd = openSync(dir, 'r')
  } catch {
    return
  }
  try {
    fsyncSync(fd)
  } catch {
    // Windows cannot flush a folder.
  } finally {
    closeSync(fd)
  }
}

/**
 * Writes a verified copy of `db` (the workspace `id`, null when it has none yet) under the first name
 * `nameAt(attempt)` gives that does not exist yet, and returns its path. Never overwrites a file.
 * Must run outside any transaction (as `VACUUM INTO` must).
 */
export function writeVerifiedCopy(db: Database.Database, id: string | null, nameAt: (attempt: number) => string): string {
  if (db.inTransaction) throw new Error('a backup is taken outside any transaction')
  const first = nameAt(0)
  const dir = dirname(first)
  const temp = join(dir, `.${basename(first)}.${randomBytes(4).toString('hex')}.partial`)
  privateFile(temp)
  try {
    // The counts are those of the snapshot VACUUM INTO copies when nothing committed in between (a
    // writer on another connection could); else again.
    let counts = rowCounts(db)
    for (let attempt = 0; ; attempt++) {
      db.prepare('VACUUM INTO ?').run(temp)
      const after = rowCounts(db)
      if (JSON.stringify(after) === JSON.stringify(counts) || attempt >= 4) break
      counts = after
      truncateSync(temp, 0)
    }
    flushFile(temp)
    const problem = backupProblem(temp, { id, counts })
    if (problem) throw new AppError('backup.invalid', { file: basename(first), problem })
    for (let attempt = 0; attempt < 100; attempt++) {
      const target = attempt === 0 ? first : nameAt(attempt)
      try {
        linkSync(temp, target)
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST') continue
        throw e
      }
      flushDir(dir)
      return target
    }
    throw new Error(`no free name for a backup like ${first}`)
  } finally {
    rmSync(temp, { force: true })
  }
}

/** Takes a verified backup of `ws` into its backups folder and returns its path. */
export function takeBackup(ws: BackupSource, reason: BackupReason): string {
  const dir = backupsDir(ws.path)
  privateDir(dir)
  const at = ws.env.now()
  return writeVerifiedCopy(ws.db, ws.id, () => join(dir, backupName(ws.path, at, reason)))
}

/** A workspace's data as its change log says it: every write is an entry, so the same count and last stamp (and schema) mean the same data. */
function stateOf(db: Database.Database): string {
  const log = db.prepare('SELECT count(*) AS n, max(ts) AS last FROM change_log').get() as { n: number; last: string | null }
  return `${String(db.pragma('user_version', { simple: true }))}|${log.n}|${log.last ?? ''}`
}

/**
 * The backup before a bulk operation: a verified backup of the current state, taken now and rotated —
 * unless the newest verified backup of this workspace already holds exactly this state (nothing was
 * written since; typically the backup taken on opening it), which then is the one to return to, and a
 * second identical copy is not written. The backup on open (once a day, as the caller decides) is always a
 * new copy: the rotation keeps one per day. Returns the backup's path.
 */
export function backupBeforeBulk(ws: BackupSource, reason: BackupReason): string {
  const newest = reason === 'open' ? undefined : listBackups(ws.path).find((b) => b.verified)
  if (newest) {
    const path = join(backupsDir(ws.path), newest.file)
    let same = false
    let db: Database.Database | null = null
    try {
      db = new Database(path, { readonly: true, fileMustExist: true })
      same = (db.prepare('SELECT id FROM workspace').pluck().get() as string | undefined) === ws.id && stateOf(db) === stateOf(ws.db)
    } catch {
      // Unreadable: not a copy to return to; a new one is taken.
    } finally {
      db?.close()
    }
    if (same) return path
  }
  const path = takeBackup(ws, reason)
  rotateBackups(ws.path)
  return path
}

const DAY = 86_400_000

/** The slots of the rotation a backup taken at `iso` falls in: its day, its ISO week (that Monday), its month. */
function slots(iso: string): { daily: string; weekly: string; monthly: string } {
  const day = iso.slice(0, 10)
  const d = new Date(`${day}T00:00:00Z`)
  const monday = new Date(d.getTime() - ((d.getUTCDay() + 6) % 7) * DAY).toISOString().slice(0, 10)
  return { daily: day, weekly: monday, monthly: day.slice(0, 7) }
}

/** Which of `backups` the rotation keeps (see the top of this file). */
export function keptByRotation(backups: readonly Pick<BackupInfo, 'file' | 'takenAt'>[], keep: typeof KEEP = KEEP): Set<string> {
  const newestFirst = [...backups].sort((a, b) => (a.takenAt === b.takenAt ? b.file.localeCompare(a.file) : b.takenAt.localeCompare(a.takenAt)))
  const kept = new Set<string>()
  for (const rule of ['daily', 'weekly', 'monthly'] as const) {
    const seen = new Set<string>()
    for (const b of newestFirst) {
      const slot = slots(b.takenAt)[rule]
      if (seen.has(slot)) continue
      if (seen.size >= keep[rule]) break
      seen.add(slot)
      kept.add(b.file)
    }
  }
  return kept
}

/** Deletes the automatic backups of the workspace at `workspacePath` the rotation does not keep; returns their names. */
export function rotateBackups(workspacePath: string): string[] {
  const automatic = listBackups(workspacePath).filter((b) => b.verified && ROTATED.has(b.reason))
  const kept = keptByRotation(automatic)
  const deleted: string[] = []
  for (const b of automatic) {
    if (kept.has(b.file)) continue
    unlinkSync(join(backupsDir(workspacePath), b.file))
    deleted.push(b.file)
  }
  return deleted
}

/** Whether a backup of the workspace at `workspacePath` was taken on the (UTC) day of `now`. */
export function backedUpOn(workspacePath: string, now: Date): boolean {
  const day = now.toISOString().slice(0, 10)
  return listBackups(workspacePath).some((b) => b.takenAt.slice(0, 10) === day)
}
