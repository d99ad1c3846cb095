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
