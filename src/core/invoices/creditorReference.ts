import { AppError } from '../../shared/errors.ts'

/**
 * ISO 11649 structured creditor reference ("RF" + 2 check digits + up to 21 letters and digits), the
 * payment reference an invoice asks the payer to quote. The check digits are the ISO 7064 MOD 97-10
 * scheme IBANs use: letters count as 10 (A) … 35 (Z), "RF00" goes to the end, 98 − remainder.
 */

/** The base a reference is made from: 1 to 21 upper-case letters or digits. */
export const CREDITOR_REFERENCE_BASE = /^[A-Z0-9]{1,21}$/

/** The remainder mod 97 of an alphanumeric string read as digits (A = 10 … Z = 35), in chunks. */
function mod97(alnum: string): number {
  let rest = 0
  for (const ch of alnum) {
    const code = ch.charCodeAt(0)
    const value = code >= 65 ? code - 55 : code - 48
    rest = value >= 10 ? (rest * 100 + value) % 97 : (rest * 10 + value) % 97
  }
  return rest
}

/**
 * The creditor reference of `base`, e.g. RE2026001 → RF90RE2026001. Refuses (AppError
 * `payment.reference_base`) anything but 1–21 upper-case letters and digits: no spaces, no hyphens,
 * no lower case — the caller builds the base from an invoice number on purpose, not by accident.
 */
export function creditorReference(base: string): string {
  if (!CREDITOR_REFERENCE_BASE.test(base)) throw new AppError('payment.reference_base', { base })
  const check = 98 - mod97(`${base}RF00`)
  return `RF${String(check).padStart(2, '0')}${base}`
}

/** The reference in its electronic form: spaces removed, upper case. */
export function normalizeCreditorReference(s: string): string {
  return s.replace(/ /g, '').toUpperCase()
}

/**
 * Whether `s` is a valid creditor reference. Spaces (as printed in groups of four) and lower case are
 * accepted; the check digits must be 02–98 and the whole must leave 1 mod 97.
 */
export function isCreditorReference(s: string): boolean {
  const ref = normalizeCreditorReference(s)
  if (!/^RF[0-9]{2}[A-Z0-9]{1,21}$/.test(ref)) return false
  const check = Number(ref.slice(2, 4))
  if (check < 2 || check > 98) return false
  return mod97(ref.slice(4) + ref.slice(0, 4)) === 1
}
