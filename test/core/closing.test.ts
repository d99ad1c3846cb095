import { spawnSync } from 'node:child_process'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Session } from '../../src/core/app/session.ts'
import { api } from '../support/api.ts'
import { artefactPath } from '../support/artefacts.ts'
import { frozenEnv } from '../support/env.ts'
import { type TempSession, tempSession } from '../support/workspace.ts'

/**
 * A whole round from orders to closing (issue 12), every figure worked out by hand:
 *
 * - La Hoja sells yerba mate 1 kg at 3,00 USD a bag (10 a case), solidarity 0,25 EUR a bag; Chilavert sells
 *   books at 4,00 EUR (20 a case), solidarity 0,10 USD a copy. USD → EUR 0,90 (the round's and the
 *   customs rate). Round prices (net): yerba 6,00 €, books 7,00 € (both 7 % VAT).
 * - Kornblume orders 15 bags and 12 books, Ruhr 10 bags and 8 books. Rounding always up: 30 bags (3
 *   cases, 90,00 USD) and 20 books (one case, 80,00 EUR). One bag arrives broken: 29 bags for 25 ordered,
 *   4 go to stock.
 * - Landed cost: the yerba's shipment 90 USD × 0,90 = 81,00 € + 30,00 € freight = 111,00 € (3,70 € a bag,
 *   broken one included); the books' 80,00 € + 20,00 € freight = 100,00 €. Duty 0 %, import VAT deducted.
 * - Deposits (50 % of the gross ordered value, whole euros down): Kornblume 174,00 + 7 % = 186,18 → 93,00 €;
 *   Ruhr 116,00 + 8,12 = 124,12 → 62,00 €.
 * - Invoices: Kornblume 15 × 6,00 + 12 × 7,00 = 174,00 + 12,18 VAT + shipping 10,00 + 1,90 VAT
 *   (19 %) = 198,08 €, less 93,00 = 105,08 € due; Ruhr 10 × 6,00 + 8 × 7,00 = 116,00 + 8,12 = 124,12 €,
 *   less 62,00 = 62,12 € due. Ruhr pays 70,00 €: 7,88 € to its credit, refunded.
 * - The exporter: 45 USD paid for 41,50 € and 45 USD for 40,00 € (81,50 € for goods booked at 81,00 €: an
 *   exchange difference of −0,50 €); Chilavert 80,00 € for 80,00 €.
 * - Result = 290,00 goods + 4 × 3,70 = 14,80 stock − 211,00 landed − 0,50 = 93,30 €. Contributions: La Hoja
 *   25 × 0,25 = 6,25 €; Chilavert 20 × 0,10 USD = 2,00 USD × 0,90 = 1,80 €; 8,05 € in all. Reserve
 *   93,30 − 8,05 = 85,25 €. Contributions on the stock (4 × 0,25 = 1,00 €) fall due when it is sold.
 */

let temp: TempSession
let session: Session
const { call, fail } = api(() => session)
const db = () => session.requireWorkspace().db

interface Scene {
  roundId: string
  kornblume: string
  ruhr: string
  yerbaOrder: { id: string; number: string }
  booksOrder: { id: string; number: string }
}

async function scene(): Promise<Scene> {
  temp = tempSession({ prefix: 'puente-closing-', env: frozenEnv('2026-03-01T09:00:01Z', { step: 1000 }) })
  session = temp.session
  await temp.create('closing.puente')
  await call('settings.save', {
    name: 'Solidarische Importe e.V.',
    street: 'Gärtnerstraße 12',
    postalCode: '10245',
    city: 'Berlin',
    country: 'DE',
    taxNumber: '27/659/51234',
    vatId: 'DE123456788',
    iban: 'DE89 3704 0044 0532 0130 00',
    bic: 'COBADEFFXXX',
    email: 'koordination@solidarische-importe.example',
    smallBusiness: false,
    vatRegistered: true,
    defaultLanguage: 'de',
    defaultCurrency: 'EUR'
  })
  await call('reference.saveExchangeRate', { base: 'USD', quote: 'EUR', rate: '0,90', validOn: '2026-02-01' })
  const laHoja = (await call('suppliers.save', { name: 'Cooperativa de Trabajo La Hoja Ltda.', shortName: 'La Hoja', country: 'AR', iban: 'DE02 1203 0000 0000 2020 51', bankName: 'DKB' })).id
  const chilavert = (await call('suppliers.save', { name: 'Cooperativa Chilavert Artes Gráficas Ltda.', shortName: 'Chilavert', country: 'AR' })).id
  const yerba = (
    await call('products.save', {
      supplierId: laHoja,
      sku: 'YM-1K',
      nameEs: 'Yerba mate 1 kg',
      nameDe: 'Mate-Tee 1 kg',
      salesUnit: 'bag',
      caseUnits: '10',
      grossKgPerCase: '10',
      volumeM3PerCase: '0.05',
      hsCode: '09030000',
      price: '3.00',
      currency: 'USD',
      vatClass: 'reduced',
      solidarity: '0.25',
      solidarityCurrency: 'EUR'
    })
  ).id
  const books = (
    await call('products.save', {
      supplierId: chilavert,
      sku: 'LI-240',
      nameEs: 'Libro 240 páginas',
      nameDe: 'Buch 240 Seiten',
      salesUnit: 'copy',
      caseUnits: '20',
      grossKgPerCase: '12.5',
      volumeM3PerCase: '0.05',
      hsCode: '49019900',
      price: '4.00',
      currency: 'EUR',
      vatClass: 'reduced',
      solidarity: '0.10',
      solidarityCurrency: 'USD'
    })
  ).id
  for (const cn of ['0903 00 00', '4901 99 00']) await call('landedCost.saveDutyRate', { cnCode: cn, validFrom: '2020-01-01', adValorem: '0' })
  const buyer = async (name: string, street: string) =>
    (await call('buyers.save', { name, type: 'group', street, postalCode: '10997', city: 'Berlin', country: 'DE', language: 'de', taxTreatment: 'domestic' })).id
  const kornblume = await buyer('Foodcoop Kornblume', 'Wrangelstraße 40')
  const ruhr = await buyer('Verteilknoten Ruhr', 'Rheinische Straße 1')
  const roundId = (
    await call('rounds.save', {
      name: 'Frühjahr 2026',
      opensAt: '2026-02-01T00:00',
      closesAt: '2026-12-01T00:00',
      timeZone: 'Europe/Berlin',
      currency: 'EUR',
      rateDate: '2026-02-01',
      supplierIds: [laHoja, chilavert]
    })
  ).id
  await call('rounds.setPrice', { roundId, productId: yerba, price: '6.00' })
  await call('rounds.setPrice', { roundId, productId: books, price: '7.00' })
  await call('rounds.setStatus', { id: roundId, status: 'open' })
  await call('orders.setLines', { roundId, buyerId: kornblume, lines: [{ productId: yerba, quantity: 15, tolerance: 0 }, { productId: books, quantity: 12, tolerance: 0 }] })
  await call('orders.setLines', { roundId, buyerId: ruhr, lines: [{ productId: yerba, quantity: 10, tolerance: 0 }, { productId: books, quantity: 8, tolerance: 0 }] })
  await call('rounds.setStatus', { id: roundId, status: 'closed' })
  await call('consolidation.setPolicy', { roundId, roundingPolicy: 'always_up', thresholdPercent: 50, cutStrategy: 'first_come' })

  // Deposits when the round closes for orders.
  const deposits = await call('invoices.requestDeposits', { roundId, sharePercent: 50 })
  expect(deposits.issued.map((d) => [d.buyerName, d.grossMinor])).toEqual([
    ['Foodcoop Kornblume', 9300],
    ['Verteilknoten Ruhr', 6200]
  ])

  const orders = await call('purchaseOrders.create', { roundId, incoterm: 'FOB', incotermPlace: 'Buenos Aires' })
  const yerbaOrder = orders.find((o) => o.supplierId === laHoja)!
  const booksOrder = orders.find((o) => o.supplierId === chilavert)!
  expect([yerbaOrder.currency, yerbaOrder.totalMinor, booksOrder.currency, booksOrder.totalMinor]).toEqual(['USD', 9000, 'EUR', 8000])
  for (const o of orders) await call('purchaseOrders.setStatus', { id: o.id, status: 'sent' })
  await call('rounds.setStatus', { id: roundId, status: 'ordered' })
  for (const [order, freight] of [
    [yerbaOrder, '30'],
    [booksOrder, '20']
  ] as const) {
    const shipment = await call('shipments.create', { roundId, purchaseOrderIds: [order.id], mode: 'sea_lcl' })
    await call('landedCost.saveCost', { shipmentId: shipment.id, name: 'Seefracht', amount: freight, currency: 'EUR', basis: 'value', stage: 'to_border' })
    await call('landedCost.store', { shipmentId: shipment.id })
  }
  await call('purchaseOrders.recordQuantities', { purchaseOrderId: yerbaOrder.id, lines: [{ productId: yerba, receivedUnits: 30, brokenUnits: 1 }] })
  await call('purchaseOrders.recordQuantities', { purchaseOrderId: booksOrder.id, lines: [{ productId: books, receivedUnits: 20 }] })
  await call('rounds.setStatus', { id: roundId, status: 'received' })
  await call('consolidation.run', { roundId, stage: 'received' })
  await call('stock.bookSurplus', { roundId, stage: 'received' })
  return { roundId, kornblume, ruhr, yerbaOrder, booksOrder }
}

/** Final invoices issued, every payment in, the refund out, the exporter paid. */
async function settle(s: Scene) {
  await call('invoices.prepareRound', { roundId: s.roundId })
  const drafts = await call('invoices.list', { roundId: s.roundId })
  const draftOf = (buyerId: string) => drafts.find((d) => d.buyerId === buyerId && d.kind === 'invoice' && d.status === 'draft')!
  await call('invoices.updateDraft', { id: draftOf(s.kornblume).id, shipping: '10,00', charges: [] })
  for (const buyerId of [s.kornblume, s.ruhr]) await call('invoices.issue', { id: draftOf(buyerId).id })
  const issued = await call('invoices.list', { roundId: s.roundId })
  const invoiceOf = (buyerId: string) => issued.find((d) => d.buyerId === buyerId && d.kind === 'invoice')!
  expect([invoiceOf(s.kornblume).grossMinor, invoiceOf(s.ruhr).grossMinor]).toEqual([19_808, 12_412])

  // Kornblume pays its deposit and the rest; Ruhr its deposit and 70,00 € for 62,12 € due.
  await call('payments.record', { buyerId: s.kornblume, direction: 'in', method: 'bank', amount: '93,00', paidOn: '2026-03-01' })
  await call('payments.record', { buyerId: s.kornblume, direction: 'in', method: 'bank', amount: '105,08', paidOn: '2026-03-01' })
  await call('payments.record', { buyerId: s.ruhr, direction: 'in', method: 'cash', amount: '62,00', paidOn: '2026-03-01' })
  await call('payments.record', { buyerId: s.ruhr, direction: 'in', method: 'cash', amount: '70,00', paidOn: '2026-03-01' })
  const balances = await call('payments.balances')
  expect(balances.map((b) => [b.buyerName, b.balanceMinor])).toEqual([
    ['Foodcoop Kornblume', 0],
    ['Verteilknoten Ruhr', -788]
  ])
  // A refund larger than the credit is refused, nothing booked; the right one settles Ruhr.
  expect(await fail('payments.record', { buyerId: s.ruhr, direction: 'out', method: 'bank', amount: '7,89', paidOn: '2026-03-01' })).toMatchObject({ code: 'payments.refund_too_large' })
  await call('payments.record', { buyerId: s.ruhr, direction: 'out', method: 'bank', amount: '7,88', paidOn: '2026-03-01' })

  // The exporter: the prepayment and the balance in dollars, with the euros they cost.
  const accounts = await call('supplierPayments.list', { roundId: s.roundId })
  const yerba = accounts.find((a) => a.purchaseOrderId === s.yerbaOrder.id)!
  expect([yerba.currency, yerba.dueMinor, yerba.openMinor]).toEqual(['USD', 9000, 9000])
  expect(await fail('supplierPayments.record', { purchaseOrderId: s.yerbaOrder.id, paidOn: '2026-02-10', amount: '45' })).toMatchObject({
    code: 'validation',
    params: { fields: { baseAmount: { code: 'required' } } }
  })
  await call('supplierPayments.record', { purchaseOrderId: s.yerbaOrder.id, paymentDueId: yerba.terms[0]?.id ?? null, paidOn: '2026-02-10', amount: '45', baseAmount: '41,50' })
  expect(await fail('supplierPayments.record', { purchaseOrderId: s.yerbaOrder.id, paidOn: '2026-03-01', amount: '45,01', baseAmount: '40' })).toMatchObject({
    code: 'supplierPayments.too_large'
  })
  await call('supplierPayments.record', { purchaseOrderId: s.yerbaOrder.id, paidOn: '2026-03-01', amount: '45', baseAmount: '40,00' })
  await call('supplierPayments.record', { purchaseOrderId: s.booksOrder.id, paidOn: '2026-03-01', amount: '80' })
  await call('rounds.setStatus', { id: s.roundId, status: 'invoiced' })
}

describe('a round from orders to closing', () => {
  let s: Scene
  beforeEach(async () => {
    s = await scene()
  })
  afterEach(() => temp.dispose())

  it('refuses to close while invoices, landed cost or the exporter’s payments are missing, naming them', async () => {
    const preview = await call('closing.get', { roundId: s.roundId })
    expect(preview.status).toBe('open')
    expect(preview.blockers.map((b) => b.code)).toEqual(['drafts', 'unpaid_orders'])
    expect(preview.blockers[0]!.params.buyers).toBe('Foodcoop Kornblume, Verteilknoten Ruhr')
    expect(preview.blockers[1]!.params.orders).toBe([s.yerbaOrder.number, s.booksOrder.number].sort().join(', '))
    expect(await fail('closing.close', { roundId: s.roundId, accept: true })).toMatchObject({ code: 'closing.drafts' })
    expect(db().prepare('SELECT count(*) FROM round_closing').pluck().get()).toBe(0)
  })

  it('works out the result, the contributions per cooperative and the reserve to the cent, and every sum adds up', async () => {
    await settle(s)
    const { figures: f, blockers, warnings } = await call('closing.get', { roundId: s.roundId })
    expect(blockers).toEqual([])
    expect(warnings).toEqual([])
    expect(f.goodsNetMinor).toBe(29_000)
    expect([f.shippingNetMinor, f.chargesNetMinor]).toEqual([1000, 0])
    expect(f.stock).toEqual([{ sku: 'YM-1K', name: 'Mate-Tee 1 kg', quantityMilli: 4000, unit: expect.any(String), valueMinor: 1480, contributionMinor: 100 }])
    expect(f.shipments.map((x) => [x.goodsMinor, x.landedMinor])).toEqual([
      [8100, 11_100],
      [8000, 10_000]
    ])
    expect(f.landedMinor).toBe(21_100)
    const exchange = f.exchange.map((e) => [e.purchaseOrderNumber, e.currency, e.paidMinor, e.paidBaseMinor, e.bookValueMinor, e.differenceMinor])
    expect(exchange).toHaveLength(2)
    expect(exchange).toContainEqual([s.yerbaOrder.number, 'USD', 9000, 8150, 8100, -50])
    expect(exchange).toContainEqual([s.booksOrder.number, 'EUR', 8000, 8000, 8000, 0])
    expect(f.exchangeDifferenceMinor).toBe(-50)
    expect(f.resultMinor).toBe(9330)
    expect(f.cooperatives.map((c) => [c.name, c.goodsNetMinor, c.contributionMinor, c.stockContributionMinor, c.bank.iban])).toEqual([
      ['La Hoja', 15_000, 625, 100, 'DE02120300000000202051'],
      ['Chilavert', 14_000, 180, 0, null]
    ])
    expect(f.cooperatives[1]!.products).toEqual([
      { sku: 'LI-240', name: 'Buch 240 Seiten', deliveredMilli: 20_000, unit: expect.any(String), perUnitMinor: 10, perUnitCurrency: 'USD', contributionMinor: 180 }
    ])
    expect([f.contributionsMinor, f.stockContributionsMinor, f.reserveMinor]).toEqual([805, 100, 8525])
    // Each sum adds up.
    expect(f.resultMinor).toBe(f.goodsNetMinor + f.stockValueMinor - f.landedMinor + f.exchangeDifferenceMinor)
    expect(f.resultMinor).toBe(f.contributionsMinor + f.reserveMinor)
    expect(f.cooperatives.reduce((a, c) => a + c.goodsNetMinor, 0)).toBe(f.goodsNetMinor)
    expect(f.groups.map((g) => [g.name, g.goodsNetMinor, g.grossMinor, g.receivedMinor, g.openMinor])).toEqual([
      ['Foodcoop Kornblume', 17_400, 19_808, 19_808, 0],
      ['Verteilknoten Ruhr', 11_600, 12_412, 12_412, 0]
    ])
    expect([f.invoicedGrossMinor, f.receivedMinor, f.refundedMinor]).toEqual([32_220, 32_220, 788])
    // Payments received (less the refund paid out) = the invoices' gross.
    const money = db().prepare("SELECT sum(CASE direction WHEN 'in' THEN amount_minor ELSE -amount_minor END) FROM payment").pluck().get()
    expect(money).toBe(f.invoicedGrossMinor)
  })

  it('closing keeps the figures and locks the round; reopening is an explicit step with its reason', async () => {
    await settle(s)
    const closed = await call('closing.close', { roundId: s.roundId })
    expect(closed.status).toBe('closed')
    expect(closed.figures.closedAt).not.toBeNull()
    expect(closed.figures.reserveMinor).toBe(8525)
    expect(db().prepare('SELECT status FROM round WHERE id = ?').pluck().get(s.roundId)).toBe('settled')
    expect(db().prepare('SELECT result_minor, contributions_minor, reserve_minor FROM round_closing WHERE deleted_at IS NULL').raw().get()).toEqual([9330, 805, 8525])

    // The contributions as a SEPA transfer file: La Hoja (IBAN) 6,25 €; Chilavert (no bank details) by hand.
    const file = await call('closing.contributionsFile', { roundId: s.roundId, executionDate: '2026-03-10' })
    const xml = Buffer.from(file.dataBase64, 'base64').toString('utf8')
    const valid = spawnSync('xmllint', ['--noout', '--schema', artefactPath('iso20022', 'pain.001.001.09.xsd'), '-'], { encoding: 'utf8', input: xml })
    expect([valid.status, valid.stderr.trim()]).toEqual([0, '- validates'])
    expect(xml).toContain('<IBAN>DE02120300000000202051</IBAN>')
    expect(xml).toContain('<InstdAmt Ccy="EUR">6.25</InstdAmt>')
    expect(xml).toContain('<CtrlSum>6.25</CtrlSum>')
    expect(xml).not.toContain('Chilavert')

    // Locked: in code, with a translated message…
    expect(await fail('supplierPayments.record', { purchaseOrderId: s.booksOrder.id, paidOn: '2026-03-02', amount: '1' })).toMatchObject({ code: 'round.locked' })
    expect(await fail('rounds.setStatus', { id: s.roundId, status: 'invoiced' })).toMatchObject({ code: 'round.use_closing' })
    expect(await fail('invoices.prepareRound', { roundId: s.roundId })).toMatchObject({ code: 'round.locked', params: { round: 'Frühjahr 2026' } })
    const locked = db().prepare('SELECT id FROM shipment WHERE round_id = ? ORDER BY number LIMIT 1').pluck().get(s.roundId) as string
    expect(await fail('landedCost.saveCost', { shipmentId: locked, name: 'Nachtrag', amount: '1', currency: 'EUR', basis: 'value', stage: 'other' })).toMatchObject({ code: 'round.locked' })
    expect(await fail('landedCost.store', { shipmentId: locked })).toMatchObject({ code: 'round.locked' })
    const issued = db().prepare("SELECT id FROM invoice WHERE kind = 'invoice' AND status = 'issued' LIMIT 1").pluck().get() as string
    expect(await fail('invoices.credit', { id: issued, reason: 'Probe' })).toMatchObject({ code: 'round.locked' })
    expect(await fail('closing.close', { roundId: s.roundId })).toMatchObject({ code: 'closing.already_closed' })
    expect(await fail('closing.reopen', { roundId: s.roundId, reason: ' ' })).toMatchObject({ code: 'validation' })
    // …and in the database, whatever code asks.
    const invoice = db().prepare("SELECT id FROM invoice WHERE kind = 'invoice' LIMIT 1").pluck().get() as string
    expect(() =>
      db()
        .prepare("INSERT INTO invoice (id, kind, round_id, buyer_id, currency, created_at, updated_at) VALUES ('x', 'invoice', ?, ?, 'EUR', 'now', 'now')")
        .run(s.roundId, s.kornblume)
    ).toThrow(/round is closed/)
    expect(() => db().prepare("UPDATE cost_line SET amount_minor = 1 WHERE shipment_id IN (SELECT id FROM shipment WHERE round_id = ?)").run(s.roundId)).toThrow(/round is closed/)
    expect(invoice).toBeTruthy()

    // Reopening needs a reason; it is kept with the close.
    expect(await fail('closing.reopen', { roundId: s.roundId, reason: ' ' })).toMatchObject({ code: 'validation' })
    const reopened = await call('closing.reopen', { roundId: s.roundId, reason: 'Frachtrechnung kam nachträglich' })
    expect(reopened.status).toBe('open')
    expect(reopened.events.map((e) => [e.action, e.reason])).toEqual([
      ['reopen', 'Frachtrechnung kam nachträglich'],
      ['close', null]
    ])
    expect(db().prepare('SELECT status FROM round WHERE id = ?').pluck().get(s.roundId)).toBe('invoiced')
    expect(db().prepare('SELECT count(*) FROM round_closing WHERE deleted_at IS NULL').pluck().get()).toBe(0)
    // The record of closes and reopens cannot be changed.
    expect(() => db().prepare("UPDATE round_closing_event SET reason = 'x'").run()).toThrow(/append-only/)
    // Open again: a late freight bill can be added, and closing again computes afresh.
    const shipment = db().prepare('SELECT id FROM shipment WHERE round_id = ? ORDER BY number LIMIT 1').pluck().get(s.roundId) as string
    await call('landedCost.saveCost', { shipmentId: shipment, name: 'Nachtrag Lager', amount: '3', currency: 'EUR', basis: 'value', stage: 'other' })
    await call('landedCost.store', { shipmentId: shipment })
    const again = await call('closing.close', { roundId: s.roundId })
    // 3,00 € more landed cost: result 90,30; the stock's 4 bags now 3,80 € each (+0,40): 90,70 €.
    expect([again.figures.landedMinor, again.figures.stockValueMinor, again.figures.resultMinor, again.figures.reserveMinor]).toEqual([21_400, 1520, 9070, 8265])
  })
})
