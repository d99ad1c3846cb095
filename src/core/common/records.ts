import type Database from 'better-sqlite3'
import { z } from 'zod'
import { AppError, type FieldErrorCode } from '../../shared/errors.ts'
import type { Workspace } from '../db/workspace.ts'
import { stamp } from './env.ts'

/** The paging, search and sort every list page sends. */
export const listInput = z.object({
  search: z.string().trim().max(200).optional(),
  sort: z.string().max(40).optional(),
  dir: z.enum(['asc', 'desc']).optional(),
  archived: z.enum(['active', 'archived', 'all']).optional(),
  offset: z.number().int().min(0).optional(),
  limit: z.number().int().min(1).max(1000).optional()
})
export type ListInput = z.output<typeof listInput>

export interface ListSpec {
  /** FROM … (with joins); the main table must be aliased `t`. */
  from: string
  /** Parameters of placeholders inside `from` (a subquery). */
  fromParams?: unknown[]
  /** The select list. */
  select: string
  /** Columns searched with LIKE (case-insensitive for ASCII, accent-exact). */
  search: string[]
  /** Sort keys the UI may ask for → SQL expressions. The first one is the default. */
  sorts: Record<string, string>
  /** Extra conditions and their parameters. */
  where?: { sql: string; params: unknown[] }[]
}

/** A page of a list and the total number of matching rows (for the virtual scroller). */
export function listRows<R>(db: Database.Database, spec: ListSpec, input: ListInput): { rows: R[]; total: number } {
  const where = ['t.deleted_at IS NULL']
  const params: unknown[] = [...(spec.fromParams ?? [])]
  const archived = input.archived ?? 'active'
  if (archived === 'active') where.push('t.archived_at IS NULL')
  if (archived === 'archived') where.push('t.archived_at IS NOT NULL')
  const term = input.search?.trim()
  if (term) {
    const like = `%${term.replace(/[\\%_]/g, (c) => '\\' + c)}%`
    where.push(`(${spec.search.map((c) => `${c} LIKE ? ESCAPE '\\'`).join(' OR ')})`)
    params.push(...spec.search.map(() => like))
  }
  for (const w of spec.where ?? []) {
    where.push(w.sql)
    params.push(...w.params)
  }
  // Only the spec's own keys name a column: `constructor` or `__proto__` must never reach ORDER BY.
  if (input.sort !== undefined && input.sort !== '' && !Object.hasOwn(spec.sorts, input.sort)) throw fieldError('sort', 'invalid')
  const sort = input.sort ? spec.sorts[input.sort]! : Object.values(spec.sorts)[0]!
  const dir = input.dir === 'desc' ? 'DESC' : 'ASC'
  const whereSql = where.join(' AND ')
  // One pass: the window count gives the total of matching rows alongside the page.
  const rows = db
    .prepare(`SELECT ${spec.select}, count(*) OVER () AS _total FROM ${spec.from} WHERE ${whereSql} ORDER BY ${sort} ${dir}, t.id LIMIT ? OFFSET ?`)
    .all(...params, input.limit ?? 200, input.offset ?? 0) as (R & { _total: number })[]
  const total = rows.length
    ? rows[0]!._total
    : (db.prepare(`SELECT count(*) AS n FROM ${spec.from} WHERE ${whereSql}`).get(...params) as { n: number }).n
  for (const r of rows) delete (r as { _total?: number })._total
  return { rows, total }
}

const TABLES = new Set(['supplier', 'product', 'buyer', 'round', 'shipment'])

export function requireRow(db: Database.Database, table: string, id: string): void {
  if (!TABLES.has(table)) throw new Error(`unknown table ${table}`)
  const row = db.prepare(`SELECT 1 FROM ${table} WHERE id = ? AND deleted_at IS NULL`).get(id)
  if (!row) throw new AppError('record.not_found', { id })
}

/** Archives (hides from lists and new orders, keeps for history) or brings back a record. */
export function setArchived(ws: Workspace, table: string, id: string, archived: boolean): void {
  if (!TABLES.has(table)) throw new Error(`unknown table ${table}`)
  const row = ws.db.prepare(`SELECT archived_at FROM ${table} WHERE id = ? AND deleted_at IS NULL`).get(id) as { archived_at: string | null } | undefined
  if (!row) throw new AppError('record.not_found', { id })
  const current = row.archived_at
  // Archiving an archived record keeps the day it was archived.
  if (archived !== (current !== null)) ws.write.update(table, id, { archived_at: archived ? stamp(ws.env) : null })
}

/**
 * Deletes a record (soft: it is marked deleted and disappears everywhere), only while nothing refers to
 * it; otherwise `record.in_use` (the UI then offers to archive). `uses` are queries counting live
 * references to the id; `cleanup` deletes what belongs to the record alone (its contacts).
 */
export function deleteUnused(ws: Workspace, table: string, id: string, uses: string[], cleanup?: () => void): void {
  requireRow(ws.db, table, id)
  const count = uses.reduce((n, sql) => n + (ws.db.prepare(sql).get(id) as { n: number }).n, 0)
  if (count > 0) throw new AppError('record.in_use', { id, uses: count })
  cleanup?.()
  ws.write.tombstone(table, id)
}

/** Refuses input with one field error, as the validation at the boundary would. */
export function fieldError(path: string, code: FieldErrorCode, params?: Record<string, unknown>): AppError {
  return new AppError('validation', { fields: { [path]: params ? { code, params } : { code } } })
}

export const idInput = z.object({ id: z.uuid() })
export const archiveInput = z.object({ id: z.uuid(), archived: z.boolean() })
