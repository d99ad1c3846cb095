import { z } from 'zod'
import { action, job, mutation, none, query } from '../api/define.ts'
import { type FileResult, fileResult } from '../common/files.ts'
import { uploadInput } from '../spreadsheets/files.ts'
import { paymentJobs } from './jobs.ts'
import { allocateInput, allocatePayment, buyerBalances, buyerOpenDocuments, listPayments, openDocumentsInput, refunds, refundsFile, refundsFileInput } from './payments.ts'

/** Money in: bank statements imported and matched, payments matched by hand, buyers' balances (issue 12). */
export const paymentMethods = {
  'payments.list': query(none, ({ session }) => listPayments(session.requireWorkspace())),
  'payments.balances': query(none, ({ session }) => buyerBalances(session.requireWorkspace())),
  /** A buyer's deposit requests and invoices with something open, to match a payment to by hand. */
  'payments.openDocuments': query(openDocumentsInput, ({ session }, input) => buyerOpenDocuments(session.requireWorkspace(), input)),
  'payments.allocate': mutation(['payments', 'invoices'], allocateInput, ({ session }, input) => allocatePayment(session.requireWorkspace(), input)),
  /** Buyers with money to their credit and the account each paid from. */
  'payments.refunds': query(none, ({ session }) => refunds(session.requireWorkspace())),
  /** The refunds as a SEPA credit transfer file (pain.001) for the banking app. */
  'payments.refundsFile': action(refundsFileInput, async ({ session }, input): Promise<FileResult> => {
    const f = refundsFile(session.requireWorkspace(), input, session.uiLanguage())
    return fileResult(f.fileName, 'xml', Buffer.from(f.xml, 'utf8'))
  }),
  /** A CAMT.053 statement: booked once, matched where the reference, or the amount and name, say so. */
  'payments.importStatement': job(paymentJobs, 'payments.importStatement', z.object(uploadInput), { writes: true, topics: ['payments', 'invoices'] }, (_ctx, input) => input)
}
