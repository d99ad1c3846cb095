import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Session } from '../../src/core/app/session.ts'
import { frozenEnv } from '../support/env.ts'
import { api } from '../support/api.ts'
import { type TempSession, tempSession } from '../support/workspace.ts'

let temp: TempSession
let session: Session
const { call } = api(() => session)

let roundId: string
let productId: string
let poId: string
const buyers: Record<string, string> = {}

/**
 * One product in cases of 6, ordered by four groups one after another (first come): A 6, B 4, C 2, D 1,
 * no tolerances. 13 units fill 2 cases (12); the 13th unit's case is never full.
 */
beforeEach(async () => {
  temp = tempSession({ prefix: 'puente-why-', env: frozenEnv('2026-03-01T09:00:01Z', { step: 1000 }) })
  session = temp.session
  await temp.create('why.puente')
  const supplier = await call('suppliers.save', { name: 'Cooperativa de Trabajo La Hoja Ltda.', country: 'AR' })
  productId = (
    await call('products.save', { supplierId: supplier.id, sku: 'LH-YM500', nameEs: 'Yerba mate 500 g', salesUnit: 'bag', caseUnits: '6', price: '2.00', currency: 'EUR', vatClass: 'reduced' })
  ).id
  for (const name of ['A', 'B', 'C', 'D'])
    buyers[name] = (await call('buyers.save', { name, type: 'group', country: 'DE', language: 'de', taxTreatment: 'domestic' })).id
  roundId = (
    await call('rounds.save', {
      name: 'Herbst',
      opensAt: '2026-02-01T00:00',
      closesAt: '2026-12-01T00:00',
      timeZone: 'Europe/Berlin',
      currency: 'EUR',
      supplierIds: [supplier.id],
      markupPercent: '0',
      contribution: '0',
      roundingStep: '0.01'
    })
  ).id
  await call('rounds.calculatePrices', { roundId })
  await call('rounds.setStatus', { id: roundId, status: 'open' })
  for (const [name, quantity] of [['A', 6], ['B', 4], ['C', 2], ['D', 1]] as const)
    await call('orders.setLines', { roundId, buyerId: buyers[name]!, lines: [{ productId, quantity, tolerance: 0 }] })
  await call('rounds.setStatus', { id: roundId, status: 'closed' })
  poId = (await call('purchaseOrders.create', { roundId }))[0]!.id
  await call('purchaseOrders.setStatus', { id: poId, status: 'sent' })
})

afterEach(() => temp.dispose())

const reasons = async (stage: 'planned' | 'confirmed' | 'received') =>
  (await call('consolidation.changes', { roundId, stage })).map((b) => [b.buyerName, b.changes.map((c) => [c.ordered, c.allocated, c.reason, c.causes])])

describe('per-line change reasons', () => {
  it('the case not full, a short delivery and breakage are each told only to the groups they cost units', async () => {
    // Planned: 12 units first come → A 6, B 4, C 2, D 0. D lost its 1 because the third case was not full.
    expect(await reasons('planned')).toEqual([['D', [[1, 0, 'case_not_full', [{ reason: 'case_not_full', units: 1 }]]]]])

    // The cooperative confirms 10: the last in line loses 2 → A 6, B 4, C 0. C lost them to the short
    // delivery; D still lost its unit to the case, not to the delivery.
    await call('purchaseOrders.recordQuantities', { purchaseOrderId: poId, lines: [{ productId, confirmedUnits: 10 }] })
    expect(await reasons('confirmed')).toEqual([
      ['C', [[2, 0, 'short_delivery', [{ reason: 'short_delivery', units: 2 }]]]],
      ['D', [[1, 0, 'case_not_full', [{ reason: 'case_not_full', units: 1 }]]]]
    ])

    // 10 arrive, 3 broken: 7 intact → A 6, B 1. Only B lost units to the breakage (3 of its 4).
    await call('purchaseOrders.recordQuantities', { purchaseOrderId: poId, lines: [{ productId, receivedUnits: 10, brokenUnits: 3 }] })
    expect(await reasons('received')).toEqual([
      ['B', [[4, 1, 'breakage', [{ reason: 'breakage', units: 3 }]]]],
      ['C', [[2, 0, 'short_delivery', [{ reason: 'short_delivery', units: 2 }]]]],
      ['D', [[1, 0, 'case_not_full', [{ reason: 'case_not_full', units: 1 }]]]]
    ])

    // The product view lists the lines in the order the cut goes through them, each with its reason.
    const lines = await call('consolidation.lines', { roundId, stage: 'received', productId })
    expect(lines.map((l) => [l.buyerName, l.quantity, l.granted, l.reason])).toEqual([
      ['A', 6, 6, null],
      ['B', 4, 1, 'breakage'],
      ['C', 2, 0, 'short_delivery'],
      ['D', 1, 0, 'case_not_full']
    ])
  })

  it('a line that lost units at two steps names both, the larger first', async () => {
    // 8 arrive, 1 broken: 7 intact as before, but now B lost 2 to the delivery (8 for A 6, B 2) and 1 to breakage.
    await call('purchaseOrders.recordQuantities', { purchaseOrderId: poId, lines: [{ productId, confirmedUnits: 10, receivedUnits: 8, brokenUnits: 1 }] })
    const b = (await call('consolidation.changes', { roundId, stage: 'received' })).find((x) => x.buyerName === 'B')!
    expect(b.changes.map((c) => [c.allocated, c.reason, c.causes])).toEqual([
      [
        1,
        'short_delivery',
        [
          { reason: 'short_delivery', units: 2 },
          { reason: 'breakage', units: 1 }
        ]
      ]
    ])
  })
})

describe('consolidation.allocations', () => {
  it('reads every buyer’s allocation without writing, and gives what consolidation.run stores', async () => {
    await call('purchaseOrders.recordQuantities', { purchaseOrderId: poId, lines: [{ productId, confirmedUnits: 10, receivedUnits: 10, brokenUnits: 3 }] })
    const db = session.requireWorkspace().db
    const count = () => (db.prepare('SELECT count(*) AS n FROM change_log').get() as { n: number }).n
    const before = count()
    const allocations = await call('consolidation.allocations', { roundId, stage: 'received' })
    expect(count()).toBe(before)
    expect(db.prepare('SELECT count(*) AS n FROM allocation').get()).toEqual({ n: 0 })
    expect(allocations.map((b) => [b.buyerName, b.lines.map((l) => [l.sku, l.ordered, l.tolerance, l.computed, l.granted, l.reason])])).toEqual([
      ['A', [['LH-YM500', 6, 0, 6, 6, null]]],
      ['B', [['LH-YM500', 4, 0, 1, 1, 'breakage']]],
      ['C', [['LH-YM500', 2, 0, 0, 0, 'short_delivery']]],
      ['D', [['LH-YM500', 1, 0, 0, 0, 'case_not_full']]]
    ])

    await call('consolidation.run', { roundId, stage: 'received' })
    expect(count()).toBeGreaterThan(before)
    const stored = Object.fromEntries(
      (db.prepare(`SELECT line_id AS lineId, granted FROM allocation WHERE stage = 'received'`).all() as { lineId: string; granted: number }[]).map((r) => [r.lineId, r.granted])
    )
    expect(Object.keys(stored)).toHaveLength(4)
    for (const b of allocations) for (const l of b.lines) expect(stored[l.lineId]).toBe(l.computed)
  })
})
