/**
 * Numbers, dates and money in the user's locale through Intl. Money arrives as integer minor units and
 * is handed to Intl as a decimal string, so no binary float ever touches an amount.
 */
import { SECTORS, type Sector } from '../../../shared/catalogue.ts'
import { currencyDisplay } from '../../../shared/currency.ts'
import { parseLocalDateTime } from '../../../shared/dates.ts'
import { formatScaled } from '../../../shared/decimal.ts'

const cache = new Map<string, Intl.NumberFormat>()

function moneyFormat(locale: string, currency: string): Intl.NumberFormat {
  const key = `${locale}|${currency}`
  let f = cache.get(key)
  if (!f) {
    // Never a bare "$": US dollars show as "US$" or "USD", pesos as "ARS" (shared/currency.ts).
    f = new Intl.NumberFormat(locale, { style: 'currency', currency, currencyDisplay: currencyDisplay(locale, currency) })
    cache.set(key, f)
  }
  return f
}

/** The number of minor units of a currency (2 for EUR, 0 for JPY…), as Intl knows it. */
export function minorDigits(currency: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2
}

export function minorToDecimalString(minor: number | bigint, digits: number): string {
  const n = BigInt(minor)
  const neg = n < 0n
  const abs = (neg ? -n : n).toString().padStart(digits + 1, '0')
  const int = abs.slice(0, abs.length - digits)
  const frac = abs.slice(abs.length - digits)
  return `${neg ? '-' : ''}${int}${digits > 0 ? '.' + frac : ''}`
}

export function formatMoney(minor: number | bigint, currency: string, locale: string): string {
  const decimal = minorToDecimalString(minor, minorDigits(currency))
  // Intl accepts decimal strings exactly (ECMA-402 "Intl.NumberFormat v3").
  return moneyFormat(locale, currency).format(decimal as unknown as number)
}

export function formatNumber(value: number, locale: string, options?: Intl.NumberFormatOptions): string {
  return new Intl.NumberFormat(locale, options).format(value)
}

export function formatDate(iso: string | Date, locale: string, style: 'date' | 'datetime' | 'full' = 'date'): string {
  const d = typeof iso === 'string' ? new Date(iso) : iso
  if (style === 'full') return new Intl.DateTimeFormat(locale, { dateStyle: 'full' }).format(d)
  if (style === 'datetime') return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(d)
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }).format(d)
}

const pad = (n: number) => String(n).padStart(2, '0')

/** An instant as a date field holds it: the wall-clock time in this computer's time zone, whole minutes (YYYY-MM-DDTHH:mm). */
export function localFromInstant(iso: string | Date): string {
  const d = typeof iso === 'string' ? new Date(iso) : iso
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`
}

/**
 * A date field's wall-clock time (YYYY-MM-DDTHH:mm in this computer's time zone, read by the strict
 * parser) as the ISO instant the API takes; null when it is no such time — including one the clock
 * skips when summer time begins (02:30 on that night), which is refused rather than moved an hour on.
 */
export function instantFromLocal(value: string): string | null {
  const p = parseLocalDateTime(value)
  if (!p) return null
  const d = new Date(p.year, p.month - 1, p.day, p.hour, p.minute)
  // Read back: a time the clock skips (or a year below 100, which Date takes as 19xx) does not come back as typed.
  if (localFromInstant(d) !== `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}`) return null
  return d.toISOString()
}

/** An instant in a given time zone, with the zone's name: "20.12.2026, 18:00 (Europe/Berlin)". */
export function formatInZone(iso: string, locale: string, timeZone: string): string {
  return `${new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(new Date(iso))} (${timeZone})`
}

/** How far an instant is from now, in days (hours when under two days): "in 14 days", "vor 3 Stunden". */
export function relativeTime(iso: string, locale: string, now: number = Date.now()): string {
  const ms = Date.parse(iso) - now
  const hours = Math.round(ms / 3_600_000)
  const f = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' })
  return Math.abs(hours) < 48 ? f.format(hours, 'hour') : f.format(Math.round(ms / 86_400_000), 'day')
}

export function countryName(code: string, locale: string): string {
  return new Intl.DisplayNames([locale], { type: 'region' }).of(code) ?? code
}

export function currencyName(code: string, locale: string): string {
  return new Intl.DisplayNames([locale], { type: 'currency' }).of(code) ?? code
}

/** The locale's decimal separator ("," in de and es, "." in en). */
export function decimalSeparator(locale: string): string {
  return new Intl.NumberFormat(locale).formatToParts(1.5).find((p) => p.type === 'decimal')?.value ?? '.'
}

/**
 * A scaled integer (thousandths of a case, minor units…) as editable decimal text in the locale's
 * notation: (12500, 3) → "12,5" in German. No grouping, so the core reads it back exactly.
 */
export function decimalText(value: number | null, digits: number, locale: string, trim = true): string {
  if (value === null) return ''
  return formatScaled(value, digits, trim).replace('.', decimalSeparator(locale))
}

/**
 * A number of a product's steps as the quantity a person reads and types, in the sales unit and the UI
 * language (3 steps of 0,5 kg: "1,5"); whole units as whole numbers.
 */
export function stepsText(steps: number, stepMilli: number, locale: string): string {
  return decimalText(steps * stepMilli, 3, locale)
}

/** A number of a product's steps for reading (grouped: "1.250,5"), in the sales unit; not for input fields. */
export function formatSteps(steps: number, stepMilli: number, locale: string): string {
  return formatNumber((steps * stepMilli) / 1000, locale, { maximumFractionDigits: 3 })
}

/** A calendar day stored as YYYY-MM-DD, shown in the locale (no time zone shift). */
export function formatDay(day: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`))
}

/** A product's name in the UI language, else Spanish, English, German. */
export function productName(p: { nameEs: string | null; nameDe: string | null; nameEn: string | null }, language: string): string {
  const own = language === 'de' ? p.nameDe : language === 'en' ? p.nameEn : p.nameEs
  return own ?? p.nameEs ?? p.nameEn ?? p.nameDe ?? ''
}

/**
 * A cooperative's sector in the UI language: a stored text that is vocabulary (in English as the demo
 * stores it, or as the UI language writes it) shows as `texts` (the `sectors.` texts) name it; any other
 * text as it was typed.
 */
export function sectorText(stored: string | null, texts: Record<Sector, string>): string {
  if (!stored) return ''
  const s = stored.trim().toLocaleLowerCase()
  const key = (Object.keys(SECTORS) as Sector[]).find((k) => SECTORS[k] === s || texts[k]?.toLocaleLowerCase() === s)
  return key ? texts[key] : stored
}

/** A cooperative as lists name it: its short name (the legal names mostly begin alike), else the full one. */
export function supplierShortName(s: { name: string; shortName?: string | null }): string {
  return s.shortName?.trim() || s.name
}

