import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { allocate, allocateFirstCome, allocateProRata, type Claim, decideCases } from '../../src/core/consolidation/allocate.ts'
import { readFixture } from '../support/fixtures.ts'

const vectors = JSON.parse(readFixture('vectors.json')) as {
  case_rounding_with_tolerance: { case_size: number; cases: [number, number, number][] }
  first_come_distribution: {
    case_size: number
    rows: { buyer: string; quantity: number; tolerance: number; at: number }[]
    received: Record<string, Record<string, number>>
  }
}

describe('case rounding', () => {
  const { case_size, cases } = vectors.case_rounding_with_tolerance
  it.each(cases)('Q=%i, T=%i → %i cases (vectors.json)', (q, t, expected) => {
    expect(decideCases({ kind: 'tolerance_fill' }, q, t, case_size * 1000).cases).toBe(expected)
  })

  it('threshold rounds up from the given share of a case, always_up whenever there is a leftover, exact never uses cases', () => {
    // 12 per case, 5 ordered: 5/12 = 41.7 % of a case.
    expect(decideCases({ kind: 'threshold', thresholdBp: 4000 }, 17, 0, 12000)).toEqual({ cases: 2, available: 24 })
    expect(decideCases({ kind: 'threshold', thresholdBp: 5000 }, 17, 0, 12000)).toEqual({ cases: 1, available: 12 })
    expect(decideCases({ kind: 'always_up' }, 13, 0, 12000)).toEqual({ cases: 2, available: 24 })
    expect(decideCases({ kind: 'always_up' }, 24, 0, 12000)).toEqual({ cases: 2, available: 24 })
    expect(decideCases({ kind: 'exact' }, 17, 3, 12000)).toEqual({ cases: 0, available: 17 })
  })

  it('handles fractional case sizes (1.44 m² per box of tiles)', () => {
    // 10 m² ordered: 6 boxes hold 8.64 m² (8 whole units to hand out); the leftover 1.36 m² is less than a box.
    expect(decideCases({ kind: 'tolerance_fill' }, 10, 0, 1440)).toEqual({ cases: 6, available: 8 })
    expect(decideCases({ kind: 'always_up' }, 10, 0, 1440)).toEqual({ cases: 7, available: 10 })
  })
})

describe('first come, first served', () => {
  const { rows, received } = vectors.first_come_distribution
  const claims: Claim[] = rows.map((r) => ({
    key: r.buyer,
    quantity: r.quantity,
    tolerance: r.tolerance,
    firstAt: `2026-01-01T00:00:0${r.at}Z`
  }))
  it.each(Object.entries(received))('with %s units available (vectors.json)', (available, expected) => {
    const { granted, surplus } = allocateFirstCome(claims, Number(available))
    expect(Object.fromEntries(granted)).toEqual(expected)
    expect(surplus).toBe(0)
  })

  it('uses the quantity log: the latest additions lose first, and a decrease removes the latest units', () => {
    const a: Claim = {
      key: 'A',
      quantity: 5,
      tolerance: 0,
      firstAt: '2026-01-01T10:00:00Z',
      log: [
        { at: '2026-01-01T10:00:00Z', quantityDelta: 2, toleranceDelta: 0 },
        { at: '2026-01-03T10:00:00Z', quantityDelta: 4, toleranceDelta: 0 },
        { at: '2026-01-04T10:00:00Z', quantityDelta: -1, toleranceDelta: 0 }
      ]
    }
    const b: Claim = { key: 'B', quantity: 3, tolerance: 0, firstAt: '2026-01-02T10:00:00Z' }
    // Time order of units: A2 (day 1), B3 (day 2), A3 (day 3; the 4th of that block was taken back).
    expect(Object.fromEntries(allocateFirstCome([a, b], 4).granted)).toEqual({ A: 2, B: 2 })
    expect(Object.fromEntries(allocateFirstCome([a, b], 6).granted)).toEqual({ A: 3, B: 3 })
    expect(allocateFirstCome([a, b], 10)).toEqual({ granted: new Map([['A', 5], ['B', 3]]), surplus: 2 })
  })

  it('refuses a log that does not add up to the claimed quantity', () => {
    const bad: Claim = { key: 'X', quantity: 3, tolerance: 0, firstAt: 'x', log: [{ at: 'x', quantityDelta: 2, toleranceDelta: 0 }] }
    expect(() => allocateFirstCome([bad], 1)).toThrow(RangeError)
  })
})

const claimsArb = fc
  .array(
    fc.record({
      quantity: fc.integer({ min: 0, max: 40 }),
      tolerance: fc.integer({ min: 0, max: 10 }),
      day: fc.integer({ min: 1, max: 28 })
    }),
    { minLength: 1, maxLength: 25 }
  )
  .map((rows) =>
    rows.map((r, i) => ({
      key: `line-${String(i).padStart(3, '0')}`,
      quantity: r.quantity,
      tolerance: r.tolerance,
      firstAt: `2026-02-${String(r.day).padStart(2, '0')}T12:00:00Z`
    }))
  )

describe('pro rata (properties)', () => {
  it('hands out exactly what is available (up to quantity + tolerance), and the rest is surplus', () => {
    fc.assert(
      fc.property(claimsArb, fc.integer({ min: 0, max: 1500 }), (claims, available) => {
        const { granted, surplus } = allocateProRata(claims, available)
        const given = [...granted.values()].reduce((a, b) => a + b, 0)
        const ceiling = claims.reduce((a, c) => a + c.quantity + c.tolerance, 0)
        expect(given + surplus).toBe(available)
        expect(given).toBe(Math.min(available, ceiling))
      })
    )
  })

  it('never gives anybody more than ordered plus tolerance, and nobody less than ordered while there is enough', () => {
    fc.assert(
      fc.property(claimsArb, fc.integer({ min: 0, max: 1500 }), (claims, available) => {
        const { granted } = allocateProRata(claims, available)
        const ordered = claims.reduce((a, c) => a + c.quantity, 0)
        for (const c of claims) {
          const g = granted.get(c.key)!
          expect(g).toBeLessThanOrEqual(c.quantity + c.tolerance)
          expect(g).toBeGreaterThanOrEqual(0)
          if (available >= ordered) expect(g).toBeGreaterThanOrEqual(c.quantity)
          else expect(g).toBeLessThanOrEqual(c.quantity)
        }
      })
    )
  })

  it('is deterministic under any reordering of the input rows', () => {
    fc.assert(
      fc.property(
        claimsArb.chain((claims) => fc.tuple(fc.constant(claims), fc.shuffledSubarray(claims, { minLength: claims.length, maxLength: claims.length }))),
        fc.integer({ min: 0, max: 1500 }),
        ([claims, shuffled], available) => {
          expect(allocateProRata(shuffled, available)).toEqual(allocateProRata(claims, available))
        }
      )
    )
  })

  it('is fair within one unit of the exact share when short', () => {
    fc.assert(
      fc.property(claimsArb, fc.integer({ min: 0, max: 1500 }), (claims, available) => {
        const ordered = claims.reduce((a, c) => a + c.quantity, 0)
        fc.pre(ordered > 0 && available < ordered)
        const { granted } = allocateProRata(claims, available)
        for (const c of claims) {
          const exact = (available * c.quantity) / ordered
          expect(Math.abs(granted.get(c.key)! - exact)).toBeLessThan(1)
        }
      })
    )
  })

  it('splits a worked example by hand: 10 units over orders of 6, 3 and 3', () => {
    const claims: Claim[] = [
      { key: 'a', quantity: 6, tolerance: 0, firstAt: '1' },
      { key: 'b', quantity: 3, tolerance: 0, firstAt: '2' },
      { key: 'c', quantity: 3, tolerance: 0, firstAt: '3' }
    ]
    // Exact shares 5, 2.5, 2.5: the half unit goes to b (same remainder and weight as c, but ordered earlier).
    expect(Object.fromEntries(allocateProRata(claims, 10).granted)).toEqual({ a: 5, b: 3, c: 2 })
  })
})

describe('where extras go, and manual distribution', () => {
  // A 4 ordered + 2 tolerance (first), B 3 + 0, C 1 + 3: 8 ordered, 5 tolerance.
  const claims: Claim[] = [
    { key: 'a', quantity: 4, tolerance: 2, firstAt: '1' },
    { key: 'b', quantity: 3, tolerance: 0, firstAt: '2' },
    { key: 'c', quantity: 1, tolerance: 3, firstAt: '3' }
  ]
  const split = (a: { granted: Map<string, number>; surplus: number }) => ({ ...Object.fromEntries(a.granted), surplus: a.surplus })

  it('sends units beyond the orders to stock instead of the tolerances, under both strategies', () => {
    // 11 units, 3 beyond the 8 ordered: to the tolerances first come A 2, C 1; to stock: everyone their order, 3 surplus.
    expect(split(allocate('first_come', claims, 11))).toEqual({ a: 6, b: 3, c: 2, surplus: 0 })
    expect(split(allocate('first_come', claims, 11, 'stock'))).toEqual({ a: 4, b: 3, c: 1, surplus: 3 })
    expect(split(allocate('pro_rata', claims, 11, 'stock'))).toEqual({ a: 4, b: 3, c: 1, surplus: 3 })
    // Exactly the orders: nothing beyond, nothing to stock.
    expect(split(allocate('pro_rata', claims, 8, 'stock'))).toEqual({ a: 4, b: 3, c: 1, surplus: 0 })
    // Short (6 of 8): the strategy cuts as always — first come A 4, B 2, C 0.
    expect(split(allocate('first_come', claims, 6, 'stock'))).toEqual({ a: 4, b: 2, c: 0, surplus: 0 })
  })

  it('manual distribution cuts nothing and tops up nothing: everyone what they ordered', () => {
    expect(split(allocate('manual', claims, 6))).toEqual({ a: 4, b: 3, c: 1, surplus: 0 })
    expect(split(allocate('manual', claims, 12))).toEqual({ a: 4, b: 3, c: 1, surplus: 4 })
    // Nothing available (no whole case, or held back): nothing to distribute.
    expect(split(allocate('manual', claims, 0))).toEqual({ a: 0, b: 0, c: 0, surplus: 0 })
  })
})
