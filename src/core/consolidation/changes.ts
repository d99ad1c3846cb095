import type { Workspace } from '../db/workspace.ts'
import { stamp } from '../common/env.ts'
import { getOrganisation } from '../settings/organisation.ts'
import type { Stage } from '../../shared/vocabulary.ts'
import { type Consolidation, consolidate, type LineResult, type LineScope, type ProductResult, refuseOverDistributed } from './consolidate.ts'

/** Why a buyer gets other than ordered; each has a text under `changeReasons.` in every language. */
export type ChangeReason = 'case_not_full' | 'held_minimum' | 'short_delivery' | 'breakage' | 'override' | 'tolerance_used'

export interface BuyerChange {
  sku: string
  nameEs: string | null
  nameDe: string | null
  nameEn: string | null
  salesUnit: string
  /** The product's step ×1000 of its sales unit: every quantity here counts steps. */
  stepMilli: number
  subBuyerName: string | null
  ordered: number
  tolerance: number
  allocated: number
  /** Of `allocated`, the units from what was ordered and those from the tolerance (beyond the quantity). */
  fromOrdered: number
  fromTolerance: number
  reason: ChangeReason
  /** Every reason the line changed, with its units, the main one first. */
  causes: Cause[]
  /** The coordinator's words for an override. */
  note: string | null
}

export interface BuyerChanges {
  buyerId: string
  buyerName: string
  language: string
  changes: BuyerChange[]
}

/** Units a line lost (or gained) for one reason. */
export interface Cause {
  reason: ChangeReason
  units: number
}

/** One order line's outcome at a stage: what was ordered, what the buyer gets, and why (null: as ordered). */
export interface LineOutcome {
  product: ProductResult
  line: LineResult
  reason: ChangeReason | null
  /** Per reason, the units the line lost to it (or, for tolerance_used, gained); the main reason first. */
  causes: Cause[]
}

/**
 * Why each line gets other than ordered, decided per line (not from the product's total): the units a
 * line lost are traced step by step — the whole cases planned (case not full), then what the cooperative
 * confirmed and delivered (short delivery), then what arrived broken (breakage). Each step compares the
 * line's own computed result, capped at what it ordered, before and after; a line that lost nothing at
 * a step is not told about it. The main reason is the step that took the most units (a tie: the later step).
 * An override, more than ordered (tolerance) and a product held below its minimum say so instead.
 */
export function lineOutcomes(ws: Workspace, roundId: string, stage: Stage, scope: LineScope = 'all'): LineOutcome[] {
  const now = consolidate(ws, roundId, stage, scope)
  const planned = stage === 'planned' ? now : consolidate(ws, roundId, 'planned', scope)
  const confirmed = stage === 'received' ? consolidate(ws, roundId, 'confirmed', scope) : stage === 'confirmed' ? now : planned
  const intact = stage === 'received' ? consolidate(ws, roundId, 'received', scope, { ignoreBroken: true }) : confirmed
  const computedIn = (c: Consolidation) => {
    const m = new Map<string, number>()
    for (const p of c.products) for (const l of p.lines) m.set(l.lineId, l.computed)
    return m
  }
  const [g1, g2, g3] = [computedIn(planned), computedIn(confirmed), computedIn(intact)]
  const out: LineOutcome[] = []
  for (const p of now.products)
    for (const l of p.lines) {
      const ordered = l.quantity
      let causes: Cause[] = []
      if (l.override) causes = [{ reason: 'override', units: l.granted - ordered }]
      else if (l.granted > ordered) causes = [{ reason: 'tolerance_used', units: l.granted - ordered }]
      else if (l.granted < ordered && p.held) causes = [{ reason: 'held_minimum', units: ordered - l.granted }]
      else if (l.granted < ordered) {
        const cap = (n: number | undefined) => Math.min(n ?? 0, ordered)
        const steps: Cause[] = [
          { reason: 'case_not_full', units: ordered - cap(g1.get(l.lineId)) },
          { reason: 'short_delivery', units: Math.max(0, cap(g1.get(l.lineId)) - cap(g2.get(l.lineId))) + Math.max(0, cap(g2.get(l.lineId)) - cap(g3.get(l.lineId))) },
          { reason: 'breakage', units: Math.max(0, cap(g3.get(l.lineId)) - cap(l.granted)) }
        ]
        // Units won back on the way (more confirmed than planned) cover the earliest losses first: the
        // causes add up to what the line really lost, the later steps being nearer to the outcome.
        let excess = steps.reduce((a, c) => a + c.units, 0) - (ordered - l.granted)
        for (const c of steps) {
          const cut = Math.min(excess, c.units)
          c.units -= cut
          excess -= cut
        }
        causes = steps
          .map((c, i) => ({ c, i }))
          .filter((x) => x.c.units > 0)
          .sort((a, b) => b.c.units - a.c.units || b.i - a.i)
          .map((x) => x.c)
        // Redistribution can leave a loss no single step explains; it came with the whole cases.
        if (!causes.length) causes = [{ reason: 'case_not_full', units: ordered - l.granted }]
      }
      out.push({ product: p, line: l, reason: causes[0]?.reason ?? null, causes })
    }
  return out
}

/** Narrows the changes to one buyer, or to the products of one purchase order. */
export interface ChangeFilter {
  buyerId?: string
  purchaseOrderId?: string
}

/**
 * Per buyer, every line where what they get differs from what they ordered, and why (per line, see
 * lineOutcomes) — for telling each group before invoicing.
 */
export function buyerChanges(ws: Workspace, roundId: string, stage: Stage, filter: ChangeFilter = {}): BuyerChanges[] {
  const byBuyer = new Map<string, BuyerChanges>()
  const products = filter.purchaseOrderId
    ? new Set(
        ws.db
          .prepare('SELECT product_id FROM purchase_order_line WHERE purchase_order_id = ? AND deleted_at IS NULL')
          .pluck()
          .all(filter.purchaseOrderId) as string[]
      )
    : null
  for (const { product: p, line: l, reason, causes } of lineOutcomes(ws, roundId, stage)) {
    if (l.granted === l.quantity || !reason) continue
    if (filter.buyerId && l.buyerId !== filter.buyerId) continue
    if (products && !products.has(p.productId)) continue
    let b = byBuyer.get(l.buyerId)
    if (!b) byBuyer.set(l.buyerId, (b = { buyerId: l.buyerId, buyerName: l.buyerName, language: l.buyerLanguage, changes: [] }))
    b.changes.push({
      sku: p.sku,
      nameEs: p.nameEs,
      nameDe: p.nameDe,
      nameEn: p.nameEn,
      salesUnit: p.salesUnit,
      stepMilli: p.stepMilli,
      subBuyerName: l.subBuyerName,
      ordered: l.quantity,
      tolerance: l.tolerance,
      allocated: l.granted,
      fromOrdered: l.fromOrdered,
      fromTolerance: l.fromTolerance,
      reason,
      causes,
      note: l.override?.reason ?? null
    })
  }
  return [...byBuyer.values()].sort((a, b) => a.buyerName.localeCompare(b.buyerName))
}

export interface BuyerAllocation {
  buyerId: string
  buyerName: string
  lines: {
    lineId: string
    productId: string
    sku: string
    /** The product's step ×1000 of its sales unit: every quantity here counts steps. */
    stepMilli: number
    subBuyerName: string | null
    ordered: number
    tolerance: number
    /** What the cut strategy gives the line (what consolidation.run stores) and what the buyer gets (an override wins). */
    computed: number
    granted: number
    /** Of `granted`, the units from what was ordered and those from the tolerance. */
    fromOrdered: number
    fromTolerance: number
    reason: ChangeReason | null
  }[]
}

/** Each buyer's allocation of a round at a stage, read only (consolidation.run stores the same `computed`). */
export function buyerAllocations(ws: Workspace, roundId: string, stage: Stage): BuyerAllocation[] {
  const byBuyer = new Map<string, BuyerAllocation>()
  for (const { product: p, line: l, reason } of lineOutcomes(ws, roundId, stage)) {
    let b = byBuyer.get(l.buyerId)
    if (!b) byBuyer.set(l.buyerId, (b = { buyerId: l.buyerId, buyerName: l.buyerName, lines: [] }))
    b.lines.push({
      lineId: l.lineId,
      productId: p.productId,
      sku: p.sku,
      stepMilli: p.stepMilli,
      subBuyerName: l.subBuyerName,
      ordered: l.quantity,
      tolerance: l.tolerance,
      computed: l.computed,
      granted: l.granted,
      fromOrdered: l.fromOrdered,
      fromTolerance: l.fromTolerance,
      reason
    })
  }
  return [...byBuyer.values()].sort((a, b) => a.buyerName.localeCompare(b.buyerName))
}

/**
 * Books each product's surplus at a stage into the organisation's stock, with its origin (round,
 * product). Running it again books only the difference, so stock is never counted twice. Refused while a
 * product distributed by hand hands out more than there is (see refuseOverDistributed).
 */
export function bookSurplus(ws: Workspace, roundId: string, stage: Stage, deviceId: string): { productId: string; units: number }[] {
  const c = consolidate(ws, roundId, stage)
  refuseOverDistributed(c)
  const booked = ws.db.prepare(`SELECT coalesce(sum(units), 0) AS n FROM stock_movement WHERE round_id = ? AND product_id = ? AND reason = 'surplus'`)
  const now = stamp(ws.env)
  const out: { productId: string; units: number }[] = []
  for (const p of c.products) {
    const already = (booked.get(roundId, p.productId) as { n: number }).n
    const diff = p.surplus - already
    if (diff !== 0) {
      ws.write.append('stock_movement', { id: ws.env.uuid(), product_id: p.productId, round_id: roundId, units: diff, reason: 'surplus', note: stage, at: now, device_id: deviceId })
      out.push({ productId: p.productId, units: diff })
    }
  }
  return out
}

export interface StockRow {
  productId: string
  sku: string
  nameEs: string | null
  nameDe: string | null
  nameEn: string | null
  /** The product's step ×1000 of its sales unit: units count steps. */
  stepMilli: number
  units: number
  /**
   * Stock is valued at landed cost: the product's landed cost per sales unit (×1000, in `currency`) from the
   * latest stored landed cost of a shipment that carried it, and the stock's value; null before any.
   */
  landedPerUnitMilli: number | null
  valueMinor: number | null
  currency: string
  origins: { roundId: string | null; roundName: string | null; units: number }[]
}

/** The organisation's stock per product, with where it came from. */
export function listStock(ws: Workspace): StockRow[] {
  const rows = ws.db
    .prepare(
      `SELECT m.product_id AS productId, p.sku, p.name_es AS nameEs, p.name_de AS nameDe, p.name_en AS nameEn, p.step_milli AS stepMilli,
        m.round_id AS roundId, r.name AS roundName, sum(m.units) AS units
       FROM stock_movement m JOIN product p ON p.id = m.product_id LEFT JOIN round r ON r.id = m.round_id
       GROUP BY m.product_id, m.round_id ORDER BY p.sku`
    )
    .all() as (Omit<StockRow, 'origins' | 'landedPerUnitMilli' | 'valueMinor' | 'currency'> & { roundId: string | null; roundName: string | null })[]
  const out = new Map<string, StockRow>()
  for (const r of rows) {
    let s = out.get(r.productId)
    if (!s) out.set(r.productId, (s = { productId: r.productId, sku: r.sku, nameEs: r.nameEs, nameDe: r.nameDe, nameEn: r.nameEn, stepMilli: r.stepMilli, units: 0, landedPerUnitMilli: null, valueMinor: null, currency: '', origins: [] }))
    s.units += r.units
    if (r.units !== 0) s.origins.push({ roundId: r.roundId, roundName: r.roundName, units: r.units })
  }
  const landed = ws.db.prepare(
    `SELECT c.landed_minor AS landed, sl.quantity_milli AS milli FROM landed_cost_line c JOIN shipment_line sl ON sl.id = c.shipment_line_id
     JOIN purchase_order_line pl ON pl.id = sl.purchase_order_line_id
     WHERE c.deleted_at IS NULL AND pl.product_id = ? AND sl.quantity_milli > 0 ORDER BY c.computed_at DESC, c.id LIMIT 1`
  )
  const currency = getOrganisation(ws).defaultCurrency
  return [...out.values()]
    .filter((s) => s.units !== 0)
    .map((s) => {
      const l = landed.get(s.productId) as { landed: number; milli: number } | undefined
      const perUnit = l ? Math.round((l.landed * 1_000_000) / l.milli) : null
      return {
        ...s,
        currency,
        landedPerUnitMilli: perUnit,
        valueMinor: perUnit === null ? null : Math.round((s.units * s.stepMilli * perUnit) / 1_000_000)
      }
    })
}
