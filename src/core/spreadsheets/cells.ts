/**
 * Cell values for files that spreadsheets open. Such files are opened by people who trust them, so
 * every text cell that a spreadsheet could take for a formula (starting with = + - @, a tab or a
 * carriage return) gets a leading apostrophe, in CSV and XLSX alike.
 *
 * CSV files are UTF-8 with a BOM, separated by ';' with a decimal comma in amounts and CRLF line ends:
 * what German and Spanish Excel read without an import dialog (both use the decimal comma, so their
 * list separator is ';'). LibreOffice and scripts read them as well when told the separator.
 */

const FORMULA_START = /^[=+\-@\t\r]/

/** A text a spreadsheet will show as text, never run as a formula. */
export function neutralise(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text
}

export type CellValue = string | number | null

export function csvField(v: CellValue, sep: string): string {
  const s = v === null ? '' : String(v)
  return s.includes(sep) || /["\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s
}

/** Rows as a CSV file as described above; texts are neutralised. */
export function csvFile(rows: CellValue[][]): Buffer {
  const sep = ';'
  const text = rows.map((r) => r.map((v) => csvField(typeof v === 'string' ? neutralise(v) : v, sep)).join(sep)).join('\r\n')
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text + '\r\n', 'utf8')])
}
