import type Database from 'better-sqlite3'

/**
 * What the writer and the change log need to know of a table, read from SQLite's own schema once per
 * connection: its columns, its key, and which bookkeeping columns it has.
 */
export interface TableInfo {
  name: string
  columns: string[]
  /** The primary key's columns, in key order (one for most tables, two for link tables). */
  key: string[]
  /** Columns whose default is NULL: an insert need not log them while they stay NULL. */
  nullDefault: Set<string>
  hasCreatedAt: boolean
  hasUpdatedAt: boolean
  hasDeletedAt: boolean
  /** Rows are only ever added (order quantities, stock movements, issued numbers). */
  appendOnly: boolean
  /** Columns a trigger keeps (sums of a log): never written directly, never logged. */
  derived: Set<string>
}

/**
 * Tables that are not workspace data: the workspace's identity, the migration record and the change log
 * itself. Nothing else may be written without the writer.
 */
export const UNLOGGED = new Set(['workspace', 'schema_migrations', 'change_log', 'change_merkle'])

/** Tables whose rows are never changed or removed once written (triggers refuse it in the database). */
export const APPEND_ONLY = new Set(['quantity_log', 'stock_movement', 'issued_number', 'order_received_change', 'shipment_event', 'invoice_file', 'round_closing_event'])

/**
 * Columns that triggers keep: an order line's current quantity, tolerance and times are the sums of its
 * quantity log (migration 3). Replaying the log rebuilds them by replaying the quantity log.
 */
export const DERIVED: Record<string, readonly string[]> = {
  order_line: ['quantity', 'tolerance', 'first_at', 'last_at', 'log_entries']
}

/**
 * The stamp of the rows every workspace starts with (currencies, VAT rates, number formats), written by
 * the migrations as plain data: the same in every workspace, so the change log need not carry them.
 */
export const SEED_STAMP = '2026-12-06T00:00:00.000Z'

const cache = new WeakMap<Database.Database, Map<string, TableInfo>>()

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/

export function tableInfo(db: Database.Database, table: string): TableInfo {
  let tables = cache.get(db)
  if (!tables) cache.set(db, (tables = new Map()))
  let info = tables.get(table)
  if (info) return info
  if (!IDENTIFIER.test(table) || UNLOGGED.has(table)) throw new Error(`not a workspace data table: ${table}`)
  const cols = db.prepare(`SELECT name, pk, dflt_value AS dflt FROM pragma_table_info(?)`).all(table) as { name: string; pk: number; dflt: string | null }[]
  if (!cols.length) throw new Error(`no such table: ${table}`)
  const key = cols.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name)
  if (!key.length) throw new Error(`table ${table} has no primary key`)
  const names = cols.map((c) => c.name)
  info = {
    name: table,
    columns: names,
    key,
    nullDefault: new Set(cols.filter((c) => c.dflt === null || c.dflt.toUpperCase() === 'NULL').map((c) => c.name)),
    hasCreatedAt: names.includes('created_at'),
    hasUpdatedAt: names.includes('updated_at'),
    hasDeletedAt: names.includes('deleted_at'),
    appendOnly: APPEND_ONLY.has(table),
    derived: new Set(DERIVED[table] ?? [])
  }
  tables.set(table, info)
  return info
}

/** Forgets what was read of the tables (after a migration changed them). */
export function forgetTables(db: Database.Database): void {
  cache.delete(db)
}

/** Every table whose rows the change log records, in the order they were created (parents first). */
export function loggedTables(db: Database.Database): string[] {
  return (db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid`).all() as { name: string }[])
    .map((r) => r.name)
    .filter((n) => !UNLOGGED.has(n))
}

export type KeyValue = string | number
/** A row's key as the change log writes it: the key's value, or for a two-column key a JSON array. */
export function encodeKey(info: TableInfo, values: readonly unknown[]): string {
  if (info.key.length === 1) return String(values[0])
  return JSON.stringify(values)
}

export function decodeKey(info: TableInfo, row: string): KeyValue[] {
  if (info.key.length === 1) return [row]
  const parsed = JSON.parse(row) as unknown
  if (!Array.isArray(parsed) || parsed.length !== info.key.length) throw new Error(`bad key for ${info.name}: ${row}`)
  return parsed as KeyValue[]
}
