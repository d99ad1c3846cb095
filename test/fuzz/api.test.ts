import { readFileSync } from 'node:fs'
import i18next, { type TFunction } from 'i18next'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dispatch } from '../../src/core/api/dispatch.ts'
import { methods } from '../../src/core/api/map.ts'
import { logPath } from '../../src/core/app/log.ts'
import { ERROR_CODES, type ErrorPayload } from '../../src/shared/errors.ts'
import { resources } from '../../src/shared/i18n/index.ts'
import { type TempSession, tempSession } from '../support/workspace.ts'
import { fuzzSeed, hostileValue, mutate, plausible, type Pools, Rng, show } from './inputs.ts'
import { dbState, type DbState } from './state.ts'

/**
 * Every API method, called through dispatch as the UI calls it, with inputs made from its own schema:
 * plausible ones (the handlers run on the demo workspace's real records) and hostile ones (wrong types,
 * huge strings, control characters, NaN and Infinity, huge and negative numbers, prototype-pollution
 * keys, deep nesting). For every call: never `internal`; every error code (and field error code) has a
 * text in de, es and en without a leftover placeholder; a refused call writes nothing (the change log's
 * length and a digest of every table are the same before and after); nothing pollutes Object.prototype.
 *
 * PUENTE_FUZZ sets the number of calls (3,000 by default, as CI runs it; 50,000 for a long run);
 * PUENTE_FUZZ_SEED another seed (a number to replay a run, `random` for a new one; CI keeps one seed so
 * that its runs repeat).
 */
const CALLS = Number(process.env.PUENTE_FUZZ ?? 3000)
/** A time budget, so a loaded machine ends the run sooner rather than holding up CI (PUENTE_FUZZ sets it aside). */
const BUDGET_MS = process.env.PUENTE_FUZZ ? Infinity : 60_000
const SEED = fuzzSeed()
const names = Object.keys(methods).sort() as (keyof typeof methods)[]

let temp: TempSession
let pools: Pools
let demoPath: string
const translators: [string, TFunction][] = []

beforeAll(async () => {
  temp = tempSession({ prefix: 'puente-fuzz-' })
  await temp.session.openDemo()
  demoPath = temp.session.requireWorkspace().path
  pools = idPools()
  for (const lng of ['de', 'es', 'en'] as const) {
    const i18n = i18next.createInstance()
    await i18n.init({ resources, lng, fallbackLng: false, interpolation: { escapeValue: false }, initAsync: false })
    translators.push([lng, i18n.getFixedT(lng)])
  }
}, 60_000)
afterAll(() => temp.dispose())

/** The ids of the records in the fuzzed workspace, per table (again after a call replaced the workspace). */
function idPools(): Pools {
  const db = temp.session.requireWorkspace().db
  const tables = db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).pluck().all() as string[]
  const ids: string[] = []
  const byTable = new Map<string, string[]>()
  for (const t of tables) {
    const cols = (db.prepare(`PRAGMA table_info("${t}")`).all() as { name: string }[]).map((c) => c.name)
    if (!cols.includes('id')) continue
    const found = (db.prepare(`SELECT id FROM "${t}" LIMIT 200`).pluck().all() as unknown[]).filter((v): v is string => typeof v === 'string')
    byTable.set(t, found)
    ids.push(...found)
  }
  return { ids, byTable }
}

/** Problems with an error's texts: a missing translation or a placeholder left in it. */
function untranslated(error: ErrorPayload): string[] {
  const problems: string[] = []
  const check = (key: string, params: Record<string, unknown>) => {
    for (const [lng, t] of translators) {
      const text = String(t(key, params))
      if (text === key || text.trim() === '') problems.push(`${lng}: no text for ${key}`)
      else if (/\{\{|\}\}/.test(text)) problems.push(`${lng}: ${key} leaves a placeholder: ${text.slice(0, 120)}`)
    }
  }
  if (!(ERROR_CODES as readonly string[]).includes(error.code)) problems.push(`unknown error code ${error.code}`)
  check(`errors.${error.code}`, error.params ?? {})
  const fields = (error.params as { fields?: Record<string, { code: string; params?: Record<string, unknown> }> } | undefined)?.fields
  if (fields) for (const [path, f] of Object.entries(fields)) {
    if (typeof f?.code !== 'string') problems.push(`field ${path} without a code`)
    else check(`fieldErrors.${f.code}`, f.params ?? {})
  }
  return problems
}

function logged(id: unknown): string {
  try {
    const log = readFileSync(logPath(temp.appDataDir), 'utf8')
    const at = log.indexOf(String(id))
    return at < 0 ? '(not in the log)' : log.slice(at, at + 900)
  } catch {
    return '(no log)'
  }
}

describe('API fuzz', () => {
  it(`up to ${CALLS} calls over every method (at most a minute unless PUENTE_FUZZ is set): never internal, every code translated, refused calls write nothing`, async () => {
    const rng = new Rng(SEED)
    const failures: string[] = []
    const counts = { ok: 0, refused: 0, hostile: 0 }
    const byMethod = new Map<string, { ok: number; refused: number }>()
    let before: DbState | null = null
    const started = Date.now()

    let i = 0
    for (; i < CALLS && failures.length < 25; i++) {
      if (Date.now() - started > BUDGET_MS && i >= names.length * 10) break
      const method = names[i % names.length]!
      const def = methods[method]
      const hostile = rng.chance(0.5)
      pools.method = method
      let input: unknown = plausible(def.input, rng, pools)
      if (hostile) {
        counts.hostile++
        input = rng.chance(0.1) ? hostileValue(rng) : mutate(input, rng)
      }
      const ws = temp.session.workspace
      before ??= ws ? dbState(ws.db) : null
      const r = await dispatch({ session: temp.session }, method, input)
      const stats = byMethod.get(method) ?? { ok: 0, refused: 0 }
      byMethod.set(method, stats)
      const where = `#${i} ${method}(${show(input)})`

      if ('polluted' in Object.prototype || Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')) {
        failures.push(`${where}: Object.prototype polluted`)
        delete (Object.prototype as Record<string, unknown>).polluted
      }
      if (r.ok) {
        counts.ok++
        stats.ok++
        // A successful call may have written: the next refused call compares against a fresh state.
        if (def.kind !== 'query') before = null
      } else {
        counts.refused++
        stats.refused++
        if (r.error.code === 'internal') failures.push(`${where}: internal ${logged(r.error.params?.id)}`)
        for (const p of untranslated(r.error)) failures.push(`${where}: ${p}`)
        const now = temp.session.workspace
        if (ws && now === ws && before) {
          const after = dbState(ws.db)
          if (after.changeLog !== before.changeLog || after.digest !== before.digest)
            failures.push(`${where}: refused with ${r.error.code} but wrote (change log ${before.changeLog} → ${after.changeLog})`)
          before = after
        } else before = null
      }
      // A call that opened, created, restored or recreated a workspace: back to the fuzzed one, with its ids.
      if (temp.session.workspace?.path !== demoPath) await temp.session.open(demoPath, false)
      if (temp.session.workspace !== ws) {
        pools = idPools()
        before = null
      }
    }

    const reached = [...byMethod].filter(([, s]) => s.ok > 0).length
    console.log(
      `[fuzz] seed ${SEED}: ${counts.ok + counts.refused} calls (${counts.hostile} hostile) in ${((Date.now() - started) / 1000).toFixed(1)} s; ` +
        `${counts.ok} answered, ${counts.refused} refused; ${reached} of ${names.length} methods answered at least once`
    )
    expect(failures, `seed ${SEED} (replay with PUENTE_FUZZ_SEED=${SEED})`).toEqual([])
    expect(byMethod.size).toBe(names.length)
    expect(i).toBeGreaterThanOrEqual(Math.min(CALLS, names.length * 10))
    // The plausible inputs reach past validation: most methods answer at least once.
    expect(reached).toBeGreaterThan(names.length / 2)
  }, 600_000)

  it('a price set for a product the round does not offer is refused with a message that names no line (found by this test)', async () => {
    const roundId = pools.byTable.get('round')?.[0]
    const r = await dispatch({ session: temp.session }, 'rounds.setPrice', { roundId, productId: '0b5c3f8e-2a47-4c1d-9e6f-3d2b1a0c9f8e', price: '4.50' })
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.error.code).toBe('round.product_not_offered')
    expect(untranslated(r.error)).toEqual([])
  })

  it('an order step above 1,000 units is a field error, not a broken CHECK constraint (found by this test)', async () => {
    const supplierId = pools.byTable.get('supplier')?.[0]
    const product = { supplierId, sku: 'FUZZ-STEP', nameEs: 'Paso enorme', salesUnit: 'kg', caseUnits: 1_000_000, price: '3', currency: 'EUR', vatClass: 'standard' }
    const r = await dispatch({ session: temp.session }, 'products.save', { ...product, stepUnits: 688_619.46 })
    expect(r).toEqual({ ok: false, error: { code: 'validation', params: { method: 'products.save', fields: { stepUnits: { code: 'at_most', params: { max: 1000 } } } } } })
    const ok = await dispatch({ session: temp.session }, 'products.save', { ...product, stepUnits: 1000 })
    expect(ok.ok && (ok.result as { stepMilli: number }).stepMilli).toBe(1_000_000)
  })

  it('has a text for every error code in de, es and en', () => {
    for (const code of ERROR_CODES)
      for (const [lng, t] of translators) expect(String(t(`errors.${code}`, { id: 'x' })), `${lng} ${code}`).not.toBe(`errors.${code}`)
  })
})
