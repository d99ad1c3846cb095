import { formatScaled } from '../../shared/decimal.ts'
import type { Language } from '../../shared/reference.ts'

/**
 * Numbers in documents. Amounts arrive as integer minor units and reach Intl as exact decimal strings
 * ("1234.50"; ECMA-402 formats those digit for digit), so no binary float ever touches an amount.
 */

/**
 * The locale a document to a cooperative is written in: Spanish as written in Argentina (1.234,50 with
 * the currency code first), German, English.
 */
export const SUPPLIER_LOCALES: Record<Language, string> = { de: 'de-DE', es: 'es-AR', en: 'en-GB' }

const formats = new Map<string, Intl.NumberFormat>()

function cached(key: string, make: () => Intl.NumberFormat): Intl.NumberFormat {
  let f = formats.get(key)
  if (!f) formats.set(key, (f = make()))
  return f
}

/** The minor digits ISO 4217 gives a currency (2 for EUR and USD), as Intl knows them. */
export function isoDigits(currency: string): number {
  return cached(`digits|${currency}`, () => new Intl.NumberFormat('en', { style: 'currency', currency })).resolvedOptions().maximumFractionDigits ?? 2
}

const exact = (value: number, digits: number) => formatScaled(value, digits) as `${number}`

/** An amount without currency, all its minor digits shown: (123450, 2, es-AR) → "1.234,50". */
export function formatAmount(minor: number, digits: number, locale: string): string {
  const f = cached(`amount|${locale}|${digits}`, () => new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits }))
  return f.format(exact(minor, digits))
}

/** An amount with its ISO currency code, as trade documents write it: "USD 1.234,50", "1.234,50 USD". */
export function formatMoneyCode(minor: number, digits: number, currency: string, locale: string): string {
  const f = cached(
    `money|${locale}|${currency}|${digits}`,
    () => new Intl.NumberFormat(locale, { style: 'currency', currency, currencyDisplay: 'code', minimumFractionDigits: digits, maximumFractionDigits: digits })
  )
  return f.format(exact(minor, digits))
}

/**
 * A quantity stored as an integer of a smaller unit, in the larger one with at most `shown` decimals,
 * rounded half up exactly: grams as kg (digits 3), cm³ as m³ (digits 6).
 */
export function formatScaledUnit(value: number, digits: number, shown: number, locale: string): string {
  const f = cached(`scaled|${locale}|${shown}`, () => new Intl.NumberFormat(locale, { minimumFractionDigits: 0, maximumFractionDigits: shown }))
  return f.format(exact(value, digits))
}

export function formatInteger(value: number, locale: string): string {
  return cached(`int|${locale}`, () => new Intl.NumberFormat(locale, { maximumFractionDigits: 0 })).format(value)
}

/** A share in basis points as a percentage: 6000 → "60 %" (es, de), "60%" (en). */
export function formatShare(bp: number, locale: string): string {
  const f = cached(`pct|${locale}`, () => new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 2 }))
  return f.format(exact(bp, 4))
}

/** A calendar day (YYYY-MM-DD) written out: "15 de abril de 2026", "15. April 2026". */
export function formatDay(day: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`))
}

const regionNames = new Map<string, Intl.DisplayNames>()

/** A country's name in the document's language: AR → "Argentina", DE → "Alemania". */
export function countryName(code: string, locale: string): string {
  try {
    let names = regionNames.get(locale)
    if (!names) regionNames.set(locale, (names = new Intl.DisplayNames([locale], { type: 'region' })))
    return names.of(code) ?? code
  } catch {
    return code
  }
}
