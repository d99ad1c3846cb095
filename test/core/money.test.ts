import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { largestRemainder } from '../../src/core/common/money.ts'
import { formatScaled, parseScaled } from '../../src/shared/decimal.ts'
import { readFixture } from '../support/fixtures.ts'

interface SplitVector {
  total: number
  weights: number[]
  result: number[]
}
interface Vectors {
  largest_remainder_cents: (SplitVector | { _tie_break: string })[]
}
const vectors = JSON.parse(readFixture('vectors.json')) as Vectors
const splitVectors = vectors.largest_remainder_cents.filter((v): v is SplitVector => 'total' in v)

/** Weights with at least one non-zero entry, and a total, as arbitrary input. */
const splitInput = fc.record({
  total: fc.integer({ min: 0, max: 10_000_000 }),
  weights: fc
    .array(fc.integer({ min: 0, max: 100_000 }), { minLength: 1, maxLength: 12 })
    .filter((ws) => ws.some((w) => w > 0))
})

/** floor(total·w/W) and the remainder total·w − floor·W, in exact integers (DOMAIN.md 3.2). */
function exactShares(total: number, weights: readonly number[]) {
  const W = weights.reduce((a, w) => a + BigInt(w), 0n)
  return weights.map((w) => {
    const num = BigInt(total) * BigInt(w)
    const floor = num / W
    return { floor, remainder: num - floor * W, exact: num % W === 0n }
  })
}

describe('largestRemainder: the vectors (DOMAIN.md 3.2)', () => {
  it('the vectors file has splits to test and documents the tie-break', () => {
    expect(splitVectors.length).toBeGreaterThanOrEqual(4)
    expect(vectors.largest_remainder_cents.some((v) => '_tie_break' in v)).toBe(true)
  })

  it.each(splitVectors.map((v) => [v.total, v.weights, v.result] as const))('%i over %j → %j', (total, weights, result) => {
    expect(largestRemainder(total, weights)).toEqual(result)
  })
})

describe('largestRemainder: tie-break (remainder desc, weight desc, position asc)', () => {
  it('equal weights: the earlier positions get the leftover units', () => {
    // 10 over 4 equal weights: 2.5 each → floors 2, two left, all remainders equal → positions 0 and 1.
    expect(largestRemainder(10, [1, 1, 1, 1])).toEqual([3, 3, 2, 2])
    // 2 over 3 equal weights: 0.67 each → positions 0 and 1.
    expect(largestRemainder(2, [5, 5, 5])).toEqual([1, 1, 0])
  })

  it('a larger remainder wins over an earlier position', () => {
    // 3 over 1/1/2 → 0.75/0.75/1.5: floors 0/0/1, two left; remainders .75/.75/.5 → positions 0 and 1.
    expect(largestRemainder(3, [1, 1, 2])).toEqual([1, 1, 1])
    // 1 over 1/2 → 1/3 and 2/3: the second has the larger remainder.
    expect(largestRemainder(1, [1, 2])).toEqual([0, 1])
  })

  it('equal remainders: the larger weight wins over the earlier position', () => {
    // 3 over 1/3/2 → 0.5/1.5/1.0: floors 0/1/1, one left; remainders .5/.5/0 → weight 3 beats weight 1.
    expect(largestRemainder(3, [1, 3, 2])).toEqual([0, 2, 1])
    // 2 over 1/4/1 → 1/3, 4/3, 1/3: all remainders 1/3 → the weight 4 gets it.
    expect(largestRemainder(2, [1, 4, 1])).toEqual([0, 2, 0])
  })

  it('equal remainders and equal weights: the earlier position wins', () => {
    // 3 over 1/4/4 → 1/3, 4/3, 4/3: floors 0/1/1, one left; remainders all 1/3; weights 4 and 4 → position 1.
    expect(largestRemainder(3, [1, 4, 4])).toEqual([0, 2, 1])
  })

  it('zero weights get nothing, and an empty split is empty', () => {
    expect(largestRemainder(7, [0, 1, 0, 1])).toEqual([0, 4, 0, 3])
    expect(largestRemainder(0, [])).toEqual([])
    expect(largestRemainder(0, [0, 0])).toEqual([0, 0])
  })

  it('large sums stay exact (no float error)', () => {
    const total = Number.MAX_SAFE_INTEGER // 9007199254740991 = 3 · 3002399751580330 + 1
    expect(largestRemainder(total, [1, 1, 1])).toEqual([3002399751580331, 3002399751580330, 3002399751580330])
    expect(largestRemainder(total, [Number.MAX_SAFE_INTEGER, 0])).toEqual([total, 0])
  })
})

describe('largestRemainder: properties', () => {
  it('the parts add up to the total and each has the length of the weights', () => {
    fc.assert(
      fc.property(splitInput, ({ total, weights }) => {
        const parts = largestRemainder(total, weights)
        expect(parts).toHaveLength(weights.length)
        expect(parts.reduce((a, b) => a + b, 0)).toBe(total)
      })
    )
  })

  it('each part is the floor or the ceiling of its exact share', () => {
    fc.assert(
      fc.property(splitInput, ({ total, weights }) => {
        const parts = largestRemainder(total, weights)
        exactShares(total, weights).forEach(({ floor, exact }, i) => {
          const part = BigInt(parts[i]!)
          if (exact) expect(part).toBe(floor)
          else expect(part === floor || part === floor + 1n).toBe(true)
        })
      })
    )
  })

  it('the leftover units go in the documented order', () => {
    fc.assert(
      fc.property(splitInput, ({ total, weights }) => {
        const parts = largestRemainder(total, weights)
        const shares = exactShares(total, weights)
        const extra = parts.map((p, i) => BigInt(p) - shares[i]!.floor)
        // i before j in the documented order ⇒ i got at least as much of the leftover as j.
        const before = (i: number, j: number) => {
          const ri = shares[i]!.remainder
          const rj = shares[j]!.remainder
          if (ri !== rj) return ri > rj
          if (weights[i] !== weights[j]) return weights[i]! > weights[j]!
          return i < j
        }
        for (let i = 0; i < weights.length; i++)
          for (let j = 0; j < weights.length; j++) if (i !== j && before(i, j)) expect(extra[i]! >= extra[j]!).toBe(true)
      })
    )
  })

  it('equal weights differ by at most one unit, earlier positions never less', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 20 }), (total, w, n) => {
        const parts = largestRemainder(total, Array.from({ length: n }, () => w))
        for (let i = 1; i < n; i++) {
          expect(parts[i - 1]! >= parts[i]!).toBe(true)
          expect(parts[0]! - parts[i]!).toBeLessThanOrEqual(1)
        }
      })
    )
  })

  it('scaling all weights by the same factor changes nothing', () => {
    fc.assert(
      fc.property(splitInput, fc.integer({ min: 2, max: 50 }), ({ total, weights }, k) => {
        expect(largestRemainder(total, weights.map((w) => w * k))).toEqual(largestRemainder(total, weights))
      })
    )
  })
})

describe('largestRemainder: refused input', () => {
  it.each([
    [-1, [1, 1]],
    [1.5, [1, 1]],
    [Number.NaN, [1]],
    [Number.POSITIVE_INFINITY, [1]],
    [Number.MAX_SAFE_INTEGER + 1, [1]]
  ])('total %s is refused', (total, weights) => {
    expect(() => largestRemainder(total, weights)).toThrow(RangeError)
  })

  it.each([[[1, -1]], [[0.5, 1]], [[Number.NaN]], [[Number.POSITIVE_INFINITY, 1]]])('weights %s are refused', (weights) => {
    expect(() => largestRemainder(10, weights)).toThrow(RangeError)
  })

  it('a non-zero total over zero weights is refused', () => {
    expect(() => largestRemainder(1, [0])).toThrow(RangeError)
    expect(() => largestRemainder(100, [0, 0, 0])).toThrow(RangeError)
  })

  it('a non-zero total over no weights at all is refused (DOMAIN.md 3.2: require W > 0, Σ result == total)', () => {
    // An empty list of weights sums to 0 like [0, 0]; returning [] would lose the whole total.
    expect(() => largestRemainder(5, [])).toThrow(RangeError)
  })
})

describe('parseScaled: text typed by a person', () => {
  it.each([
    ['1.234,50', 2, 123450], // German
    ['1,234.50', 2, 123450], // English
    ['1234,5', 2, 123450],
    ['1234.5', 2, 123450],
    ['1 234,5', 2, 123450],
    ['1\u00a0234,5', 2, 123450], // no-break space
    ['1\u202f234,5', 2, 123450], // narrow no-break space
    ["1'234.50", 2, 123450], // Swiss
    ['1.234.567,89', 2, 123456789],
    ['1,234,567.89', 2, 123456789],
    ['1.234.567', 0, 1234567],
    ['1,234,567', 0, 1234567],
    ['-3', 2, -300],
    ['+2', 2, 200],
    ['-1.234,5', 2, -123450],
    ['  7  ', 0, 7],
    ['2,10', 2, 210],
    ['12,5', 3, 12500],
    ['0,9234', 8, 92340000],
    ['8,1', 2, 810],
    [',5', 2, 50],
    ['5,', 2, 500],
    ['0', 2, 0],
    ['-0', 2, 0],
    ['007', 0, 7],
    ['90071992547409.91', 2, 9007199254740991]
  ] as const)('%j with %i digits → %i', (text, digits, expected) => {
    expect(parseScaled(text, digits)).toBe(expected)
  })

  it.each([
    ['2,105', 2],
    ['0,0001', 3],
    ['1,5', 0],
    ['1.234,567', 2],
    ['0.123456789', 8]
  ] as const)('%j has too many decimals for %i digits → null', (text, digits) => {
    expect(parseScaled(text, digits)).toBeNull()
  })

  it.each([
    '',
    '   ',
    '-',
    '+',
    ',',
    '.',
    'abc',
    '12a',
    '1e3',
    '0x10',
    'NaN',
    'Infinity',
    '--3',
    '+-3',
    '-+3',
    '3-',
    '1,2,3',
    '1.2.3',
    '1.234.56',
    '1,234.5,6',
    '1.234,5.6',
    '€ 2,10',
    '2,10 €',
    '9007199254740993' // beyond the safe integers
  ])('%j is not a number → null', (text) => {
    expect(parseScaled(text, 2)).toBeNull()
  })

  it.each(['1,5.3', '12.34,5', '1.2,5', '1,23.45'])(
    '%j mixes separators without valid thousands groups → null (the same rule as "1.234.56")',
    (text) => {
      expect(parseScaled(text, 2)).toBeNull()
    }
  )
})

describe('parseScaled: numbers from spreadsheets', () => {
  it.each([
    [12.5, 2, 1250],
    [12.5, 3, 12500],
    [0.3, 3, 300],
    [2.1, 2, 210],
    [-2.5, 2, -250],
    [5, 2, 500],
    [0, 2, 0],
    [-0, 2, 0],
    [1e-7, 8, 10],
    [123456789.12, 2, 12345678912]
  ] as const)('%s with %i digits → %i', (n, digits, expected) => {
    expect(parseScaled(n, digits)).toBe(expected)
  })

  it.each([
    [Number.NaN, 2],
    [Number.POSITIVE_INFINITY, 2],
    [Number.NEGATIVE_INFINITY, 2],
    [1e21, 0],
    [0.125, 2],
    [1e-9, 8]
  ] as const)('%s with %i digits → null', (n, digits) => {
    expect(parseScaled(n, digits)).toBeNull()
  })
})

describe('formatScaled', () => {
  it.each([
    [210, 2, false, '2.10'],
    [12500, 3, false, '12.500'],
    [12500, 3, true, '12.5'],
    [12000, 3, true, '12'],
    [-5, 2, false, '-0.05'],
    [-123450, 2, false, '-1234.50'],
    [0, 2, false, '0.00'],
    [0, 2, true, '0'],
    [7, 0, false, '7'],
    [92340000, 8, false, '0.92340000'],
    [92340000, 8, true, '0.9234'],
    [123456789, 2, false, '1234567.89'],
    [Number.MAX_SAFE_INTEGER, 2, false, '90071992547409.91']
  ] as const)('(%i, %i, trim %s) → %j', (value, digits, trim, text) => {
    expect(formatScaled(value, digits, trim)).toBe(text)
  })
})

describe('parseScaled ∘ formatScaled round trips', () => {
  const safe = fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER })
  const digits = fc.integer({ min: 0, max: 8 })

  it('the plain form parses back to the same integer, trimmed or not', () => {
    fc.assert(
      fc.property(safe, digits, fc.boolean(), (n, d, trim) => {
        expect(parseScaled(formatScaled(n, d, trim), d)).toBe(n)
      })
    )
  })

  it('the German form with thousands dots and a decimal comma parses back', () => {
    fc.assert(
      fc.property(safe, fc.integer({ min: 1, max: 8 }), (n, d) => {
        const plain = formatScaled(n, d)
        const [int, frac] = plain.replace('-', '').split('.') as [string, string]
        const grouped = int.replace(/\B(?=(\d{3})+$)/g, '.')
        const german = `${n < 0 ? '-' : ''}${grouped},${frac}`
        expect(parseScaled(german, d)).toBe(n)
        const english = `${n < 0 ? '-' : ''}${int.replace(/\B(?=(\d{3})+$)/g, ',')}.${frac}`
        expect(parseScaled(english, d)).toBe(n)
      })
    )
  })

  it('formatting a parsed value gives the canonical text', () => {
    expect(formatScaled(parseScaled('1.234,5', 2)!, 2)).toBe('1234.50')
    expect(formatScaled(parseScaled('-0,05', 2)!, 2)).toBe('-0.05')
    expect(formatScaled(parseScaled('12,5', 3)!, 3, true)).toBe('12.5')
  })
})
