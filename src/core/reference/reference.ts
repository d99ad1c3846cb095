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

/** One stored rate a conversion used, in the direction it was stored (`inverse`: used the other way round). */
export interface RateLeg {
  from: string
  to: string
  /** How many `to` for one `from` as used, scaled by 10^8 (an inverse rounded half up). */
  rateE8: bigint
  validOn: string
  source: string | null
  inverse: boolean
}

/** A conversion from one currency into another on a day: the rate (×10^8) and the legs it chained. */
export interface RateChain {
  from: string
  to: string
  rateE8: bigint
  /** The day of the oldest leg: a chain is only as fresh as its older rate. */
  validOn: string
  /** The pivot currency of a chain ("USD" in ARS → USD → EUR), or null for a direct or inverse rate. */
  via: string | null
  legs: RateLeg[]
}

/** Pivots tried first when several would do (then the others alphabetically). */
const PREFERRED_PIVOTS = ['USD', 'EUR']

/** A rate as a fraction (numerator / denominator) of plain numbers, so a chain rounds once at the end. */
interface Fraction {
  num: bigint
  den: bigint
}

const E8 = 100_000_000n

/** x / y rounded half up to an integer (x, y > 0). */
function divHalfUp(x: bigint, y: bigint): bigint {
  return (2n * x + y) / (2n * y)
}

/**
 * The latest stored rate on or before `date` between two currencies, in either direction; on the same
 * day the direction asked for wins over the inverse.
 */
function leg(ws: Workspace, from: string, to: string, date: string): (RateLeg & { fraction: Fraction }) | null {
  const row = ws.db
    .prepare(
      `SELECT base, rate_e8 AS e8, valid_on AS validOn, source FROM exchange_rate WHERE deleted_at IS NULL AND valid_on <= ?
       AND ((base = ? AND quote = ?) OR (base = ? AND quote = ?)) ORDER BY valid_on DESC, base = ? DESC LIMIT 1`
    )
    .get(date, from, to, to, from, from) as { base: string; e8: number; validOn: string; source: string | null } | undefined
  if (!row) return null
  const e8 = BigInt(row.e8)
  if (row.base === from) return { from, to, rateE8: e8, validOn: row.validOn, source: row.source, inverse: false, fraction: { num: e8, den: E8 } }
  // Inverse, rounded half up to 8 decimals where it is shown; a chain keeps the exact fraction.
  return { from, to, rateE8: divHalfUp(E8 * E8, e8), validOn: row.validOn, source: row.source, inverse: true, fraction: { num: E8, den: e8 } }
}

/**
 * Converts `from` into `to` on `date`: a stored rate (direct, or the inverse of one) unless a chain is
 * more recent than it; a chain goes through one pivot currency (ARS → USD → EUR from ARS/USD and USD/EUR), each leg
 * the latest rate on or before the date. A chain's rate is the product of its legs, computed exactly
 * and rounded half up to 8 decimals once; its date is its older leg's. Of several pivots the one with
 * the newest older leg wins (then USD, EUR, then alphabetical). Null when nothing connects them.
 */
export function exchangeRateChain(ws: Workspace, from: string, to: string, date: string): RateChain | null {
  if (from === to) return { from, to, rateE8: E8, validOn: date, via: null, legs: [] }
  const direct = leg(ws, from, to, date)
  // A stored rate wins unless a chain is more recent: an ARS/EUR rate typed once a year ago must not
  // beat this week's ARS/USD and USD/EUR (pesos lose value by the month).
  let best: RateChain | null = null
  if (direct) {
    const { fraction: _f, ...l } = direct
    best = { from, to, rateE8: l.rateE8, validOn: l.validOn, via: null, legs: [l] }
    if (l.validOn === date) return best
  }
  const pivots = (
    ws.db
      .prepare(
        `SELECT DISTINCT CASE WHEN base IN (@a, @b) THEN quote ELSE base END AS c FROM exchange_rate
         WHERE deleted_at IS NULL AND valid_on <= @date AND (base IN (@a, @b) OR quote IN (@a, @b))`
      )
      .pluck()
      .all({ a: from, b: to, date }) as string[]
  )
    .filter((c) => c !== from && c !== to)
    .sort((a, b) => {
      const pa = PREFERRED_PIVOTS.indexOf(a)
      const pb = PREFERRED_PIVOTS.indexOf(b)
      if (pa !== pb) return (pa === -1 ? 99 : pa) - (pb === -1 ? 99 : pb)
      return a < b ? -1 : a > b ? 1 : 0
    })
  for (const pivot of pivots) {
    const first = leg(ws, from, pivot, date)
    const second = first && leg(ws, pivot, to, date)
    if (!first || !second) continue
    const validOn = first.validOn < second.validOn ? first.validOn : second.validOn
    if (best && best.validOn >= validOn) continue
    const num = first.fraction.num * second.fraction.num
    const den = first.fraction.den * second.fraction.den
    const { fraction: _a, ...l1 } = first
    const { fraction: _b, ...l2 } = second
    best = { from, to, rateE8: divHalfUp(num * E8, den), validOn, via: pivot, legs: [l1, l2] }
  }
  return best
}

/**
 * The latest rate on or before `date` converting `from` into `to` (direct, the inverse of a stored one,
 * or chained through one pivot — see exchangeRateChain), scaled by 10^8.
 */
export function exchangeRateOn(ws: Workspace, from: string, to: string, date: string): { rateE8: bigint; validOn: string } | null {
  const chain = exchangeRateChain(ws, from, to, date)
  return chain ? { rateE8: chain.rateE8, validOn: chain.validOn } : null
}

/**
 * An amount in minor units of one currency converted at a rate (×10^8) into minor units of another,
 * with integer math only, rounded half up: minor × rateE8 × 10^toDigits / (10^8 × 10^fromDigits).
 */
export function convertMinor(minor: number, fromDigits: number, toDigits: number, rateE8: bigint): number {
  const x = BigInt(minor) * rateE8 * 10n ** BigInt(toDigits)
  const y = E8 * 10n ** BigInt(fromDigits)
  return Number(x >= 0n ? divHalfUp(x, y) : -divHalfUp(-x, y))
}

export const convertInput = z.object({
  from: z.enum(CURRENCIES, { message: 'currency' }),
  to: z.enum(CURRENCIES, { message: 'currency' }),
  date: day,
  /** An amount as typed ("1.000,50" or "1000.50"); 1 when absent. */
  amount: z.union([z.string(), z.number()]).optional()
})

export interface Conversion {
  from: string
  to: string
  date: string
  /** The amount converted, in minor units of `from`, and the result in minor units of `to`. */
  amountMinor: number
  resultMinor: number
  fromDigits: number
  toDigits: number
  /** The rate and the chain, numbers as text (JSON carries no bigint). */
  rateE8: string
  validOn: string
  via: string | null
  legs: { from: string; to: string; rateE8: string; validOn: string; source: string | null; inverse: boolean }[]
}

/** What an amount of one currency is worth in another on a day, with the rates it took: the reference page's check. */
export function convert(ws: Workspace, input: z.output<typeof convertInput>): Conversion {
  const fromDigits = currencyDigits(ws, input.from)
  const toDigits = currencyDigits(ws, input.to)
  const amountMinor = input.amount === undefined || input.amount === '' ? 10 ** fromDigits : parseScaled(input.amount, fromDigits)
  if (amountMinor === null || amountMinor < 0) throw fieldError('amount', 'number')
  const chain = exchangeRateChain(ws, input.from, input.to, input.date)
  if (!chain) throw new AppError('exchange.no_rate', { from: input.from, to: input.to, date: input.date })
  return {
    from: input.from,
    to: input.to,
    date: input.date,
    amountMinor,
    resultMinor: convertMinor(amountMinor, fromDigits, toDigits, chain.rateE8),
    fromDigits,
    toDigits,
    rateE8: String(chain.rateE8),
    validOn: chain.validOn,
    via: chain.via,
    legs: chain.legs.map((l) => ({ ...l, rateE8: String(l.rateE8) }))
  }
}

export function deleteReference(ws: Workspace, table: 'vat_rate' | 'exchange_rate', id: string): void {
  if (!ws.write.tombstone(table, id)) throw new AppError('record.not_found', { id })
}
