import type { ImportErrorCode, Issue } from '../../shared/issues.ts'
import type { Cell } from './table.ts'

export { IMPORT_ERROR_CODES, type ImportErrorCode, type Issue } from '../../shared/issues.ts'

export function issue(code: ImportErrorCode, params?: Record<string, string | number>, field?: string): Issue {
  const out: Issue = { ns: 'importErrors', code }
  if (params) out.params = params
  if (field) out.field = field
  return out
}

/** The largest quantity or tolerance one line may have (as the order entry accepts). */
export const MAX_QUANTITY = 1_000_000

const DATE_TEXT = [
  /^\d{1,2}[./]\d{1,2}[./](\d{2}|\d{4})?$/, // 1.3.2026, 01/03/26, 1.3.
  /^\d{4}-\d{1,2}-\d{1,2}([T ][\d:.]+Z?)?$/, // 2026-03-01
  /^\d{1,2}[-. ]*(jan|feb|mar|mär|apr|may|mai|jun|jul|aug|sep|oct|okt|nov|dec|dez|ene|abr|ago|dic)[a-zäé]*\.?([-. ]*\d{2,4})?$/i // 1-Mar, 1. März 2026
]

/** An Excel serial day number as an ISO date, for messages. */
function serialDate(n: number): string {
  const ms = Date.UTC(1899, 11, 30) + Math.round(n * 86_400_000)
  return Number.isFinite(ms) ? new Date(ms).toISOString().slice(0, 10) : String(n)
}

/**
 * A non-negative quantity from a cell, as a whole number of the product's steps (`stepMilli` thousandths
 * of its sales unit; whole units by default): numbers as stored, text in the file's decimal convention
 * ("12", "12,0" with a decimal comma, "1.200" with '.' grouping, "1,5" kg in steps of 0,5 → 3). Empty → null.
 */
export function wholeNumber(cell: Cell, decimal: ',' | '.' | null, stepMilli = 1000): { value: number | null } | { error: Issue } {
  if (cell.formula && cell.kind !== 'number') return { error: issue('formula') }
  if (cell.kind === 'empty') return { value: null }
  if (cell.kind === 'error' || cell.kind === 'bool') return { error: issue('not_number', { value: cell.text }) }
  if (cell.kind === 'number') {
    const n = cell.number!
    if (cell.date) return { error: issue('date', { value: serialDate(n) }) }
    return checkRange(n, cell.text, stepMilli)
  }
  const raw = cell.text.trim()
  if (raw === '') return { value: null }
  if (cell.date || DATE_TEXT.some((re) => re.test(raw))) return { error: issue('date', { value: raw }) }
  let s = raw.replace(/[\s\u00a0\u202f'’]/g, '')
  let sign = 1
  if (/^[-−–]/.test(s)) {
    sign = -1
    s = s.slice(1)
  } else if (s.startsWith('+')) s = s.slice(1)
  const parsed = plainNumber(s, decimal)
  if (parsed === 'ambiguous') return { error: issue('ambiguous_number', { value: raw }) }
  if (parsed === null) return { error: issue('not_number', { value: raw }) }
  return checkRange(sign * parsed, raw, stepMilli)
}

function checkRange(n: number, shown: string, stepMilli: number): { value: number } | { error: Issue } {
  if (!Number.isFinite(n)) return { error: issue('not_number', { value: shown }) }
  if (n < 0) return { error: issue('negative', { value: shown }) }
  if (n > MAX_QUANTITY) return { error: issue('too_large', { value: shown, max: MAX_QUANTITY }) }
  if (stepMilli === 1000) return Number.isInteger(n) ? { value: n === 0 ? 0 : n } : { error: issue('not_integer', { value: shown }) }
  // In millionths of the unit, exactly: a stored 1.5 or a typed "1,5" is 1 500 000; more decimals than
  // a millionth is not a step of any product.
  const micro = Math.round(n * 1_000_000)
  if (Math.abs(n * 1_000_000 - micro) > 1e-3 || micro % (stepMilli * 1000) !== 0) return { error: issue('not_step', { value: shown, step: stepMilli / 1000 }) }
  return { value: micro / (stepMilli * 1000) }
}

/** Digits with an optional decimal part and grouping; null when not a number. */
function plainNumber(s: string, decimal: ',' | '.' | null): number | 'ambiguous' | null {
  if (/^\d+$/.test(s)) return Number(s)
  if (!/^[\d.,]+$/.test(s)) return null
  let dec = decimal
  if (!dec) {
    const hasComma = s.includes(',')
    const hasDot = s.includes('.')
    if (hasComma && hasDot) dec = s.lastIndexOf(',') > s.lastIndexOf('.') ? ',' : '.'
    else {
      const sep = hasComma ? ',' : '.'
      const parts = s.split(sep)
      // One separator before exactly three digits: 1,000 is a thousand or one, depending on the country.
      if (parts.length === 2 && parts[1]!.length === 3 && parts[0] !== '0' && parts[0] !== '') return 'ambiguous'
      dec = parts.length > 2 ? (sep === ',' ? '.' : ',') : sep
    }
  }
  const group = dec === ',' ? '.' : ','
  const [intPart, frac, ...rest] = s.split(dec)
  if (rest.length || intPart === undefined) return null
  let digits = intPart
  if (intPart.includes(group)) {
    if (!new RegExp(`^\\d{1,3}(\\${group}\\d{3})+$`).test(intPart)) return null
    digits = intPart.split(group).join('')
  }
  if (!/^\d*$/.test(digits) || (frac !== undefined && !/^\d+$/.test(frac)) || (digits === '' && !frac)) return null
  return Number(`${digits || '0'}${frac ? '.' + frac : ''}`)
}
