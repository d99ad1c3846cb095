import { z } from 'zod'
import { AppError } from '../../shared/errors.ts'
import { action, job, mutation, query } from '../api/define.ts'
import { stamp } from '../common/env.ts'
import { type FileResult, fileResult } from '../common/files.ts'
import { safeFileName } from '../common/text.ts'
import type { Context } from '../api/define.ts'
import {
  creditInput,
  creditInvoice,
  deleteDraft,
  depositsInput,
  getInvoice,
  invoiceFiles,
  invoiceListInput,
  invoiceSettings,
  invoiceSettingsInput,
  issueInvoice,
  listInvoices,
  paymentInput,
  prepareRound,
  recordDeposit,
  requestDeposits,
  roundCsv,
  roundZip,
  saveInvoiceSettings,
  updateDraft,
  updateDraftInput
} from './invoices.ts'
import { invoiceJobs } from './jobs.ts'
import { invoicePrinter } from './printer.ts'

const idInput = z.object({ id: z.uuid() })
const roundInput = z.object({ roundId: z.uuid() })

function printer(ctx: Context) {
  const ws = ctx.session.requireWorkspace()
  return invoicePrinter(ctx.session.resourcesDir, () => stamp(ws.env))
}

/** Deposit requests, final invoices and credit notes of a round (issue 11). */
export const invoiceMethods = {
  'invoices.list': query(invoiceListInput, ({ session }, input) => listInvoices(session.requireWorkspace(), input)),
  'invoices.get': query(idInput, ({ session }, { id }) => getInvoice(session.requireWorkspace(), id)),
  'invoices.settings': query(z.object({}).strict().optional(), ({ session }) => invoiceSettings(session.requireWorkspace())),
  'invoices.saveSettings': mutation(['invoices', 'settings'], invoiceSettingsInput, ({ session }, input) => saveInvoiceSettings(session.requireWorkspace(), input)),
  /** Drafts for every buyer who received goods in the round and has no invoice yet. */
  'invoices.prepareRound': mutation(['invoices'], roundInput, ({ session }, { roundId }) => prepareRound(session.requireWorkspace(), roundId)),
  'invoices.updateDraft': mutation(['invoices'], updateDraftInput, ({ session }, input) => updateDraft(session.requireWorkspace(), input)),
  'invoices.deleteDraft': mutation(['invoices'], idInput, ({ session }, { id }) => deleteDraft(session.requireWorkspace(), id)),
  /** Issues a draft: numbered, frozen, its PDF and XML stored; refused (nothing numbered) while anything is missing. */
  'invoices.issue': mutation(['invoices', 'numbering'], idInput, (ctx, { id }) =>
    issueInvoice(ctx.session.requireWorkspace(), id, printer(ctx), ctx.session.uiLanguage())
  ),
  /** Cancels an issued invoice with a credit note (issued at once) and opens a new draft for the buyer. */
  'invoices.credit': mutation(['invoices', 'numbering'], creditInput, (ctx, input) => creditInvoice(ctx.session.requireWorkspace(), input, printer(ctx), ctx.session.uiLanguage())),
  /** Deposit requests for every buyer of a round closed for orders, issued at once. */
  'invoices.requestDeposits': mutation(['invoices', 'numbering'], depositsInput, (ctx, input) =>
    requestDeposits(ctx.session.requireWorkspace(), input, printer(ctx), ctx.session.uiLanguage())
  ),
  'invoices.recordDeposit': mutation(['invoices'], paymentInput, ({ session }, input) => recordDeposit(session.requireWorkspace(), input, session.uiLanguage())),
  /** The PDF of a document: as issued, or a draft's, marked as a draft. */
  'invoices.exportPdf': action(idInput, async (ctx, { id }): Promise<FileResult> => {
    const f = invoiceFiles(ctx.session.requireWorkspace(), id, printer(ctx))
    return fileResult(`${safeFileName(`${f.number} ${f.buyerName}`)}.pdf`, 'pdf', f.pdf)
  }),
  /** The Factur-X XML of an issued invoice or credit note. */
  'invoices.exportXml': action(idInput, async (ctx, { id }): Promise<FileResult> => {
    const f = invoiceFiles(ctx.session.requireWorkspace(), id, printer(ctx))
    if (f.xml === null) throw new AppError('invoices.no_xml')
    return fileResult(`${safeFileName(`${f.number} ${f.buyerName}`)}.xml`, 'xml', Buffer.from(f.xml, 'utf8'))
  }),
  /** The bookkeeper's CSV of the round's issued documents. */
  'invoices.exportCsv': action(roundInput, async ({ session }, { roundId }): Promise<FileResult> => {
    const csv = roundCsv(session.requireWorkspace(), roundId, session.uiLanguage())
    return fileResult(safeFileName(csv.fileName), 'csv', csv.bytes)
  }),
  /** Every issued document of the round, one PDF and XML each, in one ZIP. */
  'invoices.exportZip': action(roundInput, async ({ session }, { roundId }): Promise<FileResult> => {
    const zip = roundZip(session.requireWorkspace(), roundId)
    return fileResult(zip.fileName, 'zip', zip.bytes)
  }),
  /** Issues every draft of the round (drafts are made first for buyers without one), with progress and cancel. */
  'invoices.issueRound': job(invoiceJobs, 'invoices.issueRound', roundInput, { writes: true, topics: ['invoices', 'numbering'] }, ({ session }, { roundId }) => ({
    roundId,
    lang: session.uiLanguage(),
    resourcesDir: session.resourcesDir
  })),
  /** One PDF of all the round's issued documents, for printing. */
  'invoices.printRound': job(invoiceJobs, 'invoices.printRound', roundInput, { writes: false }, ({ session }, { roundId }) => ({
    roundId,
    lang: session.uiLanguage(),
    resourcesDir: session.resourcesDir
  }))
}
