import assert from 'node:assert/strict'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = fileURLToPath(new URL('../..', import.meta.url))
export const RESULTS = join(ROOT, 'bench-results.json')

export interface Figure {
  name: string
  value: number
  unit: string
  baseline: number | null
  ratio: number | null
  bound: number | null
  ok: boolean
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

/** Runs `fn` `n` times after `warm` warm-up runs; returns the median in milliseconds. */
export async function time(fn: () => unknown, n: number, warm = 3): Promise<number> {
  for (let i = 0; i < warm; i++) await fn()
  const samples: number[] = []
  for (let i = 0; i < n; i++) {
    const t0 = performance.now()
    await fn()
    samples.push(performance.now() - t0)
  }
  return median(samples)
}

const round = (x: number, digits = 3) => Number(x.toFixed(digits))

/** A figure compared with its baseline measured in the same run; `bound` is the largest ratio allowed. */
export function ratioFigure(name: string, value: number, baseline: number, unit: string, bound: number | null): Figure {
  assert.ok(Number.isFinite(value) && value >= 0 && Number.isFinite(baseline) && baseline > 0, `${name}: measured ${value} against ${baseline}`)
  const ratio = value / baseline
  return { name, value: round(value), unit, baseline: round(baseline), ratio: round(ratio, 2), bound, ok: bound === null || ratio <= bound }
}

export function print(f: Figure): void {
  const cmp = f.baseline === null ? '' : ` vs baseline ${f.baseline} ${f.unit} → ratio ${f.ratio}×`
  const bound = f.bound === null ? '' : f.unit === 'rows' ? ` (bound ${f.bound} ${f.unit})` : ` (bound ${f.bound}×)`
  console.log(`${f.ok ? 'ok  ' : 'FAIL'} ${f.name}: ${f.value} ${f.unit}${cmp}${bound}`)
}

/** Writes the figures into bench-results.json, replacing earlier figures of the same name. */
export function save(figures: Figure[]): void {
  const earlier: Figure[] = existsSync(RESULTS) ? (JSON.parse(readFileSync(RESULTS, 'utf8')) as Figure[]) : []
  const names = new Set(figures.map((f) => f.name))
  const merged = [...earlier.filter((f) => !names.has(f.name)), ...figures].sort((a, b) => a.name.localeCompare(b.name))
  writeFileSync(RESULTS, JSON.stringify(merged, null, 2) + '\n')
}
