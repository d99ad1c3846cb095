import assert from 'node:assert/strict'
import ExcelJS from 'exceljs'
import { type Cell, EMPTY_CELL, type Sheet, type Table } from '../../src/core/spreadsheets/table.ts'

/**
 * The test oracle for src/core/spreadsheets/xlsx.ts: the same `Table` read through exceljs's workbook model
 * (the reader the imports used before they read the XML themselves). exceljs resolves shared strings,
 * rich text, dates (a number shown with a date format becomes a Date) and formulas with their cached
 * results; this turns its cells into the format-neutral `Table`.
 */
class XlsxError extends Error {}

const { ValueType } = ExcelJS

/** Excel's day 0 of the 1900 date system; exceljs has already applied the workbook's 1904 setting. */
const EXCEL_EPOCH = Date.UTC(1899, 11, 30)

/** A Date exceljs made of a date-formatted number, as the day serial a spreadsheet stores. */
function serial(d: Date): number {
  return (d.getTime() - EXCEL_EPOCH) / 86_400_000
}

/** ECMA-376 escapes characters XML cannot hold as _xHHHH_ (a carriage return is _x000D_). */
function unescapeText(s: string): string {
  return s.indexOf('_x') < 0 ? s : s.replace(/_x([0-9A-Fa-f]{4})_/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)))
}

function textOf(value: unknown): string {
  if (typeof value === 'string') return value
  if (value && typeof value === 'object' && 'richText' in value) return (value as ExcelJS.CellRichTextValue).richText.map((r) => r.text).join('')
  return value === null || value === undefined ? '' : String(value)
}

/** A plain value (a cell's own, or a formula's cached result) as a cell. */
function plain(value: unknown, formula: boolean): Cell {
  if (value === null || value === undefined) return formula ? { kind: 'empty', text: '', number: null, date: false, formula: true } : EMPTY_CELL
  if (typeof value === 'number') return { kind: 'number', text: String(value), number: value, date: false, formula }
  if (value instanceof Date) {
    const n = serial(value)
    return Number.isFinite(n) ? { kind: 'number', text: String(n), number: n, date: true, formula } : { kind: 'error', text: '#VALUE!', number: null, date: false, formula }
  }
  if (typeof value === 'boolean') return { kind: 'bool', text: value ? 'TRUE' : 'FALSE', number: null, date: false, formula }
  if (typeof value === 'object' && 'error' in value) return { kind: 'error', text: String((value as ExcelJS.CellErrorValue).error), number: null, date: false, formula }
  const text = unescapeText(textOf(value))
  return text === '' && !formula ? EMPTY_CELL : { kind: 'text', text, number: null, date: false, formula }
}

function convert(cell: ExcelJS.Cell): Cell {
  switch (cell.type) {
    case ValueType.Null:
    case ValueType.Merge:
      // A merged cell other than the top-left one holds nothing of its own.
      return EMPTY_CELL
    case ValueType.Formula: {
      const v = cell.value as ExcelJS.CellFormulaValue | ExcelJS.CellSharedFormulaValue
      return plain(v.result, true)
    }
    case ValueType.Hyperlink:
      return plain(textOf((cell.value as ExcelJS.CellHyperlinkValue).text), false)
    default:
      return plain(cell.value, false)
  }
}

const IGNORED = ['dataValidations', 'conditionalFormatting', 'extLst', 'hyperlinks', 'mergeCells', 'pageSetup', 'printOptions', 'headerFooter', 'picture', 'drawing']

interface XlsxOptions {
  /** More rows than this in any sheet: XlsxError('too many rows'). */
  maxRows?: number
}

/** Reads every sheet of an XLSX file. Throws XlsxError when the file is not a workbook exceljs can read. */
export async function readXlsxWithExceljs(bytes: Buffer, options: XlsxOptions = {}): Promise<Table> {
  const maxRows = options.maxRows ?? 1_048_576
  const wb = new ExcelJS.Workbook()
  // Only values are needed: skipping these parts makes loading faster and changes no value. `maxRows`
  // (not in exceljs's types) stops parsing a sheet with more rows than that instead of reading it all.
  const load: Partial<ExcelJS.XlsxReadOptions> & { maxRows: number } = { ignoreNodes: IGNORED, maxRows }
  try {
    // exceljs types its input as its own Buffer (an ArrayBuffer); a Node Buffer is what it reads.
    await wb.xlsx.load(bytes as unknown as ExcelJS.Buffer, load)
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e)
    throw new XlsxError(/^Max row count/.test(message) ? 'too many rows' : message)
  }
  const sheets: Sheet[] = []
  for (const ws of wb.worksheets) {
    const rows: (Cell[] | undefined)[] = []
    ws.eachRow({ includeEmpty: false }, (row, number) => {
      if (number > maxRows) throw new XlsxError('too many rows')
      const cells: Cell[] = []
      row.eachCell({ includeEmpty: false }, (cell, col) => {
        const c = convert(cell)
        if (c !== EMPTY_CELL) cells[col - 1] = c
      })
      if (cells.length) rows[number - 1] = cells
    })
    sheets.push({ name: ws.name, state: ws.state === 'hidden' || ws.state === 'veryHidden' ? ws.state : 'visible', rows })
  }
  assert.ok(sheets.length > 0, 'exceljs found sheets in the workbook')
  return { format: 'xlsx', sheets, encoding: null, separator: null, decimal: null }
}
