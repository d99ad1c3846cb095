import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Session } from '../../src/core/app/session.ts'
import de from '../../src/shared/i18n/de.ts'
import en from '../../src/shared/i18n/en.ts'
import es from '../../src/shared/i18n/es.ts'
import { checkQuantity, checkSteps } from '../../src/shared/quantity.ts'
import { frozenEnv } from '../support/env.ts'
import { api } from '../support/api.ts'
import { type TempSession, tempSession } from '../support/workspace.ts'

let temp: TempSession
let session: Session
const { call, fail } = api(() => session)

let roundId: string
let productId: string
const buyers: Record<string, string> = {}
const db = () => session.requireWorkspace().db

/** Who gets how many of the one product (first come, first served). */
const grantedBy = async () =>
  Object.fromEntries((await call('consolidation.lines', { roundId, stage: 'planned', productId })).map((l) => [l.buyerName, l.granted]))

/**
 * One product in bags, cases of 6; the clock moves one second per reading from 09:00:01. A orders 4,
 * B 3, C 3 (10 units, no tolerance): one case of 6 is ordered, 4 units are cut.
 */
beforeEach(async () => {
  temp = tempSession({ prefix: 'puente-received-', env: frozenEnv('2026-03-01T09:00:01Z', { step: 1000 }) })
  session = temp.session
  await temp.create('r.puente')
  const supplier = await call('suppliers.save', { name: 'Cooperativa La Hoja', country: 'AR', cuit: '30-71234567-1' })
  productId = (await call('products.save', { supplierId: supplier.id, sku: 'LH-YM500', nameEs: 'Yerba mate 500 g', salesUnit: 'bag', caseUnits: '6', price: '2.00', currency: 'EUR', vatClass: 'reduced' })).id
  for (const name of ['A', 'B', 'C']) buyers[name] = (await call('buyers.save', { name, type: 'group', country: 'DE', language: 'de', taxTreatment: 'domestic' })).id
  roundId = (
    await call('rounds.save', {
      name: 'Otoño',
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
})

afterEach(() => temp.dispose())

describe('first come by orderedAt', () => {
  it('an order entered last but received first wins the cut; moving another order’s received time re-ranks, with its reason kept', async () => {
    await call('orders.setLines', { roundId, buyerId: buyers.A!, lines: [{ productId, quantity: 4, tolerance: 0 }] })
    await call('orders.setLines', { roundId, buyerId: buyers.B!, lines: [{ productId, quantity: 3, tolerance: 0 }] })
    // C's order came on paper at 08:00, before A and B typed theirs in; it is entered last.
    const c = await call('orders.setLines', { roundId, buyerId: buyers.C!, lines: [{ productId, quantity: 3, tolerance: 0 }], orderedAt: '2026-03-01T09:00:00+01:00' })
    expect(c.receivedAt).toBe('2026-03-01T08:00:00.000Z')
    expect(db().prepare('SELECT ordered_at FROM buyer_order WHERE id = ?').pluck().get(c.orderId)).toBe('2026-03-01T08:00:00.000Z')
    // 6 units: C (08:00) 3, A (entered first) 3 of 4, B nothing.
    expect(await grantedBy()).toEqual({ A: 3, B: 0, C: 3 })
    // Entries made as they come in keep no received time (the log stays small); C's carries its own.
    const log = db()
      .prepare('SELECT b.name, q.received_at FROM quantity_log q JOIN order_line l ON l.id = q.line_id JOIN buyer_order o ON o.id = l.order_id JOIN buyer b ON b.id = o.buyer_id ORDER BY b.name')
      .raw()
      .all()
    expect(log).toEqual([
      ['A', null],
      ['B', null],
      ['C', '2026-03-01T08:00:00.000Z']
    ])

    // B's e-mail had actually arrived at 07:30: the coordinator changes B's received time, with the reason.
    const b = await call('orders.get', { roundId, buyerId: buyers.B! })
    const bEntered = b.receivedAt!
    expect(bEntered > '2026-03-01T09:00:00.000Z').toBe(true)
    const moved = await call('orders.setReceivedAt', { orderId: b.orderId!, receivedAt: '2026-03-01T07:30:00Z', reason: 'E-Mail vom 1. März, 7:30' })
    expect(moved.receivedAt).toBe('2026-03-01T07:30:00.000Z')
    expect(moved.receivedChanges).toEqual([{ fromAt: bEntered, toAt: '2026-03-01T07:30:00.000Z', reason: 'E-Mail vom 1. März, 7:30', at: expect.any(String) }])
    // B 3 (07:30), C 3 (08:00), A nothing.
    expect(await grantedBy()).toEqual({ A: 0, B: 3, C: 3 })
    const lines = await call('consolidation.lines', { roundId, stage: 'planned', productId })
    expect(lines.find((l) => l.buyerName === 'B')!.firstAt).toBe('2026-03-01T07:30:00.000Z')

    // The change is kept in its append-only table, and the order's received time moved.
    expect(db().prepare('SELECT order_id, from_at, to_at, reason FROM order_received_change').raw().all()).toEqual([
      [b.orderId, bEntered, '2026-03-01T07:30:00.000Z', 'E-Mail vom 1. März, 7:30']
    ])
    expect(() => db().prepare('DELETE FROM order_received_change').run()).toThrow(/append-only/)

    // What is added after the change counts from when it is added, not from the moved time: A adds 1,
    // then B adds 2. 13 units, two cases (12): B's first 3, C's 3, A's 4, A's later 1, then 1 of B's later 2.
    await call('orders.setLines', { roundId, buyerId: buyers.A!, lines: [{ productId, quantity: 5, tolerance: 0 }] })
    await call('orders.setLines', { roundId, buyerId: buyers.B!, lines: [{ productId, quantity: 5, tolerance: 0 }] })
    expect(await grantedBy()).toEqual({ A: 5, B: 4, C: 3 })
  })

  it('an order typed in over two sittings moves as a whole when its received time changes', async () => {
    // A types 3, B types 3, A raises to 6 (all live, one second apart): one case of 6 → B's 3 come before A's last 3.
    await call('orders.setLines', { roundId, buyerId: buyers.A!, lines: [{ productId, quantity: 3, tolerance: 0 }] })
    await call('orders.setLines', { roundId, buyerId: buyers.B!, lines: [{ productId, quantity: 3, tolerance: 0 }] })
    await call('orders.setLines', { roundId, buyerId: buyers.A!, lines: [{ productId, quantity: 6, tolerance: 0 }] })
    expect(await grantedBy()).toEqual({ A: 3, B: 3 })
    // A's e-mail with all 6 came at 07:00: everything A entered so far counts from then.
    const a = await call('orders.get', { roundId, buyerId: buyers.A! })
    await call('orders.setReceivedAt', { orderId: a.orderId!, receivedAt: '2026-03-01T07:00:00Z', reason: 'E-Mail um 7 Uhr mit allen 6' })
    expect(await grantedBy()).toEqual({ A: 6, B: 0 })
  })

  it('an imported file of orders can carry when it was received', async () => {
    const csv = Buffer.from('Käufer;Art.-Nr.;Menge;Toleranz\r\nA;LH-YM500;4;0\r\nB;LH-YM500;3;0\r\n', 'utf8')
    await call('orders.setLines', { roundId, buyerId: buyers.C!, lines: [{ productId, quantity: 3, tolerance: 0 }] })
    const refused = await fail('orders.importApply', { roundId, fileName: 'b.csv', data: csv, orderedAt: '2027-03-01T08:00:00Z' })
    expect(refused).toMatchObject({ code: 'validation', params: { fields: { orderedAt: { code: 'received_future' } } } })
    await call('orders.importApply', { roundId, fileName: 'b.csv', data: csv, orderedAt: '2026-03-01T08:30:00Z' })
    expect(db().prepare(`SELECT received_at, source FROM quantity_log WHERE source = 'import'`).raw().all()).toEqual([
      ['2026-03-01T08:30:00.000Z', 'import'],
      ['2026-03-01T08:30:00.000Z', 'import']
    ])
    // Both forms came in at 08:30, before C typed in: A (line order of the tie is the line key) and B before C.
    const granted = await grantedBy()
    expect(granted.C).toBe(0)
    expect(granted.A! + granted.B!).toBe(6)
  })

  it('a received time needs a reason, and must be neither in the future nor absurdly old; each refusal is translated', async () => {
    const b = await call('orders.setLines', { roundId, buyerId: buyers.B!, lines: [{ productId, quantity: 3, tolerance: 0 }] })
    const noReason = await fail('orders.setReceivedAt', { orderId: b.orderId, receivedAt: '2026-03-01T07:30:00Z', reason: '  ' })
    expect(noReason).toMatchObject({ code: 'validation', params: { fields: { reason: { code: 'required' } } } })
    const future = await fail('orders.setLines', { roundId, buyerId: buyers.A, lines: [{ productId, quantity: 1 }], orderedAt: '2026-03-01T11:00:00Z' })
    expect(future).toMatchObject({ code: 'validation', params: { fields: { orderedAt: { code: 'received_future' } } } })
    const old = await fail('orders.setReceivedAt', { orderId: b.orderId, receivedAt: '2024-03-01T07:30:00Z', reason: 'Tippfehler?' })
    expect(old).toMatchObject({ code: 'validation', params: { fields: { receivedAt: { code: 'received_past' } } } })
    const garbage = await fail('orders.setLines', { roundId, buyerId: buyers.A, lines: [{ productId, quantity: 1 }], orderedAt: '1.3.2026 8:00' })
    expect(garbage).toMatchObject({ code: 'validation', params: { fields: { orderedAt: { code: 'datetime' } } } })
    for (const code of ['required', 'received_future', 'received_past', 'datetime'] as const)
      for (const texts of [de, es, en]) expect(texts.fieldErrors[code]).toMatch(/\S/)
    // Nothing was written by the refusals.
    expect(db().prepare('SELECT count(*) FROM order_received_change').pluck().get()).toBe(0)
    expect(db().prepare('SELECT count(*) FROM quantity_log').pluck().get()).toBe(1)
  })
})

describe('quantities: one rule in the browser and the core', () => {
  it('checks typed text: negative, fractional for whole units, absurd, not a number', () => {
    expect(checkQuantity('12')).toEqual({ ok: true, value: 12 })
    expect(checkQuantity(' ')).toEqual({ ok: true, value: 0 })
    expect(checkQuantity('1.000.000')).toEqual({ ok: true, value: 1_000_000 })
    expect(checkQuantity('1.000.001')).toEqual({ ok: false, code: 'quantity_max', params: { max: 1_000_000 } })
    expect(checkQuantity('-2', 'bag')).toEqual({ ok: false, code: 'quantity_negative' })
    expect(checkQuantity('-0,5', 'bag')).toEqual({ ok: false, code: 'quantity_negative' })
    expect(checkQuantity('1,5', 'bottle')).toEqual({ ok: false, code: 'quantity_whole', params: { unit: 'bottle' } })
    expect(checkQuantity('2.25', 'bottle')).toEqual({ ok: false, code: 'quantity_whole', params: { unit: 'bottle' } })
    expect(checkQuantity('1e12', 'bottle')).toEqual({ ok: false, code: 'quantity_max', params: { max: 1_000_000 } })
    expect(checkQuantity('1000000000000', 'bottle')).toEqual({ ok: false, code: 'quantity_max', params: { max: 1_000_000 } })
    expect(checkQuantity('zwölf', 'bottle')).toEqual({ ok: false, code: 'number' })
    expect(checkQuantity('1,2,3', 'bottle')).toEqual({ ok: false, code: 'number' })
    expect(checkSteps(1e12)).toEqual({ ok: false, code: 'quantity_max', params: { max: 1_000_000 } })
    expect(checkSteps(Number.NaN)).toEqual({ ok: false, code: 'number' })
    // Goods ordered in steps of the sales unit: typed in the unit, counted in steps.
    expect(checkQuantity('1,5', 'kg', 500)).toEqual({ ok: true, value: 3 })
    expect(checkQuantity('0,07', 'm2', 10)).toEqual({ ok: true, value: 7 })
    expect(checkQuantity('1,3', 'kg', 500)).toEqual({ ok: false, code: 'quantity_step', params: { measure: 'kg', step: 0.5 } })
    expect(checkQuantity('0,005', 'm2', 10)).toEqual({ ok: false, code: 'quantity_step', params: { measure: 'm2', step: 0.01 } })
    // A number of steps as the API carries it: whole, and at most MAX_QUANTITY sales units.
    expect(checkSteps(3, 'kg', 500)).toEqual({ ok: true, value: 3 })
    expect(checkSteps(2.5, 'kg', 500)).toEqual({ ok: false, code: 'quantity_step', params: { measure: 'kg', step: 0.5 } })
    expect(checkSteps(2.5)).toEqual({ ok: true, value: 2.5 })
    expect(checkSteps(2_000_000, 'kg', 500)).toEqual({ ok: true, value: 2_000_000 })
    expect(checkSteps(2_000_001, 'kg', 500)).toEqual({ ok: false, code: 'quantity_max', params: { max: 1_000_000 } })
  })

  it('the core refuses the same quantities with the same codes, naming the product’s unit, and writes nothing', async () => {
    const line = (quantity: number, tolerance = 0) => ({ roundId, buyerId: buyers.A, lines: [{ productId, quantity, tolerance }] })
    expect(await fail('orders.setLines', line(-1))).toMatchObject({ params: { fields: { 'lines.0.quantity': { code: 'quantity_negative' } } } })
    expect(await fail('orders.setLines', line(1.5))).toMatchObject({ params: { fields: { 'lines.0.quantity': { code: 'quantity_whole', params: { unit: 'bag' } } } } })
    expect(await fail('orders.setLines', line(1e12))).toMatchObject({ params: { fields: { 'lines.0.quantity': { code: 'quantity_max', params: { max: 1_000_000 } } } } })
    expect(await fail('orders.setLines', line(2, 0.5))).toMatchObject({ params: { fields: { 'lines.0.tolerance': { code: 'quantity_whole', params: { unit: 'bag' } } } } })
    expect(db().prepare('SELECT count(*) FROM quantity_log').pluck().get()).toBe(0)
    // The texts: no raw placeholder is left once the parameters (and the unit's own text) are filled in.
    expect(en.fieldErrors.quantity_whole).toContain('$t(units.{{unit}})')
    expect(de.units.bag).toBe('Beutel')
  })
})
