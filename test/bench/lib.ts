import assert from 'node:assert/strict'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = fileURLToPath(new URL('../..', import.meta.url))
export const RESULTS = join(ROOT, 'bench-results.json')

/**
 * One line of bench-results.json. For a figure compared with its baseline, `value` and `baseline` are
 * the median times of the two sides, `ratio` the median of the pairwise ratios (see `compare`),
 * `ratioMin`/`ratioMax` the smallest and largest pairwise ratio and `pairs` how many pairs were timed;
 * `ok` is `ratio <= bound`. For a figure that is a plain measurement the last three are null and `bound`
 * applies to `value`.
 */
export interface Figure {
  name: string
  value: number
  unit: string
  baseline: number | null
  ratio: number | null
  bound: number | null
  ok: boolean
  ratioMin: number | null
  ratioMax: number | null
  pairs: number | null
}

export function median(xs: number[]): number {
  assert.ok(xs.length > 0, 'the median of nothing')
  const s = [...xs].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

export type Side = 'ours' | 'baseline'

export interface CompareOptions<S> {
  /** What the figure measures: one run. Gets the state `setup` made for this run. */
  ours: (state: S) => unknown
  /** The baseline: one run, comparable to one run of `ours`. */
  baseline: (state: S) => unknown
  /**
   * Timed pairs, one run of each side per pair, in the other order each time: an even number, as they
   * make ABBA blocks of two pairs (A B, B A), one ratio per block.
   */
  pairs?: number
  /** Untimed pairs first (JIT, caches, lazy imports). */
  warm?: number
  /**
   * Runs of each side per pair, for operations too short to time one at a time (around a millisecond),
   * interleaved A B B A …; the pair's times are those of its runs added up.
   */
  reps?: number
  /** Untimed, before every run of either side: fresh state for that run (e.g. a new, empty workspace). */
  setup?: (side: Side) => S | Promise<S>
  /** Untimed, after every run: closes or removes what `setup` made. */
  teardown?: (state: S, side: Side) => unknown
  /**
   * Each run returns the milliseconds to count (e.g. a first paint the browser reports) instead of being
   * timed by the wall clock.
   */
  reported?: boolean
}

/** What `compare` found. Times in milliseconds per run. */
export interface Comparison {
  /** Median time of one run of `ours`. */
  ours: number
  /** Median time of one run of `baseline`. */
  baseline: number
  /** Median of the ABBA blocks' ratios ours / baseline (each block two pairs, one in either order). */
  ratio: number
  /** The smallest and largest of the blocks' ratios. */
  ratioMin: number
  ratioMax: number
  /** Timed pairs (twice the number of blocks). */
  pairs: number
}

/**
 * Times `ours` against `baseline` so that a busy machine cannot tilt the ratio: the two run alternately,
 * one pair at a time, and the figure is the median of many short-range ratios instead of the ratio of
 * two long series timed one after the other. Load that comes and goes (another build, a test run) lands
 * on both sides of a pair, and a pair it hits in the middle makes an outlier the median ignores.
 *
 * The order flips from pair to pair (A B, B A, A B, …) and a ratio is taken over each ABBA block of two
 * pairs, not over a single pair: the run that comes second inherits the first one's heap (a collection
 * of its garbage) and caches, and that bias is not small (the XLSX import's baseline took 1.5× as long
 * right after an import as right before one). Within a block each side runs once first and once second,
 * so the bias cancels out of the block's ratio; a single pair's ratio would carry it whole, and the median
 * of such ratios would fall between the two orders' clusters.
 *
 * `setup` and `teardown` run around every run and are not timed. `BENCH_PAIRS=1` prints every pair.
 */
export async function compare<S = undefined>(options: CompareOptions<S>): Promise<Comparison> {
  const { pairs = 9, warm = 2, reps = 1 } = options
  assert.ok(Number.isInteger(pairs) && pairs >= 2 && pairs % 2 === 0, `pairs make ABBA blocks of two: an even number, not ${pairs}`)
  assert.ok(Number.isInteger(warm) && warm >= 0 && Number.isInteger(reps) && reps >= 1)
  const run = async (side: Side): Promise<number> => {
    const state = (options.setup ? await options.setup(side) : undefined) as S
    const fn = side === 'ours' ? options.ours : options.baseline
    const t0 = performance.now()
    let out = fn(state)
    if (out instanceof Promise) out = await out
    const t = performance.now() - t0
    if (options.teardown) await options.teardown(state, side)
    if (!options.reported) return t
    assert.ok(typeof out === 'number' && Number.isFinite(out), `a ${side} run reported ${String(out)}, not a time`)
    return out
  }
  const ours: number[] = []
  const base: number[] = []
  let k = 0
  for (let i = 0; i < warm + pairs; i++) {
    // One pair: `reps` runs of each side, interleaved and each time in the other order (A B B A A B …).
    const t: Record<Side, number> = { ours: 0, baseline: 0 }
    const first = k % 2 === 0 ? 'ours' : 'baseline'
    for (let r = 0; r < reps; r++, k++) {
      for (const side of k % 2 === 0 ? (['ours', 'baseline'] as const) : (['baseline', 'ours'] as const)) t[side] += await run(side)
    }
    if (i < warm) continue
    assert.ok(t.baseline > 0, 'the baseline took no measurable time: raise reps')
    ours.push(t.ours / reps)
    base.push(t.baseline / reps)
    if (process.env.BENCH_PAIRS) {
      console.log(`  pair ${i - warm} (${first} first): ${(t.ours / reps).toFixed(3)} / ${(t.baseline / reps).toFixed(3)} ms = ${(t.ours / t.baseline).toFixed(2)}`)
    }
  }
  const ratios: number[] = []
  for (let b = 0; b < pairs; b += 2) ratios.push((ours[b]! + ours[b + 1]!) / (base[b]! + base[b + 1]!))
  return { ours: median(ours), baseline: median(base), ratio: median(ratios), ratioMin: Math.min(...ratios), ratioMax: Math.max(...ratios), pairs }
}

/** A plain measurement: no timed baseline (e.g. a count of DOM rows, a file size). */
export interface Measurement {
  value: number
  /** What the value is set against, if anything (reported, not bounded). */
  baseline: number | null
}

const round = (x: number, digits = 3) => Number(x.toFixed(digits))

/**
 * The figure of one benchmark. For a comparison `bound` is the largest median ratio allowed; for a
 * measurement it is the largest value allowed.
 */
export function figure(name: string, unit: string, bound: number | null, r: Comparison | Measurement): Figure {
  if ('ratio' in r) {
    assert.ok(Number.isFinite(r.ours) && r.ours >= 0 && Number.isFinite(r.baseline) && r.baseline > 0, `${name}: measured ${r.ours} against ${r.baseline}`)
    return {
      name,
      value: round(r.ours),
      unit,
      baseline: round(r.baseline),
      ratio: round(r.ratio, 2),
      bound,
      ok: bound === null || round(r.ratio, 2) <= bound,
      ratioMin: round(r.ratioMin, 2),
      ratioMax: round(r.ratioMax, 2),
      pairs: r.pairs
    }
  }
  const ratio = r.baseline ? Number((r.value / r.baseline).toFixed(5)) : null
  return { name, value: r.value, unit, baseline: r.baseline, ratio, bound, ok: bound === null || r.value <= bound, ratioMin: null, ratioMax: null, pairs: null }
}

/** One line per figure, as it is measured (with the seconds it took, fixture included, if given). */
export function print(f: Figure, ms?: number): void {
  const spread = f.pairs === null ? '' : ` (${f.ratioMin}–${f.ratioMax}× over ${f.pairs} pairs)`
  const cmp = f.baseline === null ? '' : ` vs baseline ${f.baseline} ${f.unit} → ratio ${f.ratio}×${spread}`
  const bound = f.bound === null ? '' : f.pairs === null ? ` (bound ${f.bound} ${f.unit})` : ` (bound ${f.bound}×)`
  const took = ms === undefined ? '' : ` [${(ms / 1000).toFixed(1)} s]`
  console.log(`${f.ok ? 'ok  ' : 'FAIL'} ${f.name}: ${f.value} ${f.unit}${cmp}${bound}${took}`)
}

/** Every figure of the run in one table. */
export function table(figures: Figure[]): string {
  const rows = [
    ['', 'figure', 'value', 'baseline', 'ratio', 'min–max', 'pairs', 'bound'],
    ...figures.map((f) => [
      f.ok ? 'ok' : 'FAIL',
      f.name,
      `${f.value} ${f.unit}`,
      f.baseline === null ? '' : `${f.baseline} ${f.unit}`,
      f.ratio === null ? '' : `${f.ratio}×`,
      f.pairs === null ? '' : `${f.ratioMin}–${f.ratioMax}×`,
      f.pairs === null ? '' : String(f.pairs),
      f.bound === null ? '' : f.pairs === null ? `${f.bound} ${f.unit}` : `${f.bound}×`
    ])
  ]
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)))
  const right = new Set([2, 3, 4, 5, 6, 7])
  return rows.map((r) => r.map((cell, c) => (right.has(c) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ').trimEnd()).join('\n')
}

/** Writes the figures into bench-results.json, replacing earlier figures of the same name. */
export function save(figures: Figure[]): void {
  const earlier: Figure[] = existsSync(RESULTS) ? (JSON.parse(readFileSync(RESULTS, 'utf8')) as Figure[]) : []
  const names = new Set(figures.map((f) => f.name))
  const merged = [...earlier.filter((f) => !names.has(f.name)), ...figures].sort((a, b) => a.name.localeCompare(b.name))
  writeFileSync(RESULTS, JSON.stringify(merged, null, 2) + '\n')
}
