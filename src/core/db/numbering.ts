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
 *   can never issue the same number. (Two copies of one file given to two new laptops before either
 *   issued a number would both pick the same next letter: give them their letters in the settings; the
 *   merge of laptops will check prefixes before it merges.)
 *
 * Format tokens: `{yyyy}` / `{yy}` the year of issue (the count restarts each year), `{n…}` the number
 * with as many digits as n's (at least; it grows past them), `{prefix}` the device's prefix. Without a
 * `{prefix}` token a non-empty prefix goes right before the number.
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
  return (db.prepare('SELECT prefix FROM device WHERE id = ?').pluck().get(deviceId) as string | undefined) ?? null
}

/** The prefix a device gets the first time it issues a number, unless it was given one. */
export function suggestedPrefix(db: Database.Database, deviceId: string): string {
  const creator = db.prepare('SELECT created_by_device FROM workspace').pluck().get() as string
  const used = new Set(db.prepare('SELECT prefix FROM device').pluck().all() as string[])
  if (deviceId === creator && !used.has('')) return ''
  // 'A' is left for a creator who chooses to show a prefix too; others start at B.
  for (let i = 1; ; i++) if (!used.has(letters(i))) return letters(i)
}

/** This device's prefix, registering it (with the suggested one) the first time. */
function ensureDevice(ws: Workspace): string {
  const known = devicePrefix(ws.db, ws.deviceId)
  if (known !== null) return known
  const prefix = suggestedPrefix(ws.db, ws.deviceId)
  ws.write.insert('device', { id: ws.deviceId, prefix })
  return prefix
}

/**
 * Gives a device the prefix its numbers carry from now on. Refused when another device of this
 * workspace has it, or when the device already issued numbers with another prefix this year in a
 * series (its count would start again at 1 under the new prefix: allowed, as the numbers still differ).
 */
export function setDevicePrefix(ws: Workspace, deviceId: string, prefix: string): void {
  if (!/^([A-Z]{1,3})?$/.test(prefix)) throw new AppError('validation', { fields: { prefix: { code: 'prefix' } } })
  const owner = ws.db.prepare('SELECT id FROM device WHERE prefix = ?').pluck().get(prefix) as string | undefined
  if (owner !== undefined && owner !== deviceId) throw new AppError('validation', { fields: { prefix: { code: 'prefix_taken' } } })
  if (owner === deviceId) return
  if (devicePrefix(ws.db, deviceId) === null) ws.write.insert('device', { id: deviceId, prefix })
  else ws.write.update('device', deviceId, { prefix })
}

/** Changes a series' format; the numbers already issued keep theirs. */
export function setSeriesFormat(ws: Workspace, series: string, format: string): void {
  seriesFormat(ws.db, series)
  if (formatProblem(format)) throw new AppError('validation', { fields: { format: { code: 'number_format' } } })
  ws.write.update('number_format', series, { format })
}

/** The number this device would issue next in a series (for the settings page; nothing is taken). */
export function peekNumber(ws: Workspace, series: string, day = stamp(ws.env).slice(0, 10)): string {
  const format = seriesFormat(ws.db, series)
  const prefix = devicePrefix(ws.db, ws.deviceId) ?? suggestedPrefix(ws.db, ws.deviceId)
  const next = ws.db
    .prepare('SELECT next FROM number_counter WHERE series = ? AND period = ? AND prefix = ?')
    .pluck()
    .get(series, periodOf(format, day), prefix) as number | undefined
  return render(format, { day, prefix, n: next ?? 1 })
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
  const n = next ?? 1
  if (next === undefined) ws.write.insert('number_counter', { ...key, next: n + 1 })
  else ws.write.update('number_counter', key, { next: n + 1 })
  const number = render(format, { day, prefix, n })
  const taken = ws.db.prepare('SELECT document_id FROM issued_number WHERE series = ? AND number = ?').pluck().get(series, number)
  if (taken !== undefined) throw new AppError('numbering.taken', { series, number })
  ws.write.append('issued_number', { series, number, document_id: documentId, device_id: ws.deviceId, issued_at: stamp(ws.env) })
  return number
}
