import { strFromU8, unzipSync } from 'fflate'
import { SaxesParser, type SaxesTagPlain } from 'saxes'
import { type Cell, columnIndex, EMPTY_CELL, type Sheet, type Table } from './table.ts'

/**
 * Reads the cell values of an XLSX workbook into the format-neutral `Table` the imports read.
 *
 * Only values are read, which a spreadsheet library does as a side line of building a whole workbook
 * model (styles, fonts, borders, drawings…). Loading a 10,000-row order file with exceljs takes longer
 * than checking and writing all its lines, so imports read the parts they need themselves: fflate
 * unzips, saxes parses the XML (both well-kept, dependency-free libraries), and this file maps
 * SpreadsheetML (ECMA-376 part 1, §18) onto cells: shared and inline strings with rich-text runs
 * (phonetic runs left out), numbers and the number formats that make them dates, booleans, errors,
 * formulas with their cached results, hidden sheets, the 1904 date system. exceljs still writes every
 * file Puente makes; a test reads a corpus of files from exceljs, LibreOffice and hand-made XML with both
 * and expects the same table.
 */
export class XlsxError extends Error {}

/** A cell reference outside the grid a workbook can have (columns A–XFD, rows 1–1,048,576). */
export class XlsxRangeError extends XlsxError {
  readonly ref: string
  constructor(ref: string) {
    super(`cell reference out of range: ${ref}`)
    this.ref = ref
  }
}

/** A workbook declaring more cells, shared strings or row width than `XlsxLimits` allow. */
export class XlsxSizeError extends XlsxError {
  readonly max: number
  constructor(max: number) {
    super('too many cells')
    this.max = max
  }
}

/** The last column (XFD) and row a worksheet can have (ECMA-376 §18.3.1.4, Excel's limits). */
export const MAX_COLUMN_INDEX = 16_383
export const MAX_ROW_NUMBER = 1_048_576

/**
 * How much a workbook may declare. A hostile file can name a cell at column ZZZZZZ or row 2,000,000 in a
 * few bytes; the reader refuses those, and bounds what the imports would iterate over: the cells present,
 * the shared strings, and the summed width of the rows (a row ending at column XFD is 16,384 slots wide
 * for every import that walks its cells, however few cells it holds).
 */
export const XLSX_LIMITS = {
  cells: 2_000_000,
  sharedStrings: 2_000_000,
  rowSlots: 10_000_000
}

const DAY_MS = 86_400_000
/** Excel's day 0 of the 1900 date system. */
const EXCEL_EPOCH = Date.UTC(1899, 11, 30)
/** Days from 1899-12-30 to 1904-01-01: a 1904-system serial plus this is a 1900-system serial. */
const DAYS_1904 = 1462

/** Built-in number formats that show dates or times (ECMA-376 §18.8.30; 27–36 and 50–58 are East Asian dates). */
const DATE_FORMAT_IDS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58])

/** A custom format code shows a date or time when a date part is left once literals and [sections] are removed. */
function isDateFormat(code: string): boolean {
  return /[ymdhMsb]/.test(code.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, ''))
}

/** ECMA-376 escapes characters XML cannot hold as _xHHHH_ (a carriage return is _x000D_). */
function unescapeText(s: string): string {
  return s.indexOf('_x') < 0 ? s : s.replace(/_x([0-9A-Fa-f]{4})_/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)))
}

/** A tag name without its namespace prefix (`x:row` → `row`): some writers prefix SpreadsheetML. */
function local(name: string): string {
  const i = name.indexOf(':')
  return i < 0 ? name : name.slice(i + 1)
}

function parseXml(xml: string, handlers: { open?: (tag: SaxesTagPlain) => void; text?: (text: string) => void; close?: (name: string) => void }): void {
  const parser = new SaxesParser({ position: false })
  let failure: Error | null = null
  parser.on('error', (e) => {
    failure ??= e
  })
  if (handlers.open) {
    const open = handlers.open
    // Without namespace processing (the default) every attribute value is a plain string.
    parser.on('opentag', (tag) => open(tag as SaxesTagPlain))
  }
  if (handlers.text) parser.on('text', handlers.text)
  if (handlers.close) {
    const close = handlers.close
    parser.on('closetag', (tag) => close(tag.name))
  }
  parser.write(xml).close()
  if (failure) throw new XlsxError(`malformed XML: ${(failure as Error).message}`)
}

type Parts = Record<string, Uint8Array>

function part(parts: Parts, path: string): string | null {
  const bytes = parts[path]
  return bytes ? strFromU8(bytes) : null
}

/** A relationship target as a path in the package (targets are relative to the part's folder, or absolute). */
function resolve(from: string, target: string): string {
  if (target.startsWith('/')) return target.slice(1)
  const dir = from.slice(0, from.lastIndexOf('/') + 1)
  const segments: string[] = []
  for (const s of (dir + target).split('/')) {
    if (s === '..') segments.pop()
    else if (s !== '.' && s !== '') segments.push(s)
  }
  return segments.join('/')
}

/** The relationships of a part: id → { type (its last segment), path }. */
function relationships(parts: Parts, of: string): Map<string, { type: string; path: string }> {
  const slash = of.lastIndexOf('/')
  const relsPath = `${of.slice(0, slash + 1)}_rels/${of.slice(slash + 1)}.rels`
  const out = new Map<string, { type: string; path: string }>()
  const xml = part(parts, relsPath)
  if (xml === null) return out
  parseXml(xml, {
    open: (tag) => {
      if (local(tag.name) !== 'Relationship') return
      const { Id, Type, Target, TargetMode } = tag.attributes
      if (!Id || !Target || TargetMode === 'External') return
      out.set(Id, { type: (Type ?? '').slice((Type ?? '').lastIndexOf('/') + 1), path: resolve(of, Target) })
    }
  })
  return out
}

/** The text of each shared string: its plain text or its rich-text runs joined, without phonetic runs. */
function sharedStrings(xml: string | null, max: number): string[] {
  const out: string[] = []
  if (xml === null) return out
  let current: string | null = null
  let inText = false
  let phonetic = 0
  parseXml(xml, {
    open: (tag) => {
      const name = local(tag.name)
      if (name === 'si') current = ''
      else if (name === 'rPh') phonetic++
      else if (name === 't' && !phonetic) inText = true
    },
    text: (text) => {
      if (inText && current !== null) current += text
    },
    close: (tagName) => {
      const name = local(tagName)
      if (name === 't') inText = false
      else if (name === 'rPh') phonetic--
      else if (name === 'si') {
        if (out.length >= max) throw new XlsxSizeError(max)
        out.push(current ?? '')
        current = null
      }
    }
  })
  return out
}

/** For each cell style (the `s` attribute of a cell), whether its number format shows a date. */
function dateStyles(xml: string | null): boolean[] {
  if (xml === null) return []
  const custom = new Map<number, string>()
  const styles: boolean[] = []
  let inCellXfs = false
  const formats: number[] = []
  parseXml(xml, {
    open: (tag) => {
      const name = local(tag.name)
      if (name === 'numFmt') custom.set(Number(tag.attributes.numFmtId), (tag.attributes.formatCode ?? '').replace(/\\(.)/g, '$1'))
      else if (name === 'cellXfs') inCellXfs = true
      else if (name === 'xf' && inCellXfs) formats.push(Number(tag.attributes.numFmtId ?? 0))
    },
    close: (name) => {
      if (local(name) === 'cellXfs') inCellXfs = false
    }
  })
  for (const id of formats) {
    const code = custom.get(id)
    styles.push(code !== undefined ? isDateFormat(code) : DATE_FORMAT_IDS.has(id))
  }
  return styles
}

function numberCell(value: number, date: boolean, date1904: boolean, formula: boolean): Cell {
  if (!date) return { kind: 'number', text: String(value), number: value, date: false, formula }
  // As a date: to the millisecond, in the 1900 date system whatever system the workbook uses.
  const ms = Math.round((value - 25569 + (date1904 ? DAYS_1904 : 0)) * DAY_MS)
  const serial = (ms - EXCEL_EPOCH) / DAY_MS
  return Number.isFinite(serial)
    ? { kind: 'number', text: String(serial), number: serial, date: true, formula }
    : { kind: 'error', text: '#VALUE!', number: null, date: false, formula }
}

function textValue(text: string, formula: boolean): Cell {
  const t = unescapeText(text)
  return t === '' && !formula ? EMPTY_CELL : { kind: 'text', text: t, number: null, date: false, formula }
}

/** An ISO 8601 date (a cell of type `d`) as a day serial. */
function isoSerial(text: string): number {
  const ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(text) || !/T/.test(text) ? text : `${text}Z`)
  return (ms - EXCEL_EPOCH) / DAY_MS
}

interface Context {
  strings: string[]
  dates: boolean[]
  date1904: boolean
  maxRows: number
  /** Cells and row slots read so far, over all sheets (see XLSX_LIMITS). */
  cells: number
  slots: number
}

/**
 * A cell reference (`B7`, `$B$7`) as its 0-based column and 1-based row, strictly: letters A–XFD, then a
 * row 1–1,048,576 without leading zeros. Anything else is refused rather than guessed.
 */
export function parseCellRef(ref: string): { col: number; row: number } {
  const m = /^\$?([A-Za-z]{1,3})\$?([1-9][0-9]{0,6})$/.exec(ref)
  if (!m) throw new XlsxRangeError(ref.slice(0, 20))
  const col = columnIndex(m[1]!)
  const row = Number(m[2])
  if (col > MAX_COLUMN_INDEX || row > MAX_ROW_NUMBER) throw new XlsxRangeError(ref.slice(0, 20))
  return { col, row }
}

/** One cell from its type, style, value and formula, as ECMA-376 §18.3.1.4 defines them. */
function cellOf(ctx: Context, type: string, style: number, value: string | null, inline: string | null, formula: boolean): Cell {
  if (value === null && inline === null) return formula ? { kind: 'empty', text: '', number: null, date: false, formula: true } : EMPTY_CELL
  const v = value ?? ''
  switch (type) {
    case 's': {
      if (formula) return textValue(v, true)
      const s = ctx.strings[Number.parseInt(v, 10)]
      return s === undefined ? EMPTY_CELL : textValue(s, false)
    }
    case 'inlineStr':
      return textValue(inline ?? v, formula)
    case 'str':
      return textValue(v, formula)
    case 'b':
      return { kind: 'bool', text: Number.parseInt(v, 10) !== 0 ? 'TRUE' : 'FALSE', number: null, date: false, formula }
    case 'e':
      return { kind: 'error', text: v, number: null, date: false, formula }
    case 'd': {
      const serial = isoSerial(v)
      return Number.isFinite(serial)
        ? { kind: 'number', text: String(serial), number: serial, date: true, formula }
        : { kind: 'error', text: '#VALUE!', number: null, date: false, formula }
    }
    default:
      return numberCell(Number.parseFloat(v), ctx.dates[style] === true, ctx.date1904, formula)
  }
}

/** The rows of one worksheet. */
function sheetRows(ctx: Context, xml: string): (Cell[] | undefined)[] {
  const rows: (Cell[] | undefined)[] = []
  let rowIndex = -1
  let cells: Cell[] = []
  let col = -1
  // The cell being read.
  let type = ''
  let style = 0
  let value: string | null = null
  let inline: string | null = null
  let formula = false
  let reading: 'v' | 'f' | 't' | null = null
  let formulaText = ''
  let inInline = false
  let phonetic = 0
  const finishRow = () => {
    if (rowIndex >= 0 && cells.length) {
      ctx.slots += cells.length
      if (ctx.slots > XLSX_LIMITS.rowSlots) throw new XlsxSizeError(XLSX_LIMITS.cells)
      rows[rowIndex] = cells
    }
    cells = []
  }
  parseXml(xml, {
    open: (tag) => {
      switch (local(tag.name)) {
        case 'row': {
          finishRow()
          const r = tag.attributes.r
          if (r !== undefined && !/^[1-9][0-9]{0,6}$/.test(r)) throw new XlsxRangeError(r.slice(0, 20))
          rowIndex = r ? Number(r) - 1 : rowIndex + 1
          if (rowIndex >= MAX_ROW_NUMBER) throw new XlsxRangeError(String(rowIndex + 1))
          if (rowIndex >= ctx.maxRows) throw new XlsxError('too many rows')
          col = -1
          break
        }
        case 'c': {
          const ref = tag.attributes.r
          if (ref) {
            col = parseCellRef(ref).col
          } else col += 1
          if (col > MAX_COLUMN_INDEX) throw new XlsxRangeError(`row ${rowIndex + 1}, column ${col + 1}`)
          if (++ctx.cells > XLSX_LIMITS.cells) throw new XlsxSizeError(XLSX_LIMITS.cells)
          type = tag.attributes.t ?? 'n'
          style = tag.attributes.s ? Number.parseInt(tag.attributes.s, 10) : 0
          value = null
          inline = null
          formula = false
          formulaText = ''
          break
        }
        case 'v':
          reading = 'v'
          value = ''
          break
        case 'f':
          reading = 'f'
          // A shared formula's other cells carry only a reference to it (t="shared" si="…").
          if (tag.attributes.t) formula = true
          break
        case 'is':
          inInline = true
          inline = ''
          break
        case 'rPh':
          phonetic++
          break
        case 't':
          if (inInline && !phonetic) reading = 't'
          break
      }
    },
    text: (text) => {
      if (reading === 'v') value += text
      else if (reading === 't') inline += text
      else if (reading === 'f') formulaText += text
    },
    close: (name) => {
      switch (local(name)) {
        case 'v':
        case 't':
          reading = null
          break
        case 'f':
          reading = null
          if (formulaText !== '') formula = true
          break
        case 'is':
          inInline = false
          break
        case 'rPh':
          phonetic--
          break
        case 'c': {
          if (col < 0) break
          const cell = cellOf(ctx, type, style, value, inline, formula)
          if (cell !== EMPTY_CELL) cells[col] = cell
          break
        }
        case 'sheetData':
          finishRow()
          break
      }
    }
  })
  finishRow()
  return rows
}

/** The most XML a workbook may unpack to: a sheet of 100,000 order lines is about 15 MB. */
const MAX_XML_BYTES = 256 * 1024 * 1024

export interface XlsxOptions {
  /** More rows than this in any sheet: XlsxError('too many rows'). */
  maxRows?: number
}

/** Reads every sheet of an XLSX file, in the workbook's order. Throws XlsxError when the file is not a workbook. */
export async function readXlsx(bytes: Buffer, options: XlsxOptions = {}): Promise<Table> {
  return readXlsxSync(bytes, options)
}

function readXlsxSync(bytes: Buffer, options: XlsxOptions): Table {
  let parts: Parts
  let inflated = 0
  try {
    // Only the XML parts: pictures and embedded objects are never inflated. A ZIP bomb (a few MB that
    // unpack to gigabytes) is refused by the sizes its directory declares, before anything is inflated.
    parts = unzipSync(bytes, {
      filter: (f) => {
        if (!/\.(xml|rels)$/i.test(f.name)) return false
        inflated += f.originalSize
        if (inflated > MAX_XML_BYTES) throw new XlsxError('too large')
        return true
      }
    })
  } catch (e) {
    if (e instanceof XlsxError) throw e
    throw new XlsxError(`not a ZIP package: ${e instanceof Error ? e.message : String(e)}`)
  }
  const root = relationships(parts, '')
  const workbookPath = [...root.values()].find((r) => r.type === 'officeDocument')?.path ?? 'xl/workbook.xml'
  const workbookXml = part(parts, workbookPath)
  if (workbookXml === null) throw new XlsxError('no workbook')
  const rels = relationships(parts, workbookPath)
  const listed: { name: string; state: Sheet['state']; path: string | undefined }[] = []
  let date1904 = false
  parseXml(workbookXml, {
    open: (tag) => {
      const name = local(tag.name)
      if (name === 'workbookPr') date1904 = tag.attributes.date1904 === '1' || tag.attributes.date1904 === 'true'
      else if (name === 'sheet') {
        const id = Object.entries(tag.attributes).find(([k]) => local(k) === 'id')?.[1]
        const state: Sheet['state'] = tag.attributes.state === 'hidden' ? 'hidden' : tag.attributes.state === 'veryHidden' ? 'veryHidden' : 'visible'
        listed.push({ name: tag.attributes.name ?? '', state, path: id ? rels.get(id)?.path : undefined })
      }
    }
  })
  const byType = (type: string) => [...rels.values()].find((r) => r.type === type)?.path
  const stringsPath = byType('sharedStrings')
  const stylesPath = byType('styles')
  const ctx: Context = {
    strings: sharedStrings(stringsPath ? part(parts, stringsPath) : null, XLSX_LIMITS.sharedStrings),
    dates: dateStyles(stylesPath ? part(parts, stylesPath) : null),
    date1904,
    maxRows: options.maxRows ?? MAX_ROW_NUMBER,
    cells: 0,
    slots: 0
  }
  const sheets: Sheet[] = []
  for (const s of listed) {
    // A chartsheet or a sheet whose part is missing holds no cells.
    const xml = s.path ? part(parts, s.path) : null
    sheets.push({ name: s.name, state: s.state, rows: xml === null ? [] : sheetRows(ctx, xml) })
  }
  if (!sheets.length) throw new XlsxError('no sheets')
  return { format: 'xlsx', sheets, encoding: null, separator: null, decimal: null }
}
