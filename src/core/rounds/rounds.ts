import { z } from 'zod'
import { parseLocalDateTime } from '../../shared/dates.ts'
import { parseScaled } from '../../shared/decimal.ts'
import { AppError } from '../../shared/errors.ts'
import { CURRENCIES } from '../../shared/reference.ts'
import { ROUND_STATUSES, type RoundStatus } from '../../shared/vocabulary.ts'
import type { Workspace } from '../db/workspace.ts'
import type { Values } from '../db/writer.ts'
import { stamp } from '../common/env.ts'
import { fieldError, type ListInput, listRows, requireRow } from '../common/records.ts'
import { currencyDigits, exchangeRateChain } from '../reference/reference.ts'
import { isTimeZone, utcToZoned, zonedToUtc } from '../common/time.ts'
import { optionalDate, optionalText, requiredText } from '../common/zod.ts'


const localDateTime = z
  .string()
  .trim()
  .refine((s) => parseLocalDateTime(s) !== null, { message: 'datetime' })

const decimalText = z.union([z.string(), z.number()])

/**
 * A round as the form sends it: deadlines as wall-clock times in the coordinator's time zone, the price
 * calculator's markup in percent, contribution and rounding step in the round currency's major unit.
 */
export const roundInput = z
  .object({
    id: z.uuid().optional(),
    name: requiredText(200),
    opensAt: localDateTime,
    closesAt: localDateTime,
    timeZone: z.string().refine(isTimeZone, { message: 'time_zone' }),
    currency: z.enum(CURRENCIES, { message: 'currency' }),
    supplierIds: z.array(z.uuid()).max(500).default([]),
    markupPercent: decimalText.default('0'),
    contribution: decimalText.default('0'),
    roundingStep: decimalText.default('0.01'),
    rateDate: optionalDate(),
    notes: optionalText(4000, { multiline: true }),
    /**
     * The box-fill phase (Foodsoft's "boxfill"): from this wall-clock time on, orders may only change in
     * ways that fill open cases (see boxFillCheck in orders). Empty: no box-fill phase.
     */
    boxFillAt: z
      .string()
      .trim()
      .nullish()
      .transform((s) => s || null),
    /** A round that already took place (on paper): its dates lie in the past and it is recorded as closed. New rounds only. */
    past: z.boolean().default(false)
  })
  .transform((r, ctx) => {
    const opensUtc = zonedToUtc(r.opensAt, r.timeZone)
    const closesUtc = zonedToUtc(r.closesAt, r.timeZone)
    if (!opensUtc) ctx.addIssue({ code: 'custom', message: 'datetime', path: ['opensAt'] })
    if (!closesUtc) ctx.addIssue({ code: 'custom', message: 'datetime', path: ['closesAt'] })
    if (opensUtc && closesUtc && closesUtc <= opensUtc) ctx.addIssue({ code: 'custom', message: 'deadline_order', path: ['closesAt'] })
    let boxFillUtc: string | null = null
    if (r.boxFillAt) {
      boxFillUtc = parseLocalDateTime(r.boxFillAt) ? zonedToUtc(r.boxFillAt, r.timeZone) : null
      if (!boxFillUtc) ctx.addIssue({ code: 'custom', message: 'datetime', path: ['boxFillAt'] })
      else if (opensUtc && closesUtc && (boxFillUtc <= opensUtc || boxFillUtc >= closesUtc))
        ctx.addIssue({ code: 'custom', message: 'box_fill_range', path: ['boxFillAt'] })
    }
    const markupBp = parseScaled(r.markupPercent, 2)
    if (markupBp === null || markupBp < 0 || markupBp > 100000) ctx.addIssue({ code: 'custom', message: 'number', path: ['markupPercent'] })
    return { ...r, opensUtc: opensUtc ?? '', closesUtc: closesUtc ?? '', boxFillUtc, markupBp: markupBp ?? 0 }
  })

export interface RoundRow {
  id: string
  name: string
  status: RoundStatus
  opensAt: string
  closesAt: string
  timeZone: string
  currency: string
  orders: number
}

export interface Round extends RoundRow {
  /** Wall-clock times in the round's zone, for the form. */
  opensLocal: string
  closesLocal: string
  supplierIds: string[]
  markupBp: number
  contributionMinor: number
  roundingStepMinor: number
  rateDate: string | null
  notes: string | null
  /** When the box-fill phase begins (UTC instant), or null: from then on orders may only fill open cases. */
  boxFillAt: string | null
  /** The same in the round's zone, for the form; null without a box-fill phase. */
  boxFillLocal: string | null
  /** Whether the box-fill phase is on now: an open round that accepts orders, at or after boxFillAt. */
  boxFilling: boolean
  /**
   * Recorded after the fact: a closed round that was never open in Puente (its orders were collected on
   * paper). The coordinator enters its orders as a record.
   */
  recorded: boolean
  /** Whether orders are accepted now: open and before the deadline, or a recorded round still closed. */
  acceptingOrders: boolean
  updatedAt: string
}

const SELECT = `t.id, t.name, t.status, t.opens_at AS opensAt, t.closes_at AS closesAt, t.time_zone AS timeZone, t.currency,
  (SELECT count(*) FROM buyer_order o WHERE o.round_id = t.id AND o.deleted_at IS NULL) AS orders`

export function listRounds(ws: Workspace, input: ListInput) {
  return listRows<RoundRow>(
    ws.db,
    {
      from: '(SELECT *, NULL AS archived_at FROM round) t',
      select: SELECT,
      search: ['t.name', 't.status'],
      sorts: { closes: 't.closes_at', name: 't.name COLLATE NOCASE', status: 't.status' }
    },
    { ...input, dir: input.dir ?? 'desc', archived: 'all' }
  )
}

export function getRound(ws: Workspace, id: string): Round {
  const row = ws.db
    .prepare(
      `SELECT ${SELECT}, t.markup_bp AS markupBp, t.contribution_minor AS contributionMinor, t.rounding_step_minor AS roundingStepMinor,
        t.rate_date AS rateDate, t.notes, t.box_fill_at AS boxFillAt, t.recorded, t.updated_at AS updatedAt FROM round t WHERE t.id = ? AND t.deleted_at IS NULL`
    )
    .get(id) as (Omit<Round, 'opensLocal' | 'closesLocal' | 'boxFillLocal' | 'boxFilling' | 'supplierIds' | 'acceptingOrders' | 'recorded'> & { recorded: number }) | undefined
  if (!row) throw new AppError('record.not_found', { id })
  const supplierIds = ws.db.prepare('SELECT supplier_id FROM round_supplier WHERE round_id = ? AND deleted_at IS NULL ORDER BY created_at, supplier_id').pluck().all(id) as string[]
  // Recorded after the fact: it takes the coordinator's orders while it stays closed.
  const recorded = row.status === 'closed' && row.recorded === 1
  const now = stamp(ws.env)
  const open = row.status === 'open' && now < row.closesAt
  return {
    ...row,
    opensLocal: utcToZoned(row.opensAt, row.timeZone),
    closesLocal: utcToZoned(row.closesAt, row.timeZone),
    boxFillLocal: row.boxFillAt ? utcToZoned(row.boxFillAt, row.timeZone) : null,
    boxFilling: open && row.boxFillAt !== null && now >= row.boxFillAt,
    supplierIds,
    recorded,
    acceptingOrders: open || recorded
  }
}

/** Creates or updates a round and its participating suppliers. Call inside a transaction. */
export function saveRound(ws: Workspace, input: z.output<typeof roundInput>): Round {
  const digits = currencyDigits(ws, input.currency)
  const contribution = parseScaled(input.contribution, digits)
  if (contribution === null || contribution < 0) throw fieldError('contribution', 'number')
  const step = parseScaled(input.roundingStep, digits)
  if (step === null || step < 1) throw fieldError('roundingStep', step === null ? 'number' : 'step')
  for (const s of input.supplierIds) requireRow(ws.db, 'supplier', s)
  const values = {
    name: input.name,
    opens_at: input.opensUtc,
    closes_at: input.closesUtc,
    time_zone: input.timeZone,
    currency: input.currency,
    markup_bp: input.markupBp,
    contribution_minor: contribution,
    rounding_step_minor: step,
    rate_date: input.rateDate,
    notes: input.notes,
    box_fill_at: input.boxFillUtc
  }
  let id = input.id
  if (id) {
    const current = getRound(ws, id)
    if (current.currency !== input.currency && current.orders > 0) throw fieldError('currency', 'invalid')
    ws.write.update('round', id, values)
  } else {
    // A round that took place on paper is recorded closed; its deadline must have passed.
    if (input.past && input.closesUtc > stamp(ws.env)) throw fieldError('closesAt', 'not_past')
    id = ws.env.uuid()
    ws.write.insert('round', { id, status: input.past ? 'closed' : 'draft', recorded: input.past ? 1 : 0, ...values })
  }
  const keep = new Set(input.supplierIds)
  const current = new Set(ws.db.prepare('SELECT supplier_id FROM round_supplier WHERE round_id = ? AND deleted_at IS NULL').pluck().all(id) as string[])
  for (const s of current) {
    if (keep.has(s)) continue
    const ordered = ws.db
      .prepare(
        `SELECT count(*) AS n FROM line_quantity q JOIN buyer_order o ON o.id = q.order_id JOIN product p ON p.id = q.product_id
         WHERE o.round_id = ? AND p.supplier_id = ? AND (q.quantity > 0 OR q.tolerance > 0)`
      )
      .get(id, s) as { n: number }
    if (ordered.n > 0) throw fieldError('supplierIds', 'in_use')
    ws.write.tombstone('round_supplier', { round_id: id, supplier_id: s })
  }
  // A supplier taken out and back in again: its row comes back to life.
  for (const s of keep) if (!current.has(s)) ws.write.upsert('round_supplier', { round_id: id, supplier_id: s, deleted_at: null })
  return getRound(ws, id)
}

/** Refuses any change to a closed round (status 'settled'); triggers refuse it in the database too. */
export function assertRoundNotClosed(ws: Workspace, roundId: string): void {
  const row = ws.db.prepare('SELECT name, status FROM round WHERE id = ?').get(roundId) as { name: string; status: string } | undefined
  if (row?.status === 'settled') throw new AppError('round.locked', { round: row.name })
}

/** How many unpriced products the error names; the rest are counted. */
const UNPRICED_SHOWN = 10

/**
 * Moves a round one step along draft → open → closed → ordered → received → invoiced → settled, or one
 * step back where nothing downstream depends on it. Reopening after the deadline needs a new deadline.
 */
export function setRoundStatus(ws: Workspace, id: string, to: RoundStatus, newClosesLocal?: string | null): Round {
  const round = getRound(ws, id)
  const from = ROUND_STATUSES.indexOf(round.status)
  const target = ROUND_STATUSES.indexOf(to)
  if (Math.abs(target - from) !== 1) throw new AppError('round.transition', { from: round.status, to })
  // Closing computes and keeps the round's result; reopening is an explicit step with a reason (closing/).
  if (to === 'settled' || round.status === 'settled') throw new AppError('round.use_closing')
  const now = stamp(ws.env)
  if (to === 'draft') {
    const ordered = ws.db
      .prepare('SELECT count(*) AS n FROM line_quantity q JOIN buyer_order o ON o.id = q.order_id WHERE o.round_id = ? AND (q.quantity > 0 OR q.tolerance > 0)')
      .get(id) as { n: number }
    if (ordered.n > 0) throw new AppError('round.has_orders', { from: round.status, to })
  }
  if (to === 'open' && round.supplierIds.length === 0) throw new AppError('round.no_suppliers')
  if (to === 'open') {
    const unpriced = roundPrices(ws, id).filter((p) => p.priceMinor === null && !p.blocked)
    if (unpriced.length > 0) {
      const shown = unpriced.slice(0, UNPRICED_SHOWN)
      throw new AppError(unpriced.length > shown.length ? 'round.unpriced_more' : 'round.unpriced', {
        count: unpriced.length,
        products: shown.map((p) => p.sku).join(', '),
        more: unpriced.length - shown.length,
        productIds: unpriced.map((p) => p.productId)
      })
    }
  }
  let closesAt = round.closesAt
  if (newClosesLocal) {
    const utc = zonedToUtc(newClosesLocal, round.timeZone)
    if (!utc) throw fieldError('closesAt', 'datetime')
    closesAt = utc
  }
  if (to === 'open' && closesAt <= now) throw new AppError('round.deadline_past', { closesAt })
  // Opened, a recorded round is an ordinary one from then on.
  ws.write.update('round', id, { status: to, closes_at: closesAt, ...(to === 'open' ? { recorded: 0 } : {}) })
  return getRound(ws, id)
}

/** ceil(n / d) for non-negative BigInts. */
const ceilDiv = (n: bigint, d: bigint) => (n + d - 1n) / d
/** n / d rounded half up, for non-negative BigInts. */
const roundDiv = (n: bigint, d: bigint) => (2n * n + d) / (2n * d)

/** An amount in another currency, and the rate (×10^8) that converts it into the round currency. */
export interface Converted {
  minor: number
  digits: number
  rateE8: bigint
  /** The quantity ×1000 of the sales unit the amount is for: a case of 1,44 m² (1440) when the cooperative bills per case; default one unit. */
  perMilli?: number
}

/** The amount as a fraction of the round currency's minor unit: [numerator, denominator]. */
function fraction(c: Converted, roundDigits: number, factor = 1n, factorDen = 1n): [bigint, bigint] {
  const scale = roundDigits - c.digits
  let num = BigInt(c.minor) * c.rateE8 * factor * 1000n
  let den = 100_000_000n * factorDen * BigInt(c.perMilli ?? 1000)
  if (scale >= 0) num *= 10n ** BigInt(scale)
  else den *= 10n ** BigInt(-scale)
  return [num, den]
}

/** The parts of a calculated price in the round currency's minor units; they add up to `priceMinor`. */
export interface PriceParts {
  /** Supplier price × rate. */
  convertedMinor: number
  /** What the markup adds. */
  markupMinor: number
  /** The round's logistics estimate per unit. */
  logisticsMinor: number
  /** The product's solidarity contribution, converted into the round currency. */
  solidarityMinor: number
  /** Up to the round's step (negative only by the half-cent of the parts shown above). */
  roundingMinor: number
  priceMinor: number
}

/**
 * The price calculator: supplier price × exchange rate × (1 + markup) + logistics estimate per unit +
 * the product's solidarity contribution (converted into the round currency), rounded up to the round's
 * step. Exact: one rounding, at the end, on integers. The parts are each rounded half up to the minor unit
 * for showing; the rounding part is what makes them add up to the price.
 */
export function priceParts(args: {
  supplier: Converted
  roundDigits: number
  markupBp: number
  logisticsMinor: number
  solidarity: Converted | null
  stepMinor: number
}): PriceParts {
  const [cn, cd] = fraction(args.supplier, args.roundDigits)
  const [mn, md] = fraction(args.supplier, args.roundDigits, BigInt(10000 + args.markupBp), 10000n)
  const [sn, sd] = args.solidarity && args.solidarity.minor > 0 ? fraction(args.solidarity, args.roundDigits) : [0n, 1n]
  // price with markup + logistics + solidarity, as one fraction over md × sd.
  const num = mn * sd + BigInt(args.logisticsMinor) * md * sd + sn * md
  const den = md * sd
  const step = BigInt(args.stepMinor)
  const priceMinor = Number(ceilDiv(num, den * step) * step)
  const convertedMinor = Number(roundDiv(cn, cd))
  const markupMinor = Number(roundDiv(mn, md)) - convertedMinor
  const solidarityMinor = Number(roundDiv(sn, sd))
  return {
    convertedMinor,
    markupMinor,
    logisticsMinor: args.logisticsMinor,
    solidarityMinor,
    roundingMinor: priceMinor - convertedMinor - markupMinor - args.logisticsMinor - solidarityMinor,
    priceMinor
  }
}

export interface PriceRow {
  productId: string
  supplierId: string
  supplierName: string
  sku: string
  nameEs: string | null
  nameDe: string | null
  nameEn: string | null
  salesUnit: string
  caseMilli: number
  stepMilli: number
  /** The cooperative's price: per sales unit, or per case when `pricePerCase` (the calculator divides it by the case size). */
  supplierPriceMinor: number
  pricePerCase: boolean
  supplierCurrency: string
  /** The product's solidarity contribution per unit, in its own currency. */
  solidarityMinor: number
  solidarityCurrency: string
  /** The price the calculator gives now, or null without an exchange rate. */
  calculatedMinor: number | null
  /** How the calculated price is made up, or null without an exchange rate. */
  parts: PriceParts | null
  rateE8: number | null
  rateValidOn: string | null
  /** The currency a chained rate went through (ARS → USD → EUR: "USD"), or null for a stored rate. */
  rateVia: string | null
  /** The price in force for this round (stored), or null while there is none. */
  priceMinor: number | null
  manual: boolean
  blocked: boolean
  /** A key of BLOCK_REASONS (shown translated) or the coordinator's own words. */
  blockReason: string | null
  animalOrigin: boolean
  dairy: boolean
}

/** The round's price list: every active product of its suppliers, with the calculator's suggestion. */
export function roundPrices(ws: Workspace, roundId: string): PriceRow[] {
  const round = getRound(ws, roundId)
  const rateDate = round.rateDate ?? stamp(ws.env).slice(0, 10)
  const roundDigits = currencyDigits(ws, round.currency)
  const rows = ws.db
    .prepare(
      `SELECT p.id AS productId, s.id AS supplierId, s.name AS supplierName, p.sku, p.name_es AS nameEs, p.name_de AS nameDe,
        p.name_en AS nameEn, p.sales_unit AS salesUnit, p.case_milli AS caseMilli, p.step_milli AS stepMilli, p.price_minor AS supplierPriceMinor, p.price_per_case AS pricePerCase,
        p.currency AS supplierCurrency, p.solidarity_minor AS solidarityMinor, coalesce(p.solidarity_currency, p.currency) AS solidarityCurrency,
        rp.price_minor AS priceMinor, coalesce(rp.price_manual, 0) AS manual,
        coalesce(rp.blocked, 0) AS blocked, rp.block_reason AS blockReason, p.animal_origin AS animalOrigin, p.dairy
       FROM round_supplier rs JOIN supplier s ON s.id = rs.supplier_id
       JOIN product p ON p.supplier_id = s.id AND p.deleted_at IS NULL AND p.archived_at IS NULL
       LEFT JOIN round_product rp ON rp.round_id = rs.round_id AND rp.product_id = p.id
       WHERE rs.round_id = ? AND rs.deleted_at IS NULL ORDER BY s.name COLLATE NOCASE, p.sku`
    )
    .all(roundId) as (Omit<PriceRow, 'calculatedMinor' | 'parts' | 'rateE8' | 'rateValidOn' | 'rateVia' | 'manual' | 'blocked' | 'animalOrigin' | 'dairy' | 'pricePerCase'> & {
    pricePerCase: number
    manual: number
    blocked: number
    animalOrigin: number
    dairy: number
  })[]
  const rates = new Map<string, { rateE8: bigint; validOn: string; via: string | null } | null>()
  const rateOf = (currency: string) => {
    if (!rates.has(currency)) rates.set(currency, exchangeRateChain(ws, currency, round.currency, rateDate))
    return rates.get(currency) ?? null
  }
  return rows.map((r) => {
    const rate = rateOf(r.supplierCurrency)
    const solidarityRate = r.solidarityMinor > 0 ? rateOf(r.solidarityCurrency) : null
    const parts =
      rate && (r.solidarityMinor === 0 || solidarityRate)
        ? priceParts({
            supplier: { minor: r.supplierPriceMinor, digits: currencyDigits(ws, r.supplierCurrency), rateE8: rate.rateE8, perMilli: r.pricePerCase ? r.caseMilli : 1000 },
            roundDigits,
            markupBp: round.markupBp,
            logisticsMinor: round.contributionMinor,
            solidarity: solidarityRate ? { minor: r.solidarityMinor, digits: currencyDigits(ws, r.solidarityCurrency), rateE8: solidarityRate.rateE8 } : null,
            stepMinor: round.roundingStepMinor
          })
        : null
    return {
      ...r,
      calculatedMinor: parts?.priceMinor ?? null,
      parts,
      rateE8: rate ? Number(rate.rateE8) : null,
      rateValidOn: rate?.validOn ?? null,
      rateVia: rate?.via ?? null,
      pricePerCase: r.pricePerCase === 1,
      manual: r.manual === 1,
      blocked: r.blocked === 1,
      animalOrigin: r.animalOrigin === 1,
      dairy: r.dairy === 1
    }
  })
}

/** Sets columns of a product's row in a round (its price, block, rounding policy), adding the row the first time. */
export function upsertRoundProduct(ws: Workspace, roundId: string, productId: string, values: Values): void {
  const exists = ws.db.prepare('SELECT id FROM round_product WHERE round_id = ? AND product_id = ?').pluck().get(roundId, productId) as string | undefined
  if (exists) ws.write.update('round_product', exists, values)
  else ws.write.insert('round_product', { id: ws.env.uuid(), round_id: roundId, product_id: productId, ...values })
}

/**
 * Stores the calculator's price for every product without a manual price. Products whose currency has
 * no exchange rate are listed, not priced.
 */
export function applyCalculatedPrices(ws: Workspace, roundId: string): { priced: number; missingRates: string[] } {
  const missing = new Set<string>()
  let priced = 0
  for (const r of roundPrices(ws, roundId)) {
    if (r.manual) continue
    if (r.calculatedMinor === null) {
      missing.add(r.rateE8 === null ? r.supplierCurrency : r.solidarityCurrency)
      continue
    }
    upsertRoundProduct(ws, roundId, r.productId, { price_minor: r.calculatedMinor, price_manual: 0, rate_e8: r.rateE8, rate_valid_on: r.rateValidOn })
    priced++
  }
  return { priced, missingRates: [...missing] }
}

export const setPriceInput = z.object({
  roundId: z.uuid(),
  productId: z.uuid(),
  /** A manual price in the round currency's major unit; null returns to the calculated price. */
  price: decimalText.nullable().optional(),
  blocked: z.boolean().optional(),
  blockReason: optionalText(300)
})

export function setRoundPrice(ws: Workspace, input: z.output<typeof setPriceInput>): PriceRow {
  const round = getRound(ws, input.roundId)
  const row = roundPrices(ws, input.roundId).find((r) => r.productId === input.productId)
  // Not an order line: the message names no line (round.product_unavailable does).
  if (!row) throw new AppError('round.product_not_offered', { productId: input.productId })
  const values: Values = {}
  if (input.price !== undefined) {
    if (input.price === null || input.price === '') {
      values.price_minor = row.calculatedMinor
      values.price_manual = 0
    } else {
      const minor = parseScaled(input.price, currencyDigits(ws, round.currency))
      if (minor === null || minor < 0) throw fieldError('price', 'number')
      values.price_minor = minor
      values.price_manual = 1
    }
  }
  if (input.blocked !== undefined) {
    if (input.blocked && !input.blockReason) throw fieldError('blockReason', 'required')
    values.blocked = input.blocked ? 1 : 0
    values.block_reason = input.blocked ? input.blockReason : null
  }
  if (Object.keys(values).length) upsertRoundProduct(ws, input.roundId, input.productId, values)
  return roundPrices(ws, input.roundId).find((r) => r.productId === input.productId)!
}
