import { createHash } from 'node:crypto'
import { parse } from 'csv-parse/sync'
import { AppError } from '../../shared/errors.ts'
import { decodeText, detectSeparator } from '../spreadsheets/csv.ts'
import { amountToMinor, CAMT_MAX_TRANSACTIONS, type CamtStatement, type CamtTransaction } from './camt.ts'

/**
 * A bank statement exported as CSV, as German, Spanish and other banks do it, each in its own layout:
 * a few lines about the account first, then a header row and one row per booking. The header is found by
 * its names (Buchungstag / Fecha / Date, Betrag / Importe / Amount, …); amounts may use a decimal comma
 * and thousands points ("-1.234,56"), days may be written 31.12.2026, 31/12/2026 or 2026-12-31. A file
 * whose header cannot be found is refused as `payments.csv_layout`, naming what was looked for.
 */

const COLUMNS = {
  date: ['buchungstag', 'buchungsdatum', 'datum', 'fecha', 'fecha operacion', 'fecha de operacion', 'date', 'booking date', 'value date', 'valuta', 'wertstellung'],
  amount: ['betrag', 'betrag (eur)', 'betrag (€)', 'umsatz', 'importe', 'amount', 'amount (eur)'],
  name: [
    'name zahlungsbeteiligter',
    'beguenstigter/zahlungspflichtiger',
    'auftraggeber/empfaenger',
    'zahlungspflichtige*r',
    'zahlungsempfaenger*in',
    'auftraggeber',
    'empfaenger',
    'name',
    'ordenante',
    'beneficiario',
    'counterparty',
    'payer',
    'payee'
  ],
  iban: ['iban zahlungsbeteiligter', 'kontonummer/iban', 'iban', 'cuenta', 'account'],
  text: ['verwendungszweck', 'concepto', 'reference', 'purpose', 'description', 'buchungstext'],
  currency: ['waehrung', 'divisa', 'moneda', 'currency']
} as const
type Column = keyof typeof COLUMNS

const simple = (s: string) =>
  s
    .trim()
    .toLowerCase()
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/\s+/g, ' ')

/** The header row and where each column is; null when a row has no day and amount columns. */
function headerOf(row: string[]): Partial<Record<Column, number>> | null {
  const names = row.map(simple)
  const at: Partial<Record<Column, number>> = {}
  for (const col of Object.keys(COLUMNS) as Column[]) {
    // The first of the column's names (in order of preference) that the row has.
    for (const candidate of COLUMNS[col]) {
      const i = names.indexOf(candidate)
      if (i >= 0) {
        at[col] = i
        break
      }
    }
  }
  return at.date !== undefined && at.amount !== undefined ? at : null
}

/** A day as banks write it, as YYYY-MM-DD, or null. */
function dayOf(text: string): string | null {
  const s = text.trim()
  let m = /^(\d{4})-(\d{2})-(\d{2})/.exec(s)
  if (m) return `${m[1]}-${m[2]}-${m[3]}`
  m = /^(\d{1,2})[./](\d{1,2})[./](\d{2}|\d{4})$/.exec(s)
  if (!m) return null
  const year = m[3]!.length === 2 ? `20${m[3]}` : m[3]!
  const day = `${year}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}`
  return Number.isNaN(Date.parse(`${day}T00:00:00Z`)) ? null : day
}

/** A signed amount with either decimal mark, as a plain decimal ("-1234.56"), or null. */
function decimalOf(text: string): { negative: boolean; value: string } | null {
  let s = text.replace(/[\s€]|EUR/g, '')
  const negative = s.startsWith('-') || s.endsWith('-')
  s = s.replace(/^[-+]|-$/g, '')
  if (!/^[\d.,]+$/.test(s)) return null
  const lastComma = s.lastIndexOf(',')
  const lastPoint = s.lastIndexOf('.')
  const decimal = lastComma > lastPoint ? ',' : '.'
  const [whole, frac = ''] = s.split(decimal).length > 2 ? [s, ''] : s.split(decimal)
  const digits = whole!.replace(/[.,]/g, '')
  if (!/^\d+$/.test(digits) || !/^\d*$/.test(frac)) return null
  return { negative, value: frac ? `${digits}.${frac}` : digits }
}

export function parseStatementCsv(bytes: Uint8Array): CamtStatement[] {
  const { text } = decodeText(Buffer.from(bytes))
  let rows: string[][]
  try {
    rows = parse(text, { delimiter: detectSeparator(text), relax_column_count: true, relax_quotes: true, skip_empty_lines: true, bom: true }) as string[][]
  } catch {
    throw new AppError('payments.csv_layout')
  }
  const headerAt = rows.slice(0, 40).findIndex((r) => headerOf(r) !== null)
  if (headerAt < 0) throw new AppError('payments.csv_layout')
  const at = headerOf(rows[headerAt]!)!
  const cell = (r: string[], col: Column) => (at[col] === undefined ? '' : (r[at[col]!] ?? '').trim())
  const transactions: CamtTransaction[] = []
  const seen = new Map<string, number>()
  for (const r of rows.slice(headerAt + 1)) {
    if (r.every((v) => v.trim() === '')) continue
    const bookedOn = dayOf(cell(r, 'date'))
    const amount = decimalOf(cell(r, 'amount'))
    // A closing line ("Kontostand", a total) has no day or no amount: it is no booking.
    if (!bookedOn || !amount) continue
    const currency = (cell(r, 'currency') || 'EUR').toUpperCase()
    if (!/^[A-Z]{3}$/.test(currency)) throw new AppError('payments.csv_layout')
    const amountMinor = amountToMinor(amount.value, currency)
    if (amountMinor === null || amountMinor === 0) continue
    const name = cell(r, 'name') || null
    const remittance = cell(r, 'text') || null
    const iban = cell(r, 'iban').replace(/\s+/g, '').toUpperCase() || null
    // The same booking read again gets the same key; identical bookings on one day are told apart by their order.
    const base = [bookedOn, amount.negative ? 'D' : 'C', amount.value, name ?? '', iban ?? '', remittance ?? ''].join('|')
    const n = (seen.get(base) ?? 0) + 1
    seen.set(base, n)
    transactions.push({
      key: `csv:${createHash('sha256').update(`${base}|${n}`).digest('hex').slice(0, 40)}`,
      direction: amount.negative ? 'out' : 'in',
      amountMinor,
      currency,
      bookedOn,
      counterparty: name,
      counterpartyIban: iban,
      creditorReference: null,
      remittance,
      endToEndId: null
    })
    if (transactions.length > CAMT_MAX_TRANSACTIONS) throw new AppError('payments.too_many', { max: CAMT_MAX_TRANSACTIONS })
  }
  const days = transactions.map((t) => t.bookedOn).sort()
  return [{ id: 'csv', accountIban: null, fromOn: days[0] ?? null, toOn: days.at(-1) ?? null, transactions }]
}
