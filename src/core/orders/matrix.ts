import type { Language } from '../../shared/reference.ts'
import type { Workspace } from '../db/workspace.ts'
import { getRound } from '../rounds/rounds.ts'
import { currencyDigits } from '../reference/reference.ts'
import { fill, formTexts, localName, safeFileName } from '../common/text.ts'
import { quantityAmountMinor } from '../common/money.ts'

/**
 * The order matrix of a round: one row per buyer (a hub's sub-buyers as rows of their own, the hub's
 * own lines as the hub's row), one column per ordered product, the ordered quantities (tolerances are
 * not orders and are left out), each buyer's total amount and each product's total units. Quantities are
 * ×1000 in the product's sales unit (1,5 kg = 1500), so that goods ordered in steps show as typed. Written
 * as CSV and XLSX by spreadsheets/matrix.ts.
 */
export interface MatrixData {
  round: { id: string; name: string; currency: string; digits: number }
  products: { productId: string; sku: string; name: string; supplierName: string; priceMinor: number }[]
  rows: { buyerId: string; buyer: string; hub: string | null; quantities: number[]; totalMinor: number }[]
  /** Quantity ×1000 per product over all rows, and the amount over all rows. */
  totals: number[]
  totalMinor: number
}

export function matrixData(ws: Workspace, roundId: string, lang: Language): MatrixData {
  const round = getRound(ws, roundId)
  const lines = ws.db
    .prepare(
      `SELECT o.buyer_id AS orderBuyerId, b.name AS orderBuyer, q.sub_buyer_id AS subId, sb.name AS subName, q.product_id AS productId, q.quantity
       FROM line_quantity q JOIN buyer_order o ON o.id = q.order_id AND o.deleted_at IS NULL
       JOIN buyer b ON b.id = o.buyer_id LEFT JOIN buyer sb ON sb.id = q.sub_buyer_id
       WHERE o.round_id = ? AND q.quantity > 0`
    )
    .all(roundId) as { orderBuyerId: string; orderBuyer: string; subId: string | null; subName: string | null; productId: string; quantity: number }[]
  const products = ws.db
    .prepare(
      `SELECT DISTINCT p.id AS productId, p.sku, p.name_es AS nameEs, p.name_de AS nameDe, p.name_en AS nameEn, s.name AS supplierName,
        coalesce(rp.price_minor, 0) AS priceMinor, p.step_milli AS stepMilli
       FROM line_quantity q JOIN buyer_order o ON o.id = q.order_id AND o.deleted_at IS NULL
       JOIN product p ON p.id = q.product_id JOIN supplier s ON s.id = p.supplier_id
       LEFT JOIN round_product rp ON rp.round_id = o.round_id AND rp.product_id = p.id
       WHERE o.round_id = ? AND q.quantity > 0 ORDER BY s.name COLLATE NOCASE, p.sku`
    )
    .all(roundId) as { productId: string; sku: string; nameEs: string | null; nameDe: string | null; nameEn: string | null; supplierName: string; priceMinor: number; stepMilli: number }[]
  const column = new Map(products.map((p, i) => [p.productId, i]))
  const rows = new Map<string, MatrixData['rows'][number]>()
  for (const l of lines) {
    const key = `${l.orderBuyerId}|${l.subId ?? ''}`
    let row = rows.get(key)
    if (!row) {
      row = l.subId
        ? { buyerId: l.subId, buyer: l.subName ?? '', hub: l.orderBuyer, quantities: products.map(() => 0), totalMinor: 0 }
        : { buyerId: l.orderBuyerId, buyer: l.orderBuyer, hub: null, quantities: products.map(() => 0), totalMinor: 0 }
      rows.set(key, row)
    }
    const i = column.get(l.productId)!
    const milli = l.quantity * products[i]!.stepMilli
    row.quantities[i]! += milli
    row.totalMinor += quantityAmountMinor(milli, products[i]!.priceMinor)
  }
  const sorted = [...rows.values()].sort((a, b) => (a.hub ?? a.buyer).localeCompare(b.hub ?? b.buyer) || (a.hub ? 1 : 0) - (b.hub ? 1 : 0) || a.buyer.localeCompare(b.buyer))
  const totals = products.map((_, i) => sorted.reduce((a, r) => a + r.quantities[i]!, 0))
  return {
    round: { id: round.id, name: round.name, currency: round.currency, digits: currencyDigits(ws, round.currency) },
    products: products.map((p) => ({ productId: p.productId, sku: p.sku, name: localName(p, lang), supplierName: p.supplierName, priceMinor: p.priceMinor })),
    rows: sorted,
    totals,
    totalMinor: sorted.reduce((a, r) => a + r.totalMinor, 0)
  }
}

export function matrixFileName(data: MatrixData, lang: Language, ext: 'xlsx' | 'csv'): string {
  return `${safeFileName(fill(formTexts(lang).matrixFileName, { round: data.round.name }))}.${ext}`
}
