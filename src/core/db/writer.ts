import type Database from 'better-sqlite3'
import { type Env, stamp } from '../common/env.ts'
import { appendEntry, jsonValue, type SqlValue } from './changelog.ts'
import type { HybridClock } from './clock.ts'
import { encodeKey, type TableInfo, tableInfo } from './tables.ts'

/** A value as callers hand it in; booleans are stored as 0/1. */
export type Value = SqlValue | boolean | undefined
export type Values = Record<string, Value>
/** A row's key: its id, or the values of a two-column key by column name. */
export type Key = string | Record<string, string | number>

function sqlValue(v: Value): SqlValue {
  if (v === undefined) return null
  if (typeof v === 'boolean') return v ? 1 : 0
  // A lone surrogate half would be stored one way through a bound parameter and another through JSON.
  if (typeof v === 'string') return v.toWellFormed()
  return v
}

function same(a: SqlValue, b: SqlValue): boolean {
  if (Buffer.isBuffer(a) || Buffer.isBuffer(b)) return Buffer.isBuffer(a) && Buffer.isBuffer(b) && a.equals(b)
  return a === b
}

/**
 * The one way to change the workspace's data. Every change goes through one of these methods, which
 * write the row and, in the same transaction, one change-log message per changed column, stamped with
 * the hybrid logical clock (one stamp per write: a row change, or the new rows of one insertMany).
 * Nothing else in the core runs INSERT, UPDATE or DELETE; the architecture test checks that. Columns a
 * trigger keeps (an order line's sums) are refused: they follow from the rows that are written.
 *
 * - `insert` / `insertMany`: new rows; `created_at`/`updated_at` are filled in where the table has them.
 * - `update`: changes the given columns of a live row; only columns whose value differs are written and
 *   logged (then `updated_at` too). A row that is missing or deleted is not touched (returns false).
 * - `upsert`: insert, or update the row with that key (also a deleted one, which `deleted_at: null` revives).
 * - `tombstone`: soft delete, `deleted_at` set; rows are never removed.
 * - `append` / `appendMany`: rows of an append-only log (quantities, stock, issued numbers).
 *
 * Call inside a transaction (the API's mutations run in one).
 */
export class Writer {
  private readonly statements = new Map<string, Database.Statement>()
  private readonly db: Database.Database
  private readonly env: Env
  private readonly clock: HybridClock

  constructor(db: Database.Database, env: Env, clock: HybridClock) {
    this.db = db
    this.env = env
    this.clock = clock
  }

  private prepare(sql: string): Database.Statement {
    let s = this.statements.get(sql)
    if (!s) this.statements.set(sql, (s = this.db.prepare(sql)))
    return s
  }

  private info(table: string, op: 'insert' | 'append' | 'change'): TableInfo {
    const info = tableInfo(this.db, table)
    if (op === 'append' && !info.appendOnly) throw new Error(`${table} is not an append-only log: insert into it`)
    if (op !== 'append' && info.appendOnly) throw new Error(`${table} is append-only: append to it`)
    return info
  }

  private requireTransaction(): void {
    if (!this.db.inTransaction) throw new Error('the writer works inside a transaction')
  }

  private keyValues(info: TableInfo, key: Key): (string | number)[] {
    if (typeof key === 'string') {
      if (info.key.length !== 1) throw new Error(`${info.name} has a key of ${info.key.length} columns`)
      return [key]
    }
    return info.key.map((k) => {
      const v = key[k]
      if (v === undefined) throw new Error(`key column ${k} of ${info.name} missing`)
      return v
    })
  }

  private whereKey(info: TableInfo): string {
    return info.key.map((k) => `${k} = ?`).join(' AND ')
  }

  /** Completes a new row: its stamps. Returns the columns and values to write. */
  private newRow(info: TableInfo, row: Values, now: string): [string[], SqlValue[]] {
    const full: Values = { ...row }
    if (info.hasCreatedAt && full.created_at === undefined) full.created_at = now
    if (info.hasUpdatedAt && full.updated_at === undefined) full.updated_at = now
    for (const k of info.key) if (full[k] === undefined || full[k] === null) throw new Error(`key column ${k} of ${info.name} missing`)
    const cols = Object.keys(full).filter((c) => full[c] !== undefined)
    for (const c of cols) {
      if (!info.columns.includes(c)) throw new Error(`no column ${c} in ${info.name}`)
      if (info.derived.has(c)) throw new Error(`${info.name}.${c} is kept by a trigger`)
    }
    return [cols, cols.map((c) => sqlValue(full[c]))]
  }

  /** Logs one row change: its columns but the key, and not a NULL its default gives anyway. */
  private log(info: TableInfo, row: string, cols: readonly string[], values: readonly SqlValue[], skipNullDefaults: boolean): void {
    const o: Record<string, unknown> = {}
    cols.forEach((c, i) => {
      const v = values[i]!
      if (info.key.includes(c) || (skipNullDefaults && v === null && info.nullDefault.has(c))) return
      o[c] = jsonValue(v)
    })
    appendEntry(this.db, this.clock.next(1)[0]!, info.name, JSON.stringify([[row, o]]))
  }

  private insertOne(info: TableInfo, row: Values): void {
    this.requireTransaction()
    const [cols, values] = this.newRow(info, row, stamp(this.env))
    this.prepare(`INSERT INTO ${info.name} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`).run(...values)
    this.log(info, encodeKey(info, info.key.map((k) => values[cols.indexOf(k)])), cols, values, true)
  }

  insert(table: string, row: Values): void {
    this.insertOne(this.info(table, 'insert'), row)
  }

  append(table: string, row: Values): void {
    this.insertOne(this.info(table, 'append'), row)
  }

  /**
   * Many new rows of one table in three statements however many rows (the rows, one log entry with all
   * of them, the merkle leaf): the rows go in as the entry's own JSON through json_each, and the values
   * all rows share (kept once in the entry) as parameters. Every row must have the same columns; values
   * are text, numbers or null (no binary data).
   */
  private insertSet(info: TableInfo, rows: readonly Values[]): number {
    this.requireTransaction()
    if (!rows.length) return 0
    const now = stamp(this.env)
    const [cols] = this.newRow(info, rows[0]!, now)
    // The stamps the writer fills in (created_at, updated_at) where a row does not bring its own.
    const given = Object.keys(rows[0]!).filter((c) => rows[0]![c] !== undefined)
    const filled = cols.filter((c) => !given.includes(c))
    const table: SqlValue[][] = rows.map((row) => {
      const keys = Object.keys(row).filter((c) => row[c] !== undefined)
      if (keys.length !== given.length || keys.some((c, i) => c !== given[i])) throw new Error(`rows of one insertMany differ in columns (${info.name})`)
      return cols.map((c) => {
        const v = filled.includes(c) ? now : sqlValue(row[c])
        if (Buffer.isBuffer(v) || typeof v === 'bigint') throw new Error('insertMany takes text, numbers and null only')
        return v
      })
    })
    for (const k of info.key) {
      const i = cols.indexOf(k)
      if (table.some((r) => r[i] === null)) throw new Error(`key column ${k} of ${info.name} missing`)
    }
    const at = (r: SqlValue[], i: number) => r[i]!
    // What the rows log: their columns but the key, and not a NULL its default gives anyway. A value
    // every row shares (of more than one row) is logged once.
    const logged = cols.map((_, i) => i).filter((i) => !info.key.includes(cols[i]!))
    const shared = new Set(rows.length > 1 ? logged.filter((i) => table.every((r) => at(r, i) === at(table[0]!, i))) : [])
    const common: Record<string, SqlValue> = {}
    for (const i of shared) if (!(at(table[0]!, i) === null && info.nullDefault.has(cols[i]!))) common[cols[i]!] = at(table[0]!, i)
    const keyIndex = info.key.map((k) => cols.indexOf(k))
    const own = logged.filter((i) => !shared.has(i))
    const entry = table.map((r) => {
      const messages: Record<string, SqlValue> = {}
      for (const i of own) {
        const v = at(r, i)
        if (!(v === null && info.nullDefault.has(cols[i]!))) messages[cols[i]!] = v
      }
      return [encodeKey(info, keyIndex.map((i) => at(r, i))), messages]
    })
    const json = JSON.stringify(entry)
    // The key from the entry's row key (a JSON array for a two-column key), shared values as parameters,
    // the rest from each row's messages.
    const params: SqlValue[] = []
    const select = cols.map((c, i) => {
      const k = info.key.indexOf(c)
      if (k >= 0) return info.key.length === 1 ? 'value ->> 0' : `(value ->> 0) ->> ${k}`
      if (shared.has(i)) {
        params.push(at(table[0]!, i))
        return '?'
      }
      return `value ->> '$[1].${c}'`
    })
    this.prepare(`INSERT INTO ${info.name} (${cols.join(', ')}) SELECT ${select.join(', ')} FROM json_each(?)`).run(...params, json)
    appendEntry(this.db, this.clock.next(1)[0]!, info.name, json, Object.keys(common).length ? JSON.stringify(common) : null)
    return rows.length
  }

  insertMany(table: string, rows: readonly Values[]): number {
    return this.insertSet(this.info(table, 'insert'), rows)
  }

  appendMany(table: string, rows: readonly Values[]): number {
    return this.insertSet(this.info(table, 'append'), rows)
  }

  /** The row's current values of `cols`, or null when there is no such row. */
  private current(info: TableInfo, key: (string | number)[], cols: string[], liveOnly: boolean): SqlValue[] | null {
    const live = liveOnly && info.hasDeletedAt ? ' AND deleted_at IS NULL' : ''
    const row = this.prepare(`SELECT ${cols.join(', ')} FROM ${info.name} WHERE ${this.whereKey(info)}${live}`).raw().get(...key) as SqlValue[] | undefined
    return row ?? null
  }

  private change(info: TableInfo, key: (string | number)[], changes: Values, liveOnly: boolean): boolean {
    this.requireTransaction()
    const cols = Object.keys(changes).filter((c) => changes[c] !== undefined)
    for (const c of cols) {
      if (!info.columns.includes(c)) throw new Error(`no column ${c} in ${info.name}`)
      if (info.key.includes(c)) throw new Error(`the key of ${info.name} cannot change`)
      if (info.derived.has(c)) throw new Error(`${info.name}.${c} is kept by a trigger`)
    }
    const before = this.current(info, key, cols.length ? cols : [info.key[0]!], liveOnly)
    if (!before) return false
    const changed = cols.filter((c, i) => !same(before[i]!, sqlValue(changes[c])))
    if (!changed.length) return true
    if (info.hasUpdatedAt && !changed.includes('updated_at')) changed.push('updated_at')
    const values = changed.map((c) => (c === 'updated_at' && changes.updated_at === undefined ? stamp(this.env) : sqlValue(changes[c])))
    this.prepare(`UPDATE ${info.name} SET ${changed.map((c) => `${c} = ?`).join(', ')} WHERE ${this.whereKey(info)}`).run(...values, ...key)
    this.log(info, encodeKey(info, key), changed, values, false)
    return true
  }

  /** Changes columns of a live (not deleted) row. False when there is no such row. */
  update(table: string, key: Key, changes: Values): boolean {
    const info = this.info(table, 'change')
    return this.change(info, this.keyValues(info, key), changes, true)
  }

  /** Inserts the row, or updates the row with its key (deleted or not). Returns whether it was new. */
  upsert(table: string, row: Values): boolean {
    const info = this.info(table, 'change')
    const key = info.key.map((k) => {
      const v = row[k]
      if (typeof v !== 'string' && typeof v !== 'number') throw new Error(`key column ${k} of ${table} missing`)
      return v
    })
    const rest: Values = {}
    for (const [c, v] of Object.entries(row)) if (!info.key.includes(c)) rest[c] = v
    if (this.current(info, key, [info.key[0]!], false)) {
      this.change(info, key, rest, false)
      return false
    }
    this.insertOne(info, row)
    return true
  }

  /** Soft-deletes a live row (its `deleted_at` is set). False when there is no such live row. */
  tombstone(table: string, key: Key): boolean {
    const info = this.info(table, 'change')
    if (!info.hasDeletedAt) throw new Error(`${table} has no deleted_at: its rows cannot be deleted`)
    return this.change(info, this.keyValues(info, key), { deleted_at: stamp(this.env) }, true)
  }
}
