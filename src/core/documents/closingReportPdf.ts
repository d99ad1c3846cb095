import { readFileSync } from 'node:fs'
import { create, type Font } from 'fontkit'
import { resources } from '../../shared/i18n/index.ts'
import type { Language } from '../../shared/reference.ts'
import type { ClosingFigures } from '../closing/model.ts'
import { fill, LOCALES, safeFileName, unitName } from '../common/text.ts'
import { formatAmount, formatDay, formatMoneyCode, formatScaledUnit, isoDigits } from './format.ts'
import { createPdfSync, fontPaths, footers } from './pdf.ts'
import { PdfTable } from './table.ts'

/**
 * A round's closing report (issue 12, item 5) in the organisation's language: the result explained step
 * by step, three bar charts drawn as vector shapes (value and contributions per cooperative, totals per
 * group), the solidarity transfers due with each cooperative's bank details and the products they come
 * from, the stock, the shipments' landed cost, the exchange differences and the groups' invoices and
 * payments. An open round's report is a preview and says so on every page.
 *
 * A pure function of the figures (the closing computes them); written synchronously, so that it can be
 * made inside the transaction that closes the round.
 */
const MARGIN = { top: 40, bottom: 52, left: 40, right: 40 }
const PAGE = { width: 595.28, height: 841.89 }
const LEFT = MARGIN.left
const WIDTH = PAGE.width - MARGIN.left - MARGIN.right
/** Where content goes on after a page break, below the running header. */
const CONTENT_TOP = 66
const INK = '#111827'
const MUTED = '#4b5563'
const RULE = '#9ca3af'
const PREVIEW_INK = '#b91c1c'
const RESULT_FILL = '#e6f0f3'
const TOTAL_FILL = '#f3f4f6'
const BAR = { value: '#2f7a93', contributions: '#b45309', groups: '#4f6d3a', negative: '#b91c1c' }

function closingReportTexts(language: Language) {
  return resources[language].translation.closingReport
}

/** IBAN in groups of four, as printed on paper. */
const groupIban = (iban: string) => iban.replace(/\s+/g, '').replace(/(.{4})(?=.)/g, '$1 ')

/** The bank details a transfer needs, in one line, or null when none are recorded. */
function bankLine(bank: ClosingFigures['cooperatives'][number]['bank'], t: { bankName: string }): string | null {
  const parts = [
    bank.iban ? `IBAN ${groupIban(bank.iban)}` : '',
    bank.bic ? `BIC ${bank.bic}` : '',
    bank.cbu ? `CBU ${bank.cbu}` : '',
    bank.bankName ? `${t.bankName}: ${bank.bankName}` : ''
  ].filter(Boolean)
  return parts.length ? parts.join(' · ') : null
}

/** The report's file name in the organisation's language: "Rundenabschluss Winterrunde 2026-27.pdf". */
export function closingReportFileName(figures: ClosingFigures): string {
  return `${safeFileName(fill(closingReportTexts(figures.language).fileName, { round: figures.roundName }))}.pdf`
}

/** A text cut with "…" to fit a width at the current font (pdfkit's own ellipsis wraps instead when lines may not break). */
function fit(doc: PDFKit.PDFDocument, text: string, width: number): string {
  if (doc.widthOfString(text) <= width) return text
  let lo = 0
  let hi = text.length
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2)
    if (doc.widthOfString(`${text.slice(0, mid).trimEnd()}…`) <= width) lo = mid
    else hi = mid - 1
  }
  return `${text.slice(0, lo).trimEnd()}…`
}

const outlineFonts = new Map<string, Font>()

/**
 * The preview mark across the middle of the current page, drawn as the glyphs' outlines rather than as
 * text: visible on paper and on screen, but not read into the document's text (copying or searching a
 * preview, or reading it aloud, does not meet the mark between every other line).
 */
function previewMark(doc: PDFKit.PDFDocument, fontsDir: string, text: string): void {
  const path = fontPaths(fontsDir).bold
  let font = outlineFonts.get(path)
  if (!font) outlineFonts.set(path, (font = create(readFileSync(path)) as Font))
  const run = font.layout(text)
  const advance = run.positions.reduce((a, p) => a + p.xAdvance, 0)
  // As large as fits along the diagonal band.
  const size = Math.min(90, (PAGE.width * 0.95 * font.unitsPerEm) / advance)
  const s = size / font.unitsPerEm
  const cx = PAGE.width / 2
  const cy = PAGE.height / 2
  doc.save()
  doc.rotate(-35, { origin: [cx, cy] })
  doc.fillColor(PREVIEW_INK).fillOpacity(0.1)
  let pen = cx - (advance * s) / 2
  // DejaVu has no cap height in its OS/2 table: its capitals are 0.73 em high.
  const baseline = cy + ((font.capHeight || font.unitsPerEm * 0.73) * s) / 2
  run.glyphs.forEach((g, i) => {
    const svg = g.path.toSVG()
    if (svg) {
      doc.save()
      doc.translate(pen, baseline)
      doc.scale(s, -s)
      doc.path(svg).fill()
      doc.restore()
    }
    pen += run.positions[i]!.xAdvance * s
  })
  doc.restore()
}

export function closingReportPdf(figures: ClosingFigures, options: { fontsDir: string; createdAt: string }): Buffer {
  const f = figures
  const t = closingReportTexts(f.language)
  const locale = LOCALES[f.language]
  const preview = f.closedAt === null
  const amount = (minor: number) => formatAmount(minor, f.digits, locale)
  const money = (minor: number) => formatMoneyCode(minor, f.digits, f.currency, locale)
  const title = fill(t.title, { round: f.roundName })
  const { doc, finish } = createPdfSync({
    fontsDir: options.fontsDir,
    title: fill(t.fileName, { round: f.roundName }),
    author: f.organisation || 'Puente',
    lang: locale,
    createdAt: options.createdAt,
    margins: MARGIN
  })
  const bottom = () => PAGE.height - MARGIN.bottom - 8

  // Every later page: the report's title (and the preview mark) above a rule.
  const runningHeader = () => {
    doc.font('bold').fontSize(9).fillColor(INK).text(fit(doc, title, WIDTH - 110), LEFT, MARGIN.top, { lineBreak: false })
    if (preview) doc.font('bold').fontSize(9).fillColor(PREVIEW_INK).text(t.preview, LEFT, MARGIN.top, { width: WIDTH, align: 'right', lineBreak: false })
    doc.moveTo(LEFT, MARGIN.top + 16).lineTo(LEFT + WIDTH, MARGIN.top + 16).lineWidth(0.6).strokeColor(RULE).stroke()
    doc.fillColor(INK)
  }
  doc.on('pageAdded', runningHeader)

  let y = MARGIN.top
  /** Goes to a new page unless `height` still fits below y. */
  const room = (height: number) => {
    if (y + height > bottom()) {
      doc.addPage()
      y = CONTENT_TOP
    }
  }
  /** A section's title (kept with at least `keep` points of what follows) and an optional explanation. */
  const section = (text: string, intro?: string, keep = 90) => {
    y += 16
    room(keep)
    doc.font('bold').fontSize(11.5).fillColor(INK).text(text, LEFT, y, { width: WIDTH })
    y = doc.y + 3
    if (intro) {
      doc.font('regular').fontSize(8.5).fillColor(MUTED).text(intro, LEFT, y, { width: WIDTH })
      y = doc.y + 4
    }
    y += 3
    doc.fillColor(INK)
  }
  const table = <K extends string>(columns: readonly { key: K; width: number; align?: 'left' | 'right' | 'center' }[], headers: Record<K, string>) => {
    const tb = new PdfTable<K>(doc, y, { left: LEFT, top: CONTENT_TOP, bottom, columns, headers, minRowHeight: 16 })
    tb.header()
    return tb
  }
  const note = (text: string, ink = MUTED) => {
    doc.font('regular').fontSize(8.5)
    const h = doc.heightOfString(text, { width: WIDTH })
    room(h)
    doc.fillColor(ink).text(text, LEFT, y, { width: WIDTH })
    y = doc.y + 4
    doc.fillColor(INK)
  }

  // Title, organisation, day, and whether this is the closed round or a preview.
  doc.font('bold').fontSize(13)
  const markWidth = doc.widthOfString(t.preview) + 12
  doc.font('bold').fontSize(16).fillColor(INK).text(title, LEFT, y, { width: preview ? WIDTH - markWidth - 12 : WIDTH })
  const titleBottom = doc.y
  if (preview) {
    doc.font('bold').fontSize(13)
    const w = markWidth - 12
    doc.rect(LEFT + WIDTH - w - 12, y - 2, w + 12, 22).lineWidth(1.2).strokeColor(PREVIEW_INK).stroke()
    doc.fillColor(PREVIEW_INK).text(t.preview, LEFT + WIDTH - w - 6, y + 2.5, { lineBreak: false })
  }
  y = Math.max(titleBottom, y + 24) + 2
  const when = preview ? fill(t.previewOn, { day: formatDay(f.day, locale) }) : fill(t.closedOn, { day: formatDay(f.day, locale) })
  doc.font('regular').fontSize(10).fillColor(MUTED).text(`${f.organisation} · ${when}`, LEFT, y, { width: WIDTH })
  y = doc.y + 4
  if (preview) {
    doc.font('bold').fontSize(9).fillColor(PREVIEW_INK).text(t.previewNote, LEFT, y, { width: WIDTH })
    y = doc.y + 2
  }
  doc.fillColor(INK)

  // The result step by step.
  section(t.resultHeading, undefined, 200)
  {
    const tb = table(
      [
        { key: 'sign', width: 22, align: 'center' },
        { key: 'item', width: WIDTH - 22 - 120 },
        { key: 'amount', width: 120, align: 'right' }
      ] as const,
      { sign: '', item: t.item, amount: fill(t.amountIn, { currency: f.currency }) }
    )
    tb.row({ sign: '', item: t.goods, amount: amount(f.goodsNetMinor) })
    tb.row({ sign: '+', item: t.stock, amount: amount(f.stockValueMinor) })
    tb.row({ sign: '−', item: t.landed, amount: amount(f.landedMinor) })
    tb.row({ sign: f.exchangeDifferenceMinor < 0 ? '−' : '+', item: t.exchange, amount: amount(Math.abs(f.exchangeDifferenceMinor)) })
    tb.row({ sign: '=', item: t.result, amount: amount(f.resultMinor) }, { bold: true, fill: RESULT_FILL })
    tb.row({ sign: '−', item: t.contributions, amount: amount(f.contributionsMinor) })
    tb.row({ sign: '=', item: t.reserve, amount: amount(f.reserveMinor) }, { bold: true, fill: RESULT_FILL })
    y = tb.y + 8
  }
  note(fill(t.passThrough, { shipping: money(f.shippingNetMinor), charges: money(f.chargesNetMinor) }))
  if (f.stockContributionsMinor !== 0) note(fill(t.stockDue, { amount: money(f.stockContributionsMinor) }))
  note(fill(t.payments, { invoiced: money(f.invoicedGrossMinor), received: money(f.receivedMinor), refunded: money(f.refundedMinor) }))

  // Three bar charts.
  section(t.chartsHeading, undefined, 80)
  const chart = (name: string, entries: { label: string; value: number }[], colour: string) => {
    const rowH = 14
    const labelW = 165
    const valueW = 82
    const barLeft = LEFT + labelW + 6
    const barWidth = WIDTH - labelW - 6 - valueW - 6
    const heading = (text: string) => {
      doc.font('bold').fontSize(9.5).fillColor(INK).text(fit(doc, text, WIDTH), LEFT, y, { lineBreak: false })
      y += doc.currentLineHeight(true) + 4
    }
    y += 6
    room(16 + rowH * Math.min(entries.length || 1, 3))
    heading(name)
    if (!entries.length) {
      note(t.noEntries)
      return
    }
    // Drawing positions only: the amounts themselves are printed from their minor units.
    const low = Math.min(0, ...entries.map((e) => e.value))
    const high = Math.max(0, ...entries.map((e) => e.value))
    const span = high - low || 1
    const zero = barLeft + (-low / span) * barWidth
    let top = y
    const axis = (to: number) => {
      doc.moveTo(zero, top - 1).lineTo(zero, to + 1).lineWidth(0.6).strokeColor(MUTED).stroke()
    }
    for (const e of entries) {
      if (y + rowH > bottom()) {
        axis(y)
        doc.addPage()
        y = CONTENT_TOP
        heading(fill(t.continued, { title: name }))
        top = y
      }
      doc.font('regular').fontSize(8).fillColor(INK).text(fit(doc, e.label, labelW), LEFT, y + 3, { lineBreak: false })
      const w = (Math.abs(e.value) / span) * barWidth
      if (w > 0) doc.rect(e.value < 0 ? zero - w : zero, y + 2.5, Math.max(w, 0.8), rowH - 5).fill(e.value < 0 ? BAR.negative : colour)
      doc.font('regular').fontSize(8).fillColor(INK).text(amount(e.value), LEFT + WIDTH - valueW, y + 3, { width: valueW, align: 'right', lineBreak: false })
      y += rowH
    }
    axis(y)
    doc.font('regular').fontSize(7).fillColor(MUTED).text(f.currency, LEFT + WIDTH - valueW, y + 1, { width: valueW, align: 'right', lineBreak: false })
    y += 10
    doc.fillColor(INK)
  }
  chart(
    t.chartValue,
    f.cooperatives.map((c) => ({ label: c.name, value: c.goodsNetMinor })),
    BAR.value
  )
  chart(
    t.chartContributions,
    f.cooperatives.map((c) => ({ label: c.name, value: c.contributionMinor })),
    BAR.contributions
  )
  chart(
    t.chartGroups,
    f.groups.map((g) => ({ label: g.name, value: g.grossMinor })),
    BAR.groups
  )

  // The transfers due to each cooperative, with the products they come from.
  section(t.transfersHeading, t.transfersIntro, 110)
  {
    const tb = table(
      [
        { key: 'sku', width: 70 },
        { key: 'product', width: 175 },
        { key: 'delivered', width: 75, align: 'right' },
        { key: 'perUnit', width: 100, align: 'right' },
        { key: 'amount', width: WIDTH - 70 - 175 - 75 - 100, align: 'right' }
      ] as const,
      { sku: t.sku, product: t.product, delivered: t.delivered, perUnit: t.perUnit, amount: fill(t.amountIn, { currency: f.currency }) }
    )
    for (const c of f.cooperatives) {
      const bank = bankLine(c.bank, t)
      tb.heading(c.name, fill(t.continued, { title: c.name }), 40)
      // The bank details across the whole table, in red when there are none to send the transfer to.
      doc.font('regular').fontSize(8.5)
      const bankText = bank ?? t.noBank
      const h = doc.heightOfString(bankText, { width: tb.width - 8 }) + 8
      if (tb.ensure(h)) doc.font('regular').fontSize(8.5)
      if (!bank) doc.rect(LEFT, tb.y, tb.width, h).fill('#fef2f2')
      doc.fillColor(bank ? INK : PREVIEW_INK).text(bankText, LEFT + 4, tb.y + 4, { width: tb.width - 8 })
      tb.y += h
      doc.moveTo(LEFT, tb.y).lineTo(LEFT + tb.width, tb.y).lineWidth(0.4).strokeColor(RULE).stroke()
      doc.fillColor(INK)
      for (const p of c.products) {
        tb.row({
          sku: p.sku,
          product: p.name,
          delivered: `${formatScaledUnit(p.deliveredMilli, 3, 3, locale)} ${unitName(f.language, p.unit)}`,
          perUnit: formatMoneyCode(p.perUnitMinor, isoDigits(p.perUnitCurrency), p.perUnitCurrency, locale),
          amount: amount(p.contributionMinor)
        })
      }
      tb.row({ product: t.transferDue, amount: amount(c.contributionMinor) }, { bold: true, fill: TOTAL_FILL })
      if (c.stockContributionMinor !== 0) tb.row({ product: t.stockContribution, amount: amount(c.stockContributionMinor) })
      tb.endGroup()
    }
    tb.row({ product: t.totalContributions, amount: amount(f.contributionsMinor) }, { bold: true, fill: RESULT_FILL })
    y = tb.y
  }

  // The stock left from the round.
  section(t.stockHeading)
  if (!f.stock.length) note(t.noStock)
  else {
    const tb = table(
      [
        { key: 'sku', width: 70 },
        { key: 'product', width: 185 },
        { key: 'quantity', width: 80, align: 'right' },
        { key: 'value', width: 90, align: 'right' },
        { key: 'due', width: WIDTH - 70 - 185 - 80 - 90, align: 'right' }
      ] as const,
      { sku: t.sku, product: t.product, quantity: t.quantity, value: t.stockValue, due: t.dueWhenSold }
    )
    for (const s of f.stock) {
      tb.row({
        sku: s.sku,
        product: s.name,
        quantity: `${formatScaledUnit(s.quantityMilli, 3, 3, locale)} ${unitName(f.language, s.unit)}`,
        value: amount(s.valueMinor),
        due: amount(s.contributionMinor)
      })
    }
    tb.row({ product: t.total, value: amount(f.stockValueMinor), due: amount(f.stockContributionsMinor) }, { bold: true, fill: TOTAL_FILL })
    y = tb.y
  }

  // The shipments' landed cost.
  section(t.shipmentsHeading)
  if (!f.shipments.length) note(t.noShipments)
  else {
    const tb = table(
      [
        { key: 'shipment', width: WIDTH - 240 },
        { key: 'goods', width: 120, align: 'right' },
        { key: 'landed', width: 120, align: 'right' }
      ] as const,
      { shipment: t.shipment, goods: t.goodsValue, landed: t.landedCost }
    )
    for (const s of f.shipments) tb.row({ shipment: s.number, goods: amount(s.goodsMinor), landed: amount(s.landedMinor) })
    tb.row(
      { shipment: t.total, goods: amount(f.shipments.reduce((a, s) => a + s.goodsMinor, 0)), landed: amount(f.landedMinor) },
      { bold: true, fill: TOTAL_FILL }
    )
    y = tb.y
  }

  // Exchange differences per purchase order.
  section(t.exchangeHeading, t.exchangeIntro)
  if (!f.exchange.length) note(t.noExchange)
  else {
    const tb = table(
      [
        { key: 'order', width: 85 },
        { key: 'supplier', width: 120 },
        { key: 'paid', width: 95, align: 'right' },
        { key: 'paidBase', width: 75, align: 'right' },
        { key: 'book', width: 70, align: 'right' },
        { key: 'difference', width: WIDTH - 85 - 120 - 95 - 75 - 70, align: 'right' }
      ] as const,
      {
        order: t.order,
        supplier: t.cooperative,
        paid: t.paid,
        paidBase: fill(t.paidBase, { currency: f.currency }),
        book: t.bookValue,
        difference: t.difference
      }
    )
    for (const e of f.exchange) {
      tb.row({
        order: e.purchaseOrderNumber,
        supplier: e.supplierName,
        paid: formatMoneyCode(e.paidMinor, e.paidDigits, e.currency, locale),
        paidBase: amount(e.paidBaseMinor),
        book: amount(e.bookValueMinor),
        difference: amount(e.differenceMinor)
      })
    }
    tb.row({ order: t.total, difference: amount(f.exchangeDifferenceMinor) }, { bold: true, fill: TOTAL_FILL })
    y = tb.y
  }

  // Per group: invoices, payments, what is open or to refund.
  section(t.groupsHeading)
  if (!f.groups.length) note(t.noGroups)
  else {
    const tb = table(
      [
        { key: 'group', width: WIDTH - 3 * 86 - 110 },
        { key: 'net', width: 86, align: 'right' },
        { key: 'gross', width: 86, align: 'right' },
        { key: 'received', width: 86, align: 'right' },
        { key: 'open', width: 110, align: 'right' }
      ] as const,
      { group: t.group, net: t.net, gross: t.gross, received: t.received, open: t.open }
    )
    for (const g of f.groups) {
      tb.row({ group: g.name, net: amount(g.goodsNetMinor), gross: amount(g.grossMinor), received: amount(g.receivedMinor), open: amount(g.openMinor) })
    }
    tb.row(
      {
        group: t.total,
        net: amount(f.groups.reduce((a, g) => a + g.goodsNetMinor, 0)),
        gross: amount(f.invoicedGrossMinor),
        received: amount(f.receivedMinor),
        open: amount(f.groups.reduce((a, g) => a + g.openMinor, 0))
      },
      { bold: true, fill: TOTAL_FILL }
    )
    y = tb.y
  }

  doc.removeListener('pageAdded', runningHeader)
  footers(doc, fill(t.footer, { round: f.roundName, organisation: f.organisation }))
  if (preview) {
    // A faint diagonal mark across every page of a preview.
    const range = doc.bufferedPageRange()
    for (let i = range.start; i < range.start + range.count; i++) {
      doc.switchToPage(i)
      const bottomMargin = doc.page.margins.bottom
      doc.page.margins.bottom = 0
      previewMark(doc, options.fontsDir, t.preview)
      doc.page.margins.bottom = bottomMargin
    }
    doc.fillColor(INK).fillOpacity(1)
  }
  return finish()
}
