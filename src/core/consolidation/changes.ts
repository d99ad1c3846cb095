import type { Workspace } from '../db/workspace.ts'
import { stamp } from '../common/env.ts'
import type { Stage } from '../../shared/vocabulary.ts'
import { consolidate, type ProductResult } from './consolidate.ts'

/** Why a buyer gets other than ordered; each has a text under `changeReasons.` in every language. */
export type ChangeReason = 'case_not_full' | 'held_minimum' | 'short_delivery' | 'breakage' | 'override' | 'tolerance_used'

export interface BuyerChange {
  sku: string
  nameEs: string | null
  nameDe: string | null
  nameEn: string | null
  subBuyerName: string | null
  ordered: number
  tolerance: number
  allocated: number
  reason: ChangeReason
  /** The coordinator's words for an override. */
  note: string | null
}

export interface BuyerChanges {
  buyerId: string
  buyerName: string
  language: string
  changes: BuyerChange[]
}

function reasonFor(p: ProductResult, planned: ProductResult | undefined, stage: Stage, granted: number, ordered: number, override: boolean): ChangeReason {
  if (override) return 'override'
  if (granted > ordered) return 'tolerance_used'
  if (p.held) return 'held_minimum'
  if (stage !== 'planned' && planned && p.available < planned.available) return 'short_delivery'
  return 'case_not_full'
}

/**
 * Per buyer, every line where what they get differs from what they ordered, and why — for telling each
 * group before invoicing. At the received stage a line cut because units broke says so.
 */
export function buyerChanges(ws: Workspace, roundId: string, stage: Stage): BuyerChanges[] {
  const now = consolidate(ws, roundId, stage)
  const planned = stage === 'planned' ? now : consolidate(ws, roundId, 'planned')
  const breakage = new Map(
    (
      ws.db
        .prepare(
          `SELECT pl.product_id AS productId, pl.broken_units AS broken FROM purchase_order_line pl
           JOIN purchase_order po ON po.id = pl.purchase_order_id WHERE po.round_id = ? AND po.deleted_at IS NULL AND pl.deleted_at IS NULL`
        )
        .all(roundId) as { productId: string; broken: number }[]
    ).map((r) => [r.productId, r.broken])
  )
  const byBuyer = new Map<string, BuyerChanges>()
  for (const p of now.products) {
    const before = planned.products.find((x) => x.productId === p.productId)
    for (const l of p.lines) {
      if (l.granted === l.quantity) continue
      let reason = reasonFor(p, before, stage, l.granted, l.quantity, l.override !== null)
      if (reason === 'short_delivery' && stage === 'received' && (breakage.get(p.productId) ?? 0) > 0) reason = 'breakage'
      let b = byBuyer.get(l.buyerId)
      if (!b) byBuyer.set(l.buyerId, (b = { buyerId: l.buyerId, buyerName: l.buyerName, language: l.buyerLanguage, changes: [] }))
      b.changes.push({
        sku: p.sku,
        nameEs: p.nameEs,
        nameDe: p.nameDe,
        nameEn: p.nameEn,
        subBuyerName: l.subBuyerName,
        ordered: l.quantity,
        tolerance: l.tolerance,
        allocated: l.granted,
        reason,
        note: l.override?.reason ?? null
      })
    }
  }
  return [...byBuyer.values()].sort((a, b) => a.buyerName.localeCompare(b.buyerName))
}

/**
 * Books each product's surplus at a stage into the organisation's stock, with its origin (round,
 * product). Running it again books only the difference, so stock is never counted twice.
 */
export function bookSurplus(ws: Workspace, roundId: string, stage: Stage, deviceId: string): { productId: string; units: number }[] {
  const c = consolidate(ws, roundId, stage)
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
  units: number
  origins: { roundId: string | null; roundName: string | null; units: number }[]
}

/** The organisation's stock per product, with where it came from. */
export function listStock(ws: Workspace): StockRow[] {
  const rows = ws.db
    .prepare(
      `SELECT m.product_id AS productId, p.sku, p.name_es AS nameEs, p.name_de AS nameDe, p.name_en AS nameEn,
        m.round_id AS roundId, r.name AS roundName, sum(m.units) AS units
       FROM stock_movement m JOIN product p ON p.id = m.product_id LEFT JOIN round r ON r.id = m.round_id
       GROUP BY m.product_id, m.round_id ORDER BY p.sku`
    )
    .all() as (Omit<StockRow, 'origins'> & { roundId: string | null; roundName: string | null })[]
  const out = new Map<string, StockRow>()
  for (const r of rows) {
    let s = out.get(r.productId)
    if (!s) out.set(r.productId, (s = { productId: r.productId, sku: r.sku, nameEs: r.nameEs, nameDe: r.nameDe, nameEn: r.nameEn, units: 0, origins: [] }))
    s.units += r.units
    if (r.units !== 0) s.origins.push({ roundId: r.roundId, roundName: r.roundName, units: r.units })
  }
  return [...out.values()].filter((s) => s.units !== 0)
}
