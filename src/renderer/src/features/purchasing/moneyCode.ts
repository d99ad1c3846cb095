import { minorDigits, minorToDecimalString } from '../../ui/format.ts'

/**
 * An amount with its ISO code ("USD 51,70", "51,70 USD") as purchase orders and their documents write
 * it: a bare "$" reads as pesos in Argentina, so dollars are never shown as one.
 */
export function formatMoneyCode(minor: number, currency: string, locale: string): string {
  const f = new Intl.NumberFormat(locale, { style: 'currency', currency, currencyDisplay: 'code' })
  return f.format(minorToDecimalString(minor, minorDigits(currency)) as unknown as number)
}
