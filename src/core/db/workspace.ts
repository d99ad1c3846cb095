import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import Database from 'better-sqlite3'
import { AppError } from '../../shared/errors.ts'
import { APP_VERSION, type Env, stamp, systemEnv } from '../common/env.ts'
import { privateDir, privateFile, privateParents, tightenExisting, tightenFiles } from '../common/private.ts'
import { backupsDir, writeVerifiedCopy } from './backups.ts'
import { HybridClock, nodeOf } from './clock.ts'
import { forgetTables } from './tables.ts'
import { MIGRATIONS, type Migration } from './migrations/index.ts'
import { SNAPSHOT_SQL, SNAPSHOT_VERSION } from './schema.ts'
import { Writer } from './writer.ts'

/** Marks a SQLite file as a Puente workspace ("PNTE" in the file header). */
export const APPLICATION_ID = 0x504e5445

export interface OpenOptions {
  /** Create the file when it does not exist (otherwise `workspace.not_found`). */
  create?: boolean
  deviceId: string
  env?: Env
  /** Only for tests: the migration list to apply instead of the bundled one. */
  migrations?: readonly Migration[]
}

interface Probe {
  version: number
  empty: boolean
}

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1')

/**
 * Reads a file's identity and schema version without opening a connection: from its 100-byte SQLite
 * header and, when a write-ahead log lies beside it, from the newest committed copy of that header in
 * the log (see `walHeader`). A file we refuse (not ours, or from a newer app) is left exactly as it was:
 * the file, its -wal and its -shm keep every byte, and no -wal/-shm files appear beside it. The version
 * is kept in the header's user_version by every migration.
 */
function probe(path: string, latest: number): Probe {
  const size = statSync(path).size
  if (size === 0) return { version: 0, empty: true }
  let header = readAt(path, 0, 100)
  if (size < 100 || !header.subarray(0, 16).equals(SQLITE_MAGIC)) throw new AppError('workspace.not_puente', { path })
  let pages = header.readUInt32BE(28)
  // With a write-ahead log beside it (the file is open elsewhere, or the app stopped before it could
  // fold the log in), the header on disk can be older than the database: the log's copy counts.
  const wal = `${path}-wal`
  if (existsSync(wal) && statSync(wal).size > 0) {
    const logged = walHeader(wal)
    if (logged) {
      if (logged.page1) header = logged.page1
      pages = logged.pages
    }
  }
  const userVersion = header.readUInt32BE(60)
  const appId = header.readInt32BE(68)
  // A new, empty SQLite file (one page, the schema page) may become a workspace.
  if (appId === 0 && userVersion === 0 && pages <= 1) return { version: 0, empty: true }
  if (appId !== APPLICATION_ID) throw new AppError('workspace.not_puente', { path })
  if (userVersion > latest) throw new AppError('workspace.too_new', { path, version: userVersion, supported: latest })
  return { version: userVersion, empty: false }
}

function readAt(path: string, position: number, length: number): Buffer {
  const buf = Buffer.alloc(length)
  const fd = openSync(path, 'r')
  try {
    readSync(fd, buf, 0, length, position)
  } finally {
    closeSync(fd)
  }
  return buf
}

const WAL_MAGIC_LE = 0x377f0682
const WAL_MAGIC_BE = 0x377f0683

/** SQLite's WAL checksum over `buf[start, end)`, continuing from `s` (https://sqlite.org/fileformat2.html#wal_file_format). */
function walChecksum(buf: Buffer, start: number, end: number, s: [number, number], bigEndian: boolean): [number, number] {
  let [s0, s1] = s
  for (let i = start; i < end; i += 8) {
    const a = bigEndian ? buf.readUInt32BE(i) : buf.readUInt32LE(i)
    const b = bigEndian ? buf.readUInt32BE(i + 4) : buf.readUInt32LE(i + 4)
    s0 = (s0 + a + s1) >>> 0
    s1 = (s1 + b + s0) >>> 0
  }
  return [s0, s1]
}

/**
 * What a write-ahead log says of the database, read as SQLite's own recovery reads it, with plain file
 * reads (no connection, so nothing is checkpointed, written or deleted): the frames whose salts match
 * the log's header and whose running checksums hold, up to the last commit frame. Gives the newest
 * committed copy of page 1's first 100 bytes (null when no committed frame holds page 1) and the
 * database's size in pages after that commit; null when the log holds no valid commit.
 */
function walHeader(wal: string): { page1: Buffer | null; pages: number } | null {
  const fd = openSync(wal, 'r')
  try {
    const head = Buffer.alloc(32)
    if (readSync(fd, head, 0, 32, 0) < 32) return null
    const magic = head.readUInt32BE(0)
    if (magic !== WAL_MAGIC_LE && magic !== WAL_MAGIC_BE) return null
    const bigEndian = magic === WAL_MAGIC_BE
    const pageSize = head.readUInt32BE(8)
    if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) return null
    let sum = walChecksum(head, 0, 24, [0, 0], bigEndian)
    if (sum[0] !== head.readUInt32BE(24) || sum[1] !== head.readUInt32BE(28)) return null
    const salt1 = head.readUInt32BE(16)
    const salt2 = head.readUInt32BE(20)
    const frame = Buffer.alloc(24 + pageSize)
    // The newest page 1 seen, and what the last commit frame made of the database.
    let pending: Buffer | null = null
    let page1: Buffer | null = null
    let pages = 0
    for (let at = 32; readSync(fd, frame, 0, frame.length, at) === frame.length; at += frame.length) {
      if (frame.readUInt32BE(8) !== salt1 || frame.readUInt32BE(12) !== salt2) break
      sum = walChecksum(frame, 0, 8, sum, bigEndian)
      sum = walChecksum(frame, 24, frame.length, sum, bigEndian)
      if (sum[0] !== frame.readUInt32BE(16) || sum[1] !== frame.readUInt32BE(20)) break
      const page = frame.readUInt32BE(0)
      if (page === 0) break
      if (page === 1) pending = Buffer.from(frame.subarray(24, 124))
      const commitSize = frame.readUInt32BE(4)
      if (commitSize > 0) {
        page1 = pending
        pages = commitSize
      }
    }
    return pages > 0 ? { page1, pages } : null
  } finally {
    closeSync(fd)
  }
}

function fileStamp(env: Env): string {
  return stamp(env).replace(/[:.]/g, '-').replace('T', '_').slice(0, 19)
}

/**
 * A workspace: one SQLite file holding everything of one organisation. Opening it applies the pending
 * migrations, each in its own transaction, after taking a backup of an existing file.
 */
export class Workspace {
  readonly db: Database.Database
  readonly path: string
  readonly id: string
  readonly createdAt: string
  /** The backup taken before this open migrated the file, if it did. */
  readonly migrationBackup: string | null
  readonly env: Env
  /** The installation (laptop) this connection writes as: the device of its change-log stamps and numbers. */
  readonly deviceId: string
  private writer: Writer | null = null
  private hlc: HybridClock | null = null

  private constructor(db: Database.Database, path: string, env: Env, deviceId: string, migrationBackup: string | null) {
    this.db = db
    this.path = path
    this.env = env
    this.deviceId = deviceId
    this.migrationBackup = migrationBackup
    const row = db.prepare('SELECT id, created_at FROM workspace').get() as { id: string; created_at: string }
    this.id = row.id
    this.createdAt = row.created_at
  }

  static async open(path: string, options: OpenOptions): Promise<Workspace> {
    const env = options.env ?? systemEnv
    const migrations = options.migrations ?? MIGRATIONS
    const latest = migrations[migrations.length - 1]!.version
    const exists = existsSync(path)
    if (!exists && !options.create) throw new AppError('workspace.not_found', { path })
    if (!exists) {
      // A new file is made 0600 before SQLite opens it; its -wal and -shm files take the same mode.
      privateParents(dirname(path))
      privateFile(path)
    }
    const before = exists ? probe(path, latest) : { version: 0, empty: true }

    const db = new Database(path)
    try {
      db.pragma('busy_timeout = 5000')
      db.pragma('foreign_keys = ON')
      const current = before.empty ? 0 : (db.pragma('user_version', { simple: true }) as number)
      if (current > latest) throw new AppError('workspace.too_new', { path, version: current, supported: latest })
      // A workspace an older version made readable by others (0644), and its backups, become private now.
      if (exists) for (const p of [path, `${path}-wal`, `${path}-shm`, backupsDir(path)]) tightenExisting(p)
      const pending = migrations.filter((m) => m.version > current)
      let backup: string | null = null
      if (pending.length > 0 && !before.empty) {
        // Verified like every backup (backups.ts), and never over an earlier copy of the same second.
        const name = `${basename(path)}.v${current}-${fileStamp(env)}`
        const id = hasWorkspaceRow(db) ? (db.prepare('SELECT id FROM workspace').pluck().get() as string) : null
        backup = writeVerifiedCopy(db, id, (n) => join(dirname(path), n === 0 ? `${name}.bak` : `${name}-${n + 1}.bak`))
      }
      if (before.empty) {
        // A new file holds nothing yet: it is written in one transaction without waiting for the disk (a
        // crash leaves it empty or complete), from the schema snapshot when the migrations are the
        // bundled ones, and made durable by one checkpoint before open returns.
        db.pragma('synchronous = OFF')
        db.pragma('journal_mode = WAL')
        // A new workspace's identity comes first, before any migration writes data.
        const newId = env.uuid()
        db.transaction(() => {
          migrate(db, pending, env, options.deviceId, snapshotFor(migrations))
          initialise(db, env, newId, options.deviceId)
        })()
        db.pragma('synchronous = NORMAL')
        db.pragma('wal_checkpoint(PASSIVE)')
        tightenFiles(`${path}-wal`, `${path}-shm`)
      } else {
        db.pragma('journal_mode = WAL')
        db.pragma('synchronous = NORMAL')
        migrate(db, pending, env, options.deviceId)
      }
      return new Workspace(db, path, env, options.deviceId, backup)
    } catch (e) {
      db.close()
      throw e
    }
  }

  /** The hybrid logical clock of this connection's changes. */
  get clock(): HybridClock {
    return (this.hlc ??= new HybridClock(this.db, nodeOf(this.deviceId)))
  }

  /** The one writer: every change to the workspace's data goes through it (see writer.ts). */
  get write(): Writer {
    return (this.writer ??= new Writer(this.db, this.env, this.clock))
  }

  get schemaVersion(): number {
    return this.db.pragma('user_version', { simple: true }) as number
  }

  /** A consistent copy of the live file, safe while it is in use. */
  async backupTo(target: string): Promise<string> {
    // The backups folder beside the workspace is the app's own: 0700 (also when an older version made it).
    const dir = dirname(target)
    if (dir === join(dirname(this.path), 'backups')) privateDir(dir)
    else privateParents(dir)
    await privateCopy(this.db, target)
    return target
  }

  /**
   * Runs `commit`, which opens and commits its own transaction, with `synchronous = FULL`: the commit is
   * on disk when it returns, also through a power loss (in WAL mode with NORMAL, the workspace's
   * setting, the last commits before a power loss can be lost, never the file's integrity). For commits
   * that issue numbers or record payments (api/map.ts marks their methods `durable`). SQLite cannot
   * change the setting inside a transaction, so it is set before BEGIN and back after COMMIT.
   */
  durably<T>(commit: () => T): T {
    if (this.db.inTransaction) throw new Error('a durable commit starts outside any transaction')
    this.db.pragma('synchronous = FULL')
    try {
      return commit()
    } finally {
      this.db.pragma('synchronous = NORMAL')
    }
  }

  close(): void {
    if (this.db.open) this.db.close()
  }
}

/** A consistent copy of `db` at `target`, a file only its owner can read (0600, with its journal files). */
async function privateCopy(db: Database.Database, target: string): Promise<void> {
  privateFile(target)
  await db.backup(target)
  tightenFiles(target, `${target}-journal`, `${target}-wal`, `${target}-shm`)
}

function hasWorkspaceRow(db: Database.Database): boolean {
  return db.prepare(`SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'workspace'`).get() !== undefined
}

/** The version up to which the snapshot stands for `migrations` (0 when they are not the bundled ones). */
function snapshotFor(migrations: readonly Migration[]): number {
  const same = SNAPSHOT_VERSION <= MIGRATIONS.length && MIGRATIONS.slice(0, SNAPSHOT_VERSION).every((m, i) => migrations[i] === m)
  return same ? SNAPSHOT_VERSION : 0
}

/**
 * Applies the pending migrations, each in its own transaction (nested in the caller's for a new file).
 * `snapshot`: on a new file, the schema and rows up to that version come from the snapshot in one go
 * (schema.ts); those migrations' bookkeeping and `after` work run as usual.
 */
function migrate(db: Database.Database, pending: readonly Migration[], env: Env, deviceId: string, snapshot = 0): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT`)
  const upTo = pending[0]?.version === 1 ? Math.min(snapshot, pending[pending.length - 1]!.version) : 0
  if (upTo) db.exec(SNAPSHOT_SQL)
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
  for (const m of pending) {
    db.transaction(() => {
      if (m.version > upTo) db.exec(m.sql)
      m.after?.(db, env, deviceId)
      record.run(m.version, m.name, stamp(env))
      db.pragma(`user_version = ${m.version}`)
    })()
  }
  // The writer reads the tables' columns once per connection: after a migration, afresh.
  forgetTables(db)
}

function initialise(db: Database.Database, env: Env, id: string, deviceId: string): void {
  db.transaction(() => {
    db.pragma(`application_id = ${APPLICATION_ID}`)
    const now = stamp(env)
    db.prepare(
      'INSERT INTO workspace (id, created_at, updated_at, created_by_device, created_with_version) VALUES (?, ?, ?, ?, ?)'
    ).run(id, now, now, deviceId, APP_VERSION)
  })()
}
