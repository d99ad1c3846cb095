import { type merkle, Timestamp } from '@actual-app/crdt'
import type Database from 'better-sqlite3'
import type { Env } from '../common/env.ts'
import { HybridClock, minuteHashes, nodeOf, type Stamp, stampOf, trieOf } from './clock.ts'
import { decodeKey, encodeKey, loggedTables, SEED_STAMP, tableInfo } from './tables.ts'

/**
 * The change log: every change to the workspace's data as messages, one per changed column — table,
 * row key, column, new value — stamped with the hybrid logical clock (clock.ts). The columns of one row
 * written by one call share their stamp: a stamp is one row change, stored as one entry of the table
 * `change_log` whose `cols` hold its messages (a JSON object, column → new value; binary data as
 * `{"hex": …}`); the view `change_message` reads them message by message. (One entry per row change
 * rather than one row per message: a 10,000-line order import writes 20,000 entries instead of 90,000
 * rows, which keeps bulk writes within three times the cost of the bare inserts.)
 *
 * The log is written in the same transaction as the change itself (a rolled-back change leaves nothing),
 * only ever appended to (triggers refuse anything else), and complete: replaying it into an empty
 * workspace rebuilds the same rows. A later issue merges two laptops' workspaces with it: the merkle
 * trie of its stamps tells which minutes one side lacks, and each message carries what
 * last-writer-wins needs.
 */

export type SqlValue = string | number | bigint | Buffer | null

/** One message: a column's new value in one row change. */
export interface Message {
  ts: string
  table: string
  row: string
  column: string
  value: SqlValue
}

/** One row change as the log stores it: its messages as a JSON object. */
export interface Entry {
  ts: string
  table: string
  row: string
  cols: string
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

/** The messages of a row change as the JSON object the log stores. */
export function entryCols(columns: readonly string[], values: readonly SqlValue[]): string {
  const o: Record<string, unknown> = {}
  columns.forEach((c, i) => (o[c] = jsonValue(values[i]!)))
  return JSON.stringify(o)
}

/** Adds the stamps' hashes to the per-minute leaves of the merkle trie. */
export function addToMerkle(db: Database.Database, stamps: readonly Stamp[]): void {
  if (!stamps.length) return
  const put = db.prepare(
    // SQLite has no XOR operator: (a | b) - (a & b) is a XOR b for two's complement integers.
    `INSERT INTO change_merkle (minute, hash) VALUES (?, ?)
     ON CONFLICT (minute) DO UPDATE SET hash = (hash | excluded.hash) - (hash & excluded.hash)`
  )
  for (const [minute, hash] of minuteHashes(stamps)) put.run(minute, hash)
}

/** The merkle trie of every stamp in the log (see clock.ts). */
export function merkleTrie(db: Database.Database): merkle.TrieNode {
  const leaves = db.prepare('SELECT minute, hash FROM change_merkle ORDER BY minute').raw().all() as [number, number][]
  return trieOf(leaves)
}

/** Messages in stamp order (and column order within a row change), optionally only those after a stamp. */
export function readChanges(db: Database.Database, options: { after?: string } = {}): Message[] {
  return db
    .prepare(`SELECT ts, tbl AS "table", row, col AS "column", value FROM change_message WHERE ts > ? ORDER BY ts, col`)
    .all(options.after ?? '') as Message[]
}

/** The log's entries (row changes) in stamp order, optionally only those after a stamp. */
export function readEntries(db: Database.Database, options: { after?: string } = {}): Entry[] {
  return db.prepare(`SELECT ts, tbl AS "table", row, cols FROM change_log WHERE ts > ? ORDER BY ts`).all(options.after ?? '') as Entry[]
}

/** The number of messages in the log. */
export function changeCount(db: Database.Database): number {
  return db.prepare('SELECT count(*) FROM change_message').pluck().get() as number
}

/** Messages with one stamp are one row change. */
export function entriesOf(messages: readonly Message[]): Entry[] {
  const sorted = [...messages].sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : a.column < b.column ? -1 : a.column > b.column ? 1 : 0))
  const out: Entry[] = []
  let cur: { e: Entry; cols: string[]; values: SqlValue[] } | null = null
  const flush = () => {
    if (cur) out.push({ ...cur.e, cols: entryCols(cur.cols, cur.values) })
  }
  for (const m of sorted) {
    if (!cur || cur.e.ts !== m.ts) {
      flush()
      cur = { e: { ts: m.ts, table: m.table, row: m.row, cols: '' }, cols: [], values: [] }
    } else if (cur.e.table !== m.table || cur.e.row !== m.row) {
      throw new Error(`messages of one stamp name two rows: ${m.ts}`)
    }
    cur.cols.push(m.column)
    cur.values.push(m.value)
  }
  flush()
  return out
}

/**
 * Applies row changes made elsewhere (another workspace's log) to this workspace: each inserts the row
 * when it is new here, or updates its columns, and joins this log with its own stamp. Entries this log
 * already has are skipped, so applying twice changes nothing. Call inside a transaction. Returns the
 * number of entries applied.
 *
 * Changes are applied in stamp order and the later one wins, which is all replaying a whole log into an
 * empty workspace needs. Merging two workspaces that both changed the same cell (comparing with the
 * stamps already here) is for the issue that merges laptops.
 */
export function applyEntries(db: Database.Database, clock: HybridClock, entries: readonly Entry[]): number {
  const sorted = [...entries].sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0))
  const known = db.prepare('SELECT 1 FROM change_log WHERE ts = ?').pluck()
  const log = db.prepare('INSERT INTO change_log (ts, tbl, row, cols) VALUES (?, ?, ?, ?)')
  const statements = new Map<string, Database.Statement>()
  const statement = (sql: string) => {
    let st = statements.get(sql)
    if (!st) statements.set(sql, (st = db.prepare(sql)))
    return st
  }
  /** Rows seen to exist, per table: a row inserted here needs no second look. */
  const present = new Map<string, Set<string>>()
  const stamps: Stamp[] = []
  for (const e of sorted) {
    const ts = Timestamp.parse(e.ts)
    if (!ts) throw new Error(`unreadable stamp: ${e.ts}`)
    if (known.get(e.ts)) continue
    const info = tableInfo(db, e.table)
    const parsed = JSON.parse(e.cols) as Record<string, unknown>
    const columns = Object.keys(parsed)
    for (const c of columns) if (!info.columns.includes(c)) throw new Error(`no column ${c} in ${e.table}`)
    const values = columns.map((c) => sqlFromJson(parsed[c]))
    const key = decodeKey(info, e.row)
    let seen = present.get(e.table)
    if (!seen) present.set(e.table, (seen = new Set()))
    const where = info.key.map((k) => `${k} = ?`).join(' AND ')
    const exists = seen.has(e.row) || statement(`SELECT 1 FROM ${e.table} WHERE ${where}`).pluck().get(...key) !== undefined
    const changes = columns.filter((c) => !info.key.includes(c))
    if (exists) {
      if (changes.length)
        statement(`UPDATE ${e.table} SET ${changes.map((c) => `${c} = ?`).join(', ')} WHERE ${where}`).run(
          ...changes.map((c) => values[columns.indexOf(c)]!),
          ...key
        )
    } else {
      const cols = [...info.key, ...changes]
      statement(`INSERT INTO ${e.table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`).run(
        ...key,
        ...changes.map((c) => values[columns.indexOf(c)]!)
      )
    }
    seen.add(e.row)
    log.run(e.ts, e.table, e.row, e.cols)
    stamps.push(stampOf(ts, e.ts))
    clock.receive(ts)
  }
  addToMerkle(db, stamps)
  return stamps.length
}

/** The same for messages one by one (grouped back into their row changes by stamp). */
export function applyChanges(db: Database.Database, clock: HybridClock, messages: readonly Message[]): number {
  return applyEntries(db, clock, entriesOf(messages))
}

/**
 * Logs every row a workspace already holds as if it had just been inserted (one stamp per row), for a
 * workspace made before the change log existed: its log is then as complete as a new one's. Rows every
 * workspace starts with, unchanged since (stamped SEED_STAMP), are left out as in a new workspace.
 */
export function logExistingRows(db: Database.Database, _env: Env, deviceId: string): void {
  const clock = new HybridClock(db, nodeOf(deviceId))
  const log = db.prepare('INSERT INTO change_log (ts, tbl, row, cols) VALUES (?, ?, ?, ?)')
  for (const table of loggedTables(db)) {
    const info = tableInfo(db, table)
    const seeded = info.hasCreatedAt && info.hasUpdatedAt ? ` WHERE NOT (created_at = '${SEED_STAMP}' AND updated_at = '${SEED_STAMP}')` : ''
    const rows = db.prepare(`SELECT ${info.columns.join(', ')} FROM ${table}${seeded} ORDER BY ${info.key.join(', ')}`).raw().all() as SqlValue[][]
    if (!rows.length) continue
    const keyIndex = info.key.map((k) => info.columns.indexOf(k))
    const stamps = clock.next(rows.length)
    rows.forEach((values, r) => {
      const logged = info.columns.map((c, i) => [c, values[i]!] as const).filter(([c, v]) => !info.key.includes(c) && !(v === null && info.nullDefault.has(c)))
      log.run(stamps[r]!.text, table, encodeKey(info, keyIndex.map((i) => values[i])), entryCols(logged.map((x) => x[0]), logged.map((x) => x[1])))
    })
    addToMerkle(db, stamps)
  }
}
