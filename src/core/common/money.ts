/**
 * Splits an integer amount (minor units, or whole units) over weights so that the parts add up exactly:
 * the largest-remainder (Hamilton) method. Each part gets floor(total·w/W); what is left goes one unit
 * at a time by remainder descending, then weight descending, then original position ascending.
 * Weights and total are integers (BigInt inside, so no float error even for large sums).
 */
export function largestRemainder(total: number, weights: readonly number[]): number[] {
  if (!Number.isSafeInteger(total) || total < 0) throw new RangeError('total must be a non-negative integer')
  if (weights.some((w) => !Number.isSafeInteger(w) || w < 0)) throw new RangeError('weights must be non-negative integers')
  const sum = weights.reduce((a, b) => a + BigInt(b), 0n)
  if (weights.length === 0) {
    if (total === 0) return []
    throw new RangeError('cannot split a non-zero total over no weights')
  }
  if (sum === 0n) {
    if (total === 0) return weights.map(() => 0)
    throw new RangeError('cannot split a non-zero total over zero weights')
  }
  const t = BigInt(total)
  const base = weights.map((w) => (t * BigInt(w)) / sum)
  const rem = weights.map((w, i) => ({ i, w, r: t * BigInt(w) - base[i]! * sum }))
  let left = t - base.reduce((a, b) => a + b, 0n)
  rem.sort((a, b) => (a.r === b.r ? (a.w === b.w ? a.i - b.i : b.w - a.w) : a.r > b.r ? -1 : 1))
  for (const { i } of rem) {
    if (left === 0n) break
    base[i]! += 1n
    left -= 1n
  }
  return base.map(Number)
}

/**
 * The amount of a quantity given ×1000 in its unit (8,64 m² = 8640) at a price per unit in minor units:
 * quantity × price / 1000, rounded half up to the minor unit, with integer math (BigInt, no float error).
 * A price for more than one unit (a case of 1,44 m²: `perMilli` 1440) divides by that instead.
 */
export function quantityAmountMinor(quantityMilli: number, unitPriceMinor: number, perMilli = 1000): number {
  if (!Number.isSafeInteger(quantityMilli) || quantityMilli < 0) throw new RangeError('quantity must be a non-negative integer')
  if (!Number.isSafeInteger(unitPriceMinor) || unitPriceMinor < 0) throw new RangeError('price must be a non-negative integer')
  if (!Number.isSafeInteger(perMilli) || perMilli <= 0) throw new RangeError('the quantity a price is for must be a positive integer')
  const per = BigInt(perMilli)
  return Number((BigInt(quantityMilli) * BigInt(unitPriceMinor) * 2n + per) / (2n * per))
}
