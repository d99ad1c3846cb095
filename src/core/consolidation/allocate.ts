import type { CutStrategy, ExtrasTo } from '../../shared/vocabulary.ts'
import { largestRemainder } from '../common/money.ts'

/**
 * Cases and fair cuts: pure functions on integers, shared by the consolidation view, purchase orders and
 * the re-allocation after short deliveries. Quantities are whole steps of the product (`stepMilli`
 * thousandths of its sales unit: 1000 for whole units, 500 for half a kilo); case sizes are thousandths of
 * a unit (`caseMilli`) because some goods come by the m² or kg.
 */

export type RoundingPolicy =
  | { kind: 'tolerance_fill' }
  | { kind: 'threshold'; /** basis points of a case: 5000 = round up from half a case */ thresholdBp: number }
  | { kind: 'always_up' }
  | { kind: 'exact' }

export interface CaseDecision {
  /** Whole cases to order (0 for `exact`). */
  cases: number
  /** Steps those cases hold, whole steps only (for `exact`: the ordered steps). */
  available: number
}

/**
 * How many cases to order for `quantity` units ordered and `tolerance` extra units accepted:
 * - tolerance_fill: floor(Q/B) cases, one more if the leftover plus the tolerance fills it (R + T ≥ B);
 * - threshold: one more if the leftover is at least the threshold share of a case (surplus to stock);
 * - always_up: one more whenever there is a leftover (surplus to stock);
 * - exact: no cases, the units as ordered (goods sold by weight or area).
 */
export function decideCases(policy: RoundingPolicy, quantity: number, tolerance: number, caseMilli: number, stepMilli = 1000): CaseDecision {
  if (policy.kind === 'exact') return { cases: 0, available: quantity }
  const q = quantity * stepMilli
  let cases = Math.floor(q / caseMilli)
  const rest = q % caseMilli
  if (rest > 0) {
    if (policy.kind === 'always_up') cases++
    else if (policy.kind === 'tolerance_fill' && rest + tolerance * stepMilli >= caseMilli) cases++
    else if (policy.kind === 'threshold' && rest * 10000 >= policy.thresholdBp * caseMilli) cases++
  }
  return { cases, available: casesSteps(cases, caseMilli, stepMilli) }
}

/** The whole steps `cases` cases hold (6 cases of 1,44 m² in steps of 1 m²: 8; in steps of 0,01 m²: 864). */
export function casesSteps(cases: number, caseMilli: number, stepMilli = 1000): number {
  return Math.floor((cases * caseMilli) / stepMilli)
}

/**
 * The exact quantity ordered, ×1000 in the product's sales unit: the cases × the case size (6 cases of
 * 1,44 m² = 8640, not the 8 whole units `available` counts); without cases (exact), the steps ordered.
 */
export function lineQuantityMilli(d: { cases: number; caseMilli: number; available: number; stepMilli: number }): number {
  return d.cases > 0 ? d.cases * d.caseMilli : d.available * d.stepMilli
}

/** The quantity ×1000 a cooperative's price is for: one case when it bills per case, else one sales unit. */
export function pricePerMilli(p: { pricePerCase: boolean | number; caseMilli: number }): number {
  return p.pricePerCase ? p.caseMilli : 1000
}

/** One buyer's claim on a product: what they ordered and the history of how it came about. */
export interface Claim {
  /** Stable identity (the order line id): the tie-break of last resort. */
  key: string
  quantity: number
  tolerance: number
  /** The quantity log of the line in time order; without it, everything counts from `firstAt`. */
  log?: readonly { at: string; quantityDelta: number; toleranceDelta: number }[]
  firstAt: string
}

export interface Allocation {
  /** Units granted per claim key. */
  granted: Map<string, number>
  /** Units left over (to the organisation's stock). */
  surplus: number
}

interface Increment {
  key: string
  at: string
  seq: number
  units: number
}

/**
 * Net increments of a line: every increase is a block of units stamped with its time; a decrease takes
 * units away from the latest blocks first (the latest additions are the first to go).
 */
function increments(c: Claim, field: 'quantityDelta' | 'toleranceDelta', total: number): Increment[] {
  const log = c.log ?? [{ at: c.firstAt, quantityDelta: c.quantity, toleranceDelta: c.tolerance }]
  const stack: Increment[] = []
  log.forEach((e, seq) => {
    const d = e[field]
    if (d > 0) stack.push({ key: c.key, at: e.at, seq, units: d })
    let take = -d
    while (take > 0 && stack.length) {
      const top = stack[stack.length - 1]!
      const n = Math.min(take, top.units)
      top.units -= n
      take -= n
      if (top.units === 0) stack.pop()
    }
  })
  const sum = stack.reduce((a, b) => a + b.units, 0)
  if (sum !== total) throw new RangeError(`log of ${c.key} sums to ${sum}, not ${total}`)
  return stack
}

const byTime = (a: Increment, b: Increment) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : a.seq - b.seq)

/**
 * First come, first served: ordered units are granted oldest first until the available units are used;
 * then tolerance units, oldest first, with what is left. The latest additions lose first.
 */
export function allocateFirstCome(claims: readonly Claim[], available: number): Allocation {
  const granted = new Map(claims.map((c) => [c.key, 0]))
  let left = available
  if (claims.every((c) => !c.log)) {
    // Each claim arrived at once: one pass in time order for the ordered units, one for the tolerance.
    const order = [...claims].sort((a, b) => (a.firstAt < b.firstAt ? -1 : a.firstAt > b.firstAt ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    for (const field of ['quantity', 'tolerance'] as const)
      for (const c of order) {
        if (left === 0) break
        const n = Math.min(c[field], left)
        granted.set(c.key, granted.get(c.key)! + n)
        left -= n
      }
    return { granted, surplus: left }
  }
  for (const field of ['quantityDelta', 'toleranceDelta'] as const) {
    const all = claims.flatMap((c) => increments(c, field, field === 'quantityDelta' ? c.quantity : c.tolerance)).sort(byTime)
    for (const inc of all) {
      if (left === 0) break
      const n = Math.min(inc.units, left)
      granted.set(inc.key, granted.get(inc.key)! + n)
      left -= n
    }
  }
  return { granted, surplus: left }
}

/**
 * Pro rata: when short, the available units are split over the ordered quantities by largest remainder
 * (ties: larger remainder, then larger order, then earlier first order, then key); when there is more
 * than ordered, the extra is split the same way over the tolerances, and what exceeds them is surplus.
 * The input order of the claims does not matter.
 */
export function allocateProRata(claims: readonly Claim[], available: number): Allocation {
  const sorted = [...claims].sort((a, b) => (a.firstAt < b.firstAt ? -1 : a.firstAt > b.firstAt ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  const ordered = sorted.reduce((a, c) => a + c.quantity, 0)
  const granted = new Map<string, number>()
  if (available <= ordered) {
    const parts = ordered === 0 ? sorted.map(() => 0) : largestRemainder(available, sorted.map((c) => c.quantity))
    sorted.forEach((c, i) => granted.set(c.key, parts[i]!))
    return { granted, surplus: ordered === 0 ? available : 0 }
  }
  const extra = available - ordered
  const tolerance = sorted.reduce((a, c) => a + c.tolerance, 0)
  if (extra >= tolerance) {
    sorted.forEach((c) => granted.set(c.key, c.quantity + c.tolerance))
    return { granted, surplus: extra - tolerance }
  }
  const parts = largestRemainder(extra, sorted.map((c) => c.tolerance))
  sorted.forEach((c, i) => granted.set(c.key, c.quantity + parts[i]!))
  return { granted, surplus: 0 }
}

/**
 * Manual distribution: nothing is cut or topped up by itself; every claim gets what it ordered (the
 * coordinator overrides lines by hand). Units beyond the ordered ones are surplus; when short, the
 * claims together get more than there is (the consolidation shows by how much). With nothing available
 * (no whole case, held back, nothing arrived) there is nothing to distribute: every claim gets 0.
 */
export function allocateManual(claims: readonly Claim[], available: number): Allocation {
  const ordered = claims.reduce((a, c) => a + c.quantity, 0)
  return { granted: new Map(claims.map((c) => [c.key, available === 0 ? 0 : c.quantity])), surplus: Math.max(0, available - ordered) }
}

/**
 * Allocates by the strategy. With `extrasTo` 'stock', units beyond what was ordered go to surplus instead
 * of the tolerances: every claim gets what it ordered, no more (when short, the strategy cuts as always).
 */
export function allocate(strategy: CutStrategy, claims: readonly Claim[], available: number, extrasTo: ExtrasTo = 'tolerance'): Allocation {
  if (strategy === 'manual') return allocateManual(claims, available)
  if (extrasTo === 'stock' && available >= claims.reduce((a, c) => a + c.quantity, 0)) return allocateManual(claims, available)
  return strategy === 'first_come' ? allocateFirstCome(claims, available) : allocateProRata(claims, available)
}
