import { join } from 'node:path'
import { resources } from '../../shared/i18n/index.ts'
import type { Language } from '../../shared/reference.ts'
import { fill, safeFileName } from '../common/text.ts'
import { stamp } from '../common/env.ts'
import type { Progress } from '../common/progress.ts'
import type { Workspace } from '../db/workspace.ts'
import { invoicesPdf } from '../documents/invoicePdf.ts'
import { AppError } from '../../shared/errors.ts'
import { pdfPool, type PdfPool } from '../documents/pdfPool.ts'
import { issuedDocuments, issueInvoices, type Memo, prepareRound, problemText, type InvoiceRow, roundDrafts, roundProblems } from './invoices.ts'
import { invoicePrinter } from './printer.ts'

export interface RoundJob {
  roundId: string
  lang: Language
  resourcesDir: string
}

/**
 * Drafts issued per durable transaction by a bulk issue: one at a time when the PDFs are rendered where
 * they are issued; with PDF helper threads, a batch whose PDFs are rendered together on all of them
 * (several per renderer, so that a long invoice on one core does not leave the others idle at the end of
 * a batch). The benchmark `invoices.pdf_500_vs_chromium` renders its invoices in batches of this size.
 */
export function issueBatch(pool: PdfPool | null): number {
  return pool ? Math.min(8 * pool.renderers, 32) : 1
}

/**
 * Bulk work on a round's invoices, run in a worker (app/jobs.ts): issuing every draft (in durable
 * transactions of one draft, or of a batch whose PDFs are rendered on several cores: see issueBatch; a
 * crash or a cancel leaves only whole, gapless invoices), and printing all issued documents into one PDF.
 */
export const invoiceJobs = {
  'invoices.issueRound': async (ws: Workspace, input: RoundJob, progress: Progress) => {
    // The PDF helpers start now (their modules load while the drafts are checked) and stay for later jobs.
    const pool = pdfPool()
    const printer = invoicePrinter(input.resourcesDir, () => stamp(ws.env), pool)
    ws.durably(() => ws.db.transaction(() => prepareRound(ws, input.roundId)).immediate())
    // Every draft is checked first: while one cannot be issued, none is (nothing numbered).
    const blocked = roundProblems(ws, input.roundId)
    if (blocked.length)
      throw new AppError('invoices.not_ready', {
        buyer: blocked.map((b) => b.buyer).join(', '),
        missing: blocked.flatMap((b) => b.problems.map((p) => problemText(p, input.lang))).filter((m, i, all) => all.indexOf(m) === i).join(' ')
      })
    const drafts = roundDrafts(ws, input.roundId)
    const issued: InvoiceRow[] = []
    progress('issue', 0, drafts.length)
    const memo: Memo = new Map()
    const batch = issueBatch(pool)
    for (let i = 0; i < drafts.length; i += batch) {
      const ids = drafts.slice(i, i + batch)
      const report = (done: number) => progress('issue', i + done, drafts.length)
      issued.push(...ws.durably(() => ws.db.transaction(() => issueInvoices(ws, ids, printer, input.lang, undefined, memo, report)).immediate()))
    }
    return { issued: issued.map((r) => ({ id: r.id, number: r.number, buyerName: r.buyerName, dueMinor: r.dueMinor })) }
  },
  'invoices.printRound': async (ws: Workspace, input: RoundJob, progress: Progress) => {
    const docs = issuedDocuments(ws, input.roundId)
    progress('print', 0, docs.length)
    const pdf = await invoicesPdf(docs, { fontsDir: join(input.resourcesDir, 'fonts'), createdAt: stamp(ws.env), onProgress: (done) => progress('print', done, docs.length) })
    const round = (ws.db.prepare('SELECT name FROM round WHERE id = ?').pluck().get(input.roundId) as string | undefined) ?? ''
    return { count: docs.length, fileName: safeFileName(fill(resources[input.lang].translation.invoices.printFile, { round })), dataBase64: pdf.toString('base64') }
  }
}
