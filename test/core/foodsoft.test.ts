import { afterEach, describe, expect, it } from 'vitest'
import { dispatch } from '../../src/core/api/dispatch.ts'
import type { Session } from '../../src/core/app/session.ts'
import type { Input, MethodName, Output } from '../../src/shared/api.ts'
import { frozenEnv } from '../support/env.ts'
import { type TempSession, tempSession } from '../support/workspace.ts'

/**
 * Foodsoft's specification examples for case filling, ported to Puente (issue 14).
 *
 * Source: github.com/foodcoops/foodsoft at commit f15f30fd4a3bdcf243e88de3713a02b462c080e1 (2026-07-17);
 * every test cites `file:line` at that commit. Foodsoft's words map to Puente's as follows:
 * - article `unit_quantity` (units per box) → product `caseUnits`; `units_to_order` (boxes) → `cases`;
 * - a group order article's `quantity`/`tolerance` → an order line's `quantity`/`tolerance` (orders.setLines);
 * - `calculate_units_to_order` (a box more when leftover + tolerance fills it) → the `tolerance_fill` rounding
 *   policy (Puente's default); distribution strategy "first order first serve" → the `first_come` cut (default);
 * - a group's `result` → `granted` of its line; `redistribute` after receiving → the `received` stage with the
 *   purchase order's received units (Foodsoft's receive form takes boxes; Puente takes units, so boxes × size);
 * - `minimum_order_quantity` → the product's `minOrderCases` (Puente's minimum is in cases);
 * - `missing_units` → `missingToNextCase`.
 * Where Puente differs, the test asserts Puente's behaviour and says why next to the Foodsoft line.
 *
 * Summary. Agree with Puente's defaults: units_to_order and redistribution (order_article_spec.rb:74-121),
 * receiving (receive_spec.rb), the documented example, first order first serve and tolerance
 * (group_order_article_spec.rb:81-84, :93-96), the minimum with minOrderAction 'hold', box filling before the date.
 * Differ by default, agree with a round setting (both asserted):
 * - redistributing without tolerance (order_article_spec.rb:123-128): extras go to the tolerances first by
 *   default; with extrasTo 'stock' Puente gives Foodsoft's 3, 1, 1 and 3 left over (to stock);
 * - no automatic distribution (group_order_article_spec.rb:86-91): the cut is automatic by default; with
 *   cutStrategy 'manual' Puente gives Foodsoft's 4 of 2 (and shows the 2 distributed too many);
 * - after the box-fill date (order_article_spec.rb:184-209): a round has no box-fill date by default, so every
 *   change goes through; with boxFillAt set, :187-189, :195-197, :199-201, :203-205 (refused) and :207-209 agree.
 * Still differ: increasing missing units after the box-fill date (:191-193) — Puente lets the ordered total move
 * anywhere inside the open case, so 3 → 2 is allowed where Foodsoft refuses it; the minimum with Puente's
 * default minOrderAction 'warn' (:238-240), and missingToNextCase not counting units up to the minimum. Not
 * covered by an enabled Foodsoft example: Puente's box-fill phase leaves tolerance free, where Foodsoft refuses a
 * lower tolerance (order_article.rb:268-276). The disabled :210-213 is already Puente's behaviour.
 */
const FOODSOFT = 'f15f30fd4a3bdcf243e88de3713a02b462c080e1'

let temp: TempSession | undefined
let session: Session
const call = async <K extends MethodName>(method: K, input?: Input<K>): Promise<Output<K>> => {
  const r = await dispatch({ session }, method, input)
  if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r.error)}`)
  return r.result as Output<K>
}
/** The error of a call that must be refused. */
const fail = async <K extends MethodName>(method: K, input?: Input<K>) => {
  const r = await dispatch({ session }, method, input)
  if (r.ok) throw new Error(`${method} should fail`)
  return r.error
}

afterEach(() => {
  temp?.dispose()
  temp = undefined
})

interface Scene {
  roundId: string
  productId: string
  buyers: string[]
  /** Sets a buyer's (0-based) quantity and tolerance of the one product, as Foodsoft's update_quantities. */
  order: (buyer: number, quantity: number, tolerance: number) => Promise<void>
  /** Saves the round again with a box-fill time (Berlin wall clock), as Foodsoft's `order.update(boxfill: …)`. */
  boxFillFrom: (local: string) => Promise<void>
}

/**
 * A workspace with one cooperative, one product of `caseUnits` per case, `groups` buyers (G1, G2, …) and an
 * open round with the default policies (tolerance_fill, first_come). The clock moves one second per reading,
 * so orders placed one after the other arrive in that order, as Foodsoft's created_on does.
 */
async function scene(caseUnits: number, groups: number, product: { minOrderCases?: number; minOrderAction?: 'warn' | 'hold' } = {}): Promise<Scene> {
  temp = tempSession({ prefix: 'puente-foodsoft-', env: frozenEnv('2026-03-01T09:00:01Z', { step: 1000 }) })
  session = temp.session
  await temp.create('f.puente')
  const supplier = await call('suppliers.save', { name: 'Cooperativa La Hoja', country: 'AR', cuit: '30-71234567-1' })
  const productId = (
    await call('products.save', {
      supplierId: supplier.id,
      sku: 'FS-1',
      nameEs: 'Artículo',
      salesUnit: 'piece',
      caseUnits: String(caseUnits),
      price: '1.00',
      currency: 'EUR',
      vatClass: 'reduced',
      ...product
    })
  ).id
  const buyers: string[] = []
  for (let i = 1; i <= groups; i++)
    buyers.push((await call('buyers.save', { name: `G${i}`, type: 'group', country: 'DE', language: 'de', taxTreatment: 'domestic' })).id)
  const form = {
    name: 'Foodsoft',
    opensAt: '2026-02-01T00:00',
    closesAt: '2026-12-01T00:00',
    timeZone: 'Europe/Berlin',
    currency: 'EUR' as const,
    supplierIds: [supplier.id],
    markupPercent: '0',
    contribution: '0',
    roundingStep: '0.01'
  }
  const roundId = (await call('rounds.save', form)).id
  await call('rounds.calculatePrices', { roundId })
  await call('rounds.setStatus', { id: roundId, status: 'open' })
  const order = async (buyer: number, quantity: number, tolerance: number) => {
    await call('orders.setLines', { roundId, buyerId: buyers[buyer]!, lines: [{ productId, quantity, tolerance }] })
  }
  const boxFillFrom = async (local: string) => {
    expect((await call('rounds.save', { ...form, id: roundId, boxFillAt: local })).boxFilling).toBe(true)
  }
  return { roundId, productId, buyers, order, boxFillFrom }
}

/** The product's totals at a stage: [ordered, tolerance, cases, units available]. */
const totals = async (s: Scene, stage: 'planned' | 'confirmed' | 'received' = 'planned') => {
  const p = (await call('consolidation.get', { roundId: s.roundId, stage })).products.find((x) => x.productId === s.productId)!
  return [p.quantity, p.tolerance, p.cases, p.available]
}
/** Foodsoft's [quantity, tolerance, missing_units] of the order article. */
const missing = async (s: Scene) => {
  const p = (await call('consolidation.get', { roundId: s.roundId })).products.find((x) => x.productId === s.productId)!
  return [p.quantity, p.tolerance, p.missingToNextCase]
}
/** Each group's result (granted), in the groups' order; a group without a line gets 0. */
const results = async (s: Scene, stage: 'planned' | 'confirmed' | 'received' = 'planned') => {
  const lines = await call('consolidation.lines', { roundId: s.roundId, stage, productId: s.productId })
  return s.buyers.map((id) => lines.find((l) => l.buyerId === id)?.granted ?? 0)
}
/** Closes the round and creates and sends the purchase order: what arrives can then be recorded. */
const purchaseOrder = async (s: Scene) => {
  await call('rounds.setStatus', { id: s.roundId, status: 'closed' })
  const po = (await call('purchaseOrders.create', { roundId: s.roundId }))[0]!
  await call('purchaseOrders.setStatus', { id: po.id, status: 'sent' })
  return po.id
}
const receive = async (s: Scene, poId: string, units: number) => {
  await call('purchaseOrders.recordQuantities', { purchaseOrderId: poId, lines: [{ productId: s.productId, receivedUnits: units }] })
}
const surplus = async (s: Scene, stage: 'planned' | 'confirmed' | 'received') =>
  (await call('consolidation.get', { roundId: s.roundId, stage })).products.find((x) => x.productId === s.productId)!.surplus

describe(`Foodsoft ${FOODSOFT.slice(0, 7)}: redistribution (spec/models/order_article_spec.rb:48-128)`, () => {
  // order_article_spec.rb:50 — unit_quantity 3; three group orders placed go1, go2, go3 (set_quantities, :60-67).
  const three = async (q1: [number, number], q2: [number, number], q3: [number, number]) => {
    const s = await scene(3, 3)
    await s.order(0, ...q1)
    await s.order(1, ...q2)
    await s.order(2, ...q3)
    return s
  }

  it('has expected units_to_order (order_article_spec.rb:74-78): 5 ordered + 5 tolerance → 2 boxes of 3, results 4, 1, 1', async () => {
    const s = await three([3, 2], [1, 3], [1, 0])
    // :76 units × unit_quantity = 6
    expect(await totals(s)).toEqual([5, 5, 2, 6])
    // :77 results [4, 1, 1]: ordered 3, 1, 1 first; the 6th unit from go1's tolerance (first come).
    expect(await results(s)).toEqual([4, 1, 1])
  })

  it('does nothing when nothing has changed (order_article_spec.rb:80-85): 6 received → 4, 1, 1, one unit from tolerance', async () => {
    const s = await three([3, 2], [1, 3], [1, 0])
    const po = await purchaseOrder(s)
    await receive(s, po, 6)
    expect(await results(s, 'received')).toEqual([4, 1, 1])
    // :82 redistribute → [1, 0]: 1 unit went to tolerance, 0 left over.
    const lines = await call('consolidation.lines', { roundId: s.roundId, stage: 'received', productId: s.productId })
    expect(lines.reduce((a, l) => a + l.fromTolerance, 0)).toBe(1)
    expect(await surplus(s, 'received')).toBe(0)
  })

  it('works when there is nothing to distribute (order_article_spec.rb:87-92): 0 received → 0, 0, 0', async () => {
    const s = await three([3, 2], [1, 3], [1, 0])
    const po = await purchaseOrder(s)
    await receive(s, po, 0)
    expect(await results(s, 'received')).toEqual([0, 0, 0])
    expect(await surplus(s, 'received')).toBe(0)
  })

  it('works when quantity needs to be reduced (order_article_spec.rb:94-99): 4 received → 3, 1, 0', async () => {
    const s = await three([3, 2], [1, 3], [1, 0])
    const po = await purchaseOrder(s)
    await receive(s, po, 4)
    expect(await results(s, 'received')).toEqual([3, 1, 0])
  })

  it('works when quantity is increased within quantity (order_article_spec.rb:101-107): 3, 2, 1 planned; 7 received → 3, 2, 2', async () => {
    const s = await three([3, 0], [2, 0], [2, 0])
    // 7 ordered, no tolerance: 2 boxes (the leftover 1 cannot fill a third), 6 units.
    expect(await totals(s)).toEqual([7, 0, 2, 6])
    expect(await results(s)).toEqual([3, 2, 1]) // :103
    const po = await purchaseOrder(s)
    await receive(s, po, 7)
    expect(await results(s, 'received')).toEqual([3, 2, 2]) // :106
    expect(await surplus(s, 'received')).toBe(0) // :104 → [0, 0]
  })

  it('works when there is just one for the first (order_article_spec.rb:109-114): 1 received → 1, 0, 0', async () => {
    const s = await three([3, 2], [1, 3], [1, 0])
    const po = await purchaseOrder(s)
    await receive(s, po, 1)
    expect(await results(s, 'received')).toEqual([1, 0, 0])
  })

  it('works when there is tolerance and left-over (order_article_spec.rb:116-121): 10 received → 5, 2, 1, 3 from tolerance, 2 left', async () => {
    const s = await three([3, 2], [1, 1], [1, 0])
    const po = await purchaseOrder(s)
    await receive(s, po, 10)
    expect(await results(s, 'received')).toEqual([5, 2, 1]) // :120
    // :118 redistribute(10, [:tolerance, nil]) → [3, 2]: 3 units to the tolerances, 2 nobody asked for.
    const lines = await call('consolidation.lines', { roundId: s.roundId, stage: 'received', productId: s.productId })
    expect(lines.reduce((a, l) => a + l.fromTolerance, 0)).toBe(3)
    // Puente reports the 2 as the product's surplus, which the coordinator books into stock — what Foodsoft's
    // receive form does with rest_to [:tolerance, :stock] (order_article.rb:131-136).
    expect(await surplus(s, 'received')).toBe(2)
    expect(await call('stock.bookSurplus', { roundId: s.roundId, stage: 'received' })).toEqual([{ productId: s.productId, units: 2 }])
  })

  it('redistributing without tolerance (order_article_spec.rb:123-128): Puente\'s default differs — extras fill the tolerance first', async () => {
    const s = await three([3, 2], [1, 3], [1, 0])
    const po = await purchaseOrder(s)
    await receive(s, po, 8)
    // Foodsoft :125-127 calls redistribute(8, [nil]): extras do NOT go to the tolerances, results [3, 1, 1] and
    // 3 left over. That is the receive form's choice of `rest_to` (app/controllers/orders_controller.rb:192).
    // Puente's rounds send extras to the tolerances first by default (round.extras_to = 'tolerance', migration
    // 6): 8 = ordered 3 + 1 + 1, then tolerance go1 2, go2 1 → 5, 2, 1 with nothing left. The round's setting
    // "extras to stock first" gives Foodsoft's result (next test).
    expect((await call('consolidation.get', { roundId: s.roundId })).extrasTo).toBe('tolerance')
    expect(await results(s, 'received')).toEqual([5, 2, 1])
    expect(await surplus(s, 'received')).toBe(0)
  })

  it('redistributing without tolerance (order_article_spec.rb:123-128) with extras to stock: 3, 1, 1 and 3 left over, as Foodsoft', async () => {
    const s = await three([3, 2], [1, 3], [1, 0])
    const po = await purchaseOrder(s)
    await receive(s, po, 8)
    // Foodsoft's rest_to without :tolerance (order_article.rb redistribute: qty_for_members = min(8, quantity 5))
    // is Puente's round setting extras_to = 'stock'.
    await call('consolidation.setPolicy', { roundId: s.roundId, roundingPolicy: 'tolerance_fill', cutStrategy: 'first_come', extrasTo: 'stock' })
    expect(await results(s, 'received')).toEqual([3, 1, 1]) // :127
    // :126 redistribute(8, [nil]) → [3]: 3 units nobody gets; Puente's surplus, which goes into stock.
    const lines = await call('consolidation.lines', { roundId: s.roundId, stage: 'received', productId: s.productId })
    expect(lines.reduce((a, l) => a + l.fromTolerance, 0)).toBe(0)
    expect(await surplus(s, 'received')).toBe(3)
    expect(await call('stock.bookSurplus', { roundId: s.roundId, stage: 'received' })).toEqual([{ productId: s.productId, units: 3 }])
  })
})

describe(`Foodsoft ${FOODSOFT.slice(0, 7)}: receiving an order (spec/integration/receive_spec.rb)`, () => {
  // receive_spec.rb:6 unit_quantity 3; :63 set_quantities [2, 0], [3, 2]: 5 + 2 tolerance → 2 boxes (6 units).
  const two = async () => {
    const s = await scene(3, 2)
    await s.order(0, 2, 0)
    await s.order(1, 3, 2)
    return s
  }

  it('does not change anything when received is ordered (receive_spec.rb:62-69): 2 boxes → 2, 4', async () => {
    const s = await two()
    expect(await totals(s)).toEqual([5, 2, 2, 6])
    const po = await purchaseOrder(s)
    await receive(s, po, 2 * 3) // :65 fills in units_to_order = 2 boxes
    expect(await results(s, 'received')).toEqual([2, 4]) // :68 check_quantities 2, 2, 4
  })

  it('redistributes properly when received is more (receive_spec.rb:71-78): 3 boxes → 2, 5', async () => {
    const s = await two()
    const po = await purchaseOrder(s)
    await receive(s, po, 3 * 3)
    expect(await results(s, 'received')).toEqual([2, 5]) // :77
    // 9 units: 2 + 5 go to the groups; the 2 beyond quantity + tolerance are nobody's: surplus in Puente.
    expect(await surplus(s, 'received')).toBe(2)
  })

  it('redistributes properly when received is less (receive_spec.rb:80-87): 1 box → 2, 1', async () => {
    const s = await two()
    const po = await purchaseOrder(s)
    await receive(s, po, 1 * 3)
    expect(await results(s, 'received')).toEqual([2, 1]) // :86
  })

  it('leaves locked rows alone (receive_spec.rb:89-105): a hand-changed result stays 3, the other keeps 4', async () => {
    const s = await two()
    // :91-92 goa1.result + 1 saved by hand. In Puente that is the coordinator's override, which needs a reason.
    const g1 = (await call('consolidation.lines', { roundId: s.roundId, productId: s.productId })).find((l) => l.buyerId === s.buyers[0])!
    await call('consolidation.override', { lineId: g1.lineId, granted: 3, reason: 'Foodsoft receive_spec.rb:91' })
    const po = await purchaseOrder(s)
    // :102 submits the receive form without touching the locked field: units stay 2 boxes.
    await receive(s, po, 2 * 3)
    expect(await results(s, 'received')).toEqual([3, 4]) // :104 check_quantities 2, 3, 4
    // Foodsoft disables the field (:94); Puente keeps the override at every stage and flags what it over-allocates.
    const p = (await call('consolidation.get', { roundId: s.roundId, stage: 'received' })).products[0]!
    expect(p.overAllocated).toBe(true)
  })
})

describe(`Foodsoft ${FOODSOFT.slice(0, 7)}: documented example (spec/integration/product_distribution_example_spec.rb:22-61)`, () => {
  it('A orders 2(3), B 2(0), A changes to 4(1): 6(1) ordered, one box of 5, A gets 3 and B 2', async () => {
    const s = await scene(5, 2) // :9 unit_quantity 5
    await s.order(0, 2, 3) // :30-31
    await s.order(1, 2, 0) // :38
    await s.order(0, 4, 1) // :45-46 — A's 2 more come after B's 2
    // :53-54 quantity 6, tolerance 1: leftover 1 + tolerance 1 does not fill a second box.
    expect(await totals(s)).toEqual([6, 1, 1, 5])
    // :57, :60 A 3, B 2: A's first 2 and B's 2 come before A's later 2, of which only 1 fits.
    expect(await results(s)).toEqual([3, 2])
  })
})

describe(`Foodsoft ${FOODSOFT.slice(0, 7)}: distribution strategy (spec/models/group_order_article_spec.rb:75-97)`, () => {
  // :76 unit_quantity 1; :79 one group order article of quantity 4, tolerance 6. calculate_result(total) is the
  // result for `total` units available: in Puente, the units the cooperative confirms.
  const one = async () => {
    const s = await scene(1, 1)
    await s.order(0, 4, 6)
    // Cases of one: the 4 ordered make 4 cases, the tolerance is not needed to fill any.
    expect(await totals(s)).toEqual([4, 6, 4, 4])
    const po = await purchaseOrder(s)
    return { s, po }
  }
  const split = async (s: Scene, stage: 'confirmed' | 'received') => {
    const l = (await call('consolidation.lines', { roundId: s.roundId, stage, productId: s.productId }))[0]!
    return { quantity: l.fromOrdered, tolerance: l.fromTolerance, total: l.granted }
  }

  it('first order first serve (group_order_article_spec.rb:81-84): 2 available → quantity 2, tolerance 0, total 2', async () => {
    const { s, po } = await one()
    await call('purchaseOrders.recordQuantities', { purchaseOrderId: po, lines: [{ productId: s.productId, confirmedUnits: 2 }] })
    expect(await split(s, 'confirmed')).toEqual({ quantity: 2, tolerance: 0, total: 2 })
  })

  it('determines tolerance correctly (group_order_article_spec.rb:93-96): 6 available → quantity 4, tolerance 2, total 6', async () => {
    const { s, po } = await one()
    await call('purchaseOrders.recordQuantities', { purchaseOrderId: po, lines: [{ productId: s.productId, confirmedUnits: 6 }] })
    expect(await split(s, 'confirmed')).toEqual({ quantity: 4, tolerance: 2, total: 6 })
  })

  it('no automatic distribution (group_order_article_spec.rb:86-91): Puente\'s default differs — the cut is automatic, the coordinator overrides', async () => {
    const { s, po } = await one()
    await call('purchaseOrders.recordQuantities', { purchaseOrderId: po, lines: [{ productId: s.productId, confirmedUnits: 2 }] })
    // Foodsoft's NO_AUTOMATIC_DISTRIBUTION (:87-90) gives every group what it ordered (4 of the 2 there are) and
    // leaves the fixing to a person. Puente's default computes a cut (here first come: 2); the round's manual
    // distribution gives Foodsoft's result (next test). Without it, a coordinator can still hand out by hand
    // with an override and a reason, which Puente flags when it hands out more than there is.
    expect(await split(s, 'confirmed')).toEqual({ quantity: 2, tolerance: 0, total: 2 })
    const line = (await call('consolidation.lines', { roundId: s.roundId, stage: 'confirmed', productId: s.productId }))[0]!
    await call('consolidation.override', { lineId: line.lineId, granted: 4, reason: 'Foodsoft: what was ordered' })
    expect(await split(s, 'confirmed')).toEqual({ quantity: 4, tolerance: 0, total: 4 })
    expect((await call('consolidation.get', { roundId: s.roundId, stage: 'confirmed' })).products[0]!.overAllocated).toBe(true)
  })

  it('no automatic distribution (group_order_article_spec.rb:86-91) with manual distribution: quantity 4, tolerance 0, total 4, as Foodsoft', async () => {
    const { s, po } = await one()
    await call('purchaseOrders.recordQuantities', { purchaseOrderId: po, lines: [{ productId: s.productId, confirmedUnits: 2 }] })
    // Foodsoft's NO_AUTOMATIC_DISTRIBUTION (:87) is Puente's round setting cutStrategy 'manual': without the
    // first-come cap (app/models/group_order_article.rb:144-148) every group gets its whole quantity and none
    // of its tolerance until someone distributes by hand.
    await call('consolidation.setPolicy', { roundId: s.roundId, roundingPolicy: 'tolerance_fill', cutStrategy: 'manual' })
    expect(await split(s, 'confirmed')).toEqual({ quantity: 4, tolerance: 0, total: 4 }) // :90
    // Foodsoft shows nothing of the 2 handed out beyond the 2 there are; Puente counts them as −2 still to
    // distribute (over-distributed), which keeps the surplus from being booked into stock.
    const p = (await call('consolidation.get', { roundId: s.roundId, stage: 'confirmed' })).products[0]!
    expect([p.available, p.unassigned, p.surplus]).toEqual([2, -2, 0])
    expect((await fail('stock.bookSurplus', { roundId: s.roundId, stage: 'confirmed' })).code).toBe('consolidation.over_distributed')
  })
})

describe(`Foodsoft ${FOODSOFT.slice(0, 7)}: minimum order quantity (spec/models/order_article_spec.rb:217-270)`, () => {
  describe('without unit_quantity (order_article_spec.rb:235-249): minimum 10 of cases of 1', () => {
    it("doesn't order anything if the minimum hasn't been reached (:238-240): 4 ordered → 0 with minOrderAction 'hold'", async () => {
      // Foodsoft returns 0 boxes (app/models/order_article.rb:84). Puente's product decides per product: 'hold'
      // does what Foodsoft does; the default 'warn' (below) orders the 4 and shows the minimum as not reached.
      const s = await scene(1, 1, { minOrderCases: 10, minOrderAction: 'hold' })
      await s.order(0, 4, 0)
      const p = (await call('consolidation.get', { roundId: s.roundId })).products[0]!
      expect([p.cases, p.available, p.belowMinimum, p.held]).toEqual([0, 0, true, true])
      expect(await results(s)).toEqual([0])
    })

    it("below the minimum with Puente's default 'warn' (:238-240 differs on purpose): the 4 cases are ordered and flagged", async () => {
      // Puente leaves the decision to the coordinator, who may reach the cooperative's minimum by phone; the
      // dashboard lists the product under "minimums not reached". Foodsoft's missing_units would also count the
      // units up to the minimum (order_article.rb:279: 10 − 4 = 6); Puente's missingToNextCase counts only to the
      // next case (0 for cases of one) and shows the minimum apart (minOrderCases, belowMinimum).
      const s = await scene(1, 1, { minOrderCases: 10 })
      await s.order(0, 4, 0)
      const p = (await call('consolidation.get', { roundId: s.roundId })).products[0]!
      expect([p.cases, p.available, p.belowMinimum, p.held, p.missingToNextCase, p.minOrderCases]).toEqual([4, 4, true, false, 0, 10])
    })

    it('orders the minimum if tolerance allows for it (:242-244): 9 + 1 tolerance → 10', async () => {
      const s = await scene(1, 1, { minOrderCases: 10 })
      await s.order(0, 9, 1)
      expect(await totals(s)).toEqual([9, 1, 10, 10])
      expect(await results(s)).toEqual([10])
    })

    it('orders the desired amount if the minimum has been surpassed (:246-248): 12 + 1 → 12', async () => {
      const s = await scene(1, 1, { minOrderCases: 10 })
      await s.order(0, 12, 1)
      expect(await totals(s)).toEqual([12, 1, 12, 12])
    })
  })

  describe('with unit_quantity (order_article_spec.rb:251-269): minimum 2, boxes of 5', () => {
    // Foodsoft's minimum_order_quantity 2 (:252) is compared with group units (order_article.rb:84-85); read as
    // Puente's 2 cases (10 units) or as 2 units, all four examples give the same boxes. Puente's is in cases.
    const cases = async (quantity: number, tolerance: number) => {
      const s = await scene(5, 1, { minOrderCases: 2, minOrderAction: 'hold' })
      await s.order(0, quantity, tolerance)
      return (await totals(s))[2]
    }
    it("doesn't order anything if the minimum hasn't been reached (:254-256): 4 + 0 → 0", async () => {
      expect(await cases(4, 0)).toBe(0)
    })
    it('orders the minimum if tolerance allows for it (:258-260): 9 + 1 → 2', async () => {
      expect(await cases(9, 1)).toBe(2)
    })
    it('orders a lower amount if the box size demands it (:262-264): 12 + 1 → 2', async () => {
      expect(await cases(12, 1)).toBe(2)
    })
    it('orders the exact amount if the box size allows for it (:266-268): 14 + 1 → 3', async () => {
      expect(await cases(14, 1)).toBe(3)
    })
  })
})

describe(`Foodsoft ${FOODSOFT.slice(0, 7)}: boxfill (spec/models/order_article_spec.rb:131-215)`, () => {
  // :134 unit_quantity 6, one group order article; each example is [quantity, tolerance] before => after, and
  // [quantity, tolerance, missing_units] before => after (:140-170). Puente's missingToNextCase under
  // tolerance_fill counts the tolerance toward the open case, as Foodsoft's missing_units does (order_article.rb:283).
  const boxfill = async (before: [number, number], after: [number, number]) => {
    const s = await scene(6, 1)
    await s.order(0, ...before)
    const was = await missing(s)
    await s.order(0, ...after)
    return [was, await missing(s)]
  }

  describe('before the box-fill date (:172-182): every change goes through', () => {
    it('decreasing the missing units (:175-177): [6, 0, 0] → [5, 0, 1]', async () => {
      expect(await boxfill([6, 0], [5, 0])).toEqual([
        [6, 0, 0],
        [5, 0, 1]
      ])
    })
    it('decreasing the tolerance (:179-181): [1, 2, 3] → [1, 1, 4]', async () => {
      expect(await boxfill([1, 2], [1, 1])).toEqual([
        [1, 2, 3],
        [1, 1, 4]
      ])
    })
  })

  // After the date (:184-214) Foodsoft refuses some changes (order_article.rb:262-276, enforce_boxfill). A
  // Puente round has no box-fill date by default, so Puente takes every change, as Foodsoft does before the
  // date: the allowed changes agree number for number, the two Foodsoft refuses are asserted as Puente takes
  // them. With the round's box-fill date set, see the next block.
  describe('after the box-fill date (:184-214), Puente\'s default: the round has no box-fill date', () => {
    it('changing nothing in particular (:187-189): [4, 1, 1] → [4, 1, 1]', async () => {
      expect(await boxfill([4, 1], [4, 1])).toEqual([
        [4, 1, 1],
        [4, 1, 1]
      ])
    })
    it('increasing missing units (:191-193): Foodsoft refuses and keeps [3, 0, 3]; Puente without a date takes [2, 0, 4]', async () => {
      expect(await boxfill([3, 0], [2, 0])).toEqual([
        [3, 0, 3],
        [2, 0, 4]
      ])
    })
    it('increasing tolerance (:195-197): [2, 1, 3] → [2, 2, 2]', async () => {
      expect(await boxfill([2, 1], [2, 2])).toEqual([
        [2, 1, 3],
        [2, 2, 2]
      ])
    })
    it('decreasing quantity to fix missing units (:199-201): [7, 0, 5] → [6, 0, 0]', async () => {
      expect(await boxfill([7, 0], [6, 0])).toEqual([
        [7, 0, 5],
        [6, 0, 0]
      ])
    })
    it('decreasing quantity keeping missing units equal (:203-205): Foodsoft refuses and keeps [7, 0, 5]; Puente without a date takes [1, 0, 5]', async () => {
      expect(await boxfill([7, 0], [1, 0])).toEqual([
        [7, 0, 5],
        [1, 0, 5]
      ])
    })
    it('moving tolerance to quantity (:207-209): [4, 2, 0] → [6, 0, 0]', async () => {
      expect(await boxfill([4, 2], [6, 0])).toEqual([
        [4, 2, 0],
        [6, 0, 0]
      ])
    })
  })

  // The same examples with the round's box-fill date set (rounds.save boxFillAt), as Foodsoft's spec sets
  // `boxfill` after the first order (:151) to a moment already past (:185). Puente's rule (boxFillProblems in
  // src/core/orders/orders.ts) keeps the product's ordered total of the round within the case it is in: not
  // below its full cases, not beyond the open case's end; tolerance stays free. Foodsoft's enforce_boxfill
  // (order_article.rb:268-276) allows a change only if (Δquantity = 0 and Δtolerance ≥ 0), or (missing units
  // fall, boxes do not, Δtolerance ≥ 0), or (Δquantity > 0 = Δquantity + Δtolerance: tolerance moved to quantity).
  describe('after the box-fill date (:184-214), with the round\'s box-fill date set', () => {
    /** [before, after] of [quantity, tolerance, missing units], and the refusal's error if the change was refused. */
    const afterDate = async (before: [number, number], after: [number, number]) => {
      const s = await scene(6, 1)
      await s.order(0, ...before)
      const was = await missing(s)
      await s.boxFillFrom('2026-02-20T00:00') // the clock stands at 1 March 2026
      const r = await dispatch({ session }, 'orders.setLines', { roundId: s.roundId, buyerId: s.buyers[0]!, lines: [{ productId: s.productId, quantity: after[0], tolerance: after[1] }] })
      return { missing: [was, await missing(s)], refused: r.ok ? null : r.error }
    }

    it('changing nothing in particular (:187-189): allowed, [4, 1, 1] → [4, 1, 1], as Foodsoft', async () => {
      expect(await afterDate([4, 1], [4, 1])).toEqual({
        missing: [
          [4, 1, 1],
          [4, 1, 1]
        ],
        refused: null
      })
    })
    it('increasing missing units (:191-193): Puente still differs — it lets 3 → 2 drop a unit of the open case, [3, 0, 3] → [2, 0, 4]', async () => {
      // Foodsoft refuses (ActiveRecord::RecordNotSaved) and keeps [3, 0, 3]: Δquantity −1 and the missing units
      // rise 3 → 4, so none of enforce_boxfill's three cases holds. Puente's box-fill phase only forbids opening
      // a new case and cutting into a full one: the round's total 3 lies in the open first case (0 to 6 units),
      // and 2 still does, so the change is allowed. Puente's rule looks at the ordered total only and lets it move
      // either way inside the open case (a buyer may step back from a case not yet filled); Foodsoft's refuses
      // every change that raises the missing units, and so any lower quantity that leaves a case open.
      expect(await afterDate([3, 0], [2, 0])).toEqual({
        missing: [
          [3, 0, 3],
          [2, 0, 4]
        ],
        refused: null
      })
    })
    it('increasing tolerance (:195-197): allowed, [2, 1, 3] → [2, 2, 2], as Foodsoft', async () => {
      expect(await afterDate([2, 1], [2, 2])).toEqual({
        missing: [
          [2, 1, 3],
          [2, 2, 2]
        ],
        refused: null
      })
    })
    it('decreasing quantity to fix missing units (:199-201): allowed, [7, 0, 5] → [6, 0, 0], as Foodsoft', async () => {
      // 7 → 6 drops the open second case's one unit; the full first case (6) is untouched.
      expect(await afterDate([7, 0], [6, 0])).toEqual({
        missing: [
          [7, 0, 5],
          [6, 0, 0]
        ],
        refused: null
      })
    })
    it('decreasing quantity keeping missing units equal (:203-205): refused, [7, 0, 5] kept, as Foodsoft', async () => {
      // 7 → 1 would cut 5 units out of the full first case: at most 5 more (to 12) or 1 fewer (to 6).
      expect(await afterDate([7, 0], [1, 0])).toEqual({
        missing: [
          [7, 0, 5],
          [7, 0, 5]
        ],
        refused: expect.objectContaining({ code: 'round.box_fill', params: expect.objectContaining({ sku: 'FS-1', caseSize: 6, total: 7, more: 5, fewer: 1 }) })
      })
    })
    it('moving tolerance to quantity (:207-209): allowed, [4, 2, 0] → [6, 0, 0], as Foodsoft', async () => {
      // 4 → 6 fills the open case exactly, and no further.
      expect(await afterDate([4, 2], [6, 0])).toEqual({
        missing: [
          [4, 2, 0],
          [6, 0, 0]
        ],
        refused: null
      })
    })
  })

  it('tolerance alone is no started case (:210-213, disabled in Foodsoft): Puente already gives [0, 2, 0]', async () => {
    // Foodsoft keeps this example commented out ("@todo enable test when tolerance doesn't count in
    // missing_units"): its missing_units gives 6 − (0 + 2) = 4 for tolerance without quantity
    // (order_article.rb:283). Puente's missingToNextCase counts only a case the ordered units started, so it
    // already shows what the disabled example expects.
    const s = await scene(6, 1)
    await s.order(0, 0, 2)
    expect(await missing(s)).toEqual([0, 2, 0])
    // Whole cases with extra tolerance miss nothing either (Foodsoft: 6 − (0 + 1) = 5).
    await s.order(0, 6, 1)
    expect(await missing(s)).toEqual([6, 1, 0])
  })
})
