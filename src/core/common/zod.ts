import { z } from 'zod'
import { parseDate } from '../../shared/dates.ts'
import { parseScaled } from '../../shared/decimal.ts'
import { checkPostalCode, normalizePostalCode } from '../validate/postal.ts'
import { AppError, type FieldErrorCode, type FieldErrors, isFieldErrorCode, MAX_AMOUNT, MAX_QUANTITY } from '../../shared/errors.ts'

/**
 * Whether a text holds a C0 or C1 control character or DEL, never part of a name or a line of text;
 * `multiline` text (notes) may hold tabs, line feeds and carriage returns.
 */
export function hasControlChars(s: string, multiline = false): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (multiline && (c === 0x09 || c === 0x0a || c === 0x0d)) continue
    if (c <= 0x1f || (c >= 0x7f && c <= 0x9f)) return true
  }
  return false
}

/** Which lines a text may span: `multiline` lets notes keep tabs and line breaks. */
type TextOptions = { multiline?: boolean }

/** A trimmed text that must not be empty; control characters fail with `control_chars`. */
export function requiredText(max: number, options: TextOptions = {}) {
  return z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((s) => !hasControlChars(s, options.multiline), { message: 'control_chars' })
}

/** A trimmed text field; empty becomes null; control characters fail with `control_chars`. */
export function optionalText(max: number, options: TextOptions = {}) {
  return z
    .string()
    .trim()
    .max(max)
    .refine((s) => !hasControlChars(s, options.multiline), { message: 'control_chars' })
    .nullish()
    .transform((s) => (s ? s : null))
}

/** A whole percentage from 0 to 100; anything else fails with the field code `percent`. */
export const percent = z.number({ message: 'percent' }).int({ message: 'percent' }).min(0, { message: 'percent' }).max(100, { message: 'percent' })

/** A calendar day as YYYY-MM-DD that exists (the one strict date parser; 2026-02-30 fails with `date`). */
export function dateField() {
  return z.string().transform((s, ctx) => {
    const d = parseDate(s)
    if (d === null) {
      ctx.addIssue({ code: 'custom', message: 'date' })
      return z.NEVER
    }
    return d
  })
}

/** The same, optional: absent or empty becomes null. */
export function optionalDate() {
  return z
    .string()
    .nullish()
    .transform((s, ctx) => {
      if (s === null || s === undefined || s.trim() === '') return null
      const d = parseDate(s)
      if (d === null) {
        ctx.addIssue({ code: 'custom', message: 'date' })
        return z.NEVER
      }
      return d
    })
}

/**
 * For an object's `superRefine`: run it even when some fields failed, so that its problems come in the
 * same answer as theirs (one wave of errors). Fields that failed may hold what was sent: check before use.
 */
export const evenWithFieldErrors = { when: (payload: { value: unknown }) => typeof payload.value === 'object' && payload.value !== null }

/** An optional postal code: at most 10 letters, digits, spaces and hyphens (normalised; empty becomes null). */
export function optionalPostalCode() {
  return z
    .string()
    .trim()
    .max(10)
    .nullish()
    .transform((s, ctx) => {
      if (!s) return null
      const problem = checkPostalCode(s, null)
      if (problem) {
        ctx.addIssue({ code: 'custom', message: problem.code })
        return z.NEVER
      }
      return normalizePostalCode(s)
    })
}

/** In an object's superRefine: the postal code has its country's form (DE 5 digits, AR C1425ABC…). */
export function postalCodeFits(value: { postalCode: unknown; country: unknown }, ctx: z.RefinementCtx): void {
  if (typeof value.postalCode !== 'string' || !value.postalCode || typeof value.country !== 'string') return
  const problem = checkPostalCode(value.postalCode, value.country)
  if (problem) ctx.addIssue({ code: 'custom', message: problem.code, params: problem.params, path: ['postalCode'] })
}

/** An optional web address (http or https only). */
export function optionalUrl() {
  return z
    .string()
    .trim()
    .max(500)
    .nullish()
    .transform((s, ctx) => {
      if (!s) return null
      if (!URL.canParse(s) || !['http:', 'https:'].includes(new URL(s).protocol)) {
        ctx.addIssue({ code: 'custom', message: 'url' })
        return z.NEVER
      }
      return s
    })
}

type Limits = { min?: number; max?: number }

/** A scaled limit as the number people read in a message: (100, 2) → 1. */
const unscaled = (scaled: number, digits: number): number => scaled / 10 ** digits

/**
 * Reads a decimal into an integer scaled by 10^digits, or adds the issue that says what is wrong: not a
 * number (`number`), too many decimals (`decimals`), below `min` (`at_least`), above `max` (`at_most`).
 */
function toScaled(v: string | number, digits: number, limits: Limits, ctx: z.RefinementCtx): number {
  const n = parseScaled(v, digits)
  if (n === null) {
    // A number with more decimals than allowed says so; anything else is not a number at all.
    const code = parseScaled(v, digits + 12) === null ? 'number' : 'decimals'
    ctx.addIssue({ code: 'custom', message: code, params: { digits } })
    return z.NEVER
  }
  if (limits.min !== undefined && n < limits.min) {
    // A minimum of the smallest step (a thousandth of a case) means "more than 0".
    if (limits.min === 1) ctx.addIssue({ code: 'custom', message: 'positive' })
    else ctx.addIssue({ code: 'custom', message: 'at_least', params: { min: unscaled(limits.min, digits) } })
    return z.NEVER
  }
  if (limits.max !== undefined && n > limits.max) {
    ctx.addIssue({ code: 'custom', message: 'at_most', params: { max: unscaled(limits.max, digits) } })
    return z.NEVER
  }
  return n
}

/** Quantities and measures stop at MAX_QUANTITY unless a field says otherwise. */
const withMax = (digits: number, options: Limits): Limits => ({ max: MAX_QUANTITY * 10 ** digits, ...options })

/**
 * A decimal typed or imported as text or number, kept as an integer scaled by 10^digits
 * ("12,5" with 3 digits → 12500). `min` and `max` are in scaled units; `max` defaults to 1,000,000.
 */
export function scaledDecimal(digits: number, options: Limits = {}) {
  return z.union([z.string(), z.number()]).transform((v, ctx) => {
    if (v === '') {
      ctx.addIssue({ code: 'custom', message: 'required' })
      return z.NEVER
    }
    return toScaled(v, digits, withMax(digits, options), ctx)
  })
}

/** The same, optional: absent or empty becomes null. */
export function optionalScaledDecimal(digits: number, options: Limits = {}) {
  return z
    .union([z.string(), z.number()])
    .nullish()
    .transform((v, ctx) => (v === null || v === undefined || String(v).trim() === '' ? null : toScaled(v, digits, withMax(digits, options), ctx)))
}

/** The most decimals any currency has (ISO 4217: three, as the dinars). */
export const MAX_CURRENCY_DIGITS = 3

/**
 * An optional amount of money typed in the major unit ("1.250,50"), checked before its currency is known:
 * a number, 0 or more, at most MAX_AMOUNT, at most three decimals. It stays text (absent or empty: null);
 * `amountMinor` reads it in its currency's minor units.
 */
export function optionalAmount() {
  return z
    .union([z.string(), z.number()])
    .nullish()
    .transform((v, ctx) => {
      if (v === null || v === undefined || String(v).trim() === '') return null
      const scaled = toScaled(v, MAX_CURRENCY_DIGITS, { min: 0, max: MAX_AMOUNT * 10 ** MAX_CURRENCY_DIGITS }, ctx)
      return scaled === z.NEVER ? z.NEVER : String(v)
    })
}

/** The same, required: empty fails with `required`. */
export function amount() {
  return z.union([z.string(), z.number()]).transform((v, ctx) => {
    if (String(v).trim() === '') {
      ctx.addIssue({ code: 'custom', message: 'required' })
      return z.NEVER
    }
    const scaled = toScaled(v, MAX_CURRENCY_DIGITS, { min: 0, max: MAX_AMOUNT * 10 ** MAX_CURRENCY_DIGITS }, ctx)
    return scaled === z.NEVER ? z.NEVER : String(v)
  })
}

/**
 * An amount checked by `optionalAmount` in minor units of a currency with `digits` decimals, or the field
 * error to report (more decimals than the currency has).
 */
export function amountMinor(text: string, digits: number): { minor: number } | { code: 'decimals'; params: { digits: number } } {
  const minor = parseScaled(text, digits)
  return minor === null ? { code: 'decimals', params: { digits } } : { minor }
}

/**
 * An amount in minor units for `field`, or a validation error naming the field: too many decimals, or
 * (with `positive`) nothing to book.
 */
export function requireMinor(text: string, digits: number, field: string, options: { positive?: boolean } = {}): number {
  const m = amountMinor(text, digits)
  if ('code' in m) throw new AppError('validation', { fields: { [field]: { code: m.code, params: m.params } } })
  if (options.positive && m.minor <= 0) throw new AppError('validation', { fields: { [field]: { code: 'required' } } })
  return m.minor
}

/**
 * Field errors found by several checks, reported together: a form hears of every problem in one answer
 * rather than one after the other. `add` keeps the first error of a field.
 */
export class FieldProblems {
  readonly fields: FieldErrors = {}
  add(path: string, code: FieldErrorCode, params?: Record<string, unknown>): void {
    if (!this.fields[path]) this.fields[path] = params ? { code, params } : { code }
  }
  has(path: string): boolean {
    return Boolean(this.fields[path])
  }
  /** Refuses the input with all the problems found, as the validation at the boundary would. */
  throwIfAny(): void {
    if (Object.keys(this.fields).length) throw new AppError('validation', { fields: this.fields })
  }
}

/** An optional identifier: empty becomes null, otherwise normalised and checked. */
export function checkedId(normalise: (s: string) => string, check: (s: string) => FieldErrorCode | null) {
  return z
    .string()
    .trim()
    .max(64)
    .nullish()
    .transform((s, ctx) => {
      if (!s) return null
      const code = check(s)
      if (code) {
        ctx.addIssue({ code: 'custom', message: code })
        return z.NEVER
      }
      return normalise(s)
    })
}

/**
 * Turns zod's issues into our field errors: a path and a code the UI can translate, with the limits its
 * message names (`too_long` and `at_most` their maximum, `at_least` its minimum). Every field's first
 * issue is reported, so a form hears of all its problems at once.
 */
export function fieldErrors(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {}
  for (const issue of error.issues) {
    const path = issue.path.join('.') || '_'
    if (out[path]) continue
    const bound = issue.code === 'too_small' || issue.code === 'too_big' ? issue : null
    if (bound && bound.origin === 'number' && (issue.message === 'too_small' || !isFieldErrorCode(issue.message))) {
      // A number outside its range says which: "must be 0 or more", "at most 1,000,000".
      out[path] = bound.code === 'too_small' ? { code: 'at_least', params: { min: Number(bound.minimum) } } : { code: 'at_most', params: { max: Number(bound.maximum) } }
    } else if (isFieldErrorCode(issue.message)) {
      const params = issue.code === 'custom' ? (issue.params as Record<string, unknown> | undefined) : undefined
      out[path] = params ? { code: issue.message, params } : { code: issue.message }
    } else if (bound?.code === 'too_big') {
      out[path] = bound.origin === 'string' ? { code: 'too_long', params: { max: Number(bound.maximum) } } : { code: 'at_most', params: { max: Number(bound.maximum) } }
    } else if (issue.code === 'too_small' || (issue.code === 'invalid_type' && issue.input === undefined)) {
      out[path] = { code: 'required' }
    } else {
      out[path] = { code: 'invalid' }
    }
  }
  return out
}
