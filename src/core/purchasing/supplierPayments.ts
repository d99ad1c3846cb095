import { z } from 'zod'
import { AppError } from '../../shared/errors.ts'
import type { Language } from '../../shared/reference.ts'
import { formatMoney } from '../common/text.ts'
import { amount, optionalText, requireMinor } from '../common/zod.ts'
import type { Workspace } from '../db/workspace.ts'
import { currencyDigits } from '../reference/reference.ts'
import { getOrganisation } from '../settings/organisation.ts'
import { assertRoundNotClosed } from '../rounds/rounds.ts'
import { listPurchaseOrders } from './purchaseOrders.ts'

/**
 * Money out to the exporter (issue 12, item 3): payments on a purchase order in the order's currency
 * (the prepayment and the balance of its payment terms), each recorded with what it actually cost in the
 * organisation's currency. The round's closing compares that with the goods' value at the customs rate
 * the landed cost used: the exchange difference.
 */

export interface SupplierPaymentRow {
  id: string
  paidOn: string
  amountMinor: number
  baseMinor: number
  /** The payment term it settles (before shipping, after arrival…), or null. */
  term: string | null
  note: string | null
}

export interface SupplierAccount {
  purchaseOrderId: string
  number: string
  supplierName: string
  status: string
  currency: string
  digits: number
  baseCurrency: string
  baseDigits: number
  /** What the order asks: the value of what was shipped of it, else its total. */
  dueMinor: number
  paidMinor: number
  paidBaseMinor: number
  openMinor: number
  terms: { id: string; label: string; amountMinor: number; dueDate: string | null; paidMinor: number }[]
  payments: SupplierPaymentRow[]
}

/** Each sent or confirmed purchase order of a round with what it asks, the payments made and what is open. */
export function supplierAccounts(ws: Workspace, roundId: string): SupplierAccount[] {
  const base = getOrganisation(ws).defaultCurrency
  const baseDigits = currencyDigits(ws, base)
  const payments = ws.db.prepare(
    `SELECT p.id, p.paid_on AS paidOn, p.amount_minor AS amountMinor, p.base_minor AS baseMinor, d.label AS term, p.note, p.payment_due_id AS dueId
     FROM supplier_payment p LEFT JOIN payment_due d ON d.id = p.payment_due_id
     WHERE p.purchase_order_id = ? AND p.deleted_at IS NULL ORDER BY p.paid_on, p.created_at`
  )
  const terms = ws.db.prepare(
    'SELECT id, label, amount_minor AS amountMinor, due_date AS dueDate FROM payment_due WHERE purchase_order_id = ? AND deleted_at IS NULL ORDER BY position'
  )
  return listPurchaseOrders(ws, roundId)
    .filter((po) => po.status !== 'draft')
    .map((po) => {
      const rows = payments.all(po.id) as (SupplierPaymentRow & { dueId: string | null })[]
      const paidMinor = rows.reduce((a, p) => a + p.amountMinor, 0)
      const dueMinor = po.shippedMinor ?? po.totalMinor
      return {
        purchaseOrderId: po.id,
        number: po.number,
        supplierName: po.supplierShortName,
        status: po.status,
        currency: po.currency,
        digits: currencyDigits(ws, po.currency),
        baseCurrency: base,
        baseDigits,
        dueMinor,
        paidMinor,
        paidBaseMinor: rows.reduce((a, p) => a + p.baseMinor, 0),
        openMinor: dueMinor - paidMinor,
        terms: (terms.all(po.id) as { id: string; label: string; amountMinor: number; dueDate: string | null }[]).map((t) => ({
          ...t,
          paidMinor: rows.filter((p) => p.dueId === t.id).reduce((a, p) => a + p.amountMinor, 0)
        })),
        payments: rows.map(({ dueId: _dueId, ...p }) => p)
      }
    })
}

export const supplierPaymentInput = z.object({
  purchaseOrderId: z.uuid(),
  /** The payment term it settles, if any. */
  paymentDueId: z.uuid().nullish(),
  paidOn: z.string().pipe(z.iso.date({ message: 'date' })),
  /** In the order's currency. */
  amount: amount(),
  /** What it cost in the organisation's currency (the euros that left the account); the same as amount when the order is in it. */
  baseAmount: amount().optional(),
  note: optionalText(500)
})

/**
 * Records a payment to the exporter. Refused, with nothing booked: a draft order, a payment larger than
 * what is open on the order (a typo more often than not), a term of another order, a missing amount in
 * the organisation's currency when the order is in another one, a closed round.
 */
export function recordSupplierPayment(ws: Workspace, input: z.output<typeof supplierPaymentInput>, lang: Language): { id: string } {
  const po = ws.db
    .prepare('SELECT id, round_id AS roundId, status, currency, number FROM purchase_order WHERE id = ? AND deleted_at IS NULL')
    .get(input.purchaseOrderId) as { id: string; roundId: string; status: string; currency: string; number: string } | undefined
  if (!po) throw new AppError('record.not_found', { id: input.purchaseOrderId })
  assertRoundNotClosed(ws, po.roundId)
  if (po.status === 'draft') throw new AppError('supplierPayments.draft', { number: po.number })
  const account = supplierAccounts(ws, po.roundId).find((a) => a.purchaseOrderId === po.id)!
  const amountMinor = requireMinor(input.amount, account.digits, 'amount', { positive: true })
  const sameCurrency = po.currency === account.baseCurrency
  if (!sameCurrency && input.baseAmount === undefined) throw new AppError('validation', { fields: { baseAmount: { code: 'required' } } })
  const baseMinor = sameCurrency ? amountMinor : requireMinor(input.baseAmount!, account.baseDigits, 'baseAmount', { positive: true })
  if (amountMinor > account.openMinor)
    throw new AppError('supplierPayments.too_large', {
      amount: formatMoney(amountMinor, account.digits, po.currency, lang),
      open: formatMoney(Math.max(0, account.openMinor), account.digits, po.currency, lang),
      number: po.number
    })
  if (input.paymentDueId && !account.terms.some((t) => t.id === input.paymentDueId)) throw new AppError('record.not_found', { id: input.paymentDueId })
  const id = ws.env.uuid()
  ws.write.insert('supplier_payment', {
    id,
    purchase_order_id: po.id,
    payment_due_id: input.paymentDueId ?? null,
    paid_on: input.paidOn,
    amount_minor: amountMinor,
    currency: po.currency,
    base_minor: baseMinor,
    base_currency: account.baseCurrency,
    note: input.note ?? null
  })
  // A term paid in full is marked paid (the day of the payment that completed it).
  const term = input.paymentDueId ? account.terms.find((t) => t.id === input.paymentDueId) : null
  if (term && term.paidMinor + amountMinor >= term.amountMinor) ws.write.update('payment_due', term.id, { paid_at: input.paidOn })
  return { id }
}

/** Removes a payment entered by mistake (the screen asks first); refused once the round is closed. */
export function deleteSupplierPayment(ws: Workspace, id: string): void {
  const row = ws.db
    .prepare(
      `SELECT p.id, p.payment_due_id AS dueId, po.round_id AS roundId FROM supplier_payment p JOIN purchase_order po ON po.id = p.purchase_order_id
       WHERE p.id = ? AND p.deleted_at IS NULL`
    )
    .get(id) as { id: string; dueId: string | null; roundId: string } | undefined
  if (!row) throw new AppError('record.not_found', { id })
  assertRoundNotClosed(ws, row.roundId)
  ws.write.tombstone('supplier_payment', id)
  // The term it settled is open again unless what is left still pays it in full.
  if (row.dueId) {
    const term = ws.db
      .prepare(
        `SELECT d.amount_minor AS due, coalesce((SELECT sum(p.amount_minor) FROM supplier_payment p WHERE p.payment_due_id = d.id AND p.deleted_at IS NULL), 0) AS paid
         FROM payment_due d WHERE d.id = ?`
      )
      .get(row.dueId) as { due: number; paid: number }
    if (term.paid < term.due) ws.write.update('payment_due', row.dueId, { paid_at: null })
  }
}
