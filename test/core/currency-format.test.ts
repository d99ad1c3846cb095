import { describe, expect, it } from 'vitest'
import { formatMoney as documentMoney } from '../../src/core/common/text.ts'
import { formatMoneyCode } from '../../src/core/documents/format.ts'
import { currencyDisplay } from '../../src/shared/currency.ts'
import { formatMoney } from '../../src/renderer/src/ui/format.ts'

/** Intl separates with no-break spaces; the expectations are written with plain ones. */
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ')

// An Argentine reads a bare "$" as pesos: US dollars never show as "$", pesos never as "$" either.
describe('currencies are unambiguous in every language', () => {
  it('the UI: US dollars as "US$" or "USD", pesos as "ARS", the euro as "€"', () => {
    const cases: [string, string, string][] = [
      ['de', 'USD', '1.234,50 USD'],
      ['de', 'ARS', '1.234,50 ARS'],
      ['de', 'EUR', '1.234,50 €'],
      ['es', 'USD', '1234,50 US$'],
      ['es', 'ARS', '1234,50 ARS'],
      ['es', 'EUR', '1234,50 €'],
      ['en', 'USD', 'USD 1,234.50'],
      ['en', 'ARS', 'ARS 1,234.50'],
      ['en', 'EUR', '€1,234.50'],
      ['es-AR', 'USD', 'US$ 1.234,50'],
      ['es-AR', 'ARS', 'ARS 1.234,50'],
      ['en-GB', 'USD', 'US$1,234.50']
    ]
    for (const [locale, currency, expected] of cases) expect(plain(formatMoney(123450, currency, locale)), `${locale} ${currency}`).toBe(expected)
  })

  it('no UI amount in any language is a bare "$"', () => {
    for (const locale of ['de', 'es', 'en', 'es-AR', 'en-US', 'de-AT', 'es-ES'])
      for (const currency of ['USD', 'ARS', 'CAD', 'AUD', 'MXN', 'CLP', 'UYU']) {
        const text = plain(formatMoney(100, currency, locale))
        expect(text.replace(/[\d.,\s-]/g, ''), `${locale} ${currency}: ${text}`).not.toBe('$')
      }
  })

  it('order forms in the reader\'s language (de-DE, es-ES, en-GB)', () => {
    expect(plain(documentMoney(123450, 2, 'USD', 'de'))).toBe('1.234,50 USD')
    expect(plain(documentMoney(123450, 2, 'USD', 'es'))).toBe('1234,50 US$')
    expect(plain(documentMoney(123450, 2, 'USD', 'en'))).toBe('US$1,234.50')
    expect(plain(documentMoney(123450, 2, 'ARS', 'en'))).toBe('ARS 1,234.50')
    expect(plain(documentMoney(250, 2, 'EUR', 'de'))).toBe('2,50 €')
  })

  it('documents to cooperatives write the ISO code (es-AR, de-DE, en-GB)', () => {
    expect(plain(formatMoneyCode(123450, 2, 'USD', 'es-AR'))).toBe('USD 1.234,50')
    expect(plain(formatMoneyCode(123450, 2, 'ARS', 'es-AR'))).toBe('ARS 1.234,50')
    expect(plain(formatMoneyCode(123450, 2, 'ARS', 'de-DE'))).toBe('1.234,50 ARS')
    expect(plain(formatMoneyCode(123450, 2, 'USD', 'en-GB'))).toBe('USD 1,234.50')
  })

  it('keeps a symbol that names one currency, and codes a bare "$"', () => {
    expect(currencyDisplay('de', 'EUR')).toBe('symbol')
    expect(currencyDisplay('es-AR', 'USD')).toBe('symbol')
    expect(currencyDisplay('es-AR', 'ARS')).toBe('code')
    expect(currencyDisplay('en-US', 'USD')).toBe('code')
  })
})
