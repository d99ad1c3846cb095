import { createHash } from 'node:crypto'
import { z } from 'zod'
import { AppError } from '../../shared/errors.ts'
import { resources } from '../../shared/i18n/index.ts'
import type { Language } from '../../shared/reference.ts'
import { stamp } from '../common/env.ts'
import { fill, safeFileName } from '../common/text.ts'
import { getOrganisation } from '../settings/organisation.ts'
import type { Progress } from '../common/progress.ts'
import { noProgress } from '../common/progress.ts'
import type { Workspace } from '../db/workspace.ts'
import { normalizeCreditorReference } from '../invoices/creditorReference.ts'
import { type CamtTransaction, parseCamt053 } from './camt.ts'
import { sepaCreditTransferXml } from './pain001.ts'

/**
 * Money in (issue 12): bank statements imported and matched to deposit requests and invoices, payments
 * matched by hand, and what each buyer still owes or has to its credit.
 *
 * Matching a payment received, in this order:
 * 1. by reference: the RF creditor reference the payer gave (structured, or written in the text), or a
 *    document number in the text (RE-2026-00012, AN-…);
 * 2. by amount and name: exactly one open document of that amount whose buyer's name the payer's name
 *    contains (or the other way round);
 * 3. else it waits in the inbox to be matched by hand.
 * What a payment settles is at most what is open on each document; the rest stays as the buyer's credit.
 */

/** A document that can be paid: an issued deposit request, or an issued invoice with something due. */
interface OpenDocument {
  id: string
  kind: 'deposit' | 'invoice'
  buyerId: string
  buyerName: string
  number: string
  reference: string | null
  currency: string
  openMinor: number
}

/** Issued documents with money still open, oldest first. */
function openDocuments(ws: Workspace): OpenDocument[] {
  return (
    ws.db
      .prepare(
        `SELECT i.id, i.kind, i.buyer_id AS buyerId, b.name AS buyerName, i.number, i.payment_reference AS reference, i.currency,
           (CASE i.kind WHEN 'deposit' THEN i.gross_minor ELSE i.due_minor END)
             - coalesce((SELECT sum(a.amount_minor) FROM payment_allocation a WHERE a.invoice_id = i.id AND a.deleted_at IS NULL), 0) AS openMinor
         FROM invoice i JOIN buyer b ON b.id = i.buyer_id
         WHERE i.status = 'issued' AND i.kind IN ('deposit', 'invoice') AND i.deleted_at IS NULL
           AND NOT EXISTS (SELECT 1 FROM invoice c WHERE c.credits_id = i.id AND c.status = 'issued' AND c.deleted_at IS NULL)
         ORDER BY i.seq`
      )
      .all() as OpenDocument[]
  ).filter((d) => d.openMinor > 0)
}

export const openDocumentsInput = z.object({ buyerId: z.uuid() })

/** A buyer's documents with money still open, oldest first: what a payment can be matched to by hand. */
export function buyerOpenDocuments(
  ws: Workspace,
  input: z.output<typeof openDocumentsInput>
): { id: string; kind: 'deposit' | 'invoice'; number: string; currency: string; openMinor: number }[] {
  return openDocuments(ws)
    .filter((d) => d.buyerId === input.buyerId)
    .map((d) => ({ id: d.id, kind: d.kind, number: d.number, currency: d.currency, openMinor: d.openMinor }))
}

const RF = /RF\d{2}[A-Z0-9]{1,21}/g
const NUMBER = /[A-Z]{1,4}-\d{4}-[A-Z]{0,3}\d{3,}/g

const simplify = (s: string) =>
  s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()

/** The documents a transaction names (by RF reference or number), in the order it names them. */
function named(t: CamtTransaction, docs: readonly OpenDocument[]): OpenDocument[] {
  const text = `${t.creditorReference ?? ''} ${t.remittance ?? ''}`.toUpperCase()
  const refs = new Set([...text.replace(/\s+/g, '').matchAll(RF)].map((m) => normalizeCreditorReference(m[0])))
  const numbers = new Set([...text.matchAll(NUMBER)].map((m) => m[0]))
  return docs.filter((d) => (d.reference !== null && refs.has(d.reference)) || numbers.has(d.number))
}

/** The one open document of this amount whose buyer the payer's name matches, if exactly one. */
function byAmountAndName(t: CamtTransaction, docs: readonly OpenDocument[]): OpenDocument | null {
  if (!t.counterparty) return null
  const payer = simplify(t.counterparty)
  if (!payer) return null
  const hits = docs.filter((d) => {
    if (d.openMinor !== t.amountMinor || d.currency !== t.currency) return false
    const buyer = simplify(d.buyerName)
    return buyer.length > 0 && (payer.includes(buyer) || buyer.includes(payer))
  })
  return hits.length === 1 ? hits[0]! : null
}

export interface ImportResult {
  /** Transactions booked now (the ones of an earlier import of the same entries are left out). */
  booked: number
  /** Of those received: matched in full or in part to documents, and still waiting for a match. */
  matched: number
  unmatched: number
  /** Already booked by an earlier import. */
  skipped: number
}

/**
 * Imports a CAMT.053 statement in one transaction: each transaction not booked before becomes a
 * payment; payments received are matched where they can be. Importing the same statement twice books
 * nothing the second time.
 */
export function importStatement(ws: Workspace, input: { fileName: string; data: Uint8Array }, progress: Progress = noProgress): ImportResult {
  progress('read', 0, 0)
  const statements = parseCamt053(input.data)
  const sha = createHash('sha256').update(input.data).digest('hex')
  const total = statements.reduce((a, s) => a + s.transactions.length, 0)
  return ws.db.transaction(() => {
    const known = ws.db.prepare('SELECT 1 FROM payment WHERE entry_key = ?').pluck()
    const docs = openDocuments(ws)
    const result: ImportResult = { booked: 0, matched: 0, unmatched: 0, skipped: 0 }
    let done = 0
    for (const s of statements) {
      const statementId = ws.env.uuid()
      ws.write.insert('bank_statement', { id: statementId, account_iban: s.accountIban, statement_ref: s.id, file_name: input.fileName.slice(0, 200), file_sha256: sha, from_on: s.fromOn, to_on: s.toOn })
      for (const t of s.transactions) {
        progress('write', ++done, total)
        if (known.get(t.key)) {
          result.skipped++
          continue
        }
        const id = ws.env.uuid()
        ws.write.insert('payment', {
          id,
          direction: t.direction,
          method: 'bank',
          amount_minor: t.amountMinor,
          currency: t.currency,
          booked_on: t.bookedOn,
          counterparty: t.counterparty?.slice(0, 200) ?? null,
          counterparty_iban: t.counterpartyIban?.slice(0, 34) ?? null,
          reference: (t.creditorReference ?? t.remittance)?.slice(0, 500) ?? null,
          statement_id: statementId,
          entry_key: t.key
        })
        result.booked++
        if (t.direction !== 'in') continue
        const targets = named(t, docs)
        if (targets.length === 0) {
          const one = byAmountAndName(t, docs)
          if (one) targets.push(one)
        }
        if (targets.length === 0) {
          result.unmatched++
          continue
        }
        settle(ws, id, t.amountMinor, targets)
        result.matched++
      }
    }
    return result
  })()
}

/** Allocates a payment over documents in order, at most what is open on each; the buyer is the first one's. */
function settle(ws: Workspace, paymentId: string, amountMinor: number, targets: OpenDocument[]): void {
  let left = amountMinor
  for (const d of targets) {
    if (left <= 0) break
    const part = Math.min(left, d.openMinor)
    if (part <= 0) continue
    ws.write.insert('payment_allocation', { id: ws.env.uuid(), payment_id: paymentId, invoice_id: d.id, amount_minor: part })
    d.openMinor -= part
    left -= part
  }
  ws.write.update('payment', paymentId, { buyer_id: targets[0]!.buyerId })
}

export interface PaymentRow {
  id: string
  direction: 'in' | 'out'
  method: 'bank' | 'cash'
  bookedOn: string
  amountMinor: number
  currency: string
  counterparty: string | null
  counterpartyIban: string | null
  reference: string | null
  buyerId: string | null
  buyerName: string | null
  /** What of it settles documents, and the numbers of those. */
  allocatedMinor: number
  documents: string[]
}

/** Payments, those received and not yet matched first, then the newest. */
export function listPayments(ws: Workspace): PaymentRow[] {
  const rows = ws.db
    .prepare(
      `SELECT p.id, p.direction, p.method, p.booked_on AS bookedOn, p.amount_minor AS amountMinor, p.currency, p.counterparty,
         p.counterparty_iban AS counterpartyIban, p.reference, p.buyer_id AS buyerId, b.name AS buyerName,
         coalesce((SELECT sum(a.amount_minor) FROM payment_allocation a WHERE a.payment_id = p.id AND a.deleted_at IS NULL), 0) AS allocatedMinor,
         (SELECT group_concat(i.number, ', ') FROM payment_allocation a JOIN invoice i ON i.id = a.invoice_id WHERE a.payment_id = p.id AND a.deleted_at IS NULL) AS documents
       FROM payment p LEFT JOIN buyer b ON b.id = p.buyer_id
       WHERE p.deleted_at IS NULL
       ORDER BY (p.direction = 'in' AND p.buyer_id IS NULL) DESC, p.booked_on DESC, p.created_at DESC`
    )
    .all() as (Omit<PaymentRow, 'documents'> & { documents: string | null })[]
  return rows.map((r) => ({ ...r, documents: r.documents ? r.documents.split(', ') : [] }))
}

export const allocateInput = z.object({
  paymentId: z.uuid(),
  /** The buyer who paid (their credit keeps what no document takes). */
  buyerId: z.uuid(),
  /** Documents to settle, in order; each takes at most what is open on it. */
  invoiceIds: z.array(z.uuid()).max(50)
})

/**
 * Matches a payment received by hand: to a buyer, and over the documents chosen. Refused when one of
 * them is not the buyer's, or the payment is matched already.
 */
export function allocatePayment(ws: Workspace, input: z.output<typeof allocateInput>): { id: string } {
  const p = ws.db.prepare("SELECT id, amount_minor AS amount, buyer_id AS buyerId FROM payment WHERE id = ? AND direction = 'in' AND deleted_at IS NULL").get(input.paymentId) as
    | { id: string; amount: number; buyerId: string | null }
    | undefined
  if (!p) throw new AppError('record.not_found', { id: input.paymentId })
  if (p.buyerId !== null) throw new AppError('payments.already_matched')
  const docs = openDocuments(ws)
  const targets = input.invoiceIds.map((id) => docs.find((d) => d.id === id))
  if (targets.some((d) => !d || d.buyerId !== input.buyerId)) throw new AppError('payments.not_buyers')
  if (targets.length === 0) ws.write.update('payment', p.id, { buyer_id: input.buyerId })
  else settle(ws, p.id, p.amount, targets as OpenDocument[])
  return { id: p.id }
}

export interface BuyerBalance {
  buyerId: string
  buyerName: string
  /** Issued documents' amounts due (deposit requests and invoices less credit notes). */
  invoicedMinor: number
  /** Money received from the buyer, and paid out to it. */
  receivedMinor: number
  paidOutMinor: number
  /** What the buyer owes (positive) or has to its credit (negative). */
  balanceMinor: number
}

/**
 * Each buyer's balance across rounds: what it was asked (its final invoices' gross, credit notes
 * deducted; for a round not invoiced yet, its deposit request) less what it paid, plus what was paid
 * out to it. Once a round's final invoice is issued, it asks the whole gross and the deposit paid counts
 * as a payment towards it; the deposit request no longer counts.
 */
export function buyerBalances(ws: Workspace): BuyerBalance[] {
  const rows = ws.db
    .prepare(
      `SELECT b.id AS buyerId, b.name AS buyerName,
         coalesce((SELECT sum(CASE i.kind WHEN 'credit_note' THEN -i.gross_minor ELSE i.gross_minor END) FROM invoice i
                   WHERE i.buyer_id = b.id AND i.status = 'issued' AND i.deleted_at IS NULL
                     AND (i.kind IN ('invoice', 'credit_note')
                       OR (i.kind = 'deposit' AND NOT EXISTS (
                         SELECT 1 FROM invoice f WHERE f.buyer_id = i.buyer_id AND f.round_id = i.round_id AND f.kind = 'invoice'
                           AND f.status = 'issued' AND f.deleted_at IS NULL)))), 0) AS invoicedMinor,
         coalesce((SELECT sum(p.amount_minor) FROM payment p WHERE p.buyer_id = b.id AND p.direction = 'in' AND p.deleted_at IS NULL), 0) AS receivedMinor,
         coalesce((SELECT sum(p.amount_minor) FROM payment p WHERE p.buyer_id = b.id AND p.direction = 'out' AND p.deleted_at IS NULL), 0) AS paidOutMinor
       FROM buyer b WHERE b.deleted_at IS NULL ORDER BY b.name COLLATE NOCASE`
    )
    .all() as Omit<BuyerBalance, 'balanceMinor'>[]
  return rows
    .map((r) => ({ ...r, balanceMinor: r.invoicedMinor - r.receivedMinor + r.paidOutMinor }))
    .filter((r) => r.invoicedMinor !== 0 || r.receivedMinor !== 0 || r.paidOutMinor !== 0)
}

export interface Refund {
  buyerId: string
  buyerName: string
  amountMinor: number
  /** The account the buyer paid from last, or null: then it cannot go into the transfer file. */
  iban: string | null
}

/** Buyers with money to their credit (a negative balance), and the account each last paid from. */
export function refunds(ws: Workspace): Refund[] {
  const iban = ws.db.prepare(
    "SELECT counterparty_iban FROM payment WHERE buyer_id = ? AND direction = 'in' AND counterparty_iban IS NOT NULL AND deleted_at IS NULL ORDER BY booked_on DESC, created_at DESC LIMIT 1"
  )
  return buyerBalances(ws)
    .filter((b) => b.balanceMinor < 0)
    .map((b) => ({ buyerId: b.buyerId, buyerName: b.buyerName, amountMinor: -b.balanceMinor, iban: (iban.pluck().get(b.buyerId) as string | undefined) ?? null }))
}

export const refundsFileInput = z.object({ executionDate: z.string().pipe(z.iso.date({ message: 'date' })) })

/**
 * The refunds as a SEPA credit transfer file (pain.001) for the banking app: every buyer with money to
 * its credit and a known account, from the organisation's account, each transfer's end-to-end id naming
 * the buyer ("PUENTE-REFUND-…") so that the statement shows what it was. Nothing is booked: the bank
 * statement books the transfers when they are made.
 */
export function refundsFile(ws: Workspace, input: z.output<typeof refundsFileInput>, lang: Language): { fileName: string; xml: string; count: number } {
  const org = getOrganisation(ws)
  if (!org.iban) throw new AppError('invoices.not_ready', { buyer: org.name, missing: resources[lang].translation.invoiceProblems.organisation_iban })
  const list = refunds(ws).filter((r) => r.iban !== null)
  if (list.length === 0) throw new AppError('payments.no_refunds')
  const now = stamp(ws.env)
  const text = resources[lang].translation.paymentTexts
  const xml = sepaCreditTransferXml({
    messageId: `PUENTE-${now.replace(/\D/g, '').slice(0, 14)}`,
    createdAt: now,
    executionDate: input.executionDate,
    debtor: { name: org.name, iban: org.iban, bic: org.bic },
    transfers: list.map((r) => ({
      endToEndId: `PUENTE-REFUND-${r.buyerId.replace(/-/g, '').slice(-12).toUpperCase()}`,
      amountMinor: r.amountMinor,
      currency: 'EUR',
      creditorName: r.buyerName,
      creditorIban: r.iban!,
      creditorBic: null,
      remittance: fill(text.refundRemittance, { organisation: org.name })
    }))
  })
  return { fileName: `${safeFileName(fill(text.refundsFileName, { day: input.executionDate }))}.xml`, xml, count: list.length }
}
