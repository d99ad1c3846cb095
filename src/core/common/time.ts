import { parseLocalDateTime } from '../../shared/dates.ts'

/** Wall-clock times in a named time zone, converted with Intl (no time-zone database of our own). */

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz })
    return true
  } catch {
    return false
  }
}

/** The zone's offset from UTC in milliseconds at an instant. */
function offsetAt(utcMs: number, tz: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: tz,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit'
  }).formatToParts(new Date(utcMs))
  const get = (t: string) => Number(parts.find((p) => p.type === t)!.value)
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'))
  return asUtc - Math.floor(utcMs / 1000) * 1000
}

/**
 * "2026-12-05T18:00" in Europe/Berlin → the UTC instant as ISO text. In the hour a clock skips, the
 * later valid time is taken; in the hour it repeats, the first one.
 */
export function zonedToUtc(local: string, tz: string): string | null {
  const t = parseLocalDateTime(local)
  if (!t) return null
  const guess = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute)
  let utc = guess - offsetAt(guess, tz)
  const second = guess - offsetAt(utc, tz)
  if (second !== utc) utc = Math.max(utc, second)
  return new Date(utc).toISOString()
}

/** The UTC instant as local wall-clock text "YYYY-MM-DDTHH:mm" in the zone. */
export function utcToZoned(iso: string, tz: string): string {
  const ms = Date.parse(iso)
  const local = new Date(ms + offsetAt(ms, tz))
  return local.toISOString().slice(0, 16)
}

/** A day (YYYY-MM-DD) moved by a number of calendar days. */
export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}
