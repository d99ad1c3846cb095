import { z } from 'zod'
import { AppError } from '../../shared/errors.ts'
import type { Workspace } from '../db/workspace.ts'
import type { Values } from '../db/writer.ts'
import { stamp } from '../common/env.ts'
import { noProgress, type Progress } from '../common/progress.ts'
import { fieldError, type ListInput, listRows, requireRow } from '../common/records.ts'
import { requiredText } from '../common/zod.ts'
import { getRound, type Round } from '../rounds/rounds.ts'
import { decideCases, type RoundingPolicy } from '../consolidation/allocate.ts'
import { missingToFill } from '../consolidation/policies.ts'
import { checkSteps, stepsValue } from '../../shared/quantity.ts'

/**
 * A quantity or tolerance as the API receives it: a whole number of the product's steps (whole sales
 * units unless the product is ordered in smaller steps), 0 or more; `setOrderLines` checks the rest (the
 * step, at most MAX_QUANTITY units) once it knows the product.
 */
const units = z.number({ message: 'number' }).superRefine((n, ctx) => {
  const r = checkSteps(n)
  if (!r.ok) ctx.addIssue({ code: 'custom', message: r.code, params: 'params' in r ? r.params : undefined })
})

/** One order line as the entry form or an import sends it: quantities in steps of the product. */
export const lineInput = z.object({
  productId: z.uuid(),
  subBuyerId: z.uuid().nullish().transform((s) => s ?? null),
  quantity: units,
  tolerance: units.default(0)
})
export type LineInput = z.output<typeof lineInput>

/** An instant with its zone (as the entry form sends it), kept in the stamp format of the log (UTC, milliseconds). */
export const instant = z.iso.datetime({ offset: true, message: 'datetime' }).transform((s) => new Date(s).toISOString())

export const setLinesInput = z.object({
  roundId: z.uuid(),
  buyerId: z.uuid(),
  lines: z.array(lineInput).min(1).max(200_000),
  /** When the order reached the coordinator (paper, e-mail); absent: now. */
  orderedAt: instant.optional()
})

/** How far a received time may lie in the future (clocks differ) and in the past (older is a typo). */
const FUTURE_MS = 60_000
const PAST_MS = 366 * 24 * 3600_000

/**
 * The received time to log for entries made now: null when it is simply now (within a minute), the
 * instant otherwise. Refuses a time more than a minute ahead or more than a year back.
 */
export function receivedTime(ws: Workspace, orderedAt: string | undefined, path = 'orderedAt'): string | null {
  if (orderedAt === undefined) return null
  const now = ws.env.now().getTime()
  const at = Date.parse(orderedAt)
  if (at > now + FUTURE_MS) throw fieldError(path, 'received_future')
  if (at < now - PAST_MS) throw fieldError(path, 'received_past')
  return at >= now - FUTURE_MS ? null : orderedAt
}

/**
 * The amount of a number of steps at a price per sales unit, in SQL: steps × step ×1000 × price / 1000,
 * rounded half up to the minor unit (3 steps of 0,5 kg at 4,21 €/kg: 6,32 €); whole units are exact.
 */
export function stepsAmountSql(steps: string, stepMilli: string, priceMinor: string): string {
  return `((${steps} * ${stepMilli} * ${priceMinor} + 500) / 1000)`
}

export interface OrderLine {
  lineId: string
  productId: string
  subBuyerId: string | null
  subBuyerName: string | null
  supplierName: string
  sku: string
  nameEs: string | null
  nameDe: string | null
  nameEn: string | null
  salesUnit: string
  caseMilli: number
  /** The product's step ×1000 of its sales unit: quantity and tolerance count steps. */
  stepMilli: number
  quantity: number
  tolerance: number
  /** The round price per sales unit. */
  priceMinor: number
  totalMinor: number
}

export interface Order {
  roundId: string
  buyerId: string
  orderId: string | null
  currency: string
  acceptingOrders: boolean
  /** The round's box-fill phase is on: changes may only fill open cases. */
  boxFilling: boolean
  lines: OrderLine[]
  totalMinor: number
  /** When the order was received: the time given for it, else when its first line was entered. */
  receivedAt: string | null
  /** Every change of the received time, oldest first. */
  receivedChanges: ReceivedChange[]
}

export interface ReceivedChange {
  fromAt: string
  toAt: string
  reason: string
  at: string
}

/** A buyer's order in a round, with the current quantities (sums of the log) and totals. */
export function getOrder(ws: Workspace, roundId: string, buyerId: string): Order {
  const round = getRound(ws, roundId)
  requireRow(ws.db, 'buyer', buyerId)
  const order = ws.db
    .prepare(
      `SELECT id, coalesce(ordered_at, (SELECT min(first_at) FROM order_line WHERE order_id = o.id)) AS receivedAt
       FROM buyer_order o WHERE round_id = ? AND buyer_id = ? AND deleted_at IS NULL`
    )
    .get(roundId, buyerId) as { id: string; receivedAt: string | null } | undefined
  const lines = order
    ? (ws.db
        .prepare(
          `SELECT q.line_id AS lineId, q.product_id AS productId, q.sub_buyer_id AS subBuyerId, sb.name AS subBuyerName,
            s.name AS supplierName, p.sku, p.name_es AS nameEs, p.name_de AS nameDe, p.name_en AS nameEn, p.sales_unit AS salesUnit,
            p.case_milli AS caseMilli, p.step_milli AS stepMilli, q.quantity, q.tolerance, coalesce(rp.price_minor, 0) AS priceMinor,
            ${stepsAmountSql('q.quantity', 'p.step_milli', 'coalesce(rp.price_minor, 0)')} AS totalMinor
           FROM line_quantity q JOIN product p ON p.id = q.product_id JOIN supplier s ON s.id = p.supplier_id
           LEFT JOIN buyer sb ON sb.id = q.sub_buyer_id
           LEFT JOIN round_product rp ON rp.round_id = ? AND rp.product_id = q.product_id
           WHERE q.order_id = ? AND (q.quantity > 0 OR q.tolerance > 0)
           ORDER BY s.name COLLATE NOCASE, p.sku, sb.name`
        )
        .all(roundId, order.id) as OrderLine[])
    : []
  return {
    roundId,
    buyerId,
    orderId: order?.id ?? null,
    currency: round.currency,
    acceptingOrders: round.acceptingOrders,
    boxFilling: round.boxFilling,
    lines,
    totalMinor: lines.reduce((a, l) => a + l.totalMinor, 0),
    receivedAt: order?.receivedAt ?? null,
    receivedChanges: order
      ? (ws.db
          .prepare('SELECT from_at AS fromAt, to_at AS toAt, reason, at FROM order_received_change WHERE order_id = ? ORDER BY at, rowid')
          .all(order.id) as ReceivedChange[])
      : []
  }
}

interface Orderable {
  blocked: number
  blockReason: string | null
  priceMinor: number | null
}

/**
 * Sets the quantities of several lines of one buyer's order. Each line whose quantity or tolerance
 * changes gets one row appended to the quantity log with the difference; nothing is overwritten.
 * Refused as a whole (nothing written) when the round does not accept orders, a product is blocked, not
 * in the round or unpriced, or a sub-buyer is not a member of the ordering hub. Call inside a transaction.
 * Returns the order as it is now.
 */
export function setOrderLines(ws: Workspace, input: z.output<typeof setLinesInput>, source: 'entry' | 'import', deviceId: string): Order {
  const round = getRound(ws, input.roundId)
  if (!round.acceptingOrders) throw new AppError('round.closed', { status: round.status, closesAt: round.closesAt })
  const receivedAt = receivedTime(ws, input.orderedAt)
  const buyer = ws.db.prepare('SELECT type, archived_at FROM buyer WHERE id = ? AND deleted_at IS NULL').get(input.buyerId) as
    | { type: string; archived_at: string | null }
    | undefined
  if (!buyer) throw new AppError('record.not_found', { id: input.buyerId })
  const members = new Set(
    (ws.db.prepare('SELECT id FROM buyer WHERE hub_id = ? AND deleted_at IS NULL AND archived_at IS NULL').all(input.buyerId) as { id: string }[]).map((r) => r.id)
  )
  // The round's orderable products in one query (active products of its suppliers, with their round price).
  const orderable = new Map(
    (
      ws.db
        .prepare(
          `SELECT p.id, coalesce(rp.blocked, 0) AS blocked, rp.block_reason AS blockReason, rp.price_minor AS priceMinor, p.sales_unit AS salesUnit, p.step_milli AS stepMilli
           FROM round_supplier rs JOIN product p ON p.supplier_id = rs.supplier_id AND p.deleted_at IS NULL AND p.archived_at IS NULL
           LEFT JOIN round_product rp ON rp.round_id = rs.round_id AND rp.product_id = p.id
           WHERE rs.round_id = ? AND rs.deleted_at IS NULL`
        )
        .all(input.roundId) as (Orderable & { id: string; salesUnit: string; stepMilli: number })[]
    ).map((r) => [r.id, r])
  )
  input.lines.forEach((line, i) => {
    const p = orderable.get(line.productId)
    if (!p) throw new AppError('round.product_unavailable', { productId: line.productId, line: i + 1 })
    for (const field of ['quantity', 'tolerance'] as const) {
      const r = checkSteps(line[field], p.salesUnit, p.stepMilli)
      if (!r.ok) throw fieldError(`lines.${i}.${field}`, r.code, 'params' in r ? r.params : undefined)
    }
    if (p.blocked && (line.quantity > 0 || line.tolerance > 0)) throw new AppError('round.product_blocked', { productId: line.productId, reason: p.blockReason ?? '', line: i + 1 })
    if (p.priceMinor === null) throw new AppError('round.no_price', { productId: line.productId, line: i + 1 })
    if (line.subBuyerId && !members.has(line.subBuyerId)) throw fieldError(`lines.${i}.subBuyerId`, 'not_member')
  })
  writeOrderLines(
    ws,
    round,
    input.lines.map((l) => ({ ...l, buyerId: input.buyerId })),
    source,
    deviceId,
    receivedAt
  )
  return getOrder(ws, input.roundId, input.buyerId)
}

/** A line as it should be after a write: the buyer whose order holds it, and its new quantities. */
export interface LineTarget extends LineInput {
  buyerId: string
}

/**
 * Writes new quantities for lines of any buyers' orders in a round, checked beforehand by the caller
 * (the order entry above, or an import's preview run in the same transaction): creates the missing
 * orders and lines and appends one quantity-log row per line that changes. Set-based, so that a 10,000
 * line import costs three statements rather than 10,000 round trips; the log rows go in in key order,
 * which keeps SQLite's index writes sequential. The same line twice: the last one counts. With
 * `receivedAt` (an order that came on paper or by e-mail earlier), the log rows carry it and each
 * order's received time becomes the earliest it has. Call inside a transaction. Returns the number of
 * log rows written.
 */
export function writeOrderLines(
  ws: Workspace,
  round: Round,
  targets: LineTarget[],
  source: 'entry' | 'import',
  deviceId: string,
  receivedAt: string | null = null,
  progress: Progress = noProgress
): number {
  if (!targets.length) return 0
  const roundId = round.id
  const now = stamp(ws.env)
  const buyerIds = [...new Set(targets.map((t) => t.buyerId))]
  // Each existing order's received time so far (only needed when this write brings an earlier one).
  const earliest = new Map<string, string | null>()
  const orders = new Map(
    (
      ws.db
        .prepare(
          `SELECT buyer_id AS buyerId, id, CASE WHEN @received IS NULL THEN NULL
             ELSE coalesce(ordered_at, (SELECT min(first_at) FROM order_line WHERE order_id = o.id)) END AS receivedAt
           FROM buyer_order o WHERE round_id = @round AND buyer_id IN (SELECT value FROM json_each(@buyers))`
        )
        .all({ received: receivedAt, round: roundId, buyers: JSON.stringify(buyerIds) }) as { buyerId: string; id: string; receivedAt: string | null }[]
    ).map((o) => {
      earliest.set(o.id, o.receivedAt)
      return [o.buyerId, o.id]
    })
  )
  const newOrders: Values[] = []
  for (const b of buyerIds) {
    if (orders.has(b)) continue
    const id = ws.env.uuid()
    newOrders.push(receivedAt ? { id, round_id: roundId, buyer_id: b, ordered_at: receivedAt } : { id, round_id: roundId, buyer_id: b })
    orders.set(b, id)
  }
  // Refused as a whole in the box-fill phase, naming the first product that breaks it.
  const problem = boxFillProblems(ws, round, targets)[0]
  if (problem) {
    const { code, ...params } = problem
    throw new AppError(code, params)
  }
  ws.write.insertMany('buyer_order', newOrders)
  const orderIds = buyerIds.map((b) => orders.get(b)!)
  const existing = new Map(
    (
      ws.db
        .prepare(
          `SELECT id, order_id AS orderId, product_id AS productId, sub_buyer_id AS subBuyerId, quantity, tolerance
           FROM order_line WHERE order_id IN (SELECT value FROM json_each(?))`
        )
        .all(JSON.stringify(orderIds)) as { id: string; orderId: string; productId: string; subBuyerId: string | null; quantity: number; tolerance: number }[]
    ).map((l) => [`${l.orderId}|${l.productId}|${l.subBuyerId ?? ''}`, l])
  )
  const last = new Map<string, LineTarget>()
  for (const t of targets) last.set(`${orders.get(t.buyerId)!}|${t.productId}|${t.subBuyerId ?? ''}`, t)
  const newLines: Values[] = []
  const logRows: Values[] = []
  for (const [key, t] of last) {
    const line = existing.get(key)
    if (!line && t.quantity === 0 && t.tolerance === 0) continue
    let lineId = line?.id
    if (!lineId) {
      lineId = ws.env.uuid()
      newLines.push({ id: lineId, order_id: orders.get(t.buyerId)!, product_id: t.productId, sub_buyer_id: t.subBuyerId })
    }
    const dq = t.quantity - (line?.quantity ?? 0)
    const dt = t.tolerance - (line?.tolerance ?? 0)
    if (dq !== 0 || dt !== 0)
      logRows.push(
        receivedAt
          ? { id: ws.env.uuid(), line_id: lineId, quantity_delta: dq, tolerance_delta: dt, at: now, device_id: deviceId, source, received_at: receivedAt }
          : { id: ws.env.uuid(), line_id: lineId, quantity_delta: dq, tolerance_delta: dt, at: now, device_id: deviceId, source }
      )
  }
  // Written in one go per table (one change-log entry each); progress (and a cancel) between them.
  const total = newLines.length + logRows.length
  progress('write', 0, total)
  ws.write.insertMany('order_line', newLines)
  progress('write', newLines.length, total)
  logRows.sort((a, b) => (a.line_id! < b.line_id! ? -1 : a.line_id! > b.line_id! ? 1 : 0))
  ws.write.appendMany('quantity_log', logRows)
  progress('write', total, total)
  // The orders that changed are stamped (orders just created already are).
  const created = new Set(newOrders.map((o) => o.id))
  // An order received earlier than it had so far counts from then.
  if (logRows.length)
    for (const id of orderIds) {
      if (created.has(id)) continue
      const before = earliest.get(id)
      const moved = receivedAt && (!before || receivedAt < before)
      ws.write.update('buyer_order', id, moved ? { updated_at: now, ordered_at: receivedAt } : { updated_at: now })
    }
  return logRows.length
}

/** A quantity in thousandths of a unit, exact for the three decimals a case size has. */

/**
 * The box-fill phase (Foodsoft's "boxfill"): once the round's box-fill time has come and while it is
 * open, a write may only change a product's ordered units round-wide within the case they are in. With
 * case size C and the round's total T before the write, the total after must lie between the full
 * cases F × C (F = floor(T / C): units in full cases are not cut) and the next whole case
 * ceil(T / C) × C (no new partial case, and no new case at all). A total that fills its cases exactly
 * cannot change. Tolerance is left free: it only says how many more a buyer would take. The rule holds
 * for everyone who writes orders (the entry, imports); the coordinator lifts it by moving or clearing
 * the round's box-fill date.
 */
export interface BoxFillProblem {
  code: 'round.box_fill' | 'round.box_fill_full'
  productId: string
  sku: string
  caseSize: number
  /** Ordered in the round before the change. */
  total: number
  /** How many more and fewer sales units (whole steps) the round may still take of it. */
  more: number
  fewer: number
}

/** The products (by SKU) whose round total a write of these lines would move outside its open case; none outside the phase. */
export function boxFillProblems(ws: Workspace, round: Round, targets: LineTarget[]): BoxFillProblem[] {
  if (!targets.length || !round.boxFilling) return []
  const roundId = round.id
  const last = new Map<string, LineTarget>()
  for (const t of targets) last.set(`${t.buyerId}|${t.productId}|${t.subBuyerId ?? ''}`, t)
  const existing = new Map(
    (
      ws.db
        .prepare(
          `SELECT o.buyer_id AS buyerId, l.product_id AS productId, l.sub_buyer_id AS subBuyerId, l.quantity, l.tolerance
           FROM order_line l JOIN buyer_order o ON o.id = l.order_id AND o.deleted_at IS NULL
           WHERE o.round_id = ? AND o.buyer_id IN (SELECT value FROM json_each(?))`
        )
        .all(roundId, JSON.stringify([...new Set(targets.map((t) => t.buyerId))])) as {
        buyerId: string
        productId: string
        subBuyerId: string | null
        quantity: number
        tolerance: number
      }[]
    ).map((l) => [`${l.buyerId}|${l.productId}|${l.subBuyerId ?? ''}`, l])
  )
  // The change of each product's ordered steps and tolerance.
  const delta = new Map<string, { q: number; t: number }>()
  for (const [key, t] of last) {
    const before = existing.get(key)
    const dq = t.quantity - (before?.quantity ?? 0)
    const dt = t.tolerance - (before?.tolerance ?? 0)
    if (dq === 0 && dt === 0) continue
    const d = delta.get(t.productId) ?? { q: 0, t: 0 }
    delta.set(t.productId, { q: d.q + dq, t: d.t + dt })
  }
  const changed = [...delta].filter(([, d]) => d.q !== 0 || d.t !== 0)
  if (!changed.length) return []
  const products = ws.db
    .prepare(
      `SELECT p.id, p.sku, p.case_milli AS caseMilli, p.step_milli AS stepMilli, coalesce(rp.rounding_policy, r.rounding_policy) AS policy,
         coalesce(rp.threshold_bp, r.threshold_bp) AS thresholdBp,
         (SELECT coalesce(sum(q.quantity), 0) FROM line_quantity q JOIN buyer_order o ON o.id = q.order_id AND o.deleted_at IS NULL
          WHERE o.round_id = r.id AND q.product_id = p.id) AS total,
         (SELECT coalesce(sum(q.tolerance), 0) FROM line_quantity q JOIN buyer_order o ON o.id = q.order_id AND o.deleted_at IS NULL
          WHERE o.round_id = r.id AND q.product_id = p.id) AS tolerance
       FROM product p JOIN round r ON r.id = ? LEFT JOIN round_product rp ON rp.round_id = r.id AND rp.product_id = p.id
       WHERE p.id IN (SELECT value FROM json_each(?)) ORDER BY p.sku`
    )
    .all(roundId, JSON.stringify(changed.map(([id]) => id))) as {
    id: string
    sku: string
    caseMilli: number
    stepMilli: number
    policy: RoundingPolicy['kind']
    thresholdBp: number
    total: number
    tolerance: number
  }[]
  const problems: BoxFillProblem[] = []
  for (const p of products) {
    // Goods bought exactly (by weight or area, no cases) have no case to fill.
    if (p.policy === 'exact') continue
    const d = delta.get(p.id)!
    // In thousandths of the sales unit.
    const before = p.total * p.stepMilli
    const after = before + d.q * p.stepMilli
    const low = Math.floor(before / p.caseMilli) * p.caseMilli
    const high = Math.ceil(before / p.caseMilli) * p.caseMilli
    // The cases the round would order: a tolerance may fill the open case, but taking it back must not drop
    // a case it filled, nor may a new tolerance start one beyond the open case.
    const policy: RoundingPolicy = p.policy === 'threshold' ? { kind: 'threshold', thresholdBp: p.thresholdBp } : { kind: p.policy }
    const casesBefore = decideCases(policy, p.total, p.tolerance, p.caseMilli, p.stepMilli).cases
    const casesAfter = decideCases(policy, p.total + d.q, p.tolerance + d.t, p.caseMilli, p.stepMilli).cases
    const casesOk = casesAfter >= casesBefore && casesAfter <= Math.max(casesBefore, high / p.caseMilli)
    if (after >= low && after <= high && casesOk) continue
    // In whole steps, shown in the sales unit: what may still be added to or taken from the round's total
    // (a case of 1.44 m² with 5 m² ordered in whole m² takes no step either way).
    const more = Math.floor((high - before) / p.stepMilli)
    const fewer = Math.floor((before - low) / p.stepMilli)
    problems.push({
      code: more === 0 && fewer === 0 ? 'round.box_fill_full' : 'round.box_fill',
      productId: p.id,
      sku: p.sku,
      caseSize: p.caseMilli / 1000,
      total: before / 1000,
      more: stepsValue(more, p.stepMilli),
      fewer: stepsValue(fewer, p.stepMilli)
    })
  }
  return problems
}

export const setReceivedAtInput = z.object({
  orderId: z.uuid(),
  receivedAt: instant,
  reason: requiredText(500, { multiline: true })
})

/**
 * Changes when an order counts as received, with the reason kept: appends a row to the order's
 * append-only list of changes (from its received time so far, to the new one) and sets the order's
 * received time. First come counts every entry made before the change that was received at the old
 * time from the new one (see consolidate). Call inside a transaction. Returns the order as it is now.
 */
export function setReceivedAt(ws: Workspace, input: z.output<typeof setReceivedAtInput>, deviceId: string): Order {
  const order = ws.db
    .prepare(
      `SELECT o.id, o.round_id AS roundId, o.buyer_id AS buyerId, coalesce(o.ordered_at,
         (SELECT min(coalesce(q.received_at, q.at)) FROM quantity_log q JOIN order_line l ON l.id = q.line_id WHERE l.order_id = o.id)) AS receivedAt
       FROM buyer_order o WHERE o.id = ? AND o.deleted_at IS NULL`
    )
    .get(input.orderId) as { id: string; roundId: string; buyerId: string; receivedAt: string | null } | undefined
  if (!order || !order.receivedAt) throw new AppError('record.not_found', { id: input.orderId })
  const round = getRound(ws, order.roundId)
  if (round.status !== 'open' && round.status !== 'closed') throw new AppError('round.closed', { status: round.status, closesAt: round.closesAt })
  // The new time obeys the rules of a time given at entry; "now" is kept as given.
  const to = receivedTime(ws, input.receivedAt, 'receivedAt') ?? input.receivedAt
  if (to === order.receivedAt) throw fieldError('receivedAt', 'received_unchanged')
  const now = stamp(ws.env)
  ws.write.append('order_received_change', { id: ws.env.uuid(), order_id: order.id, from_at: order.receivedAt, to_at: to, reason: input.reason, at: now, device_id: deviceId })
  ws.write.update('buyer_order', order.id, { ordered_at: to, updated_at: now })
  return getOrder(ws, order.roundId, order.buyerId)
}

export interface CaseFill {
  productId: string
  sku: string
  caseMilli: number
  stepMilli: number
  quantity: number
  tolerance: number
  /** The rounding policy that applies to the product in the round (its own, else the round's). */
  policy: RoundingPolicy['kind']
  fullCases: number
  /** Units still missing to fill the next case (0 when whole cases are filled; under tolerance_fill the tolerance counts). */
  missing: number
}

/** Per product of the round: ordered units across all buyers, full cases, and units missing to the next case. */
export function caseFill(ws: Workspace, roundId: string): CaseFill[] {
  getRound(ws, roundId)
  const rows = ws.db
    .prepare(
      `SELECT p.id AS productId, p.sku, p.case_milli AS caseMilli, p.step_milli AS stepMilli, sum(q.quantity) AS quantity, sum(q.tolerance) AS tolerance,
         coalesce(min(rp.rounding_policy), min(r.rounding_policy)) AS policy
       FROM line_quantity q JOIN buyer_order o ON o.id = q.order_id AND o.deleted_at IS NULL JOIN product p ON p.id = q.product_id
       JOIN round r ON r.id = o.round_id LEFT JOIN round_product rp ON rp.round_id = o.round_id AND rp.product_id = p.id
       WHERE o.round_id = ? GROUP BY p.id HAVING sum(q.quantity) > 0 OR sum(q.tolerance) > 0 ORDER BY p.sku`
    )
    .all(roundId) as Omit<CaseFill, 'fullCases' | 'missing'>[]
  return rows.map((r) => {
    const fullCases = Math.floor((r.quantity * r.stepMilli) / r.caseMilli)
    return { ...r, fullCases, missing: missingToFill(r.policy, r.quantity, r.tolerance, r.caseMilli, r.stepMilli) }
  })
}

export interface OrderListRow {
  lineId: string
  buyerId: string
  buyerName: string
  subBuyerName: string | null
  sku: string
  nameEs: string | null
  nameDe: string | null
  nameEn: string | null
  salesUnit: string
  stepMilli: number
  quantity: number
  tolerance: number
  priceMinor: number
  totalMinor: number
  lastAt: string | null
  /** When the order was received (the time given for it), else when this line was first entered. */
  receivedAt: string | null
}

export const orderListInput = z.object({ roundId: z.uuid() })

/** Every order line of a round, searchable by buyer, SKU or product name: the round's order list. */
export function listOrderLines(ws: Workspace, input: ListInput & { roundId: string }) {
  return listRows<OrderListRow>(
    ws.db,
    {
      from: `(SELECT l.id, o.buyer_id, b.name AS buyer_name, sb.name AS sub_buyer_name, p.sku, p.name_es, p.name_de, p.name_en,
          p.sales_unit, p.step_milli, l.quantity, l.tolerance, coalesce(rp.price_minor, 0) AS price_minor, l.last_at, coalesce(o.ordered_at, l.first_at) AS received_at, o.round_id,
          NULL AS deleted_at, NULL AS archived_at
        FROM order_line l JOIN buyer_order o ON o.id = l.order_id AND o.deleted_at IS NULL
        JOIN buyer b ON b.id = o.buyer_id JOIN product p ON p.id = l.product_id
        LEFT JOIN buyer sb ON sb.id = l.sub_buyer_id
        LEFT JOIN round_product rp ON rp.round_id = o.round_id AND rp.product_id = l.product_id
        WHERE o.round_id = ? AND (l.quantity > 0 OR l.tolerance > 0)) t`,
      fromParams: [input.roundId],
      select: `t.id AS lineId, t.buyer_id AS buyerId, t.buyer_name AS buyerName, t.sub_buyer_name AS subBuyerName, t.sku,
        t.name_es AS nameEs, t.name_de AS nameDe, t.name_en AS nameEn, t.sales_unit AS salesUnit, t.step_milli AS stepMilli,
        t.quantity, t.tolerance, t.price_minor AS priceMinor,
        ${stepsAmountSql('t.quantity', 't.step_milli', 't.price_minor')} AS totalMinor, t.last_at AS lastAt, t.received_at AS receivedAt`,
      search: ['t.buyer_name', 't.sub_buyer_name', 't.sku', 't.name_es', 't.name_de', 't.name_en'],
      sorts: {
        buyer: 't.buyer_name COLLATE NOCASE',
        sku: 't.sku',
        quantity: 't.quantity * t.step_milli',
        total: stepsAmountSql('t.quantity', 't.step_milli', 't.price_minor'),
        changed: 't.last_at',
        received: 't.received_at'
      }
    },
    { ...input, archived: 'all' }
  )
}
