import { z } from 'zod'
import { MAX_UPLOAD_BYTES, MAX_UPLOAD_MB } from '../../shared/errors.ts'
import { CsvError, readCsv } from './csv.ts'
import { type Issue, issue } from './issues.ts'
import type { Table } from './table.ts'
import { readXlsx, XlsxError, XlsxRangeError, XlsxSizeError } from './xlsx.ts'

/**
 * An uploaded file as the UI sends it: its name (for the format) and its bytes, as they are (Electron's
 * IPC carries a Uint8Array; the browser host sends them as the raw request body, see src/host/server.ts).
 * At most MAX_UPLOAD_BYTES (a form of 100,000 lines is a few MB); a larger file refuses the whole call
 * with `api.too_large`, the same answer the browser host gives before it reads such a body.
 */
export const uploadInput = {
  fileName: z.string().trim().min(1).max(255),
  data: z
    .instanceof(Uint8Array, { message: 'required' })
    .refine((bytes) => bytes.byteLength <= MAX_UPLOAD_BYTES, { message: 'api.too_large', params: { maxMb: MAX_UPLOAD_MB } })
}

/** More rows than this are refused as a whole (the order entry takes at most 200,000 lines per call). */
export const MAX_ROWS = 200_000

export type Upload = { table: Table } | { error: Issue }

/**
 * Reads an uploaded XLSX or CSV file into sheets of cells, or says why it cannot. Asynchronous (exceljs
 * reads XLSX asynchronously), so an import reads its file before it opens its write transaction.
 */
export async function readUpload(fileName: string, data: Uint8Array): Promise<Upload> {
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength)
  if (bytes.length === 0) return { error: issue('empty') }
  const isZip = bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04
  const isOle = bytes.subarray(0, 4).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0]))
  const ext = /\.([A-Za-z0-9]+)$/.exec(fileName)?.[1]?.toLowerCase() ?? ''
  if (isOle || ext === 'xls' || ext === 'ods' || ext === 'numbers') return { error: issue('old_excel', { format: ext || 'xls' }) }
  let table: Table
  try {
    if (isZip) table = await readXlsx(bytes, { maxRows: MAX_ROWS + 1000 })
    else if (ext === 'xlsx' || ext === 'xlsm') return { error: issue('unreadable') }
    else {
      if (bytes.subarray(0, 1024).includes(0) && !(bytes[0] === 0xff || bytes[0] === 0xfe)) return { error: issue('unreadable') }
      table = readCsv(bytes, MAX_ROWS + 1)
    }
  } catch (e) {
    if (e instanceof Error && /too many rows/.test(e.message)) return { error: issue('too_many_rows', { max: MAX_ROWS }) }
    if (e instanceof XlsxRangeError) return { error: issue('cell_out_of_range', { cell: e.ref }) }
    if (e instanceof XlsxSizeError) return { error: issue('too_many_cells', { max: e.max }) }
    if (e instanceof XlsxError || e instanceof CsvError) return { error: issue('unreadable') }
    throw e
  }
  if (table.sheets.every((s) => s.rows.every((r) => !r || r.every((c) => !c || c.kind === 'empty')))) return { error: issue('empty') }
  return { table }
}
