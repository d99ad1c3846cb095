import { parse } from 'csv-parse/sync'
import { type Cell, type Table, textCell } from './table.ts'

/**
 * Reads a CSV file as people's spreadsheets write it: UTF-8 with or without a BOM, UTF-16 with a BOM,
 * or Windows-1252/Latin-1 (older Excel on Windows); separated by ',' or ';' (German and Spanish Excel)
 * or tabs. The separator is detected from the first line; with ';' the decimal separator is ','.
 */
export class CsvError extends Error {}

export function decodeText(bytes: Buffer): { text: string; encoding: string } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8-bom' }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' }
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be' }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' }
  } catch {
    // Not valid UTF-8: Excel's "CSV" on Windows writes the ANSI code page, a superset of Latin-1.
    return { text: new TextDecoder('windows-1252').decode(bytes), encoding: 'windows-1252' }
  }
}

/** The separator of the first non-empty line: the most frequent of ; , and tab outside quotes. */
export function detectSeparator(text: string): string {
  const counts = new Map<string, number>([
    [',', 0],
    [';', 0],
    ['\t', 0]
  ])
  let quoted = false
  let seen = false
  for (let i = 0; i < text.length && i < 64 * 1024; i++) {
    const ch = text[i]!
    if (ch === '"') quoted = !quoted
    else if (!quoted && (ch === '\n' || ch === '\r')) {
      if (seen) break
    } else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1)
    if (ch.trim() !== '') seen = true
  }
  let best = ','
  for (const [sep, n] of counts) if (n > counts.get(best)!) best = sep
  return best
}

export function readCsv(bytes: Buffer, maxRows = 1_048_576): Table {
  const { text, encoding } = decodeText(bytes)
  const separator = detectSeparator(text)
  let records: string[][]
  try {
    records = parse(text, {
      delimiter: separator,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
      bom: true,
      to_line: maxRows + 1
    }) as string[][]
  } catch (e) {
    throw new CsvError(e instanceof Error ? e.message : String(e))
  }
  if (records.length > maxRows) throw new CsvError('too many rows')
  const rows: (Cell[] | undefined)[] = records.map((r) => {
    if (r.every((v) => v.trim() === '')) return undefined
    return r.map((v) => textCell(v))
  })
  return {
    format: 'csv',
    sheets: [{ name: 'csv', state: 'visible', rows }],
    encoding,
    separator,
    decimal: separator === ';' ? ',' : separator === ',' ? '.' : null
  }
}
