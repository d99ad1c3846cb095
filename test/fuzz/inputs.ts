/**
 * Inputs for the API fuzz test, made from each method's own zod schema: plausible values (that pass the
 * schema often, so the handlers run) and hostile ones (wrong types, huge or control-character strings,
 * NaN and Infinity, huge and negative numbers, prototype-pollution keys, deep nesting). Deterministic for
 * a seed, so a failure can be replayed with PUENTE_FUZZ_SEED.
 */
import assert from 'node:assert/strict'
import type { z } from 'zod'

/** A small seeded generator (mulberry32). */
export class Rng {
  private state: number
  constructor(seed: number) {
    this.state = seed >>> 0
  }
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0)
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1))
  }
  chance(p: number): boolean {
    return this.next() < p
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T
  }
  uuid(): string {
    const hex = (n: number) => Array.from({ length: n }, () => this.int(0, 15).toString(16)).join('')
    return `${hex(8)}-${hex(4)}-4${hex(3)}-${this.pick(['8', '9', 'a', 'b'])}${hex(3)}-${hex(12)}`
  }
}

/** The seed of a run: PUENTE_FUZZ_SEED (a number, or `random`); the same fixed seed by default, so CI repeats itself. */
export function fuzzSeed(): number {
  const given = process.env.PUENTE_FUZZ_SEED
  if (given === 'random') return Math.floor(Math.random() * 2 ** 31)
  if (!given) return 20_261_206
  // A mistyped seed (NaN) would quietly fuzz with seed 0: say so instead.
  assert.ok(/^\d+$/.test(given), `PUENTE_FUZZ_SEED must be a whole number or "random", not ${given}`)
  return Number(given)
}

/** What the generator may draw on: ids of records that exist (per table), so calls reach past "not found". */
export interface Pools {
  ids: string[]
  byTable: Map<string, string[]>
  /** The method being called: its name says what an `id` field names. */
  method?: string
}

/** The table a field's id most likely names: `roundId` → round, `id` in `buyers.get` → buyer. */
const TABLE_HINTS: [RegExp, string][] = [
  [/^purchaseorder|^po/, 'purchase_order'],
  [/^supplier|^exporter|^cooperative/, 'supplier'],
  [/^product/, 'product'],
  [/^round/, 'round'],
  [/^consolidation|^stock/, 'round'],
  [/^buyer|^hub|^sub/, 'buyer'],
  [/^order/, 'buyer_order'],
  [/^contact/, 'contact'],
  [/vat/, 'vat_rate'],
  [/exchange|rate/, 'exchange_rate'],
  [/^line/, 'order_line'],
  [/^override/, 'allocation_override']
]

function idFor(key: string, rng: Rng, pools: Pools): string {
  const hint = (key === 'id' || key === '' ? (pools.method ?? '') : key).toLowerCase().replace(/id$/, '')
  for (const [re, table] of TABLE_HINTS) {
    if (!re.test(hint)) continue
    const ids = pools.byTable.get(table)
    if (ids?.length && rng.chance(0.9)) return rng.pick(ids)
    break
  }
  return rng.chance(0.7) && pools.ids.length ? rng.pick(pools.ids) : rng.uuid()
}

type Def = { type: string; [key: string]: unknown }
const defOf = (schema: unknown): Def => (schema as { _zod: { def: Def } })._zod.def
type Check = { check: string; value?: number; inclusive?: boolean; minimum?: number; maximum?: number; length?: number; format?: string; pattern?: RegExp }
const checksOf = (def: Def): Check[] => ((def.checks as { _zod: { def: Check } }[] | undefined) ?? []).map((c) => c._zod.def)

const WORDS = ['Yerba Mate Rosamonte', 'Cooperativa La Juanita', 'Öl & Wein', 'ñandú', 'Solidarische Importe e.V.', 'x', 'A-1', '12,50', '1.200', '0']
const CSV = 'sku;name;price;currency\nYM-1;Yerba Mate 1 kg;4,50;EUR\nWN-2;Malbec;7,20;EUR\n'
const CURRENCIES = ['EUR', 'ARS', 'USD', 'CHF', 'XXX', 'eur']
const COUNTRIES = ['DE', 'AR', 'AT', 'ES', 'CH', 'ZZ', 'de']
const LANGUAGES = ['de', 'es', 'en', 'fr']

function plausibleString(key: string, rng: Rng, min: number, max: number): string {
  const k = key.toLowerCase()
  if (k.endsWith('currency')) return rng.pick(CURRENCIES)
  if (k === 'country') return rng.pick(COUNTRIES)
  if (k === 'language') return rng.pick(LANGUAGES)
  if (k.includes('email')) return rng.pick(['hola@example.org', 'no-at-sign', 'a@b'])
  if (k.includes('iban')) return rng.pick(['DE89370400440532013000', 'DE89370400440532013001', 'AR'])
  if (/date|deadline|from|until|valid|day/.test(k)) return rng.pick(['2026-03-01', '2026-02-30', '2027-12-31', '01.03.2026', '2026-01-01 10:00'])
  if (/at$/.test(k)) return rng.pick(['2026-03-01T10:00:00Z', '2026-03-01T10:00:00.000+01:00', '2026-12-24T10:00', 'yesterday'])
  if (/price|amount|units|quantity|value|weight|kg|percent|markup|tolerance|net|gross|volume|factor|minimum|min/.test(k))
    return rng.pick(['12.5', '3', '0,5', '1200', '0', '12,345', '7'])
  if (k === 'timezone') return rng.pick(['Europe/Berlin', 'America/Argentina/Buenos_Aires', 'Mars/Base'])
  if (k === 'prefix') return rng.pick(['A', 'LAP1', 'x y'])
  if (k === 'code' || k === 'sku') return rng.pick(['YM-1', 'COOP1', 'ab c'])
  if (/sort/.test(k)) return rng.pick(['name', 'code', 'createdAt', 'constructor', '__proto__', 'name;DROP TABLE product'])
  if (/format/.test(k)) return rng.pick(['pdf', 'xlsx', 'csv', 'PO-{yyyy}-{nnnn}', '{nnnn}', 'x'])
  if (/file/.test(k)) return rng.pick(['Preise.csv', 'Bestellung.xlsx', 'a.xls', '../../etc/passwd', 'x'])
  let s = rng.pick(WORDS)
  if (rng.chance(0.2)) s = 'x'.repeat(rng.int(Math.max(min, 0), Math.min(max, 300)))
  return s
}

function numberIn(def: Def, rng: Rng): number {
  let lo = -1_000_000
  let hi = 1_000_000
  let int = false
  for (const c of checksOf(def)) {
    if (c.check === 'greater_than' && c.value !== undefined) lo = c.inclusive ? c.value : c.value + 1
    if (c.check === 'less_than' && c.value !== undefined) hi = c.inclusive ? c.value : c.value - 1
    if (c.check === 'number_format' && c.format !== undefined && /int/.test(c.format)) int = true
  }
  lo = Math.max(lo, -1e9)
  hi = Math.min(hi, 1e9)
  const edges = [lo, hi, 0, 1, Math.min(hi, Math.max(lo, 12))]
  const n = rng.chance(0.4) ? rng.pick(edges) : lo + rng.next() * (hi - lo)
  return int ? Math.round(n) : Math.round(n * 100) / 100
}

/** A value for `schema` that often passes it (and sometimes, by chance, does not). */
export function plausible(schema: unknown, rng: Rng, pools: Pools, key = '', depth = 0): unknown {
  const def = defOf(schema)
  if (depth > 12) return undefined
  switch (def.type) {
    case 'optional':
      return rng.chance(0.3) ? undefined : plausible(def.innerType, rng, pools, key, depth + 1)
    case 'nullable':
      return rng.chance(0.25) ? null : plausible(def.innerType, rng, pools, key, depth + 1)
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      return rng.chance(0.25) ? undefined : plausible(def.innerType, rng, pools, key, depth + 1)
    case 'pipe':
      return plausible(def.in, rng, pools, key, depth + 1)
    case 'transform':
      return rng.pick(['x', 1, undefined])
    case 'lazy':
      return plausible((def.getter as () => unknown)(), rng, pools, key, depth + 1)
    case 'string': {
      const format = (def.format as string | undefined) ?? checksOf(def).find((c) => c.check === 'string_format')?.format
      if (format === 'uuid' || format === 'guid') return idFor(key, rng, pools)
      if (format === 'email') return rng.pick(['hola@example.org', 'x@y.de'])
      let min = 0
      let max = 200
      for (const c of checksOf(def)) {
        if (c.check === 'min_length' && c.minimum !== undefined) min = c.minimum
        if (c.check === 'max_length' && c.maximum !== undefined) max = c.maximum
        if (c.check === 'length_equals' && c.length !== undefined) min = max = c.length
      }
      return plausibleString(key, rng, min, max)
    }
    case 'number':
    case 'int':
      return numberIn(def, rng)
    case 'bigint':
      return BigInt(rng.int(0, 1000))
    case 'boolean':
      return rng.chance(0.5)
    case 'enum':
      return rng.pick(Object.values(def.entries as Record<string, string>))
    case 'literal':
      return rng.pick(def.values as unknown[])
    case 'null':
      return null
    case 'undefined':
    case 'void':
      return undefined
    case 'union':
      return plausible(rng.pick(def.options as unknown[]), rng, pools, key, depth + 1)
    case 'intersection':
      return { ...(plausible(def.left, rng, pools, key, depth + 1) as object), ...(plausible(def.right, rng, pools, key, depth + 1) as object) }
    case 'array': {
      let min = 0
      for (const c of checksOf(def)) if (c.check === 'min_length' && c.minimum !== undefined) min = c.minimum
      return Array.from({ length: rng.int(min, min + 3) }, () => plausible(def.element, rng, pools, key, depth + 1))
    }
    case 'tuple':
      return (def.items as unknown[]).map((item) => plausible(item, rng, pools, key, depth + 1))
    case 'record':
      return rng.chance(0.5) ? {} : { [String(plausible(def.keyType, rng, pools, key, depth + 1))]: plausible(def.valueType, rng, pools, key, depth + 1) }
    case 'object': {
      const out: Record<string, unknown> = {}
      for (const [k, v] of Object.entries(def.shape as Record<string, unknown>)) {
        const value = plausible(v, rng, pools, k, depth + 1)
        if (value !== undefined) out[k] = value
      }
      return out
    }
    case 'custom':
      // The one custom schema of the API is an upload's bytes (z.instanceof(Uint8Array)).
      return rng.chance(0.8) ? new TextEncoder().encode(CSV) : new Uint8Array(Array.from({ length: rng.int(0, 64) }, () => rng.int(0, 255)))
    case 'date':
      return new Date(rng.int(0, 2e12))
    default:
      return undefined
  }
}

/** Values of the wrong kind, or of the right kind at its edges. */
export function hostileValue(rng: Rng): unknown {
  const kinds: (() => unknown)[] = [
    () => null,
    () => undefined,
    () => NaN,
    () => Infinity,
    () => -Infinity,
    () => -1,
    () => -0,
    () => 2 ** 53 + 1,
    () => -1e308,
    () => 1e308,
    () => 1.5,
    () => true,
    () => '',
    () => ' ',
    () => 'x'.repeat(rng.pick([256, 10_001, 200_000])),
    () => '\u0000',
    () => 'a\u0000b\u0007\u001b[31m\u007f\u0085',
    () => '\u202eevil\u202c',
    () => '\ud800',
    () => '=HYPERLINK("http://x")',
    () => "'; DROP TABLE product; --",
    () => '%00../../etc/passwd',
    () => '١٢٣',
    () => '１２',
    () => [],
    () => [1, 'a', null],
    () => ({}),
    () => JSON.parse('{"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}}') as unknown,
    () => JSON.parse('{"toString": 1, "valueOf": "x", "hasOwnProperty": null}') as unknown,
    () => deep(rng.pick([50, 2000])),
    () => new Uint8Array(0),
    () => new Uint8Array([0xff, 0xfe, 0x00]),
    () => '2026-02-30',
    () => '9999-99-99',
    () => 'ffffffff-ffff-ffff-ffff-ffffffffffff',
    () => '00000000-0000-0000-0000-000000000000'
  ]
  return rng.pick(kinds)()
}

/** Arrays nested `depth` levels deep (as a JSON body could carry them). */
function deep(depth: number): unknown {
  let v: unknown = 'bottom'
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v }
  return v
}

/** Replaces one value somewhere in `input` (or the whole input) with a hostile one; may add a pollution key. */
export function mutate(input: unknown, rng: Rng): unknown {
  if (input === null || typeof input !== 'object' || input instanceof Uint8Array || rng.chance(0.15)) return hostileValue(rng)
  const copy = clone(input) as Record<string, unknown>
  // Walk down to a random place.
  let at: Record<string, unknown> | unknown[] = copy
  for (let d = 0; d < 6; d++) {
    const keys = Object.keys(at)
    if (keys.length === 0) break
    const k = rng.pick(keys)
    const next = (at as Record<string, unknown>)[k]
    if (next !== null && typeof next === 'object' && !(next instanceof Uint8Array) && rng.chance(0.6)) {
      at = next as Record<string, unknown>
      continue
    }
    ;(at as Record<string, unknown>)[k] = hostileValue(rng)
    break
  }
  if (rng.chance(0.15)) {
    const extra = JSON.parse(rng.pick(['{"__proto__": {"polluted": "yes"}}', '{"constructor": {"prototype": {"polluted": "yes"}}}', '{"unknownField": 1}'])) as Record<string, unknown>
    for (const [k, v] of Object.entries(extra)) Object.defineProperty(at, k, { value: v, enumerable: true, writable: true, configurable: true })
  }
  return copy
}

function clone(v: unknown): unknown {
  if (v instanceof Uint8Array) return new Uint8Array(v)
  if (Array.isArray(v)) return v.map(clone)
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, x] of Object.entries(v)) Object.defineProperty(out, k, { value: clone(x), enumerable: true, writable: true, configurable: true })
    return out
  }
  return v
}

/** A short, printable form of an input for a failure message. */
export function show(input: unknown): string {
  const s = JSON.stringify(input, (_k, v: unknown) => {
    if (v instanceof Uint8Array) return `<${v.byteLength} bytes>`
    if (typeof v === 'number' && !Number.isFinite(v)) return String(v)
    if (typeof v === 'string' && v.length > 80) return `${v.slice(0, 40)}…(${v.length} chars)`
    if (typeof v === 'bigint') return `${v}n`
    return v
  })
  return (s ?? String(input)).slice(0, 600)
}

export type AnySchema = z.ZodType
