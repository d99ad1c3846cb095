/**
 * Run by benchInvoicesBulkMemory in a fresh process: prints a round of 500 invoices into one PDF and
 * reports, as one line of JSON, the peak resident memory (getrusage maxrss) above the resident memory
 * just before printing, in MB, with the PDF's size and page count.
 */
import assert from 'node:assert/strict'
import { invoicesPdf } from '../../src/core/documents/invoicePdf.ts'
import { BATCH, benchInvoices, CREATED, FONTS } from './invoices.ts'

const docs = benchInvoices()
assert.equal(docs.length, BATCH, `the batch holds ${BATCH} invoices`)
// The fixture is built and the modules loaded (and a first small print has warmed pdfkit's font cache).
await invoicesPdf(docs.slice(0, 2), { fontsDir: FONTS, createdAt: CREATED })
const before = process.memoryUsage.rss()
const pdf = await invoicesPdf(docs, { fontsDir: FONTS, createdAt: CREATED })
const peak = process.resourceUsage().maxRSS * 1024
const pages = (pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length
// A whole PDF with at least a page per invoice: the figure is about printing all of them, not failing early.
assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-')
assert.ok(pages >= BATCH, `${pages} pages for ${BATCH} invoices`)
assert.ok(peak >= before, 'the peak is at least the memory before printing')
const mb = (b: number) => Math.round((b / 1024 / 1024) * 10) / 10
console.log(JSON.stringify({ growthMb: mb(Math.max(0, peak - before)), pdfMb: mb(pdf.length), pages, invoices: BATCH }))
