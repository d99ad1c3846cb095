import type { RoundStatus } from '../../shared/vocabulary.ts'
import { consolidate } from '../consolidation/consolidate.ts'
import { stamp } from '../common/env.ts'
import type { Workspace } from '../db/workspace.ts'
import { getRound, roundPrices } from '../rounds/rounds.ts'

/** A product the dashboard names: enough to show it in any language and find it. */
export interface DashboardProduct {
  productId: string
  sku: string
  nameEs: string | null
  nameDe: string | null
  nameEn: string | null
  supplierName: string
}

export interface DashboardBuyer {
  buyerId: string
  buyerName: string
  /** Products ordered (lines with a quantity or tolerance), units ordered (in the sales units: 1,5 kg counts 1.5). */
  lines: number
  units: number
  /** When the order came in (first come counts from it), else when it was created. */
  receivedAt: string
}

export type NextStep =
  | 'createRound'
  | 'openRound'
  | 'setPrices'
  | 'enterOrders'
  | 'closeRound'
  | 'createPurchaseOrders'
  | 'followPurchaseOrders'
  | 'invoice'

export interface Dashboard {
  round: {
    id: string
    name: string
    status: RoundStatus
    closesAt: string
    timeZone: string
    currency: string
    acceptingOrders: boolean
    /** The deadline has passed (open rounds only close by hand). */
    deadlinePassed: boolean
  } | null
  ordersPerBuyer: DashboardBuyer[]
  /** Active buyers (not sub-buyers of a hub) with no order in the round. */
  buyersWithoutOrder: number
  missing: {
    /** Products of the round (not blocked) without a price for it. */
    pricesMissing: DashboardProduct[]
    /** Ordered products without a gross weight per case (freight and papers need it). */
    weightsMissing: DashboardProduct[]
    /** Products below their minimum cases, and cooperatives below their minimum order value. */
    minimumsNotReached: { products: (DashboardProduct & { cases: number; minOrderCases: number })[]; suppliers: { supplierId: string; name: string; valueMinor: number; minOrderMinor: number; currency: string }[] }
  }
  nextStep: { step: NextStep; section: 'rounds' | 'orders' | 'consolidation' | 'invoices' }
}

/** The round the overview is about: the open one closing first, else the latest that is not settled. */
function currentRoundId(ws: Workspace): string | null {
  const open = ws.db.prepare("SELECT id FROM round WHERE deleted_at IS NULL AND status = 'open' ORDER BY closes_at, id LIMIT 1").pluck().get() as string | undefined
  if (open) return open
  const other = ws.db
    .prepare("SELECT id FROM round WHERE deleted_at IS NULL AND status <> 'settled' ORDER BY closes_at DESC, id LIMIT 1")
    .pluck()
    .get() as string | undefined
  return other ?? null
}

const STEP_SECTION: Record<NextStep, Dashboard['nextStep']['section']> = {
  createRound: 'rounds',
  openRound: 'rounds',
  setPrices: 'rounds',
  enterOrders: 'orders',
  closeRound: 'rounds',
  createPurchaseOrders: 'consolidation',
  followPurchaseOrders: 'consolidation',
  invoice: 'invoices'
}

const step = (s: NextStep): Dashboard['nextStep'] => ({ step: s, section: STEP_SECTION[s] })

/** The overview's dashboard: the current round, its orders per buyer, what is missing, and the next step. Reads only. */
export function dashboard(ws: Workspace): Dashboard {
  const id = currentRoundId(ws)
  if (!id) {
    return {
      round: null,
      ordersPerBuyer: [],
      buyersWithoutOrder: 0,
      missing: { pricesMissing: [], weightsMissing: [], minimumsNotReached: { products: [], suppliers: [] } },
      nextStep: step('createRound')
    }
  }
  const round = getRound(ws, id)
  const deadlinePassed = round.status === 'open' && stamp(ws.env) >= round.closesAt

  const ordersPerBuyer = ws.db
    .prepare(
      `SELECT o.buyer_id AS buyerId, b.name AS buyerName, coalesce(o.ordered_at, min(l.first_at), o.created_at) AS receivedAt,
        count(DISTINCT CASE WHEN l.quantity > 0 OR l.tolerance > 0 THEN l.product_id END) AS lines,
        coalesce(sum(l.quantity * p.step_milli), 0) / 1000.0 AS units
       FROM buyer_order o JOIN buyer b ON b.id = o.buyer_id LEFT JOIN order_line l ON l.order_id = o.id
       LEFT JOIN product p ON p.id = l.product_id
       WHERE o.round_id = ? AND o.deleted_at IS NULL GROUP BY o.id
       -- An order emptied again is no order (as in the orders list).
       HAVING sum(l.quantity) > 0 OR sum(l.tolerance) > 0
       ORDER BY b.name COLLATE NOCASE, o.buyer_id`
    )
    .all(id) as DashboardBuyer[]
  const buyersWithoutOrder = ws.db
    .prepare(
      `SELECT count(*) FROM buyer b WHERE b.deleted_at IS NULL AND b.archived_at IS NULL AND b.hub_id IS NULL
       AND NOT EXISTS (SELECT 1 FROM buyer_order o JOIN order_line l ON l.order_id = o.id
         WHERE o.buyer_id = b.id AND o.round_id = ? AND o.deleted_at IS NULL AND (l.quantity > 0 OR l.tolerance > 0))`
    )
    .pluck()
    .get(id) as number

  const prices = roundPrices(ws, id)
  const product = (p: DashboardProduct): DashboardProduct => ({
    productId: p.productId,
    sku: p.sku,
    nameEs: p.nameEs,
    nameDe: p.nameDe,
    nameEn: p.nameEn,
    supplierName: p.supplierName
  })
  const pricesMissing = prices.filter((p) => !p.blocked && p.priceMinor === null).map(product)

  const weightsMissing = ws.db
    .prepare(
      `SELECT p.id AS productId, p.sku, p.name_es AS nameEs, p.name_de AS nameDe, p.name_en AS nameEn, coalesce(s.short_name, s.name) AS supplierName
       FROM product p JOIN supplier s ON s.id = p.supplier_id
       WHERE p.gross_g_per_case IS NULL AND p.id IN (
         SELECT l.product_id FROM order_line l JOIN buyer_order o ON o.id = l.order_id AND o.deleted_at IS NULL
         WHERE o.round_id = ? AND (l.quantity > 0 OR l.tolerance > 0))
       ORDER BY p.sku`
    )
    .all(id) as DashboardProduct[]

  const c = consolidate(ws, id, 'planned', 'summary')
  const minimumsNotReached = {
    products: c.products
      .filter((p) => p.belowMinimum)
      .map((p) => ({ ...product(p), cases: p.cases, minOrderCases: p.minOrderCases })),
    suppliers: c.suppliers
      .filter((s) => s.belowMinimum && s.minOrderMinor !== null && s.currency !== null)
      .map((s) => ({ supplierId: s.supplierId, name: s.name, valueMinor: s.valueMinor, minOrderMinor: s.minOrderMinor!, currency: s.currency! }))
  }

  const purchaseOrders = ws.db.prepare('SELECT count(*) FROM purchase_order WHERE round_id = ? AND deleted_at IS NULL').pluck().get(id) as number
  let next: NextStep
  switch (round.status) {
    case 'draft':
      next = pricesMissing.length ? 'setPrices' : 'openRound'
      break
    case 'open':
      next = deadlinePassed ? 'closeRound' : pricesMissing.length ? 'setPrices' : 'enterOrders'
      break
    case 'closed':
      next = purchaseOrders ? 'followPurchaseOrders' : 'createPurchaseOrders'
      break
    case 'ordered':
      next = 'followPurchaseOrders'
      break
    default:
      next = 'invoice'
  }

  return {
    round: {
      id,
      name: round.name,
      status: round.status,
      closesAt: round.closesAt,
      timeZone: round.timeZone,
      currency: round.currency,
      acceptingOrders: round.acceptingOrders,
      deadlinePassed
    },
    ordersPerBuyer,
    buyersWithoutOrder,
    missing: { pricesMissing, weightsMissing, minimumsNotReached },
    nextStep: step(next)
  }
}
