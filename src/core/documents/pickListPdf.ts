import { fill, LOCALES } from '../common/text.ts'
import { type PickList, pickListTexts } from '../distribution/pickList.ts'
import { formatScaledUnit } from './format.ts'
import { createPdf, footers } from './pdf.ts'
import { PdfTable } from './table.ts'

/**
 * The pick lists of a distribution day as one PDF to print: a page (or more) per buyer with a tick box
 * per line, the product, for whom, how much, the cartons it came in and room for a note, and a line to
 * sign when the goods are handed over.
 */
const MARGIN = { top: 40, bottom: 52, left: 40, right: 40 }
const CONTENT_TOP = 70
const WIDTH = 595.28 - MARGIN.left - MARGIN.right
const INK = '#111827'
const MUTED = '#4b5563'

const COLUMNS = [
  { key: 'tick', width: 24, align: 'center' },
  { key: 'product', width: 185 },
  { key: 'for', width: 120 },
  { key: 'quantity', width: 56, align: 'right' },
  { key: 'cartons', width: 80 },
  { key: 'note', width: 50 }
] as const
type Key = (typeof COLUMNS)[number]['key']

export async function pickListPdf(data: PickList, options: { fontsDir: string; createdAt: string; organisation: string }): Promise<Buffer> {
  const t = pickListTexts(data.language)
  const locale = LOCALES[data.language]
  const { doc, done } = createPdf({
    fontsDir: options.fontsDir,
    title: fill(t.fileName, { round: data.roundName }),
    author: options.organisation || 'Puente',
    lang: locale,
    createdAt: options.createdAt,
    margins: MARGIN
  })
  data.buyers.forEach((b, i) => {
    if (i > 0) doc.addPage()
    doc.font('bold').fontSize(15).fillColor(INK).text(fill(t.title, { buyer: b.name }), MARGIN.left, MARGIN.top, { width: WIDTH })
    doc.font('regular').fontSize(9).fillColor(MUTED).text(fill(t.subtitle, { round: data.roundName, count: b.lines.length }), MARGIN.left, doc.y + 2, { width: WIDTH })
    const table = new PdfTable<Key>(doc, doc.y + 10, {
      left: MARGIN.left,
      top: CONTENT_TOP,
      bottom: () => doc.page.height - MARGIN.bottom - 8,
      columns: COLUMNS,
      headers: { tick: '✓', product: t.product, for: t.for, quantity: t.quantity, cartons: t.cartons, note: t.note },
      minRowHeight: 22
    })
    table.header()
    for (const l of b.lines) {
      const y = table.y
      table.row({
        product: `${l.sku} · ${l.name}`,
        for: l.subBuyer ?? '',
        quantity: `${formatScaledUnit(l.quantityMilli, 3, 3, locale)} ${l.unit}`,
        cartons: l.cartons.join(', ')
      })
      // The tick box, drawn (a character box would depend on the font).
      doc.rect(MARGIN.left + 7, y + 5, 10, 10).lineWidth(0.8).strokeColor(INK).stroke()
    }
    let y = table.y + 24
    if (y + 40 > doc.page.height - MARGIN.bottom) {
      doc.addPage()
      y = CONTENT_TOP
    }
    doc.font('regular').fontSize(9).fillColor(INK).text(t.handedOver, MARGIN.left, y, { width: WIDTH })
  })
  footers(doc, fill(t.fileName, { round: data.roundName }))
  doc.end()
  return done
}
