import { join } from 'node:path'
import { z } from 'zod'
import { action, job, mutation, none, query } from '../api/define.ts'
import { type FileResult, fileResult } from '../common/files.ts'
import { uploadInput } from '../spreadsheets/files.ts'
import { resources } from '../../shared/i18n/index.ts'
import { stamp } from '../common/env.ts'
import { safeFileName } from '../common/text.ts'
import { reminderPdf } from '../documents/invoicePdf.ts'
import { organisationToday } from '../settings/organisation.ts'
import { paymentJobs } from './jobs.ts'
import { allocateInput, allocatePayment, buyerBalances, buyerOpenDocuments, listPayments, openDocumentsInput, overdueDocuments, recordPayment, recordPaymentInput, refunds, refundsFile, refundsFileInput, reminderDocument, reminderInput } from './payments.ts'

/** Money in: bank statements imported and matched, payments matched by hand, buyers' balances (issue 12). */
export const paymentMethods = {
  'payments.list': query(none, ({ session }) => listPayments(session.requireWorkspace())),
  'payments.balances': query(none, ({ session }) => buyerBalances(session.requireWorkspace())),
  /** A buyer's deposit requests and invoices with something open, to match a payment to by hand. */
  'payments.openDocuments': query(openDocumentsInput, ({ session }, input) => buyerOpenDocuments(session.requireWorkspace(), input)),
  'payments.allocate': mutation(['payments', 'invoices'], allocateInput, ({ session }, input) => allocatePayment(session.requireWorkspace(), input)),
  /** A payment by hand: cash at the hub, a transfer, or a refund paid out. */
  'payments.record': mutation(['payments', 'invoices', 'closing'], recordPaymentInput, ({ session }, input) => recordPayment(session.requireWorkspace(), input, session.uiLanguage())),
  /** Buyers with money to their credit and the account each paid from. */
  'payments.refunds': query(none, ({ session }) => refunds(session.requireWorkspace())),
  /** The refunds as a SEPA credit transfer file (pain.001) for the banking app. */
  'payments.refundsFile': action(refundsFileInput, async ({ session }, input): Promise<FileResult> => {
    const f = refundsFile(session.requireWorkspace(), input, session.uiLanguage())
    return fileResult(f.fileName, 'xml', Buffer.from(f.xml, 'utf8'))
  }),
  /** Deposit requests and invoices past their due day with money open. */
  'payments.overdue': query(none, ({ session }) => overdueDocuments(session.requireWorkspace(), organisationToday(session.requireWorkspace()))),
  /** A payment reminder for a buyer as PDF, in the buyer's language, with a QR code for the sum. */
  'payments.reminderPdf': action(reminderInput, async ({ session }, { buyerId }): Promise<FileResult> => {
    const ws = session.requireWorkspace()
    const doc = reminderDocument(ws, buyerId, organisationToday(ws))
    const pdf = reminderPdf(doc, { fontsDir: join(session.resourcesDir, 'fonts'), createdAt: stamp(ws.env) })
    return fileResult(`${safeFileName(`${resources[doc.language].translation.reminderPdf.title} ${doc.buyer.name} ${doc.issueDate}`)}.pdf`, 'pdf', pdf)
  }),
  /** A CAMT.053 statement: booked once, matched where the reference, or the amount and name, say so. */
  'payments.importStatement': job(paymentJobs, 'payments.importStatement', z.object(uploadInput), { writes: true, topics: ['payments', 'invoices'] }, (_ctx, input) => input)
}
