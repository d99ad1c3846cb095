import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { dispatch } from '../../src/core/api/dispatch.ts'
import type { Dashboard } from '../../src/core/app/dashboard.ts'
import { type TempSession, tempSession } from '../support/workspace.ts'

let t: TempSession

beforeEach(() => {
  t = tempSession()
})
afterEach(() => t.dispose())

async function call<T>(method: string, input: unknown): Promise<T> {
  const r = (await dispatch({ session: t.session }, method as never, input as never)) as { ok: boolean; result: T; error?: unknown }
  expect(r.ok, JSON.stringify(r.error)).toBe(true)
  return r.result
}

const id = (sql: string, ...params: unknown[]) => t.session.requireWorkspace().db.prepare(sql).pluck().get(...params) as string

describe('app.dashboard: the overview of the round', () => {
  it('on the demo: the open round, its deadline, orders per buyer, weights missing, and "enter orders" next', async () => {
    await t.session.openDemo()
    const d = await call<Dashboard>('app.dashboard', undefined)
    expect(d.round).toMatchObject({ name: 'Winterrunde 2026/27', status: 'open', timeZone: 'Europe/Berlin', currency: 'EUR', acceptingOrders: true, deadlinePassed: false })
    // resources/demo/round.json closes the round 14 days after the seed.
    const days = (Date.parse(d.round!.closesAt) - Date.now()) / 86_400_000
    expect(days).toBeGreaterThan(13.9)
    expect(days).toBeLessThan(14.1)
    // Per buyer: distinct products ordered and units (round.json; the hub's two members count for the hub).
    expect(d.ordersPerBuyer.map((b) => [b.buyerName, b.lines, b.units])).toEqual([
      ['Cooperativa Germinal', 4, 39],
      ['Foodcoop Kornblume', 5, 49],
      ['Foodcoop Ottakring', 4, 30],
      ['Quartierladen Lorraine', 3, 16],
      ['Verteilknoten Ruhr', 4, 26],
      ['Weltladen Connewitz', 6, 87]
    ])
    expect(d.buyersWithoutOrder).toBe(0)
    // The calculator priced every product (USD and ARS have rates); the three blocked honey products need none.
    expect(d.missing.pricesMissing).toEqual([])
    // The demo catalogue has case weights (resources/demo/customs.csv): none is missing.
    expect(d.missing.weightsMissing).toEqual([])
    expect(d.missing.minimumsNotReached).toEqual({ products: [], suppliers: [] })
    expect(d.nextStep).toEqual({ step: 'enterOrders', section: 'orders' })
  })

  it('names a missing price, a product and a cooperative below their minimums; after closing, purchase orders come next', async () => {
    await t.session.openDemo()
    const ws = t.session.requireWorkspace()
    const roundId = id('SELECT id FROM round')
    const ym500 = id("SELECT id FROM product WHERE sku = 'LH-YM500'")
    ws.db.transaction(() => {
      ws.write.update('round_product', id('SELECT id FROM round_product WHERE product_id = ?', ym500), { price_minor: null })
      // CT-DC750: Kornblume's 6 bottles fill one case of 6; the minimum is 3 cases.
      ws.write.update('product', id("SELECT id FROM product WHERE sku = 'CT-DC750'"), { min_order_cases: 3 })
      ws.write.update('supplier', id("SELECT id FROM supplier WHERE code = 'LH'"), { min_order_minor: 100_000_000, min_order_currency: 'USD' })
    })()
    const d = await call<Dashboard>('app.dashboard', undefined)
    expect(d.missing.pricesMissing.map((p) => p.sku)).toEqual(['LH-YM500'])
    expect(d.missing.minimumsNotReached.products.map((p) => [p.sku, p.cases, p.minOrderCases])).toEqual([['CT-DC750', 1, 3]])
    expect(d.missing.minimumsNotReached.suppliers.map((s) => [s.name, s.minOrderMinor])).toEqual([['La Hoja', 100_000_000]])
    expect(d.nextStep).toEqual({ step: 'setPrices', section: 'rounds' })

    await call('rounds.setStatus', { id: roundId, status: 'closed' })
    const closed = await call<Dashboard>('app.dashboard', undefined)
    expect(closed.round?.status).toBe('closed')
    expect(closed.nextStep).toEqual({ step: 'createPurchaseOrders', section: 'consolidation' })
  })

  it('on an empty workspace: no round, and creating one comes next', async () => {
    await t.create()
    const d = await call<Dashboard>('app.dashboard', undefined)
    expect(d.round).toBeNull()
    expect(d.ordersPerBuyer).toEqual([])
    expect(d.nextStep).toEqual({ step: 'createRound', section: 'rounds' })
  })
})
