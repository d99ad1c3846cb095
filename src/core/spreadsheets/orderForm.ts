import ExcelJS from 'exceljs'
import { fill, formatDeadline, formTexts } from '../common/text.ts'
import { addressLine, type OrderFormData, type OrderFormProduct } from '../orders/orderForm.ts'
import { quantityAmountMinor } from '../common/money.ts'
import { stepsValue, WHOLE_UNIT } from '../../shared/quantity.ts'
import { BORDER, headerRow, setText } from './cells.ts'

// ---------------------------------------------------------------------------------------------------
// The XLSX form. The layout the import relies on is written into a very hidden sheet, so a later
// version of the form can change it without breaking the import of forms sent out earlier.

export const FORM_META_SHEET = 'puente'
export const FORM_FORMAT = 'puente-order-form'
export const FORM_VERSION = 1
/** Columns (1-based, as exceljs counts). */
export const FORM_COLUMNS = { sku: 1, product: 2, unit: 3, caseUnits: 4, price: 5, quantity: 6, tolerance: 7, lineTotal: 8, productId: 9 } as const
const HEADER_ROW = 9

const INPUT_FILL = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFF7CC' } } as const
const GROUP_FILL = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE5E7EB' } } as const

/** A sheet name Excel accepts: at most 31 characters, none of []:*?/\ . */
function sheetName(name: string): string {
  return name.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31) || 'Form'
}

export async function orderFormXlsx(data: OrderFormData): Promise<Buffer> {
  const t = formTexts(data.language)
  const wb = new ExcelJS.Workbook()
  wb.creator = data.organisation.name || 'Puente'
  wb.created = new Date(data.createdAt)
  wb.modified = new Date(data.createdAt)
  wb.calcProperties.fullCalcOnLoad = true
  const name = sheetName(t.sheetName)
  const ws = wb.addWorksheet(name, {
    pageSetup: { paperSize: 9, orientation: 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: `${HEADER_ROW}:${HEADER_ROW}` },
    views: [{ state: 'frozen', ySplit: HEADER_ROW, xSplit: 0, activeCell: `F${HEADER_ROW + 2}` }]
  })
  const C = FORM_COLUMNS
  const widths = [14, 46, 11, 11, 13, 11, 11, 14, 38]
  widths.forEach((w, i) => (ws.getColumn(i + 1).width = w))
  ws.getColumn(C.productId).hidden = true

  ws.mergeCells(1, 1, 1, C.lineTotal)
  const title = ws.getCell(1, 1)
  setText(title, data.organisation.name ? `${t.title} · ${data.organisation.name}` : t.title)
  title.font = { bold: true, size: 14 }
  const buyerText = data.buyer.hubName ? `${data.buyer.name} (${fill(t.orderedVia, { hub: data.buyer.hubName })})` : data.buyer.name
  const block: [string, string][] = [
    [t.buyer, buyerText],
    [t.address, addressLine(data.buyer)],
    [t.round, data.round.name],
    [t.deadline, formatDeadline(data.round.closesAt, data.round.timeZone, data.language)],
    [t.currency, data.round.currency]
  ]
  block.forEach(([label, value], i) => {
    const r = 2 + i
    ws.getCell(r, 1).value = label
    ws.getCell(r, 1).font = { bold: true }
    ws.mergeCells(r, 2, r, C.lineTotal)
    setText(ws.getCell(r, 2), value)
  })
  ws.getCell(2, 2).font = { bold: true }
  ws.mergeCells(7, 1, 7, C.lineTotal)
  const help = ws.getCell(7, 1)
  help.value = t.instructions
  help.alignment = { wrapText: true, vertical: 'top' }
  ws.getRow(7).height = 48

  const headers = [t.sku, t.product, t.unit, t.caseUnits, t.price, t.quantity, t.tolerance, t.lineTotal, 'product_id']
  const headerCells = ws.getRow(HEADER_ROW)
  headerRow(headerCells, headers, (i) => i >= 3 && i <= 7)
  headerCells.height = 30

  const scale = 10 ** data.round.digits
  const moneyFormat = `#,##0${data.round.digits ? '.' + '0'.repeat(data.round.digits) : ''} "${data.round.currency}"`
  const validation = {
    type: 'whole',
    operator: 'between',
    allowBlank: true,
    formulae: [0, 1_000_000],
    showErrorMessage: true,
    errorStyle: 'stop',
    errorTitle: t.validationTitle,
    error: t.validationError,
    showInputMessage: false
  } as const
  let r = HEADER_ROW + 1
  const first = r
  if (!data.groups.length) {
    ws.mergeCells(r, 1, r, C.lineTotal)
    ws.getCell(r, 1).value = t.noProducts
    r++
  }
  for (const g of data.groups) {
    ws.mergeCells(r, 1, r, C.lineTotal)
    const head = ws.getCell(r, 1)
    setText(head, g.supplierName)
    head.font = { bold: true }
    head.fill = GROUP_FILL
    r++
    for (const p of g.products) {
      const row = ws.getRow(r)
      setText(row.getCell(C.sku), p.sku)
      setText(row.getCell(C.product), p.name)
      row.getCell(C.product).alignment = { wrapText: true, vertical: 'top' }
      setText(row.getCell(C.unit), p.unit)
      const caseCell = row.getCell(C.caseUnits)
      caseCell.value = p.caseMilli / 1000
      caseCell.numFmt = '0.###'
      const price = row.getCell(C.price)
      price.value = p.priceMinor / scale
      price.numFmt = moneyFormat
      // Goods ordered in steps (0,5 kg) take decimals; whole units only whole numbers.
      const stepped = p.stepMilli !== WHOLE_UNIT
      for (const [col, value] of [
        [C.quantity, p.quantity],
        [C.tolerance, p.tolerance]
      ] as const) {
        const cell = row.getCell(col)
        if (value > 0) cell.value = stepsValue(value, p.stepMilli)
        cell.numFmt = stepped ? '0.###' : '0'
        cell.protection = { locked: false }
        cell.fill = INPUT_FILL
        cell.dataValidation = { ...validation, type: stepped ? 'decimal' : 'whole', formulae: [...validation.formulae] }
      }
      const total = row.getCell(C.lineTotal)
      total.value = { formula: stepped ? `ROUND(E${r}*F${r},${data.round.digits})` : `E${r}*F${r}`, result: lineAmount(p) / scale }
      total.numFmt = moneyFormat
      row.getCell(C.productId).value = p.productId
      for (let c = 1; c <= C.lineTotal; c++) row.getCell(c).border = BORDER
      r++
    }
  }
  const last = r - 1
  const totalRow = ws.getRow(r + 1)
  totalRow.getCell(C.tolerance).value = t.grandTotal
  totalRow.getCell(C.tolerance).font = { bold: true }
  totalRow.getCell(C.tolerance).alignment = { horizontal: 'right' }
  const grand = data.groups.reduce((a, g) => a + g.products.reduce((b, p) => b + lineAmount(p), 0), 0)
  totalRow.getCell(C.lineTotal).value = { formula: `SUM(H${first}:H${Math.max(first, last)})`, result: grand / scale }
  totalRow.getCell(C.lineTotal).numFmt = moneyFormat
  totalRow.getCell(C.lineTotal).font = { bold: true }
  totalRow.getCell(C.lineTotal).border = BORDER
  await ws.protect('', { selectLockedCells: true, selectUnlockedCells: true })

  const meta = wb.addWorksheet(FORM_META_SHEET, { state: 'veryHidden' })
  const entries: [string, string | number][] = [
    ['format', FORM_FORMAT],
    ['version', FORM_VERSION],
    ['roundId', data.round.id],
    ['buyerId', data.buyer.id],
    ['orderBuyerId', data.buyer.orderBuyerId],
    ['language', data.language],
    ['sheet', name],
    ['firstRow', first],
    ['lastRow', last],
    ['skuColumn', C.sku],
    ['quantityColumn', C.quantity],
    ['toleranceColumn', C.tolerance],
    ['productIdColumn', C.productId],
    ['createdAt', data.createdAt]
  ]
  entries.forEach(([k, v], i) => {
    meta.getCell(i + 1, 1).value = k
    meta.getCell(i + 1, 2).value = v
  })
  await meta.protect('', {})
  return Buffer.from(await wb.xlsx.writeBuffer())
}

/** A line's amount as the order entry computes it: the steps in the sales unit × the price, half up. */
function lineAmount(p: OrderFormProduct): number {
  return quantityAmountMinor(p.quantity * p.stepMilli, p.priceMinor)
}
