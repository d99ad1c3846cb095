import { AppError } from '../../shared/errors.ts'
import { checkBic, checkIban, normalizeBic, normalizeIban } from '../validate/bank.ts'
import { isCreditorReference, normalizeCreditorReference } from './creditorReference.ts'

/**
 * The EPC QR code ("GiroCode", EPC069-12) payload: what a banking app reads to fill in a SEPA credit
 * transfer. Version 002 (BIC optional), character set 1 (UTF-8), identification SCT; elements separated
 * by LF, none after the last, trailing empty optional elements left out.
 */

/** The largest payload a version-13 QR code at error correction M holds in byte mode. */
export const EPC_MAX_BYTES = 331
/** 0.01 to 999,999,999.99 euros, in cents. */
export const EPC_MIN_AMOUNT_MINOR = 1
export const EPC_MAX_AMOUNT_MINOR = 99_999_999_999

/** The element an error names: each has its rule under `epcField.` in the texts. */
export type EpcField = 'name' | 'iban' | 'bic' | 'amount' | 'currency' | 'purpose' | 'reference' | 'text' | 'info' | 'referenceAndText'

export interface EpcInput {
  /** The beneficiary (the organisation), 1–70 characters. */
  name: string
  iban: string
  bic?: string | null
  /** The amount due in cents; the caller asks for no code for zero or a refund. */
  amountMinor: number
  currency: 'EUR'
  /** Structured remittance: an ISO 11649 creditor reference (RF…). */
  reference?: string | null
  /** Unstructured remittance, ≤ 140 characters; not together with `reference`. */
  text?: string | null
  /** ISO 20022 purpose code, 4 letters (e.g. GDSV). */
  purpose?: string | null
  /** Beneficiary-to-originator information, ≤ 70 characters (shown to the payer, not transferred). */
  info?: string | null
}

function refuse(field: EpcField): never {
  throw new AppError('payment.epc_field', { field })
}

/** Characters as the standard counts them (code points, not UTF-16 units). */
const length = (s: string) => [...s].length

/** A text element, trimmed: empty → '', too long or with a control character (LF!) → refused. */
function textElement(value: string | null | undefined, field: EpcField, max: number): string {
  const s = (value ?? '').trim()
  if (length(s) > max) refuse(field)
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused here
  if (/[\u0000-\u001f\u007f-\u009f]/.test(s)) refuse(field)
  return s
}

/** "EUR1234.50": euros, a point, always two decimals (integer cents, no floats). */
export function epcAmount(amountMinor: number): string {
  if (!Number.isSafeInteger(amountMinor) || amountMinor < EPC_MIN_AMOUNT_MINOR || amountMinor > EPC_MAX_AMOUNT_MINOR) refuse('amount')
  const euros = Math.floor(amountMinor / 100)
  const cents = amountMinor % 100
  return `EUR${euros}.${String(cents).padStart(2, '0')}`
}

/**
 * The payload for `input`, checked element by element (AppError `payment.epc_field` naming the element)
 * and as a whole (`payment.epc_too_long` when its UTF-8 bytes exceed 331).
 */
export function epcPayload(input: EpcInput): string {
  const name = textElement(input.name, 'name', 70)
  if (name === '') refuse('name')

  if (checkIban(input.iban) !== null) refuse('iban')
  const iban = normalizeIban(input.iban)
  if (iban.length > 34) refuse('iban')

  const bicInput = (input.bic ?? '').trim()
  let bic = ''
  if (bicInput !== '') {
    if (checkBic(bicInput) !== null) refuse('bic')
    bic = normalizeBic(bicInput)
  }

  if (input.currency !== 'EUR') refuse('currency')
  const amount = epcAmount(input.amountMinor)

  const purpose = (input.purpose ?? '').trim()
  if (purpose !== '' && !/^[A-Z]{4}$/.test(purpose)) refuse('purpose')

  const referenceInput = (input.reference ?? '').trim()
  const text = textElement(input.text, 'text', 140)
  let reference = ''
  if (referenceInput !== '') {
    if (text !== '') refuse('referenceAndText')
    if (!isCreditorReference(referenceInput)) refuse('reference')
    reference = normalizeCreditorReference(referenceInput)
  }

  const info = textElement(input.info, 'info', 70)

  const elements = ['BCD', '002', '1', 'SCT', bic, name, iban, amount, purpose, reference, text, info]
  while (elements.length > 8 && elements[elements.length - 1] === '') elements.pop()
  const payload = elements.join('\n')

  const bytes = Buffer.byteLength(payload, 'utf8')
  if (bytes > EPC_MAX_BYTES) throw new AppError('payment.epc_too_long', { bytes, max: EPC_MAX_BYTES })
  return payload
}
