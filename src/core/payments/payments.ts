import { createHash } from 'node:crypto'
import { z } from 'zod'
import { AppError } from '../../shared/errors.ts'
import { resources } from '../../shared/i18n/index.ts'
import type { Language } from '../../shared/reference.ts'
import { stamp } from '../common/env.ts'
import { addDays } from '../common/time.ts'
import { fill, formatMoney, safeFileName } from '../common/text.ts'
import { amount, optionalText, requireMinor } from '../common/zod.ts'
import { currencyDigits } from '../reference/reference.ts'
import { getOrganisation } from '../settings/organisation.ts'
import type { Progress } from '../common/progress.ts'
import { noProgress } from '../common/progress.ts'
import type { Workspace } from '../db/workspace.ts'
import { normalizeCreditorReference } from '../invoices/creditorReference.ts'
import type { ReminderDocument } from '../invoices/model.ts'
import { type CamtTransaction, parseCamt053 } from './camt.ts'
import { sepaCreditTransferXml } from './pain001.ts'
import { parseStatementCsv } from './statementCsv.ts'

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
  issueDate: string
  dueDate: string | null
}

/** Issued documents with money still open, oldest first. */
function openDocuments(ws: Workspace): OpenDocument[] {
  return (
    ws.db
      .prepare(
        `SELECT i.id, i.buyer_id AS buyerId, b.name AS buyerName, i.number, i.payment_reference AS reference, i.currency,
           i.kind, i.issue_date AS issueDate, i.due_date AS dueDate,
           (CASE i.kind WHEN 'deposit' THEN i.gross_minor ELSE i.due_minor END)
             - coalesce((SELECT sum(a.amount_minor) FROM payment_allocation a WHERE a.invoice_id = i.id AND a.deleted_at IS NULL), 0) AS openMinor
         FROM invoice i JOIN buyer b ON b.id = i.buyer_id
         WHERE i.status = 'issued' AND i.kind IN ('deposit', 'invoice') AND i.deleted_at IS NULL
           AND NOT EXISTS (SELECT 1 FROM invoice c WHERE c.credits_id = i.id AND c.status = 'issued' AND c.deleted_at IS NULL)
           -- Once the round's final invoice is issued it asks for everything (less the deposit paid): the
           -- deposit request asks for nothing more.
           AND NOT (i.kind = 'deposit' AND EXISTS (
             SELECT 1 FROM invoice f WHERE f.buyer_id = i.buyer_id AND f.round_id = i.round_id AND f.kind = 'invoice' AND f.status = 'issued' AND f.deleted_at IS NULL
               AND NOT EXISTS (SELECT 1 FROM invoice c WHERE c.credits_id = f.id AND c.status = 'issued' AND c.deleted_at IS NULL)))
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

/** The open documents, indexed for matching: by RF reference, by number, by amount; buyers' names simplified once. */
interface Matcher {
  byReference: Map<string, OpenDocument>
  byNumber: Map<string, OpenDocument>
  byAmount: Map<number, { doc: OpenDocument; name: string }[]>
}

function matcher(docs: readonly OpenDocument[]): Matcher {
  const m: Matcher = { byReference: new Map(), byNumber: new Map(), byAmount: new Map() }
  for (const d of docs) {
    if (d.reference) m.byReference.set(d.reference, d)
    m.byNumber.set(d.number, d)
    const list = m.byAmount.get(d.openMinor) ?? []
    list.push({ doc: d, name: simplify(d.buyerName) })
    m.byAmount.set(d.openMinor, list)
  }
  return m
}

/** The documents a transaction names (by RF reference or number), in the order it names them; none already settled. */
function named(t: CamtTransaction, m: Matcher): OpenDocument[] {
  const text = `${t.creditorReference ?? ''} ${t.remittance ?? ''}`.toUpperCase()
  const found: OpenDocument[] = []
  const add = (d: OpenDocument | undefined) => {
    if (d && d.openMinor > 0 && !found.includes(d)) found.push(d)
  }
  for (const r of text.replace(/\s+/g, '').matchAll(RF)) add(m.byReference.get(normalizeCreditorReference(r[0])))
  for (const n of text.matchAll(NUMBER)) add(m.byNumber.get(n[0]))
  return found
}

/** The one open document of this amount whose buyer the payer's name matches, if exactly one. */
function byAmountAndName(t: CamtTransaction, m: Matcher): OpenDocument | null {
  if (!t.counterparty) return null
  const payer = simplify(t.counterparty)
  if (!payer) return null
  const hits = (m.byAmount.get(t.amountMinor) ?? []).filter(
    (c) => c.doc.openMinor === t.amountMinor && c.doc.currency === t.currency && c.name.length > 0 && (payer.includes(c.name) || c.name.includes(payer))
  )
  return hits.length === 1 ? hits[0]!.doc : null
}

/** Whether a file is XML (a CAMT statement) rather than text rows (a CSV statement): its first character, after a BOM and white space. */
function isXml(bytes: Uint8Array): boolean {
  for (let i = 0; i < Math.min(bytes.length, 1024); i++) {
    const b = bytes[i]!
    if (b === 0xef || b === 0xbb || b === 0xbf || b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d) continue
    return b === 0x3c
  }
  return false
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
 * Imports a bank statement (CAMT.053, or a bank's CSV export) in one transaction: each transaction not booked before becomes a
 * payment; payments received are matched where they can be. Importing the same statement twice books
 * nothing the second time.
 */
export function importStatement(ws: Workspace, input: { fileName: string; data: Uint8Array }, progress: Progress = noProgress): ImportResult {
  progress('read', 0, 0)
  const statements = isXml(input.data) ? parseCamt053(input.data) : parseStatementCsv(input.data)
  const sha = createHash('sha256').update(input.data).digest('hex')
  const total = statements.reduce((a, s) => a + s.transactions.length, 0)
  return ws.db.transaction(() => {
    const known = ws.db.prepare('SELECT 1 FROM payment WHERE entry_key = ?').pluck()
    // A refund made from the transfer file names its buyer in the end-to-end id (see refundsFile).
    const buyerIds = ws.db.prepare('SELECT id FROM buyer').pluck().all() as string[]
    const refundBuyer = (endToEndId: string | null): string | null => {
      const tail = endToEndId?.match(/^PUENTE-REFUND-([0-9A-F]{12})$/)?.[1]
      return tail ? (buyerIds.find((b) => refundTail(b) === tail) ?? null) : null
    }
    const match = matcher(openDocuments(ws))
    const result: ImportResult = { booked: 0, matched: 0, unmatched: 0, skipped: 0 }
    const seen = new Set<string>()
    const payments: Record<string, string | number | null>[] = []
    const allocations: Record<string, string | number>[] = []
    let done = 0
    for (const s of statements) {
      const statementId = ws.env.uuid()
      ws.write.insert('bank_statement', { id: statementId, account_iban: s.accountIban, statement_ref: s.id, file_name: input.fileName.slice(0, 200), file_sha256: sha, from_on: s.fromOn, to_on: s.toOn })
      for (const t of s.transactions) {
        progress('check', ++done, total)
        if (seen.has(t.key) || known.get(t.key)) {
          result.skipped++
          continue
        }
        seen.add(t.key)
        const id = ws.env.uuid()
        let buyerId: string | null = null
        if (t.direction === 'out') buyerId = refundBuyer(t.endToEndId)
        if (t.direction === 'in') {
          const targets = named(t, match)
          if (targets.length === 0) {
            const one = byAmountAndName(t, match)
            if (one) targets.push(one)
          }
          if (targets.length === 0) result.unmatched++
          else {
            for (const [documentId, amountMinor] of settle(t.amountMinor, targets)) allocations.push({ id: ws.env.uuid(), payment_id: id, invoice_id: documentId, amount_minor: amountMinor })
            buyerId = targets[0]!.buyerId
            result.matched++
          }
        }
        payments.push({
          id,
          direction: t.direction,
          method: 'bank',
          buyer_id: buyerId,
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
      }
    }
    progress('write', 0, 0)
    // All of a statement's payments and their matches in two statements each (see Writer.insertMany).
    ws.write.insertMany('payment', payments)
    ws.write.insertMany('payment_allocation', allocations)
    return result
  })()
}

/** How a payment splits over documents in order: at most what is open on each (the rest stays the buyer's credit). */
function settle(amountMinor: number, targets: OpenDocument[]): [string, number][] {
  const parts: [string, number][] = []
  let left = amountMinor
  for (const d of targets) {
    if (left <= 0) break
    const part = Math.min(left, d.openMinor)
    if (part <= 0) continue
    parts.push([d.id, part])
    d.openMinor -= part
    left -= part
  }
  return parts
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
  for (const [documentId, amountMinor] of settle(p.amount, targets as OpenDocument[]))
    ws.write.insert('payment_allocation', { id: ws.env.uuid(), payment_id: p.id, invoice_id: documentId, amount_minor: amountMinor })
  ws.write.update('payment', p.id, { buyer_id: input.buyerId })
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
  if (!org.iban) throw new AppError('payments.no_iban')
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
      endToEndId: `PUENTE-REFUND-${refundTail(r.buyerId)}`,
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

/** The last 12 hex digits of a buyer's id, upper case: what a refund's end-to-end id carries. */
const refundTail = (buyerId: string) => buyerId.replace(/-/g, '').slice(-12).toUpperCase()

export const recordPaymentInput = z.object({
  buyerId: z.uuid(),
  /** Received from the buyer, or paid out to it (a refund of its credit). */
  direction: z.enum(['in', 'out']),
  method: z.enum(['bank', 'cash']),
  amount: amount(),
  paidOn: z.string().pipe(z.iso.date({ message: 'date' })),
  note: optionalText(500),
  /** The documents a payment received settles, in this order (none: the buyer's open documents, oldest first); the rest is the buyer's credit. */
  invoiceIds: z.array(z.uuid()).max(200).default([])
})

/**
 * Records a payment by hand: cash at the hub, or a transfer not on an imported statement. Received, it
 * settles the documents chosen (or the buyer's oldest open ones) and the rest stays as the buyer's credit;
 * paid out, it refunds the buyer's credit and may not exceed it. Refused with nothing booked otherwise.
 */
export function recordPayment(ws: Workspace, input: z.output<typeof recordPaymentInput>, lang: Language): { id: string } {
  const buyer = ws.db.prepare('SELECT id FROM buyer WHERE id = ? AND deleted_at IS NULL').get(input.buyerId)
  if (!buyer) throw new AppError('record.not_found', { id: input.buyerId })
  const currency = getOrganisation(ws).defaultCurrency
  const digits = currencyDigits(ws, currency)
  const minor = requireMinor(input.amount, digits, 'amount', { positive: true })
  const id = ws.env.uuid()
  const allocations: [string, number][] = []
  if (input.direction === 'out') {
    const credit = -(buyerBalances(ws).find((b) => b.buyerId === input.buyerId)?.balanceMinor ?? 0)
    if (minor > credit)
      throw new AppError('payments.refund_too_large', { amount: formatMoney(minor, digits, currency, lang), credit: formatMoney(Math.max(0, credit), digits, currency, lang) })
  } else {
    const open = openDocuments(ws).filter((d) => d.buyerId === input.buyerId)
    const targets = input.invoiceIds.length ? input.invoiceIds.map((i) => open.find((d) => d.id === i)) : open
    if (targets.some((d) => !d)) throw new AppError('payments.not_buyers')
    allocations.push(...settle(minor, targets as OpenDocument[]))
  }
  ws.write.insert('payment', {
    id,
    direction: input.direction,
    method: input.method,
    buyer_id: input.buyerId,
    amount_minor: minor,
    currency,
    booked_on: input.paidOn,
    note: input.note ?? null
  })
  for (const [documentId, amountMinor] of allocations) ws.write.insert('payment_allocation', { id: ws.env.uuid(), payment_id: id, invoice_id: documentId, amount_minor: amountMinor })
  return { id }
}

export interface Overdue {
  id: string
  number: string
  kind: 'deposit' | 'invoice'
  buyerId: string
  buyerName: string
  dueDate: string
  openMinor: number
  currency: string
}

/** Issued deposit requests and invoices past their due day with money open, the longest overdue first. */
export function overdueDocuments(ws: Workspace, today: string): Overdue[] {
  return openDocuments(ws)
    .filter((d) => d.dueDate !== null && d.dueDate < today)
    .map((d) => ({ id: d.id, number: d.number, kind: d.kind, buyerId: d.buyerId, buyerName: d.buyerName, dueDate: d.dueDate!, openMinor: d.openMinor, currency: d.currency }))
    .sort((a, b) => a.dueDate.localeCompare(b.dueDate) || a.number.localeCompare(b.number))
}

export const reminderInput = z.object({ buyerId: z.uuid() })

/** Days a buyer has to pay after a reminder. */
const REMINDER_DAYS = 7

/**
 * A payment reminder for a buyer, in its language: every document it has open (overdue or not), their
 * sum, a day to pay by. Refused when the buyer has nothing open.
 */
export function reminderDocument(ws: Workspace, buyerId: string, today: string): ReminderDocument {
  const items = openDocuments(ws).filter((d) => d.buyerId === buyerId)
  if (items.length === 0) throw new AppError('payments.nothing_open')
  const org = getOrganisation(ws)
  if (!org.iban) throw new AppError('payments.no_iban')
  const b = ws.db
    .prepare('SELECT name, street, postal_code AS postalCode, city, country, language, vat_id AS vatId, buyer_reference AS reference FROM buyer WHERE id = ?')
    .get(buyerId) as { name: string; street: string | null; postalCode: string | null; city: string | null; country: string; language: Language; vatId: string | null; reference: string | null }
  return {
    language: b.language,
    currency: items[0]!.currency,
    issueDate: today,
    payBy: addDays(today, REMINDER_DAYS),
    seller: {
      name: org.name,
      street: org.street ?? '',
      postalCode: org.postalCode ?? '',
      city: org.city ?? '',
      country: org.country,
      vatId: org.vatId,
      taxNumber: org.taxNumber,
      iban: org.iban,
      bic: org.bic,
      bankName: org.bankName,
      email: org.email,
      phone: org.phone,
      smallBusiness: org.smallBusiness
    },
    buyer: { name: b.name, street: b.street ?? '', postalCode: b.postalCode ?? '', city: b.city ?? '', country: b.country, vatId: b.vatId, reference: b.reference },
    items: items.map((d) => ({ number: d.number, kind: d.kind, issueDate: d.issueDate, dueDate: d.dueDate, openMinor: d.openMinor })),
    totalMinor: items.reduce((a, d) => a + d.openMinor, 0)
  }
}
