import type { Language } from '../../shared/reference.ts'
import { type ChangeNoticeBuyer, type ChangeNoticeData, changeNoticeTexts } from '../consolidation/changeNotice.ts'
import { addressLine } from '../orders/orderForm.ts'
import { fill, formatDate, LOCALES } from '../common/text.ts'
import { formatScaledUnit } from './format.ts'
import { createPdf, footers } from './pdf.ts'
import { PdfTable } from './table.ts'

/**
 * The change notice as a printable PDF: one section per buyer, each on a page of its own and wholly in
 * that buyer's language (heading, explanation, table of product / ordered / tolerance / what they get —
 * split into ordered and tolerance units where the tolerance was used — / why, the footer), so each can
 * be printed or sent on by itself.
 */
const MARGIN = { top: 40, bottom: 52, left: 40, right: 40 }
const CONTENT_TOP = 92
const WIDTH = 595.28 - MARGIN.left - MARGIN.right
const INK = '#111827'
const MUTED = '#4b5563'
const RULE = '#9ca3af'

const COLUMNS = [
  { key: 'product', width: 155 },
  { key: 'ordered', width: 46, align: 'right' },
  { key: 'tolerance', width: 52, align: 'right' },
  { key: 'allocated', width: 96, align: 'right' },
  { key: 'why', width: 166 }
] as const
type Key = (typeof COLUMNS)[number]['key']

export async function changeNoticePdf(data: ChangeNoticeData, fontsDir: string): Promise<Buffer> {
  const org = data.organisation
  const { doc, done } = createPdf({
    fontsDir,
    title: fill(changeNoticeTexts(data.language).fileName, { round: data.round.name }),
    author: org.name || 'Puente',
    lang: LOCALES[data.language],
    createdAt: data.createdAt,
    margins: MARGIN
  })
  const left = MARGIN.left
  // The language of the section being written: the page header and the footer of each page follow it.
  let lang: Language = data.buyers[0]?.language ?? data.language
  const pageLanguages: Language[] = []
  const pageHeader = () => {
    pageLanguages.push(lang)
    const t = changeNoticeTexts(lang)
    doc.font('bold').fontSize(10).fillColor(INK).text(org.name || 'Puente', left, MARGIN.top, { width: WIDTH * 0.6, lineBreak: false, ellipsis: true })
    const contact = [addressLine({ street: org.street, postalCode: org.postalCode, city: org.city }), [org.email, org.phone].filter(Boolean).join(' · ')]
    doc.font('regular').fontSize(7.5).fillColor(MUTED)
    contact.forEach((line, i) => line && doc.text(line, left, MARGIN.top + 14 + i * 10, { width: WIDTH * 0.62, lineBreak: false, ellipsis: true }))
    doc.font('bold').fontSize(10).fillColor(INK).text(t.title, left, MARGIN.top, { width: WIDTH, align: 'right', lineBreak: false })
    doc.font('regular').fontSize(7.5).fillColor(MUTED).text(data.round.name, left, MARGIN.top + 14, { width: WIDTH, align: 'right', lineBreak: false })
    doc.moveTo(left, CONTENT_TOP - 10).lineTo(left + WIDTH, CONTENT_TOP - 10).lineWidth(0.6).strokeColor(RULE).stroke()
    doc.fillColor(INK)
  }
  doc.on('pageAdded', pageHeader)
  pageHeader()

  const section = (b: ChangeNoticeBuyer) => {
    const t = changeNoticeTexts(b.language)
    let y = CONTENT_TOP
    doc.font('bold').fontSize(15).fillColor(INK).text(b.name, left, y, { width: WIDTH })
    y = doc.y + 2
    doc.font('regular').fontSize(9).fillColor(MUTED).text(fill(t.round, { round: data.round.name }), left, y, { width: WIDTH })
    y = doc.y + 10
    doc.font('bold').fontSize(12).fillColor(INK).text(t.title, left, y, { width: WIDTH })
    y = doc.y + 4
    doc.font('regular').fontSize(9.5).text(t.intro[data.stage], left, y, { width: WIDTH })
    y = doc.y + 10
    const headers: Record<Key, string> = { product: t.product, ordered: t.ordered, tolerance: t.tolerance, allocated: t.allocated, why: t.why }
    const table = new PdfTable<Key>(doc, y, { left, columns: COLUMNS, headers, top: CONTENT_TOP, bottom: () => doc.page.height - MARGIN.bottom - 8, minRowHeight: 20 })
    table.header()
    const q = (milli: number) => formatScaledUnit(milli, 3, 3, LOCALES[b.language])
    for (const l of b.lines) {
      const product = [`${l.sku} · ${l.product}`, l.member ? fill(t.forMember, { name: l.member }) : ''].filter(Boolean).join('\n')
      table.row(
        {
          product,
          ordered: q(l.ordered),
          tolerance: q(l.tolerance),
          // What comes from the tolerance is told below the total ("4 + 2 Toleranz").
          allocated: [
            q(l.allocated),
            l.fromTolerance > 0
              ? fill(t.split, { ordered: q(l.fromOrdered), tolerance: q(l.fromTolerance) })
              : ''
          ]
            .filter(Boolean)
            .join('\n'),
          why: l.why
        },
        {}
      )
    }
  }

  if (!data.buyers.length) {
    doc.font('regular').fontSize(10).fillColor(INK).text(changeNoticeTexts(data.language).nothing, left, CONTENT_TOP, { width: WIDTH })
  }
  data.buyers.forEach((b, i) => {
    lang = b.language
    if (i > 0) doc.addPage()
    section(b)
  })
  doc.removeListener('pageAdded', pageHeader)
  footers(doc, (page) => {
    const l = pageLanguages[page] ?? data.language
    return fill(changeNoticeTexts(l).footer, { organisation: org.name, round: data.round.name, date: formatDate(data.createdAt, l) })
  })
  doc.end()
  return done
}
