import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import PDFDocument from 'pdfkit'
import QRCode from 'qrcode'
import { LOCALES } from '../../src/core/common/text.ts'
import { invoiceEpcPayload, invoicePdf, invoicePdfTexts } from '../../src/core/documents/invoicePdf.ts'
import { fontPaths } from '../../src/core/documents/pdf.ts'
import type { InvoiceDocument, InvoiceLanguage } from '../../src/core/invoices/model.ts'
import { DOMESTIC, EXPORT, INTRA_EU, SMALL_BUSINESS } from '../support/invoiceSamples.ts'
import { launch } from '../browser/chromium.ts'
import { type Comparison, compare, type Measurement, ROOT } from './lib.ts'

export const FONTS = join(ROOT, 'resources', 'fonts')
export const BATCH = 500
export const CREATED = '2026-11-30T09:00:00.000Z'

/** A CII-looking XML of the size a real Factur-X EN 16931 file has (a few kB). */
export function benchXml(data: InvoiceDocument): string {
  const lines = data.lines
    .map(
      (l) =>
        `<ram:IncludedSupplyChainTradeLineItem><ram:AssociatedDocumentLineDocument><ram:LineID>${l.position}</ram:LineID></ram:AssociatedDocumentLineDocument><ram:SpecifiedTradeProduct><ram:Name>${l.description}</ram:Name></ram:SpecifiedTradeProduct><ram:SpecifiedLineTradeSettlement><ram:SpecifiedTradeSettlementLineMonetarySummation><ram:LineTotalAmount>${(l.netMinor / 100).toFixed(2)}</ram:LineTotalAmount></ram:SpecifiedTradeSettlementLineMonetarySummation></ram:SpecifiedLineTradeSettlement></ram:IncludedSupplyChainTradeLineItem>`
    )
    .join('\n')
  return `<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100" xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100">
<rsm:ExchangedDocument><ram:ID>${data.number}</ram:ID><ram:TypeCode>380</ram:TypeCode></rsm:ExchangedDocument>
<rsm:SupplyChainTradeTransaction>
${lines}
</rsm:SupplyChainTradeTransaction>
</rsm:CrossIndustryInvoice>
`
}

/**
 * 500 invoices of a round, all asking for a payment (so each has its QR code): the four samples with
 * something due, in turn, each in one of the three languages, with its own number and buyer, and 1 to 8
 * times the sample's lines (2 to 32 lines). The figures are the sample's scaled (layout only; the PDF
 * computes nothing).
 */
export function benchInvoices(): InvoiceDocument[] {
  const bases = [DOMESTIC, INTRA_EU, EXPORT, SMALL_BUSINESS]
  const languages: InvoiceLanguage[] = ['de', 'es', 'en']
  const out: InvoiceDocument[] = []
  for (let i = 0; i < BATCH; i++) {
    const base = bases[i % bases.length]!
    const k = 1 + ((i * 7) % 8)
    const lines = Array.from({ length: k }, (_, r) => base.lines.map((l) => ({ ...l, position: r * base.lines.length + l.position }))).flat()
    const grossMinor = base.grossMinor * k
    out.push({
      ...base,
      number: `RE-2026-${String(10_000 + i).padStart(5, '0')}`,
      language: languages[i % 3]!,
      buyer: { ...base.buyer, name: `${base.buyer.name} ${i + 1}`, street: `${base.buyer.street.replace(/\d+/, String(1 + (i % 90)))}` },
      lines,
      vatRates: base.vatRates.map((r) => ({ ...r, netMinor: r.netMinor * k, vatMinor: r.vatMinor * k })),
      netMinor: base.netMinor * k,
      vatMinor: base.vatMinor * k,
      grossMinor,
      dueMinor: grossMinor - base.prepaidMinor
    })
  }
  for (const d of out) assert.ok(invoiceEpcPayload(d) !== null, `${d.number} asks for a payment`)
  return out
}

/** The invoice's texts as lines, in the same order and language the PDF prints them (for both baselines). */
function plainLines(d: InvoiceDocument): { head: string[]; rows: string[][]; foot: string[] } {
  const t = invoicePdfTexts(d.language)
  const locale = LOCALES[d.language]
  const money = (m: number) => new Intl.NumberFormat(locale, { style: 'currency', currency: d.currency, currencyDisplay: 'code' }).format(m / 100)
  const s = d.seller
  const b = d.buyer
  return {
    head: [
      s.name,
      `${s.street} · ${s.postalCode} ${s.city}`,
      `${s.phone} · ${s.email}`,
      t.title[d.kind],
      `${s.name} · ${s.street} · ${s.postalCode} ${s.city}`,
      b.name,
      b.street,
      `${b.postalCode} ${b.city}`,
      `${t.number} ${d.number}`,
      `${t.issueDate} ${d.issueDate}`,
      `${t.deliveryDate} ${d.deliveryDate ?? ''}`,
      `${t.dueDate} ${d.dueDate ?? ''}`,
      `${t.round} ${d.roundName}`,
      `${t.sellerVatId} ${s.vatId ?? ''}`,
      `${t.taxNumber} ${s.taxNumber ?? ''}`,
      `${t.paymentReference} ${d.paymentReference}`,
      `${t.title[d.kind]} ${d.number}`
    ],
    rows: [
      [t.pos, t.description, t.quantity, t.unitPrice, t.vatRate, t.net],
      ...d.lines.map((l) => [String(l.position), `${l.description} ${l.sku ?? ''}`, `${l.quantityMilli / 1000} ${l.unitLabel}`, money(l.unitPriceMinor), `${l.rateBp / 100} %`, money(l.netMinor)])
    ],
    foot: [
      ...d.vatRates.map((r) => `${r.rateBp / 100} % ${money(r.netMinor)} ${money(r.vatMinor)}`),
      `${t.totalNet} ${money(d.netMinor)}`,
      `${t.totalVat} ${money(d.vatMinor)}`,
      `${t.totalGrossNet} ${money(d.grossMinor)}`,
      `${t.prepaid} ${money(-d.prepaidMinor)}`,
      `${t.due} ${money(d.dueMinor)}`,
      d.legalNote ?? '',
      t.bank,
      `${t.iban} ${s.iban}`,
      `${t.bic} ${s.bic ?? ''}`,
      `${t.bankName} ${s.bankName ?? ''}`,
      t.qrLabel,
      `Seite 1 / 1`
    ]
  }
}

/** Bare pdfkit: the same texts with the same embedded font, the table as lines of text; no layout of ours, no QR, no PDF/A, no attachment. */
function barePdf(d: InvoiceDocument): Promise<Buffer> {
  const fonts = fontPaths(FONTS)
  const doc = new PDFDocument({ size: 'A4', margin: 50, font: fonts.regular })
  const chunks: Buffer[] = []
  const done = new Promise<Buffer>((resolve) => {
    doc.on('data', (c: Buffer) => chunks.push(c))
    doc.on('end', () => resolve(Buffer.concat(chunks)))
  })
  const p = plainLines(d)
  doc.fontSize(9)
  for (const line of p.head) doc.text(line)
  for (const row of p.rows) doc.text(row.join('   '))
  for (const line of p.foot) doc.text(line)
  doc.end()
  return done
}

/**
 * invoices.pdf_500: one invoice of a 500-invoice batch (each PDF/A-3b with its Factur-X XML attached and
 * its EPC QR code), per invoice, vs bare pdfkit writing the same texts and table for the same 500.
 */
export async function benchInvoicePdf500(): Promise<Comparison> {
  const docs = benchInvoices()
  const xml = docs.map(benchXml)
  return compare({
    pairs: 4,
    warm: 1,
    reported: true,
    ours: async () => {
      const t0 = performance.now()
      for (let i = 0; i < docs.length; i++) {
        const pdf = await invoicePdf(docs[i]!, { fontsDir: FONTS, xml: xml[i]!, createdAt: CREATED })
        assert.equal(pdf.subarray(0, 8).toString('latin1'), '%PDF-1.7')
      }
      return (performance.now() - t0) / docs.length
    },
    baseline: async () => {
      const t0 = performance.now()
      for (const d of docs) {
        const pdf = await barePdf(d)
        assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-')
      }
      return (performance.now() - t0) / docs.length
    }
  })
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

/** The same invoice as an HTML page for Chromium to print: the same texts, a table, the QR code as SVG. */
async function invoiceHtml(d: InvoiceDocument): Promise<string> {
  const p = plainLines(d)
  const svg = await QRCode.toString(invoiceEpcPayload(d)!, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 })
  const [header, ...body] = p.rows
  return `<!doctype html><html lang="${d.language}"><head><meta charset="utf-8"><style>
@page { size: A4; margin: 20mm 17mm 20mm 20mm }
body { font: 9pt 'DejaVu Sans', sans-serif; color: #111827 }
.head { display: flex; justify-content: space-between } .info { width: 70mm } .qr { width: 30mm }
table { width: 100%; border-collapse: collapse; margin-top: 8mm } thead { display: table-header-group }
th { background: #1f4e5f; color: white; text-align: left; padding: 3pt } td { border-bottom: 0.4pt solid #9ca3af; padding: 3pt }
td:nth-child(n+3) { text-align: right } .totals { margin-left: auto; width: 95mm; margin-top: 6mm }
</style></head><body>
<div class="head"><div>${p.head.slice(0, 3).map((l) => `<div>${esc(l)}</div>`).join('')}</div><h2>${esc(p.head[3]!)}</h2></div>
<div class="head"><div>${p.head.slice(4, 8).map((l) => `<div>${esc(l)}</div>`).join('')}</div><div class="info">${p.head.slice(8, 16).map((l) => `<div>${esc(l)}</div>`).join('')}</div></div>
<h1>${esc(p.head[16]!)}</h1>
<table><thead><tr>${header!.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>
${body.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('\n')}
</tbody></table>
<div class="totals">${p.foot.slice(0, -6).map((l) => `<div>${esc(l)}</div>`).join('')}</div>
<div class="head"><div>${p.foot.slice(-6, -2).map((l) => `<div>${esc(l)}</div>`).join('')}</div><div class="qr">${svg}<div>${esc(p.foot[p.foot.length - 2]!)}</div></div></div>
</body></html>`
}

/** Invoices Chromium prints per run (a slice of the batch, a different one each run): 500 would take minutes. */
const CHROMIUM_SLICE = 40

/**
 * invoices.pdf_500_vs_chromium: the same per-invoice time of the 500-invoice batch, rendered as bulk
 * issuing renders it (the `invoices.issueRound` job: batches of `issueBatch` invoices, each batch's PDFs
 * through the printer's `pdfs` on the job worker's PDF helper threads and the issuing thread, see
 * documents/pdfPool.ts; one by one on a machine with a single core), vs Chromium's page.pdf() printing
 * the same invoice as an HTML page (one page reused, content set per invoice; the browser's start not
 * counted), per invoice. The helpers are started before the first (untimed) pair, as a job worker's are
 * kept from one bulk issue to the next.
 */
export async function benchInvoicePdf500VsChromium(): Promise<Comparison> {
  const docs = benchInvoices()
  const xml = docs.map(benchXml)
  // Loaded here, not at the top: the memory benchmark's child imports this file, and more code loaded
  // there would change when V8 collects and so its figure.
  const { pdfPool, usePdfHelpers } = await import('../../src/core/documents/pdfPool.ts')
  const { JOB_WORKER_SOURCE } = await import('../../src/core/app/jobs.ts')
  const { issueBatch } = await import('../../src/core/invoices/jobs.ts')
  const { invoicePrinter } = await import('../../src/core/invoices/printer.ts')
  // The helpers are threads of the job worker's entry, as in the app (which runs it from source in the
  // browser host and the tests, and as its own bundle in Electron).
  usePdfHelpers(JOB_WORKER_SOURCE)
  const pool = pdfPool()
  await pool?.ready()
  const printer = invoicePrinter(join(ROOT, 'resources'), () => CREATED, pool)
  const batch = issueBatch(pool)
  const context = await launch()
  try {
    const page = await context.newPage()
    let offset = 0
    return await compare({
      pairs: 2,
      warm: 1,
      reported: true,
      ours: () => {
        const t0 = performance.now()
        let made = 0
        for (let i = 0; i < docs.length; i += batch) {
          const items = docs.slice(i, i + batch).map((doc, k) => ({ doc, xml: xml[i + k]! }))
          const pdfs = printer.pdfs ? printer.pdfs(items) : items.map((it) => printer.pdf(it.doc, it.xml, false))
          for (const pdf of pdfs) assert.equal(pdf.subarray(0, 8).toString('latin1'), '%PDF-1.7')
          made += pdfs.length
        }
        const ms = (performance.now() - t0) / docs.length
        assert.equal(made, docs.length, 'every invoice of the batch was rendered')
        return ms
      },
      baseline: async () => {
        const t0 = performance.now()
        for (let i = 0; i < CHROMIUM_SLICE; i++) {
          const d = docs[(offset + i) % docs.length]!
          await page.setContent(await invoiceHtml(d))
          const pdf = await page.pdf({ format: 'A4', printBackground: true })
          assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-')
        }
        offset += CHROMIUM_SLICE
        return (performance.now() - t0) / CHROMIUM_SLICE
      }
    })
  } finally {
    await context.close()
  }
}

/**
 * invoices.bulk_memory_500: how far the resident memory rises above where it was while the 500
 * invoices are printed into one PDF (invoicesPdf), in MB. Measured in a fresh Node process
 * (test/bench/invoices-memory.ts) so that no earlier benchmark's peak hides it; the baseline reported
 * is the size of the PDF made, in MB.
 */
export function benchInvoicesBulkMemory(): Measurement {
  const out = execFileSync(process.execPath, [join(ROOT, 'test', 'bench', 'invoices-memory.ts')], { encoding: 'utf8' })
  const r = JSON.parse(out.trim().split('\n').pop()!) as { growthMb: number; pdfMb: number; pages: number }
  assert.ok(r.pages >= BATCH, `the combined PDF has a page per invoice at least (${r.pages})`)
  return { value: r.growthMb, baseline: r.pdfMb }
}
