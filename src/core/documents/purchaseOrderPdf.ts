import type { PurchaseOrderDocument } from '../purchasing/document.ts'
import { fill } from '../common/text.ts'
import { countryName, formatAmount, formatDay, formatInteger, formatMoneyCode, formatScaledUnit, isoDigits, SUPPLIER_LOCALES } from './format.ts'
import { createPdf, footers } from './pdf.ts'
import { isMeasured, lineDescription, measureText, measureWarning, paymentLines, purchaseOrderTexts, quantitySymbol, rateLines } from '../purchasing/document.ts'
import { PdfTable } from './table.ts'

/**
 * The purchase order to a cooperative (or its exporter of record) as a PDF, in the order's language
 * (Spanish unless set otherwise): both parties with their tax ids, number and date, the Incoterms® 2020
 * rule and place, the requested shipping date, every line across as many pages as needed (the table
 * header repeated on each), the totals of value, gross weight and volume, and the payment terms as
 * amounts. Renders the plain data object from purchaseOrderDocument(); no database access here.
 */
const MARGIN = { top: 40, bottom: 52, left: 40, right: 40 }
const CONTENT_TOP = 92
const WIDTH = 595.28 - MARGIN.left - MARGIN.right
const INK = '#111827'
const MUTED = '#4b5563'
const RULE = '#9ca3af'
const BOX = '#d1d5db'
const TOTAL_FILL = '#f3f4f6'

const COLUMNS = [
  { key: 'sku', width: 70 },
  { key: 'description', width: 159 },
  { key: 'cases', width: 42, align: 'right' },
  { key: 'units', width: 52, align: 'right' },
  { key: 'unitPrice', width: 74, align: 'right' },
  { key: 'currency', width: 48, align: 'center' },
  { key: 'lineTotal', width: 70, align: 'right' }
] as const
type Key = (typeof COLUMNS)[number]['key']

/** `digits`: the currency's minor digits as the workspace keeps them (ISO 4217 when not given). */
export async function purchaseOrderPdf(data: PurchaseOrderDocument, fontsDir: string, digits = isoDigits(data.currency)): Promise<Buffer> {
  const t = purchaseOrderTexts(data.language)
  const locale = SUPPLIER_LOCALES[data.language]
  const org = data.organisation
  const sup = data.supplier
  const { doc, done } = createPdf({
    fontsDir,
    title: `${t.title} ${data.number} – ${sup.name}`,
    author: org.name || 'Puente',
    lang: locale,
    createdAt: `${data.issuedOn}T00:00:00.000Z`,
    margins: MARGIN
  })
  const left = MARGIN.left
  const bottomLimit = () => doc.page.height - MARGIN.bottom - 8
  const place = (p: { postalCode: string | null; city: string | null; province?: string | null }) =>
    [[p.postalCode, p.city].filter(Boolean).join(' '), p.province].filter(Boolean).join(', ')

  const logo = org.logo
  const pageHeader = () => {
    let x = left
    if (logo) {
      try {
        doc.image(logo, left, MARGIN.top - 4, { fit: [56, 34] })
        x = left + 64
      } catch {
        // An image pdfkit cannot read is left out rather than failing the whole document.
      }
    }
    doc.font('bold').fontSize(10).fillColor(INK).text(org.name || 'Puente', x, MARGIN.top, { width: WIDTH * 0.6 - (x - left), lineBreak: false, ellipsis: true })
    const contact = [place(org) && [org.street, place(org)].filter(Boolean).join(', '), [org.email, org.phone].filter(Boolean).join(' · ')]
    doc.font('regular').fontSize(7.5).fillColor(MUTED)
    contact.forEach((line, i) => line && doc.text(line, x, MARGIN.top + 14 + i * 10, { width: WIDTH * 0.62 - (x - left), lineBreak: false, ellipsis: true }))
    doc.font('bold').fontSize(10).fillColor(INK).text(t.title, left, MARGIN.top, { width: WIDTH, align: 'right', lineBreak: false })
    doc.font('regular').fontSize(7.5).fillColor(MUTED).text(data.number, left, MARGIN.top + 14, { width: WIDTH, align: 'right', lineBreak: false })
    doc.moveTo(left, CONTENT_TOP - 10).lineTo(left + WIDTH, CONTENT_TOP - 10).lineWidth(0.6).strokeColor(RULE).stroke()
    doc.fillColor(INK)
  }
  doc.on('pageAdded', pageHeader)
  pageHeader()

  // Title, then the two parties side by side.
  let y = CONTENT_TOP
  doc.font('bold').fontSize(15).fillColor(INK).text(`${t.title} ${data.number}`, left, y, { width: WIDTH })
  y = doc.y + 10
  const gap = 14
  const boxW = (WIDTH - gap) / 2
  const party = (x: number, label: string, name: string, lines: string[]) => {
    const inner = boxW - 16
    let yy = y + 8
    doc.font('regular').fontSize(7.5).fillColor(MUTED).text(label.toUpperCase(), x + 8, yy, { width: inner, characterSpacing: 0.4 })
    yy = doc.y + 2
    doc.font('bold').fontSize(10).fillColor(INK).text(name, x + 8, yy, { width: inner })
    yy = doc.y + 1
    doc.font('regular').fontSize(8.5)
    for (const line of lines.filter(Boolean)) {
      doc.text(line, x + 8, yy, { width: inner })
      yy = doc.y
    }
    return yy + 8 - y
  }
  const buyerLines = [
    org.street ?? '',
    place(org),
    countryName(org.country, locale),
    org.vatId ? `${t.vatId}: ${org.vatId}` : '',
    org.eori ? `${t.eori}: ${org.eori}` : '',
    org.email ?? '',
    org.phone ?? ''
  ]
  const supplierLines = [
    sup.cuit ? `${t.cuit}: ${sup.cuit}` : '',
    sup.street ?? '',
    place(sup),
    countryName(sup.country, locale),
    sup.email ?? '',
    sup.cooperatives.length ? fill(t.onBehalfOf, { names: sup.cooperatives.join(', ') }) : ''
  ]
  const h1 = party(left, t.buyer, org.name, buyerLines)
  const h2 = party(left + boxW + gap, t.supplier, sup.name, supplierLines)
  const boxH = Math.max(h1, h2)
  doc.lineWidth(0.6).strokeColor(BOX)
  doc.rect(left, y, boxW, boxH).stroke()
  doc.rect(left + boxW + gap, y, boxW, boxH).stroke()
  y += boxH + 12

  // The order's facts in a grid of three columns.
  const facts: [string, string][] = [
    [t.number, data.number],
    [t.date, formatDay(data.issuedOn, locale)],
    [t.currency, data.currency],
    [t.incoterms, `${data.incoterm} ${data.incotermPlace ?? `(${t.placeToBeAgreed})`}`],
    [t.shipDate, data.shipDate ? formatDay(data.shipDate, locale) : t.toBeAgreed],
    [t.round, data.roundName]
  ]
  const factW = WIDTH / 3
  for (let r = 0; r < facts.length; r += 3) {
    let rowH = 0
    facts.slice(r, r + 3).forEach(([label, value], i) => {
      const x = left + i * factW
      doc.font('regular').fontSize(7.5).fillColor(MUTED).text(label, x, y, { width: factW - 10 })
      doc.font('bold').fontSize(9.5).fillColor(INK).text(value, x, doc.y + 1, { width: factW - 10 })
      rowH = Math.max(rowH, doc.y - y)
    })
    y += rowH + 8
  }
  y += 4

  // The lines.
  const headers: Record<Key, string> = {
    sku: t.sku,
    description: t.description,
    cases: t.cases,
    units: t.units,
    unitPrice: t.unitPrice,
    currency: t.currency,
    lineTotal: t.lineTotal
  }
  const table = new PdfTable<Key>(doc, y, { left, columns: COLUMNS, headers, top: CONTENT_TOP, bottom: bottomLimit })
  table.header()
  if (!data.lines.length) table.note(t.noLines)
  const grouped = sup.cooperatives.length > 0
  let group: string | null = null
  for (const l of data.lines) {
    const cells: Record<Key, string> = {
      sku: l.sku,
      // A converted line names the cooperative's own price (the rate is printed under the totals); one billed per case says so.
      description: lineDescription(l, data.language),
      cases: formatInteger(l.cases, locale),
      // Goods sold by area, weight or volume: the exact quantity with its unit ("8,64 m²", "12,5 kg").
      units: isMeasured(l) ? `${formatScaledUnit(l.quantityMilli, 3, 3, locale)} ${quantitySymbol(l.salesUnit)}`.trim() : formatScaledUnit(l.quantityMilli, 3, 0, locale),
      unitPrice: formatAmount(l.unitPriceMinor, digits, locale),
      currency: data.currency,
      lineTotal: formatAmount(l.totalMinor, digits, locale)
    }
    if (grouped && l.cooperative !== group) {
      group = l.cooperative
      table.heading(group, fill(t.continued, { name: group }), table.rowHeight(cells))
    }
    table.row(cells)
  }
  table.endGroup()
  table.row(
    {
      description: t.total,
      cases: formatInteger(data.totals.cases, locale),
      // Quantities in different units do not add up: no sum when any line is measured.
      units: data.totals.measuredLines ? '' : formatInteger(data.totals.units, locale),
      currency: data.currency,
      lineTotal: formatAmount(data.totals.valueMinor, digits, locale)
    },
    { bold: true, fill: TOTAL_FILL }
  )
  y = table.y + 16

  // Totals and payment terms, kept together; on the next page when they do not fit.
  const totals: [string, string][] = [
    [t.totalValue, formatMoneyCode(data.totals.valueMinor, digits, data.currency, locale)],
    [t.grossWeight, measureText(data, 'gross')],
    [t.volume, measureText(data, 'volume')]
  ]
  const payments = paymentLines(data, digits)
  const rates = rateLines(data)
  const warning = measureWarning(data)
  doc.font('regular').fontSize(9)
  const paymentsH = payments.reduce((a, p) => a + doc.heightOfString(p, { width: WIDTH - 14 }) + 3, 0)
  const ratesH = rates.reduce((a, p) => a + doc.heightOfString(p, { width: WIDTH - 14 }) + 3, 0)
  const warningH = warning ? doc.heightOfString(warning, { width: WIDTH - 16 }) + 18 : 0
  const notesH = data.notes ? doc.heightOfString(data.notes, { width: WIDTH }) + 24 : 0
  const blockH = 16 + totals.length * 15 + 16 + (payments.length ? 18 + paymentsH : 0) + (rates.length ? 18 + ratesH : 0) + warningH + notesH
  if (y + blockH > bottomLimit()) {
    doc.addPage()
    y = CONTENT_TOP
  }
  doc.font('bold').fontSize(10).fillColor(INK).text(t.totals, left, y)
  y = doc.y + 4
  const labelW = 150
  for (const [label, value] of totals) {
    doc.font('regular').fontSize(9).fillColor(MUTED).text(label, left, y, { width: labelW, lineBreak: false })
    doc.font(label === t.totalValue ? 'bold' : 'regular').fillColor(INK).text(value, left + labelW, y, { width: WIDTH - labelW, lineBreak: false })
    y += 15
  }
  if (warning) {
    // Missing weights or volumes are said plainly, in a box: a freight quote built on them would be short.
    y += 4
    const h = doc.font('bold').fontSize(9).heightOfString(warning, { width: WIDTH - 16 })
    doc.rect(left, y, WIDTH, h + 10).lineWidth(0.8).strokeColor('#b45309').stroke()
    doc.fillColor('#7c2d12').text(warning, left + 8, y + 5, { width: WIDTH - 16 })
    doc.fillColor(INK)
    y += h + 14
  }
  if (rates.length) {
    y += 10
    doc.font('bold').fontSize(10).fillColor(INK).text(t.rates, left, y)
    y = doc.y + 4
    doc.font('regular').fontSize(9)
    for (const p of rates) {
      doc.text('•', left + 2, y, { lineBreak: false })
      doc.text(p, left + 14, y, { width: WIDTH - 14 })
      y = doc.y + 3
    }
  }
  if (payments.length) {
    y += 10
    doc.font('bold').fontSize(10).fillColor(INK).text(t.paymentTerms, left, y)
    y = doc.y + 4
    doc.font('regular').fontSize(9)
    for (const p of payments) {
      doc.text('•', left + 2, y, { lineBreak: false })
      doc.text(p, left + 14, y, { width: WIDTH - 14 })
      y = doc.y + 3
    }
  }
  if (data.notes) {
    y += 10
    doc.font('bold').fontSize(10).text(t.notes, left, y)
    doc.font('regular').fontSize(9).text(data.notes, left, doc.y + 4, { width: WIDTH })
  }

  doc.removeListener('pageAdded', pageHeader)
  footers(doc, fill(t.footer, { number: data.number, organisation: org.name, date: formatDay(data.issuedOn, locale) }))
  doc.end()
  return done
}
