import type Database from 'better-sqlite3'
import { AppError } from '../../shared/errors.ts'
import { stamp } from '../common/env.ts'
import type { Workspace } from './workspace.ts'

/**
 * Number series: purchase orders, later invoices and credit notes, each numbered by a named series with
 * a format such as `PO-{yyyy}-{nnnn}` or `RE-{yyyy}-{nnnnn}`.
 *
 * - A number is taken inside the transaction that issues the document, so it is never skipped (a
 *   rolled-back document gives its number back) and never reused (the counter moves on with the
 *   document, and every issued number is registered in `issued_number`, whose triggers refuse any
 *   change and whose key refuses a second document with the same number).
 * - A workspace used on several laptops: each laptop (device) that issues numbers has a prefix of its
 *   own and counts on its own. The laptop that created the workspace numbers without a prefix
 *   (PO-2026-0001); any other laptop gets the next free letter the first time it issues a number
 *   (PO-2026-B0001), unless one was chosen for it in the settings. Two laptops with different prefixes
 *   can never issue the same number. A laptop that replaces another (the old one broke, the workspace
 *   was restored on a new one) may take over its prefix and goes on with its count. (Two copies of one
 *   file given to two new laptops before either issued a number would both pick the same next letter:
 *   give them their letters in the settings; the merge of laptops will check prefixes before it merges.)
 *
 * Format tokens: `{yyyy}` / `{yy}` the year of issue (the count restarts each year), `{n…}` the number
 * with as many digits as n's (at least; it grows past them), `{prefix}` the device's prefix. Without a
 * `{prefix}` token a non-empty prefix goes right before the number. A format changed so that it would
 * give a number issued before goes on after the numbers issued already.
 */

export interface NumberSeries {
  series: string
  format: string
}

const TOKEN = /\{(yyyy|yy|n{1,10}|prefix)\}/g
const LITERAL = /^[A-Za-z0-9 ./_#-]*$/

/** Why a format cannot be used, as a field error code, or null when it can. */
export function formatProblem(format: string): 'number_format' | null {
  if (format.length < 1 || format.length > 60) return 'number_format'
  const tokens = [...format.matchAll(TOKEN)].map((m) => m[1]!)
  if (tokens.filter((t) => t.startsWith('n')).length !== 1) return 'number_format'
  if (tokens.filter((t) => t === 'prefix').length > 1) return 'number_format'
  if (tokens.filter((t) => t === 'yyyy' || t === 'yy').length > 1) return 'number_format'
  if (!LITERAL.test(format.replace(TOKEN, ''))) return 'number_format'
  return null
}

/** The period a format counts in: the year when it shows one, else one count for ever. */
function periodOf(format: string, day: string): string {
  return /\{yyyy\}|\{yy\}/.test(format) ? day.slice(0, 4) : ''
}

/** A number as the format writes it. */
export function render(format: string, parts: { day: string; prefix: string; n: number }): string {
  const hasPrefix = format.includes('{prefix}')
  return format.replace(TOKEN, (_, t: string) => {
    if (t === 'yyyy') return parts.day.slice(0, 4)
    if (t === 'yy') return parts.day.slice(2, 4)
    if (t === 'prefix') return parts.prefix
    const digits = String(parts.n).padStart(t.length, '0')
    return hasPrefix ? digits : parts.prefix + digits
  })
}

export function listSeries(db: Database.Database): NumberSeries[] {
  return db.prepare('SELECT series, format FROM number_format ORDER BY series').all() as NumberSeries[]
}

function seriesFormat(db: Database.Database, series: string): string {
  const format = db.prepare('SELECT format FROM number_format WHERE series = ?').pluck().get(series) as string | undefined
  if (format === undefined) throw new AppError('record.not_found', { id: series })
  return format
}

/** The letters A, B, …, Z, AA, AB, … in order. */
function letters(i: number): string {
  let s = ''
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s
  return s
}

/** This device's prefix if it has one yet (null: it has issued no number and none was chosen). */
export function devicePrefix(db: Database.Database, deviceId: string): string | null {
  return (db.prepare('SELECT prefix FROM device WHERE id = ? AND deleted_at IS NULL').pluck().get(deviceId) as string | undefined) ?? null
}

/** The prefix a device gets the first time it issues a number, unless it was given one. */
export function suggestedPrefix(db: Database.Database, deviceId: string): string {
  const creator = db.prepare('SELECT created_by_device FROM workspace').pluck().get() as string
  const used = new Set(db.prepare('SELECT prefix FROM device WHERE deleted_at IS NULL').pluck().all() as string[])
  if (deviceId === creator && !used.has('')) return ''
  // 'A' is left for a creator who chooses to show a prefix too; others start at B.
  for (let i = 1; ; i++) if (!used.has(letters(i))) return letters(i)
}

/** This device's prefix, registering it (with the suggested one) the first time. */
function ensureDevice(ws: Workspace): string {
  const known = devicePrefix(ws.db, ws.deviceId)
  if (known !== null) return known
  const prefix = suggestedPrefix(ws.db, ws.deviceId)
  register(ws, ws.deviceId, prefix)
  return prefix
}

/** Gives a device its prefix: a new one, or one another laptop replaced (it comes back), or a change. */
function register(ws: Workspace, deviceId: string, prefix: string): void {
  ws.write.upsert('device', { id: deviceId, prefix, deleted_at: null })
}

/**
 * Gives a device the prefix its numbers carry from now on. Refused when another laptop of this
 * workspace has it, unless this one replaces that laptop (`takeOver`): then the other is deleted and
 * this one goes on with its count. A device that changes to a prefix of its own starts that prefix's
 * count (its numbers still differ from all others).
 */
export function setDevicePrefix(ws: Workspace, deviceId: string, prefix: string, takeOver = false): void {
  if (!/^([A-Z]{1,3})?$/.test(prefix)) throw new AppError('validation', { fields: { prefix: { code: 'prefix' } } })
  const owner = ws.db.prepare('SELECT id FROM device WHERE prefix = ? AND deleted_at IS NULL').pluck().get(prefix) as string | undefined
  if (owner === deviceId) return
  if (owner !== undefined) {
    if (!takeOver) throw new AppError('validation', { fields: { prefix: { code: 'prefix_taken' } } })
    ws.write.tombstone('device', owner)
  }
  register(ws, deviceId, prefix)
}

/** Changes a series' format; the numbers already issued keep theirs. */
export function setSeriesFormat(ws: Workspace, series: string, format: string): void {
  seriesFormat(ws.db, series)
  if (formatProblem(format)) throw new AppError('validation', { fields: { format: { code: 'number_format' } } })
  ws.write.update('number_format', series, { format })
}

/**
 * The first number from count `start` on that was not issued yet: after a change of format the count
 * can reach numbers issued before, and goes on past them. Among as many candidates as numbers issued,
 * plus one, one is free (each count gives another number).
 */
function firstFree(db: Database.Database, series: string, format: string, day: string, prefix: string, start: number): { n: number; number: string } {
  const issued = db.prepare('SELECT 1 FROM issued_number WHERE series = ? AND number = ?').pluck()
  const limit = db.prepare('SELECT count(*) FROM issued_number WHERE series = ?').pluck().get(series) as number
  for (let n = start; n <= start + limit; n++) {
    const number = render(format, { day, prefix, n })
    if (issued.get(series, number) === undefined) return { n, number }
  }
  throw new Error(`no free number in series ${series}`)
}

/** The number this device would issue next in a series (for the settings page; nothing is taken). */
export function peekNumber(ws: Workspace, series: string, day = stamp(ws.env).slice(0, 10)): string {
  const format = seriesFormat(ws.db, series)
  const prefix = devicePrefix(ws.db, ws.deviceId) ?? suggestedPrefix(ws.db, ws.deviceId)
  const next = ws.db
    .prepare('SELECT next FROM number_counter WHERE series = ? AND period = ? AND prefix = ?')
    .pluck()
    .get(series, periodOf(format, day), prefix) as number | undefined
  return firstFree(ws.db, series, format, day, prefix, next ?? 1).number
}

/**
 * Takes the next number of a series for a document, inside the transaction that issues it. `day` is
 * the issue date (YYYY-MM-DD; today by default) and decides the year.
 */
export function takeNumber(ws: Workspace, series: string, documentId: string, day = stamp(ws.env).slice(0, 10)): string {
  if (!ws.db.inTransaction) throw new Error('take a number inside the transaction that issues the document')
  const format = seriesFormat(ws.db, series)
  const prefix = ensureDevice(ws)
  const period = periodOf(format, day)
  const key = { series, period, prefix }
  const next = ws.db.prepare('SELECT next FROM number_counter WHERE series = ? AND period = ? AND prefix = ?').pluck().get(series, period, prefix) as
    | number
    | undefined
  const { n, number } = firstFree(ws.db, series, format, day, prefix, next ?? 1)
  if (next === undefined) ws.write.insert('number_counter', { ...key, next: n + 1 })
  else ws.write.update('number_counter', key, { next: n + 1 })
  ws.write.append('issued_number', { series, number, document_id: documentId, device_id: ws.deviceId, issued_at: stamp(ws.env) })
  return number
}
