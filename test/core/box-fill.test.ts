import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Session } from '../../src/core/app/session.ts'
import de from '../../src/shared/i18n/de.ts'
import en from '../../src/shared/i18n/en.ts'
import es from '../../src/shared/i18n/es.ts'
import { frozenEnv } from '../support/env.ts'
import { api } from '../support/api.ts'
import { type TempSession, tempSession } from '../support/workspace.ts'

let temp: TempSession
let session: Session
const { call, fail } = api(() => session)

let roundId: string
let supplierId: string
let productId: string
const buyers: Record<string, string> = {}
const db = () => session.requireWorkspace().db

/** The round as saved in beforeEach, with a box-fill time (Berlin wall clock) or none. */
const roundForm = (boxFillAt: string | null) => ({
  id: roundId,
  name: 'Otoño',
  opensAt: '2026-02-01T00:00',
  closesAt: '2026-12-01T00:00',
  timeZone: 'Europe/Berlin',
  currency: 'EUR' as const,
  supplierIds: [supplierId],
  markupPercent: '0',
  contribution: '0',
  roundingStep: '0.01',
  boxFillAt
})
const set = (buyer: string, quantity: number, tolerance = 0) => ({ roundId, buyerId: buyers[buyer]!, lines: [{ productId, quantity, tolerance }] })
const quantities = () =>
  Object.fromEntries(
    db()
      .prepare('SELECT b.name, l.quantity FROM order_line l JOIN buyer_order o ON o.id = l.order_id JOIN buyer b ON b.id = o.buyer_id ORDER BY b.name')
      .raw()
      .all() as [string, number][]
  )

/**
 * One product in bags, cases of 6; the clock stands at 1 March 2026 09:00 UTC (one second per reading).
 * Before any box-fill phase A orders 4, B 3, C 3: 10 units, one full case and 4 of the next.
 */
beforeEach(async () => {
  temp = tempSession({ prefix: 'puente-boxfill-', env: frozenEnv('2026-03-01T09:00:01Z', { step: 1000 }) })
  session = temp.session
  await temp.create('r.puente')
  supplierId = (await call('suppliers.save', { name: 'Cooperativa La Hoja', country: 'AR', cuit: '30-71234567-1' })).id
  productId = (await call('products.save', { supplierId, sku: 'LH-YM500', nameEs: 'Yerba mate 500 g', salesUnit: 'bag', caseUnits: '6', price: '2.00', currency: 'EUR', vatClass: 'reduced' })).id
  for (const name of ['A', 'B', 'C', 'D']) buyers[name] = (await call('buyers.save', { name, type: 'group', country: 'DE', language: 'de', taxTreatment: 'domestic' })).id
  roundId = (await call('rounds.save', { ...roundForm(null), id: undefined })).id
  await call('rounds.calculatePrices', { roundId })
  await call('rounds.setStatus', { id: roundId, status: 'open' })
  await call('orders.setLines', set('A', 4))
  await call('orders.setLines', set('B', 3))
  await call('orders.setLines', set('C', 3))
})

afterEach(() => temp.dispose())

describe('the round’s box-fill date', () => {
  it('is optional, kept in the round’s zone, and must lie between opening and deadline', async () => {
    expect(await call('rounds.get', { id: roundId })).toMatchObject({ boxFillAt: null, boxFillLocal: null, boxFilling: false })
    // 12:00 in Berlin (UTC+1 in March) is 11:00 UTC, two hours ahead of the clock: not yet on.
    const later = await call('rounds.save', roundForm('2026-03-01T12:00'))
    expect(later).toMatchObject({ boxFillAt: '2026-03-01T11:00:00.000Z', boxFillLocal: '2026-03-01T12:00', boxFilling: false })
    await call('orders.setLines', set('A', 20))
    const before = await fail('rounds.save', roundForm('2026-01-31T23:59'))
    expect(before).toMatchObject({ code: 'validation', params: { fields: { boxFillAt: { code: 'box_fill_range' } } } })
    const after = await fail('rounds.save', roundForm('2026-12-01T00:00'))
    expect(after).toMatchObject({ code: 'validation', params: { fields: { boxFillAt: { code: 'box_fill_range' } } } })
    const garbage = await fail('rounds.save', roundForm('1.3.2026'))
    expect(garbage).toMatchObject({ code: 'validation', params: { fields: { boxFillAt: { code: 'datetime' } } } })
    for (const texts of [de, es, en]) expect(texts.fieldErrors.box_fill_range).toMatch(/\S/)
    // The refusals changed nothing; clearing it ends the phase.
    expect((await call('rounds.get', { id: roundId })).boxFillAt).toBe('2026-03-01T11:00:00.000Z')
    expect((await call('rounds.save', roundForm(''))).boxFillAt).toBeNull()
  })
})

describe('orders in the box-fill phase', () => {
  it('may fill the open case and drop units of it, but neither open a new case nor cut a full one', async () => {
    // Since 20 February: 10 ordered, case of 6 → 1 full case (6), the open one ends at 12.
    const round = await call('rounds.save', roundForm('2026-02-20T00:00'))
    expect(round.boxFilling).toBe(true)
    expect((await call('orders.get', { roundId, buyerId: buyers.A! })).boxFilling).toBe(true)
    // A 4 → 7 would make 13: one beyond the open case. At most 2 more, at most 4 fewer.
    const tooMany = await fail('orders.setLines', set('A', 7))
    expect(tooMany).toMatchObject({ code: 'round.box_fill', params: { sku: 'LH-YM500', caseSize: 6, total: 10, more: 2, fewer: 4 } })
    expect(de.errors['round.box_fill']).toContain('{{more, number}}')
    // A new buyer's order counts the same: D 3 would make 13.
    expect(await fail('orders.setLines', set('D', 3))).toMatchObject({ code: 'round.box_fill', params: { more: 2 } })
    expect(quantities()).toEqual({ A: 4, B: 3, C: 3 })
    // B drops all 3: 10 → 7, still one full case: allowed.
    await call('orders.setLines', set('B', 0))
    // C dropping 3 would make 4: a unit of the full case cut (7 → at least 6, at most 12).
    expect(await fail('orders.setLines', set('C', 0))).toMatchObject({ code: 'round.box_fill', params: { total: 7, more: 5, fewer: 1 } })
    // C 3 → 2 (7 → 6) is allowed; D fills the case: 6 → 12.
    await call('orders.setLines', set('C', 2))
    expect(await fail('orders.setLines', set('D', 7))).toMatchObject({ code: 'round.box_fill_full', params: { total: 6, more: 0, fewer: 0 } })
  })

  it('a total of whole cases stays as it is; tolerance stays free; allowed fills are written to the log', async () => {
    await call('rounds.save', roundForm('2026-02-20T00:00'))
    // D fills the open case: 10 → 12, exactly 2 cases.
    const d = await call('orders.setLines', set('D', 2))
    expect(d.lines[0]).toMatchObject({ quantity: 2 })
    expect(await fail('orders.setLines', set('A', 5))).toMatchObject({ code: 'round.box_fill_full', params: { sku: 'LH-YM500', total: 12, caseSize: 6 } })
    expect(await fail('orders.setLines', set('A', 3))).toMatchObject({ code: 'round.box_fill_full' })
    expect(de.errors['round.box_fill_full']).toContain('{{sku}}')
    // A moves nothing but its tolerance: allowed.
    await call('orders.setLines', set('A', 4, 2))
    expect(quantities()).toEqual({ A: 4, B: 3, C: 3, D: 2 })
    expect(db().prepare(`SELECT sum(quantity_delta), sum(tolerance_delta), count(*) FROM quantity_log`).raw().get()).toEqual([12, 2, 5])
  })

  it('a tolerance may fill the open case, but once it has, taking it back would drop the case and is refused', async () => {
    await call('rounds.save', roundForm('2026-02-20T00:00'))
    // 10 ordered in cases of 6 (tolerance_fill): one case. D accepts 2 more: 4 + 2 fill the second case.
    await call('orders.setLines', set('D', 0, 2))
    expect((await call('consolidation.get', { roundId })).products[0]).toMatchObject({ cases: 2, missingToNextCase: 0 })
    // D takes its tolerance back: the second case would go again.
    expect(await fail('orders.setLines', set('D', 0, 0))).toMatchObject({ code: 'round.box_fill', params: { sku: 'LH-YM500', total: 10, more: 2, fewer: 4 } })
    expect((await call('consolidation.get', { roundId })).products[0]).toMatchObject({ cases: 2 })
    // B may still fill the case with units it orders instead, which keeps the two cases.
    await call('orders.setLines', set('B', 5))
    expect(quantities()).toEqual({ A: 4, B: 5, C: 3, D: 0 })
  })

  it('does not hold goods bought exactly (no cases to fill)', async () => {
    await call('rounds.save', roundForm('2026-02-20T00:00'))
    await call('consolidation.setProductPolicy', { roundId, productId, roundingPolicy: 'exact' })
    await call('orders.setLines', set('D', 7))
    expect(quantities()).toEqual({ A: 4, B: 3, C: 3, D: 7 })
  })

  it('an imported file must keep to it as well, as a whole: the preview marks the rows of the product', async () => {
    await call('rounds.save', roundForm('2026-02-20T00:00'))
    // A +1 and B +2 make 13: refused, nothing written; A +1 and B +1 make 12: applied.
    const file = (a: number, b: number) => Buffer.from(`Käufer;Art.-Nr.;Menge;Toleranz\r\nA;LH-YM500;${a};0\r\nB;LH-YM500;${b};0\r\n`, 'utf8')
    const preview = await call('orders.importPreview', { roundId, fileName: 'o.csv', data: file(5, 5) })
    expect(preview.summary).toMatchObject({ rows: 2, ok: 0, errors: 2, buyers: 0 })
    expect(preview.blocking).toBe(true)
    expect(preview.rows[0]!.errors).toEqual([
      { ns: 'importErrors', code: 'box_fill', field: 'quantity', params: { sku: 'LH-YM500', caseSize: 6, total: 10, more: 2, fewer: 4 } }
    ])
    for (const texts of [de, es, en]) expect(texts.importErrors.box_fill).toContain('{{more, number}}')
    expect(await fail('orders.importApply', { roundId, fileName: 'o.csv', data: file(5, 5) })).toMatchObject({ code: 'import.blocked', params: { count: 2 } })
    expect(quantities()).toEqual({ A: 4, B: 3, C: 3 })
    await call('orders.importApply', { roundId, fileName: 'o.csv', data: file(5, 4) })
    expect(quantities()).toEqual({ A: 5, B: 4, C: 3 })
    // 12 now fill two cases exactly; a file that moves a unit from A to B leaves the total alone: applied.
    await call('orders.importApply', { roundId, fileName: 'o.csv', data: file(4, 5) })
    expect(quantities()).toEqual({ A: 4, B: 5, C: 3 })
  })

  it('does not apply before its time', async () => {
    await call('rounds.save', roundForm('2026-03-01T12:00'))
    await call('orders.setLines', set('A', 9))
    expect(quantities()).toEqual({ A: 9, B: 3, C: 3 })
  })
})
