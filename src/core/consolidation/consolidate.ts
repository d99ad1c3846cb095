import type { Workspace } from '../db/workspace.ts'
import type { Values } from '../db/writer.ts'
import { stamp } from '../common/env.ts'
import { quantityAmountMinor } from '../common/money.ts'
import { getRound } from '../rounds/rounds.ts'
import { AppError } from '../../shared/errors.ts'
import type { CutStrategy, ExtrasTo, Stage, StoredCutStrategy } from '../../shared/vocabulary.ts'
import { allocate, type CaseDecision, casesSteps, type Claim, decideCases, lineQuantityMilli, pricePerMilli, type RoundingPolicy } from './allocate.ts'
import { missingToFill } from './policies.ts'


/**
 * Which products get their per-line results: all (for change notices and stored allocations), only
 * those with overrides (the summary view: totals per product are exact without the lines), or one.
 */
export type LineScope = 'all' | 'summary' | { productId: string }

export interface LineResult {
  lineId: string
  buyerId: string
  buyerName: string
  buyerLanguage: string
  subBuyerId: string | null
  subBuyerName: string | null
  quantity: number
  tolerance: number
  firstAt: string
  /** What the cut strategy gives this line. */
  computed: number
  /** The coordinator's override, if any. */
  override: { granted: number; reason: string } | null
  /** What the buyer gets: the override, else the computed result. */
  granted: number
  /** Of `granted`, the units from what was ordered (at most the quantity) and those beyond it, from the tolerance. */
  fromOrdered: number
  fromTolerance: number
}

export interface ProductResult {
  productId: string
  sku: string
  nameEs: string | null
  nameDe: string | null
  nameEn: string | null
  salesUnit: string
  supplierId: string
  supplierName: string
  caseMilli: number
  /** The product's step, ×1000 of its sales unit: every quantity here counts steps (1000: whole units). */
  stepMilli: number
  roundPriceMinor: number
  /** The cooperative's price: per sales unit, or per case when `pricePerCase`. */
  supplierPriceMinor: number
  pricePerCase: boolean
  supplierCurrency: string
  grossGPerCase: number | null
  volumeCm3PerCase: number | null
  policy: RoundingPolicy
  policyOverridden: boolean
  quantity: number
  tolerance: number
  cases: number
  /** Units to hand out at this stage (cases × case size, or confirmed/received units). */
  available: number
  /** Units still missing to fill the next case (under tolerance_fill the tolerance counts; see missingToFill). */
  missingToNextCase: number
  /** Units ordered that nobody gets (available short of ordered). */
  cut: number
  /** Units nobody ordered that go to stock. */
  surplus: number
  /** Overrides hand out more than there is. */
  overAllocated: boolean
  /**
   * Units available minus the units handed out: under manual distribution, what is still to distribute
   * (positive) or distributed beyond what there is (negative).
   */
  unassigned: number
  /** Whether `lines` holds this product's lines (see LineScope). */
  linesIncluded: boolean
  minOrderCases: number
  belowMinimum: boolean
  held: boolean
  lines: LineResult[]
}

export interface SupplierResult {
  supplierId: string
  name: string
  /** Who gets the purchase order: the exporter of record, or the cooperative itself. */
  orderTo: { id: string; name: string }
  currency: string | null
  valueMinor: number
  /** Sums over the products that know their weight (volume) per case; the products ordered that do not are counted. */
  grossG: number
  volumeCm3: number
  grossMissing: number
  volumeMissing: number
  cases: number
  minOrderMinor: number | null
  belowMinimum: boolean
  held: boolean
}

export interface Consolidation {
  roundId: string
  stage: Stage
  /** The round's cut strategy: `manual` when the coordinator distributes short products by hand. */
  cutStrategy: CutStrategy
  /** Where units confirmed or received beyond the orders go first (at the planned stage, always the tolerances). */
  extrasTo: ExtrasTo
  roundingPolicy: RoundingPolicy
  /** The round's threshold in basis points of a case, kept while another policy is chosen. */
  thresholdBp: number
  products: ProductResult[]
  suppliers: SupplierResult[]
}

interface ProductRow {
  productId: string
  sku: string
  nameEs: string | null
  nameDe: string | null
  nameEn: string | null
  salesUnit: string
  supplierId: string
  supplierName: string
  exporterId: string | null
  exporterName: string | null
  caseMilli: number
  stepMilli: number
  pricePerCase: number
  roundPriceMinor: number | null
  supplierPriceMinor: number
  supplierCurrency: string
  grossGPerCase: number | null
  volumeCm3PerCase: number | null
  minOrderCases: number
  minOrderAction: 'warn' | 'hold'
  supplierMinMinor: number | null
  supplierMinCurrency: string | null
  supplierMinAction: 'warn' | 'hold'
  policyOverride: RoundingPolicy['kind'] | null
  thresholdOverride: number | null
  confirmedUnits: number | null
  receivedUnits: number | null
  brokenUnits: number | null
}

/**
 * A product's minimum in cases can be reached with the tolerance: when the cases decided fall short of the
 * minimum but the ordered units plus the tolerance fill it (minimum 10 cases of 1, 9 ordered + 1 tolerance),
 * the minimum is ordered rather than the product held as below it. Nothing ordered stays nothing.
 */
function reachMinimum(decision: CaseDecision, quantity: number, tolerance: number, p: Pick<ProductRow, 'caseMilli' | 'stepMilli' | 'minOrderCases'>): CaseDecision {
  const { caseMilli, stepMilli, minOrderCases } = p
  if (minOrderCases <= 0 || decision.cases === 0 || decision.cases >= minOrderCases) return decision
  if ((quantity + tolerance) * stepMilli < minOrderCases * caseMilli) return decision
  return { cases: minOrderCases, available: casesSteps(minOrderCases, caseMilli, stepMilli) }
}

function policyOf(kind: RoundingPolicy['kind'], thresholdBp: number): RoundingPolicy {
  return kind === 'threshold' ? { kind, thresholdBp } : { kind }
}

/**
 * Consolidates a round: per product the ordered units and tolerance, the cases the rounding policy
 * orders, the units missing to the next case, and who gets how many — by the round's cut strategy,
 * unless the coordinator overrode a line. At the `confirmed` and `received` stages the available units
 * are what the cooperative confirmed or what arrived intact, and the same cut strategy re-allocates.
 * A product below its minimum order (or of a supplier below its minimum value) is held when so set.
 */
export function consolidate(ws: Workspace, roundId: string, stage: Stage = 'planned', scope: LineScope = 'all', opts: { ignoreBroken?: boolean } = {}): Consolidation {
  const round = getRound(ws, roundId)
  const r = ws.db
    .prepare('SELECT rounding_policy AS policy, threshold_bp AS thresholdBp, cut_strategy AS cut, manual_cut AS manual, extras_to AS extrasTo FROM round WHERE id = ?')
    .get(roundId) as { policy: RoundingPolicy['kind']; thresholdBp: number; cut: StoredCutStrategy; manual: 0 | 1; extrasTo: ExtrasTo }
  const cut: CutStrategy = r.manual ? 'manual' : r.cut
  // Extras exist only once the cooperative confirms or delivers: the planned cases use the tolerances.
  const extras: ExtrasTo = stage === 'planned' ? 'tolerance' : r.extrasTo
  // Totals per product straight from SQL; per-line rows only where the scope asks for them.
  const sums = new Map(
    (
      ws.db
        .prepare(
          `SELECT l.product_id, sum(l.quantity), sum(l.tolerance) FROM order_line l JOIN buyer_order o ON o.id = l.order_id AND o.deleted_at IS NULL
           WHERE o.round_id = ? AND (l.quantity > 0 OR l.tolerance > 0) GROUP BY l.product_id`
        )
        .raw(true)
        .all(roundId) as [string, number, number][]
    ).map((x) => [x[0], { quantity: x[1], tolerance: x[2] }])
  )
  const overrideRows = ws.db
    .prepare(
      `SELECT ov.line_id, ov.granted, ov.reason, l.product_id FROM allocation_override ov JOIN order_line l ON l.id = ov.line_id
       JOIN buyer_order o ON o.id = l.order_id WHERE o.round_id = ? AND ov.deleted_at IS NULL`
    )
    .raw(true)
    .all(roundId) as [string, number, string, string][]
  const overrides = new Map(overrideRows.map((o) => [o[0], o]))
  const lineSql = `SELECT l.id, l.product_id, o.buyer_id, l.sub_buyer_id, l.quantity, l.tolerance, coalesce(l.first_at, l.created_at), l.log_entries, l.order_id
       FROM order_line l JOIN buyer_order o ON o.id = l.order_id AND o.deleted_at IS NULL
       WHERE o.round_id = ? AND (l.quantity > 0 OR l.tolerance > 0)`
  let raw: RawLine[]
  if (scope === 'all') raw = ws.db.prepare(lineSql).raw(true).all(roundId) as RawLine[]
  else {
    const wanted = scope === 'summary' ? [...new Set(overrideRows.map((o) => o[3]))] : [scope.productId]
    raw = wanted.length
      ? (ws.db.prepare(`${lineSql} AND l.product_id IN (SELECT value FROM json_each(?))`).raw(true).all(roundId, JSON.stringify(wanted)) as RawLine[])
      : []
  }
  const names = new Map(
    (ws.db.prepare('SELECT id, name, language FROM buyer').raw(true).all() as [string, string, string][]).map((b) => [b[0], b])
  )
  const linesByProduct = new Map<string, RawLine[]>()
  for (const x of raw) {
    let list = linesByProduct.get(x[1])
    if (!list) linesByProduct.set(x[1], (list = []))
    list.push(x)
  }
  // The quantity log matters only for lines changed more than once (otherwise the first time says it
  // all) and for lines of orders whose received time was changed: an entry counts from the time it was
  // received (or made), moved along each later change of its order that starts at that time.
  const logs = new Map<string, { at: string; quantityDelta: number; toleranceDelta: number }[]>()
  const moves = new Map<string, { from: string; to: string; at: string }[]>()
  if (cut === 'first_come')
    for (const c of ws.db
      .prepare(
        `SELECT c.order_id AS orderId, c.from_at AS "from", c.to_at AS "to", c.at FROM order_received_change c
         JOIN buyer_order o ON o.id = c.order_id WHERE o.round_id = ? ORDER BY c.at, c.rowid`
      )
      .all(roundId) as { orderId: string; from: string; to: string; at: string }[]) {
      let list = moves.get(c.orderId)
      if (!list) moves.set(c.orderId, (list = []))
      list.push(c)
    }
  const changedLines = cut === 'first_come' ? raw.filter((x) => x[7] > 1 || moves.has(x[8])) : []
  if (changedLines.length) {
    const rows = ws.db
      .prepare(
        `SELECT line_id AS lineId, at, received_at AS receivedAt, quantity_delta AS quantityDelta, tolerance_delta AS toleranceDelta
         FROM quantity_log WHERE line_id IN (SELECT value FROM json_each(?)) ORDER BY at, rowid`
      )
      .all(JSON.stringify(changedLines.map((x) => x[0]))) as { lineId: string; at: string; receivedAt: string | null; quantityDelta: number; toleranceDelta: number }[]
    const lineOf = new Map(changedLines.map((x) => [x[0], x]))
    const first = new Map<string, string>()
    for (const e of rows) {
      const line = lineOf.get(e.lineId)!
      let at = e.receivedAt ?? e.at
      // A change of the order's received time moves everything entered before it (the last change wins).
      for (const m of moves.get(line[8]) ?? []) if (m.at > e.at) at = m.to
      let list = logs.get(e.lineId)
      if (!list) logs.set(e.lineId, (list = []))
      list.push({ at, quantityDelta: e.quantityDelta, toleranceDelta: e.toleranceDelta })
      if (!first.has(e.lineId) || at < first.get(e.lineId)!) first.set(e.lineId, at)
    }
    // A moved order's lines count from their moved first time.
    for (const [id, at] of first) if (moves.has(lineOf.get(id)![8])) lineOf.get(id)![6] = at
  }

  const products = ws.db
    .prepare(
      `SELECT p.id AS productId, p.sku, p.name_es AS nameEs, p.name_de AS nameDe, p.name_en AS nameEn, p.sales_unit AS salesUnit,
        s.id AS supplierId, coalesce(nullif(s.short_name, ''), s.name) AS supplierName, x.id AS exporterId,
        coalesce(nullif(x.short_name, ''), x.name) AS exporterName, p.case_milli AS caseMilli,
        p.step_milli AS stepMilli, p.price_per_case AS pricePerCase,
        rp.price_minor AS roundPriceMinor, p.price_minor AS supplierPriceMinor, p.currency AS supplierCurrency,
        p.gross_g_per_case AS grossGPerCase, p.volume_cm3_per_case AS volumeCm3PerCase, p.min_order_cases AS minOrderCases,
        p.min_order_action AS minOrderAction, s.min_order_minor AS supplierMinMinor, s.min_order_currency AS supplierMinCurrency,
        s.min_order_action AS supplierMinAction, rp.rounding_policy AS policyOverride, rp.threshold_bp AS thresholdOverride,
        pl.confirmed_units AS confirmedUnits, pl.received_units AS receivedUnits, pl.broken_units AS brokenUnits
       FROM product p JOIN supplier s ON s.id = p.supplier_id LEFT JOIN supplier x ON x.id = s.exporter_id
       LEFT JOIN round_product rp ON rp.round_id = @round AND rp.product_id = p.id
       LEFT JOIN purchase_order po ON po.round_id = @round AND po.deleted_at IS NULL AND po.supplier_id = coalesce(s.exporter_id, s.id)
       LEFT JOIN purchase_order_line pl ON pl.purchase_order_id = po.id AND pl.product_id = p.id AND pl.deleted_at IS NULL
       WHERE p.id IN (SELECT value FROM json_each(@ids))
       ORDER BY s.name COLLATE NOCASE, p.sku`
    )
    .all({ round: roundId, ids: JSON.stringify([...sums.keys()]) }) as ProductRow[]
  // First pass: cases per product, then supplier totals (minimum order value), then allocation.
  const planned = products.map((p) => {
    const lines = linesByProduct.get(p.productId) ?? []
    const { quantity, tolerance } = sums.get(p.productId)!
    const policy = policyOf(p.policyOverride ?? r.policy, p.thresholdOverride ?? r.thresholdBp)
    const decision = reachMinimum(decideCases(policy, quantity, tolerance, p.caseMilli, p.stepMilli), quantity, tolerance, p)
    return { p, lines, quantity, tolerance, policy, decision, missing: missingToFill(policy.kind, quantity, tolerance, p.caseMilli, p.stepMilli) }
  })
  const suppliers = new Map<string, SupplierResult>()
  for (const x of planned) {
    const { p, decision } = x
    let s = suppliers.get(p.supplierId)
    if (!s) {
      s = {
        supplierId: p.supplierId,
        name: p.supplierName,
        orderTo: { id: p.exporterId ?? p.supplierId, name: p.exporterName ?? p.supplierName },
        currency: p.supplierCurrency,
        valueMinor: 0,
        grossG: 0,
        volumeCm3: 0,
        grossMissing: 0,
        volumeMissing: 0,
        cases: 0,
        minOrderMinor: p.supplierMinCurrency === p.supplierCurrency ? p.supplierMinMinor : null,
        belowMinimum: false,
        held: false
      }
      suppliers.set(p.supplierId, s)
    }
    if (s.currency !== p.supplierCurrency) s.currency = null
    // Exact, as the purchase order bills it: 6 cases of 1,44 m² are 8,64 m² × the price, not 8 units.
    s.valueMinor += quantityAmountMinor(lineQuantityMilli({ ...decision, caseMilli: p.caseMilli, stepMilli: p.stepMilli }), p.supplierPriceMinor, pricePerMilli(p))
    s.grossG += decision.cases * (p.grossGPerCase ?? 0)
    s.volumeCm3 += decision.cases * (p.volumeCm3PerCase ?? 0)
    if (decision.cases > 0 && p.grossGPerCase === null) s.grossMissing++
    if (decision.cases > 0 && p.volumeCm3PerCase === null) s.volumeMissing++
    s.cases += decision.cases
  }
  for (const s of suppliers.values()) {
    s.belowMinimum = s.minOrderMinor !== null && s.valueMinor < s.minOrderMinor
    const action = planned.find((x) => x.p.supplierId === s.supplierId)!.p.supplierMinAction
    s.held = s.belowMinimum && action === 'hold'
  }

  const result: ProductResult[] = planned.map(({ p, lines, quantity, tolerance, policy, decision, missing }) => {
    const belowMinimum = p.minOrderCases > 0 && decision.cases > 0 && decision.cases < p.minOrderCases
    const held = (belowMinimum && p.minOrderAction === 'hold') || suppliers.get(p.supplierId)!.held
    let available = held ? 0 : decision.available
    if (stage !== 'planned' && p.confirmedUnits !== null) available = p.confirmedUnits
    // (ignoreBroken: what everyone would get had nothing broken — telling breakage from short delivery per line.)
    if (stage === 'received' && p.receivedUnits !== null) available = Math.max(0, p.receivedUnits - (opts.ignoreBroken ? 0 : (p.brokenUnits ?? 0)))
    // Extras to stock apply to quantities the cooperative confirmed or delivered: until one is recorded,
    // the planned distribution (a tolerance that filled a case included) stands.
    const recorded = stage === 'confirmed' ? p.confirmedUnits !== null : stage === 'received' ? p.receivedUnits !== null || p.confirmedUnits !== null : false
    const extrasHere: ExtrasTo = recorded ? extras : 'tolerance'
    const computedOf = lines.length ? grantedByLine(cut, lines, logs, available, extrasHere) : new Map<string, number>()
    // In the order the cut strategy goes through them (both: first order time, then line id).
    const inCutOrder = [...lines].sort((a, b) => (a[6] < b[6] ? -1 : a[6] > b[6] ? 1 : a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    const out: LineResult[] = inCutOrder.map((l) => {
      const computed = computedOf.get(l[0]) ?? 0
      const ov = overrides.get(l[0])
      const buyer = names.get(l[2])!
      const granted = ov ? ov[1] : computed
      return {
        lineId: l[0],
        buyerId: l[2],
        buyerName: buyer[1],
        buyerLanguage: buyer[2],
        subBuyerId: l[3],
        subBuyerName: l[3] ? names.get(l[3])![1] : null,
        quantity: l[4],
        tolerance: l[5],
        firstAt: l[6],
        computed,
        override: ov ? { granted: ov[1], reason: ov[2] } : null,
        granted,
        fromOrdered: Math.min(granted, l[4]),
        // Units beyond quantity + tolerance (a coordinator's override) are not the tolerance's.
        fromTolerance: Math.min(l[5], Math.max(0, granted - l[4]))
      }
    })
    // Without its lines, a product hands out what both automatic strategies do: all there is, up to quantity +
    // tolerance (only the quantity when extras go to stock); manual distribution hands out what was ordered
    // (nothing when nothing is available).
    const given = lines.length
      ? out.reduce((a, l) => a + l.granted, 0)
      : cut === 'manual' || (extrasHere === 'stock' && available >= quantity)
        ? available === 0
          ? 0
          : quantity
        : Math.min(available, quantity + tolerance)
    return {
      productId: p.productId,
      sku: p.sku,
      nameEs: p.nameEs,
      nameDe: p.nameDe,
      nameEn: p.nameEn,
      salesUnit: p.salesUnit,
      supplierId: p.supplierId,
      supplierName: p.supplierName,
      caseMilli: p.caseMilli,
      stepMilli: p.stepMilli,
      roundPriceMinor: p.roundPriceMinor ?? 0,
      supplierPriceMinor: p.supplierPriceMinor,
      pricePerCase: p.pricePerCase === 1,
      supplierCurrency: p.supplierCurrency,
      grossGPerCase: p.grossGPerCase,
      volumeCm3PerCase: p.volumeCm3PerCase,
      policy,
      policyOverridden: p.policyOverride !== null,
      quantity,
      tolerance,
      cases: held ? 0 : decision.cases,
      available,
      missingToNextCase: missing,
      // By hand nothing is cut by the app: what the coordinator's results leave of the orders.
      cut:
        cut === 'manual'
          ? lines.length
            ? Math.max(0, quantity - out.reduce((a, l) => a + l.fromOrdered, 0))
            : available === 0
              ? quantity
              : 0
          : Math.max(0, quantity - Math.min(available, quantity)),
      surplus: Math.max(0, available - given),
      overAllocated: given > available,
      unassigned: available - given,
      linesIncluded: scope === 'all' || lines.length > 0,
      minOrderCases: p.minOrderCases,
      belowMinimum,
      held,
      lines: out
    }
  })
  return { roundId: round.id, stage, cutStrategy: cut, extrasTo: r.extrasTo, roundingPolicy: policyOf(r.policy, r.thresholdBp), thresholdBp: r.thresholdBp, products: result, suppliers: [...suppliers.values()] }
}

type RawLine = [id: string, productId: string, buyerId: string, subBuyerId: string | null, quantity: number, tolerance: number, firstAt: string, logEntries: number, orderId: string]

/**
 * Units per line by the cut strategy. The common case — first come, and no line of the product changed
 * after it was entered nor moved in time — needs no quantity log: one sort by time, then ordered units,
 * then tolerance.
 */
function grantedByLine(
  cut: CutStrategy,
  lines: readonly RawLine[],
  logs: Map<string, { at: string; quantityDelta: number; toleranceDelta: number }[]>,
  available: number,
  extras: ExtrasTo
): Map<string, number> {
  // Manual (nothing to distribute when nothing is available), or more than ordered with the extras going to
  // stock: every line gets what it ordered.
  if (cut === 'manual' || (extras === 'stock' && available >= lines.reduce((a, l) => a + l[4], 0)))
    return new Map(lines.map((l) => [l[0], cut === 'manual' && available === 0 ? 0 : l[4]]))
  if (cut === 'first_come' && (logs.size === 0 || lines.every((l) => !logs.has(l[0])))) {
    const order = [...lines].sort((a, b) => (a[6] < b[6] ? -1 : a[6] > b[6] ? 1 : a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    const granted = new Map<string, number>()
    let left = available
    for (const l of order) {
      const n = Math.min(l[4], left)
      granted.set(l[0], n)
      left -= n
    }
    for (const l of order) {
      if (left === 0) break
      const n = Math.min(l[5], left)
      granted.set(l[0], granted.get(l[0])! + n)
      left -= n
    }
    return granted
  }
  const claims: Claim[] = lines.map((l) => {
    const log = logs.get(l[0])
    return log ? { key: l[0], quantity: l[4], tolerance: l[5], firstAt: l[6], log } : { key: l[0], quantity: l[4], tolerance: l[5], firstAt: l[6] }
  })
  return allocate(cut, claims, available, extras).granted
}

/**
 * Refuses to go on (purchase orders, surplus into stock) while a product distributed by hand hands out more
 * units than there are: nothing may silently promise buyers units that do not exist.
 */
export function refuseOverDistributed(c: Consolidation): void {
  if (c.cutStrategy !== 'manual') return
  const over = c.products.filter((p) => p.unassigned < 0)
  if (over.length)
    throw new AppError('consolidation.over_distributed', {
      count: over.length,
      // The first ten named (a long list would bury the message), the rest counted.
      products: over
        .slice(0, 10)
        .map((p) => `${p.sku} (${-p.unassigned})`)
        .concat(over.length > 10 ? [`… +${over.length - 10}`] : [])
        .join(', ')
    })
}

/**
 * Stores the computed result of every line for a stage (what the buyers get), replacing the last run.
 * Only lines whose result changed are written (with the time of this run): a run that changes nothing
 * writes nothing. Returns the number of lines of the stage.
 */
export function storeAllocation(ws: Workspace, c: Consolidation): number {
  const now = stamp(ws.env)
  const stored = new Map(
    ws.db
      .prepare(
        `SELECT a.line_id, a.granted FROM allocation a JOIN order_line l ON l.id = a.line_id JOIN buyer_order o ON o.id = l.order_id
         WHERE o.round_id = ? AND a.stage = ?`
      )
      .raw()
      .all(c.roundId, c.stage) as [string, number][]
  )
  const fresh: Values[] = []
  let n = 0
  for (const p of c.products)
    for (const l of p.lines) {
      n++
      const before = stored.get(l.lineId)
      if (before === undefined) fresh.push({ line_id: l.lineId, stage: c.stage, granted: l.computed, computed_at: now })
      else if (before !== l.computed) ws.write.update('allocation', { line_id: l.lineId, stage: c.stage }, { granted: l.computed, computed_at: now })
    }
  ws.write.insertMany('allocation', fresh)
  return n
}
