import { z } from 'zod'
import { type FieldErrorCode, type FieldErrors, isFieldErrorCode } from '../shared/errors.ts'

/** A trimmed text field; empty becomes null. */
export function optionalText(max: number) {
  return z
    .string()
    .trim()
    .max(max)
    .nullish()
    .transform((s) => (s ? s : null))
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
      out[path] = { code: issue.message }
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
