import { fill, LOCALES } from '../common/text.ts'
import { resources } from '../../shared/i18n/index.ts'
import { epcPayload } from '../invoices/epc.ts'
import type { InvoiceDocument, InvoiceLanguage, ReminderDocument } from '../invoices/model.ts'
import { countryName, formatAmount, formatMoneyCode, formatScaledUnit, formatShare, isoDigits } from './format.ts'
import { A4, createPdf, createPdfSync, footers } from './pdf.ts'
import { drawEpcQr } from './qr.ts'
import { PdfTable } from './table.ts'

/**
 * The invoice (or credit note, or deposit request) as a PDF in the invoice's language, laid out as a
 * German business letter (DIN 5008 form B): the seller's letterhead, the recipient in the address window
 * with the sender line above it, the facts in a block on the right, the lines across as many pages as
 * needed (header repeated, "Seite 1 / 2" at the foot), the VAT per rate and the totals on the right,
 * the payment request, the legal note, and at the bottom the bank details with the EPC QR code
 * ("GiroCode") when something is to be paid. Everything is computed already in the InvoiceDocument;
 * this file only lays it out (a credit note's amounts are printed with a minus sign).
 *
 * With the Factur-X XML the file is PDF/A-3b with the XML attached (`factur-x.xml`, or `xrechnung.xml`
 * for the XRechnung profile; /AFRelationship /Alternative, text/xml, in the catalog's /AF) and the XMP
 * carries the Factur-X extension schema (fx: DocumentFileName, DocumentType, Version, ConformanceLevel).
 */

export interface InvoicePdfOptions {
  fontsDir: string
  /** The Factur-X / XRechnung CII XML to attach (makes the file PDF/A-3b), or null for a plain PDF. */
  xml: string | null
  /** Prints a visible draft mark on every page. */
  draft?: boolean
  /** ISO timestamp: the PDF's creation date (and the attachment's). */
  createdAt: string
}

export function invoicePdfTexts(language: InvoiceLanguage) {
  return resources[language].translation.invoicePdf
}

const PAGE = A4
const MARGIN = { top: 40, bottom: 56, left: 57, right: 48 }
const LEFT = MARGIN.left
const WIDTH = PAGE.width - MARGIN.left - MARGIN.right
/** DIN 5008 form B: the address window 45 mm from the top, 85 mm wide. */
const WINDOW_TOP = 127
const WINDOW_WIDTH = 235
const INFO_LEFT = 338
const INFO_WIDTH = PAGE.width - MARGIN.right - INFO_LEFT
/** Where the content goes on on a following page, below its small header. */
const CONTENT_TOP = 86
const INK = '#111827'
const MUTED = '#4b5563'
const ACCENT = '#1f4e5f'
const RULE = '#9ca3af'
const TOTAL_FILL = '#eef2f4'
const DRAFT_INK = '#b91c1c'
const QR_SIZE = 84
/** The bank details and the QR code at the foot of the last page. */
const BANK_BLOCK_HEIGHT = QR_SIZE + 22

/**
 * Invoices are issued in hundreds at a time (a round's bulk issue): their streams are compressed at
 * zlib's fastest level, which takes about a tenth of an invoice's time less than the default for about
 * 1 kB more per invoice (most of an invoice's file is its fonts). The round's print file, where the pages
 * are most of it, keeps the default.
 */
const INVOICE_DEFLATE_LEVEL = 1

/** The title and author go into the XMP as they are (pdfkit does not escape them). */
const xmpSafe = (s: string) => s.replace(/&/g, '+').replace(/[<>]/g, '')

const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

const dayFormats = new Map<string, Intl.DateTimeFormat>()

function numericDay(day: string, locale: string): string {
  let f = dayFormats.get(locale)
  if (!f) dayFormats.set(locale, (f = new Intl.DateTimeFormat(locale, { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' })))
  return f.format(new Date(`${day}T00:00:00Z`))
}

/** IBAN in groups of four, as printed on paper. */
const groupIban = (iban: string) => iban.replace(/\s+/g, '').replace(/(.{4})(?=.)/g, '$1 ')

/** The EPC QR payload of an invoice that asks for a payment, else null (credit notes, refunds, nothing due). */
export function invoiceEpcPayload(data: InvoiceDocument): string | null {
  if (data.kind === 'credit_note' || data.dueMinor <= 0 || data.currency !== 'EUR') return null
  return epcPayload({
    // EPC069-12 allows 70 characters for the beneficiary; banks pay by the IBAN, the name is shown to check.
    name: data.seller.name.slice(0, 70),
    iban: data.seller.iban,
    bic: data.seller.bic,
    amountMinor: data.dueMinor,
    currency: 'EUR',
    reference: data.paymentReference
  })
}

/** The attachment's file name and the XMP conformance level of the profile (DOMAIN §6.1, §6.2). */
export function facturXIdentity(data: InvoiceDocument): { fileName: string; conformanceLevel: string } {
  return data.profile === 'xrechnung' ? { fileName: 'xrechnung.xml', conformanceLevel: 'XRECHNUNG' } : { fileName: 'factur-x.xml', conformanceLevel: 'EN 16931' }
}

/** The PDF/A extension schema declaring the fx: namespace, and the fx: properties themselves. */
function facturXXmp(fileName: string, conformanceLevel: string): string {
  const property = (name: string, description: string) => `
                <rdf:li rdf:parseType="Resource">
                  <pdfaProperty:name>${name}</pdfaProperty:name>
                  <pdfaProperty:valueType>Text</pdfaProperty:valueType>
                  <pdfaProperty:category>external</pdfaProperty:category>
                  <pdfaProperty:description>${description}</pdfaProperty:description>
                </rdf:li>`
  return `
        <rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
          <pdfaExtension:schemas>
            <rdf:Bag>
              <rdf:li rdf:parseType="Resource">
                <pdfaSchema:schema>Factur-X PDFA Extension Schema</pdfaSchema:schema>
                <pdfaSchema:namespaceURI>urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#</pdfaSchema:namespaceURI>
                <pdfaSchema:prefix>fx</pdfaSchema:prefix>
                <pdfaSchema:property>
                  <rdf:Seq>${property('DocumentFileName', 'The name of the embedded XML document')}${property('DocumentType', 'The type of the hybrid document in capital letters, e.g. INVOICE or ORDER')}${property('Version', 'The actual version of the standard applying to the embedded XML document')}${property('ConformanceLevel', 'The conformance level of the embedded XML document')}
                  </rdf:Seq>
                </pdfaSchema:property>
              </rdf:li>
            </rdf:Bag>
          </pdfaExtension:schemas>
        </rdf:Description>
        <rdf:Description rdf:about="" xmlns:fx="urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#">
          <fx:DocumentType>INVOICE</fx:DocumentType>
          <fx:DocumentFileName>${xmlEscape(fileName)}</fx:DocumentFileName>
          <fx:Version>1.0</fx:Version>
          <fx:ConformanceLevel>${xmlEscape(conformanceLevel)}</fx:ConformanceLevel>
        </rdf:Description>`
}

function pdfTitle(data: InvoiceDocument): string {
  return xmpSafe(`${invoicePdfTexts(data.language).title[data.kind]} ${data.number} – ${data.buyer.name}`)
}

/** One invoice as a PDF; PDF/A-3b with the XML attached when `options.xml` is given. */
export async function invoicePdf(data: InvoiceDocument, options: InvoicePdfOptions): Promise<Buffer> {
  return invoicePdfSync(data, options)
}

/** The same, written synchronously (issuing stores the PDF in the transaction that numbers it). */
export function invoicePdfSync(data: InvoiceDocument, options: InvoicePdfOptions): Buffer {
  const pdfa = options.xml !== null
  const created = new Date(options.createdAt)
  const { doc, finish } = createPdfSync({
    fontsDir: options.fontsDir,
    title: pdfTitle(data),
    author: xmpSafe(data.seller.name),
    lang: LOCALES[data.language],
    createdAt: options.createdAt,
    margins: MARGIN,
    pdfa,
    deflateLevel: INVOICE_DEFLATE_LEVEL
  })
  drawInvoice(doc, data, options.draft === true)
  if (options.xml !== null) {
    const { fileName, conformanceLevel } = facturXIdentity(data)
    const attachment = {
      name: fileName,
      type: 'text/xml',
      description: data.profile === 'xrechnung' ? 'XRechnung (CII)' : 'Factur-X EN 16931 (CII)',
      creationDate: created,
      modifiedDate: created,
      // Not in @types/pdfkit: pdfkit writes it as the file spec's /AFRelationship (a name).
      relationship: 'Alternative'
    }
    doc.file(Buffer.from(options.xml, 'utf8'), attachment)
    doc.appendXML(facturXXmp(fileName, conformanceLevel))
    // pdfkit writes the Info dictionary's ModDate but not its XMP twin; PDF/A wants both to agree.
    const stamp = created.toISOString().split('.')[0] + 'Z'
    doc.appendXML(`
        <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
          <xmp:ModifyDate>${stamp}</xmp:ModifyDate>
          <xmp:MetadataDate>${stamp}</xmp:MetadataDate>
        </rdf:Description>`)
  }
  return finish()
}

/**
 * A whole round's invoices in one PDF for printing: each starts on a new page and numbers its own pages.
 * Each invoice's pages are written out (flushPages) as soon as it is done, so only one invoice's pages
 * are ever held for layout; the fonts are embedded once for all of them. No attachments.
 */
export async function invoicesPdf(
  docs: InvoiceDocument[],
  options: Omit<InvoicePdfOptions, 'xml'> & { xml?: null; onProgress?: (done: number) => void }
): Promise<Buffer> {
  const first = docs[0]
  const last = docs[docs.length - 1]
  const language = first?.language ?? 'de'
  const { doc, done } = createPdf({
    fontsDir: options.fontsDir,
    title: first && last ? xmpSafe(`${invoicePdfTexts(language).title[first.kind]} ${first.number} – ${last.number}`) : invoicePdfTexts(language).title.invoice,
    author: xmpSafe(first?.seller.name ?? 'Puente'),
    lang: LOCALES[language],
    createdAt: options.createdAt,
    margins: MARGIN
  })
  for (let i = 0; i < docs.length; i++) {
    if (i > 0) doc.addPage()
    drawInvoice(doc, docs[i]!, options.draft === true)
    doc.flushPages()
    options.onProgress?.(i + 1)
    // A turn of the event loop now and then lets Node free what it frees asynchronously (zlib's state).
    if (i % 10 === 9) await new Promise((resolve) => setImmediate(resolve))
  }
  doc.end()
  return done
}

/**
 * The first page's head of a letter (an invoice, a reminder): the seller's letterhead with the document's
 * title, the address window with the sender line and the recipient, and the facts on the right (the first
 * in bold). Returns where the text below may start.
 */
export function letterHead(
  doc: PDFKit.PDFDocument,
  seller: InvoiceDocument['seller'],
  buyer: InvoiceDocument['buyer'],
  title: string,
  facts: [string, string][],
  language: InvoiceLanguage
): number {
  const t = invoicePdfTexts(language)
  const locale = LOCALES[language]
  // Letterhead: the seller, and what the document is.
  const place = (a: { postalCode: string; city: string }) => [a.postalCode, a.city].filter(Boolean).join(' ')
  doc.font('bold').fontSize(14).fillColor(ACCENT).text(seller.name, LEFT, MARGIN.top, { width: WIDTH * 0.62 })
  let y = doc.y + 2
  doc.font('regular').fontSize(8).fillColor(MUTED)
  const contact = [
    [seller.street, place(seller), countryName(seller.country, locale)].filter(Boolean).join(' · '),
    [seller.phone ? `${t.phone} ${seller.phone}` : '', seller.email ? `${t.email} ${seller.email}` : ''].filter(Boolean).join(' · ')
  ].filter(Boolean)
  for (const line of contact) {
    doc.text(line, LEFT, y, { width: WIDTH * 0.62, lineBreak: false, ellipsis: true })
    y += 11
  }
  doc.font('bold').fontSize(16).fillColor(ACCENT).text(title.toUpperCase(), LEFT + WIDTH * 0.5, MARGIN.top, { width: WIDTH * 0.5, align: 'right', characterSpacing: 0.8 })
  doc.moveTo(LEFT, 104).lineTo(LEFT + WIDTH, 104).lineWidth(0.8).strokeColor(ACCENT).stroke()

  // The address window: the sender line, then the recipient.
  doc.font('regular').fontSize(6.5).fillColor(MUTED)
  doc.text([seller.name, seller.street, place(seller)].filter(Boolean).join(' · '), LEFT, WINDOW_TOP, { width: WINDOW_WIDTH, lineBreak: false, ellipsis: true, underline: true })
  y = WINDOW_TOP + 16
  doc.font('bold').fontSize(10).fillColor(INK).text(buyer.name, LEFT, y, { width: WINDOW_WIDTH })
  doc.font('regular').fontSize(10)
  const foreign = buyer.country !== seller.country
  for (const line of [buyer.street, place(buyer), foreign ? countryName(buyer.country, locale).toUpperCase() : ''].filter(Boolean)) {
    doc.text(line, LEFT, doc.y, { width: WINDOW_WIDTH })
  }
  const windowBottom = doc.y

  // The facts on the right.
  const labelW = 92
  y = WINDOW_TOP
  for (const [label, value] of facts) {
    doc.font('regular').fontSize(8).fillColor(MUTED).text(label, INFO_LEFT, y, { width: labelW - 4 })
    const yl = doc.y
    doc.font(label === facts[0]![0] ? 'bold' : 'regular').fontSize(8.5).fillColor(INK).text(value, INFO_LEFT + labelW, y, { width: INFO_WIDTH - labelW })
    y = Math.max(yl, doc.y) + 2.5
  }

  return Math.max(windowBottom, y, WINDOW_TOP + 110) + 22
}

/**
 * The seller's bank details at the foot of the last page (on a new page when the text reaches it), with
 * the payment reference when something is to be paid, and the EPC QR code of `payload` beside them.
 */
export function bankFoot(doc: PDFKit.PDFDocument, y: number, seller: InvoiceDocument['seller'], reference: string | null, payload: string | null, language: InvoiceLanguage): void {
  const t = invoicePdfTexts(language)
  let blockTop = PAGE.height - MARGIN.bottom - BANK_BLOCK_HEIGHT
  if (y + 6 > blockTop) {
    doc.addPage()
    blockTop = Math.max(CONTENT_TOP, blockTop)
  }
  doc.moveTo(LEFT, blockTop - 8).lineTo(LEFT + WIDTH, blockTop - 8).lineWidth(0.4).strokeColor(RULE).stroke()
  doc.font('bold').fontSize(9).fillColor(INK).text(t.bank, LEFT, blockTop, { width: 260 })
  let by = blockTop + 15
  const bank: [string, string][] = [[t.accountHolder, seller.name], [t.iban, groupIban(seller.iban)]]
  if (seller.bic) bank.push([t.bic, seller.bic])
  if (seller.bankName) bank.push([t.bankName, seller.bankName])
  if (reference) bank.push([t.paymentReference, reference])
  for (const [label, value] of bank) {
    doc.font('regular').fontSize(8.5).fillColor(MUTED).text(label, LEFT, by, { width: 100, lineBreak: false })
    doc.fillColor(INK).text(value, LEFT + 100, by, { width: 200, lineBreak: false, ellipsis: true })
    by += 12.5
  }
  if (payload) {
    const qx = LEFT + WIDTH - QR_SIZE
    drawEpcQr(doc, payload, qx, blockTop - 4, QR_SIZE)
    doc.font('bold').fontSize(8).fillColor(INK).text(t.qrLabel, qx - 150, blockTop + 16, { width: 146, align: 'right' })
    doc.font('regular').fontSize(7).fillColor(MUTED).text(t.qrHint, qx - 150, doc.y + 2, { width: 146, align: 'right' })
  }
}

/**
 * A payment reminder as a PDF in the buyer's language: the letter head, a friendly sentence, the open
 * documents with their days and open amounts, the sum, the day to pay by, and the bank details with an
 * EPC QR code for the sum (the numbers as the payment text).
 */
export function reminderPdf(data: ReminderDocument, options: { fontsDir: string; createdAt: string }): Buffer {
  const t = invoicePdfTexts(data.language)
  const r = resources[data.language].translation.reminderPdf
  const locale = LOCALES[data.language]
  const digits = isoDigits(data.currency)
  const day = (d: string) => numericDay(d, locale)
  const { doc, finish } = createPdfSync({
    fontsDir: options.fontsDir,
    title: xmpSafe(`${r.title} – ${data.buyer.name}`),
    author: xmpSafe(data.seller.name),
    lang: locale,
    createdAt: options.createdAt,
    margins: MARGIN
  })
  let y = letterHead(doc, data.seller, data.buyer, r.title, [[r.date, day(data.issueDate)], [r.payBy, day(data.payBy)]], data.language)
  doc.font('bold').fontSize(15).fillColor(INK).text(r.title, LEFT, y, { width: WIDTH })
  y = doc.y + 8
  doc.font('regular').fontSize(9.5).fillColor(INK).text(r.intro, LEFT, y, { width: WIDTH })
  y = doc.y + 12
  const table = new PdfTable(doc, y, {
    left: LEFT,
    top: CONTENT_TOP,
    bottom: () => PAGE.height - MARGIN.bottom - 6,
    columns: [
      { key: 'kind', width: WIDTH * 0.3 },
      { key: 'number', width: WIDTH * 0.22 },
      { key: 'issued', width: WIDTH * 0.16, align: 'right' },
      { key: 'due', width: WIDTH * 0.16, align: 'right' },
      { key: 'open', width: WIDTH * 0.16, align: 'right' }
    ],
    headers: { kind: r.kind, number: r.number, issued: r.issued, due: r.due, open: r.open }
  })
  table.header()
  for (const item of data.items)
    table.row({ kind: t.title[item.kind], number: item.number, issued: day(item.issueDate), due: item.dueDate ? day(item.dueDate) : '', open: formatAmount(item.openMinor, digits, locale) })
  table.row({ kind: r.total, open: formatMoneyCode(data.totalMinor, digits, data.currency, locale) }, { bold: true, fill: TOTAL_FILL })
  y = table.y + 12
  doc.font('regular').fontSize(9.5).fillColor(INK).text(fill(r.pay, { amount: formatMoneyCode(data.totalMinor, digits, data.currency, locale), date: day(data.payBy) }), LEFT, y, { width: WIDTH })
  y = doc.y + 8
  doc.text(r.thanks, LEFT, y, { width: WIDTH })
  y = doc.y + 8
  const text = data.items.map((i) => i.number).join(' ').slice(0, 140)
  const payload =
    data.currency === 'EUR' && data.totalMinor > 0
      ? epcPayload({ name: data.seller.name.slice(0, 70), iban: data.seller.iban, bic: data.seller.bic, amountMinor: data.totalMinor, currency: 'EUR', text })
      : null
  bankFoot(doc, y, data.seller, null, payload, data.language)
  footers(doc, `${r.title} · ${data.seller.name}`)
  return finish()
}

interface Row {
  label: string
  value: string
  bold?: boolean
  fill?: boolean
  ruleAbove?: boolean
}

/** Lays out one invoice from the current (empty) page on; pages it adds get the small running header. */
function drawInvoice(doc: PDFKit.PDFDocument, data: InvoiceDocument, draft: boolean): void {
  const t = invoicePdfTexts(data.language)
  const locale = LOCALES[data.language]
  const digits = isoDigits(data.currency)
  const seller = data.seller
  const buyer = data.buyer
  const credit = data.kind === 'credit_note'
  const small = seller.smallBusiness || data.vatCase === 'small_business'
  const sign = credit ? -1 : 1
  const amount = (minor: number) => formatAmount(sign * minor, digits, locale)
  const money = (minor: number) => formatMoneyCode(minor, digits, data.currency, locale)
  const day = (d: string) => numericDay(d, locale)
  const title = t.title[data.kind]
  const firstPage = doc.bufferedPageRange().start + doc.bufferedPageRange().count - 1
  const bottomLimit = () => PAGE.height - MARGIN.bottom - 6

  const runningHeader = () => {
    doc.font('bold').fontSize(9).fillColor(INK).text(seller.name, LEFT, MARGIN.top, { width: WIDTH * 0.55, lineBreak: false, ellipsis: true })
    doc.font('regular').fontSize(8).fillColor(MUTED).text(fill(t.continued, { title, number: data.number }), LEFT, MARGIN.top + 1, { width: WIDTH, align: 'right', lineBreak: false })
    doc.moveTo(LEFT, MARGIN.top + 18).lineTo(LEFT + WIDTH, MARGIN.top + 18).lineWidth(0.6).strokeColor(RULE).stroke()
    doc.fillColor(INK)
  }
  doc.on('pageAdded', runningHeader)

  // The facts on the right.
  const facts: [string, string][] = [[t.number, data.number], [t.issueDate, day(data.issueDate)]]
  if (data.deliveryDate) facts.push([t.deliveryDate, day(data.deliveryDate)])
  if (data.dueDate && !credit && data.dueMinor > 0) facts.push([t.dueDate, day(data.dueDate)])
  if (credit && data.precedingInvoice) facts.push([t.credited, fill(t.creditedValue, { number: data.precedingInvoice.number, date: day(data.precedingInvoice.issueDate) })])
  facts.push([t.round, data.roundName])
  if (buyer.reference) facts.push([t.buyerReference, buyer.reference])
  if (buyer.vatId) facts.push([t.buyerVatId, buyer.vatId])
  if (seller.vatId) facts.push([t.sellerVatId, seller.vatId])
  if (seller.taxNumber) facts.push([t.taxNumber, seller.taxNumber])
  if (!credit && data.dueMinor > 0) facts.push([t.paymentReference, data.paymentReference])
  let y = letterHead(doc, seller, buyer, title, facts, data.language)

  // The title.
  doc.font('bold').fontSize(15).fillColor(INK).text(`${title} ${data.number}`, LEFT, y, { width: WIDTH, continued: draft })
  if (draft) doc.fillColor(DRAFT_INK).text(`  ${t.draft}`)
  y = doc.y + 4
  if (credit && data.precedingInvoice) {
    doc.font('regular').fontSize(9.5).fillColor(INK).text(fill(t.creditedSentence, { number: data.precedingInvoice.number, date: day(data.precedingInvoice.issueDate) }), LEFT, y, { width: WIDTH })
    y = doc.y + 4
  }
  y += 8

  // The lines.
  const columns = small
    ? ([
        { key: 'pos', width: 30 },
        { key: 'description', width: 236 },
        { key: 'quantity', width: 70, align: 'right' },
        { key: 'unitPrice', width: 72, align: 'right' },
        { key: 'net', width: WIDTH - 408, align: 'right' }
      ] as const)
    : ([
        { key: 'pos', width: 30 },
        { key: 'description', width: 196 },
        { key: 'quantity', width: 68, align: 'right' },
        { key: 'unitPrice', width: 70, align: 'right' },
        { key: 'vat', width: 46, align: 'right' },
        { key: 'net', width: WIDTH - 410, align: 'right' }
      ] as const)
  type Key = 'pos' | 'description' | 'quantity' | 'unitPrice' | 'vat' | 'net'
  const headers: Record<Key, string> = {
    pos: t.pos,
    description: t.description,
    quantity: t.quantity,
    unitPrice: t.unitPrice,
    vat: t.vatRate,
    net: fill(small ? t.amount : t.net, { currency: data.currency })
  }
  const table = new PdfTable<Key>(doc, y, { left: LEFT, columns, headers, top: CONTENT_TOP, bottom: bottomLimit, headerFill: ACCENT, fontSize: 8.5 })
  table.header()
  for (const l of data.lines) {
    const under = [l.sku ? fill(t.sku, { sku: l.sku }) : '', l.note ?? ''].filter(Boolean).join(' · ')
    table.row({
      pos: String(l.position),
      description: under ? `${l.description}\n${under}` : l.description,
      quantity: `${formatScaledUnit(sign * l.quantityMilli, 3, 3, locale)} ${l.unitLabel}`.trim(),
      unitPrice: formatAmount(l.unitPriceMinor, digits, locale),
      vat: formatShare(l.rateBp, locale),
      net: amount(l.netMinor)
    })
  }
  y = table.y + 14

  // The VAT per rate and the totals, kept together on the right.
  const rows: Row[] = []
  if (small) {
    rows.push({ label: t.totalGross, value: money(sign * data.grossMinor), bold: true, fill: data.prepaidMinor === 0, ruleAbove: true })
  } else {
    rows.push({ label: t.totalNet, value: money(sign * data.netMinor) })
    rows.push({ label: t.totalVat, value: money(sign * data.vatMinor) })
    rows.push({ label: t.totalGrossNet, value: money(sign * data.grossMinor), bold: true, fill: data.prepaidMinor === 0, ruleAbove: true })
  }
  if (!credit && data.prepaidMinor !== 0) {
    rows.push({ label: t.prepaid, value: money(-data.prepaidMinor) })
    if (data.dueMinor > 0) rows.push({ label: t.due, value: money(data.dueMinor), bold: true, fill: true, ruleAbove: true })
    else if (data.dueMinor < 0) rows.push({ label: t.refund, value: money(-data.dueMinor), bold: true, fill: true, ruleAbove: true })
    else rows.push({ label: t.settled, value: money(0), bold: true, fill: true, ruleAbove: true })
  }
  if (credit && data.prepaidMinor !== 0) {
    // The deposit deducted on the cancelled invoice is not cancelled: it counts on the new invoice.
    rows.push({ label: t.creditPrepaid, value: money(data.prepaidMinor) })
    rows.push({ label: t.creditDue, value: money(-data.dueMinor), bold: true, fill: true, ruleAbove: true })
  }
  const boxW = 270
  const boxX = LEFT + WIDTH - boxW
  const rowH = 16
  const breakdownH = small ? 0 : 18 + 16 + data.vatRates.length * 15 + 8
  const totalsH = breakdownH + rows.length * rowH + 8
  if (y + totalsH > bottomLimit()) {
    doc.addPage()
    y = CONTENT_TOP
  }
  if (!small) {
    doc.font('bold').fontSize(8.5).fillColor(INK).text(t.vatBreakdown, boxX, y, { width: boxW })
    y += 14
    const colW = [boxW * 0.3, boxW * 0.35, boxW * 0.35]
    const cells = (values: string[], bold: boolean, ink: string) => {
      let x = boxX
      doc.font(bold ? 'bold' : 'regular').fontSize(8).fillColor(ink)
      values.forEach((v, i) => {
        doc.text(v, x + 4, y, { width: colW[i]! - 8, align: i === 0 ? 'left' : 'right', lineBreak: false })
        x += colW[i]!
      })
    }
    doc.rect(boxX, y - 3, boxW, 15).fill(TOTAL_FILL)
    cells([t.rate, t.taxable, t.vat], true, MUTED)
    y += 15
    for (const r of data.vatRates) {
      cells([formatShare(r.rateBp, locale), amount(r.netMinor), amount(r.vatMinor)], false, INK)
      y += 15
    }
    doc.moveTo(boxX, y - 2).lineTo(boxX + boxW, y - 2).lineWidth(0.4).strokeColor(RULE).stroke()
    y += 10
  }
  for (const r of rows) {
    if (r.fill) doc.rect(boxX, y - 4, boxW, rowH).fill(TOTAL_FILL)
    if (r.ruleAbove) doc.moveTo(boxX, y - 4).lineTo(boxX + boxW, y - 4).lineWidth(0.6).strokeColor(INK).stroke()
    doc.font(r.bold ? 'bold' : 'regular').fontSize(9).fillColor(INK)
    doc.text(r.label, boxX + 4, y, { width: boxW * 0.6, lineBreak: false })
    doc.text(r.value, boxX + boxW * 0.5, y, { width: boxW * 0.5 - 4, align: 'right', lineBreak: false })
    y += rowH
  }
  y += 10

  // The texts: what to pay (or what comes back), the legal note, the notes.
  const paragraphs: { text: string; bold?: boolean; heading?: string }[] = []
  if (!credit) {
    if (data.dueMinor > 0) {
      const params = { amount: money(data.dueMinor), date: data.dueDate ? day(data.dueDate) : '', reference: data.paymentReference }
      paragraphs.push({ text: fill(data.dueDate ? t.payBy : t.pay, params) })
    } else if (data.dueMinor < 0) paragraphs.push({ text: fill(t.refundSentence, { amount: money(-data.dueMinor) }), bold: true })
    else paragraphs.push({ text: t.settledSentence })
  }
  if (data.legalNote) paragraphs.push({ text: data.legalNote, bold: true })
  if (data.notes) paragraphs.push({ text: data.notes, heading: t.notes })
  for (const p of paragraphs) {
    doc.font(p.bold ? 'bold' : 'regular').fontSize(9)
    const h = doc.heightOfString(p.text, { width: WIDTH }) + (p.heading ? 14 : 0)
    if (y + h > bottomLimit()) {
      doc.addPage()
      y = CONTENT_TOP
    }
    if (p.heading) {
      doc.font('bold').fontSize(9).fillColor(INK).text(p.heading, LEFT, y, { width: WIDTH })
      y = doc.y + 2
    }
    doc.font(p.bold ? 'bold' : 'regular').fontSize(9).fillColor(INK).text(p.text, LEFT, y, { width: WIDTH })
    y = doc.y + 8
  }

  // Bank details and the QR code at the foot of the last page; a draft asks for no payment (it has no number or reference yet).
  bankFoot(doc, y, seller, !credit && data.dueMinor > 0 ? data.paymentReference : null, draft ? null : invoiceEpcPayload(data), data.language)

  doc.removeListener('pageAdded', runningHeader)

  // Foot of every page of this invoice: the seller, its tax ids, "Seite n / N"; the draft mark.
  const range = doc.bufferedPageRange()
  const last = range.start + range.count - 1
  const pages = last - firstPage + 1
  const taxIds = [seller.vatId ? `${t.vatId} ${seller.vatId}` : '', seller.taxNumber ? `${t.taxNumber} ${seller.taxNumber}` : ''].filter(Boolean)
  const footNote = [`${title} ${data.number}`, seller.name, ...taxIds].join(' · ')
  for (let i = firstPage; i <= last; i++) {
    doc.switchToPage(i)
    const bottom = doc.page.margins.bottom
    doc.page.margins.bottom = 0
    const fy = PAGE.height - 36
    doc.moveTo(LEFT, fy - 6).lineTo(LEFT + WIDTH, fy - 6).lineWidth(0.4).strokeColor(RULE).stroke()
    doc.font('regular').fontSize(7).fillColor(MUTED)
    doc.text(footNote, LEFT, fy, { width: WIDTH - 80, lineBreak: false, ellipsis: true })
    doc.text(fill(t.page, { page: i - firstPage + 1, pages }), LEFT, fy, { width: WIDTH, align: 'right', lineBreak: false })
    if (draft) {
      doc.save()
      doc.rotate(-35, { origin: [PAGE.width / 2, PAGE.height / 2] })
      doc.font('bold').fontSize(90).fillColor(DRAFT_INK).fillOpacity(0.13)
      doc.text(t.draft, 0, PAGE.height / 2 - 50, { width: PAGE.width, align: 'center', lineBreak: false })
      doc.restore()
    }
    doc.page.margins.bottom = bottom
  }
  doc.fillColor(INK).fillOpacity(1)
}
