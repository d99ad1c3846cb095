import { resources } from '../../shared/i18n/index.ts'
import type { Language } from '../../shared/reference.ts'
import { fill, safeFileName } from '../common/text.ts'
import { type CustomsPapersData, type Paper, type PaperLine, type PaperPackage, type PaperWarning, unitCode } from '../shipments/papers.ts'
import { countryName, formatAmount, formatDay, formatInteger, formatMoneyCode, formatScaledUnit, formatShare } from './format.ts'
import { createPdf, footers } from './pdf.ts'
import { PdfTable } from './table.ts'

/**
 * A shipment's customs papers as PDFs, in English with Spanish (the exporter is Argentine, the broker
 * European): the commercial invoice, the packing list, the data sheet for the customs broker and the CN23
 * data for post and courier (DOMAIN.md §1.2–1.4). Renders the plain data of customsPapersData(); no
 * database access here. Labels come from the `customsPapers` texts of both languages ("Description /
 * Descripción"); numbers are written the English way (1,234.50), as the papers' first language.
 */
const MARGIN = { top: 40, bottom: 52, left: 40, right: 40 }
const CONTENT_TOP = 84
const WIDTH = 595.28 - MARGIN.left - MARGIN.right
const INK = '#111827'
const MUTED = '#4b5563'
const RULE = '#9ca3af'
const BOX = '#d1d5db'
const TOTAL_FILL = '#f3f4f6'
const WARN = '#7c2d12'
const LOCALE = 'en-GB'

type Texts = (typeof resources)['en']['translation']['customsPapers']
type TextKey = keyof Texts
const EN = resources.en.translation.customsPapers
const ES = resources.es.translation.customsPapers

/** "Description / Descripción"; the same word once ("Total"). */
export function bi(key: TextKey, params?: Record<string, string | number>): string {
  const en = params ? fill(EN[key], params) : EN[key]
  const es = params ? fill(ES[key], params) : ES[key]
  return en === es ? en : `${en} / ${es}`
}
/** Both languages on two lines (table headers). */
const bi2 = (key: TextKey) => (EN[key] === ES[key] ? EN[key] : `${EN[key]}\n${ES[key]}`)

const TITLE_KEY: Record<Paper, TextKey> = { invoice: 'invoiceTitle', packing: 'packingTitle', broker: 'brokerTitle', cn23: 'cn23Title' }

export function customsPaperFileName(data: Pick<CustomsPapersData, 'number'>, paper: Paper): string {
  return `${safeFileName(fill(EN.fileName, { paper: EN[TITLE_KEY[paper]], number: data.number }))}.pdf`
}

/** A translated text with {{params}} and $t(nested.keys) resolved, as i18next would in the UI. */
function translate(lang: Language, path: string, params: Record<string, unknown>): string {
  const root = resources[lang].translation as unknown as Record<string, unknown>
  const lookup = (p: string): string | null => {
    const [section, ...rest] = p.split('.')
    const group = root[section!] as Record<string, unknown> | undefined
    if (!group) return null
    const direct = group[rest.join('.')]
    if (typeof direct === 'string') return direct
    let node: unknown = group
    for (const k of rest) node = (node as Record<string, unknown> | undefined)?.[k]
    return typeof node === 'string' ? node : null
  }
  const text = (params.count === 1 ? lookup(`${path}_one`) : null) ?? lookup(path) ?? path
  const values = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === 'string' || typeof v === 'number' ? v : JSON.stringify(v)]))
  return fill(text, values).replace(/\$t\(([\w.]+)\)/g, (m, p: string) => lookup(p) ?? m)
}

/** A warning in one language, with the country's name. */
export function warningText(w: PaperWarning, lang: Language): string {
  const locale = lang === 'es' ? 'es-AR' : lang === 'de' ? 'de-DE' : LOCALE
  const params = { ...w.params, ...(typeof w.params.country === 'string' ? { country: countryName(w.params.country, locale) } : {}) }
  return translate(lang, `shipmentPapers.warnings.${w.code}`, params)
}

const kg = (g: number) => formatScaledUnit(g, 3, 3, LOCALE)
const m3 = (cm3: number) => formatScaledUnit(cm3, 6, 3, LOCALE)
const qty = (milli: number) => formatScaledUnit(milli, 3, 3, LOCALE)
const cn = (code: string | null) => (code ? `${code.slice(0, 4)} ${code.slice(4, 6)} ${code.slice(6, 8)}` : '—')
const day = (d: string) => formatDay(d, LOCALE)
const money = (v: { minor: number; digits: number; currency: string }) => formatMoneyCode(v.minor, v.digits, v.currency, LOCALE)
const cm = (mm: number) => formatScaledUnit(mm, 1, 1, LOCALE)

export async function customsPaperPdf(data: CustomsPapersData, paper: Paper, fontsDir: string): Promise<Buffer> {
  const title = bi(TITLE_KEY[paper])
  const { doc, done } = createPdf({
    fontsDir,
    title: `${EN[TITLE_KEY[paper]]} ${data.number}`,
    author: data.exporter.name,
    subject: `${title} ${data.number}`,
    lang: 'en',
    createdAt: `${data.issuedOn}T00:00:00.000Z`,
    margins: MARGIN
  })
  const left = MARGIN.left
  const bottomLimit = () => doc.page.height - MARGIN.bottom - 8
  const pageHeader = () => {
    doc.font('bold').fontSize(10).fillColor(INK).text(EN[TITLE_KEY[paper]], left, MARGIN.top, { width: WIDTH * 0.7, lineBreak: false })
    doc.font('regular').fontSize(7.5).fillColor(MUTED)
    doc.text(`${data.exporter.name} → ${data.importer.name}`, left, MARGIN.top + 14, { width: WIDTH * 0.7, lineBreak: false, ellipsis: true })
    doc.font('bold').fontSize(10).fillColor(INK).text(data.number, left, MARGIN.top, { width: WIDTH, align: 'right', lineBreak: false })
    doc.font('regular').fontSize(7.5).fillColor(MUTED).text(day(data.issuedOn), left, MARGIN.top + 14, { width: WIDTH, align: 'right', lineBreak: false })
    doc.moveTo(left, CONTENT_TOP - 10).lineTo(left + WIDTH, CONTENT_TOP - 10).lineWidth(0.6).strokeColor(RULE).stroke()
    doc.fillColor(INK)
  }
  doc.on('pageAdded', pageHeader)
  pageHeader()
  const ctx: Ctx = { doc, y: CONTENT_TOP, bottom: bottomLimit }
  if (paper === 'invoice') invoice(ctx, data)
  else if (paper === 'packing') packing(ctx, data)
  else if (paper === 'broker') broker(ctx, data)
  else cn23(ctx, data)
  doc.removeListener('pageAdded', pageHeader)
  footers(doc, fill(EN.footer, { title: EN[TITLE_KEY[paper]], number: data.number, date: data.issuedOn }))
  doc.end()
  return done
}

interface Ctx {
  doc: PDFKit.PDFDocument
  y: number
  bottom: () => number
}

/** Goes to a new page when `height` does not fit below y. */
function room(c: Ctx, height: number): void {
  if (c.y + height > c.bottom()) {
    c.doc.addPage()
    c.y = CONTENT_TOP
  }
}

function heading(c: Ctx, text: string, size = 15): void {
  c.doc.font('bold').fontSize(size).fillColor(INK).text(text, MARGIN.left, c.y, { width: WIDTH })
  c.y = c.doc.y + 8
}

const place = (p: { postalCode: string | null; city: string | null; province?: string | null }) =>
  [[p.postalCode, p.city].filter(Boolean).join(' '), p.province].filter(Boolean).join(', ')

/** The two parties side by side in boxes. */
function parties(c: Ctx, data: CustomsPapersData, labels: [TextKey, TextKey] = ['exporter', 'importer']): void {
  const { doc } = c
  const gap = 14
  const boxW = (WIDTH - gap) / 2
  const ex = data.exporter
  const im = data.importer
  const exporterLines = [
    ex.cuit ? `${EN.cuit}: ${ex.cuit}` : `${EN.cuit}: —`,
    ex.street ?? '',
    place(ex),
    countryName(ex.country, LOCALE),
    ex.email ?? ''
  ]
  const importerLines = [
    im.street ?? '',
    place(im),
    countryName(im.country, LOCALE),
    `${EN.eori}: ${im.eori ?? '—'}`,
    `${bi('vatId')}: ${im.vatId ?? '—'}`,
    [im.email, im.phone].filter(Boolean).join(' · ')
  ]
  const box = (x: number, label: string, name: string, lines: string[]) => {
    const inner = boxW - 16
    let yy = c.y + 8
    doc.font('regular').fontSize(7.5).fillColor(MUTED).text(label.toUpperCase(), x + 8, yy, { width: inner, characterSpacing: 0.3 })
    yy = doc.y + 2
    doc.font('bold').fontSize(10).fillColor(INK).text(name, x + 8, yy, { width: inner })
    yy = doc.y + 1
    doc.font('regular').fontSize(8.5)
    for (const line of lines.filter(Boolean)) {
      doc.text(line, x + 8, yy, { width: inner })
      yy = doc.y
    }
    return yy + 8 - c.y
  }
  const h1 = box(MARGIN.left, bi(labels[0]), ex.name, exporterLines)
  const h2 = box(MARGIN.left + boxW + gap, bi(labels[1]), im.name || '—', importerLines)
  const h = Math.max(h1, h2)
  doc.lineWidth(0.6).strokeColor(BOX)
  doc.rect(MARGIN.left, c.y, boxW, h).stroke()
  doc.rect(MARGIN.left + boxW + gap, c.y, boxW, h).stroke()
  c.y += h + 12
}

/** Facts in a grid of three columns: label (both languages) above the value. */
function facts(c: Ctx, items: [string, string][]): void {
  const { doc } = c
  const w = WIDTH / 3
  for (let r = 0; r < items.length; r += 3) {
    let rowH = 0
    items.slice(r, r + 3).forEach(([label, value], i) => {
      const x = MARGIN.left + i * w
      doc.font('regular').fontSize(7).fillColor(MUTED).text(label, x, c.y, { width: w - 10 })
      doc.font('bold').fontSize(8.5).fillColor(INK).text(value, x, doc.y + 1, { width: w - 10 })
      rowH = Math.max(rowH, doc.y - c.y)
    })
    c.y += rowH + 7
  }
  c.y += 4
}

/** A labelled block of lines (label in both languages, bold; lines below). */
function block(c: Ctx, label: string, lines: string[], options: { color?: string; boxed?: boolean } = {}): void {
  const { doc } = c
  doc.font('regular').fontSize(8.5)
  const h = 14 + lines.reduce((a, l) => a + doc.heightOfString(l, { width: WIDTH - 16 }) + 2, 0) + (options.boxed ? 10 : 0)
  room(c, h + 6)
  const top = c.y
  const x = MARGIN.left + (options.boxed ? 8 : 0)
  const w = WIDTH - (options.boxed ? 16 : 0)
  if (options.boxed) c.y += 5
  if (label) {
    doc.font('bold').fontSize(9).fillColor(options.color ?? INK).text(label, x, c.y, { width: w })
    c.y = doc.y + 3
  }
  doc.font('regular').fontSize(8.5)
  for (const l of lines) {
    doc.text(l, x, c.y, { width: w })
    c.y = doc.y + 2
  }
  if (options.boxed) {
    c.y += 5
    doc.rect(MARGIN.left, top, WIDTH, c.y - top).lineWidth(0.8).strokeColor('#b45309').stroke()
  }
  doc.fillColor(INK)
  c.y += 8
}

function modeText(mode: CustomsPapersData['mode']): string {
  const en = resources.en.translation.shipmentMode[mode]
  const es = resources.es.translation.shipmentMode[mode]
  return `${en} / ${es}`
}

function shipmentFacts(data: CustomsPapersData, withCurrency: boolean): [string, string][] {
  const items: [string, string][] = [
    [bi('reference'), data.number],
    [bi('date'), day(data.issuedOn)],
    [bi('purchaseOrders'), data.purchaseOrderNumbers.join(', ')],
    [EN.incoterms, `${data.incoterm} ${data.incotermPlace ?? `(${bi('placeToBeAgreed')})`} Incoterms® 2020`],
    [bi('mode'), modeText(data.mode)],
    [bi('destination'), countryName(data.destinationCountry, LOCALE)]
  ]
  if (data.portLoading || data.portDischarge) items.push([bi('portLoading'), data.portLoading ?? '—'], [bi('portDischarge'), data.portDischarge ?? '—'])
  if (data.transportDocument) items.push([bi('transportDocument'), data.transportDocument])
  if (data.container || data.seal) items.push([bi('container'), [data.container ?? '—', data.seal ?? '—'].join(' / ')])
  if (data.forwarder) items.push([bi('forwarder'), data.forwarder])
  if (data.plannedDeparture) items.push([bi('departure'), day(data.plannedDeparture)])
  if (withCurrency) items.push([bi('currency'), data.totals.values.map((v) => v.currency).join(', ')])
  return items
}

function kindsText(data: CustomsPapersData): string {
  const counts = new Map<string, number>()
  for (const p of data.packages) counts.set(p.kind, (counts.get(p.kind) ?? 0) + 1)
  return [...counts].map(([k, n]) => `${n} ${k}`).join(', ')
}

const marksRange = (data: CustomsPapersData) => `${data.marksFrom}–${data.marksTo}`

// ---------------------------------------------------------------------------------------------------
// Commercial invoice.

const INVOICE_COLUMNS = [
  { key: 'pos', width: 22, align: 'right' },
  { key: 'sku', width: 48 },
  { key: 'description', width: 98 },
  { key: 'cn', width: 52 },
  { key: 'origin', width: 32, align: 'center' },
  { key: 'quantity', width: 44, align: 'right' },
  { key: 'unit', width: 32, align: 'center' },
  { key: 'unitPrice', width: 50, align: 'right' },
  { key: 'total', width: 55, align: 'right' },
  { key: 'net', width: 40, align: 'right' },
  { key: 'gross', width: 42, align: 'right' }
] as const
type InvoiceKey = (typeof INVOICE_COLUMNS)[number]['key']

function lineDescription(l: PaperLine): string {
  if (l.pricePerMilli === 1000) return l.description
  return `${l.description} (${EN.unitPrice.toLowerCase()} ${fill(EN.perQuantity, { quantity: qty(l.pricePerMilli), unit: l.unitCode })})`
}

function invoice(c: Ctx, data: CustomsPapersData): void {
  const { doc } = c
  heading(c, `${bi('invoiceTitle')} ${data.number}`)
  parties(c, data)
  facts(c, shipmentFacts(data, true))
  const headers: Record<InvoiceKey, string> = {
    pos: bi2('pos'),
    sku: bi2('sku'),
    description: bi2('description'),
    cn: bi2('cnCode'),
    origin: bi2('origin'),
    quantity: bi2('quantity'),
    unit: bi2('unit'),
    unitPrice: bi2('unitPrice'),
    total: bi2('total'),
    net: bi2('netKg'),
    gross: bi2('grossKg')
  }
  const table = new PdfTable<InvoiceKey>(doc, c.y, { left: MARGIN.left, columns: INVOICE_COLUMNS, headers, top: CONTENT_TOP, bottom: c.bottom, fontSize: 7, headerFontSize: 6.5, pad: 3, minRowHeight: 15 })
  table.header()
  for (const l of data.lines) {
    table.row({
      pos: String(l.position),
      sku: l.sku,
      description: lineDescription(l),
      cn: cn(l.cnCode),
      origin: l.origin,
      quantity: qty(l.quantityMilli),
      unit: l.unitCode,
      unitPrice: formatAmount(l.unitPriceMinor, l.digits, LOCALE),
      total: formatAmount(l.valueMinor, l.digits, LOCALE),
      net: l.netG === null ? '—' : kg(l.netG),
      gross: kg(l.grossG)
    })
  }
  const single = data.totals.values.length === 1 ? data.totals.values[0]! : null
  const linesGross = data.lines.reduce((a, l) => a + l.grossG, 0)
  table.row(
    {
      description: bi('total'),
      unit: single?.currency ?? '',
      total: single ? formatAmount(single.minor, single.digits, LOCALE) : '',
      net: kg(data.totals.netG),
      gross: kg(linesGross)
    },
    { bold: true, fill: TOTAL_FILL }
  )
  c.y = table.y + 14

  block(c, bi('totalGoods'), data.totals.values.map((v) => `${money(v)}  (${data.incoterm} ${data.incotermPlace ?? ''})`.replace(/\s+\)/, ')')))
  block(
    c,
    bi('freightInsurance'),
    data.toBorderCosts.length ? data.toBorderCosts.map((x) => `${x.name}${x.provider ? ` (${x.provider})` : ''}: ${money({ minor: x.amountMinor, digits: x.digits, currency: x.currency })}`) : [bi('noneBilled')]
  )
  const tare = data.totals.palletTareG ? ` (${bi('palletTare', { kg: kg(data.totals.palletTareG) })})` : ''
  block(c, bi('packagesMarks'), [
    bi('packagesCount', { packages: formatInteger(data.totals.packages, LOCALE), kinds: kindsText(data), cartons: formatInteger(data.totals.cartons, LOCALE) }),
    `${bi('marks')}: ${marksRange(data)}`,
    `${bi('netWeight')}: ${kg(data.totals.netG)} kg · ${bi('grossWeight')}: ${kg(data.totals.grossG)} kg${tare}`,
    `${bi('volume')}: ${m3(data.totals.volumeCm3)} m³`
  ])
  block(c, bi('paymentTerms'), paymentLines(data))
  const required = data.warnings.filter((w) => w.code === 'vi1' || w.code === 'organic')
  if (required.length) block(c, bi('documentsRequired'), required.flatMap((w) => [warningText(w, 'en'), warningText(w, 'es')]))
  if (data.originStatement) originStatement(c, data)
  signature(c, data)
}

function paymentLines(data: CustomsPapersData): string[] {
  if (!data.payments.length) return [bi('noPaymentTerms')]
  const enLabels = resources.en.translation.purchaseOrder.paymentLabels as Record<string, string>
  const esLabels = resources.es.translation.purchaseOrder.paymentLabels as Record<string, string>
  return data.payments.map((p) => {
    const params = (labels: Record<string, string>, locale: string) => ({
      order: p.purchaseOrder,
      share: formatShare(p.shareBp, locale),
      label: labels[p.label] ?? p.label,
      date: p.dueDate ? formatDay(p.dueDate, locale) : ''
    })
    const key = p.dueDate ? 'paymentDue' : 'payment'
    return `${fill(EN[key], params(enLabels, LOCALE))} / ${fill(ES[key], params(esLabels, 'es-AR')).replace(`${p.purchaseOrder}: `, '')}`
  })
}

function originStatement(c: Ctx, data: CustomsPapersData): void {
  const reference = data.exporter.cuit ?? '—'
  const placeDate = `${data.exporter.city ?? '—'}, ${day(data.issuedOn)}`
  block(c, bi('originTitle'), [
    fill(EN.originStatement, { reference, origin: EN.originName }),
    fill(ES.originStatement, { reference, origin: ES.originName }),
    `${bi('placeDate')}: ${placeDate}`,
    `${data.exporter.name}`
  ])
}

function signature(c: Ctx, data: CustomsPapersData): void {
  const { doc } = c
  room(c, 48)
  c.y += 18
  doc.moveTo(MARGIN.left, c.y).lineTo(MARGIN.left + 220, c.y).lineWidth(0.6).strokeColor(INK).stroke()
  doc.font('regular').fontSize(7.5).fillColor(MUTED).text(`${bi('signature')} – ${data.exporter.name}`, MARGIN.left, c.y + 3, { width: WIDTH })
  doc.fillColor(INK)
  c.y = doc.y + 6
}

// ---------------------------------------------------------------------------------------------------
// Packing list.

const PACKING_COLUMNS = [
  { key: 'no', width: 42 },
  { key: 'marks', width: 92 },
  { key: 'kind', width: 28, align: 'center' },
  { key: 'contents', width: 153 },
  { key: 'net', width: 42, align: 'right' },
  { key: 'gross', width: 44, align: 'right' },
  { key: 'dims', width: 72, align: 'center' },
  { key: 'm3', width: 42, align: 'right' }
] as const
type PackingKey = (typeof PACKING_COLUMNS)[number]['key']

function contentsText(p: PaperPackage): string {
  if (p.kind === 'PX') return `${p.cartons.length} CT: ${p.cartons[0]?.marks.slice(p.cartons[0].marks.lastIndexOf('/') + 1) ?? ''}–${p.cartons.at(-1)?.marks.slice(p.cartons.at(-1)!.marks.lastIndexOf('/') + 1) ?? ''}`
  return p.contents.map((x) => `${x.sku} ${x.description} × ${qty(x.quantityMilli)} ${unitCode(x.salesUnit)}`).join('\n')
}

function dims(p: PaperPackage): string {
  return p.lengthMm && p.widthMm && p.heightMm ? `${cm(p.lengthMm)} × ${cm(p.widthMm)} × ${cm(p.heightMm)}` : '—'
}

function packing(c: Ctx, data: CustomsPapersData): void {
  const { doc } = c
  heading(c, `${bi('packingTitle')} ${data.number}`)
  parties(c, data)
  facts(c, shipmentFacts(data, false))
  const headers: Record<PackingKey, string> = {
    no: bi2('packageNo'),
    marks: bi2('marks'),
    kind: bi2('kind'),
    contents: bi2('contents'),
    net: bi2('netKg'),
    gross: bi2('grossKg'),
    dims: bi2('dimensions'),
    m3: bi2('m3')
  }
  const table = new PdfTable<PackingKey>(doc, c.y, { left: MARGIN.left, columns: PACKING_COLUMNS, headers, top: CONTENT_TOP, bottom: c.bottom, fontSize: 7, headerFontSize: 6.5, pad: 3, minRowHeight: 15 })
  table.header()
  const n = data.totals.packages
  const cells = (p: PaperPackage): Record<PackingKey, string> => ({
    no: p.number === null ? '' : `${p.number}/${n}`,
    marks: p.marks,
    kind: p.kind,
    contents: contentsText(p),
    net: p.netG === null ? '—' : kg(p.netG),
    gross: kg(p.grossG),
    dims: dims(p),
    m3: p.volumeCm3 === null ? '—' : m3(p.volumeCm3)
  })
  for (const p of data.packages) {
    table.row(cells(p), p.kind === 'PX' ? { bold: true } : {})
    for (const carton of p.cartons) table.row({ ...cells(carton), no: '↳' }, { fill: '#fafafa' })
  }
  table.row(
    {
      no: bi('total'),
      contents: bi('packagesTotal', { count: formatInteger(n, LOCALE) }),
      net: kg(data.totals.netG),
      gross: kg(data.totals.grossG),
      m3: m3(data.totals.volumeCm3)
    },
    { bold: true, fill: TOTAL_FILL }
  )
  c.y = table.y + 12
  const notes = [bi('agrees', { number: data.number }), `${bi('marks')}: ${marksRange(data)}`]
  if (data.totals.pallets) notes.unshift(`${EN.palletNote} ${ES.palletNote}`)
  block(c, bi('totals'), [
    `${bi('packagesTotal', { count: formatInteger(n, LOCALE) })} (${kindsText(data)})`,
    `${bi('netWeight')}: ${kg(data.totals.netG)} kg · ${bi('grossWeight')}: ${kg(data.totals.grossG)} kg · ${bi('volume')}: ${m3(data.totals.volumeCm3)} m³`,
    ...notes
  ])
}

// ---------------------------------------------------------------------------------------------------
// Data sheet for the customs broker.

const BROKER_COLUMNS = [
  { key: 'l1', width: 142 },
  { key: 'v1', width: 95, align: 'right' },
  { key: 'l2', width: 138 },
  { key: 'v2', width: 140, align: 'right' }
] as const
type BrokerKey = (typeof BROKER_COLUMNS)[number]['key']

function broker(c: Ctx, data: CustomsPapersData): void {
  const { doc } = c
  const b = data.broker
  if (!b) throw new Error('the broker data sheet needs customsPapersData(…, "broker")')
  heading(c, `${bi('brokerTitle')} ${data.number}`)
  parties(c, data)
  facts(c, [...shipmentFacts(data, true), ...(b.customsDay ? ([[bi('customsRate'), day(b.customsDay)]] as [string, string][]) : [])])
  if (data.warnings.length) block(c, bi('checks'), data.warnings.flatMap((w) => [`• ${warningText(w, 'en')}`, `  ${warningText(w, 'es')}`]), { color: WARN, boxed: true })
  if (b.error) {
    const code = `errors.${b.error.code}`
    block(c, `${bi('notComputed')}:`, [translate('en', code, b.error.params), translate('es', code, b.error.params)], { color: WARN, boxed: true })
  }
  const base = (minor: number) => formatMoneyCode(minor, b.digits, b.currency, LOCALE)
  const headers: Record<BrokerKey, string> = { l1: '', v1: '', l2: '', v2: '' }
  const table = new PdfTable<BrokerKey>(doc, c.y, { left: MARGIN.left, columns: BROKER_COLUMNS, headers, top: CONTENT_TOP, bottom: c.bottom, fontSize: 7.5, pad: 3, minRowHeight: 15, headerFill: '#ffffff' })
  const valueBase = bi('valueBase', { currency: b.currency })
  for (const g of b.groups) {
    const head = g.cnCode ? bi('groupHeading', { code: cn(g.cnCode), origin: g.origin }) : `${bi('noCode')} · ${g.origin}`
    table.heading(head, `${head} …`)
    const supplementary = [
      g.litresMilli !== null ? fill(EN.litres, { litres: qty(g.litresMilli) }) : '',
      g.alcoholPermille.length ? fill(EN.alcohol, { strength: g.alcoholPermille.map((a) => formatScaledUnit(a, 1, 1, LOCALE)).join(', ') }) : '',
      ...g.counted.map((x) => `${qty(x.quantityMilli)} ${x.unitCode}`)
    ].filter(Boolean)
    table.note(`${bi('description')}: ${g.descriptions.join('; ')}`)
    table.row({ l1: bi('packages'), v1: formatInteger(g.packages, LOCALE), l2: bi('supplementary'), v2: supplementary.join(' · ') || '—' })
    table.row({ l1: bi('netWeight'), v1: g.netG === null ? '—' : `${kg(g.netG)} kg`, l2: bi('grossWeight'), v2: `${kg(g.grossG)} kg` })
    table.row({ l1: bi('value'), v1: g.values.map(money).join(', '), l2: valueBase, v2: g.landed ? base(g.landed.goodsMinor) : '—' })
    table.row({ l1: bi('customsValue'), v1: g.landed ? base(g.landed.customsValueMinor) : '—', l2: bi('duty'), v2: g.landed ? base(g.landed.dutyMinor) : '—' })
    table.row({ l1: bi('importVat'), v1: g.landed ? base(g.landed.vatMinor) : '—' })
  }
  table.heading(bi('allGroups'), bi('allGroups'))
  table.row({ l1: bi('packages'), v1: `${formatInteger(data.totals.packages, LOCALE)} (${kindsText(data)})`, l2: bi('marks'), v2: marksRange(data) })
  table.row({ l1: bi('netWeight'), v1: `${kg(data.totals.netG)} kg`, l2: bi('grossWeight'), v2: `${kg(data.totals.grossG)} kg` })
  table.row({ l1: bi('value'), v1: data.totals.values.map(money).join(', '), l2: valueBase, v2: b.totals ? base(b.totals.goodsMinor) : '—' }, { fill: TOTAL_FILL })
  table.row(
    { l1: bi('customsValue'), v1: b.totals ? base(b.totals.customsValueMinor) : '—', l2: bi('duty'), v2: b.totals ? base(b.totals.dutyMinor) : '—' },
    { fill: TOTAL_FILL }
  )
  table.row({ l1: bi('importVat'), v1: b.totals ? base(b.totals.vatMinor) : '—' }, { fill: TOTAL_FILL })
  table.endGroup()
  c.y = table.y + 12
  block(
    c,
    bi('freightInsurance'),
    data.toBorderCosts.length ? data.toBorderCosts.map((x) => `${x.name}${x.provider ? ` (${x.provider})` : ''}: ${money({ minor: x.amountMinor, digits: x.digits, currency: x.currency })}`) : [bi('noneBilled')]
  )
}

// ---------------------------------------------------------------------------------------------------
// CN23 data (post and courier).

const CN23_COLUMNS = [
  { key: 'description', width: 165 },
  { key: 'quantity', width: 56, align: 'right' },
  { key: 'net', width: 52, align: 'right' },
  { key: 'value', width: 72, align: 'right' },
  { key: 'currency', width: 40, align: 'center' },
  { key: 'hs', width: 80, align: 'center' },
  { key: 'origin', width: 50, align: 'center' }
] as const
type Cn23Key = (typeof CN23_COLUMNS)[number]['key']

function cn23(c: Ctx, data: CustomsPapersData): void {
  const { doc } = c
  heading(c, `${bi('cn23Title')} ${data.number}`)
  doc.font('regular').fontSize(8).fillColor(MUTED).text(bi('cn23Note'), MARGIN.left, c.y, { width: WIDTH })
  c.y = doc.y + 8
  doc.fillColor(INK)
  parties(c, data, ['sender', 'addressee'])
  // The category: sale of goods, ticked.
  const cats: [TextKey, boolean][] = [
    ['catGift', false],
    ['catDocuments', false],
    ['catSample', false],
    ['catReturned', false],
    ['catSale', true],
    ['catOther', false]
  ]
  doc.font('bold').fontSize(8.5).text(bi('category'), MARGIN.left, c.y)
  c.y = doc.y + 4
  const colW = WIDTH / 3
  cats.forEach(([key, ticked], i) => {
    const x = MARGIN.left + (i % 3) * colW
    const y = c.y + Math.floor(i / 3) * 14
    doc.rect(x, y, 8, 8).lineWidth(0.6).strokeColor(INK).stroke()
    if (ticked) doc.font('bold').fontSize(8).text('X', x + 1.5, y, { lineBreak: false })
    doc.font(ticked ? 'bold' : 'regular').fontSize(7.5).text(bi(key), x + 12, y, { width: colW - 14, lineBreak: false, ellipsis: true })
  })
  c.y += 2 * 14 + 8
  const headers: Record<Cn23Key, string> = {
    description: bi2('description'),
    quantity: bi2('quantity'),
    net: bi2('netKg'),
    value: bi2('value'),
    currency: bi2('currency'),
    hs: bi2('hsCode'),
    origin: bi2('origin')
  }
  const table = new PdfTable<Cn23Key>(doc, c.y, { left: MARGIN.left, columns: CN23_COLUMNS, headers, top: CONTENT_TOP, bottom: c.bottom, fontSize: 7.5, headerFontSize: 6.5, pad: 3, minRowHeight: 15 })
  table.header()
  for (const l of data.lines) {
    table.row({
      description: `${l.description} (${l.sku})`,
      quantity: `${qty(l.quantityMilli)} ${l.unitCode}`,
      net: l.netG === null ? '—' : kg(l.netG),
      value: formatAmount(l.valueMinor, l.digits, LOCALE),
      currency: l.currency,
      hs: cn(l.cnCode),
      origin: l.origin
    })
  }
  const single = data.totals.values.length === 1 ? data.totals.values[0]! : null
  table.row(
    { description: bi('total'), net: kg(data.totals.netG), value: single ? formatAmount(single.minor, single.digits, LOCALE) : '', currency: single?.currency ?? '' },
    { bold: true, fill: TOTAL_FILL }
  )
  c.y = table.y + 12
  facts(c, [
    [bi('totalGross'), `${kg(data.totals.grossG)} kg`],
    [bi('totalValue'), data.totals.values.map(money).join(', ')],
    [bi('postalCharges'), data.toBorderCosts.length ? data.toBorderCosts.map((x) => money({ minor: x.amountMinor, digits: x.digits, currency: x.currency })).join(', ') : '—'],
    [bi('invoiceRef'), [data.number, ...data.purchaseOrderNumbers].join(', ')],
    [bi('packagesMarks'), `${formatInteger(data.totals.packages, LOCALE)} · ${marksRange(data)}`],
    [bi('placeDate'), `${data.exporter.city ?? '—'}, ${day(data.issuedOn)}`]
  ])
  const required = data.warnings.filter((w) => w.code === 'vi1' || w.code === 'organic')
  if (required.length) block(c, bi('documentsRequired'), required.flatMap((w) => [warningText(w, 'en'), warningText(w, 'es')]))
  block(c, '', [EN.certify, ES.certify])
  signature(c, data)
}
