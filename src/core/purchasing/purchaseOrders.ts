import { z } from 'zod'
import { AppError } from '../../shared/errors.ts'
import { LANGUAGES } from '../../shared/reference.ts'
import { INCOTERMS, PAYMENT_LABELS, type PaymentLabel, type PurchaseOrderStatus } from '../../shared/vocabulary.ts'
import type { Workspace } from '../db/workspace.ts'
import { stamp } from '../common/env.ts'
import { largestRemainder } from '../common/money.ts'
import { fieldError } from '../common/records.ts'
import { optionalDate, percent } from '../common/zod.ts'
import { getRound } from '../rounds/rounds.ts'
import { consolidate } from '../consolidation/consolidate.ts'


/** A calendar day as YYYY-MM-DD that exists (no 30 February); empty is null. */
const day = optionalDate()


/** The terms a new purchase order gets unless told otherwise. */
export const DEFAULT_TERMS = [
  { label: 'before_shipping', sharePercent: 60, dueDate: null },
  { label: 'after_arrival', sharePercent: 40, dueDate: null }
] as const

/**
 * Payment terms as shares of the total, e.g. 60 % before shipping and 40 % after arrival: whole percents
 * that add up to 100, or no terms at all.
 */
export const paymentTermsSchema = z
  .array(
    z.object({
      label: z.enum(PAYMENT_LABELS),
      sharePercent: percent,
      dueDate: day
    })
  )
  .max(6)
  .superRefine((terms, ctx) => {
    const sum = terms.reduce((a, x) => a + x.sharePercent, 0)
    if (terms.length > 0 && sum !== 100) ctx.addIssue({ code: 'custom', message: 'share_sum', params: { sum } })
  })
export type PaymentTerm = z.output<typeof paymentTermsSchema>[number]

export const createPurchaseOrdersInput = z.object({
  roundId: z.uuid(),
  incoterm: z.enum(INCOTERMS).default('FCA'),
  incotermPlace: z.string().trim().max(120).nullish().transform((s) => s || null),
  shipDate: day,
  /** Absent: a new order gets DEFAULT_TERMS, a draft being refreshed keeps the terms it has. */
  terms: paymentTermsSchema.optional()
})

export interface PurchaseOrderSummary {
  id: string
  number: string
  supplierId: string
  supplierName: string
  status: PurchaseOrderStatus
  /** The language of its PDF and XLSX. */
  language: 'de' | 'es' | 'en'
  currency: string
  totalMinor: number
  lines: number
}

/** The next number of a series in a year: PO-2026-0001, … (kept in the workspace, never reused). */
function nextNumber(ws: Workspace, series: string, year: number): string {
  const row = ws.db.prepare('SELECT next FROM number_series WHERE series = ? AND year = ?').get(series, year) as { next: number } | undefined
  const n = row?.next ?? 1
  ws.db
    .prepare('INSERT INTO number_series (series, year, next) VALUES (?, ?, ?) ON CONFLICT (series, year) DO UPDATE SET next = excluded.next')
    .run(series, year, n + 1)
  return `${series}-${year}-${String(n).padStart(4, '0')}`
}

/**
 * Creates (or refreshes, while still drafts) one purchase order per cooperative — or one per exporter of
 * record for all the cooperatives it exports for — from the planned consolidation: whole cases, units,
 * the supplier's unit price, and the payment terms as amounts that add up to the total exactly.
 * Only for a closed round. Orders already sent or confirmed are left as they are.
 */
export function createPurchaseOrders(ws: Workspace, input: z.output<typeof createPurchaseOrdersInput>): PurchaseOrderSummary[] {
  const round = getRound(ws, input.roundId)
  if (round.status !== 'closed' && round.status !== 'ordered') throw new AppError('round.transition', { from: round.status, to: 'ordered' })
  const c = consolidate(ws, input.roundId, 'planned')
  const now = stamp(ws.env)
  const year = Number(now.slice(0, 4))
  const groups = new Map<string, typeof c.products>()
  for (const p of c.products) {
    if (p.cases === 0 && p.policy.kind !== 'exact') continue
    if (p.available === 0) continue
    const to = c.suppliers.find((s) => s.supplierId === p.supplierId)!.orderTo.id
    let list = groups.get(to)
    if (!list) groups.set(to, (list = []))
    list.push(p)
  }
  for (const [supplierId, products] of groups) {
    const currencies = new Set(products.map((p) => p.supplierCurrency))
    if (currencies.size > 1) throw fieldError('currency', 'invalid', { supplierId })
    const currency = products[0]!.supplierCurrency
    const existing = ws.db
      .prepare('SELECT id, status FROM purchase_order WHERE round_id = ? AND supplier_id = ? AND deleted_at IS NULL')
      .get(input.roundId, supplierId) as { id: string; status: string } | undefined
    if (existing && existing.status !== 'draft') continue
    let poId = existing?.id
    if (!poId) {
      poId = ws.env.uuid()
      ws.db
        .prepare(
          `INSERT INTO purchase_order (id, number, round_id, supplier_id, language, currency, incoterm, incoterm_place, ship_date, created_at, updated_at)
           VALUES (?, ?, ?, ?, 'es', ?, ?, ?, ?, ?, ?)`
        )
        .run(poId, nextNumber(ws, 'PO', year), input.roundId, supplierId, currency, input.incoterm, input.incotermPlace, input.shipDate, now, now)
    } else {
      ws.db
        .prepare('UPDATE purchase_order SET currency = ?, incoterm = ?, incoterm_place = ?, ship_date = ?, updated_at = ? WHERE id = ?')
        .run(currency, input.incoterm, input.incotermPlace, input.shipDate, now, poId)
    }
    // A draft being refreshed (also one set back from sent) keeps what was recorded on its lines:
    // confirmed, received and broken units of the products it still orders.
    const recorded = new Map(
      (
        ws.db
          .prepare(
            'SELECT product_id AS productId, confirmed_units AS confirmed, received_units AS received, broken_units AS broken FROM purchase_order_line WHERE purchase_order_id = ?'
          )
          .all(poId) as { productId: string; confirmed: number | null; received: number | null; broken: number }[]
      ).map((r) => [r.productId, r])
    )
    ws.db.prepare('DELETE FROM purchase_order_line WHERE purchase_order_id = ?').run(poId)
    const line = ws.db.prepare(
      `INSERT INTO purchase_order_line (id, purchase_order_id, product_id, cases, units, unit_price_minor, confirmed_units, received_units, broken_units, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
    )
    let total = 0
    for (const p of products) {
      const r = recorded.get(p.productId)
      line.run(ws.env.uuid(), poId, p.productId, p.cases, p.available, p.supplierPriceMinor, r?.confirmed ?? null, r?.received ?? null, r?.broken ?? 0, now, now)
      total += p.available * p.supplierPriceMinor
    }
    const terms: StoredTerm[] = input.terms
      ? input.terms.map((t) => ({ label: t.label, shareBp: t.sharePercent * 100, dueDate: t.dueDate }))
      : existing
        ? storedTerms(ws, poId)
        : DEFAULT_TERMS.map((t) => ({ label: t.label, shareBp: t.sharePercent * 100, dueDate: t.dueDate }))
    writePaymentTerms(ws, poId, total, terms, now)
  }
  return listPurchaseOrders(ws, input.roundId)
}

interface StoredTerm {
  label: PaymentLabel
  shareBp: number
  dueDate: string | null
}

function storedTerms(ws: Workspace, purchaseOrderId: string): StoredTerm[] {
  return ws.db
    .prepare('SELECT label, share_bp AS shareBp, due_date AS dueDate FROM payment_due WHERE purchase_order_id = ? ORDER BY position')
    .all(purchaseOrderId) as StoredTerm[]
}

/** Replaces the amounts due of an order: its total split by the shares, by largest remainder, so they add up to it exactly. */
function writePaymentTerms(ws: Workspace, purchaseOrderId: string, totalMinor: number, terms: StoredTerm[], now: string): void {
  const amounts = terms.length ? largestRemainder(totalMinor, terms.map((t) => t.shareBp)) : []
  ws.db.prepare('DELETE FROM payment_due WHERE purchase_order_id = ?').run(purchaseOrderId)
  const due = ws.db.prepare(
    `INSERT INTO payment_due (id, purchase_order_id, position, label, share_bp, amount_minor, due_date, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`
  )
  terms.forEach((t, i) => due.run(ws.env.uuid(), purchaseOrderId, i, t.label, t.shareBp, amounts[i]!, t.dueDate, now, now))
}

export const updatePurchaseOrderInput = z.object({
  id: z.uuid(),
  /** The language of the order's PDF and XLSX. */
  language: z.enum(LANGUAGES, { message: 'language' }),
  terms: paymentTermsSchema
})

/**
 * Changes the language and the payment terms of a purchase order that is still a draft; the amounts due
 * are split afresh from its total. A sent or confirmed order is refused (set it back to draft first).
 */
export function updatePurchaseOrder(ws: Workspace, input: z.output<typeof updatePurchaseOrderInput>): PurchaseOrderSummary {
  const po = ws.db.prepare('SELECT round_id AS roundId, number, status FROM purchase_order WHERE id = ? AND deleted_at IS NULL').get(input.id) as
    | { roundId: string; number: string; status: PurchaseOrderStatus }
    | undefined
  if (!po) throw new AppError('record.not_found', { id: input.id })
  if (po.status !== 'draft') throw new AppError('purchaseOrder.not_draft', { number: po.number })
  const { total } = ws.db
    .prepare('SELECT coalesce(sum(units * unit_price_minor), 0) AS total FROM purchase_order_line WHERE purchase_order_id = ?')
    .get(input.id) as { total: number }
  const now = stamp(ws.env)
  ws.db.prepare('UPDATE purchase_order SET language = ?, updated_at = ? WHERE id = ?').run(input.language, now, input.id)
  writePaymentTerms(
    ws,
    input.id,
    total,
    input.terms.map((t) => ({ label: t.label, shareBp: t.sharePercent * 100, dueDate: t.dueDate })),
    now
  )
  return listPurchaseOrders(ws, po.roundId).find((p) => p.id === input.id)!
}

export function listPurchaseOrders(ws: Workspace, roundId: string): PurchaseOrderSummary[] {
  return ws.db
    .prepare(
      `SELECT po.id, po.number, po.supplier_id AS supplierId, s.name AS supplierName, po.status, po.language, po.currency,
        coalesce(sum(l.units * l.unit_price_minor), 0) AS totalMinor, count(l.id) AS lines
       FROM purchase_order po JOIN supplier s ON s.id = po.supplier_id LEFT JOIN purchase_order_line l ON l.purchase_order_id = po.id
       WHERE po.round_id = ? AND po.deleted_at IS NULL GROUP BY po.id ORDER BY po.number`
    )
    .all(roundId) as PurchaseOrderSummary[]
}

const NEXT = { draft: 'sent', sent: 'confirmed' } as const

/** draft → sent → confirmed, or one step back while nothing was received. */
export function setPurchaseOrderStatus(ws: Workspace, id: string, status: PurchaseOrderStatus): PurchaseOrderSummary {
  const po = ws.db.prepare('SELECT round_id AS roundId, status FROM purchase_order WHERE id = ? AND deleted_at IS NULL').get(id) as
    | { roundId: string; status: PurchaseOrderStatus }
    | undefined
  if (!po) throw new AppError('record.not_found', { id })
  const forward = NEXT[po.status as keyof typeof NEXT] === status
  const backward = (po.status === 'sent' && status === 'draft') || (po.status === 'confirmed' && status === 'sent')
  if (!forward && !backward) throw new AppError('round.transition', { from: po.status, to: status })
  if (backward) {
    const received = ws.db.prepare('SELECT count(*) AS n FROM purchase_order_line WHERE purchase_order_id = ? AND received_units IS NOT NULL').get(id) as {
      n: number
    }
    if (received.n > 0) throw new AppError('round.transition', { from: po.status, to: status })
  }
  const now = stamp(ws.env)
  ws.db
    .prepare(
      `UPDATE purchase_order SET status = ?, sent_at = CASE WHEN ? = 'sent' THEN ? ELSE sent_at END,
        confirmed_at = CASE WHEN ? = 'confirmed' THEN ? ELSE confirmed_at END, updated_at = ? WHERE id = ?`
    )
    .run(status, status, now, status, now, now, id)
  return listPurchaseOrders(ws, po.roundId).find((p) => p.id === id)!
}

export const quantitiesInput = z.object({
  purchaseOrderId: z.uuid(),
  lines: z
    .array(
      z.object({
        productId: z.uuid(),
        confirmedUnits: z.number().int().min(0).nullish(),
        receivedUnits: z.number().int().min(0).nullish(),
        brokenUnits: z.number().int().min(0).optional()
      })
    )
    .min(1)
})

/** Records what the cooperative confirmed and what arrived (and broke); the allocation follows. */
export function recordQuantities(ws: Workspace, input: z.output<typeof quantitiesInput>): PurchaseOrderSummary {
  const po = ws.db.prepare('SELECT round_id AS roundId FROM purchase_order WHERE id = ? AND deleted_at IS NULL').get(input.purchaseOrderId) as
    | { roundId: string }
    | undefined
  if (!po) throw new AppError('record.not_found', { id: input.purchaseOrderId })
  const now = stamp(ws.env)
  input.lines.forEach((l, i) => {
    const row = ws.db
      .prepare('SELECT id, received_units AS received, broken_units AS broken FROM purchase_order_line WHERE purchase_order_id = ? AND product_id = ?')
      .get(input.purchaseOrderId, l.productId) as { id: string; received: number | null; broken: number } | undefined
    if (!row) throw fieldError(`lines.${i}.productId`, 'invalid')
    const received = l.receivedUnits === undefined ? row.received : l.receivedUnits
    const broken = l.brokenUnits ?? row.broken
    if (received !== null && broken > received) throw fieldError(`lines.${i}.brokenUnits`, 'too_large')
    const sets: string[] = []
    const values: unknown[] = []
    if (l.confirmedUnits !== undefined) {
      sets.push('confirmed_units = ?')
      values.push(l.confirmedUnits)
    }
    if (l.receivedUnits !== undefined) {
      sets.push('received_units = ?')
      values.push(l.receivedUnits)
    }
    if (l.brokenUnits !== undefined) {
      sets.push('broken_units = ?')
      values.push(l.brokenUnits)
    }
    if (sets.length) ws.db.prepare(`UPDATE purchase_order_line SET ${sets.join(', ')}, updated_at = ? WHERE id = ?`).run(...values, now, row.id)
  })
  return listPurchaseOrders(ws, po.roundId).find((p) => p.id === input.purchaseOrderId)!
}
