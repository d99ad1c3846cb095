import type { Env } from '../../src/core/common/env.ts'

/**
 * Deterministic stand-ins for the core's `Env` (its clock and its id source), so stamps and keys in a
 * test are known in advance. Import what a test needs; nothing here is registered globally.
 *
 *   frozenEnv('2026-03-04T05:06:07.089Z')              every reading is that instant
 *   frozenEnv('2026-03-01T09:00:01Z', { step: 1000 })  09:00:01, 09:00:02, … one second per reading
 *
 * Both give ids from `fixedIds()`: 00000000-0000-4000-8000-000000000001, …-000000000002, …
 */

/** An ISO 8601 instant with an explicit zone (`Z` or `±hh:mm`), so it means the same on every machine. */
const INSTANT = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(?:Z|([+-])(\d{2}):(\d{2}))$/

/**
 * The milliseconds of `iso`, or NaN unless it is an instant with a zone whose every field is in range
 * (`Date.parse` alone reads 2026-02-30 as 2 March).
 */
function parseInstant(iso: string): number {
  const m = INSTANT.exec(iso)
  if (!m) return NaN
  const [, date, h, min, s = '00', ms = '0', sign, zh = '00', zm = '00'] = m
  const wall = `${date}T${h}:${min}:${s}.${ms.padEnd(3, '0')}Z`
  const local = Date.parse(wall)
  if (Number.isNaN(local) || new Date(local).toISOString() !== wall || Number(zh) > 23 || Number(zm) > 59) return NaN
  const offset = (sign === '-' ? -1 : 1) * (Number(zh) * 60 + Number(zm)) * 60_000
  return local - offset
}

/** The counter fills the last group (12 decimal digits, which are also hex digits). */
const MAX_IDS = 999_999_999_999

/**
 * A source of ids `<prefix>-0000-4000-8000-<n>`, n = 1, 2, 3 … padded to 12 digits: valid version 4
 * UUIDs (variant 8) that `z.uuid()` accepts, and whose string order is the order they were made in.
 * Each call to `fixedIds` starts its own count at 1. `prefix` is the first group, 8 lowercase hex
 * digits (default `00000000`); give two sources in one test different prefixes to keep their ids apart.
 */
export function fixedIds(prefix = '00000000'): () => string {
  if (!/^[0-9a-f]{8}$/.test(prefix)) throw new Error(`fixedIds: the prefix must be 8 lowercase hex digits, not ${JSON.stringify(prefix)}`)
  let n = 0
  return () => {
    if (n >= MAX_IDS) throw new Error('fixedIds: out of ids')
    n += 1
    return `${prefix}-0000-4000-8000-${String(n).padStart(12, '0')}`
  }
}

export interface FrozenEnvOptions {
  /** Milliseconds the clock moves on after each reading; 0 (the default) keeps it frozen. */
  step?: number
  /** Where the env's ids come from; a fresh `fixedIds()` by default. */
  uuid?: () => string
}

/**
 * An `Env` whose clock reads `iso` first and then `step` ms later on each further reading (frozen
 * when `step` is 0), and whose ids come from `options.uuid` (a fresh `fixedIds()` by default). Every
 * reading is a new `Date`, so a caller that changes one changes nothing else.
 */
export function frozenEnv(iso: string, options: FrozenEnvOptions = {}): Env {
  const start = parseInstant(iso)
  if (Number.isNaN(start)) throw new Error(`frozenEnv: not an ISO instant with a zone: ${JSON.stringify(iso)}`)
  const step = options.step ?? 0
  if (!Number.isInteger(step) || step < 0) throw new Error(`frozenEnv: step must be a whole number of ms ≥ 0, not ${step}`)
  const uuid = options.uuid ?? fixedIds()
  let readings = 0
  return {
    now: () => new Date(start + step * readings++),
    uuid
  }
}
