import ExcelJS from 'exceljs'
import { formatScaled } from '../../shared/decimal.ts'
import type { Language } from '../../shared/reference.ts'
import { fill, formTexts } from '../common/text.ts'
import type { MatrixData } from '../orders/matrix.ts'
import { type CellValue, csvFile, csvQuantity, setValue } from './cells.ts'

/** The order matrix (orders/matrix.ts) as CSV and XLSX. */

/** The matrix as a grid: two header rows (SKU, name), the buyers, the totals row. */
function grid(data: MatrixData, lang: Language, money: (minor: number) => CellValue, quantity: (milli: number) => CellValue): CellValue[][] {
  const t = formTexts(lang)
  const totalLabel = fill(t.totalAmount, { currency: data.round.currency })
  const out: CellValue[][] = []
  out.push([t.buyer, t.hub, ...data.products.map((p) => p.sku), totalLabel])
  out.push(['', '', ...data.products.map((p) => p.name), ''])
  for (const r of data.rows) out.push([r.buyer, r.hub ?? '', ...r.quantities.map(quantity), money(r.totalMinor)])
  out.push([t.totalUnits, '', ...data.totals.map(quantity), money(data.totalMinor)])
  return out
}

export function matrixCsv(data: MatrixData, lang: Language): Buffer {
  const money = (minor: number) => ({ decimal: formatScaled(minor, data.round.digits).replace('.', ',') })
  return csvFile(grid(data, lang, money, csvQuantity))
}

export async function matrixXlsx(data: MatrixData, lang: Language): Promise<Buffer> {
  const t = formTexts(lang)
  const wb = new ExcelJS.Workbook()
  wb.creator = 'Puente'
  const ws = wb.addWorksheet(t.matrixSheet.slice(0, 31), { views: [{ state: 'frozen', xSplit: 2, ySplit: 2 }] })
  const scale = 10 ** data.round.digits
  const rows = grid(
    data,
    lang,
    (minor) => minor / scale,
    (milli) => milli / 1000
  )
  rows.forEach((values, r) => {
    const row = ws.getRow(r + 1)
    values.forEach((v, c) => setValue(row.getCell(c + 1), v))
    if (r < 2 || r === rows.length - 1) row.font = { bold: true }
  })
  ws.getRow(2).alignment = { wrapText: true, vertical: 'top' }
  ws.getRow(2).height = 42
  ws.getColumn(1).width = 32
  ws.getColumn(2).width = 22
  for (let c = 3; c < 3 + data.products.length; c++) ws.getColumn(c).width = 14
  const last = ws.getColumn(3 + data.products.length)
  last.width = 16
  last.numFmt = `#,##0${data.round.digits ? '.' + '0'.repeat(data.round.digits) : ''}`
  return Buffer.from(await wb.xlsx.writeBuffer())
}
