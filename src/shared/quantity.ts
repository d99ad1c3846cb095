import { parseScaled } from './decimal.ts'
import { MAX_QUANTITY } from './errors.ts'

/**
 * The one check of an ordered quantity or tolerance, for the order entry in the browser and the core
 * alike: a number of whole sales units from 0 to MAX_QUANTITY. Each failure is a field error code
 * (`fieldErrors.<code>`) with the parameters its text needs.
 */

export { MAX_QUANTITY }

export type QuantityProblem =
  | { code: 'number' }
  | { code: 'quantity_negative' }
  | { code: 'quantity_max'; params: { max: number } }
  | { code: 'quantity_whole'; params: { unit: string } }

export type QuantityCheck = { ok: true; value: number } | ({ ok: false } & QuantityProblem)

const MICRO = 1_000_000

/**
 * Checks a quantity typed by a person ("12", "1,5", "-3", "1e12") or sent as a number. Empty text
 * means 0. `unit` is the product's sales unit (`units.<unit>`), named in the message for fractions;
 * without it, fractions are not checked here (the caller knows the product and checks them later).
 */
export function checkQuantity(input: string | number | null | undefined, unit?: string): QuantityCheck {
  if (input === null || input === undefined) return { ok: true, value: 0 }
  let micro: number | null
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) return { ok: false, code: 'number' }
    if (input < 0) return { ok: false, code: 'quantity_negative' }
    if (input > MAX_QUANTITY) return { ok: false, code: 'quantity_max', params: { max: MAX_QUANTITY } }
    if (!Number.isInteger(input)) return unit === undefined ? { ok: true, value: input } : { ok: false, code: 'quantity_whole', params: { unit } }
    return { ok: true, value: input }
  }
  const s = input.trim().replace(/[\s\u00a0\u202f']/g, '')
  if (s === '') return { ok: true, value: 0 }
  micro = parseScaled(s, 6)
  if (micro === null) {
    // Too many digits for the scaled reading, or written with an exponent: read it as a plain number,
    // only to say what is wrong with it.
    const plain = /^[+-]?\d+$/.test(s) || /^[+-]?\d+(?:[.,]\d+)?e[+-]?\d+$/i.test(s) ? Number(s.replace(',', '.')) : NaN
    if (!Number.isFinite(plain)) return { ok: false, code: 'number' }
    if (plain < 0) return { ok: false, code: 'quantity_negative' }
    if (plain > MAX_QUANTITY) return { ok: false, code: 'quantity_max', params: { max: MAX_QUANTITY } }
    if (!Number.isInteger(plain)) return { ok: false, code: 'quantity_whole', params: { unit: unit ?? '' } }
    micro = plain * MICRO
  }
  if (micro < 0) return { ok: false, code: 'quantity_negative' }
  if (micro > MAX_QUANTITY * MICRO) return { ok: false, code: 'quantity_max', params: { max: MAX_QUANTITY } }
  if (micro % MICRO !== 0) return { ok: false, code: 'quantity_whole', params: { unit: unit ?? '' } }
  return { ok: true, value: micro / MICRO }
}
