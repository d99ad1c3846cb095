import { electronicFormatIBAN, validateBIC, validateIBAN, ValidationErrorsBIC, ValidationErrorsIBAN } from 'ibantools'
import type { FieldErrorCode } from '../../shared/errors.ts'

/** IBAN in electronic form: spaces removed, upper case. */
export function normalizeIban(input: string): string {
  return electronicFormatIBAN(input) ?? ''
}

/**
 * ISO 13616: country, its length and format, and the mod-97 check (via ibantools, which keeps the
 * country table current). Returns null when valid.
 */
export function checkIban(input: string): FieldErrorCode | null {
  const iban = normalizeIban(input)
  if (!/^[A-Z]{2}[0-9]{2}[A-Z0-9]+$/.test(iban)) return 'iban_format'
  const { valid, errorCodes } = validateIBAN(iban)
  if (valid) return null
  if (errorCodes.includes(ValidationErrorsIBAN.NoIBANCountry)) return 'iban_country'
  if (errorCodes.includes(ValidationErrorsIBAN.WrongBBANLength)) return 'iban_length'
  if (errorCodes.includes(ValidationErrorsIBAN.WrongIBANChecksum)) return 'iban_checksum'
  if (errorCodes.includes(ValidationErrorsIBAN.WrongAccountBankBranchChecksum)) return 'iban_checksum'
  return 'iban_format'
}

export function normalizeBic(input: string): string {
  return input.replace(/\s+/g, '').toUpperCase()
}

/** ISO 9362: 8 or 11 characters, a real country code in positions 5–6. */
export function checkBic(input: string): FieldErrorCode | null {
  const bic = normalizeBic(input)
  if (!/^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$/.test(bic)) return 'bic_format'
  const { valid, errorCodes } = validateBIC(bic)
  if (valid) return null
  if (errorCodes.includes(ValidationErrorsBIC.NoBICCountry)) return 'bic_country'
  return 'bic_format'
}
