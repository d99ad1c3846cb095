import type { FieldErrorCode } from '../../shared/errors.ts'

/** The EU member states' VAT prefixes (Greece uses EL) and each one's syntax. */
const FORMATS: Record<string, RegExp> = {
  AT: /^U\d{8}$/,
  BE: /^[01]\d{9}$/,
  BG: /^\d{9,10}$/,
  CY: /^\d{8}[A-Z]$/,
  CZ: /^\d{8,10}$/,
  DE: /^[1-9]\d{8}$/,
  DK: /^\d{8}$/,
  EE: /^\d{9}$/,
  EL: /^\d{9}$/,
  ES: /^[A-Z0-9]\d{7}[A-Z0-9]$/,
  FI: /^\d{8}$/,
  FR: /^[A-HJ-NP-Z0-9]{2}\d{9}$/,
  HR: /^\d{11}$/,
  HU: /^\d{8}$/,
  IE: /^(\d{7}[A-W][A-I]?|\d[A-Z+*]\d{5}[A-W])$/,
  IT: /^\d{11}$/,
  LT: /^(\d{9}|\d{12})$/,
  LU: /^\d{8}$/,
  LV: /^\d{11}$/,
  MT: /^\d{8}$/,
  NL: /^\d{9}B\d{2}$/,
  PL: /^\d{10}$/,
  PT: /^\d{9}$/,
  RO: /^\d{2,10}$/,
  SE: /^\d{12}$/,
  SI: /^\d{8}$/,
  SK: /^\d{10}$/,
  XI: /^(\d{9}|\d{12}|GD\d{3}|HA\d{3})$/
}

const digits = (s: string): number[] => [...s].map((c) => Number(c))

/** ISO 7064 MOD 11,10 (German USt-IdNr). */
function mod11_10(body: string): boolean {
  const d = digits(body)
  let product = 10
  for (let i = 0; i < d.length - 1; i++) {
    let sum = (d[i]! + product) % 10
    if (sum === 0) sum = 10
    product = (2 * sum) % 11
  }
  return (11 - product) % 10 === d[d.length - 1]
}

function luhnValid(s: string): boolean {
  let sum = 0
  const d = digits(s).reverse()
  d.forEach((n, i) => {
    if (i % 2 === 1) {
      n *= 2
      if (n > 9) n -= 9
    }
    sum += n
  })
  return sum % 10 === 0
}

/** Austrian UID: ATU + 7 digits + check = (10 − (4 + Luhn-sum of d1..d7) mod 10) mod 10. */
function atValid(body: string): boolean {
  const d = digits(body.slice(1))
  let s = 0
  for (let i = 0; i < 7; i++) {
    let n = d[i]!
    if (i % 2 === 1) {
      n *= 2
      if (n > 9) n = Math.floor(n / 10) + (n % 10)
    }
    s += n
  }
  return (10 - ((s + 4) % 10)) % 10 === d[7]
}

/** French TVA: numeric key = (12 + 3·(SIREN mod 97)) mod 97; alphabetic keys are only format-checked. */
function frValid(body: string): boolean {
  const key = body.slice(0, 2)
  const siren = body.slice(2)
  if (!/^\d{2}$/.test(key)) return true
  return (12 + 3 * (Number(siren) % 97)) % 97 === Number(key)
}

/** Dutch btw-id: 11-proof over the 9 digits (weights 9..2, last −1); newer numbers: mod 97 of "NL"+id. */
function nlValid(body: string): boolean {
  const d = digits(body.slice(0, 9))
  let s = 0
  for (let i = 0; i < 8; i++) s += d[i]! * (9 - i)
  s -= d[8]!
  if (s % 11 === 0) return true
  const numeric = ('NL' + body).replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55))
  return BigInt(numeric) % 97n === 1n
}

const ES_LETTERS = 'TRWAGMYFPDXBNJZSQVHLCKE'
/** Spanish NIF: DNI (8 digits + letter), NIE (X/Y/Z + 7 digits + letter), CIF (letter + 7 digits + control). */
function esValid(body: string): boolean {
  if (/^\d{8}[A-Z]$/.test(body)) return ES_LETTERS[Number(body.slice(0, 8)) % 23] === body[8]
  if (/^[XYZ]\d{7}[A-Z]$/.test(body)) {
    const n = Number('XYZ'.indexOf(body[0]!) + body.slice(1, 8))
    return ES_LETTERS[n % 23] === body[8]
  }
  if (/^[KLM]\d{7}[A-Z]$/.test(body)) return ES_LETTERS[Number(body.slice(1, 8)) % 23] === body[8]
  if (/^[ABCDEFGHJNPQRSUVW]\d{7}[0-9A-J]$/.test(body)) {
    const d = digits(body.slice(1, 8))
    let s = 0
    d.forEach((n, i) => {
      if (i % 2 === 0) {
        const x = n * 2
        s += Math.floor(x / 10) + (x % 10)
      } else s += n
    })
    const control = (10 - (s % 10)) % 10
    const last = body[8]!
    return last === String(control) || last === 'JABCDEFGHI'[control]
  }
  return false
}

const CHECKS: Record<string, (body: string) => boolean> = {
  DE: mod11_10,
  AT: atValid,
  FR: frValid,
  IT: luhnValid,
  NL: nlValid,
  ES: esValid
}

/** Countries whose check digit is verified offline; others are checked for format only. */
export const VAT_CHECKED_COUNTRIES = Object.keys(CHECKS)

export function normalizeVatId(input: string): string {
  return input.replace(/[\s.\-/]/g, '').toUpperCase()
}

/** EU VAT identification number: known prefix, the country's syntax, and its check digit where known. */
export function checkVatId(input: string): FieldErrorCode | null {
  const id = normalizeVatId(input)
  const prefix = id.slice(0, 2)
  const body = id.slice(2)
  const format = FORMATS[prefix]
  if (!format) return 'vat_country'
  if (!format.test(body)) return 'vat_format'
  const check = CHECKS[prefix]
  if (check && !check(body)) return 'vat_checksum'
  return null
}

/** The ISO country a VAT prefix belongs to (EL is Greece, XI Northern Ireland). */
export function vatCountry(input: string): string {
  const prefix = normalizeVatId(input).slice(0, 2)
  return prefix === 'EL' ? 'GR' : prefix === 'XI' ? 'GB' : prefix
}

/** EORI: country code + up to 15 alphanumerics; German ones are DE + 7 (old) or 15 digits. */
export function checkEori(input: string): FieldErrorCode | null {
  const id = input.replace(/\s+/g, '').toUpperCase()
  if (!/^[A-Z]{2}[A-Z0-9]{1,15}$/.test(id)) return 'eori_format'
  if (id.startsWith('DE') && !/^DE(\d{7}|\d{15})$/.test(id)) return 'eori_format'
  return null
}
