import { z } from 'zod'
import { AppError } from '../../shared/errors.ts'
import { COUNTRIES, CURRENCIES } from '../../shared/reference.ts'
import { COST_BASES, COST_STAGES, type CostBasis, type CostStage } from '../../shared/vocabulary.ts'
import { stamp } from '../common/env.ts'
import { fieldError } from '../common/records.ts'
import { amount, amountMinor, optionalAmount, optionalDate, optionalScaledDecimal, optionalText, requiredText } from '../common/zod.ts'
import type { Workspace } from '../db/workspace.ts'
import { assertRoundNotClosed } from '../rounds/rounds.ts'
import { convertMinor, currencyDigits, exchangeRateChain } from '../reference/reference.ts'
import { getOrganisation } from '../settings/organisation.ts'
import { baseCurrencyOf } from './shipments.ts'

/**
 * A shipment's bills (freight, insurance, trucking, the broker, bank fees): each in its own currency,
 * converted into the organisation's at the dated rate it was entered with, spread over the shipped lines
 * by its basis, and counted by its stage: up to the EU border (customs value), from the border to the
 * first destination (import VAT base only), or neither. And the dated duty rates per CN code.
 */

export const costLineInput = z.object({
  id: z.uuid().optional(),
  shipmentId: z.uuid(),
  name: requiredText(200),
  /** Who billed it (the forwarder, the insurer …). */
  provider: optionalText(200),
  amount: amount(),
  currency: z.enum(CURRENCIES, { message: 'currency' }),
  basis: z.enum(COST_BASES),
  stage: z.enum(COST_STAGES),
  /** The bill's day: the exchange rate of that day converts it (empty: today). */
  billedOn: optionalDate()
})

export interface CostLine {
  id: string
  shipmentId: string
  name: string
  provider: string | null
  amountMinor: number
  currency: string
  rateE8: number
  rateOn: string
  /** The amount in the organisation's currency. */
  baseMinor: number
  basis: CostBasis
  stage: CostStage
  billedOn: string | null
}

/** A cost line's values as they would be stored: its amount in minor units and converted at the dated rate. */
export function costValues(ws: Workspace, input: z.output<typeof costLineInput>) {
  // The organisation's currency, without loading the shipment's lines (a cost line needs none of them).
  const base = baseCurrencyOf(ws, input.shipmentId)
  const digits = currencyDigits(ws, input.currency)
  const money = amountMinor(input.amount, digits)
  if (!('minor' in money)) throw fieldError('amount', money.code, money.params)
  const on = input.billedOn ?? stamp(ws.env).slice(0, 10)
  const chain = exchangeRateChain(ws, input.currency, base, on)
  if (!chain) throw new AppError('exchange.no_rate', { from: input.currency, to: base, date: on })
  return {
    shipment_id: input.shipmentId,
    name: input.name,
    provider: input.provider,
    amount_minor: money.minor,
    currency: input.currency,
    rate_e8: Number(chain.rateE8),
    rate_on: chain.validOn,
    base_minor: convertMinor(money.minor, digits, currencyDigits(ws, base), chain.rateE8),
    basis: input.basis,
    stage: input.stage,
    billed_on: input.billedOn
  }
}

/** Refuses a change to the costs of a closed round's shipment (in words; the database refuses it too). */
function assertShipmentOpen(ws: Workspace, shipmentId: string): void {
  const roundId = ws.db.prepare('SELECT round_id FROM shipment WHERE id = ?').pluck().get(shipmentId) as string | undefined
  if (roundId) assertRoundNotClosed(ws, roundId)
}

export function saveCostLine(ws: Workspace, input: z.output<typeof costLineInput>): CostLine {
  assertShipmentOpen(ws, input.shipmentId)
  const values = costValues(ws, input)
  let id = input.id
  if (id) {
    const row = ws.db.prepare('SELECT shipment_id FROM cost_line WHERE id = ? AND deleted_at IS NULL').pluck().get(id)
    if (row !== input.shipmentId) throw new AppError('record.not_found', { id })
    ws.write.update('cost_line', id, values)
  } else {
    id = ws.env.uuid()
    ws.write.insert('cost_line', { id, ...values })
  }
  return listCostLines(ws, input.shipmentId).find((c) => c.id === id)!
}

export function deleteCostLine(ws: Workspace, id: string): void {
  const row = ws.db.prepare('SELECT id, shipment_id AS shipmentId FROM cost_line WHERE id = ? AND deleted_at IS NULL').get(id) as { id: string; shipmentId: string } | undefined
  if (!row) throw new AppError('record.not_found', { id })
  assertShipmentOpen(ws, row.shipmentId)
  // The stored landed cost used it: its parts go with it (the result is computed again as a whole).
  for (const part of ws.db.prepare('SELECT id FROM landed_cost_part WHERE cost_line_id = ? AND deleted_at IS NULL').pluck().all(id) as string[])
    ws.write.tombstone('landed_cost_part', part)
  ws.write.tombstone('cost_line', id)
}

export function listCostLines(ws: Workspace, shipmentId: string): CostLine[] {
  return ws.db
    .prepare(
      `SELECT id, shipment_id AS shipmentId, name, provider, amount_minor AS amountMinor, currency, rate_e8 AS rateE8, rate_on AS rateOn,
         base_minor AS baseMinor, basis, stage, billed_on AS billedOn
       FROM cost_line WHERE shipment_id = ? AND deleted_at IS NULL ORDER BY created_at, id`
    )
    .all(shipmentId) as CostLine[]
}

// ---------------------------------------------------------------------------------------------------
// Duty rates.

const cnCode = z
  .string()
  .trim()
  .transform((s, ctx) => {
    const digits = s.replace(/[\s.]/g, '')
    if (!/^\d{8}$/.test(digits)) {
      ctx.addIssue({ code: 'custom', message: 'cn_code' })
      return z.NEVER
    }
    return digits
  })

export const dutyRateInput = z
  .object({
    id: z.uuid().optional(),
    cnCode,
    /** A preference for one origin (AR under EU–Mercosur); empty: any origin. */
    origin: z.enum(COUNTRIES, { message: 'country' }).or(z.literal('')).nullish().transform((c) => c || null),
    validFrom: optionalDate().refine((d) => d !== null, { message: 'required' }),
    validTo: optionalDate(),
    /** An alcohol band in % vol ("13", "15,5"); empty: any strength. */
    alcoholFrom: optionalScaledDecimal(1, { min: 0, max: 1000 }),
    alcoholTo: optionalScaledDecimal(1, { min: 0, max: 1000 }),
    /** Ad valorem in % ("12", "2,5"). */
    adValorem: optionalScaledDecimal(2, { min: 0, max: 100000 }),
    /** Per hectolitre of product and per 100 kg net, in the organisation's currency. */
    perHl: optionalAmount(),
    per100kg: optionalAmount(),
    note: optionalText(500)
  })
  .superRefine((r, ctx) => {
    if (r.validFrom && r.validTo && r.validTo <= r.validFrom) ctx.addIssue({ code: 'custom', path: ['validTo'], message: 'date_order' })
    if (r.alcoholFrom !== null && r.alcoholTo !== null && r.alcoholTo < r.alcoholFrom) ctx.addIssue({ code: 'custom', path: ['alcoholTo'], message: 'invalid' })
  })

export interface DutyRate {
  id: string
  cnCode: string
  origin: string | null
  validFrom: string
  validTo: string | null
  alcoholFromPermille: number | null
  alcoholToPermille: number | null
  adValoremBp: number
  perHlMinor: number
  per100kgMinor: number
  note: string | null
}

export function saveDutyRate(ws: Workspace, input: z.output<typeof dutyRateInput>): DutyRate {
  const digits = currencyDigits(ws, getOrganisation(ws).defaultCurrency)
  const minor = (field: 'perHl' | 'per100kg') => {
    const text = input[field]
    if (text === null) return 0
    const m = amountMinor(text, digits)
    if (!('minor' in m)) throw fieldError(field, m.code, m.params)
    return m.minor
  }
  const values = {
    cn_code: input.cnCode,
    origin: input.origin,
    valid_from: input.validFrom!,
    valid_to: input.validTo,
    alcohol_from_permille: input.alcoholFrom,
    alcohol_to_permille: input.alcoholTo,
    ad_valorem_bp: input.adValorem ?? 0,
    per_hl_minor: minor('perHl'),
    per_100kg_minor: minor('per100kg'),
    note: input.note
  }
  let id = input.id
  if (id) {
    if (!ws.db.prepare('SELECT 1 FROM duty_rate WHERE id = ? AND deleted_at IS NULL').get(id)) throw new AppError('record.not_found', { id })
    ws.write.update('duty_rate', id, values)
  } else {
    id = ws.env.uuid()
    ws.write.insert('duty_rate', { id, ...values })
  }
  return listDutyRates(ws).find((r) => r.id === id)!
}

export function deleteDutyRate(ws: Workspace, id: string): void {
  if (!ws.db.prepare('SELECT 1 FROM duty_rate WHERE id = ? AND deleted_at IS NULL').get(id)) throw new AppError('record.not_found', { id })
  ws.write.tombstone('duty_rate', id)
}

export function listDutyRates(ws: Workspace): DutyRate[] {
  return ws.db
    .prepare(
      `SELECT id, cn_code AS cnCode, origin, valid_from AS validFrom, valid_to AS validTo, alcohol_from_permille AS alcoholFromPermille,
         alcohol_to_permille AS alcoholToPermille, ad_valorem_bp AS adValoremBp, per_hl_minor AS perHlMinor, per_100kg_minor AS per100kgMinor, note
       FROM duty_rate WHERE deleted_at IS NULL ORDER BY cn_code, origin, alcohol_from_permille, valid_from DESC`
    )
    .all() as DutyRate[]
}

/**
 * The duty rate for a CN code on a day, for goods of an origin and strength: a rate for that origin (a
 * preference) wins over one for any origin; a rate with an alcohol band applies only inside it (from
 * included, to included); of several, the most recent. Null when none applies.
 */
export function dutyRateFor(rates: readonly DutyRate[], cnCode: string, origin: string, alcoholPermille: number | null, day: string): DutyRate | null {
  const fits = rates.filter(
    (r) =>
      r.cnCode === cnCode &&
      (r.origin === null || r.origin === origin) &&
      r.validFrom <= day &&
      (r.validTo === null || r.validTo > day) &&
      (r.alcoholFromPermille === null || (alcoholPermille !== null && alcoholPermille >= r.alcoholFromPermille)) &&
      (r.alcoholToPermille === null || (alcoholPermille !== null && alcoholPermille <= r.alcoholToPermille))
  )
  fits.sort((a, b) => Number(b.origin !== null) - Number(a.origin !== null) || (a.validFrom < b.validFrom ? 1 : a.validFrom > b.validFrom ? -1 : 0))
  return fits[0] ?? null
}

/**
 * The duty of one customs line in minor units, rounded half up once: customs value × ad valorem + litres
 * / 100 × per hl + net kg / 100 × per 100 kg. Exact integer math (BigInt).
 */
export function dutyMinor(rate: Pick<DutyRate, 'adValoremBp' | 'perHlMinor' | 'per100kgMinor'>, customsValueMinor: number, litresMilli: number, netG: number): number {
  // Everything over the common denominator 10,000 × 100,000 × 100,000 (bp; hl = 100,000 ml; 100 kg = 100,000 g).
  const den = 10_000n * 100_000n * 100_000n
  const num =
    BigInt(customsValueMinor) * BigInt(rate.adValoremBp) * 100_000n * 100_000n +
    BigInt(litresMilli) * BigInt(rate.perHlMinor) * 10_000n * 100_000n +
    BigInt(netG) * BigInt(rate.per100kgMinor) * 10_000n * 100_000n
  return Number((num * 2n + den) / (2n * den))
}
