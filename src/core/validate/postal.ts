import type { FieldErrorCode } from '../../shared/errors.ts'

/**
 * Postal codes: letters, digits, spaces and hyphens, at most 10 characters (no emoji, no punctuation),
 * and for the countries Puente's groups and cooperatives are in, that country's form.
 */
const FORMS: Record<string, { pattern: RegExp; example: string }> = {
  DE: { pattern: /^\d{5}$/, example: '10115' },
  AT: { pattern: /^\d{4}$/, example: '1010' },
  CH: { pattern: /^\d{4}$/, example: '8001' },
  ES: { pattern: /^(0[1-9]|[1-4]\d|5[0-2])\d{3}$/, example: '28013' },
  // Argentina: the CPA (a province letter, 4 digits, 3 letters) or the older 4 digits.
  AR: { pattern: /^([A-HJ-NP-Z]\d{4}(?:[A-Z]{3})?|\d{4})$/, example: 'C1425ABC' }
}

/** The postal code as stored: trimmed, inner spaces single, letters upper case. */
export function normalizePostalCode(input: string): string {
  return input.trim().replace(/\s+/g, ' ').toUpperCase()
}

/** Whether `input` can be a postal code of `country` (any country: letters, digits, space, hyphen). */
export function checkPostalCode(input: string, country: string | null | undefined): { code: FieldErrorCode; params?: { example: string } } | null {
  // Checked as typed: upper-casing would turn ß into SS.
  const code = input.trim().replace(/\s+/g, ' ')
  if (!/^[A-Za-z0-9](?:[A-Za-z0-9 -]{0,8}[A-Za-z0-9])?$/.test(code)) return { code: 'postal_code' }
  const form = country ? FORMS[country] : undefined
  if (form && !form.pattern.test(code.toUpperCase())) return { code: 'postal_code_country', params: { example: form.example } }
  return null
}
