/**
 * What `Workspace.open(path, { create: true })` spends its time on, for test/bench/NOTES.md. Not part of
 * `npm run bench`.
 *
 *   node test/bench/create-profile.ts            the steps of a creation next to the baseline's, and
 *                                                variants of the creation against the baseline
 *   node test/bench/create-profile.ts loop ours 20   (or `raw`, `proposed`) 20 creations in a row, e.g. under
 *                                                `strace -f -c -e trace=fsync,fdatasync,pwrite64`
 *
 * The steps are a replica of Workspace.open's creation path (same migrations, pragmas and transactions,
 * with BEGIN/COMMIT written out so that the commits can be timed); the first table checks that the
 * replica costs what Workspace.open costs.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { APP_VERSION, stamp, systemEnv } from '../../src/core/common/env.ts'
import { APPLICATION_ID, Workspace } from '../../src/core/db/workspace.ts'
import { MIGRATIONS } from '../../src/core/db/migrations/index.ts'
import { compare, median } from './lib.ts'

const DEVICE = '00000000-0000-4000-8000-000000000000'
const env = systemEnv

type Lap = (step: string) => void

interface Variant {
  /** All pending migrations and the identity in one transaction. */
  oneTransaction?: boolean
  /** synchronous = OFF from the start (before the switch to WAL) until the new file is complete, then NORMAL. */
  syncOff?: boolean
  /**
   * The final schema as plain CREATE statements (what sqlite_schema holds after every migration) instead
   * of running the migrations one by one; their seeds and bookkeeping as usual.
   */
  squashed?: boolean
}

/** The fix proposed in NOTES.md. */
const PROPOSED: Variant = { squashed: true, oneTransaction: true, syncOff: true }

/** Every statement of the schema after all migrations, as sqlite_schema holds it (a checked-in file in the proposal). */
const SQUASHED = (() => {
  const db = new Database(':memory:')
  for (const m of MIGRATIONS) db.exec(m.sql)
  const rows = db.prepare('SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL ORDER BY rowid').all() as { sql: string }[]
  db.close()
  return rows.map((r) => `${r.sql};`).join('\n')
})()

/** Workspace.open's path for a new file, step by step. */
function replica(path: string, lap: Lap, v: Variant = {}): Database.Database {
  const db = new Database(path)
  db.pragma('busy_timeout = 5000')
  db.pragma('foreign_keys = ON')
  if (v.syncOff) db.pragma('synchronous = OFF')
  lap('open + pragmas')
  db.pragma('journal_mode = WAL')
  lap('journal_mode = WAL')
  if (!v.syncOff) db.pragma('synchronous = NORMAL')
  if (v.oneTransaction) db.exec('BEGIN')
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT`)
  lap('schema_migrations table')
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
  const id = env.uuid()
  if (v.squashed) {
    db.exec(SQUASHED)
    lap('squashed schema DDL')
  }
  for (const m of MIGRATIONS) {
    if (!v.oneTransaction) db.exec('BEGIN')
    if (!v.squashed) {
      db.exec(m.sql)
      lap(`migration DDL`)
    }
    if (m.after) {
      m.after(db, env, DEVICE)
      lap('after the SQL (change log of existing rows)')
    }
    record.run(m.version, m.name, stamp(env))
    db.pragma(`user_version = ${m.version}`)
    lap('bookkeeping (schema_migrations, user_version)')
    if (!v.oneTransaction) {
      db.exec('COMMIT')
      lap('commits')
    }
  }
  if (!v.oneTransaction) db.exec('BEGIN')
  db.pragma(`application_id = ${APPLICATION_ID}`)
  const now = stamp(env)
  db.prepare('INSERT INTO workspace (id, created_at, updated_at, created_by_device, created_with_version) VALUES (?, ?, ?, ?, ?)').run(
    id,
    now,
    now,
    DEVICE,
    APP_VERSION
  )
  lap('identity row')
  db.exec('COMMIT')
  lap('commits')
  if (v.syncOff) db.pragma('synchronous = NORMAL')
  db.prepare('SELECT id, created_at FROM workspace').get()
  lap('read identity')
  return db
}

function closeTimed(db: Database.Database, lap: Lap): void {
  db.close()
  lap('close (checkpoint)')
}

function baseline(path: string, lap: Lap): void {
  const db = new Database(path)
  lap('open + pragmas')
  db.pragma('journal_mode = WAL')
  lap('journal_mode = WAL')
  db.exec('CREATE TABLE t (id TEXT PRIMARY KEY)')
  lap('CREATE TABLE t + commit')
  db.close()
  lap('close (checkpoint)')
}

function stopwatch(into: Map<string, number>): Lap {
  let t = performance.now()
  return (step) => {
    const now = performance.now()
    into.set(step, (into.get(step) ?? 0) + now - t)
    t = performance.now()
  }
}

const dir = mkdtempSync(join(tmpdir(), 'puente-create-profile-'))
let n = 0
const fresh = (side: string) => join(dir, `${side}-${n++}.sqlite`)
const remove = (path: string) => {
  for (const s of ['', '-wal', '-shm']) rmSync(path + s, { force: true })
}

if (process.argv[2] === 'loop') {
  const which = process.argv[3] ?? 'ours'
  const count = Number(process.argv[4] ?? 20)
  ;(await Workspace.open(fresh('warm'), { create: true, deviceId: DEVICE })).close()
  for (let i = 0; i < count; i++) {
    const path = fresh(which)
    if (which === 'ours') (await Workspace.open(path, { create: true, deviceId: DEVICE })).close()
    else if (which === 'proposed') closeTimed(replica(path, () => undefined, PROPOSED), () => undefined)
    else baseline(path, () => undefined)
  }
  rmSync(dir, { recursive: true, force: true })
  process.exit(0)
}

// 1. Does the replica cost what Workspace.open costs?
const check = await compare({
  pairs: 30,
  warm: 3,
  reps: 3,
  setup: fresh,
  teardown: remove,
  ours: async (path) => (await Workspace.open(path, { create: true, deviceId: DEVICE })).close(),
  baseline: (path) => replica(path, () => undefined).close()
})
console.log(`Workspace.open ${check.ours.toFixed(2)} ms vs its replica ${check.baseline.toFixed(2)} ms: ratio ${check.ratio.toFixed(2)} (${check.ratioMin.toFixed(2)}–${check.ratioMax.toFixed(2)})`)

// 2. The steps, creation and baseline alternately, median per step.
const runs = 61
const ours: Map<string, number>[] = []
const base: Map<string, number>[] = []
for (let i = 0; i < runs + 5; i++) {
  const a = new Map<string, number>()
  const b = new Map<string, number>()
  const doOurs = () => {
    const p = fresh('ours')
    const lap = stopwatch(a)
    closeTimed(replica(p, lap), lap)
    remove(p)
  }
  const doBase = () => {
    const p = fresh('raw')
    baseline(p, stopwatch(b))
    remove(p)
  }
  if (i % 2) {
    doOurs()
    doBase()
  } else {
    doBase()
    doOurs()
  }
  if (i >= 5) {
    ours.push(a)
    base.push(b)
  }
}
const table = (name: string, samples: Map<string, number>[]) => {
  const steps = [...samples[0]!.keys()]
  const total = median(samples.map((s) => [...s.values()].reduce((x, y) => x + y, 0)))
  console.log(`\n${name}: median total ${total.toFixed(2)} ms`)
  for (const step of steps) console.log(`  ${median(samples.map((s) => s.get(step)!)).toFixed(3).padStart(8)} ms  ${step}`)
}
table('Workspace creation (replica)', ours)
table('Baseline (raw file, one table)', base)

const probe = new Database(fresh('probe'))
replica(probe.name, () => undefined).close()
probe.close()
const p2 = new Database(probe.name, { readonly: true })
const objects = p2.prepare('SELECT type, count(*) AS n FROM sqlite_schema GROUP BY type').all() as { type: string; n: number }[]
console.log(`\nschema: ${objects.map((o) => `${o.type} ${o.n}`).join(', ')}; ${p2.pragma('page_count', { simple: true }) as number} pages of ${p2.pragma('page_size', { simple: true }) as number} bytes`)
p2.close()

// 3. The DDL alone, in memory: no file, no fsync, only SQLite parsing and building the schema.
const inMemory = (sql: string) =>
  compare({
    pairs: 30,
    warm: 3,
    reps: 3,
    ours: () => {
      const db = new Database(':memory:')
      db.exec('BEGIN')
      db.exec(sql)
      db.exec('COMMIT')
      db.close()
    },
    baseline: () => {
      const db = new Database(':memory:')
      db.exec('CREATE TABLE t (id TEXT PRIMARY KEY)')
      db.close()
    }
  })
const all = MIGRATIONS.map((m) => m.sql).join('\n')
const alters = all.split('\n').filter((l) => /^ALTER TABLE /.test(l)).length
const stepwise = await inMemory(all)
const squashed = await inMemory(SQUASHED)
const upToLast = await inMemory(MIGRATIONS.slice(0, -1).map((m) => m.sql).join('\n'))
console.log(`\nin a :memory: database (one table: ${stepwise.baseline.toFixed(3)} ms)`)
console.log(`  ${stepwise.ours.toFixed(2).padStart(6)} ms  every migration's SQL, one transaction (${alters} of its statements ALTER TABLE … ADD COLUMN)`)
console.log(`  ${squashed.ours.toFixed(2).padStart(6)} ms  the same final schema as plain CREATE statements (squashed)`)
console.log(`  ${upToLast.ours.toFixed(2).padStart(6)} ms  migrations 1–${MIGRATIONS.length - 1} only`)
console.log(`  ≈ ${((stepwise.ours - squashed.ours) / alters).toFixed(2)} ms per ALTER TABLE … ADD COLUMN (the difference, per ALTER)`)

// 4. Variants of the creation, each against today's creation and against the baseline.
const variants: [string, Variant][] = [
  ['all migrations + identity in one transaction', { oneTransaction: true }],
  ['synchronous = OFF during creation', { syncOff: true }],
  ['one transaction + synchronous = OFF', { oneTransaction: true, syncOff: true }],
  ['squashed schema, one transaction, synchronous = OFF (proposed)', PROPOSED]
]
const today = (path: string) => closeTimed(replica(path, () => undefined), () => undefined)
console.log('')
for (const [label, v] of [['as today', {}] as [string, Variant], ...variants]) {
  const variant = (path: string) => closeTimed(replica(path, () => undefined, v), () => undefined)
  const vsToday = await compare({ pairs: 30, warm: 3, reps: 3, setup: fresh, teardown: remove, ours: variant, baseline: today })
  const vsBase = await compare({ pairs: 30, warm: 3, reps: 3, setup: fresh, teardown: remove, ours: variant, baseline: (path) => baseline(path, () => undefined) })
  console.log(
    `${label}: ${vsToday.ours.toFixed(2)} ms, ${vsToday.ratio.toFixed(2)}× today's (${vsToday.ratioMin.toFixed(2)}–${vsToday.ratioMax.toFixed(2)}); ` +
      `${vsBase.ratio.toFixed(2)}× the baseline (${vsBase.ratioMin.toFixed(2)}–${vsBase.ratioMax.toFixed(2)}, baseline ${vsBase.baseline.toFixed(2)} ms)`
  )
}
rmSync(dir, { recursive: true, force: true })
