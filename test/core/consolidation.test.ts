import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { consolidate } from '../../src/core/consolidation/consolidate.ts'
import type { Session } from '../../src/core/app/session.ts'
import type { Input } from '../../src/shared/api.ts'
import { frozenEnv } from '../support/env.ts'
import { api } from '../support/api.ts'
import { type TempSession, tempSession } from '../support/workspace.ts'

let temp: TempSession
let session: Session
const { call, fail } = api(() => session)

let roundId: string
let productId: string
let supplierId: string
const LA_HOJA = { name: 'Cooperativa de Trabajo La Hoja Ltda.', country: 'AR', cuit: '30-71234567-1' } as const
const YERBA = { sku: 'LH-YM500', nameEs: 'Yerba mate 500 g', salesUnit: 'bag', caseUnits: '6', price: '1.11', currency: 'EUR', vatClass: 'reduced' } as const
const buyers: Record<string, string> = {}

/** The first-come vector of vectors.json as real orders: case of 6; A 4+2, then B 3, then C 1+3. */
beforeEach(async () => {
  // A clock that moves one second per reading (from 09:00:01) and counting ids: the order of arrival is explicit.
  temp = tempSession({ prefix: 'puente-cons-', env: frozenEnv('2026-03-01T09:00:01Z', { step: 1000 }) })
  session = temp.session
  await temp.create('c.puente')
  const supplier = await call('suppliers.save', LA_HOJA)
  supplierId = supplier.id
  const product = await call('products.save', { supplierId, ...YERBA })
  productId = product.id
  for (const name of ['A', 'B', 'C'])
    buyers[name] = (await call('buyers.save', { name, type: 'group', country: 'DE', language: name === 'C' ? 'es' : 'de', taxTreatment: 'domestic' })).id
  const round = await call('rounds.save', {
    name: 'Test',
    opensAt: '2026-02-01T00:00',
    closesAt: '2026-12-01T00:00',
    timeZone: 'Europe/Berlin',
    currency: 'EUR',
    supplierIds: [supplier.id],
    markupPercent: '0',
    contribution: '0',
    roundingStep: '0.01'
  })
  roundId = round.id
  await call('rounds.calculatePrices', { roundId })
  await call('rounds.setStatus', { id: roundId, status: 'open' })
  await call('orders.setLines', { roundId, buyerId: buyers.A!, lines: [{ productId, quantity: 4, tolerance: 2 }] })
  await call('orders.setLines', { roundId, buyerId: buyers.B!, lines: [{ productId, quantity: 3, tolerance: 0 }] })
  await call('orders.setLines', { roundId, buyerId: buyers.C!, lines: [{ productId, quantity: 1, tolerance: 3 }] })
})

afterEach(() => temp.dispose())

/** Who gets how many of the one product, as the view shows it when the product is opened. */
const grantedBy = async (stage: 'planned' | 'confirmed' | 'received' = 'planned') =>
  Object.fromEntries((await call('consolidation.lines', { roundId, stage, productId })).map((l) => [l.buyerName, l.granted]))

describe('consolidation of a round', () => {
  it('orders two cases (leftover 2 + tolerance 5 fills one) and hands out 12 first come, first served', async () => {
    const c = await call('consolidation.get', { roundId })
    const p = c.products[0]!
    // Nothing is missing: under tolerance_fill the leftover 2 and the tolerance 5 fill the second case.
    expect([p.quantity, p.tolerance, p.cases, p.available, p.missingToNextCase, p.surplus]).toEqual([8, 5, 2, 12, 0, 0])
    expect(await grantedBy()).toEqual({ A: 6, B: 3, C: 3 })
    expect(c.suppliers[0]).toMatchObject({ valueMinor: 12 * 111, cases: 2, currency: 'EUR' })
  })

  it('splits what each gets into units from the order and units from the tolerance, on the view, the changes and the notice', async () => {
    // 12 units first come: A 4 ordered then B 3 then C 1 (8), then tolerance A 2, C 2 (of 3): A 6 = 4 + 2, B 3 = 3 + 0, C 3 = 1 + 2.
    const split = (ls: { buyerName: string; granted: number; fromOrdered: number; fromTolerance: number }[]) =>
      Object.fromEntries(ls.map((l) => [l.buyerName, [l.granted, l.fromOrdered, l.fromTolerance]]))
    expect(split(await call('consolidation.lines', { roundId, productId }))).toEqual({ A: [6, 4, 2], B: [3, 3, 0], C: [3, 1, 2] })
    const allocations = await call('consolidation.allocations', { roundId, stage: 'planned' })
    expect(allocations.map((b) => [b.buyerName, b.lines.map((l) => [l.granted, l.fromOrdered, l.fromTolerance])])).toEqual([
      ['A', [[6, 4, 2]]],
      ['B', [[3, 3, 0]]],
      ['C', [[3, 1, 2]]]
    ])
    const changes = await call('consolidation.changes', { roundId, stage: 'planned' })
    expect(changes.map((b) => [b.buyerName, b.changes.map((x) => [x.ordered, x.tolerance, x.allocated, x.fromOrdered, x.fromTolerance])])).toEqual([
      ['A', [[4, 2, 6, 4, 2]]],
      ['C', [[1, 3, 3, 1, 2]]]
    ])

    // The notice: the CSV's two new last columns, the PDF's "what you get" cell in each buyer's language.
    const csv = await call('consolidation.exportChanges', { roundId, stage: 'planned', format: 'csv' })
    const rows = Buffer.from(csv.dataBase64, 'base64').toString('utf8').replace(/^\uFEFF/, '').trim().split('\r\n').map((r) => r.split(';'))
    expect(rows[0]!.slice(-2)).toEqual(['Davon aus der Bestellung', 'Davon aus der Toleranz'])
    expect(rows.slice(1).map((r) => [r[0], r[7], ...r.slice(-2)])).toEqual([
      ['A', '6', '4', '2'],
      ['C', '3', '1', '2']
    ])
    const pdf = await call('consolidation.exportChanges', { roundId, stage: 'planned', format: 'pdf' })
    const path = join(temp.dir, 'notice.pdf')
    writeFileSync(path, Buffer.from(pdf.dataBase64, 'base64'))
    const text = (page: number) => execFileSync('pdftotext', ['-layout', '-f', String(page), '-l', String(page), path, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ')
    expect(text(1)).toContain('4 + 2 Toleranz')
    expect(text(2)).toContain('1 + 2 de tolerancia')
    expect(text(2)).not.toContain('Toleranz ')

    // An override beyond what was ordered counts its extra units as tolerance: A 5 = 4 + 1; cut to 3, nothing from the tolerance.
    const lineOf = async (name: string) => (await call('consolidation.lines', { roundId, productId })).find((l) => l.buyerName === name)!
    await call('consolidation.override', { lineId: (await lineOf('A')).lineId, granted: 5, reason: 'Test' })
    await call('consolidation.override', { lineId: (await lineOf('B')).lineId, granted: 2, reason: 'Test' })
    expect(split(await call('consolidation.lines', { roundId, productId }))).toEqual({ A: [5, 4, 1], B: [2, 2, 0], C: [3, 1, 2] })
  })

  it('re-allocates after a short confirmation and a breakage on arrival, and tells each buyer why', async () => {
    await call('rounds.setStatus', { id: roundId, status: 'closed' })
    const po = (await call('purchaseOrders.create', { roundId }))[0]!
    await call('purchaseOrders.setStatus', { id: po.id, status: 'sent' })
    await call('purchaseOrders.recordQuantities', { purchaseOrderId: po.id, lines: [{ productId, confirmedUnits: 10 }] })
    expect(await grantedBy('confirmed')).toEqual({ A: 6, B: 3, C: 1 })
    await call('purchaseOrders.recordQuantities', { purchaseOrderId: po.id, lines: [{ productId, receivedUnits: 10, brokenUnits: 4 }] })
    expect(await grantedBy('received')).toEqual({ A: 4, B: 2, C: 0 })

    const changes = await call('consolidation.changes', { roundId, stage: 'received' })
    expect(changes.map((b) => [b.buyerName, b.language, b.changes.map((x) => [x.ordered, x.allocated, x.reason])])).toEqual([
      ['B', 'de', [[3, 2, 'breakage']]],
      ['C', 'es', [[1, 0, 'breakage']]]
    ])
    const planned = await call('consolidation.changes', { roundId, stage: 'planned' })
    expect(planned.map((b) => [b.buyerName, b.changes.map((x) => x.reason)])).toEqual([
      ['A', ['tolerance_used']],
      ['C', ['tolerance_used']]
    ])
  })

  it('a sent order set back to draft and refreshed keeps the quantities recorded on it', async () => {
    await call('rounds.setStatus', { id: roundId, status: 'closed' })
    const po = (await call('purchaseOrders.create', { roundId }))[0]!
    await call('purchaseOrders.setStatus', { id: po.id, status: 'sent' })
    await call('purchaseOrders.recordQuantities', { purchaseOrderId: po.id, lines: [{ productId, confirmedUnits: 10 }] })
    await call('purchaseOrders.setStatus', { id: po.id, status: 'draft' })
    const again = (await call('purchaseOrders.create', { roundId }))[0]!
    expect(again.id).toBe(po.id)
    const row = session.requireWorkspace().db.prepare('SELECT units, confirmed_units FROM purchase_order_line WHERE purchase_order_id = ?').get(po.id)
    expect(row).toEqual({ units: 12, confirmed_units: 10 })
    expect(await grantedBy('confirmed')).toEqual({ A: 6, B: 3, C: 1 })
  })

  it('cuts pro rata by largest remainder when the round says so', async () => {
    await call('consolidation.setPolicy', { roundId, roundingPolicy: 'tolerance_fill', cutStrategy: 'pro_rata' })
    await call('rounds.setStatus', { id: roundId, status: 'closed' })
    const po = (await call('purchaseOrders.create', { roundId }))[0]!
    // 6 units for orders of 4, 3, 1: shares 3, 2.25, 0.75 → 3, 2, 1.
    await call('purchaseOrders.recordQuantities', { purchaseOrderId: po.id, lines: [{ productId, confirmedUnits: 6 }] })
    expect(await grantedBy('confirmed')).toEqual({ A: 3, B: 2, C: 1 })
    // 10 units: everyone their order, the 2 extra over tolerances 2 and 3 (0.8 and 1.2) → A 1, C 1.
    await call('purchaseOrders.recordQuantities', { purchaseOrderId: po.id, lines: [{ productId, confirmedUnits: 10 }] })
    expect(await grantedBy('confirmed')).toEqual({ A: 5, B: 3, C: 2 })
  })

  it('keeps a coordinator override visible with its reason, and stores the computed result', async () => {
    const lineC = (await call('consolidation.lines', { roundId, productId })).find((l) => l.buyerName === 'C')!
    await call('consolidation.override', { lineId: lineC.lineId, granted: 1, reason: 'C hat nur 1 bestellt' })
    const after = await call('consolidation.get', { roundId })
    // The summary carries the lines of a product with an override.
    const overridden = after.products[0]!.lines.find((l) => l.buyerName === 'C')
    expect(overridden).toMatchObject({ computed: 3, granted: 1, override: { granted: 1, reason: 'C hat nur 1 bestellt' } })
    expect(after.products[0]!.surplus).toBe(2)
    const changes = await call('consolidation.changes', { roundId, stage: 'planned' })
    expect(changes.find((b) => b.buyerName === 'C')).toBeUndefined()
    const run = await call('consolidation.run', { roundId, stage: 'planned' })
    expect(run.lines).toBe(3)
    const stored = session.requireWorkspace().db.prepare(`SELECT granted FROM allocation WHERE line_id = ? AND stage = 'planned'`).get(lineC.lineId)
    expect(stored).toEqual({ granted: 3 })
    expect((await fail('consolidation.override', { lineId: lineC.lineId, granted: 1, reason: '' })).code).toBe('validation')
  })

  it('creates a numbered purchase order whose payment terms add up to the total, with an immutable number', async () => {
    expect((await fail('purchaseOrders.create', { roundId })).code).toBe('round.transition')
    await call('rounds.setStatus', { id: roundId, status: 'closed' })
    const po = (await call('purchaseOrders.create', { roundId, incoterm: 'FCA', incotermPlace: 'Buenos Aires' }))[0]!
    expect(po).toMatchObject({ number: 'PO-2026-0001', status: 'draft', currency: 'EUR', totalMinor: 1332, lines: 1 })
    const db = session.requireWorkspace().db
    // 60 % and 40 % of 13.32: 7.992 and 5.328 → 7.99 and 5.33, together exactly 13.32.
    expect(db.prepare('SELECT label, share_bp, amount_minor FROM payment_due ORDER BY position').all()).toEqual([
      { label: 'before_shipping', share_bp: 6000, amount_minor: 799 },
      { label: 'after_arrival', share_bp: 4000, amount_minor: 533 }
    ])
    expect(() => db.prepare(`UPDATE purchase_order SET number = 'PO-2026-0099'`).run()).toThrow(/immutable/)
    // Refreshing the draft keeps its number; a second round's order gets the next one.
    const again = await call('purchaseOrders.create', { roundId })
    expect(again[0]!.number).toBe('PO-2026-0001')
    expect((await fail('purchaseOrders.setStatus', { id: po.id, status: 'confirmed' })).code).toBe('round.transition')
  })

  it('books surplus into stock once, with its origin', async () => {
    await call('rounds.setStatus', { id: roundId, status: 'closed' })
    const po = (await call('purchaseOrders.create', { roundId }))[0]!
    await call('purchaseOrders.recordQuantities', { purchaseOrderId: po.id, lines: [{ productId, confirmedUnits: 14, receivedUnits: 14 }] })
    // 14 arrived for 8 ordered + 5 tolerance: 1 to stock.
    expect(await call('stock.bookSurplus', { roundId, stage: 'received' })).toEqual([{ productId, units: 1 }])
    expect(await call('stock.bookSurplus', { roundId, stage: 'received' })).toEqual([])
    const stock = await call('stock.list')
    expect(stock).toEqual([
      { productId, sku: 'LH-YM500', nameEs: 'Yerba mate 500 g', stepMilli: 1000, nameDe: null, nameEn: null, units: 1, landedPerUnitMilli: null, valueMinor: null, currency: 'EUR', origins: [{ roundId, roundName: 'Test', units: 1 }] }
    ])
    expect(() => session.requireWorkspace().db.prepare('DELETE FROM stock_movement').run()).toThrow(/append-only/)
  })

  it('refuses breakage larger than what arrived, and writes nothing', async () => {
    await call('rounds.setStatus', { id: roundId, status: 'closed' })
    const po = (await call('purchaseOrders.create', { roundId }))[0]!
    const err = await fail('purchaseOrders.recordQuantities', { purchaseOrderId: po.id, lines: [{ productId, receivedUnits: 3, brokenUnits: 4 }] })
    expect(err).toMatchObject({ code: 'validation', params: { fields: { 'lines.0.brokenUnits': { code: 'too_large' } } } })
    const row = session.requireWorkspace().db.prepare('SELECT received_units, broken_units FROM purchase_order_line').get()
    expect(row).toEqual({ received_units: null, broken_units: 0 })
  })
})

describe('the round’s rounding policy', () => {
  const db = () => session.requireWorkspace().db
  const stored = () => db().prepare('SELECT rounding_policy AS policy, threshold_bp AS bp, cut_strategy AS cut, updated_at AS at FROM round WHERE id = ?').get(roundId)
  const product = async () => (await call('consolidation.get', { roundId })).products[0]!

  /** 8 ordered in cases of 6: one full case and a leftover of 2, a third of a case (33 %). */
  it('rounds by the saved threshold percentage: up from 25 %, cut at 50 %', async () => {
    await call('consolidation.setPolicy', { roundId, roundingPolicy: 'threshold', thresholdPercent: 25, cutStrategy: 'first_come' })
    expect(stored()).toMatchObject({ policy: 'threshold', bp: 2500, cut: 'first_come' })
    const c = await call('consolidation.get', { roundId })
    expect(c.roundingPolicy).toEqual({ kind: 'threshold', thresholdBp: 2500 })
    expect(c.thresholdBp).toBe(2500)
    // 33 % ≥ 25 %: two cases, everyone gets what they ordered and A and C their tolerance (4 extra).
    expect(await product()).toMatchObject({ cases: 2, available: 12, cut: 0, policyOverridden: false, policy: { kind: 'threshold', thresholdBp: 2500 } })

    await call('consolidation.setPolicy', { roundId, roundingPolicy: 'threshold', thresholdPercent: 50, cutStrategy: 'pro_rata' })
    expect(stored()).toMatchObject({ policy: 'threshold', bp: 5000, cut: 'pro_rata' })
    // 33 % < 50 %: one case, 2 of the 8 ordered units are cut.
    expect(await product()).toMatchObject({ cases: 1, available: 6, cut: 2, policy: { kind: 'threshold', thresholdBp: 5000 } })
  })

  it('keeps the round’s percentage while another policy is chosen, and a product without its own follows the round', async () => {
    await call('consolidation.setPolicy', { roundId, roundingPolicy: 'threshold', thresholdPercent: 40, cutStrategy: 'first_come' })
    await call('consolidation.setPolicy', { roundId, roundingPolicy: 'always_up', cutStrategy: 'first_come' })
    expect(stored()).toMatchObject({ policy: 'always_up', bp: 4000 })
    const c = await call('consolidation.get', { roundId })
    expect([c.roundingPolicy, c.thresholdBp]).toEqual([{ kind: 'always_up' }, 4000])
    await call('consolidation.setPolicy', { roundId, roundingPolicy: 'exact', thresholdPercent: null, cutStrategy: 'first_come' })
    expect(stored()).toMatchObject({ policy: 'exact', bp: 4000 })
    expect(await product()).toMatchObject({ cases: 0, available: 8 })
  })

  it('refuses a threshold without a valid whole percentage, and an unknown round, writing nothing', async () => {
    await call('consolidation.setPolicy', { roundId, roundingPolicy: 'threshold', thresholdPercent: 25, cutStrategy: 'first_come' })
    const before = stored()
    for (const [thresholdPercent, code] of [
      [150, 'percent'],
      [-1, 'percent'],
      [33.5, 'percent'],
      ['zwanzig', 'percent'],
      [null, 'required'],
      [undefined, 'required']
    ] as const) {
      const err = await fail('consolidation.setPolicy', { roundId, roundingPolicy: 'threshold', thresholdPercent, cutStrategy: 'pro_rata' })
      expect(err).toMatchObject({ code: 'validation', params: { fields: { thresholdPercent: { code } } } })
    }
    // A bad percentage is refused with another policy too, rather than stored for later.
    expect(await fail('consolidation.setPolicy', { roundId, roundingPolicy: 'always_up', thresholdPercent: 101, cutStrategy: 'pro_rata' })).toMatchObject({
      code: 'validation',
      params: { fields: { thresholdPercent: { code: 'percent' } } }
    })
    const unknown = '00000000-0000-4000-8000-999999999999'
    expect(await fail('consolidation.setPolicy', { roundId: unknown, roundingPolicy: 'threshold', thresholdPercent: 30, cutStrategy: 'first_come' })).toMatchObject({
      code: 'record.not_found'
    })
    expect(stored()).toEqual(before)
    expect(await product()).toMatchObject({ cases: 2, policy: { kind: 'threshold', thresholdBp: 2500 } })
  })
})

describe('a product’s own rounding policy', () => {
  const product = async () => (await call('consolidation.get', { roundId })).products.find((p) => p.productId === productId)!

  it('overrides the round’s policy for one product, shows it, and goes back to the round’s', async () => {
    // The round fills cases by tolerance: 8 ordered + 5 tolerance in cases of 6 → 2 cases.
    expect(await product()).toMatchObject({ cases: 2, policyOverridden: false, policy: { kind: 'tolerance_fill' } })
    // Rounding up from half a case: the leftover 2 of 6 (33 %) is not enough → 1 case, 2 units cut.
    await call('consolidation.setProductPolicy', { roundId, productId, roundingPolicy: 'threshold', thresholdPercent: 50 })
    expect(await product()).toMatchObject({ cases: 1, available: 6, cut: 2, policyOverridden: true, policy: { kind: 'threshold', thresholdBp: 5000 } })
    // From 30 % it is → 2 cases again, 4 surplus units for nobody but stock.
    await call('consolidation.setProductPolicy', { roundId, productId, roundingPolicy: 'threshold', thresholdPercent: 30 })
    expect(await product()).toMatchObject({ cases: 2, policyOverridden: true, policy: { kind: 'threshold', thresholdBp: 3000 } })
    await call('consolidation.setProductPolicy', { roundId, productId, roundingPolicy: 'exact', thresholdPercent: null })
    expect(await product()).toMatchObject({ cases: 0, available: 8, cut: 0, policy: { kind: 'exact' } })
    // The round's own policy is untouched, and null brings the product back to it.
    expect((await call('consolidation.get', { roundId })).roundingPolicy).toEqual({ kind: 'tolerance_fill' })
    await call('consolidation.setProductPolicy', { roundId, productId, roundingPolicy: null, thresholdPercent: null })
    expect(await product()).toMatchObject({ cases: 2, policyOverridden: false, policy: { kind: 'tolerance_fill' } })
  })

  it('refuses a threshold outside 0–100 % or not whole, and an unknown round, writing nothing', async () => {
    const rows = () => session.requireWorkspace().db.prepare('SELECT rounding_policy, threshold_bp FROM round_product').all()
    const before = rows()
    for (const [thresholdPercent, code] of [
      [150, 'percent'],
      [-1, 'percent'],
      [33.5, 'percent'],
      [null, 'required']
    ] as const) {
      const err = await fail('consolidation.setProductPolicy', { roundId, productId, roundingPolicy: 'threshold', thresholdPercent })
      expect(err).toMatchObject({ code: 'validation', params: { fields: { thresholdPercent: { code } } } })
    }
    const unknown = '00000000-0000-4000-8000-999999999999'
    expect(await fail('consolidation.setProductPolicy', { roundId: unknown, productId, roundingPolicy: 'exact' })).toMatchObject({
      code: 'record.not_found'
    })
    expect(rows()).toEqual(before)
  })
})

describe('changing a purchase order while it is a draft', () => {
  let poId: string
  const db = () => session.requireWorkspace().db
  const dues = () =>
    db()
      .prepare('SELECT position, label, share_bp, amount_minor, due_date FROM payment_due WHERE purchase_order_id = ? AND deleted_at IS NULL ORDER BY position')
      .all(poId)
  const snapshot = () => ({
    po: db().prepare('SELECT language, status, updated_at FROM purchase_order WHERE id = ?').get(poId),
    dues: db().prepare('SELECT * FROM payment_due WHERE purchase_order_id = ? ORDER BY position').all(poId)
  })

  beforeEach(async () => {
    await call('rounds.setStatus', { id: roundId, status: 'closed' })
    poId = (await call('purchaseOrders.create', { roundId }))[0]!.id
  })

  it('sets the language and new terms, splitting the total afresh so the amounts add up to it exactly', async () => {
    expect((await call('purchaseOrders.get', { id: poId })).language).toBe('es')
    const result = await call('purchaseOrders.update', {
      id: poId,
      language: 'de',
      terms: [
        { label: 'on_order', sharePercent: 33, dueDate: '2026-04-01' },
        { label: 'before_shipping', sharePercent: 33, dueDate: null },
        { label: 'after_arrival', sharePercent: 34 }
      ]
    })
    expect(result).toMatchObject({ id: poId, status: 'draft', language: 'de', totalMinor: 1332 })
    // 33 %, 33 %, 34 % of 13.32 = 4.3956, 4.3956, 4.5288 → 4.39, 4.39, 4.52 and 2 cents left over,
    // which go to the largest remainders (0.88, then the first 0.56): 4.40, 4.39, 4.53.
    expect(dues()).toEqual([
      { position: 0, label: 'on_order', share_bp: 3300, amount_minor: 440, due_date: '2026-04-01' },
      { position: 1, label: 'before_shipping', share_bp: 3300, amount_minor: 439, due_date: null },
      { position: 2, label: 'after_arrival', share_bp: 3400, amount_minor: 453, due_date: null }
    ])
    const doc = await call('purchaseOrders.get', { id: poId })
    expect(doc.language).toBe('de')
    expect(doc.payments.reduce((a, p) => a + p.amountMinor, 0)).toBe(doc.totals.valueMinor)
    // Refreshing the drafts from the consolidation keeps what the coordinator set.
    await call('purchaseOrders.create', { roundId })
    expect((await call('purchaseOrders.get', { id: poId })).language).toBe('de')
    expect(dues().map((d) => (d as { amount_minor: number }).amount_minor)).toEqual([440, 439, 453])
    // No terms at all is allowed too: the order states none.
    await call('purchaseOrders.update', { id: poId, language: 'en', terms: [] })
    expect(dues()).toEqual([])
  })

  it('refuses a sent order with a translated error and changes nothing; back at draft it can be changed again', async () => {
    await call('purchaseOrders.setStatus', { id: poId, status: 'sent' })
    const before = snapshot()
    const err = await fail('purchaseOrders.update', { id: poId, language: 'de', terms: [{ label: 'on_order', sharePercent: 100 }] })
    expect(err).toEqual({ code: 'purchaseOrder.not_draft', params: { number: 'PO-2026-0001' } })
    expect(snapshot()).toEqual(before)
    await call('purchaseOrders.setStatus', { id: poId, status: 'draft' })
    await call('purchaseOrders.update', { id: poId, language: 'de', terms: [{ label: 'on_order', sharePercent: 100 }] })
    expect(dues()).toEqual([{ position: 0, label: 'on_order', share_bp: 10000, amount_minor: 1332, due_date: null }])
  })

  it('rejects invalid input field by field and writes nothing', async () => {
    const before = snapshot()
    const fields = async (input: Record<string, unknown>) => {
      const err = await fail('purchaseOrders.update', { id: poId, language: 'de', ...input })
      expect(err.code).toBe('validation')
      return (err.params as { fields: Record<string, unknown> }).fields
    }
    const half = (sharePercent: number) => ({ label: 'before_shipping', sharePercent })
    expect(await fields({ terms: [half(50), half(40)] })).toEqual({ terms: { code: 'share_sum', params: { sum: 90 } } })
    expect(await fields({ language: 'fr', terms: [half(100)] })).toEqual({ language: { code: 'language' } })
    expect(await fields({ terms: [half(50.5), half(49.5)] })).toMatchObject({ 'terms.0.sharePercent': { code: 'percent' } })
    expect(await fields({ terms: [half(150), half(-50)] })).toMatchObject({ 'terms.0.sharePercent': { code: 'percent' }, 'terms.1.sharePercent': { code: 'percent' } })
    expect(await fields({ terms: [{ ...half(100), dueDate: '2026-02-30' }] })).toEqual({ 'terms.0.dueDate': { code: 'date' } })
    expect(await fields({ terms: [{ label: 'someday', sharePercent: 100 }] })).toEqual({ 'terms.0.label': { code: 'invalid' } })
    expect(await fields({ terms: undefined })).toEqual({ terms: { code: 'required' } })
    expect(snapshot()).toEqual(before)
    const unknown = '00000000-0000-4000-8000-999999999999'
    expect((await fail('purchaseOrders.update', { id: unknown, language: 'de', terms: [] })).code).toBe('record.not_found')
  })
})

describe('what the supplier and product forms set', () => {
  const laHoja = (extra: Partial<Input<'suppliers.save'>>) => call('suppliers.save', { id: supplierId, ...LA_HOJA, ...extra })
  const product = (extra: Partial<Input<'products.save'>>) => call('products.save', { id: productId, supplierId, ...YERBA, ...extra })

  it('the purchase order of a cooperative that ships through an exporter of record goes to the exporter', async () => {
    const exporter = await call('suppliers.save', { name: 'Federación Exportadora', country: 'AR', exporterOfRecord: true })
    await laHoja({ exporterId: exporter.id })
    const c = await call('consolidation.get', { roundId })
    expect(c.suppliers[0]!.orderTo).toEqual({ id: exporter.id, name: 'Federación Exportadora' })
    await call('rounds.setStatus', { id: roundId, status: 'closed' })
    const pos = await call('purchaseOrders.create', { roundId })
    expect(pos.map((p) => [p.supplierId, p.supplierName, p.totalMinor])).toEqual([[exporter.id, 'Federación Exportadora', 1332]])
  })

  it('a supplier minimum order value: below it, “warn” only marks the order, “hold” holds it back', async () => {
    // Two cases of 6 at 1.11 EUR: 13.32 EUR.
    await laHoja({ minOrderValue: '13,33', minOrderCurrency: 'EUR', minOrderAction: 'warn' })
    let c = await call('consolidation.get', { roundId })
    expect(c.suppliers[0]).toMatchObject({ minOrderMinor: 1333, belowMinimum: true, held: false })
    expect(c.products[0]).toMatchObject({ cases: 2, held: false })
    await laHoja({ minOrderValue: '13,33', minOrderCurrency: 'EUR', minOrderAction: 'hold' })
    c = await call('consolidation.get', { roundId })
    expect(c.suppliers[0]).toMatchObject({ belowMinimum: true, held: true })
    expect(c.products[0]).toMatchObject({ cases: 0, held: true })
    await laHoja({ minOrderValue: '13,32', minOrderCurrency: 'EUR', minOrderAction: 'hold' })
    c = await call('consolidation.get', { roundId })
    expect(c.suppliers[0]).toMatchObject({ belowMinimum: false, held: false })
  })

  it('a product minimum in cases: below it, “hold” holds the product back', async () => {
    await product({ minOrderCases: 3, minOrderAction: 'warn' })
    expect((await call('consolidation.get', { roundId })).products[0]).toMatchObject({ cases: 2, belowMinimum: true, held: false })
    const saved = await product({ minOrderCases: 3, minOrderAction: 'hold' })
    expect(saved).toMatchObject({ minOrderCases: 3, minOrderAction: 'hold' })
    expect((await call('consolidation.get', { roundId })).products[0]).toMatchObject({ cases: 0, belowMinimum: true, held: true })
  })
})

describe('case filling as food co-ops know it', () => {
  /** Only A orders: B and C take their lines back. */
  const onlyA = async (quantity: number, tolerance: number) => {
    await call('orders.setLines', { roundId, buyerId: buyers.B!, lines: [{ productId, quantity: 0, tolerance: 0 }] })
    await call('orders.setLines', { roundId, buyerId: buyers.C!, lines: [{ productId, quantity: 0, tolerance: 0 }] })
    await call('orders.setLines', { roundId, buyerId: buyers.A!, lines: [{ productId, quantity, tolerance }] })
  }
  const figures = async () => {
    const p = (await call('consolidation.get', { roundId })).products[0]!
    const fill = (await call('rounds.caseFill', { roundId })).find((f) => f.productId === productId)!
    return { cases: p.cases, consolidation: p.missingToNextCase, entry: fill.missing, policy: fill.policy }
  }
  const policy = (roundingPolicy: 'tolerance_fill' | 'threshold' | 'always_up') =>
    call('consolidation.setPolicy', { roundId, roundingPolicy, thresholdPercent: roundingPolicy === 'threshold' ? 50 : null, cutStrategy: 'first_come' })

  it('counts the tolerance toward the case under tolerance_fill only: case of 6, 4 ordered + 2 tolerance', async () => {
    await onlyA(4, 2)
    await policy('tolerance_fill')
    // 4 + 2 = 6 fill the case: it is ordered and nothing is missing, in the consolidation and the order entry alike.
    expect(await figures()).toEqual({ cases: 1, consolidation: 0, entry: 0, policy: 'tolerance_fill' })
    // Threshold 50 %: 4 of 6 (67 %) orders the case, but 6 − 4 = 2 units are still missing to fill it.
    await policy('threshold')
    expect(await figures()).toEqual({ cases: 1, consolidation: 2, entry: 2, policy: 'threshold' })
    await policy('always_up')
    expect(await figures()).toEqual({ cases: 1, consolidation: 2, entry: 2, policy: 'always_up' })
    // A product's own policy wins over the round's, in the order entry too.
    await call('consolidation.setProductPolicy', { roundId, productId, roundingPolicy: 'tolerance_fill' })
    expect(await figures()).toEqual({ cases: 1, consolidation: 0, entry: 0, policy: 'tolerance_fill' })
    await call('consolidation.setProductPolicy', { roundId, productId, roundingPolicy: null })
    expect(await figures()).toEqual({ cases: 1, consolidation: 2, entry: 2, policy: 'always_up' })
  })

  it('under tolerance_fill a tolerance short of the case leaves the rest missing: 4 + 1 of 6 → 1 missing', async () => {
    await onlyA(4, 1)
    await policy('tolerance_fill')
    expect(await figures()).toEqual({ cases: 0, consolidation: 1, entry: 1, policy: 'tolerance_fill' })
    // Whole cases ordered: nothing missing, whatever the tolerance (12 + 3).
    await onlyA(12, 3)
    expect(await figures()).toEqual({ cases: 2, consolidation: 0, entry: 0, policy: 'tolerance_fill' })
  })

  it('the tolerance can reach a product minimum: minimum 10 cases of 1, 9 ordered + 1 tolerance → 10 ordered', async () => {
    await call('products.save', { id: productId, supplierId, ...YERBA, caseUnits: '1', minOrderCases: 10, minOrderAction: 'hold' })
    await onlyA(9, 1)
    const get = async () => (await call('consolidation.get', { roundId })).products[0]!
    expect(await get()).toMatchObject({ cases: 10, available: 10, belowMinimum: false, held: false })
    expect(await grantedBy()).toEqual({ A: 10 })
    // Without the tolerance the 9 stay below the minimum and are held.
    await onlyA(9, 0)
    expect(await get()).toMatchObject({ cases: 0, available: 0, belowMinimum: true, held: true })
    // The tolerance reaches the minimum whichever policy decides the cases (here always_up: 9 cases by itself).
    await onlyA(9, 1)
    await policy('always_up')
    expect(await get()).toMatchObject({ cases: 10, available: 10, belowMinimum: false, held: false })
    // Tolerance beyond the minimum adds nothing: 9 + 5 → the minimum of 10.
    await onlyA(9, 5)
    expect(await get()).toMatchObject({ cases: 10, available: 10, held: false })
  })
})

describe('extra units to stock, and distribution by hand', () => {
  const db = () => session.requireWorkspace().db
  /** Closes the round and sends its one purchase order (12 units: 2 cases of 6). */
  const ordered = async () => {
    await call('rounds.setStatus', { id: roundId, status: 'closed' })
    const po = (await call('purchaseOrders.create', { roundId }))[0]!
    await call('purchaseOrders.setStatus', { id: po.id, status: 'sent' })
    return po.id
  }
  const product = async (stage: 'planned' | 'confirmed' | 'received') => {
    const p = (await call('consolidation.get', { roundId, stage })).products[0]!
    return { available: p.available, surplus: p.surplus, unassigned: p.unassigned }
  }
  const lineOf = async (name: string) => (await call('consolidation.lines', { roundId, productId })).find((l) => l.buyerName === name)!.lineId

  it('on receipt, units beyond the orders go to the tolerances (default) or to stock, as the round says', async () => {
    const po = await ordered()
    // Before the cooperative confirms anything, extras to stock change nothing: the planned 12 (the
    // tolerances filled the second case) stand at every stage.
    await call('consolidation.setPolicy', { roundId, roundingPolicy: 'tolerance_fill', cutStrategy: 'first_come', extrasTo: 'stock' })
    expect(await grantedBy('confirmed')).toEqual({ A: 6, B: 3, C: 3 })
    expect(await grantedBy('received')).toEqual({ A: 6, B: 3, C: 3 })
    await call('consolidation.setPolicy', { roundId, roundingPolicy: 'tolerance_fill', cutStrategy: 'first_come', extrasTo: 'tolerance' })
    // Received 11 intact (8 ordered, 5 tolerance): the 3 extra units go first come to A's tolerance 2, then C 1.
    await call('purchaseOrders.recordQuantities', { purchaseOrderId: po, lines: [{ productId, confirmedUnits: 12, receivedUnits: 11 }] })
    expect(await grantedBy('received')).toEqual({ A: 6, B: 3, C: 2 })
    expect((await call('consolidation.get', { roundId })).extrasTo).toBe('tolerance')

    await call('consolidation.setPolicy', { roundId, roundingPolicy: 'tolerance_fill', cutStrategy: 'first_come', extrasTo: 'stock' })
    expect(db().prepare('SELECT extras_to FROM round').pluck().get()).toBe('stock')
    // To stock: everyone their order (A 4, B 3, C 1), the 3 extra units are surplus; confirmed 12: 4 surplus.
    expect(await grantedBy('received')).toEqual({ A: 4, B: 3, C: 1 })
    expect(await product('received')).toEqual({ available: 11, surplus: 3, unassigned: 3 })
    expect(await grantedBy('confirmed')).toEqual({ A: 4, B: 3, C: 1 })
    expect((await product('confirmed')).surplus).toBe(4)
    // The planned cases still count the tolerances (they are what filled the second case).
    expect(await grantedBy('planned')).toEqual({ A: 6, B: 3, C: 3 })
    // Nobody is told of a change: everyone gets what they ordered.
    expect(await call('consolidation.changes', { roundId, stage: 'received' })).toEqual([])
    expect(await call('stock.bookSurplus', { roundId, stage: 'received' })).toEqual([{ productId, units: 3 }])

    // Pro rata the same; short (7 intact of 11), the cut is as always: 7 over 4, 3, 1 → 3.5, 2.625, 0.875;
    // floors 3, 2, 0 leave 2 units for the largest remainders (C 0.875, B 0.625) → A 3, B 3, C 1.
    await call('consolidation.setPolicy', { roundId, roundingPolicy: 'tolerance_fill', cutStrategy: 'pro_rata' })
    expect(db().prepare('SELECT extras_to FROM round').pluck().get()).toBe('stock')
    expect(await grantedBy('received')).toEqual({ A: 4, B: 3, C: 1 })
    await call('purchaseOrders.recordQuantities', { purchaseOrderId: po, lines: [{ productId, receivedUnits: 11, brokenUnits: 4 }] })
    expect(await grantedBy('received')).toEqual({ A: 3, B: 3, C: 1 })
    expect((await fail('consolidation.setPolicy', { roundId, roundingPolicy: 'exact', cutStrategy: 'pro_rata', extrasTo: 'shelf' })).code).toBe('validation')
  })

  it('manual distribution: everyone gets what they ordered until set by hand, and the view says what is over or still to distribute', async () => {
    await call('consolidation.setPolicy', { roundId, roundingPolicy: 'tolerance_fill', cutStrategy: 'pro_rata' })
    await call('consolidation.setPolicy', { roundId, roundingPolicy: 'tolerance_fill', cutStrategy: 'manual' })
    // Manual is a flag beside the stored strategy, which stays as it was.
    expect(db().prepare('SELECT cut_strategy, manual_cut FROM round').get()).toEqual({ cut_strategy: 'pro_rata', manual_cut: 1 })
    expect((await call('consolidation.get', { roundId })).cutStrategy).toBe('manual')
    // Planned: 12 units (2 cases), 8 handed out as ordered, 4 still to distribute (no tolerance is used by itself).
    expect(await grantedBy('planned')).toEqual({ A: 4, B: 3, C: 1 })
    expect(await product('planned')).toEqual({ available: 12, surplus: 4, unassigned: 4 })
    const lines = async () => call('consolidation.lines', { roundId, stage: 'planned', productId })
    // Nothing is cut by the app: every ordered unit is handed out.
    expect((await call('consolidation.get', { roundId })).products.find((p) => p.productId === productId)!.cut).toBe(0)
    expect((await lines()).length).toBe(3)
    // The coordinator gives B 1 of its 3: 2 ordered units are cut, by hand.
    await call('consolidation.override', { lineId: await lineOf('B'), granted: 1, reason: 'B bekommt weniger' })
    expect((await call('consolidation.get', { roundId })).products.find((p) => p.productId === productId)!.cut).toBe(2)
    await call('consolidation.clearOverride', { lineId: await lineOf('B') })

    // Over-distributed at the planned stage (A 10 + B 3 + C 1 = 14 of 12): no purchase order, nothing into stock.
    await call('consolidation.override', { lineId: await lineOf('A'), granted: 10, reason: 'A nimmt den Rest' })
    expect(await product('planned')).toEqual({ available: 12, surplus: 0, unassigned: -2 })
    await call('rounds.setStatus', { id: roundId, status: 'closed' })
    expect(await fail('purchaseOrders.create', { roundId })).toMatchObject({ code: 'consolidation.over_distributed', params: { count: 1, products: 'LH-YM500 (2)' } })
    expect(db().prepare('SELECT count(*) FROM purchase_order').pluck().get()).toBe(0)
    expect((await fail('stock.bookSurplus', { roundId, stage: 'planned' })).code).toBe('consolidation.over_distributed')
    // Nor can the round be marked as ordered.
    expect((await fail('rounds.setStatus', { id: roundId, status: 'ordered' })).code).toBe('consolidation.over_distributed')
    expect(db().prepare('SELECT status FROM round').pluck().get()).toBe('closed')
    await call('consolidation.clearOverride', { lineId: await lineOf('A') })

    const po = (await call('purchaseOrders.create', { roundId }))[0]!.id
    await call('purchaseOrders.setStatus', { id: po, status: 'sent' })
    // The cooperative confirms 6: still everyone their order (8), 2 too many distributed.
    await call('purchaseOrders.recordQuantities', { purchaseOrderId: po, lines: [{ productId, confirmedUnits: 6 }] })
    expect(await grantedBy('confirmed')).toEqual({ A: 4, B: 3, C: 1 })
    expect(await product('confirmed')).toEqual({ available: 6, surplus: 0, unassigned: -2 })
    expect((await fail('stock.bookSurplus', { roundId, stage: 'confirmed' })).code).toBe('consolidation.over_distributed')
    // By hand: A 3, B 2 (C keeps 1) hands out exactly the 6; then C 0 leaves 1 to distribute.
    await call('consolidation.override', { lineId: await lineOf('A'), granted: 3, reason: 'Knapp' })
    await call('consolidation.override', { lineId: await lineOf('B'), granted: 2, reason: 'Knapp' })
    expect(await grantedBy('confirmed')).toEqual({ A: 3, B: 2, C: 1 })
    expect(await product('confirmed')).toEqual({ available: 6, surplus: 0, unassigned: 0 })
    await call('consolidation.override', { lineId: await lineOf('C'), granted: 0, reason: 'Knapp' })
    expect(await product('confirmed')).toEqual({ available: 6, surplus: 1, unassigned: 1 })

    // Back to an automatic strategy: the flag goes, the chosen strategy is stored.
    await call('consolidation.setPolicy', { roundId, roundingPolicy: 'tolerance_fill', cutStrategy: 'first_come' })
    expect(db().prepare('SELECT cut_strategy, manual_cut FROM round').get()).toEqual({ cut_strategy: 'first_come', manual_cut: 0 })
  })
})

describe('the summary view', () => {
  it('gives the same figures per product as the full per-line consolidation, for both cut strategies (demo round)', async () => {
    const demoTemp = tempSession({ prefix: 'puente-cons-demo-' })
    const ws = await demoTemp.session.openDemo()
    const round = (ws.db.prepare('SELECT id FROM round').get() as { id: string }).id
    for (const cut of ['first_come', 'pro_rata', 'manual']) {
      if (cut === 'manual') ws.db.prepare('UPDATE round SET manual_cut = 1').run()
      else ws.db.prepare('UPDATE round SET cut_strategy = ?').run(cut)
      const figures = (c: ReturnType<typeof consolidate>) =>
        c.products.map((p) => [p.sku, p.quantity, p.tolerance, p.cases, p.available, p.cut, p.surplus, p.overAllocated, p.unassigned])
      const full = consolidate(ws, round, 'planned', 'all')
      const summary = consolidate(ws, round, 'planned', 'summary')
      expect(figures(summary)).toEqual(figures(full))
      expect(full.products.length).toBeGreaterThan(10)
      expect(summary.products.every((p) => p.lines.length === 0 && !p.linesIncluded)).toBe(true)
      // And every product's lines on their own add up to what the full run gives them.
      for (const p of full.products.slice(0, 5)) {
        const one = consolidate(ws, round, 'planned', { productId: p.productId }).products.find((x) => x.productId === p.productId)!
        expect(one.lines.map((l) => [l.lineId, l.granted]).sort()).toEqual(p.lines.map((l) => [l.lineId, l.granted]).sort())
      }
    }
    demoTemp.dispose()
  })
})
