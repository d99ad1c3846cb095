import { z } from 'zod'
import { AppError } from '../../shared/errors.ts'
import { type Language, LANGUAGES } from '../../shared/reference.ts'
import { INCOTERMS, PAYMENT_LABELS, type PaymentLabel, type PurchaseOrderStatus } from '../../shared/vocabulary.ts'
import type { Workspace } from '../db/workspace.ts'
import type { Values } from '../db/writer.ts'
import { stamp } from '../common/env.ts'
import { largestRemainder, quantityAmountMinor } from '../common/money.ts'
import { takeNumber } from '../db/numbering.ts'
import { fieldError } from '../common/records.ts'
import { optionalDate, optionalText, percent } from '../common/zod.ts'
import { getRound } from '../rounds/rounds.ts'
import { consolidate, type ProductResult, refuseOverDistributed } from '../consolidation/consolidate.ts'
import { lineQuantityMilli, pricePerMilli } from '../consolidation/allocate.ts'
import { convertMinor, currencyDigits, exchangeRateChain } from '../reference/reference.ts'


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
  incotermPlace: optionalText(120),
  shipDate: day,
  /** Absent: a new order gets DEFAULT_TERMS, a draft being refreshed keeps the terms it has. */
  terms: paymentTermsSchema.optional()
})

export interface PurchaseOrderSummary {
  id: string
  number: string
  supplierId: string
  supplierName: string
  /** The name tables show: the supplier's short name, else its name (documents keep the full legal name). */
  supplierShortName: string
  status: PurchaseOrderStatus
  /** When the order's PDF or XLSX was last produced; null when never (sending it then asks first). */
  documentAt: string | null
  /** The language of its PDF and XLSX. */
  language: Language
  currency: string
  totalMinor: number
  /**
   * The value of what shipments carry of it (their quantities × the lines' prices), or null while nothing
   * is shipped: what the cooperative invoices, and what is still due to it follows this.
   */
  shippedMinor: number | null
  lines: number
}

/**
 * Creates (or refreshes, while still drafts) one purchase order per cooperative — or one per exporter of
 * record for all the cooperatives it exports for — from the planned consolidation: whole cases, units,
 * the exact quantity in the product's unit (6 cases of 1,44 m² = 8,64 m²), the supplier's unit price, the
 * amount (exact quantity × price, to the cent), and the payment terms as amounts that add up to the total exactly.
 * Only for a closed round. Orders already sent or confirmed are left as they are.
 */
export function createPurchaseOrders(ws: Workspace, input: z.output<typeof createPurchaseOrdersInput>): PurchaseOrderSummary[] {
  const round = getRound(ws, input.roundId)
  if (round.status !== 'closed' && round.status !== 'ordered') throw new AppError('round.transition', { from: round.status, to: 'ordered' })
  const c = consolidate(ws, input.roundId, 'planned')
  // Buyers may not be promised more than is ordered: a product distributed by hand beyond its units stops here.
  refuseOverDistributed(c)
  const groups = new Map<string, typeof c.products>()
  for (const p of c.products) {
    if (p.cases === 0 && p.policy.kind !== 'exact') continue
    if (p.available === 0) continue
    const to = c.suppliers.find((s) => s.supplierId === p.supplierId)!.orderTo.id
    let list = groups.get(to)
    if (!list) groups.set(to, (list = []))
    list.push(p)
  }
  const rateDate = round.rateDate ?? stamp(ws.env).slice(0, 10)
  for (const [supplierId, products] of groups) {
    const currency = orderCurrency(supplierId, products)
    const existing = ws.db
      .prepare('SELECT id, status FROM purchase_order WHERE round_id = ? AND supplier_id = ? AND deleted_at IS NULL')
      .get(input.roundId, supplierId) as { id: string; status: string } | undefined
    // A sent order stays as it is: its prices are not read again (its rate may be gone by now).
    if (existing && existing.status !== 'draft') continue
    const priced = priceLines(ws, products, currency, rateDate)
    const terms = { currency, incoterm: input.incoterm, incoterm_place: input.incotermPlace, ship_date: input.shipDate }
    let poId = existing?.id
    if (!poId) {
      poId = ws.env.uuid()
      // The number is taken in this transaction: an order that is not created gives its number back.
      ws.write.insert('purchase_order', {
        id: poId,
        number: takeNumber(ws, 'purchase_order', poId),
        round_id: input.roundId,
        supplier_id: supplierId,
        language: 'es',
        ...terms
      })
    } else {
      ws.write.update('purchase_order', poId, terms)
    }
    // A draft being refreshed (also one set back from sent) keeps its lines and what was recorded on
    // them (confirmed, received and broken units) for the products it still orders; lines of products
    // no longer ordered are deleted, and come back (with what they had) if the product returns.
    const lines = new Map(
      (ws.db.prepare('SELECT id, product_id AS productId FROM purchase_order_line WHERE purchase_order_id = ?').all(poId) as { id: string; productId: string }[]).map(
        (r) => [r.productId, r.id]
      )
    )
    let total = 0
    for (const p of products) {
      const price = priced.get(p.productId)!
      const quantityMilli = lineQuantityMilli(p)
      const perMilli = pricePerMilli(p)
      const values = { cases: p.cases, units: p.available, quantity_milli: quantityMilli, price_per_milli: perMilli === 1000 ? null : perMilli, ...price, deleted_at: null }
      const id = lines.get(p.productId)
      if (id) ws.write.upsert('purchase_order_line', { id, ...values })
      else ws.write.insert('purchase_order_line', { id: ws.env.uuid(), purchase_order_id: poId, product_id: p.productId, ...values })
      lines.delete(p.productId)
      total += quantityAmountMinor(quantityMilli, price.unit_price_minor, perMilli)
    }
    for (const gone of lines.values()) ws.write.tombstone('purchase_order_line', gone)
    const newTerms: StoredTerm[] = input.terms
      ? input.terms.map((t) => ({ label: t.label, shareBp: t.sharePercent * 100, dueDate: t.dueDate }))
      : existing
        ? storedTerms(ws, poId)
        : DEFAULT_TERMS.map((t) => ({ label: t.label, shareBp: t.sharePercent * 100, dueDate: t.dueDate }))
    writePaymentTerms(ws, poId, total, newTerms)
  }
  return listPurchaseOrders(ws, input.roundId)
}

/**
 * A line's amount in SQL, as quantityAmountMinor computes it: the exact quantity (lines written before it
 * was kept: the whole units) × the unit price / the quantity that price is for (one unit, or a case for
 * cooperatives that bill per case), rounded half up to the minor unit (all non-negative).
 */
export const LINE_AMOUNT_SQL =
  '((coalesce(l.quantity_milli, l.units * 1000) * l.unit_price_minor * 2 + coalesce(l.price_per_milli, 1000)) / (2 * coalesce(l.price_per_milli, 1000)))'

/**
 * The value of what a purchase order's lines are shipped with, in SQL for `po`: each shipped quantity × its
 * line's price (per unit or per case), rounded half up per shipment line; NULL while nothing is shipped.
 */
export const SHIPPED_SQL = `SELECT sum((sl.quantity_milli * pl.unit_price_minor * 2 + coalesce(pl.price_per_milli, 1000)) / (2 * coalesce(pl.price_per_milli, 1000)))
  FROM shipment_line sl JOIN shipment sh ON sh.id = sl.shipment_id AND sh.deleted_at IS NULL
  JOIN purchase_order_line pl ON pl.id = sl.purchase_order_line_id AND pl.deleted_at IS NULL
  WHERE pl.purchase_order_id = po.id AND sl.deleted_at IS NULL`

/** The currencies exports are invoiced in, in order of preference. */
const EXPORT_CURRENCIES = ['USD', 'EUR']

/**
 * The currency of a purchase order: its supplier's own when all lines share one. For an exporter of
 * record ordering for cooperatives that price differently: the currency of the exporter's own products
 * if it has any in the order; else USD, then EUR, if any line is priced in it (exports are invoiced in
 * them, not in pesos); else the currency most lines use (ties alphabetical).
 */
function orderCurrency(supplierId: string, products: readonly ProductResult[]): string {
  const own = products.find((p) => p.supplierId === supplierId)
  if (own) return own.supplierCurrency
  const used = new Set(products.map((p) => p.supplierCurrency))
  const hard = EXPORT_CURRENCIES.find((c) => used.has(c))
  if (hard) return hard
  const count = new Map<string, number>()
  for (const p of products) count.set(p.supplierCurrency, (count.get(p.supplierCurrency) ?? 0) + 1)
  return [...count.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]![0]
}

/**
 * Each line's unit price in the order's currency. A line priced in another currency is converted at the
 * latest rate on or before the round's rate date (direct, inverse or chained through one pivot): the
 * unit price × rate with integer math, rounded half up to the order currency's minor unit; the line
 * keeps the supplier's price, the rate, its date and the pivot. No rate: a translated error, nothing stored.
 */
function priceLines(ws: Workspace, products: readonly ProductResult[], currency: string, rateDate: string) {
  const out = new Map<string, Values>()
  const toDigits = currencyDigits(ws, currency)
  for (const p of products) {
    if (p.supplierCurrency === currency) {
      out.set(p.productId, { unit_price_minor: p.supplierPriceMinor, source_currency: null, source_price_minor: null, rate_e8: null, rate_on: null, rate_via: null })
      continue
    }
    const chain = exchangeRateChain(ws, p.supplierCurrency, currency, rateDate)
    if (!chain) throw new AppError('exchange.no_rate', { from: p.supplierCurrency, to: currency, date: rateDate })
    out.set(p.productId, {
      unit_price_minor: convertMinor(p.supplierPriceMinor, currencyDigits(ws, p.supplierCurrency), toDigits, chain.rateE8),
      source_currency: p.supplierCurrency,
      source_price_minor: p.supplierPriceMinor,
      rate_e8: Number(chain.rateE8),
      rate_on: chain.validOn,
      rate_via: chain.via
    })
  }
  return out as Map<string, Values & { unit_price_minor: number }>
}

interface StoredTerm {
  label: PaymentLabel
  shareBp: number
  dueDate: string | null
}

function storedTerms(ws: Workspace, purchaseOrderId: string): StoredTerm[] {
  return ws.db
    .prepare('SELECT label, share_bp AS shareBp, due_date AS dueDate FROM payment_due WHERE purchase_order_id = ? AND deleted_at IS NULL ORDER BY position')
    .all(purchaseOrderId) as StoredTerm[]
}

/** Replaces the amounts due of an order: its total split by the shares, by largest remainder, so they add up to it exactly. */
function writePaymentTerms(ws: Workspace, purchaseOrderId: string, totalMinor: number, terms: StoredTerm[]): void {
  const amounts = terms.length ? largestRemainder(totalMinor, terms.map((t) => t.shareBp)) : []
  // The amount due at each position is updated in place; positions no longer there are deleted.
  const existing = ws.db
    .prepare('SELECT id FROM payment_due WHERE purchase_order_id = ? AND deleted_at IS NULL ORDER BY position')
    .pluck()
    .all(purchaseOrderId) as string[]
  terms.forEach((t, i) => {
    const values = { position: i, label: t.label, share_bp: t.shareBp, amount_minor: amounts[i]!, due_date: t.dueDate }
    const id = existing[i]
    if (id) ws.write.update('payment_due', id, values)
    else ws.write.insert('payment_due', { id: ws.env.uuid(), purchase_order_id: purchaseOrderId, ...values })
  })
  for (const gone of existing.slice(terms.length)) ws.write.tombstone('payment_due', gone)
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
    .prepare(`SELECT coalesce(sum(${LINE_AMOUNT_SQL}), 0) AS total FROM purchase_order_line l WHERE l.purchase_order_id = ? AND l.deleted_at IS NULL`)
    .get(input.id) as { total: number }
  ws.write.update('purchase_order', input.id, { language: input.language })
  writePaymentTerms(
    ws,
    input.id,
    total,
    input.terms.map((t) => ({ label: t.label, shareBp: t.sharePercent * 100, dueDate: t.dueDate }))
  )
  return listPurchaseOrders(ws, po.roundId).find((p) => p.id === input.id)!
}

export function listPurchaseOrders(ws: Workspace, roundId: string): PurchaseOrderSummary[] {
  return ws.db
    .prepare(
      `SELECT po.id, po.number, po.supplier_id AS supplierId, s.name AS supplierName, coalesce(nullif(s.short_name, ''), s.name) AS supplierShortName,
        po.status, po.document_at AS documentAt, po.language, po.currency,
        coalesce(sum(${LINE_AMOUNT_SQL}), 0) AS totalMinor, count(l.id) AS lines, (${SHIPPED_SQL}) AS shippedMinor
       FROM purchase_order po JOIN supplier s ON s.id = po.supplier_id LEFT JOIN purchase_order_line l ON l.purchase_order_id = po.id AND l.deleted_at IS NULL
       WHERE po.round_id = ? AND po.deleted_at IS NULL GROUP BY po.id ORDER BY po.number`
    )
    .all(roundId) as PurchaseOrderSummary[]
}

/** Notes that the order's document (PDF or XLSX) was produced now: sending it no longer asks first. */
export function markDocumentProduced(ws: Workspace, id: string): void {
  ws.write.update('purchase_order', id, { document_at: stamp(ws.env) })
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
    // A shipped order stays as it is: its lines are what the shipments carry.
    const shipped = ws.db
      .prepare(
        `SELECT count(*) FROM shipment_line sl JOIN purchase_order_line pl ON pl.id = sl.purchase_order_line_id
         JOIN shipment sh ON sh.id = sl.shipment_id AND sh.deleted_at IS NULL WHERE pl.purchase_order_id = ? AND sl.deleted_at IS NULL`
      )
      .pluck()
      .get(id) as number
    if (shipped > 0) throw new AppError('round.transition', { from: po.status, to: status })
    const received = ws.db.prepare('SELECT count(*) AS n FROM purchase_order_line WHERE purchase_order_id = ? AND deleted_at IS NULL AND received_units IS NOT NULL').get(id) as {
      n: number
    }
    if (received.n > 0) throw new AppError('round.transition', { from: po.status, to: status })
  }
  const now = stamp(ws.env)
  ws.write.update('purchase_order', id, {
    status,
    sent_at: status === 'sent' ? now : undefined,
    confirmed_at: status === 'confirmed' ? now : undefined
  })
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
  input.lines.forEach((l, i) => {
    const row = ws.db
      .prepare(
        'SELECT id, received_units AS received, broken_units AS broken FROM purchase_order_line WHERE purchase_order_id = ? AND product_id = ? AND deleted_at IS NULL'
      )
      .get(input.purchaseOrderId, l.productId) as { id: string; received: number | null; broken: number } | undefined
    if (!row) throw fieldError(`lines.${i}.productId`, 'invalid')
    const received = l.receivedUnits === undefined ? row.received : l.receivedUnits
    const broken = l.brokenUnits ?? row.broken
    if (received !== null && broken > received) throw fieldError(`lines.${i}.brokenUnits`, 'too_large')
    // undefined leaves a column as it is; null clears it.
    ws.write.update('purchase_order_line', row.id, { confirmed_units: l.confirmedUnits, received_units: l.receivedUnits, broken_units: l.brokenUnits })
  })
  return listPurchaseOrders(ws, po.roundId).find((p) => p.id === input.purchaseOrderId)!
}
