import ExcelJS from 'exceljs'
import { formatScaled } from '../../shared/decimal.ts'
import type { Language } from '../../shared/reference.ts'
import type { Workspace } from '../db/workspace.ts'
import { getRound } from '../rounds.ts'
import { currencyDigits } from '../reference.ts'
import { fill, formTexts, localName, safeFileName } from './text.ts'

/**
 * The order matrix of a round: one row per buyer (a hub's sub-buyers as rows of their own, the hub's
 * own lines as the hub's row), one column per ordered product, the ordered quantities (tolerances are
 * not orders and are left out), each buyer's total amount and each product's total units.
 *
 * Files for spreadsheets are opened by people who trust them, so every text cell that a spreadsheet
 * could take for a formula (starting with = + - @, a tab or a carriage return) gets a leading
 * apostrophe, in the CSV and in the XLSX alike.
 *
 * The CSV is UTF-8 with a BOM, separated by ';' with a decimal comma in amounts and CRLF line ends:
 * what German and Spanish Excel read without an import dialog (both use the decimal comma, so their
 * list separator is ';'). LibreOffice and scripts read it as well when told the separator.
 */
export interface MatrixData {
  round: { id: string; name: string; currency: string; digits: number }
  products: { productId: string; sku: string; name: string; supplierName: string; priceMinor: number }[]
  rows: { buyerId: string; buyer: string; hub: string | null; quantities: number[]; totalMinor: number }[]
  /** Units per product over all rows, and the amount over all rows. */
  totals: number[]
  totalMinor: number
}

export function matrixData(ws: Workspace, roundId: string, lang: Language): MatrixData {
  const round = getRound(ws, roundId)
  const lines = ws.db
    .prepare(
      `SELECT o.buyer_id AS orderBuyerId, b.name AS orderBuyer, q.sub_buyer_id AS subId, sb.name AS subName, q.product_id AS productId, q.quantity
       FROM line_quantity q JOIN buyer_order o ON o.id = q.order_id AND o.deleted_at IS NULL
       JOIN buyer b ON b.id = o.buyer_id LEFT JOIN buyer sb ON sb.id = q.sub_buyer_id
       WHERE o.round_id = ? AND q.quantity > 0`
    )
    .all(roundId) as { orderBuyerId: string; orderBuyer: string; subId: string | null; subName: string | null; productId: string; quantity: number }[]
  const products = ws.db
    .prepare(
      `SELECT DISTINCT p.id AS productId, p.sku, p.name_es AS nameEs, p.name_de AS nameDe, p.name_en AS nameEn, s.name AS supplierName,
        coalesce(rp.price_minor, 0) AS priceMinor
       FROM line_quantity q JOIN buyer_order o ON o.id = q.order_id AND o.deleted_at IS NULL
       JOIN product p ON p.id = q.product_id JOIN supplier s ON s.id = p.supplier_id
       LEFT JOIN round_product rp ON rp.round_id = o.round_id AND rp.product_id = p.id
       WHERE o.round_id = ? AND q.quantity > 0 ORDER BY s.name COLLATE NOCASE, p.sku`
    )
    .all(roundId) as { productId: string; sku: string; nameEs: string | null; nameDe: string | null; nameEn: string | null; supplierName: string; priceMinor: number }[]
  const column = new Map(products.map((p, i) => [p.productId, i]))
  const rows = new Map<string, MatrixData['rows'][number]>()
  for (const l of lines) {
    const key = `${l.orderBuyerId}|${l.subId ?? ''}`
    let row = rows.get(key)
    if (!row) {
      row = l.subId
        ? { buyerId: l.subId, buyer: l.subName ?? '', hub: l.orderBuyer, quantities: products.map(() => 0), totalMinor: 0 }
        : { buyerId: l.orderBuyerId, buyer: l.orderBuyer, hub: null, quantities: products.map(() => 0), totalMinor: 0 }
      rows.set(key, row)
    }
    const i = column.get(l.productId)!
    row.quantities[i]! += l.quantity
    row.totalMinor += l.quantity * products[i]!.priceMinor
  }
  const sorted = [...rows.values()].sort((a, b) => (a.hub ?? a.buyer).localeCompare(b.hub ?? b.buyer) || (a.hub ? 1 : 0) - (b.hub ? 1 : 0) || a.buyer.localeCompare(b.buyer))
  const totals = products.map((_, i) => sorted.reduce((a, r) => a + r.quantities[i]!, 0))
  return {
    round: { id: round.id, name: round.name, currency: round.currency, digits: currencyDigits(ws, round.currency) },
    products: products.map((p) => ({ productId: p.productId, sku: p.sku, name: localName(p, lang), supplierName: p.supplierName, priceMinor: p.priceMinor })),
    rows: sorted,
    totals,
    totalMinor: sorted.reduce((a, r) => a + r.totalMinor, 0)
  }
}

const FORMULA_START = /^[=+\-@\t\r]/

/** A text a spreadsheet will show as text, never run as a formula. */
export function neutralise(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text
}

type Value = string | number | null

/** The matrix as a grid: two header rows (SKU, name), the buyers, the totals row. */
function grid(data: MatrixData, lang: Language, money: (minor: number) => Value): Value[][] {
  const t = formTexts(lang)
  const totalLabel = fill(t.totalAmount, { currency: data.round.currency })
  const out: Value[][] = []
  out.push([t.buyer, t.hub, ...data.products.map((p) => p.sku), totalLabel])
  out.push(['', '', ...data.products.map((p) => p.name), ''])
  for (const r of data.rows) out.push([r.buyer, r.hub ?? '', ...r.quantities, money(r.totalMinor)])
  out.push([t.totalUnits, '', ...data.totals, money(data.totalMinor)])
  return out.map((row) => row.map((v) => (typeof v === 'string' ? neutralise(v) : v)))
}

export function matrixFileName(data: MatrixData, lang: Language, ext: 'xlsx' | 'csv'): string {
  return `${safeFileName(fill(formTexts(lang).matrixFileName, { round: data.round.name }))}.${ext}`
}

export function csvField(v: Value, sep: string): string {
  const s = v === null ? '' : String(v)
  return s.includes(sep) || /["\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s
}

export function matrixCsv(data: MatrixData, lang: Language): Buffer {
  const sep = ';'
  const money = (minor: number) => formatScaled(minor, data.round.digits).replace('.', ',')
  const text = grid(data, lang, money)
    .map((row) => row.map((v) => csvField(v, sep)).join(sep))
    .join('\r\n')
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text + '\r\n', 'utf8')])
}

export async function matrixXlsx(data: MatrixData, lang: Language): Promise<Buffer> {
  const t = formTexts(lang)
  const wb = new ExcelJS.Workbook()
  wb.creator = 'Puente'
  const ws = wb.addWorksheet(t.matrixSheet.slice(0, 31), { views: [{ state: 'frozen', xSplit: 2, ySplit: 2 }] })
  const scale = 10 ** data.round.digits
  const rows = grid(data, lang, (minor) => minor / scale)
  rows.forEach((values, r) => {
    const row = ws.getRow(r + 1)
    values.forEach((v, c) => {
      if (v !== null && v !== '') row.getCell(c + 1).value = v
    })
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
