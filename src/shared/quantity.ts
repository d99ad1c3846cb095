import { parseScaled } from './decimal.ts'
import { MAX_QUANTITY } from './errors.ts'

/**
 * The one check of an ordered quantity or tolerance, for the order entry in the browser and the core
 * alike. A product is ordered in steps of its sales unit (`stepMilli` thousandths of it: 1000 for whole
 * units, 500 for half a kilo, 10 for 0.01 m²); quantities travel and are stored as a whole number of
 * steps, and are typed and shown in the sales unit. Each failure is a field error code
 * (`fieldErrors.<code>`) with the parameters its text needs.
 */

export { MAX_QUANTITY }

/** Whole units: the step of every product that does not say otherwise. */
export const WHOLE_UNIT = 1000

export type QuantityProblem =
  | { code: 'number' }
  | { code: 'quantity_negative' }
  | { code: 'quantity_max'; params: { max: number } }
  | { code: 'quantity_whole'; params: { unit: string } }
  | { code: 'quantity_step'; params: { measure: string; step: number } }

/** `value` is in steps. */
export type QuantityCheck = { ok: true; value: number } | ({ ok: false } & QuantityProblem)

const MICRO = 1_000_000

/**
 * Not a whole number of steps. (quantity_step names the unit `measure`: i18next hands a message's
 * parameters to Intl.NumberFormat when it formats `{{step, number}}`, and `unit` is one of its options.)
 */
function notAStep(unit: string | undefined, stepMilli: number): QuantityProblem {
  return stepMilli === WHOLE_UNIT ? { code: 'quantity_whole', params: { unit: unit ?? '' } } : { code: 'quantity_step', params: { measure: unit ?? '', step: stepMilli / 1000 } }
}

/**
 * Checks a quantity typed by a person in the product's sales unit ("12", "1,5", "-3", "1e12"). Empty
 * text means 0. `unit` is the product's sales unit (`units.<unit>`), named in the message when the
 * quantity is not a whole number of steps. The value is in steps (1,5 kg in steps of 0,5 kg: 3).
 */
export function checkQuantity(input: string | null | undefined, unit?: string, stepMilli = WHOLE_UNIT): QuantityCheck {
  if (input === null || input === undefined) return { ok: true, value: 0 }
  const s = input.trim().replace(/[\s\u00a0\u202f']/g, '')
  if (s === '') return { ok: true, value: 0 }
  let micro = parseScaled(s, 6)
  if (micro === null) {
    // Too many digits for the scaled reading, or written with an exponent: read it as a plain number,
    // only to say what is wrong with it.
    const plain = /^[+-]?\d+$/.test(s) || /^[+-]?\d+(?:[.,]\d+)?e[+-]?\d+$/i.test(s) ? Number(s.replace(',', '.')) : NaN
    if (!Number.isFinite(plain)) return { ok: false, code: 'number' }
    if (plain < 0) return { ok: false, code: 'quantity_negative' }
    if (plain > MAX_QUANTITY) return { ok: false, code: 'quantity_max', params: { max: MAX_QUANTITY } }
    if (!Number.isInteger(plain)) return { ok: false, ...notAStep(unit, stepMilli) }
    micro = plain * MICRO
  }
  if (micro < 0) return { ok: false, code: 'quantity_negative' }
  if (micro > MAX_QUANTITY * MICRO) return { ok: false, code: 'quantity_max', params: { max: MAX_QUANTITY } }
  if (micro % (stepMilli * 1000) !== 0) return { ok: false, ...notAStep(unit, stepMilli) }
  return { ok: true, value: micro / (stepMilli * 1000) }
}

/**
 * Checks a number of steps as the API carries it: a whole number from 0, at most MAX_QUANTITY sales
 * units. Without `stepMilli` (the product not known yet), only what holds for every product (fractions
 * are refused once the product is known, naming its unit).
 */
export function checkSteps(n: number, unit?: string, stepMilli?: number): QuantityCheck {
  if (!Number.isFinite(n)) return { ok: false, code: 'number' }
  if (n < 0) return { ok: false, code: 'quantity_negative' }
  if (n * (stepMilli ?? 1) > MAX_QUANTITY * 1000) return { ok: false, code: 'quantity_max', params: { max: MAX_QUANTITY } }
  if (stepMilli !== undefined && !Number.isInteger(n)) return { ok: false, ...notAStep(unit, stepMilli) }
  return { ok: true, value: n }
}

/** A number of steps as the sales-unit quantity a person reads (3 steps of 0,5 kg: 1.5); exact for display. */
export function stepsValue(steps: number, stepMilli = WHOLE_UNIT): number {
  return (steps * stepMilli) / 1000
}
