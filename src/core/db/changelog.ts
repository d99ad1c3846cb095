import { type merkle, Timestamp } from '@actual-app/crdt'
import type Database from 'better-sqlite3'
import type { Env } from '../common/env.ts'
import { HybridClock, minuteHashes, nodeOf, type Stamp, stampOf, trieOf } from './clock.ts'
import { decodeKey, encodeKey, loggedTables, SEED_STAMP, tableInfo } from './tables.ts'

/**
 * The change log: every change to the workspace's data as messages, one per changed column — table,
 * row key, column, new value — stamped with the hybrid logical clock (clock.ts).
 *
 * Storage: one entry per write, i.e. per stamp. An entry names its table and holds its rows as JSON:
 * `[[row key, {column: new value, …}], …]` (binary data as `{"hex": …}`). A change to one row is an
 * entry with one row; the new rows that one call writes together (a 10,000-line order import) are one
 * entry, and the values they all share (the time, the device, the source) are kept once, in `common`.
 * So a bulk write logs one entry instead of tens of thousands of rows. The view `change_message` reads
 * the log message by message.
 *
 * The log is written in the same transaction as the change itself (a rolled-back change leaves
 * nothing), only ever appended to (triggers refuse anything else), and complete: replaying it into an
 * empty workspace rebuilds the same rows. A later issue merges two laptops' workspaces with it: the
 * merkle trie of its stamps tells which minutes one side lacks, and each message carries what
 * last-writer-wins needs (two messages of one entry never concern the same cell).
 */

export type SqlValue = string | number | bigint | Buffer | null

/** One message: a column's new value in a row, and the stamp of the write. */
export interface Message {
  ts: string
  table: string
  row: string
  column: string
  value: SqlValue
}

/** One write as the log stores it: its rows and their messages as JSON, and the values all rows share. */
export interface Entry {
  ts: string
  table: string
  rows: string
  common: string | null
}

/** A value as the log's JSON carries it. */
export function jsonValue(v: SqlValue): unknown {
  if (Buffer.isBuffer(v)) return { hex: v.toString('hex') }
  if (typeof v === 'bigint') {
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) throw new Error('integer too large for the change log')
    return Number(v)
  }
  return v
}

function sqlFromJson(v: unknown): SqlValue {
  if (v !== null && typeof v === 'object') return Buffer.from((v as { hex: string }).hex, 'hex')
  return v as SqlValue
}

const prepared = new WeakMap<Database.Database, { merkle: Database.Statement; log: Database.Statement }>()

/** The two statements every write runs, prepared once per connection. */
function statements(db: Database.Database) {
  let s = prepared.get(db)
  if (!s)
    prepared.set(
      db,
      (s = {
        // SQLite has no XOR operator: (a | b) - (a & b) is a XOR b for two's complement integers.
        merkle: db.prepare(
          `INSERT INTO change_merkle (minute, hash) VALUES (?, ?)
           ON CONFLICT (minute) DO UPDATE SET hash = (hash | excluded.hash) - (hash & excluded.hash)`
        ),
        log: db.prepare('INSERT INTO change_log (ts, tbl, rows, common) VALUES (?, ?, ?, ?)')
      })
    )
  return s
}

/** Adds the stamps' hashes to the per-minute leaves of the merkle trie. */
export function addToMerkle(db: Database.Database, stamps: readonly Stamp[]): void {
  if (!stamps.length) return
  const put = statements(db).merkle
  for (const [minute, hash] of minuteHashes(stamps)) put.run(minute, hash)
}

/** Appends one entry to the log and its stamp to the merkle leaves. */
export function appendEntry(db: Database.Database, stamp: Stamp, table: string, rows: string, common: string | null = null): void {
  statements(db).log.run(stamp.text, table, rows, common)
  addToMerkle(db, [stamp])
}

/** The merkle trie of every stamp in the log (see clock.ts). */
export function merkleTrie(db: Database.Database): merkle.TrieNode {
  const leaves = db.prepare('SELECT minute, hash FROM change_merkle ORDER BY minute').raw().all() as [number, number][]
  return trieOf(leaves)
}

/** Messages in stamp order (rows in the order written, columns by name), optionally only those after a stamp. */
export function readChanges(db: Database.Database, options: { after?: string } = {}): Message[] {
  return db
    .prepare(`SELECT ts, tbl AS "table", row, col AS "column", value FROM change_message WHERE ts > ? ORDER BY ts, seq, col`)
    .all(options.after ?? '') as Message[]
}

/** The log's entries in stamp order, optionally only those after a stamp. */
export function readEntries(db: Database.Database, options: { after?: string } = {}): Entry[] {
  return db.prepare(`SELECT ts, tbl AS "table", rows, common FROM change_log WHERE ts > ? ORDER BY ts`).all(options.after ?? '') as Entry[]
}

/** The number of messages in the log. */
export function changeCount(db: Database.Database): number {
  return db.prepare('SELECT count(*) FROM change_message').pluck().get() as number
}

/** Messages grouped back into entries: one per stamp, its rows in the order they come. */
export function entriesOf(messages: readonly Message[]): Entry[] {
  const byStamp = new Map<string, { table: string; rows: Map<string, Record<string, unknown>> }>()
  for (const m of messages) {
    let e = byStamp.get(m.ts)
    if (!e) byStamp.set(m.ts, (e = { table: m.table, rows: new Map() }))
    else if (e.table !== m.table) throw new Error(`messages of one stamp name two tables: ${m.ts}`)
    let cols = e.rows.get(m.row)
    if (!cols) e.rows.set(m.row, (cols = {}))
    cols[m.column] = jsonValue(m.value)
  }
  return [...byStamp]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([ts, e]) => ({ ts, table: e.table, rows: JSON.stringify([...e.rows]), common: null }))
}

/**
 * Applies entries made elsewhere (another workspace's log) to this workspace: each row is inserted when
 * it is new here, or its columns are updated, and the entry joins this log with its own stamp. Entries
 * this log already has are skipped, so applying twice changes nothing. Call inside a transaction.
 * Returns the number of entries applied.
 *
 * Entries are applied in stamp order and the later one wins, which is all replaying a whole log into an
 * empty workspace needs. Merging two workspaces that both changed the same cell (comparing with the
 * stamps already here) is for the issue that merges laptops.
 */
export function applyEntries(db: Database.Database, clock: HybridClock, entries: readonly Entry[]): number {
  if (!db.inTransaction) throw new Error('apply changes inside a transaction')
  // Rows of one entry may refer to each other in any order (a cooperative and its exporter of record):
  // foreign keys are checked at the commit.
  db.pragma('defer_foreign_keys = ON')
  const sorted = [...entries].sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0))
  const known = db.prepare('SELECT 1 FROM change_log WHERE ts = ?').pluck()
  const log = db.prepare('INSERT INTO change_log (ts, tbl, rows, common) VALUES (?, ?, ?, ?)')
  const statements = new Map<string, Database.Statement>()
  const statement = (sql: string) => {
    let st = statements.get(sql)
    if (!st) statements.set(sql, (st = db.prepare(sql)))
    return st
  }
  const stamps: Stamp[] = []
  for (const e of sorted) {
    const ts = Timestamp.parse(e.ts)
    if (!ts) throw new Error(`unreadable stamp: ${e.ts}`)
    if (known.get(e.ts)) continue
    const info = tableInfo(db, e.table)
    const where = info.key.map((k) => `${k} = ?`).join(' AND ')
    const common = e.common === null ? {} : (JSON.parse(e.common) as Record<string, unknown>)
    for (const [row, own] of JSON.parse(e.rows) as [string, Record<string, unknown>][]) {
      const cols = { ...common, ...own }
      const columns = Object.keys(cols).filter((c) => !info.key.includes(c))
      for (const c of columns) if (!info.columns.includes(c) || info.derived.has(c)) throw new Error(`no column ${c} to write in ${e.table}`)
      const values = columns.map((c) => sqlFromJson(cols[c]))
      const key = decodeKey(info, row)
      // The row as it is here (its current values of these columns), or undefined when it is new here.
      const read = columns.length ? columns : [info.key[0]!]
      const current = statement(`SELECT ${read.join(', ')} FROM ${e.table} WHERE ${where}`).raw().get(...key) as SqlValue[] | undefined
      if (current === undefined) {
        const all = [...info.key, ...columns]
        statement(`INSERT INTO ${e.table} (${all.join(', ')}) VALUES (${all.map(() => '?').join(', ')})`).run(...key, ...values)
        continue
      }
      // Only what differs is written: the same row logged twice (two copies of one file, each logging
      // its rows when migrated) changes nothing, not even in an append-only table.
      const changed = columns.map((c, i) => [c, values[i]!, current[i]!] as const).filter(([, v, now]) => !sameValue(v, now))
      if (!changed.length) continue
      if (info.appendOnly) throw new Error(`${e.table} is append-only: its row ${row} differs from the one applied`)
      statement(`UPDATE ${e.table} SET ${changed.map(([c]) => `${c} = ?`).join(', ')} WHERE ${where}`).run(...changed.map(([, v]) => v), ...key)
    }
    log.run(e.ts, e.table, e.rows, e.common)
    stamps.push(stampOf(ts, e.ts))
    clock.receive(ts)
  }
  addToMerkle(db, stamps)
  return stamps.length
}

function sameValue(a: SqlValue, b: SqlValue): boolean {
  if (Buffer.isBuffer(a) || Buffer.isBuffer(b)) return Buffer.isBuffer(a) && Buffer.isBuffer(b) && a.equals(b)
  return a === b
}

/** The same for messages one by one (grouped back into their entries by stamp). */
export function applyChanges(db: Database.Database, clock: HybridClock, messages: readonly Message[]): number {
  return applyEntries(db, clock, entriesOf(messages))
}

/**
 * Logs every row a workspace already holds, one entry per table, for a workspace made before the change
 * log existed: its log is then as complete as a new one's. Rows every workspace starts with, unchanged
 * since (stamped SEED_STAMP), are left out as in a new workspace.
 */
export function logExistingRows(db: Database.Database, _env: Env, deviceId: string): void {
  const clock = new HybridClock(db, nodeOf(deviceId))
  for (const table of loggedTables(db)) {
    const info = tableInfo(db, table)
    const seeded = info.hasCreatedAt && info.hasUpdatedAt ? ` WHERE NOT (created_at = '${SEED_STAMP}' AND updated_at = '${SEED_STAMP}')` : ''
    // In the order the rows were written (a replay gives them the same order, which ties can depend on).
    const rows = db.prepare(`SELECT ${info.columns.join(', ')} FROM ${table}${seeded} ORDER BY rowid`).raw().all() as SqlValue[][]
    if (!rows.length) continue
    const keyIndex = info.key.map((k) => info.columns.indexOf(k))
    const logged = rows.map((values) => {
      const cols: Record<string, unknown> = {}
      info.columns.forEach((c, i) => {
        if (!info.key.includes(c) && !info.derived.has(c) && !(values[i] === null && info.nullDefault.has(c))) cols[c] = jsonValue(values[i]!)
      })
      return [encodeKey(info, keyIndex.map((i) => values[i])), cols]
    })
    appendEntry(db, clock.next(1)[0]!, table, JSON.stringify(logged))
  }
}
