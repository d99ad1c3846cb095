import { formatScaled } from '../../shared/decimal.ts'
import type ExcelJS from 'exceljs'

/**
 * Cell values for files that spreadsheets open, and the one place that keeps user text from running as
 * a formula. Such files are opened by people who trust them, so every text a spreadsheet could take for
 * a formula is neutralised, one way per format:
 *
 * - XLSX: user text is written as a string cell (exceljs writes a plain string as t="s", never with an
 *   <f> element; only `{ formula }` values become formulas). It shows exactly as typed, no apostrophe.
 * - CSV: the OWASP rule. A field that starts with = + - @, a tab or a carriage return, or with the
 *   full-width ＝ ＋ － ＠ (which spreadsheets may normalise), gets a leading apostrophe. Numbers are
 *   written as numbers and are never prefixed (a negative amount stays "-12,50").
 *
 * CSV files are UTF-8 with a BOM, separated by ';' with a decimal comma in amounts and CRLF line ends:
 * what German and Spanish Excel read without an import dialog (both use the decimal comma, so their
 * list separator is ';'). LibreOffice and scripts read them as well when told the separator.
 */

const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/

/** A CSV field's text that a spreadsheet will show as text, never run as a formula (OWASP). */
export function csvText(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text
}

/** A number already written in the file's decimal notation ("-12,50"): a number, never neutralised. */
export interface Decimal {
  decimal: string
}

/** A quantity ×1000 in its unit as a CSV cell: whole units as a number, 1,5 kg as "1,5" (the file's decimal comma). */
export function csvQuantity(milli: number): CellValue {
  return milli % 1000 === 0 ? milli / 1000 : { decimal: formatScaled(milli, 3, true).replace('.', ',') }
}

export type CellValue = string | number | Decimal | null

export function csvField(v: CellValue, sep: string): string {
  const s = v === null ? '' : typeof v === 'string' ? csvText(v) : typeof v === 'number' ? String(v) : v.decimal
  return s.includes(sep) || /["\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s
}

/** Rows as a CSV file as described above; texts are neutralised, numbers stay numbers. */
export function csvFile(rows: CellValue[][]): Buffer {
  const sep = ';'
  const text = rows.map((r) => r.map((v) => csvField(v, sep)).join(sep)).join('\r\n')
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text + '\r\n', 'utf8')])
}

/** User text into an XLSX cell: a string cell, shown exactly as typed, never a formula. */
export function setText(cell: ExcelJS.Cell, text: string): void {
  cell.value = String(text)
}

/** A value into an XLSX cell: text as a string cell (see setText), numbers as numbers; empty stays empty. */
export function setValue(cell: ExcelJS.Cell, v: CellValue): void {
  if (v === null || v === '') return
  if (typeof v === 'string') setText(cell, v)
  else if (typeof v === 'number') cell.value = v
  else cell.value = Number(v.decimal.replace(',', '.'))
}

/** The thin grey border of every table cell in the XLSX documents. */
const THIN = { style: 'thin', color: { argb: 'FF9CA3AF' } } as const
export const BORDER = { top: THIN, left: THIN, bottom: THIN, right: THIN }
const HEADER_FILL = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FF1F4E5F' } } as const

/** A table's header row as the XLSX documents draw it: white bold text on dark teal, bordered, wrapped. */
export function headerRow(row: ExcelJS.Row, headers: readonly string[], rightAligned: (column: number) => boolean): void {
  headers.forEach((h, i) => {
    const cell = row.getCell(i + 1)
    setText(cell, h)
    cell.font = { bold: true, color: { argb: 'FFFFFFFF' } }
    cell.fill = HEADER_FILL
    cell.border = BORDER
    cell.alignment = { vertical: 'middle', wrapText: true, horizontal: rightAligned(i) ? 'right' : 'left' }
  })
}
