import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Session } from '../../src/core/app/session.ts'
import { buyerInput, saveBuyer } from '../../src/core/buyers/buyers.ts'
import { productInput, saveProduct } from '../../src/core/catalogue/products.ts'
import { nodeOf } from '../../src/core/db/clock.ts'
import { applyCalculatedPrices } from '../../src/core/rounds/rounds.ts'
import type { AppEvent, JobProgress } from '../../src/shared/events.ts'
import { api } from '../support/api.ts'
import { frozenEnv } from '../support/env.ts'
import { type TempSession, tempSession } from '../support/workspace.ts'

/**
 * Imports run as jobs in worker threads (src/core/app/jobs.ts): the main thread stays free while a
 * 100,000-row file is read, checked and written; progress comes as events; a cancel rolls everything back.
 */

let temp: TempSession
let session: Session
const { call, fail } = api(() => session)

beforeEach(async () => {
  temp = tempSession({ prefix: 'puente-jobs-' })
  session = temp.session
  await session.openDemo()
})

afterEach(() => temp.dispose())

const db = () => session.requireWorkspace().db
const n = (sql: string) => db().prepare(sql).pluck().get() as number
const roundId = () => db().prepare("SELECT id FROM round WHERE name = 'Winterrunde 2026/27'").pluck().get() as string

/** What an import writes, and the change log that records every write. */
function state() {
  return {
    orders: n('SELECT count(*) FROM buyer_order'),
    lines: n('SELECT count(*) FROM order_line'),
    log: n('SELECT count(*) FROM quantity_log'),
    units: n('SELECT coalesce(sum(quantity), 0) + coalesce(sum(tolerance), 0) FROM line_quantity'),
    changes: n('SELECT count(*) FROM change_log')
  }
}

/** 50 buyers × 2,000 products of the demo's LH cooperative, priced in the demo round; the CSV orders each once. */
function bigOrderFile(): Uint8Array<ArrayBuffer> {
  const ws = session.requireWorkspace()
  const supplierId = db().prepare("SELECT id FROM supplier WHERE code = 'LH'").pluck().get() as string
  const skus: string[] = []
  const buyers: string[] = []
  db().transaction(() => {
    for (let i = 0; i < 2000; i++) {
      const sku = `BIG-${String(i).padStart(4, '0')}`
      saveProduct(ws, productInput.parse({ supplierId, sku, nameEs: `Producto ${i}`, salesUnit: 'piece', caseUnits: '10', price: '1.00', currency: 'USD', vatClass: 'standard' }))
      skus.push(sku)
    }
    for (let i = 0; i < 50; i++) {
      const name = `Gruppe ${String(i).padStart(2, '0')}`
      saveBuyer(ws, buyerInput.parse({ name, type: 'group', country: 'DE', language: 'de', taxTreatment: 'domestic', contacts: [] }))
      buyers.push(name)
    }
    applyCalculatedPrices(ws, roundId())
  })()
  const parts = ['Käufer;Artikelnummer;Menge;Toleranz']
  let k = 0
  for (const b of buyers) for (const s of skus) parts.push(`${b};${s};${(k++ % 7) + 1};${k % 3}`)
  return new TextEncoder().encode(parts.join('\r\n') + '\r\n')
}

/** The job events of one job, as they come. */
function follow(id: string): { events: JobProgress[]; other: AppEvent[]; off: () => void } {
  const events: JobProgress[] = []
  const other: AppEvent[] = []
  const off = session.on((e) => {
    if (e.type === 'job' && e.id === id) events.push(e)
    else if (e.type !== 'job') other.push(e)
  })
  return { events, other, off }
}

/**
 * How long this thread stood still: a timer every 5 ms notes each gap between its runs, less the time
 * the thread waited for a CPU core meanwhile (Linux's per-thread scheduler statistics, where there are
 * any): what is left is time the thread was busy or blocked and did not get back to its event loop.
 */
function watchStalls(): { stop(): { ticks: number; maxBusyMs: number } } {
  const waited = (): number => {
    try {
      return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[1]) / 1e6
    } catch {
      return 0
    }
  }
  let ticks = 0
  let maxBusyMs = 0
  let last = performance.now()
  let lastWaited = waited()
  const timer = setInterval(() => {
    const now = performance.now()
    const w = waited()
    ticks++
    maxBusyMs = Math.max(maxBusyMs, now - last - 5 - (w - lastWaited))
    last = now
    lastWaited = w
  }, 5)
  return {
    stop() {
      clearInterval(timer)
      return { ticks, maxBusyMs }
    }
  }
}

/** Progress goes forward: phases in their order, `done` rising within a phase up to its total. */
function expectForward(events: JobProgress[], phases: JobProgress['phase'][]) {
  expect([...new Set(events.map((e) => e.phase))]).toEqual(phases)
  for (let i = 1; i < events.length; i++) {
    const [a, b] = [events[i - 1]!, events[i]!]
    if (a.phase === b.phase) expect(b.done).toBeGreaterThanOrEqual(a.done)
  }
  for (const e of events) expect(e.done).toBeLessThanOrEqual(e.total)
}

describe('imports run in a worker thread', () => {
  it('a 100,000-row order import leaves the main thread free: other calls answer at once, progress comes as events', async () => {
    const data = bigOrderFile()
    const input = { roundId: roundId(), fileName: 'gross.csv', data }
    const before = state()
    const buyerId = db().prepare("SELECT id FROM buyer WHERE name = 'Foodcoop Kornblume'").pluck().get() as string
    // The set-up above (2,000 products saved on this thread) leaves its garbage to collect: a moment for
    // that, so that its collection does not count as the import's.
    await new Promise((r) => setTimeout(r, 1000))

    for (const method of ['orders.importPreview', 'orders.importApply'] as const) {
      const job = randomUUID()
      const seen = follow(job)
      const delay = monitorEventLoopDelay({ resolution: 10 })
      delay.enable()
      const t0 = performance.now()
      const stalls = watchStalls()
      const running = call(method, { ...input, job })
      let finished = false
      void running.finally(() => (finished = true))
      // Meanwhile the app goes on answering: the overview data and an order, each within a short time.
      const answers: number[] = []
      while (!finished) {
        const t = performance.now()
        const info = await call('app.info')
        const order = await call('orders.get', { roundId: input.roundId, buyerId })
        expect(info.workspacePath).toBe(session.requireWorkspace().path)
        expect(order.buyerId).toBe(buyerId)
        answers.push(performance.now() - t)
        await new Promise((r) => setTimeout(r, 20))
      }
      const result = await running
      const stalled = stalls.stop()
      delay.disable()
      seen.off()
      const seconds = (performance.now() - t0) / 1000
      // The work took seconds; the main thread never stood still for more than 100 ms of it (time it
      // waited for a CPU core aside: on a busy machine the system may not run it for a while), and the
      // calls in between were answered at once.
      expect(seconds).toBeGreaterThan(0.5)
      expect(stalled.ticks).toBeGreaterThan(50)
      expect(stalled.maxBusyMs).toBeLessThan(100)
      expect(delay.percentile(50) / 1e6).toBeLessThan(50)
      expect(answers.length).toBeGreaterThan(5)
      expect(answers.sort((a, b) => a - b)[Math.floor(answers.length / 2)]).toBeLessThan(50)
      if (method === 'orders.importPreview') {
        expect(result).toMatchObject({ blocking: false, summary: { rows: 100_000, ok: 100_000, errors: 0 } })
        expectForward(seen.events, ['read', 'check'])
      } else {
        expect(result).toEqual({ applied: 100_000, unchanged: 0, orders: 50 })
        // The backup before the bulk operation, taken in the worker too, then reading, checking, writing.
        expectForward(seen.events, ['backup', 'read', 'check', 'write'])
        expect(seen.events.at(-1)).toMatchObject({ phase: 'write', done: 200_000, total: 200_000 })
        expect(seen.other).toEqual([
          { type: 'changed', topics: ['orders'] },
          { type: 'changed', topics: ['backups'] }
        ])
      }
      const checks = seen.events.filter((e) => e.phase === 'check')
      expect(checks.length).toBeGreaterThan(2)
      expect(checks.at(-1)).toMatchObject({ done: 100_000, total: 100_000 })
      expect(seen.events.every((e) => e.method === method)).toBe(true)
    }
    const after = state()
    expect(after.lines - before.lines).toBe(100_000)
    expect(after.log - before.log).toBe(100_000)
    let units = 0
    for (let k = 0; k < 100_000; k++) units += (k % 7) + 1 + ((k + 1) % 3)
    expect(after.units - before.units).toBe(units)
    // The worker wrote through the writer as this installation: the change log holds its writes under this device.
    expect(after.changes).toBeGreaterThan(before.changes)
    const node = nodeOf(session.appData.deviceId)
    const stamps = db().prepare('SELECT ts FROM change_log ORDER BY ts DESC LIMIT ?').pluck().all(after.changes - before.changes) as string[]
    expect(stamps.every((ts) => ts.endsWith(`-${node}`))).toBe(true)
    expect(db().prepare("SELECT DISTINCT tbl FROM change_log ORDER BY ts DESC LIMIT 3").pluck().all()).toEqual(expect.arrayContaining(['order_line', 'quantity_log']))
  }, 240_000)

  it('a cancel in the middle of the apply writes nothing: same rows, same change log; the call answers job.cancelled', async () => {
    const data = bigOrderFile()
    const input = { roundId: roundId(), fileName: 'gross.csv', data }
    const before = state()
    const backups = (await call('workspace.backups')).length
    const job = randomUUID()
    const seen = follow(job)
    let asked: Promise<{ cancelled: boolean }> | null = null
    const off = session.on((e) => {
      // Once the worker is writing (its transaction open), the user cancels.
      if (e.type === 'job' && e.id === job && e.phase === 'write' && !asked) asked = call('jobs.cancel', { id: job })
    })
    const error = await fail('orders.importApply', { ...input, job })
    off()
    seen.off()
    expect(error).toEqual({ code: 'job.cancelled', params: {} })
    expect(asked).not.toBeNull()
    expect(await asked!).toEqual({ cancelled: true })
    expect(seen.events.some((e) => e.phase === 'write')).toBe(true)
    expect(state()).toEqual(before)
    // Nothing announced: no change, and the backup taken before it is not announced either.
    expect(seen.other).toEqual([])
    // The backup was taken before (the day's newest now: the rotation keeps one per day).
    const list = await call('workspace.backups')
    expect(list[0]!.reason).toBe('import')
    expect(list.length).toBeGreaterThanOrEqual(backups)
    // The job is gone; the workspace takes the same file afterwards as a whole.
    expect(await call('jobs.cancel', { id: job })).toEqual({ cancelled: false })
    expect(await call('orders.importApply', input)).toEqual({ applied: 100_000, unchanged: 0, orders: 50 })
  }, 240_000)

  it('a price list cancelled while its products are saved saves none of them', async () => {
    const supplierId = db().prepare("SELECT id FROM supplier WHERE code = 'LH'").pluck().get() as string
    const rows = Array.from({ length: 3000 }, (_, i) => `NEU-${String(i).padStart(4, '0')};Producto nuevo ${i};1,${String(i % 100).padStart(2, '0')};USD;12;unidad`)
    const data = new TextEncoder().encode(['Código;Nombre;Precio;Moneda;Unidades por caja;Unidad', ...rows].join('\r\n'))
    const products = () => n('SELECT count(*) FROM product')
    const before = { products: products(), changes: n('SELECT count(*) FROM change_log') }
    const job = randomUUID()
    const seen = follow(job)
    const off = session.on((e) => {
      if (e.type === 'job' && e.id === job && e.phase === 'write' && e.done > 0) void call('jobs.cancel', { id: job })
    })
    expect(await fail('catalogue.importApply', { supplierId, fileName: 'lista.csv', data, job })).toEqual({ code: 'job.cancelled', params: {} })
    off()
    seen.off()
    // Some products were saved inside the transaction when it stopped; none is left.
    expect(seen.events.filter((e) => e.phase === 'write' && e.done > 0).length).toBeGreaterThan(0)
    expect({ products: products(), changes: n('SELECT count(*) FROM change_log') }).toEqual(before)
    expect(seen.other).toEqual([])
  }, 240_000)

  it('a cancel while the file is checked stops the preview; an unknown job is not there to cancel', async () => {
    const data = bigOrderFile()
    const job = randomUUID()
    const off = session.on((e) => {
      if (e.type === 'job' && e.id === job && e.phase === 'check' && e.done > 0) void call('jobs.cancel', { id: job })
    })
    expect(await fail('orders.importPreview', { roundId: roundId(), fileName: 'gross.csv', data, job })).toMatchObject({ code: 'job.cancelled' })
    off()
    expect(await call('jobs.cancel', { id: randomUUID() })).toEqual({ cancelled: false })
    expect(await fail('jobs.cancel', { id: 'nicht-eine-id' })).toMatchObject({ code: 'validation' })
  }, 240_000)

  it('a change typed in while an import writes waits for it and is then written; nothing fails on a busy file', async () => {
    const data = bigOrderFile()
    const round = roundId()
    const buyerId = db().prepare("SELECT id FROM buyer WHERE name = 'Foodcoop Kornblume'").pluck().get() as string
    const productId = db().prepare("SELECT id FROM product WHERE sku = 'LH-YM500'").pluck().get() as string
    const imported = () => n(`SELECT count(*) FROM quantity_log WHERE source = 'import'`)
    const job = randomUUID()
    // What the import had committed when the change was typed in, and when the change was written.
    const seen: number[] = []
    let typed: Promise<unknown> | null = null
    const off = session.on((e) => {
      if (e.type === 'job' && e.id === job && e.phase === 'check' && !typed) {
        seen.push(imported())
        typed = call('orders.setLines', { roundId: round, buyerId, lines: [{ productId, quantity: 9, tolerance: 0 }] }).then(() => seen.push(imported()))
      }
    })
    expect(await call('orders.importApply', { roundId: round, fileName: 'gross.csv', data, job })).toMatchObject({ applied: 100_000 })
    await typed
    off()
    expect(seen).toEqual([0, 100_000])
    expect(n(`SELECT quantity FROM line_quantity q JOIN buyer_order o ON o.id = q.order_id WHERE o.buyer_id = '${buyerId}' AND o.round_id = '${round}' AND q.product_id = '${productId}'`)).toBe(9)
  }, 240_000)
})

describe('a job follows the session’s clock and ids', () => {
  it('with a frozen clock, the worker’s stamps and ids are the session’s next ones', async () => {
    temp.dispose()
    temp = tempSession({ prefix: 'puente-jobs-env-', env: frozenEnv('2026-03-01T09:00:01Z', { step: 1000 }) })
    session = temp.session
    await session.openDemo()
    const csv = new TextEncoder().encode('Käufer;Art.-Nr.;Menge;Toleranz\r\nFoodcoop Kornblume;LH-YM500;4;1\r\n')
    await call('orders.importApply', { roundId: roundId(), fileName: 'b.csv', data: csv })
    const row = db().prepare(`SELECT id, at, source FROM quantity_log WHERE source = 'import'`).get() as { id: string; at: string }
    expect(row.id).toMatch(/^00000000-0000-4000-8000-\d{12}$/)
    expect(row.at).toMatch(/^2026-03-01T09:\d\d:\d\d\.000Z$/)
    // The session's next reading follows on from the worker's.
    const next = session.env.now().toISOString()
    expect(next > row.at).toBe(true)
  })
})
