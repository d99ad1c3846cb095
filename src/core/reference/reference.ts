import { z } from 'zod'
import { parseScaled } from '../../shared/decimal.ts'
import { COUNTRIES, CURRENCIES } from '../../shared/reference.ts'
import type { Workspace } from '../db/workspace.ts'
import { AppError } from '../../shared/errors.ts'
import { fieldError } from '../common/records.ts'
import { dateField, optionalDate, optionalText } from '../common/zod.ts'

/**
 * Reference data the user keeps up to date by hand (there is no network): currencies, VAT rates per
 * country and class with validity dates, and exchange rates per day.
 */

export function currencyDigits(ws: Workspace, code: string): number {
  const row = ws.db.prepare('SELECT minor_digits AS d FROM currency WHERE code = ? AND deleted_at IS NULL').get(code) as { d: number } | undefined
  if (!row) throw fieldError('currency', 'currency')
  return row.d
}

export function listCurrencies(ws: Workspace): { code: string; minorDigits: number }[] {
  return ws.db.prepare('SELECT code, minor_digits AS minorDigits FROM currency WHERE deleted_at IS NULL ORDER BY code').all() as {
    code: string
    minorDigits: number
  }[]
}

const day = dateField()

export const vatRateInput = z
  .object({
    id: z.uuid().optional(),
    country: z.enum(COUNTRIES, { message: 'country' }),
    class: z.enum(['reduced', 'standard', 'zero', 'super_reduced'], { message: 'invalid' }),
    /** Percent as typed ("8,1"); stored in basis points. */
    rate: z.union([z.string(), z.number()]),
    validFrom: day,
    validTo: optionalDate()
  })
  .superRefine((v, ctx) => {
    if (v.validTo && v.validTo <= v.validFrom) ctx.addIssue({ code: 'custom', message: 'date_order', path: ['validTo'] })
  })

export interface VatRate {
  id: string
  country: string
  class: string
  rateBp: number
  validFrom: string
  validTo: string | null
}

export function listVatRates(ws: Workspace): VatRate[] {
  return ws.db
    .prepare(
      `SELECT id, country, class, rate_bp AS rateBp, valid_from AS validFrom, valid_to AS validTo
       FROM vat_rate WHERE deleted_at IS NULL ORDER BY country, class, valid_from DESC`
    )
    .all() as VatRate[]
}

export function saveVatRate(ws: Workspace, input: z.output<typeof vatRateInput>): VatRate {
  const bp = parseScaled(input.rate, 2)
  if (bp === null || bp < 0 || bp > 10000) throw fieldError('rate', 'number')
  const id = input.id ?? ws.env.uuid()
  const values = { country: input.country, class: input.class, rate_bp: bp, valid_from: input.validFrom, valid_to: input.validTo }
  if (input.id) {
    if (!ws.write.update('vat_rate', id, values)) throw new AppError('record.not_found', { id })
  } else {
    ws.write.insert('vat_rate', { id, ...values })
  }
  return listVatRates(ws).find((r) => r.id === id)!
}

/** The VAT rate in basis points for a country and class on a day; 'zero' is always 0. */
export function vatRateOn(ws: Workspace, country: string, vatClass: string, date: string): number | null {
  if (vatClass === 'zero') return 0
  const row = ws.db
    .prepare(
      `SELECT rate_bp AS bp FROM vat_rate WHERE deleted_at IS NULL AND country = ? AND class = ? AND valid_from <= ?
       AND (valid_to IS NULL OR valid_to > ?) ORDER BY valid_from DESC LIMIT 1`
    )
    .get(country, vatClass, date, date) as { bp: number } | undefined
  return row?.bp ?? null
}

export const exchangeRateInput = z.object({
  id: z.uuid().optional(),
  base: z.enum(CURRENCIES, { message: 'currency' }),
  quote: z.enum(CURRENCIES, { message: 'currency' }),
  /** How many `quote` for one `base`, as typed ("0,9234"); kept scaled by 10^8. */
  rate: z.union([z.string(), z.number()]),
  validOn: day,
  source: optionalText(200)
})

export interface ExchangeRate {
  id: string
  base: string
  quote: string
  rateE8: number
  validOn: string
  source: string | null
}

export function listExchangeRates(ws: Workspace): ExchangeRate[] {
  return ws.db
    .prepare(
      `SELECT id, base, quote, rate_e8 AS rateE8, valid_on AS validOn, source FROM exchange_rate
       WHERE deleted_at IS NULL ORDER BY valid_on DESC, base, quote`
    )
    .all() as ExchangeRate[]
}

export function saveExchangeRate(ws: Workspace, input: z.output<typeof exchangeRateInput>): ExchangeRate {
  if (input.base === input.quote) throw fieldError('quote', 'invalid')
  const e8 = parseScaled(input.rate, 8)
  if (e8 === null || e8 <= 0) throw fieldError('rate', 'number')
  const id = input.id ?? ws.env.uuid()
  const values = { base: input.base, quote: input.quote, rate_e8: e8, valid_on: input.validOn, source: input.source }
  if (input.id) {
    if (!ws.write.update('exchange_rate', id, values)) throw new AppError('record.not_found', { id })
  } else {
    ws.write.insert('exchange_rate', { id, ...values })
  }
  return listExchangeRates(ws).find((r) => r.id === id)!
}

/** The latest rate on or before `date` converting `from` into `to` (direct, or the inverse of a stored one), scaled by 10^8. */
export function exchangeRateOn(ws: Workspace, from: string, to: string, date: string): { rateE8: bigint; validOn: string } | null {
  if (from === to) return { rateE8: 100_000_000n, validOn: date }
  const row = ws.db
    .prepare(
      `SELECT base, rate_e8 AS e8, valid_on AS validOn FROM exchange_rate WHERE deleted_at IS NULL AND valid_on <= ?
       AND ((base = ? AND quote = ?) OR (base = ? AND quote = ?)) ORDER BY valid_on DESC, base = ? DESC LIMIT 1`
    )
    .get(date, from, to, to, from, from) as { base: string; e8: number; validOn: string } | undefined
  if (!row) return null
  if (row.base === from) return { rateE8: BigInt(row.e8), validOn: row.validOn }
  // Inverse, rounded half up to 8 decimals.
  const inv = (10n ** 16n * 2n + BigInt(row.e8)) / (2n * BigInt(row.e8))
  return { rateE8: inv, validOn: row.validOn }
}

export function deleteReference(ws: Workspace, table: 'vat_rate' | 'exchange_rate', id: string): void {
  if (!ws.write.tombstone(table, id)) throw new AppError('record.not_found', { id })
}
