import { z } from 'zod'
import { job, mutation, none, query } from '../api/define.ts'
import { uploadInput } from '../spreadsheets/files.ts'
import { paymentJobs } from './jobs.ts'
import { allocateInput, allocatePayment, buyerBalances, listPayments } from './payments.ts'

/** Money in: bank statements imported and matched, payments matched by hand, buyers' balances (issue 12). */
export const paymentMethods = {
  'payments.list': query(none, ({ session }) => listPayments(session.requireWorkspace())),
  'payments.balances': query(none, ({ session }) => buyerBalances(session.requireWorkspace())),
  'payments.allocate': mutation(['payments', 'invoices'], allocateInput, ({ session }, input) => allocatePayment(session.requireWorkspace(), input)),
  /** A CAMT.053 statement: booked once, matched where the reference, or the amount and name, say so. */
  'payments.importStatement': job(paymentJobs, 'payments.importStatement', z.object(uploadInput), { writes: true, topics: ['payments', 'invoices'] }, (_ctx, input) => input)
}
