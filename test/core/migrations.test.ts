import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { APPLICATION_ID, Workspace } from '../../src/core/db/workspace.ts'
import { LATEST_SCHEMA_VERSION, MIGRATIONS, type Migration } from '../../src/core/db/migrations/index.ts'
import { SNAPSHOT_SQL, SNAPSHOT_VERSION } from '../../src/core/db/schema.ts'
import { getOrganisation, organisationInput, saveOrganisation } from '../../src/core/settings/organisation.ts'
import { squash } from '../../scripts/schema-snapshot.ts'
import { AppError } from '../../src/shared/errors.ts'
import { frozenEnv } from '../support/env.ts'
import i18next from 'i18next'
import { resources } from '../../src/shared/i18n/index.ts'

/** "PNTE" in ASCII, written out by hand so the test does not trust the constant alone. */
const PNTE = 0x50 * 2 ** 24 + 0x4e * 2 ** 16 + 0x54 * 2 ** 8 + 0x45

const PACKAGE_VERSION = (
  JSON.parse(readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8')) as { version: string }
).version

/** The newest bundled schema version, and one more for the test-only migrations. */
const N = MIGRATIONS[MIGRATIONS.length - 1]!.version
const EXTRA: Migration = { version: N + 1, name: 'test', sql: 'CREATE TABLE extra (id TEXT PRIMARY KEY) STRICT;' }

/** The instant a frozen clock shows unless a test picks another (ids count 00000000-0000-4000-8000-000000000001, …). */
const AT = '2026-03-04T05:06:07.089Z'

const i18nDe = i18next.createInstance()
await i18nDe.init({ resources, lng: 'de', interpolation: { escapeValue: false } })

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex')
}

function listing(dir: string): string[] {
  return readdirSync(dir).sort()
}

/** Opens a file with plain better-sqlite3 (not through Workspace) to look at what is really on disk. */
function inspect<T>(path: string, look: (db: Database.Database) => T): T {
  const db = new Database(path, { readonly: true, fileMustExist: true })
  try {
    return look(db)
  } finally {
    db.close()
  }
}

const versionsOf = (db: Database.Database) =>
  (db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as { version: number }[]).map(
    (r) => r.version
  )
const tableExists = (db: Database.Database, name: string) =>
  db.prepare(`SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?`).get(name) !== undefined

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p
  } catch (e) {
    return e
  }
  throw new Error('expected the promise to reject')
}

let dir: string
const opened: Workspace[] = []
async function open(path: string, options: Parameters<typeof Workspace.open>[1]): Promise<Workspace> {
  const ws = await Workspace.open(path, options)
  opened.push(ws)
  return ws
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'puente-'))
})
afterEach(() => {
  for (const ws of opened.splice(0)) ws.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('a fresh workspace', () => {
  it('applies every bundled migration and marks the file as Puente', async () => {
    const path = join(dir, 'nested', 'folder', 'Neu.puente')
    const ws = await open(path, { create: true, deviceId: 'device-fresh', env: frozenEnv(AT) })

    expect(existsSync(path)).toBe(true)
    expect(APPLICATION_ID).toBe(PNTE)
    expect(ws.db.pragma('application_id', { simple: true })).toBe(PNTE)
    expect(ws.db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(ws.db.pragma('foreign_keys', { simple: true })).toBe(1)

    const applied = ws.db.prepare('SELECT version, name, applied_at FROM schema_migrations ORDER BY version').all()
    expect(applied).toEqual(MIGRATIONS.map((m) => ({ version: m.version, name: m.name, applied_at: '2026-03-04T05:06:07.089Z' })))
    expect(applied.length).toBeGreaterThanOrEqual(1)
    expect(ws.schemaVersion).toBe(N)
    expect(LATEST_SCHEMA_VERSION).toBe(N)

    const rows = ws.db.prepare('SELECT * FROM workspace').all()
    expect(rows).toEqual([
      {
        id: '00000000-0000-4000-8000-000000000001',
        created_at: '2026-03-04T05:06:07.089Z',
        updated_at: '2026-03-04T05:06:07.089Z',
        created_by_device: 'device-fresh',
        created_with_version: PACKAGE_VERSION
      }
    ])
    expect(ws.id).toBe('00000000-0000-4000-8000-000000000001')
    expect(ws.createdAt).toBe('2026-03-04T05:06:07.089Z')
    expect(ws.path).toBe(path)
    expect(ws.migrationBackup).toBeNull()
    expect(ws.db.prepare('SELECT count(*) AS n FROM organisation').get()).toEqual({ n: 0 })
    ws.close()

    // What is on disk after closing: the same marks, read without Workspace.
    expect(listing(dirname(path))).toEqual(['Neu.puente'])
    inspect(path, (db) => {
      expect(db.pragma('application_id', { simple: true })).toBe(PNTE)
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
      expect(versionsOf(db)).toEqual(MIGRATIONS.map((m) => m.version))
    })
  })

  it('reopening an up-to-date workspace takes no backup and keeps its identity', async () => {
    const path = join(dir, 'a.puente')
    const first = await open(path, { create: true, deviceId: 'device-a', env: frozenEnv(AT) })
    const id = first.id
    first.close()

    const again = await open(path, { deviceId: 'device-b', env: frozenEnv('2027-01-01T00:00:00.000Z') })
    expect(again.migrationBackup).toBeNull()
    expect(again.id).toBe(id)
    expect(again.schemaVersion).toBe(N)
    expect(again.db.prepare('SELECT count(*) AS n FROM workspace').get()).toEqual({ n: 1 })
    expect(again.db.prepare('SELECT created_by_device AS d FROM workspace').get()).toEqual({ d: 'device-a' })
    expect(again.db.prepare('SELECT count(*) AS n FROM schema_migrations').get()).toEqual({ n: MIGRATIONS.length })
    again.close()
    expect(listing(dir)).toEqual(['a.puente'])
  })

  it('opens a workspace whose migration is still in its write-ahead log (open elsewhere, or the app stopped)', async () => {
    const path = join(dir, 'w.puente')
    ;(await open(path, { create: true, deviceId: 'device-a', env: frozenEnv(AT), migrations: MIGRATIONS.slice(0, N - 1) })).close()
    // The upgrade to the newest schema is written to the log, not yet back into the file.
    const first = await open(path, { deviceId: 'device-a', env: frozenEnv(AT) })
    expect(first.schemaVersion).toBe(N)
    expect(statSync(`${path}-wal`).size).toBeGreaterThan(0)
    expect(readFileSync(path).subarray(0, 100).readUInt32BE(60)).toBe(N - 1)

    // A second connection while the first is open, and a copy of both files as a crash leaves them:
    // the header on disk says N - 1, the database says N (trusting the header would migrate again).
    const second = await open(path, { deviceId: 'device-a' })
    expect(second.id).toBe(first.id)
    expect(second.schemaVersion).toBe(N)
    expect(second.migrationBackup).toBeNull()
    second.close()
    const copy = join(dir, 'crashed.puente')
    writeFileSync(copy, readFileSync(path))
    writeFileSync(`${copy}-wal`, readFileSync(`${path}-wal`))
    first.close()
    const reopened = await open(copy, { deviceId: 'device-a' })
    expect(reopened.id).toBe(first.id)
    expect(reopened.schemaVersion).toBe(N)
    expect(reopened.migrationBackup).toBeNull()
    reopened.close()
  })

  it('a workspace whose whole creation is still in its write-ahead log is opened, not taken for an empty file', async () => {
    // As an earlier Puente left a new workspace when it stopped before folding the log back: the file's
    // header is that of an empty SQLite file, everything else is in the -wal beside it.
    const path = join(dir, 'unfolded.puente')
    const raw = new Database(path)
    raw.pragma('journal_mode = WAL')
    raw.pragma('wal_autocheckpoint = 0')
    raw.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT')
    for (const m of MIGRATIONS) {
      raw.exec(m.sql)
      raw.prepare('INSERT INTO schema_migrations VALUES (?, ?, ?)').run(m.version, m.name, AT)
    }
    raw.pragma(`user_version = ${N}`)
    raw.pragma(`application_id = ${PNTE}`)
    raw.prepare('INSERT INTO workspace VALUES (?, ?, ?, ?, ?)').run('9c0ffee0-0000-4000-8000-000000000001', AT, AT, 'device-old', '0.0.9')
    const copy = join(dir, 'stopped.puente')
    writeFileSync(copy, readFileSync(path))
    writeFileSync(`${copy}-wal`, readFileSync(`${path}-wal`))
    raw.close()
    expect(readFileSync(copy).subarray(0, 100).readUInt32BE(60)).toBe(0)

    const ws = await open(copy, { deviceId: 'device-new' })
    expect(ws.id).toBe('9c0ffee0-0000-4000-8000-000000000001')
    expect(ws.schemaVersion).toBe(N)
    expect(ws.migrationBackup).toBeNull()
  })

  it('initialises an empty (0 byte) file', async () => {
    const path = join(dir, 'empty.puente')
    writeFileSync(path, '')
    expect(statSync(path).size).toBe(0)

    const ws = await open(path, { deviceId: 'device-empty', env: frozenEnv(AT) })
    expect(ws.schemaVersion).toBe(N)
    expect(ws.migrationBackup).toBeNull()
    expect(ws.db.pragma('application_id', { simple: true })).toBe(PNTE)
    expect(ws.db.prepare('SELECT id, created_by_device FROM workspace').all()).toEqual([
      { id: '00000000-0000-4000-8000-000000000001', created_by_device: 'device-empty' }
    ])
    ws.close()
    expect(statSync(path).size).toBeGreaterThan(0)
    expect(listing(dir)).toEqual(['empty.puente'])
  })
})

describe('the schema snapshot new workspaces are created from', () => {
  it('is what the bundled migrations build (after a new migration: node scripts/schema-snapshot.ts)', () => {
    expect(SNAPSHOT_VERSION).toBe(N)
    expect(SNAPSHOT_SQL.trim()).toBe(squash(MIGRATIONS).trim())
    // It holds the rows migrations write too: the currencies, VAT rates and number formats.
    expect(SNAPSHOT_SQL).toContain("INSERT INTO currency")
    expect(SNAPSHOT_SQL).toContain("INSERT INTO number_format")
  })

  it('a workspace created from it equals one created migration by migration: schema, rows, bookkeeping', async () => {
    const fromSnapshot = await open(join(dir, 'snapshot.puente'), { create: true, deviceId: 'd', env: frozenEnv(AT) })
    // Copies of the bundled migrations are not the bundled ones: this one is built migration by migration.
    const copies = MIGRATIONS.map((m) => ({ ...m }))
    const stepwise = await open(join(dir, 'stepwise.puente'), { create: true, deviceId: 'd', env: frozenEnv(AT), migrations: copies })
    const look = (db: Database.Database) => {
      const tables = db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name`).pluck().all() as string[]
      return {
        schema: db.prepare('SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY rowid').all(),
        rows: Object.fromEntries(tables.map((t) => [t, db.prepare(`SELECT * FROM ${t}`).all()])),
        version: db.pragma('user_version', { simple: true }),
        application: db.pragma('application_id', { simple: true })
      }
    }
    expect(look(fromSnapshot.db)).toEqual(look(stepwise.db))
  })

  it('a migration newer than the snapshot runs on top of it', async () => {
    const ws = await open(join(dir, 'later.puente'), { create: true, deviceId: 'd', env: frozenEnv(AT), migrations: [...MIGRATIONS, EXTRA] })
    expect(ws.schemaVersion).toBe(N + 1)
    expect(tableExists(ws.db, 'extra')).toBe(true)
    expect(versionsOf(ws.db)).toEqual([...MIGRATIONS.map((m) => m.version), N + 1])
  })

  it('a new workspace is on disk when open returns: nothing waits in the write-ahead log', async () => {
    const path = join(dir, 'durable.puente')
    const ws = await open(path, { create: true, deviceId: 'd', env: frozenEnv(AT) })
    // The header on disk already tells the version (the checkpoint wrote the pages back).
    expect(readFileSync(path).subarray(0, 100).readUInt32BE(60)).toBe(N)
    expect(ws.db.pragma('synchronous', { simple: true })).toBe(1)
  })
})

describe('upgrading an older schema', () => {
  it('applies the new migration after taking a backup that still has the old version', async () => {
    const path = join(dir, 'old.puente')
    const old = await open(path, { create: true, deviceId: 'device-old', env: frozenEnv(AT) })
    const id = old.id
    old.close()

    const ws = await open(path, {
      deviceId: 'device-new',
      env: frozenEnv('2026-05-06T07:08:09.123Z'),
      migrations: [...MIGRATIONS, EXTRA]
    })
    expect(ws.schemaVersion).toBe(N + 1)
    expect(tableExists(ws.db, 'extra')).toBe(true)
    ws.db.prepare('INSERT INTO extra (id) VALUES (?)').run('x')
    expect(ws.db.prepare('SELECT version, name FROM schema_migrations WHERE version = ?').get(N + 1)).toEqual({
      version: N + 1,
      name: 'test'
    })
    expect(ws.id).toBe(id)

    const backup = ws.migrationBackup
    expect(backup).not.toBeNull()
    expect(backup).toBe(join(dir, `old.puente.v${N}-2026-05-06_07-08-09.bak`))
    expect(statSync(backup!).isFile()).toBe(true)
    inspect(backup!, (db) => {
      expect(versionsOf(db)).toEqual(MIGRATIONS.map((m) => m.version))
      expect(tableExists(db, 'extra')).toBe(false)
      expect(db.pragma('application_id', { simple: true })).toBe(PNTE)
      expect(db.prepare('SELECT id FROM workspace').get()).toEqual({ id })
    })
    ws.close()

    // The upgrade is on disk.
    inspect(path, (db) => {
      expect(versionsOf(db)).toEqual([...MIGRATIONS.map((m) => m.version), N + 1])
      expect(db.prepare('SELECT id FROM extra').all()).toEqual([{ id: 'x' }])
    })
  })

  it('a migration that fails midway leaves the file at the old version with no partial table', async () => {
    const path = join(dir, 'broken.puente')
    ;(await open(path, { create: true, deviceId: 'd', env: frozenEnv(AT) })).close()

    const broken: Migration = {
      version: N + 1,
      name: 'broken',
      sql: 'CREATE TABLE half_done (id TEXT PRIMARY KEY) STRICT;\nINSERT INTO no_such_table (id) VALUES (1);'
    }
    const error = await rejection(open(path, { deviceId: 'd', env: frozenEnv(AT), migrations: [...MIGRATIONS, broken] }))
    expect(String((error as Error).message)).toMatch(/no such table/)

    inspect(path, (db) => {
      expect(versionsOf(db)).toEqual(MIGRATIONS.map((m) => m.version))
      expect(tableExists(db, 'half_done')).toBe(false)
    })
    // The file still opens with the bundled migrations.
    const ws = await open(path, { deviceId: 'd', env: frozenEnv(AT) })
    expect(ws.schemaVersion).toBe(N)
    expect(tableExists(ws.db, 'half_done')).toBe(false)
  })

  it('each migration is its own transaction: the good one before a failing one stays applied', async () => {
    const path = join(dir, 'steps.puente')
    ;(await open(path, { create: true, deviceId: 'd', env: frozenEnv(AT) })).close()

    const bad: Migration = { version: N + 2, name: 'bad', sql: 'CREATE TABLE later (id TEXT) STRICT; SELEKT 1;' }
    await rejection(open(path, { deviceId: 'd', env: frozenEnv(AT), migrations: [...MIGRATIONS, EXTRA, bad] }))

    inspect(path, (db) => {
      expect(versionsOf(db)).toEqual([...MIGRATIONS.map((m) => m.version), N + 1])
      expect(tableExists(db, 'extra')).toBe(true)
      expect(tableExists(db, 'later')).toBe(false)
    })
  })
})

describe('files Puente must refuse and leave alone', () => {
  it('a workspace from a newer version: workspace.too_new, file and folder unchanged', async () => {
    const path = join(dir, 'future.puente')
    ;(await open(path, { create: true, deviceId: 'd', env: frozenEnv(AT), migrations: [...MIGRATIONS, EXTRA] })).close()
    const hash = sha256(path)
    const before = listing(dir)
    expect(before).toEqual(['future.puente'])

    const error = await rejection(open(path, { deviceId: 'd', env: frozenEnv(AT) }))
    expect(error).toBeInstanceOf(AppError)
    expect((error as AppError).code).toBe('workspace.too_new')
    expect((error as AppError).params).toMatchObject({ version: N + 1, supported: N })

    expect(sha256(path)).toBe(hash)
    // No -wal/-shm (or backup) may be left behind by looking at the file.
    expect(listing(dir)).toEqual(before)
  })

  /**
   * A newer Puente upgraded this file and its version bump is still only in the write-ahead log: the file
   * is open there (a second connection keeps the log from being folded back), or it stopped before it
   * could fold it. The header on disk says N, the log says N + 1.
   */
  async function newerInLog(name: string): Promise<{ path: string; newer: Workspace }> {
    const made = join(dir, `${name}-made.puente`)
    const newer = await open(made, { create: true, deviceId: 'd', env: frozenEnv(AT) })
    newer.db.pragma('wal_autocheckpoint = 0')
    // An empty log to start with: it then holds exactly the two commits below, the version bump last.
    newer.db.pragma('wal_checkpoint(TRUNCATE)')
    newer.db.transaction(() => newer.write.insert('exchange_rate', { id: newer.env.uuid(), base: 'USD', quote: 'EUR', rate_e8: 93_000_000, valid_on: '2026-12-01' }))()
    newer.db.pragma(`user_version = ${N + 1}`)
    expect(readFileSync(made).subarray(0, 100).readUInt32BE(60)).toBe(N)
    return { path: made, newer }
  }

  const THREE = ['', '-wal', '-shm']
  const TOO_NEW_DE =
    `Dieser Arbeitsbereich wurde mit einer neueren Puente-Version gespeichert (Schema ${N + 1}; diese Version liest bis ${N}). ` +
    'Bitte Puente aktualisieren. Die Datei wurde nicht verändert.'

  it('a workspace from a newer version with its write-ahead log beside it: workspace.too_new, the file, its -wal and its -shm unchanged to the byte', async () => {
    const { path: made, newer } = await newerInLog('copied')
    const path = join(dir, 'future.puente')
    for (const suffix of THREE) writeFileSync(path + suffix, readFileSync(made + suffix))
    newer.close()
    expect(readFileSync(path).subarray(0, 100).readUInt32BE(60)).toBe(N)
    const hashes = THREE.map((suffix) => sha256(path + suffix))

    const error = await rejection(open(path, { deviceId: 'd', env: frozenEnv(AT) }))
    expect((error as AppError).code).toBe('workspace.too_new')
    expect((error as AppError).params).toMatchObject({ version: N + 1, supported: N })
    expect(i18nDe.t(`errors.${(error as AppError).code}`, (error as AppError).params)).toBe(TOO_NEW_DE)
    expect(THREE.map((suffix) => sha256(path + suffix))).toEqual(hashes)
    expect(listing(dir).filter((f) => f.startsWith('future'))).toEqual(['future.puente', 'future.puente-shm', 'future.puente-wal'])
  })

  it('the same with only the file and its -wal (no -shm): refused, nothing written and no -shm made', async () => {
    const { path: made, newer } = await newerInLog('no-shm')
    const path = join(dir, 'future.puente')
    for (const suffix of ['', '-wal']) writeFileSync(path + suffix, readFileSync(made + suffix))
    newer.close()
    const hashes = ['', '-wal'].map((suffix) => sha256(path + suffix))

    const error = await rejection(open(path, { deviceId: 'd', env: frozenEnv(AT) }))
    expect((error as AppError).code).toBe('workspace.too_new')
    expect(['', '-wal'].map((suffix) => sha256(path + suffix))).toEqual(hashes)
    expect(listing(dir).filter((f) => f.startsWith('future'))).toEqual(['future.puente', 'future.puente-wal'])
  })

  it('the same while the newer app still has the file open: refused, the three files unchanged to the byte', async () => {
    const { path, newer } = await newerInLog('live')
    try {
      const hashes = THREE.map((suffix) => sha256(path + suffix))
      const error = await rejection(open(path, { deviceId: 'd', env: frozenEnv(AT) }))
      expect((error as AppError).code).toBe('workspace.too_new')
      expect((error as AppError).params).toMatchObject({ version: N + 1, supported: N })
      expect(THREE.map((suffix) => sha256(path + suffix))).toEqual(hashes)
    } finally {
      newer.close()
    }
  })

  it('a log whose newer version was never committed (torn last frames) counts for nothing: the file opens at its version', async () => {
    const { path: made, newer } = await newerInLog('torn')
    const path = join(dir, 'torn.puente')
    writeFileSync(path, readFileSync(made))
    const wal = readFileSync(`${made}-wal`)
    newer.close()
    // Cut the log inside its last frame (the commit that set N + 1): SQLite's recovery drops that transaction.
    const pageSize = wal.readUInt32BE(8)
    writeFileSync(`${path}-wal`, wal.subarray(0, wal.length - Math.floor(pageSize / 2)))
    const ws = await open(path, { deviceId: 'd', env: frozenEnv(AT) })
    try {
      expect(ws.schemaVersion).toBe(N)
      expect(ws.db.prepare('SELECT count(*) FROM exchange_rate WHERE valid_on = ?').pluck().get('2026-12-01')).toBe(1)
    } finally {
      ws.close()
    }
  })

  it('a text file: workspace.not_puente, unchanged', async () => {
    const path = join(dir, 'notes.puente')
    writeFileSync(path, 'Einkaufsliste: Yerba mate, Dulce de leche, Malbec\n'.repeat(40))
    const hash = sha256(path)
    const before = listing(dir)

    const error = await rejection(open(path, { deviceId: 'd' }))
    expect(error).toBeInstanceOf(AppError)
    expect((error as AppError).code).toBe('workspace.not_puente')
    expect(sha256(path)).toBe(hash)
    expect(listing(dir)).toEqual(before)
  })

  it('a small text file: workspace.not_puente, unchanged', async () => {
    const path = join(dir, 'tiny.puente')
    writeFileSync(path, 'hello\n')
    const hash = sha256(path)

    const error = await rejection(open(path, { deviceId: 'd' }))
    expect((error as AppError).code).toBe('workspace.not_puente')
    expect(sha256(path)).toBe(hash)
    expect(listing(dir)).toEqual(['tiny.puente'])
  })

  it("another application's SQLite file: workspace.not_puente, unchanged", async () => {
    const path = join(dir, 'other.db')
    const other = new Database(path)
    other.pragma('application_id = 1234')
    other.exec(`CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('hola');`)
    other.close()
    const hash = sha256(path)

    const error = await rejection(open(path, { deviceId: 'd' }))
    expect(error).toBeInstanceOf(AppError)
    expect((error as AppError).code).toBe('workspace.not_puente')
    expect(sha256(path)).toBe(hash)
    expect(listing(dir)).toEqual(['other.db'])
  })

  it("another application's SQLite file in WAL mode: workspace.not_puente, no -wal/-shm left behind", async () => {
    const path = join(dir, 'other-wal.db')
    const other = new Database(path)
    other.pragma('journal_mode = WAL')
    other.exec(`CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('chau');`)
    other.close()
    expect(listing(dir)).toEqual(['other-wal.db'])
    const hash = sha256(path)

    const error = await rejection(open(path, { deviceId: 'd' }))
    expect((error as AppError).code).toBe('workspace.not_puente')
    expect(sha256(path)).toBe(hash)
    expect(listing(dir)).toEqual(['other-wal.db'])
  })

  it('a SQLite file without an application id but with tables: workspace.not_puente', async () => {
    const path = join(dir, 'plain.sqlite')
    const other = new Database(path)
    other.exec(`CREATE TABLE things (id INTEGER PRIMARY KEY); INSERT INTO things DEFAULT VALUES;`)
    other.close()
    const hash = sha256(path)

    const error = await rejection(open(path, { deviceId: 'd' }))
    expect((error as AppError).code).toBe('workspace.not_puente')
    expect(sha256(path)).toBe(hash)
    expect(listing(dir)).toEqual(['plain.sqlite'])
  })

  it('a missing path without create: workspace.not_found, nothing created', async () => {
    const path = join(dir, 'missing', 'nowhere.puente')
    const error = await rejection(open(path, { deviceId: 'd' }))
    expect(error).toBeInstanceOf(AppError)
    expect((error as AppError).code).toBe('workspace.not_found')
    expect((error as AppError).params).toMatchObject({ path })
    expect(existsSync(path)).toBe(false)
    expect(listing(dir)).toEqual([])
  })
})

describe('Workspace.backupTo', () => {
  it('makes a copy that opens with the same organisation data', async () => {
    const path = join(dir, 'live.puente')
    const ws = await open(path, { create: true, deviceId: 'd', env: frozenEnv(AT) })
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('IHDR-ish')])
    const input = organisationInput.parse({
      name: 'Cooperativa de Prueba',
      street: 'Calle Falsa 123',
      postalCode: '1000',
      city: 'Buenos Aires',
      country: 'AR',
      iban: 'DE89 3704 0044 0532 0130 00',
      bic: 'COBADEFFXXX',
      smallBusiness: true,
      defaultLanguage: 'es',
      defaultCurrency: 'ARS',
      logo: `data:image/png;base64,${png.toString('base64')}`
    })
    ws.db.transaction(() => saveOrganisation(ws, input))()

    const target = join(dir, 'copies', 'live-copy.puente')
    expect(await ws.backupTo(target)).toBe(target)
    const originalRow = ws.db.prepare('SELECT * FROM organisation').all()
    ws.close()

    const copy = await open(target, { deviceId: 'other-device' })
    expect(copy.migrationBackup).toBeNull()
    expect(copy.id).toBe('00000000-0000-4000-8000-000000000001')
    expect(copy.schemaVersion).toBe(N)
    expect(copy.db.prepare('SELECT * FROM organisation').all()).toEqual(originalRow)
    const org = getOrganisation(copy)
    expect(org).toMatchObject({
      name: 'Cooperativa de Prueba',
      street: 'Calle Falsa 123',
      postalCode: '1000',
      city: 'Buenos Aires',
      country: 'AR',
      iban: 'DE89370400440532013000',
      bic: 'COBADEFFXXX',
      vatId: null,
      smallBusiness: true,
      defaultLanguage: 'es',
      defaultCurrency: 'ARS',
      logo: `data:image/png;base64,${png.toString('base64')}`
    })
  })
})
