import { type merkle, Timestamp } from '@actual-app/crdt'
import type Database from 'better-sqlite3'
import type { Env } from '../common/env.ts'
import { HybridClock, minuteHashes, nodeOf, trieOf } from './clock.ts'
import { decodeKey, encodeKey, loggedTables, SEED_STAMP, tableInfo } from './tables.ts'

/**
 * The change log: every change to the workspace's data as messages, one per changed column — table,
 * row key, column, new value — stamped with the hybrid logical clock (clock.ts). The columns of one row
 * written by one call share their stamp: a stamp is one row change. The log is written in the same
 * transaction as the change itself (a rolled-back change leaves no message), only ever appended to
 * (triggers refuse anything else), and complete: replaying it into an empty workspace rebuilds the same
 * rows. A later issue merges two laptops' workspaces with it: the merkle trie of its stamps tells which
 * minutes one side lacks, and each message carries what last-writer-wins needs.
 */

export type SqlValue = string | number | bigint | Buffer | null

export interface Message {
  ts: string
  table: string
  row: string
  column: string
  value: SqlValue
}

/** Adds the stamps' hashes to the per-minute leaves of the merkle trie. */
export function addToMerkle(db: Database.Database, stamps: readonly Timestamp[]): void {
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

/** Messages in stamp order, optionally only those after a stamp. */
export function readChanges(db: Database.Database, options: { after?: string; limit?: number } = {}): Message[] {
  return db
    .prepare(
      `SELECT ts, tbl AS "table", row, col AS "column", value FROM change_log WHERE ts > ? ORDER BY ts, col LIMIT ?`
    )
    .all(options.after ?? '', options.limit ?? -1) as Message[]
}

export function changeCount(db: Database.Database): number {
  return db.prepare('SELECT count(*) FROM change_log').pluck().get() as number
}

interface Group {
  ts: string
  table: string
  row: string
  columns: string[]
  values: SqlValue[]
}

/** Consecutive messages with one stamp are one row change. */
function groups(messages: readonly Message[]): Group[] {
  const out: Group[] = []
  let g: Group | null = null
  for (const m of messages) {
    if (!g || g.ts !== m.ts) {
      if (g) out.push(g)
      g = { ts: m.ts, table: m.table, row: m.row, columns: [], values: [] }
    } else if (g.table !== m.table || g.row !== m.row) {
      throw new Error(`messages of one stamp name two rows: ${m.ts}`)
    }
    g.columns.push(m.column)
    g.values.push(m.value)
  }
  if (g) out.push(g)
  return out
}

/**
 * Applies messages made elsewhere (another workspace's log) to this workspace: each row change inserts
 * the row when it is new here, or updates its columns, and the messages join this log with their own
 * stamps. Messages this log already has are skipped, so applying twice changes nothing. Call inside a
 * transaction.
 *
 * Changes are applied in stamp order and the later one wins, which is all replaying a whole log into an
 * empty workspace needs. Merging two workspaces that both changed the same cell (comparing with the
 * stamps already here) is for the issue that merges laptops.
 */
export function applyChanges(db: Database.Database, clock: HybridClock, messages: readonly Message[]): number {
  const sorted = [...messages].sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : a.column < b.column ? -1 : a.column > b.column ? 1 : 0))
  const known = db.prepare('SELECT 1 FROM change_log WHERE ts = ? LIMIT 1').pluck()
  const log = db.prepare('INSERT INTO change_log (ts, tbl, row, col, value) VALUES (?, ?, ?, ?, ?)')
  const statements = new Map<string, Database.Statement>()
  const statement = (sql: string) => {
    let s = statements.get(sql)
    if (!s) statements.set(sql, (s = db.prepare(sql)))
    return s
  }
  /** Rows this call has seen to exist, per table. */
  const present = new Map<string, Set<string>>()
  const stamps: Timestamp[] = []
  let applied = 0
  for (const g of groups(sorted)) {
    const ts = Timestamp.parse(g.ts)
    if (!ts) throw new Error(`unreadable stamp: ${g.ts}`)
    if (known.get(g.ts)) continue
    const info = tableInfo(db, g.table)
    for (const c of g.columns) if (!info.columns.includes(c)) throw new Error(`no column ${c} in ${g.table}`)
    const key = decodeKey(info, g.row)
    let seen = present.get(g.table)
    if (!seen) present.set(g.table, (seen = new Set()))
    const where = info.key.map((k) => `${k} = ?`).join(' AND ')
    const exists = seen.has(g.row) || Boolean(statement(`SELECT 1 FROM ${g.table} WHERE ${where}`).pluck().get(...key))
    if (exists) {
      statement(`UPDATE ${g.table} SET ${g.columns.map((c) => `${c} = ?`).join(', ')} WHERE ${where}`).run(...g.values, ...key)
    } else {
      const cols = [...info.key, ...g.columns]
      statement(`INSERT INTO ${g.table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`).run(...key, ...g.values)
    }
    seen.add(g.row)
    g.columns.forEach((c, i) => log.run(g.ts, g.table, g.row, c, g.values[i]!))
    stamps.push(ts)
    clock.receive(ts)
    applied++
  }
  addToMerkle(db, stamps)
  return applied
}

/**
 * Logs every row a workspace already holds as if it had just been inserted (one stamp per row), for a
 * workspace made before the change log existed: its log is then as complete as a new one's. Rows every
 * workspace starts with, unchanged since (stamped SEED_STAMP), are left out as in a new workspace.
 */
export function logExistingRows(db: Database.Database, _env: Env, deviceId: string): void {
  const clock = new HybridClock(db, nodeOf(deviceId))
  const log = db.prepare('INSERT INTO change_log (ts, tbl, row, col, value) VALUES (?, ?, ?, ?, ?)')
  for (const table of loggedTables(db)) {
    const info = tableInfo(db, table)
    const seeded = info.hasCreatedAt && info.hasUpdatedAt ? ` WHERE NOT (created_at = '${SEED_STAMP}' AND updated_at = '${SEED_STAMP}')` : ''
    const rows = db.prepare(`SELECT ${info.columns.join(', ')} FROM ${table}${seeded} ORDER BY ${info.key.join(', ')}`).raw().all() as SqlValue[][]
    if (!rows.length) continue
    const keyIndex = info.key.map((k) => info.columns.indexOf(k))
    const stamps = clock.next(rows.length)
    rows.forEach((values, r) => {
      const ts = stamps[r]!.toString()
      const row = encodeKey(info, keyIndex.map((i) => values[i]))
      let n = 0
      info.columns.forEach((c, i) => {
        if (info.key.includes(c) || (values[i] === null && info.nullDefault.has(c))) return
        log.run(ts, table, row, c, values[i]!)
        n++
      })
      if (n === 0) log.run(ts, table, row, info.key[0]!, values[keyIndex[0]!]!)
    })
    addToMerkle(db, stamps)
  }
}
