import { z } from 'zod'
import { AppError } from '../../shared/errors.ts'
import { INCOTERMS, SHIPMENT_MODES, SHIPMENT_STATUSES, type ShipmentMode, type ShipmentStatus } from '../../shared/vocabulary.ts'
import { COUNTRIES } from '../../shared/reference.ts'
import { stamp } from '../common/env.ts'
import { quantityAmountMinor } from '../common/money.ts'
import { fieldError, requireRow } from '../common/records.ts'
import { optionalDate, optionalText } from '../common/zod.ts'
import { takeNumber } from '../db/numbering.ts'
import type { Workspace } from '../db/workspace.ts'
import type { Values } from '../db/writer.ts'
import { getOrganisation } from '../settings/organisation.ts'

/**
 * Shipments: the goods of one exporter of record (or cooperative) in one round on their way to the hub.
 * A shipment carries purchase-order lines (all of their sent or confirmed orders, or what is left of them
 * after an earlier shipment), has a status timeline kept as an append-only event log, packages (see
 * packages.ts), cost lines and a landed cost (landed.ts). Quantities are the products' steps, and exactly
 * ×1000 in their sales unit (`quantityMilli`), as on purchase orders.
 */

const day = optionalDate()

export const createShipmentInput = z.object({
  roundId: z.uuid(),
  /** Sent or confirmed purchase orders of one supplier (exporter of record) in the round. */
  purchaseOrderIds: z.array(z.uuid()).min(1).max(50),
  mode: z.enum(SHIPMENT_MODES).default('sea_lcl')
})

export const updateShipmentInput = z.object({
  id: z.uuid(),
  mode: z.enum(SHIPMENT_MODES),
  incoterm: z.enum(INCOTERMS),
  incotermPlace: optionalText(120),
  portLoading: optionalText(120),
  portDischarge: optionalText(120),
  forwarder: optionalText(200),
  /** The B/L or AWB number. */
  transportDocument: optionalText(60),
  container: optionalText(20),
  seal: optionalText(30),
  plannedDeparture: day,
  plannedArrival: day,
  /** The day whose exchange rate converts the goods' value for customs (empty: the clearance or arrival day, else today). */
  customsRateOn: day,
  /** The start of every package's marks ("SOLI/2026-1/001" → "SOLI/2026-1/001/071"); empty: the shipment number. */
  marks: optionalText(40),
  /** Print the exporter's statement on origin (EU–Mercosur preference) on the commercial invoice. */
  originStatement: z.boolean().default(false),
  destinationCountry: z.enum(COUNTRIES, { message: 'country' }).nullish().transform((c) => c ?? null),
  notes: optionalText(2000, { multiline: true })
})

export const setStatusInput = z.object({
  id: z.uuid(),
  status: z.enum(SHIPMENT_STATUSES),
  /** The day it happened (departure, arrival …); required. */
  onDay: optionalDate().refine((d) => d !== null, { message: 'required' }),
  note: optionalText(500, { multiline: true })
})

export const setLinesInput = z.object({
  id: z.uuid(),
  /** Shipped steps per shipment line; 0 takes the line out of the shipment. */
  lines: z.array(z.object({ lineId: z.uuid(), units: z.number().int().min(0).max(1_000_000_000) })).min(1).max(20_000)
})

export interface ShipmentSummary {
  id: string
  number: string
  roundId: string
  exporterId: string
  exporterName: string
  status: ShipmentStatus
  mode: ShipmentMode
  lines: number
  plannedArrival: string | null
  arrivedOn: string | null
  landedMinor: number | null
  currency: string
}

export interface ShipmentLine {
  id: string
  purchaseOrderLineId: string
  purchaseOrderId: string
  purchaseOrderNumber: string
  productId: string
  sku: string
  nameEs: string | null
  nameDe: string | null
  nameEn: string | null
  cooperative: string
  salesUnit: string
  stepMilli: number
  caseMilli: number
  units: number
  /** Exactly ×1000 in the sales unit. */
  quantityMilli: number
  /** What is left of the order line for this shipment (its own units included). */
  availableUnits: number
  unitPriceMinor: number
  pricePerMilli: number
  currency: string
  /** The line's value in the order's currency (quantity × price, half up). */
  valueMinor: number
  cnCode: string | null
  originCountry: string
  vatClass: string
  alcoholPermille: number | null
  organic: boolean
  /** Gross weight and volume from the product's per-case figures; null when the product lacks them. */
  grossG: number | null
  volumeCm3: number | null
  /** Net weight from the product's net quantity (g, kg; litres counted as kg); null when unknown. */
  netG: number | null
  /** Litres (×1000) of a product measured in l or ml; null otherwise. */
  litresMilli: number | null
}

export interface ShipmentEvent {
  status: ShipmentStatus
  onDay: string
  note: string | null
  at: string
}

export interface Shipment {
  id: string
  number: string
  roundId: string
  roundName: string
  exporterId: string
  exporterName: string
  status: ShipmentStatus
  mode: ShipmentMode
  incoterm: string
  incotermPlace: string | null
  portLoading: string | null
  portDischarge: string | null
  forwarder: string | null
  transportDocument: string | null
  container: string | null
  seal: string | null
  plannedDeparture: string | null
  plannedArrival: string | null
  departedOn: string | null
  arrivedOn: string | null
  clearedOn: string | null
  deliveredOn: string | null
  customsRateOn: string | null
  marks: string
  originStatement: boolean
  destinationCountry: string | null
  notes: string | null
  /** The organisation's currency: costs, customs value, duty and landed cost are in it. */
  baseCurrency: string
  events: ShipmentEvent[]
  lines: ShipmentLine[]
  updatedAt: string
}

/** The column holding the actual day of each status (planned and booked have none of their own). */
const STATUS_DAY: Partial<Record<ShipmentStatus, string>> = {
  departed: 'departed_on',
  arrived: 'arrived_on',
  cleared: 'cleared_on',
  delivered: 'delivered_on'
}

/** Each order line's shipped units and quantity in shipments other than `except`. */
function shippedElsewhere(ws: Workspace, poLineIds: string[], except: string | null): Map<string, { units: number; milli: number }> {
  const rows = ws.db
    .prepare(
      `SELECT l.purchase_order_line_id AS id, sum(l.units) AS units, sum(l.quantity_milli) AS milli
       FROM shipment_line l JOIN shipment s ON s.id = l.shipment_id AND s.deleted_at IS NULL
       WHERE l.deleted_at IS NULL AND l.purchase_order_line_id IN (SELECT value FROM json_each(?)) AND s.id IS NOT ?
       GROUP BY l.purchase_order_line_id`
    )
    .all(JSON.stringify(poLineIds), except) as { id: string; units: number; milli: number }[]
  return new Map(rows.map((r) => [r.id, { units: r.units, milli: r.milli }]))
}

interface OrderLineRow {
  id: string
  purchaseOrderId: string
  units: number
  confirmedUnits: number | null
  quantityMilli: number
  stepMilli: number
}

/** What an order line has to ship: its confirmed steps when recorded, else what was ordered (exactly ×1000). */
function lineTotal(l: OrderLineRow): { units: number; milli: number } {
  if (l.confirmedUnits !== null && l.confirmedUnits !== l.units) return { units: l.confirmedUnits, milli: l.confirmedUnits * l.stepMilli }
  return { units: l.units, milli: l.quantityMilli }
}

/** The quantity ×1000 of `units` steps of a line: all of what is left keeps the line's exact rest (8,64 m², not 8). */
function milliOf(units: number, left: { units: number; milli: number }, stepMilli: number): number {
  return units === left.units ? left.milli : Math.min(units * stepMilli, left.milli)
}

/**
 * Creates a shipment from sent or confirmed purchase orders of one supplier in a round: every line with
 * something left to ship, all of it. The number comes from the `shipment` series in this transaction; the
 * first event is "planned" today. Call inside a transaction.
 */
export function createShipment(ws: Workspace, input: z.output<typeof createShipmentInput>, deviceId: string): Shipment {
  requireRow(ws.db, 'round', input.roundId)
  const pos = ws.db
    .prepare(
      `SELECT id, number, supplier_id AS supplierId, status, round_id AS roundId, incoterm, incoterm_place AS incotermPlace
       FROM purchase_order WHERE id IN (SELECT value FROM json_each(?)) AND deleted_at IS NULL ORDER BY number`
    )
    .all(JSON.stringify([...new Set(input.purchaseOrderIds)])) as {
    id: string
    number: string
    supplierId: string
    status: string
    roundId: string
    incoterm: string
    incotermPlace: string | null
  }[]
  if (pos.length !== new Set(input.purchaseOrderIds).size) throw new AppError('record.not_found', { id: input.purchaseOrderIds.join(', ') })
  for (const po of pos) {
    if (po.roundId !== input.roundId) throw fieldError('purchaseOrderIds', 'shipment_round')
    if (po.status === 'draft') throw new AppError('shipment.po_draft', { number: po.number })
  }
  if (new Set(pos.map((p) => p.supplierId)).size > 1) throw fieldError('purchaseOrderIds', 'shipment_one_exporter')
  const lines = orderLines(ws, pos.map((p) => p.id))
  const before = shippedElsewhere(ws, lines.map((l) => l.id), null)
  const id = ws.env.uuid()
  const values: Values[] = []
  for (const l of lines) {
    const total = lineTotal(l)
    const done = before.get(l.id) ?? { units: 0, milli: 0 }
    const left = { units: total.units - done.units, milli: total.milli - done.milli }
    if (left.units <= 0 || left.milli <= 0) continue
    values.push({ id: ws.env.uuid(), shipment_id: id, purchase_order_line_id: l.id, units: left.units, quantity_milli: left.milli })
  }
  if (!values.length) throw new AppError('shipment.nothing_left', { numbers: pos.map((p) => p.number).join(', ') })
  const number = takeNumber(ws, 'shipment', id)
  const first = pos[0]!
  ws.write.insert('shipment', {
    id,
    number,
    round_id: input.roundId,
    exporter_id: first.supplierId,
    mode: input.mode,
    incoterm: first.incoterm,
    incoterm_place: first.incotermPlace,
    marks: number
  })
  ws.write.insertMany('shipment_line', values)
  appendEvent(ws, id, 'planned', stamp(ws.env).slice(0, 10), null, deviceId)
  return getShipment(ws, id)
}

function orderLines(ws: Workspace, purchaseOrderIds: string[]): OrderLineRow[] {
  return ws.db
    .prepare(
      `SELECT l.id, l.purchase_order_id AS purchaseOrderId, l.units, l.confirmed_units AS confirmedUnits,
         coalesce(l.quantity_milli, l.units * 1000) AS quantityMilli, p.step_milli AS stepMilli
       FROM purchase_order_line l JOIN product p ON p.id = l.product_id
       WHERE l.purchase_order_id IN (SELECT value FROM json_each(?)) AND l.deleted_at IS NULL ORDER BY l.purchase_order_id, p.sku`
    )
    .all(JSON.stringify(purchaseOrderIds)) as OrderLineRow[]
}

function appendEvent(ws: Workspace, shipmentId: string, status: ShipmentStatus, onDay: string, note: string | null, deviceId: string): void {
  ws.write.append('shipment_event', { id: ws.env.uuid(), shipment_id: shipmentId, status, on_day: onDay, note, device_id: deviceId, created_at: stamp(ws.env) })
}

export function updateShipment(ws: Workspace, input: z.output<typeof updateShipmentInput>): Shipment {
  const current = getShipment(ws, input.id)
  ws.write.update('shipment', input.id, {
    mode: input.mode,
    incoterm: input.incoterm,
    incoterm_place: input.incotermPlace,
    port_loading: input.portLoading,
    port_discharge: input.portDischarge,
    forwarder: input.forwarder,
    transport_document: input.transportDocument,
    container: input.container,
    seal: input.seal,
    planned_departure: input.plannedDeparture,
    planned_arrival: input.plannedArrival,
    customs_rate_on: input.customsRateOn,
    marks: input.marks ?? current.number,
    origin_statement: input.originStatement ? 1 : 0,
    destination_country: input.destinationCountry,
    notes: input.notes
  })
  return getShipment(ws, input.id)
}

/**
 * Moves the shipment to a status on a day, with a note: an event appended to its log, and the day kept
 * as the actual departure, arrival, clearance or delivery. Going back (a correction) is an event too.
 */
export function setShipmentStatus(ws: Workspace, input: z.output<typeof setStatusInput>, deviceId: string): Shipment {
  getShipment(ws, input.id)
  const onDay = input.onDay!
  const values: Values = { status: input.status }
  const column = STATUS_DAY[input.status]
  if (column) values[column] = onDay
  ws.write.update('shipment', input.id, values)
  appendEvent(ws, input.id, input.status, onDay, input.note, deviceId)
  return getShipment(ws, input.id)
}

/** Sets how many steps of each line the shipment carries, at most what is left of its order line. */
export function setShipmentLines(ws: Workspace, input: z.output<typeof setLinesInput>): Shipment {
  const shipment = getShipment(ws, input.id)
  const byId = new Map(shipment.lines.map((l) => [l.id, l]))
  const orderRows = new Map(orderLines(ws, [...new Set(shipment.lines.map((l) => l.purchaseOrderId))]).map((l) => [l.id, l]))
  const elsewhere = shippedElsewhere(ws, [...orderRows.keys()], input.id)
  input.lines.forEach((change, i) => {
    const line = byId.get(change.lineId)
    if (!line) throw fieldError(`lines.${i}.lineId`, 'invalid')
    const order = orderRows.get(line.purchaseOrderLineId)!
    const total = lineTotal(order)
    const done = elsewhere.get(order.id) ?? { units: 0, milli: 0 }
    const left = { units: total.units - done.units, milli: total.milli - done.milli }
    if (change.units > left.units) throw fieldError(`lines.${i}.units`, 'at_most', { max: left.units })
    if (change.units === 0) ws.write.tombstone('shipment_line', line.id)
    else ws.write.update('shipment_line', line.id, { units: change.units, quantity_milli: milliOf(change.units, left, order.stepMilli) })
  })
  return getShipment(ws, input.id)
}

export function listShipments(ws: Workspace, roundId: string | undefined): ShipmentSummary[] {
  // The landed totals are in the organisation's currency (also before its settings were ever saved).
  const currency = getOrganisation(ws).defaultCurrency
  const rows = ws.db
    .prepare(
      `SELECT s.id, s.number, s.round_id AS roundId, s.exporter_id AS exporterId, coalesce(nullif(x.short_name, ''), x.name) AS exporterName,
         s.status, s.mode, s.planned_arrival AS plannedArrival, s.arrived_on AS arrivedOn,
         (SELECT count(*) FROM shipment_line l WHERE l.shipment_id = s.id AND l.deleted_at IS NULL) AS lines,
         (SELECT sum(c.landed_minor) FROM landed_cost_line c WHERE c.shipment_id = s.id AND c.deleted_at IS NULL) AS landedMinor
       FROM shipment s JOIN supplier x ON x.id = s.exporter_id
       WHERE s.deleted_at IS NULL AND (@round IS NULL OR s.round_id = @round) ORDER BY s.number DESC`
    )
    .all({ round: roundId ?? null }) as Omit<ShipmentSummary, 'currency'>[]
  return rows.map((r) => ({ ...r, currency }))
}

/** Grams of net weight per sales unit from a product's net quantity, or null when it is not a weight (litres count as kg). */
export function netGramsPerUnit(salesUnit: string, netQuantityMilli: number | null, netUnit: string | null): number | null {
  if (salesUnit === 'kg') return 1000
  if (salesUnit === 'g') return 1
  if (salesUnit === 'l') return 1000
  if (salesUnit === 'ml') return 1
  if (netQuantityMilli === null || !netUnit) return null
  if (netUnit === 'kg' || netUnit === 'l') return netQuantityMilli
  if (netUnit === 'g' || netUnit === 'ml') return netQuantityMilli / 1000
  return null
}

/** Litres ×1000 per sales unit of a product measured in l or ml, or null. */
function litresMilliPerUnit(salesUnit: string, netQuantityMilli: number | null, netUnit: string | null): number | null {
  if (salesUnit === 'l') return 1000
  if (salesUnit === 'ml') return 1
  if (netQuantityMilli === null) return null
  if (netUnit === 'l') return netQuantityMilli
  if (netUnit === 'ml') return netQuantityMilli / 1000
  return null
}

export function getShipment(ws: Workspace, id: string): Shipment {
  const s = ws.db
    .prepare(
      `SELECT s.*, r.name AS round_name, coalesce(nullif(x.short_name, ''), x.name) AS exporter_name
       FROM shipment s JOIN round r ON r.id = s.round_id JOIN supplier x ON x.id = s.exporter_id
       WHERE s.id = ? AND s.deleted_at IS NULL`
    )
    .get(id) as Record<string, string | number | null> | undefined
  if (!s) throw new AppError('record.not_found', { id })
  const raw = ws.db
    .prepare(
      `SELECT l.id, l.purchase_order_line_id AS purchaseOrderLineId, pl.purchase_order_id AS purchaseOrderId, po.number AS purchaseOrderNumber,
         p.id AS productId, p.sku, p.name_es AS nameEs, p.name_de AS nameDe, p.name_en AS nameEn, c.name AS cooperative,
         p.sales_unit AS salesUnit, p.step_milli AS stepMilli, p.case_milli AS caseMilli, l.units, l.quantity_milli AS quantityMilli,
         pl.units AS orderUnits, pl.confirmed_units AS confirmedUnits, pl.unit_price_minor AS unitPriceMinor,
         coalesce(pl.price_per_milli, 1000) AS pricePerMilli, po.currency, p.hs_code AS hsCode, p.origin_country AS originCountry,
         p.vat_class AS vatClass, p.alcohol_permille AS alcoholPermille, p.organic, p.gross_g_per_case AS grossGPerCase,
         p.volume_cm3_per_case AS volumeCm3PerCase, p.net_quantity_milli AS netQuantityMilli, p.net_unit AS netUnit
       FROM shipment_line l JOIN purchase_order_line pl ON pl.id = l.purchase_order_line_id
       JOIN purchase_order po ON po.id = pl.purchase_order_id JOIN product p ON p.id = pl.product_id JOIN supplier c ON c.id = p.supplier_id
       WHERE l.shipment_id = ? AND l.deleted_at IS NULL ORDER BY c.name COLLATE NOCASE, p.sku, po.number`
    )
    .all(id) as (Omit<ShipmentLine, 'availableUnits' | 'valueMinor' | 'cnCode' | 'organic' | 'grossG' | 'volumeCm3' | 'netG' | 'litresMilli'> & {
    orderUnits: number
    confirmedUnits: number | null
    hsCode: string | null
    organic: number
    grossGPerCase: number | null
    volumeCm3PerCase: number | null
    netQuantityMilli: number | null
    netUnit: string | null
  })[]
  const elsewhere = shippedElsewhere(ws, raw.map((l) => l.purchaseOrderLineId), id)
  const lines: ShipmentLine[] = raw.map((l) => {
    const {
      orderUnits,
      confirmedUnits,
      hsCode,
      organic,
      grossGPerCase,
      volumeCm3PerCase,
      netQuantityMilli,
      netUnit,
      ...rest
    } = l
    const total = confirmedUnits ?? orderUnits
    const netPerUnit = netGramsPerUnit(l.salesUnit, netQuantityMilli, netUnit)
    const litresPerUnit = litresMilliPerUnit(l.salesUnit, netQuantityMilli, netUnit)
    return {
      ...rest,
      availableUnits: total - (elsewhere.get(l.purchaseOrderLineId)?.units ?? 0),
      valueMinor: quantityAmountMinor(l.quantityMilli, l.unitPriceMinor, l.pricePerMilli),
      // Customs needs 8 digits (CN); a 6-digit HS code is not enough for duty.
      cnCode: hsCode && hsCode.length >= 8 ? hsCode.slice(0, 8) : null,
      organic: organic === 1,
      grossG: grossGPerCase === null ? null : Math.round((l.quantityMilli * grossGPerCase) / l.caseMilli),
      volumeCm3: volumeCm3PerCase === null ? null : Math.round((l.quantityMilli * volumeCm3PerCase) / l.caseMilli),
      netG: netPerUnit === null ? null : Math.round((l.quantityMilli * netPerUnit) / 1000),
      litresMilli: litresPerUnit === null ? null : Math.round((l.quantityMilli * litresPerUnit) / 1000)
    }
  })
  const events = ws.db
    .prepare('SELECT status, on_day AS onDay, note, created_at AS at FROM shipment_event WHERE shipment_id = ? ORDER BY created_at, rowid')
    .all(id) as ShipmentEvent[]
  const text = (k: string) => (s[k] as string | null) ?? null
  return {
    id,
    number: s.number as string,
    roundId: s.round_id as string,
    roundName: s.round_name as string,
    exporterId: s.exporter_id as string,
    exporterName: s.exporter_name as string,
    status: s.status as ShipmentStatus,
    mode: s.mode as ShipmentMode,
    incoterm: s.incoterm as string,
    incotermPlace: text('incoterm_place'),
    portLoading: text('port_loading'),
    portDischarge: text('port_discharge'),
    forwarder: text('forwarder'),
    transportDocument: text('transport_document'),
    container: text('container'),
    seal: text('seal'),
    plannedDeparture: text('planned_departure'),
    plannedArrival: text('planned_arrival'),
    departedOn: text('departed_on'),
    arrivedOn: text('arrived_on'),
    clearedOn: text('cleared_on'),
    deliveredOn: text('delivered_on'),
    customsRateOn: text('customs_rate_on'),
    marks: text('marks') ?? (s.number as string),
    originStatement: s.origin_statement === 1,
    destinationCountry: text('destination_country'),
    notes: text('notes'),
    baseCurrency: getOrganisation(ws).defaultCurrency,
    events,
    lines,
    updatedAt: s.updated_at as string
  }
}

/** The currency a shipment's costs and landed cost are in (the organisation's); refuses an unknown shipment. */
export function baseCurrencyOf(ws: Workspace, shipmentId: string): string {
  if (!ws.db.prepare('SELECT 1 FROM shipment WHERE id = ? AND deleted_at IS NULL').get(shipmentId)) throw new AppError('record.not_found', { id: shipmentId })
  return getOrganisation(ws).defaultCurrency
}

/** The day the goods' value is converted for customs: the shipment's customs-rate day, else its clearance or arrival, else today. */
export function customsDay(ws: Workspace, s: Pick<Shipment, 'customsRateOn' | 'clearedOn' | 'arrivedOn'>): string {
  return s.customsRateOn ?? s.clearedOn ?? s.arrivedOn ?? stamp(ws.env).slice(0, 10)
}
