import type { FieldErrorCode } from '../../shared/errors.ts'

const CUIT_WEIGHTS = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2]
const CUIT_PREFIXES = new Set(['20', '23', '24', '27', '30', '33', '34', '50', '51', '55'])

/** CUIT/CUIL as stored: XX-XXXXXXXX-X. */
export function normalizeCuit(input: string): string {
  const d = input.replace(/\D/g, '')
  return d.length === 11 ? `${d.slice(0, 2)}-${d.slice(2, 10)}-${d.slice(10)}` : input.trim()
}

/**
 * Argentine CUIT/CUIL: 11 digits (dashes optional, in the places XX-XXXXXXXX-X), a known type prefix,
 * mod-11 check digit with weights 5,4,3,2,7,6,5,4,3,2. Strict: a computed 10 means AFIP never issues
 * that number with this prefix (it uses 23/33 instead), so it is invalid.
 */
export function checkCuit(input: string): FieldErrorCode | null {
  const s = input.trim()
  if (!/^\d{2}-?\d{8}-?\d$/.test(s)) return 'cuit_format'
  const d = s.replace(/-/g, '')
  if (!CUIT_PREFIXES.has(d.slice(0, 2))) return 'cuit_prefix'
  const sum = CUIT_WEIGHTS.reduce((acc, w, i) => acc + w * Number(d[i]), 0)
  const r = 11 - (sum % 11)
  if (r === 10) return 'cuit_checksum'
  const check = r === 11 ? 0 : r
  return check === Number(d[10]) ? null : 'cuit_checksum'
}

const CBU_WEIGHTS_1 = [7, 1, 3, 9, 7, 1, 3]
const CBU_WEIGHTS_2 = [3, 9, 7, 1, 3, 9, 7, 1, 3, 9, 7, 1, 3]

function cbuBlockOk(digits: string, weights: number[]): boolean {
  const sum = weights.reduce((acc, w, i) => acc + w * Number(digits[i]), 0)
  return (10 - (sum % 10)) % 10 === Number(digits[weights.length])
}

export function normalizeCbu(input: string): string {
  return input.replace(/[\s-]/g, '')
}

/** Argentine CBU/CVU: 22 digits in two blocks (bank+branch 7 + check, account 13 + check), mod 10. */
export function checkCbu(input: string): FieldErrorCode | null {
  const d = normalizeCbu(input)
  if (!/^\d{22}$/.test(d)) return 'cbu_format'
  if (!cbuBlockOk(d.slice(0, 8), CBU_WEIGHTS_1) || !cbuBlockOk(d.slice(8), CBU_WEIGHTS_2)) return 'cbu_checksum'
  return null
}
