/**
 * The one strict reading of dates and wall-clock times typed by people or read from files. A date is
 * YYYY-MM-DD and must exist in the calendar: 2026-02-30 is refused, not taken as 2 March.
 */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})$/

function isRealDay(y: number, m: number, d: number): boolean {
  if (y < 1 || m < 1 || m > 12 || d < 1) return false
  const check = new Date(Date.UTC(y, m - 1, d))
  // Years below 100 are taken by Date.UTC as 19xx: set the year explicitly.
  check.setUTCFullYear(y)
  return check.getUTCFullYear() === y && check.getUTCMonth() === m - 1 && check.getUTCDate() === d
}

/** The date as YYYY-MM-DD when `text` (trimmed) is one that exists, else null. */
export function parseDate(text: string): string | null {
  const s = text.trim()
  const m = DATE.exec(s)
  if (!m) return null
  return isRealDay(Number(m[1]), Number(m[2]), Number(m[3])) ? s : null
}

export function isDate(text: string): boolean {
  return parseDate(text) !== null
}

/** A wall-clock time "YYYY-MM-DDTHH:mm" (or with a space) that exists, as its parts; else null. */
export function parseLocalDateTime(text: string): { year: number; month: number; day: number; hour: number; minute: number } | null {
  const m = LOCAL_DATE_TIME.exec(text.trim())
  if (!m) return null
  const [year, month, day, hour, minute] = m.slice(1).map(Number) as [number, number, number, number, number]
  if (!isRealDay(year, month, day) || hour > 23 || minute > 59) return null
  return { year, month, day, hour, minute }
}

/** How people write a day in each UI language (German 31.03.2027, Spanish 31/03/2027, English ISO). */
export const DAY_FORMS = { de: 'dd.mm.yyyy', es: 'dd/mm/yyyy', en: 'yyyy-mm-dd' } as const
type FormLanguage = keyof typeof DAY_FORMS
const formOf = (language: string): FormLanguage => (language in DAY_FORMS ? (language as FormLanguage) : 'en')

/** A stored day (YYYY-MM-DD) as the UI language writes it: 31.03.2027 (de), 31/03/2027 (es), 2027-03-31 (en). */
export function dayToText(day: string | null | undefined, language: string): string {
  if (!day || parseDate(day) === null) return day ?? ''
  const [y, m, d] = day.split('-')
  const form = formOf(language)
  if (form === 'de') return `${d}.${m}.${y}`
  if (form === 'es') return `${d}/${m}/${y}`
  return day
}

/** A stored wall-clock time (YYYY-MM-DDTHH:mm) as the UI language writes it: 31.03.2027 18:00 in German. */
export function dateTimeToText(value: string | null | undefined, language: string): string {
  const p = value ? parseLocalDateTime(value) : null
  if (!p || !value) return value ?? ''
  return `${dayToText(value.slice(0, 10), language)} ${value.slice(11, 16)}`
}

/** Why a typed day was refused: not written as a day at all (`date_format`), or a day that does not exist (`date`). */
export type DayProblem = 'date_format' | 'date'
export type DayReading = { ok: true; day: string } | { ok: false; problem: DayProblem }

const DAY_FIRST = /^(\d{1,2})([./-])(\d{1,2})\2(\d{4})$/

/**
 * A day as a person types it, read strictly: ISO (2027-03-31) in every language, and day first with dots,
 * slashes or dashes (31.03.2027, 31/3/2027) — the form German and Spanish use (English accepts it too).
 * 31.02.2027 is refused as a day that does not exist, never moved to March.
 */
export function readDay(text: string): DayReading {
  const s = text.trim()
  if (DATE.test(s)) return parseDate(s) ? { ok: true, day: s } : { ok: false, problem: 'date' }
  const m = DAY_FIRST.exec(s)
  if (!m) return { ok: false, problem: 'date_format' }
  const iso = `${m[4]}-${m[3]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}`
  return parseDate(iso) ? { ok: true, day: iso } : { ok: false, problem: 'date' }
}

/** A day and a time of day as a person types them (31.03.2027 18:00, or ISO with T or a space), as YYYY-MM-DDTHH:mm. */
export function readDateTime(text: string): { ok: true; value: string } | { ok: false; problem: DayProblem } {
  const m = /^(\S+)(?:[T ]+|\s+)(\d{1,2}):(\d{2})$/.exec(text.trim())
  if (!m) return { ok: false, problem: 'date_format' }
  const day = readDay(m[1]!)
  if (!day.ok) return day
  const hour = Number(m[2])
  const minute = Number(m[3])
  if (hour > 23 || minute > 59) return { ok: false, problem: 'date' }
  return { ok: true, value: `${day.day}T${String(hour).padStart(2, '0')}:${m[3]}` }
}
