import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { AppError } from '../../src/shared/errors.ts'
import { JOB_WORKER_SOURCE } from '../../src/core/app/jobs.ts'
import { stamp } from '../../src/core/common/env.ts'
import { invoicePdfSync } from '../../src/core/documents/invoicePdf.ts'
import { PdfPool, type PdfTask } from '../../src/core/documents/pdfPool.ts'
import { issueInvoice, issueInvoices } from '../../src/core/invoices/invoices.ts'
import type { InvoiceLanguage } from '../../src/core/invoices/model.ts'
import { invoicePrinter } from '../../src/core/invoices/printer.ts'
import { api } from '../support/api.ts'
import { frozenEnv } from '../support/env.ts'
import { SAMPLES } from '../support/invoiceSamples.ts'
import { RESOURCES, type TempSession, tempSession } from '../support/workspace.ts'

/**
 * Bulk issuing's PDFs on several cores (documents/pdfPool.ts): a helper thread (started from the job
 * worker's entry, as the app starts them) renders the same bytes as the issuing thread, and a batch
 * issued with them is what issuing the drafts one after another stores: the same numbers, documents,
 * XML, PDFs and hash chain.
 */

const FONTS = join(RESOURCES, 'fonts')
const CREATED = '2026-11-30T09:15:00.000Z'
const XML = '<?xml version="1.0" encoding="UTF-8"?>\n<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"/>\n'

describe('PDFs rendered on helper threads', () => {
  // One helper even on a machine with a single core (where the app would render everything itself).
  const pool = new PdfPool(JOB_WORKER_SOURCE, 1)
  afterAll(() => pool.close())

  const tasks: PdfTask[] = Object.values(SAMPLES).flatMap((document, s) =>
    (['de', 'es', 'en'] as InvoiceLanguage[]).map((language, l) => ({
      document: { ...document, language, number: `RE-2026-${String(100 + s * 3 + l).padStart(5, '0')}` },
      xml: document.kind === 'credit_note' || l === 2 ? null : XML,
      draft: l === 1,
      createdAt: CREATED
    }))
  )

  it('are the same bytes as rendered here, in the order of the tasks, with the helper rendering some of them', async () => {
    expect(tasks).toHaveLength(18)
    await pool.ready()
    const expected = tasks.map((t) => invoicePdfSync(t.document, { fontsDir: FONTS, xml: t.xml, draft: t.draft, createdAt: t.createdAt }))
    const before = pool.helped
    // Batches of several sizes (one task is rendered here, without the helper).
    for (const size of [1, 2, 5, 18]) {
      const got: Buffer[] = []
      for (let i = 0; i < tasks.length; i += size) got.push(...pool.render(FONTS, tasks.slice(i, i + size)))
      expect(got).toHaveLength(tasks.length)
      got.forEach((pdf, i) => expect(pdf.equals(expected[i]!), `task ${i} in batches of ${size}`).toBe(true))
    }
    expect(pool.helped - before).toBeGreaterThan(0)
    expect(pool.renderers).toBe(2)
  })

  it('throws what rendering threw, an AppError as itself', async () => {
    await pool.ready()
    const missing = join(RESOURCES, 'no-fonts-here')
    let error: unknown = null
    try {
      pool.render(missing, tasks.slice(0, 6))
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(AppError)
    expect((error as AppError).code).toBe('documents.font_missing')
    // The pool still works afterwards.
    // The PDF/A ones (with the XML) are PDF 1.7, the others pdfkit's default 1.3.
    expect(pool.render(FONTS, tasks.slice(0, 4)).map((p) => p.subarray(0, 8).toString('latin1'))).toEqual(['%PDF-1.7', '%PDF-1.7', '%PDF-1.3', '%PDF-1.7'])
  })
})

describe('a PDF made in one go', () => {
  it('schedules nothing for the next tick, so that a bulk issue (which never yields) keeps no document it made', () => {
    const tick = process.nextTick
    let scheduled = 0
    process.nextTick = ((...args: Parameters<typeof tick>) => {
      scheduled++
      return tick(...args)
    }) as typeof tick
    let pdfs: Buffer[]
    try {
      pdfs = Object.values(SAMPLES).map((document) => invoicePdfSync(document, { fontsDir: FONTS, xml: document.kind === 'credit_note' ? null : XML, createdAt: CREATED }))
    } finally {
      process.nextTick = tick
    }
    expect(pdfs.map((p) => p.subarray(-6).toString('latin1').trim())).toEqual(Array(6).fill('%%EOF'))
    expect(scheduled).toBe(0)
  })
})

describe('a bulk issue in batches', () => {
  const temps: TempSession[] = []
  const pool = new PdfPool(JOB_WORKER_SOURCE, 1)
  afterEach(() => temps.splice(0).forEach((t) => t.dispose()))
  afterAll(() => pool.close())

  /** The demo round's drafts, in a workspace whose clock and ids are the same every time. */
  async function demoDrafts(): Promise<{ temp: TempSession; ids: string[] }> {
    const temp = tempSession({ prefix: 'puente-pdf-pool-', env: frozenEnv('2026-12-02T10:00:00Z') })
    temps.push(temp)
    await temp.session.openDemo()
    const db = temp.session.requireWorkspace().db
    const roundId = db.prepare('SELECT id FROM round').pluck().get() as string
    const { call } = api(() => temp.session)
    await call('rounds.setStatus', { id: roundId, status: 'closed' })
    await call('invoices.prepareRound', { roundId })
    const ids = db.prepare("SELECT id FROM invoice WHERE kind = 'invoice' AND status = 'draft' ORDER BY id").pluck().all() as string[]
    return { temp, ids }
  }

  function issued(temp: TempSession) {
    return temp.session
      .requireWorkspace()
      .db.prepare(
        `SELECT i.id, i.number, i.seq, i.issue_date, i.document, i.prev_hash, i.hash, f.pdf, f.xml, f.sha256,
           (SELECT json_group_array(json_array(l.position, l.description, l.quantity_milli, l.net_minor, l.rate_bp)) FROM invoice_line l WHERE l.invoice_id = i.id) AS lines
         FROM invoice i JOIN invoice_file f ON f.invoice_id = i.id WHERE i.status = 'issued' ORDER BY i.seq`
      )
      .all() as { id: string; number: string; pdf: Buffer }[]
  }

  it('stores what issuing the drafts one after another stores, and reports each one', async () => {
    const one = await demoDrafts()
    const ws1 = one.temp.session.requireWorkspace()
    const printer1 = invoicePrinter(RESOURCES, () => stamp(ws1.env))
    ws1.db.transaction(() => one.ids.forEach((id) => issueInvoice(ws1, id, printer1, 'de')))()

    const batch = await demoDrafts()
    expect(batch.ids).toEqual(one.ids)
    expect(batch.ids.length).toBeGreaterThanOrEqual(5)
    await pool.ready()
    const ws2 = batch.temp.session.requireWorkspace()
    const printer2 = invoicePrinter(RESOURCES, () => stamp(ws2.env), pool)
    const before = pool.helped
    const reported: number[] = []
    const rows = ws2.db.transaction(() => issueInvoices(ws2, batch.ids, printer2, 'de', undefined, undefined, (done) => reported.push(done)))()
    expect(pool.helped - before).toBeGreaterThan(0)
    expect(reported).toEqual(batch.ids.map((_, i) => i + 1))
    expect(rows.map((r) => r.id)).toEqual(batch.ids)

    const a = issued(one.temp)
    const b = issued(batch.temp)
    expect(b.map((r) => r.number)).toEqual(a.map((r) => r.number))
    expect(a.map((r) => r.number.slice(-5))).toEqual(a.map((_, i) => String(i + 1).padStart(5, '0')))
    expect(b).toEqual(a)
  })
})
