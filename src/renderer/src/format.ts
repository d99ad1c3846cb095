/**
 * Numbers, dates and money in the user's locale through Intl. Money arrives as integer minor units and
 * is handed to Intl as a decimal string, so no binary float ever touches an amount.
 */
const cache = new Map<string, Intl.NumberFormat>()

function moneyFormat(locale: string, currency: string): Intl.NumberFormat {
  const key = `${locale}|${currency}`
  let f = cache.get(key)
  if (!f) {
    f = new Intl.NumberFormat(locale, { style: 'currency', currency })
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

export function countryName(code: string, locale: string): string {
  return new Intl.DisplayNames([locale], { type: 'region' }).of(code) ?? code
}

export function currencyName(code: string, locale: string): string {
  return new Intl.DisplayNames([locale], { type: 'currency' }).of(code) ?? code
}
