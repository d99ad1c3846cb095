/**
 * What an import reads from a file, whatever its format: sheets of rows of cells. XLSX cells keep their
 * type (number, text, date-formatted number, formula); CSV cells are all text.
 */
export interface Cell {
  kind: 'empty' | 'number' | 'text' | 'bool' | 'error'
  /** The text as shown (for numbers: the plain number). */
  text: string
  number: number | null
  /** A number shown with a date or time format. */
  date: boolean
  /** The cell holds a formula; `number`/`text` are its cached result (empty when there is none). */
  formula: boolean
}

export interface Sheet {
  name: string
  state: 'visible' | 'hidden' | 'veryHidden'
  /** Rows by index (row 1 at index 0); a missing row is empty. Cells by column index (A = 0). */
  rows: (Cell[] | undefined)[]
}

export interface Table {
  format: 'xlsx' | 'csv'
  sheets: Sheet[]
  /** CSV only: the text encoding found and the field separator. */
  encoding: string | null
  separator: string | null
  /** The decimal separator the file's convention implies (CSV with ';' → ','), or null when unknown. */
  decimal: ',' | '.' | null
}

export const EMPTY_CELL: Cell = Object.freeze({ kind: 'empty', text: '', number: null, date: false, formula: false }) as Cell

export function textCell(text: string): Cell {
  return text === '' ? EMPTY_CELL : { kind: 'text', text, number: null, date: false, formula: false }
}

export function cellAt(sheet: Sheet, row: number, col: number): Cell {
  return sheet.rows[row]?.[col] ?? EMPTY_CELL
}

/** A cell's content as trimmed text ("" for empty cells). */
export function cellText(cell: Cell | undefined): string {
  return cell ? cell.text.trim() : ''
}

/** Column index (0-based) → letters: 0 → A, 27 → AB. */
export function columnName(index: number): string {
  let s = ''
  let n = index + 1
  while (n > 0) {
    const r = (n - 1) % 26
    s = String.fromCharCode(65 + r) + s
    n = Math.floor((n - 1) / 26)
  }
  return s
}

/** Letters → column index: A → 0, AB → 27. */
export function columnIndex(letters: string): number {
  let n = 0
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64)
  return n - 1
}

/** A header or name compared loosely: case, accents, spaces and punctuation ignored. */
export function looseKey(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/[^a-z0-9]+/g, '')
}
