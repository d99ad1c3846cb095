import ExcelJS from 'exceljs'
import type { PurchaseOrderDocument } from '../purchasing/document.ts'
import { isMeasured, lineDescription, measureText, measureWarning, paymentLines, purchaseOrderTexts, quantityDecimals, quantitySymbol, rateLines } from '../purchasing/document.ts'
import { formatDay, SUPPLIER_LOCALES } from '../documents/format.ts'
import { BORDER, headerRow, setText } from './cells.ts'

/**
 * The purchase order's lines as a workbook, for cooperatives that enter orders into their own system:
 * quantities (by area, weight or volume: the exact quantity, in its unit) and prices as numbers, the line
 * totals and the sums as formulas (with their results
 * cached, so viewers that do not calculate show them too), then weight, volume and payment terms.
 * Amounts become numbers of whole currency units only here, at the edge, as a spreadsheet needs them.
 */
export const PO_COLUMNS = { sku: 1, description: 2, cases: 3, units: 4, unitPrice: 5, currency: 6, lineTotal: 7 } as const

export async function purchaseOrderXlsx(data: PurchaseOrderDocument, digits: number): Promise<Buffer> {
  const t = purchaseOrderTexts(data.language)
  const locale = SUPPLIER_LOCALES[data.language]
  const wb = new ExcelJS.Workbook()
  wb.creator = data.organisation.name || 'Puente'
  wb.created = new Date(`${data.issuedOn}T00:00:00Z`)
  wb.modified = wb.created
  wb.calcProperties.fullCalcOnLoad = true
  const C = PO_COLUMNS
  const header = 10
  const ws = wb.addWorksheet(t.sheetName.slice(0, 31), {
    pageSetup: { paperSize: 9, orientation: 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: `${header}:${header}` },
    views: [{ state: 'frozen', ySplit: header }]
  })
  ;[14, 48, 9, 11, 14, 9, 16].forEach((w, i) => (ws.getColumn(i + 1).width = w))
  const scale = 10 ** digits
  const moneyFormat = `#,##0${digits ? '.' + '0'.repeat(digits) : ''}`

  ws.getCell(1, 1).value = `${t.title} ${data.number}`
  ws.getCell(1, 1).font = { bold: true, size: 14 }
  const org = data.organisation
  const sup = data.supplier
  const facts: [string, string][] = [
    [t.buyer, [org.name, org.vatId && `${t.vatId}: ${org.vatId}`, org.eori && `${t.eori}: ${org.eori}`].filter(Boolean).join(' · ')],
    [t.supplier, [sup.name, sup.cuit && `${t.cuit}: ${sup.cuit}`].filter(Boolean).join(' · ')],
    [t.date, formatDay(data.issuedOn, locale)],
    [t.incoterms, `${data.incoterm} ${data.incotermPlace ?? `(${t.placeToBeAgreed})`}`],
    [t.shipDate, data.shipDate ? formatDay(data.shipDate, locale) : t.toBeAgreed],
    [t.currency, data.currency],
    [t.round, data.roundName]
  ]
  facts.forEach(([label, value], i) => {
    ws.getCell(2 + i, 1).value = label
    ws.getCell(2 + i, 1).font = { bold: true }
    setText(ws.getCell(2 + i, 2), value)
  })

  const headers = [t.sku, t.description, t.cases, t.units, t.unitPrice, t.currency, t.lineTotal]
  const headerCells = ws.getRow(header)
  headerRow(headerCells, headers, (i) => i >= 2 && i !== 5)
  const first = header + 1
  let r = first
  for (const l of data.lines) {
    const row = ws.getRow(r)
    setText(row.getCell(C.sku), l.sku)
    setText(row.getCell(C.description), lineDescription(l, data.language))
    row.getCell(C.description).alignment = { wrapText: true, vertical: 'top' }
    row.getCell(C.cases).value = l.cases
    // Goods sold by area, weight or volume: the exact quantity as a number in its unit (8.64 shown "8.64 m²"),
    // and the line total rounded to the currency's digits as the order's total is.
    const measured = isMeasured(l)
    if (measured) {
      const decimals = quantityDecimals(l.quantityMilli)
      const symbol = quantitySymbol(l.salesUnit)
      row.getCell(C.units).value = l.quantityMilli / 1000
      row.getCell(C.units).numFmt = `#,##0${decimals ? '.' + '0'.repeat(decimals) : ''}${symbol ? ` "${symbol}"` : ''}`
    } else {
      row.getCell(C.units).value = l.quantityMilli / 1000
    }
    row.getCell(C.unitPrice).value = l.unitPriceMinor / scale
    row.getCell(C.unitPrice).numFmt = moneyFormat
    row.getCell(C.currency).value = data.currency
    // A price per case (1,44 m²) is for that many units: the quantity is divided by the case size.
    const per = l.pricePerMilli === 1000 ? '' : `/${l.pricePerMilli / 1000}`
    row.getCell(C.lineTotal).value = { formula: measured || per ? `ROUND(D${r}*E${r}${per},${digits})` : `D${r}*E${r}`, result: l.totalMinor / scale }
    row.getCell(C.lineTotal).numFmt = moneyFormat
    for (let c = 1; c <= C.lineTotal; c++) row.getCell(c).border = BORDER
    r++
  }
  const last = Math.max(first, r - 1)
  const total = ws.getRow(r)
  total.getCell(C.description).value = t.total
  total.getCell(C.cases).value = { formula: `SUM(C${first}:C${last})`, result: data.totals.cases }
  // Quantities in different units do not add up: no sum when any line is measured.
  if (!data.totals.measuredLines) total.getCell(C.units).value = { formula: `SUM(D${first}:D${last})`, result: data.totals.units }
  total.getCell(C.currency).value = data.currency
  total.getCell(C.lineTotal).value = { formula: `SUM(G${first}:G${last})`, result: data.totals.valueMinor / scale }
  total.getCell(C.lineTotal).numFmt = moneyFormat
  total.font = { bold: true }
  for (let c = 1; c <= C.lineTotal; c++) total.getCell(c).border = BORDER

  r += 2
  // A sum only when every line knows its weight (volume); otherwise the words "at least …" or "—", never 0.
  const summary: [string, number, string, boolean][] = [
    [t.grossWeight, data.totals.grossG / 1000, '#,##0.0## "kg"', !data.totals.grossMissing && data.lines.length > 0],
    [t.volume, data.totals.volumeCm3 / 1_000_000, '#,##0.000 "m³"', !data.totals.volumeMissing && data.lines.length > 0]
  ]
  for (const [label, value, format, known] of summary) {
    ws.getCell(r, C.description).value = label
    ws.getCell(r, C.description).font = { bold: true }
    if (known) {
      ws.getCell(r, C.lineTotal).value = value
      ws.getCell(r, C.lineTotal).numFmt = format
    } else {
      ws.getCell(r, C.lineTotal).value = measureText(data, label === t.grossWeight ? 'gross' : 'volume')
      ws.getCell(r, C.lineTotal).alignment = { horizontal: 'right' }
    }
    r++
  }
  const warning = measureWarning(data)
  if (warning) {
    ws.getCell(r, C.description).value = warning
    ws.getCell(r, C.description).font = { bold: true, color: { argb: 'FF7C2D12' } }
    r++
  }
  const rates = rateLines(data)
  if (rates.length) {
    r++
    ws.getCell(r, C.description).value = t.rates
    ws.getCell(r, C.description).font = { bold: true }
    r++
    for (const line of rates) ws.getCell(r++, C.description).value = line
  }
  if (data.payments.length) {
    r++
    ws.getCell(r, C.description).value = t.paymentTerms
    ws.getCell(r, C.description).font = { bold: true }
    r++
    const sentences = paymentLines(data, digits)
    data.payments.forEach((p, i) => {
      ws.getCell(r, C.description).value = sentences[i]!
      ws.getCell(r, C.lineTotal).value = p.amountMinor / scale
      ws.getCell(r, C.lineTotal).numFmt = moneyFormat
      r++
    })
  }
  return Buffer.from(await wb.xlsx.writeBuffer())
}
