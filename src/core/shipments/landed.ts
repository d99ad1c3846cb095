import { AppError } from '../../shared/errors.ts'
import type { CostBasis } from '../../shared/vocabulary.ts'
import { stamp } from '../common/env.ts'
import { largestRemainder } from '../common/money.ts'
import type { Workspace } from '../db/workspace.ts'
import type { Values } from '../db/writer.ts'
import { convertMinor, currencyDigits, exchangeRateChain, vatRateOn } from '../reference/reference.ts'
import { assertRoundNotClosed } from '../rounds/rounds.ts'
import { getOrganisation } from '../settings/organisation.ts'
import { type CostLine, dutyMinor, dutyRateFor, listCostLines, listDutyRates } from './costs.ts'
import { chargeableMilli } from './packages.ts'
import { customsDay, getShipment, type Shipment, type ShipmentLine } from './shipments.ts'

/**
 * Landed cost to the cent (DOMAIN.md §2–3). In the organisation's currency, per shipped line:
 *
 *   goods            = the line's value at the customs rate (the order currency → the organisation's)
 *   to border        = its share of every cost line up to the EU border (largest remainder per cost line)
 *   customs value    = goods + to border
 *   duty             = from the dated duty rate of its CN code (ad valorem, per hl, per 100 kg net), rounded per line
 *   to destination   = its share of the costs from the border to the first destination
 *   import VAT base  = customs value + duty + to destination
 *   import VAT       = per rate: the sum of the bases × the rate, rounded once, split over the lines by
 *                      largest remainder (so it agrees per rate and per line)
 *   other            = its share of costs that are neither (broker, bank fees)
 *   landed           = goods + to border + duty + to destination + other (+ import VAT when the organisation
 *                      cannot deduct it)
 *
 * Every cost line is split exactly (its parts add up to it); a line with nothing of a cost line's basis
 * (no weight under a weight basis) gets nothing of it and is reported. Units that arrive broken keep
 * their cost: the landed cost per unit divides by the units shipped.
 */

export interface LandedLine {
  shipmentLineId: string
  productId: string
  sku: string
  nameEs: string | null
  nameDe: string | null
  nameEn: string | null
  salesUnit: string
  quantityMilli: number
  cnCode: string
  goodsMinor: number
  toBorderMinor: number
  customsValueMinor: number
  dutyMinor: number
  toDestinationMinor: number
  vatBaseMinor: number
  vatRateBp: number
  vatMinor: number
  otherMinor: number
  landedMinor: number
  /** Per sales unit, in minor units ×1000 (exact to a thousandth of a cent; shown rounded). */
  perUnitMilli: number
  /** The round's price per sales unit (what the groups pay), for comparison; null without one. */
  roundPriceMinor: number | null
  /** The cooperative's price per sales unit converted at the customs rate, ×1000. */
  supplierPerUnitMilli: number
}

export interface CostAllocation {
  costLineId: string
  name: string
  basis: CostBasis
  baseMinor: number
  /** The part of each shipped line, in the shipment's line order. */
  parts: { shipmentLineId: string; amountMinor: number }[]
  /** SKUs of lines that get nothing because they have nothing of the basis (no weight, no volume). */
  zeroLines: string[]
}

export interface LandedCost {
  shipmentId: string
  currency: string
  customsDay: string
  /** The rates the goods' values were converted at, per order currency. */
  customsRates: { from: string; rateE8: number; validOn: string; via: string | null }[]
  importVatIsCost: boolean
  lines: LandedLine[]
  allocations: CostAllocation[]
  vatByRate: { rateBp: number; baseMinor: number; vatMinor: number }[]
  totals: {
    goodsMinor: number
    toBorderMinor: number
    customsValueMinor: number
    dutyMinor: number
    toDestinationMinor: number
    vatMinor: number
    otherMinor: number
    landedMinor: number
  }
  /** When it was stored (null: computed now, not stored). */
  computedAt: string | null
}

/** A line's weight under a basis (value in minor units, grams, cm³, thousandths of the unit, chargeable ×1000). */
function weightOf(basis: CostBasis, l: ShipmentLine, goodsMinor: number, mode: Shipment['mode']): number {
  switch (basis) {
    case 'value':
      return goodsMinor
    case 'gross_weight':
      return l.grossG ?? 0
    case 'volume':
      return l.volumeCm3 ?? 0
    case 'quantity':
      return l.quantityMilli
    case 'chargeable':
      return chargeableMilli(mode, l.grossG ?? 0, l.volumeCm3 ?? 0)
  }
}

/**
 * Splits one cost line over the shipped lines by its basis. Refused (a translated error naming the cost
 * line) when no line has anything of the basis.
 */
export function allocateCost(cost: Pick<CostLine, 'id' | 'name' | 'basis' | 'baseMinor'>, shipment: Shipment, goods: number[]): CostAllocation {
  const weights = shipment.lines.map((l, i) => weightOf(cost.basis, l, goods[i]!, shipment.mode))
  if (cost.baseMinor > 0 && weights.every((w) => w === 0)) throw new AppError('landed.no_basis', { name: cost.name, basis: cost.basis })
  const parts = largestRemainder(cost.baseMinor, weights)
  return {
    costLineId: cost.id,
    name: cost.name,
    basis: cost.basis,
    baseMinor: cost.baseMinor,
    parts: shipment.lines.map((l, i) => ({ shipmentLineId: l.id, amountMinor: parts[i]! })),
    zeroLines: shipment.lines.filter((_, i) => weights[i] === 0).map((l) => l.sku)
  }
}

/** Each line's goods value in the organisation's currency at the customs rate, and the rates used. */
function goodsValues(ws: Workspace, shipment: Shipment, day: string) {
  const toDigits = currencyDigits(ws, shipment.baseCurrency)
  const rates = new Map<string, { rateE8: bigint; validOn: string; via: string | null }>()
  for (const currency of new Set(shipment.lines.map((l) => l.currency))) {
    const chain = exchangeRateChain(ws, currency, shipment.baseCurrency, day)
    if (!chain) throw new AppError('exchange.no_rate', { from: currency, to: shipment.baseCurrency, date: day })
    rates.set(currency, { rateE8: chain.rateE8, validOn: chain.validOn, via: chain.via })
  }
  const digits = new Map([...rates.keys()].map((c) => [c, currencyDigits(ws, c)]))
  const goods = shipment.lines.map((l) => convertMinor(l.valueMinor, digits.get(l.currency)!, toDigits, rates.get(l.currency)!.rateE8))
  return {
    goods,
    rates: [...rates].map(([from, r]) => ({ from, rateE8: Number(r.rateE8), validOn: r.validOn, via: r.via })),
    rateOf: (currency: string) => rates.get(currency)!.rateE8,
    digitsOf: (currency: string) => digits.get(currency)!
  }
}

/**
 * Computes a shipment's landed cost (nothing is written). Refused with a translated error naming what is
 * missing: products without an 8-digit CN code, CN codes without a duty rate on the customs day, a currency
 * without a rate, a VAT rate, a cost line nobody can carry. `extra` adds a cost line not yet saved (the
 * allocation shown before saving).
 */
export function computeLanded(ws: Workspace, shipmentId: string, extra: CostLine | null = null): LandedCost {
  const shipment = getShipment(ws, shipmentId)
  if (!shipment.lines.length) throw new AppError('landed.no_lines', { number: shipment.number })
  const day = customsDay(ws, shipment)
  const org = getOrganisation(ws)
  const baseDigits = currencyDigits(ws, shipment.baseCurrency)
  const withoutCode = [...new Set(shipment.lines.filter((l) => l.cnCode === null).map((l) => l.sku))]
  if (withoutCode.length) throw new AppError('landed.no_cn_code', { skus: withoutCode.join(', '), count: withoutCode.length })
  const { goods, rates, rateOf, digitsOf } = goodsValues(ws, shipment, day)

  const costs = listCostLines(ws, shipmentId).filter((c) => !extra || c.id !== extra.id)
  if (extra) costs.push(extra)
  const allocations = costs.map((c) => allocateCost(c, shipment, goods))
  const sumOf = (stage: CostLine['stage']) =>
    shipment.lines.map((_, i) => allocations.reduce((a, al, k) => a + (costs[k]!.stage === stage ? al.parts[i]!.amountMinor : 0), 0))
  const toBorder = sumOf('to_border')
  const toDestination = sumOf('to_destination')
  const other = sumOf('other')

  // Each line's duty rate, looked up once; missing ones and specific duties without their quantity refuse it all.
  const dutyRates = listDutyRates(ws)
  const lineRates = shipment.lines.map((l) => dutyRateFor(dutyRates, l.cnCode!, l.originCountry, l.alcoholPermille, day))
  const missingDuty = [...new Set(shipment.lines.filter((_, i) => !lineRates[i]).map((l) => l.cnCode!))].sort()
  if (missingDuty.length) throw new AppError('landed.no_duty_rate', { codes: missingDuty.join(', '), date: day, count: missingDuty.length })
  const needs = shipment.lines.filter((l, i) => (lineRates[i]!.perHlMinor > 0 && l.litresMilli === null) || (lineRates[i]!.per100kgMinor > 0 && l.netG === null))
  if (needs.length) throw new AppError('landed.no_duty_quantity', { skus: [...new Set(needs.map((l) => l.sku))].join(', '), count: needs.length })
  const duty = shipment.lines.map((l, i) => dutyMinor(lineRates[i]!, goods[i]! + toBorder[i]!, l.litresMilli ?? 0, l.netG ?? 0))

  // One look-up per VAT class (thousands of lines share a handful).
  const vatOf = new Map<string, number | null>()
  const vatRates = shipment.lines.map((l) => {
    if (!vatOf.has(l.vatClass)) vatOf.set(l.vatClass, vatRateOn(ws, shipment.destinationCountry ?? org.country, l.vatClass, day))
    const bp = vatOf.get(l.vatClass) ?? null
    if (bp === null) throw new AppError('landed.no_vat_rate', { country: shipment.destinationCountry ?? org.country, vatClass: l.vatClass, date: day })
    return bp
  })
  const customsValue = shipment.lines.map((_, i) => goods[i]! + toBorder[i]!)
  const vatBase = shipment.lines.map((_, i) => customsValue[i]! + duty[i]! + toDestination[i]!)
  // Import VAT per rate, rounded once on the rate's base, split back over its lines.
  const vat = shipment.lines.map(() => 0)
  const vatByRate: LandedCost['vatByRate'] = []
  for (const rateBp of [...new Set(vatRates)].sort((a, b) => b - a)) {
    const idx = vatRates.flatMap((r, i) => (r === rateBp ? [i] : []))
    const base = idx.reduce((a, i) => a + vatBase[i]!, 0)
    const total = Number((BigInt(base) * BigInt(rateBp) * 2n + 10_000n) / 20_000n)
    const parts = base > 0 ? largestRemainder(total, idx.map((i) => vatBase[i]!)) : idx.map(() => 0)
    idx.forEach((i, k) => (vat[i] = parts[k]!))
    vatByRate.push({ rateBp, baseMinor: base, vatMinor: total })
  }
  const importVatIsCost = org.smallBusiness || !org.vatRegistered
  const roundPrices = new Map(
    (
      ws.db.prepare('SELECT product_id AS productId, price_minor AS priceMinor FROM round_product WHERE round_id = ?').all(shipment.roundId) as {
        productId: string
        priceMinor: number | null
      }[]
    ).map((r) => [r.productId, r.priceMinor])
  )
  const lines: LandedLine[] = shipment.lines.map((l, i) => {
    const landed = goods[i]! + toBorder[i]! + duty[i]! + toDestination[i]! + other[i]! + (importVatIsCost ? vat[i]! : 0)
    const perUnit = (minor: number) => (l.quantityMilli > 0 ? Math.round((minor * 1_000_000) / l.quantityMilli) : 0)
    const supplierPerUnit = convertMinor(l.unitPriceMinor, digitsOf(l.currency), baseDigits, rateOf(l.currency))
    return {
      shipmentLineId: l.id,
      productId: l.productId,
      sku: l.sku,
      nameEs: l.nameEs,
      nameDe: l.nameDe,
      nameEn: l.nameEn,
      salesUnit: l.salesUnit,
      quantityMilli: l.quantityMilli,
      cnCode: l.cnCode!,
      goodsMinor: goods[i]!,
      toBorderMinor: toBorder[i]!,
      customsValueMinor: customsValue[i]!,
      dutyMinor: duty[i]!,
      toDestinationMinor: toDestination[i]!,
      vatBaseMinor: vatBase[i]!,
      vatRateBp: vatRates[i]!,
      vatMinor: vat[i]!,
      otherMinor: other[i]!,
      landedMinor: landed,
      perUnitMilli: perUnit(landed),
      roundPriceMinor: roundPrices.get(l.productId) ?? null,
      supplierPerUnitMilli: Math.round((supplierPerUnit * 1_000_000) / l.pricePerMilli)
    }
  })
  const sum = (k: keyof LandedLine) => lines.reduce((a, l) => a + (l[k] as number), 0)
  return {
    shipmentId,
    currency: shipment.baseCurrency,
    customsDay: day,
    customsRates: rates,
    importVatIsCost,
    lines,
    allocations,
    vatByRate,
    totals: {
      goodsMinor: sum('goodsMinor'),
      toBorderMinor: sum('toBorderMinor'),
      customsValueMinor: sum('customsValueMinor'),
      dutyMinor: sum('dutyMinor'),
      toDestinationMinor: sum('toDestinationMinor'),
      vatMinor: sum('vatMinor'),
      otherMinor: sum('otherMinor'),
      landedMinor: sum('landedMinor')
    },
    computedAt: null
  }
}

/**
 * Computes the landed cost and stores it as the shipment's result (the lines and every cost line's parts),
 * replacing the one stored before. Call inside a transaction.
 */
export function storeLanded(ws: Workspace, shipmentId: string): LandedCost {
  assertRoundNotClosed(ws, getShipment(ws, shipmentId).roundId)
  const result = computeLanded(ws, shipmentId)
  for (const table of ['landed_cost_part', 'landed_cost_line'] as const)
    for (const id of ws.db.prepare(`SELECT id FROM ${table} WHERE shipment_id = ? AND deleted_at IS NULL`).pluck().all(shipmentId) as string[])
      ws.write.tombstone(table, id)
  const now = stamp(ws.env)
  ws.write.insertMany(
    'landed_cost_line',
    result.lines.map(
      (l): Values => ({
        id: ws.env.uuid(),
        shipment_id: shipmentId,
        shipment_line_id: l.shipmentLineId,
        currency: result.currency,
        goods_minor: l.goodsMinor,
        to_border_minor: l.toBorderMinor,
        customs_value_minor: l.customsValueMinor,
        duty_minor: l.dutyMinor,
        to_destination_minor: l.toDestinationMinor,
        vat_base_minor: l.vatBaseMinor,
        vat_rate_bp: l.vatRateBp,
        vat_minor: l.vatMinor,
        other_minor: l.otherMinor,
        landed_minor: l.landedMinor,
        computed_at: now
      })
    )
  )
  // One set per cost line: its id is then a value all the set's rows share (written and logged once).
  for (const a of result.allocations)
    ws.write.insertMany(
      'landed_cost_part',
      a.parts.map((p): Values => ({ id: ws.env.uuid(), shipment_id: shipmentId, cost_line_id: a.costLineId, shipment_line_id: p.shipmentLineId, amount_minor: p.amountMinor }))
    )
  return { ...result, computedAt: now }
}

/** When the shipment's landed cost was last stored, or null. */
export function storedAt(ws: Workspace, shipmentId: string): string | null {
  return (ws.db.prepare('SELECT max(computed_at) FROM landed_cost_line WHERE shipment_id = ? AND deleted_at IS NULL').pluck().get(shipmentId) as string | null) ?? null
}
