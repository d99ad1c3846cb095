import { addressLine, type OrderFormData, type OrderFormProduct } from '../orders/orderForm.ts'
import { stepsValue } from '../../shared/quantity.ts'
import { fill, formatDate, formatDeadline, formatMoney, formatNumber, formTexts, LOCALES } from '../common/text.ts'
import { createPdf, footers } from './pdf.ts'

/**
 * The order form as a printable PDF: the same content as the XLSX form, with boxes to write the
 * quantities in by hand. Renders the plain data object from orderFormData(); no database access here.
 */
const MARGIN = { top: 40, bottom: 52, left: 40, right: 40 }
const CONTENT_TOP = 92
const COLUMNS = [
  { key: 'sku', width: 70 },
  { key: 'product', width: 176 },
  { key: 'unit', width: 56 },
  { key: 'case', width: 42 },
  { key: 'price', width: 59 },
  { key: 'quantity', width: 56 },
  { key: 'tolerance', width: 56 }
] as const
const TABLE_WIDTH = COLUMNS.reduce((a, c) => a + c.width, 0)
const PAD = 4
const INK = '#111827'
const MUTED = '#4b5563'
const RULE = '#9ca3af'
const HEAD_FILL = '#1f4e5f'
const GROUP_FILL = '#e5e7eb'

export async function orderFormPdf(data: OrderFormData, fontsDir: string): Promise<Buffer> {
  const t = formTexts(data.language)
  const org = data.organisation
  const { doc, done } = createPdf({
    fontsDir,
    title: `${t.title} – ${data.round.name} – ${data.buyer.name}`,
    author: org.name || 'Puente',
    lang: LOCALES[data.language],
    createdAt: data.createdAt,
    margins: MARGIN
  })
  const left = MARGIN.left
  const bottomLimit = () => doc.page.height - MARGIN.bottom - 8

  const pageHeader = () => {
    const width = doc.page.width - MARGIN.left - MARGIN.right
    doc.font('bold').fontSize(10).fillColor(INK).text(org.name || 'Puente', left, MARGIN.top, { width: width * 0.6, lineBreak: false })
    const contact = [addressLine({ street: org.street, postalCode: org.postalCode, city: org.city }), [org.email, org.phone].filter(Boolean).join(' · ')]
    doc.font('regular').fontSize(7.5).fillColor(MUTED)
    contact.forEach((line, i) => doc.text(line, left, MARGIN.top + 14 + i * 10, { width: width * 0.62, lineBreak: false, ellipsis: true }))
    doc.font('bold').fontSize(10).fillColor(INK).text(t.title, left, MARGIN.top, { width, align: 'right', lineBreak: false })
    doc.font('regular').fontSize(7.5).fillColor(MUTED).text(data.round.name, left, MARGIN.top + 14, { width, align: 'right', lineBreak: false })
    doc.moveTo(left, CONTENT_TOP - 10).lineTo(left + width, CONTENT_TOP - 10).lineWidth(0.6).strokeColor(RULE).stroke()
    doc.fillColor(INK)
  }
  doc.on('pageAdded', pageHeader)
  pageHeader()

  // The buyer block and the round's facts, on the first page only.
  let y = CONTENT_TOP
  doc.font('regular').fontSize(8).fillColor(MUTED).text(t.buyer, left, y)
  y += 11
  doc.font('bold').fontSize(13).fillColor(INK).text(data.buyer.name, left, y, { width: TABLE_WIDTH })
  y = doc.y + 2
  const place = addressLine(data.buyer)
  const sub = [place, data.buyer.hubName ? fill(t.orderedVia, { hub: data.buyer.hubName }) : ''].filter(Boolean).join(' · ')
  if (sub) {
    doc.font('regular').fontSize(9).fillColor(INK).text(sub, left, y, { width: TABLE_WIDTH })
    y = doc.y
  }
  y += 8
  const facts: [string, string][] = [
    [t.round, data.round.name],
    [t.deadline, formatDeadline(data.round.closesAt, data.round.timeZone, data.language)],
    [t.currency, data.round.currency]
  ]
  for (const [label, value] of facts) {
    doc.font('bold').fontSize(9).fillColor(INK).text(label, left, y, { width: 110, lineBreak: false })
    doc.font('regular').fontSize(9).text(value, left + 112, y, { width: TABLE_WIDTH - 112 })
    y = Math.max(doc.y, y + 12) + 1
  }
  y += 4
  doc.font('regular').fontSize(8).fillColor(MUTED).text(t.pdfInstructions, left, y, { width: TABLE_WIDTH })
  y = doc.y + 10
  doc.fillColor(INK)

  const headerTexts: Record<(typeof COLUMNS)[number]['key'], string> = {
    sku: t.sku,
    product: t.product,
    unit: t.unit,
    case: t.caseShort,
    price: t.price,
    quantity: t.quantity,
    tolerance: t.tolerance
  }
  const rightAligned = new Set(['case', 'price'])
  const centred = new Set(['quantity', 'tolerance'])
  const tableHeader = () => {
    doc.font('bold').fontSize(7.5)
    const h = Math.max(...COLUMNS.map((c) => doc.heightOfString(headerTexts[c.key], { width: c.width - 2 * PAD }))) + 2 * PAD
    doc.rect(left, y, TABLE_WIDTH, h).fill(HEAD_FILL)
    let x = left
    doc.fillColor('white')
    for (const c of COLUMNS) {
      const align = rightAligned.has(c.key) ? 'right' : centred.has(c.key) ? 'center' : 'left'
      doc.text(headerTexts[c.key], x + PAD, y + PAD, { width: c.width - 2 * PAD, align })
      x += c.width
    }
    doc.fillColor(INK)
    y += h
  }
  const newPage = () => {
    doc.addPage()
    y = CONTENT_TOP
    tableHeader()
  }

  const cellTexts = (p: OrderFormProduct): Record<(typeof COLUMNS)[number]['key'], string> => ({
    sku: p.sku,
    product: p.name,
    unit: p.unit,
    case: formatNumber(p.caseMilli / 1000, data.language),
    price: formatMoney(p.priceMinor, data.round.digits, data.round.currency, data.language),
    quantity: '',
    tolerance: ''
  })
  const rowHeight = (texts: Record<string, string>) => {
    doc.font('regular').fontSize(8.5)
    const textH = Math.max(...COLUMNS.map((c) => (texts[c.key] ? doc.heightOfString(texts[c.key]!, { width: c.width - 2 * PAD }) : 0)))
    return Math.max(22, textH + 2 * PAD + 2)
  }

  tableHeader()
  if (!data.groups.length) {
    doc.font('regular').fontSize(9).text(t.noProducts, left + PAD, y + 8, { width: TABLE_WIDTH })
  }
  const groupH = 17
  const groupHeading = (name: string) => {
    doc.rect(left, y, TABLE_WIDTH, groupH).fill(GROUP_FILL)
    doc.font('bold').fontSize(8.5).fillColor(INK).text(name, left + PAD, y + 4, { width: TABLE_WIDTH - 2 * PAD, lineBreak: false, ellipsis: true })
    y += groupH
  }
  for (const g of data.groups) {
    const firstH = g.products[0] ? rowHeight(cellTexts(g.products[0])) : 0
    if (y + groupH + firstH > bottomLimit()) newPage()
    groupHeading(g.supplierName)
    for (const p of g.products) {
      const texts = cellTexts(p)
      const h = rowHeight(texts)
      if (y + h > bottomLimit()) {
        newPage()
        groupHeading(`${g.supplierName} …`)
      }
      let x = left
      doc.font('regular').fontSize(8.5).fillColor(INK)
      for (const c of COLUMNS) {
        if (c.key === 'quantity' || c.key === 'tolerance') {
          const boxH = 15
          const boxY = y + (h - boxH) / 2
          doc.rect(x + 6, boxY, c.width - 12, boxH).lineWidth(0.8).strokeColor('#374151').stroke()
          // The current order, so that a printed form shows what is already ordered.
          const current = c.key === 'quantity' ? p.quantity : p.tolerance
          if (current > 0) {
            doc.font('regular').fontSize(8.5).fillColor(MUTED).text(formatNumber(stepsValue(current, p.stepMilli), data.language), x + 6, boxY + 3.5, { width: c.width - 12, align: 'center', lineBreak: false })
            doc.fillColor(INK)
          }
        } else if (texts[c.key]) {
          const align = rightAligned.has(c.key) ? 'right' : 'left'
          doc.text(texts[c.key], x + PAD, y + PAD + 1, { width: c.width - 2 * PAD, align })
        }
        x += c.width
      }
      doc.moveTo(left, y + h).lineTo(left + TABLE_WIDTH, y + h).lineWidth(0.4).strokeColor(RULE).stroke()
      y += h
    }
  }
  doc.removeListener('pageAdded', pageHeader)
  footers(doc, fill(t.created, { date: formatDate(data.createdAt, data.language, data.round.timeZone) }))
  doc.end()
  return done
}
