import { z } from 'zod'
import { parseDate } from '../../shared/dates.ts'
import { parseScaled } from '../../shared/decimal.ts'
import { type FieldErrorCode, type FieldErrors, isFieldErrorCode } from '../../shared/errors.ts'

/** A trimmed text field; empty becomes null. */
export function optionalText(max: number) {
  return z
    .string()
    .trim()
    .max(max)
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

function toScaled(v: string | number, digits: number, min: number | undefined, ctx: z.RefinementCtx): number {
  const n = parseScaled(v, digits)
  if (n === null) {
    ctx.addIssue({ code: 'custom', message: 'number', params: { digits } })
    return z.NEVER
  }
  if (min !== undefined && n < min) {
    ctx.addIssue({ code: 'custom', message: 'too_small' })
    return z.NEVER
  }
  return n
}

/**
 * A decimal typed or imported as text or number, kept as an integer scaled by 10^digits
 * ("12,5" with 3 digits → 12500). `min` is in scaled units.
 */
export function scaledDecimal(digits: number, options: { min?: number } = {}) {
  return z.union([z.string(), z.number()]).transform((v, ctx) => {
    if (v === '') {
      ctx.addIssue({ code: 'custom', message: 'required' })
      return z.NEVER
    }
    return toScaled(v, digits, options.min, ctx)
  })
}

/** The same, optional: absent or empty becomes null. */
export function optionalScaledDecimal(digits: number, options: { min?: number } = {}) {
  return z
    .union([z.string(), z.number()])
    .nullish()
    .transform((v, ctx) => (v === null || v === undefined || v === '' ? null : toScaled(v, digits, options.min, ctx)))
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

/** Turns zod's issues into our field errors: a path and a code the UI can translate. */
export function fieldErrors(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {}
  for (const issue of error.issues) {
    const path = issue.path.join('.') || '_'
    if (out[path]) continue
    if (isFieldErrorCode(issue.message)) {
      const params = issue.code === 'custom' ? (issue.params as Record<string, unknown> | undefined) : undefined
      out[path] = params ? { code: issue.message, params } : { code: issue.message }
    } else if (issue.code === 'too_big') {
      out[path] = { code: 'too_long', params: { max: Number(issue.maximum) } }
    } else if (issue.code === 'too_small' || (issue.code === 'invalid_type' && issue.input === undefined)) {
      out[path] = { code: 'required' }
    } else {
      out[path] = { code: 'invalid' }
    }
  }
  return out
}
