/**
 * How an amount names its currency. Intl's symbol is kept where it names one currency only ("€", "US$",
 * "ARS"); a bare "$" (US dollars in English, pesos in Argentina), "¥" or "kr" becomes the ISO code, so
 * no reader in any language takes dollars for pesos.
 */
const AMBIGUOUS = new Set(['$', '¥', '￥', 'kr', 'kr.', 'Kr', '£', 'R', 'Rs'])

const cache = new Map<string, 'symbol' | 'code'>()

export function currencyDisplay(locale: string, currency: string): 'symbol' | 'code' {
  const key = `${locale}|${currency}`
  let display = cache.get(key)
  if (!display) {
    const symbol = new Intl.NumberFormat(locale, { style: 'currency', currency }).formatToParts(1).find((p) => p.type === 'currency')?.value ?? ''
    display = AMBIGUOUS.has(symbol.trim()) ? 'code' : 'symbol'
    cache.set(key, display)
  }
  return display
}
