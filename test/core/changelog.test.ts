import { join } from 'node:path'
import { copyFileSync } from 'node:fs'
import { merkle, Timestamp } from '@actual-app/crdt'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { dispatch } from '../../src/core/api/dispatch.ts'
import { methods } from '../../src/core/api/map.ts'
import type { Session } from '../../src/core/app/session.ts'
import { applyChanges, applyEntries, changeCount, merkleTrie, readChanges, readEntries } from '../../src/core/db/changelog.ts'
import { loggedTables, tableInfo } from '../../src/core/db/tables.ts'
import { Workspace } from '../../src/core/db/workspace.ts'
import { LATEST_SCHEMA_VERSION } from '../../src/core/db/migrations/index.ts'
import type { Input, MethodName, Output } from '../../src/shared/api.ts'
import { CAMT_STATEMENT } from '../fixtures/statements.ts'
import { fixturePath } from '../support/fixtures.ts'
import { type TempSession, tempDir, tempSession } from '../support/workspace.ts'

/**
 * Every row of every table the change log covers, in key order: what "the same workspace" means. With
 * `withRowid`, each row's rowid too (the order rows were written in, which ties can depend on).
 */
function tables(db: Database.Database, withRowid = false): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {}
  for (const t of loggedTables(db)) out[t] = db.prepare(`SELECT ${withRowid ? 'rowid AS _rowid, ' : ''}* FROM ${t} ORDER BY ${tableInfo(db, t).key.join(', ')}`).all()
  return out
}

const OTHER_DEVICE = '0b0b0b0b-0000-4000-8000-00000000b0b0'

/** A new, empty workspace with every row of `source`'s log applied. */
async function replayInto(source: Workspace, dir: string, name = 'replayed.puente'): Promise<Workspace> {
  const target = await Workspace.open(join(dir, name), { create: true, deviceId: OTHER_DEVICE })
  const entries = readEntries(source.db)
  target.db.transaction(() => applyEntries(target.db, target.clock, entries))()
  return target
}

describe('the change log of every API mutation', () => {
  let temp: TempSession
  let session: Session
  const called = new Set<string>()
  const ws = () => session.requireWorkspace()
  const logSize = () => changeCount(ws().db)

  /** Calls a method and checks that it wrote to the change log (every mutation writes something here). */
  async function write<K extends MethodName>(method: K, input?: Input<K>): Promise<Output<K>> {
    const before = logSize()
    const r = await dispatch({ session }, method, input)
    if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r.error)}`)
    expect(logSize(), `${method} leaves messages in the change log`).toBeGreaterThan(before)
    called.add(method)
    return r.result as Output<K>
  }
  async function read<K extends MethodName>(method: K, input?: Input<K>): Promise<Output<K>> {
    const r = await dispatch({ session }, method, input)
    if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r.error)}`)
    return r.result as Output<K>
  }
  const id = (sql: string, ...params: unknown[]) => ws().db.prepare(sql).pluck().get(...params) as string

  beforeEach(async () => {
    temp = tempSession({ prefix: 'puente-log-' })
    session = temp.session
    await session.openDemo()
  })
  afterEach(() => temp.dispose())

  it('every mutation of the demo leaves messages; replaying the log into an empty workspace gives identical tables', async () => {
    // The demo itself was written through the writer: its log already rebuilds it.
    expect(logSize()).toBeGreaterThan(1000)

    // Settings, with a logo (binary data in the log).
    const org = await read('settings.get')
    const PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=='
    await write('settings.save', { ...org, country: 'DE', name: 'Solidarische Importe Süd e.V.', logo: PNG })

    // Catalogue: a cooperative with contacts, changed, archived and back; a product; deletes.
    const coop = await write('suppliers.save', {
      name: 'Cooperativa Textil Nueva Esperanza',
      country: 'AR',
      code: 'NE',
      contacts: [{ name: 'Rosa', email: 'rosa@example.org' }, { name: 'Juan' }]
    })
    await write('suppliers.save', { id: coop.id, name: coop.name, country: 'AR', code: 'NE', city: 'Rosario', contacts: [{ name: 'Rosa', phone: '+54 341 555' }] })
    await write('suppliers.archive', { id: coop.id, archived: true })
    await write('suppliers.archive', { id: coop.id, archived: false })
    const towel = await write('products.save', {
      supplierId: coop.id,
      sku: 'NE-TOA',
      nameEs: 'Toalla de algodón',
      salesUnit: 'piece',
      caseUnits: '10',
      price: '4.50',
      currency: 'EUR',
      vatClass: 'standard'
    })
    await write('products.save', { supplierId: coop.id, id: towel.id, sku: 'NE-TOA', nameEs: 'Toalla de algodón', nameDe: 'Baumwollhandtuch', salesUnit: 'piece', caseUnits: '12', price: '4.80', currency: 'EUR', vatClass: 'standard' })
    await write('products.archive', { id: towel.id, archived: true })
    await write('products.delete', { id: towel.id })
    await write('suppliers.delete', { id: coop.id })

    // Buyers.
    const group = await write('buyers.save', { name: 'Foodcoop Löwenzahn', type: 'group', country: 'AT', language: 'de', taxTreatment: 'domestic', contacts: [{ name: 'Eva' }] })
    await write('buyers.save', { id: group.id, name: 'Foodcoop Löwenzahn Graz', type: 'group', country: 'AT', language: 'de', taxTreatment: 'domestic', contacts: [] })
    await write('buyers.archive', { id: group.id, archived: true })
    await write('buyers.delete', { id: group.id })

    // Reference data: a seeded rate changed (the seed row itself is updated), a new one removed.
    const seeded = (await read('reference.vatRates')).find((r) => r.country === 'DE' && r.class === 'reduced')!
    await write('reference.saveVatRate', { id: seeded.id, country: 'DE', class: 'reduced', rate: '7', validFrom: '1983-07-01', validTo: '2030-01-01' })
    const rate = await write('reference.saveVatRate', { country: 'FR', class: 'standard', rate: '20', validFrom: '2014-01-01' })
    await write('reference.deleteVatRate', { id: rate.id })
    const fx = await write('reference.saveExchangeRate', { base: 'USD', quote: 'EUR', rate: '0,9321', validOn: '2026-11-30', source: 'BCE' })
    await write('reference.deleteExchangeRate', { id: fx.id })

    // A second round: saved, suppliers taken out and back in, priced, a price set by hand, opened.
    const demoRound = (await read('rounds.list', {})).rows[0]!
    const suppliers = (await read('rounds.get', { id: demoRound.id })).supplierIds
    const times = { opensAt: '2026-11-01T09:00', closesAt: '2030-12-20T18:00', timeZone: 'Europe/Berlin', currency: 'EUR' as const }
    const spring = await write('rounds.save', { name: 'Frühjahr', ...times, supplierIds: suppliers.slice(0, 3) })
    await write('rounds.save', { id: spring.id, name: 'Frühjahr 2027', ...times, supplierIds: suppliers.slice(1, 3) })
    await write('rounds.save', { id: spring.id, name: 'Frühjahr 2027', ...times, supplierIds: suppliers.slice(0, 3) })
    await write('rounds.calculatePrices', { roundId: spring.id })
    const someProduct = (await read('rounds.prices', { roundId: spring.id }))[0]!
    await write('rounds.setPrice', { roundId: spring.id, productId: someProduct.productId, price: '9.99', blocked: true, blockReason: 'Cosecha tardía' })
    await write('rounds.setStatus', { id: spring.id, status: 'open' })

    // Orders in the demo round, typed and imported; a price list imported.
    const kornblume = id(`SELECT id FROM buyer WHERE name = 'Foodcoop Kornblume'`)
    const lh500 = id(`SELECT id FROM product WHERE sku = 'LH-YM500'`)
    const kOrder = await write('orders.setLines', { roundId: demoRound.id, buyerId: kornblume, lines: [{ productId: lh500, quantity: 7, tolerance: 2 }] })
    await write('orders.setReceivedAt', { orderId: kOrder.orderId!, receivedAt: new Date(Date.now() - 3_600_000).toISOString(), reason: 'Papierbestellung von gestern' })
    const csv = (text: string) => Buffer.from(text, 'utf8')
    await write('orders.importApply', {
      roundId: demoRound.id,
      fileName: 'bestellung.csv',
      data: csv('Käufer;Art.-Nr.;Menge;Toleranz\r\nWeltladen Connewitz;LH-YM500;5;1\r\n')
    })
    await write('catalogue.importApply', {
      supplierId: id(`SELECT id FROM supplier WHERE code = 'LH'`),
      fileName: 'lista.csv',
      data: csv('Código;Nombre;Precio;Moneda;Unidades por caja;Unidad\r\nLH-YMC500;Yerba mate compuesta 500 g;2,60;USD;20;bolsa\r\n')
    })

    // Consolidation of the demo round, purchase orders, quantities, stock.
    await write('rounds.setStatus', { id: demoRound.id, status: 'closed' })
    await write('consolidation.setPolicy', { roundId: demoRound.id, roundingPolicy: 'threshold', thresholdPercent: 40, cutStrategy: 'pro_rata' })
    await write('consolidation.setProductPolicy', { roundId: demoRound.id, productId: lh500, roundingPolicy: 'always_up' })
    await write('consolidation.run', { roundId: demoRound.id, stage: 'planned' })
    const line = (await read('consolidation.lines', { roundId: demoRound.id, stage: 'planned', productId: lh500 }))[0]!
    await write('consolidation.override', { lineId: line.lineId, granted: 1, reason: 'Probe für den Markt' })
    await write('consolidation.override', { lineId: line.lineId, granted: 2, reason: 'Doch zwei' })
    await write('consolidation.clearOverride', { lineId: line.lineId })
    const orders = await write('purchaseOrders.create', { roundId: demoRound.id, incoterm: 'FCA', incotermPlace: 'Buenos Aires' })
    const po = orders.find((o) => o.lines > 1)!
    await write('purchaseOrders.update', { id: po.id, language: 'de', terms: [{ label: 'on_order', sharePercent: 100, dueDate: '2026-12-15' }] })
    await write('purchaseOrders.setStatus', { id: po.id, status: 'sent' })
    await write('purchaseOrders.setStatus', { id: po.id, status: 'draft' })
    await write('purchaseOrders.create', { roundId: demoRound.id, incoterm: 'FOB', incotermPlace: 'Rosario' })
    await write('purchaseOrders.setStatus', { id: po.id, status: 'sent' })
    await write('purchaseOrders.setStatus', { id: po.id, status: 'confirmed' })
    const doc = await read('purchaseOrders.get', { id: po.id })
    await write('purchaseOrders.recordQuantities', {
      purchaseOrderId: po.id,
      lines: doc.lines.map((l, i) => ({ productId: l.productId, confirmedUnits: l.units, receivedUnits: l.units + (i === 0 ? 50 : 0), brokenUnits: i === 0 ? 1 : 0 }))
    })
    await write('stock.bookSurplus', { roundId: demoRound.id, stage: 'received' })

    // A shipment of the confirmed order: timeline, lines, packages and a pallet, duty rates, costs, landed cost.
    const shipment = await write('shipments.create', { roundId: demoRound.id, purchaseOrderIds: [po.id], mode: 'sea_lcl' })
    await write('shipments.update', { id: shipment.id, mode: 'air', incoterm: 'FCA', incotermPlace: 'Ezeiza', marks: 'SOLI/2026-1/001' })
    await write('shipments.setStatus', { id: shipment.id, status: 'booked', onDay: '2026-12-01', note: 'Cargo Sur' })
    await write('shipments.setLines', { id: shipment.id, lines: [{ lineId: shipment.lines[0]!.id, units: Math.max(1, shipment.lines[0]!.units - 1) }] })
    const packages = await write('shipments.generatePackages', { shipmentId: shipment.id })
    await write('shipments.savePackage', { id: packages[0]!.id, kind: 'CT', lengthCm: '40', widthCm: '30', heightCm: '25', grossKg: '11' })
    const withPallet = await write('shipments.addPallet', { shipmentId: shipment.id, packageIds: [packages[0]!.id], lengthCm: '120', widthCm: '80', heightCm: '100', tareKg: '25' })
    await write('shipments.removePallet', { id: withPallet.at(-1)!.id })
    const duty = await write('landedCost.saveDutyRate', { cnCode: '9999 99 99', validFrom: '2020-01-01', adValorem: '5' })
    await write('landedCost.deleteDutyRate', { id: duty.id })
    const freight = await write('landedCost.saveCost', { shipmentId: shipment.id, name: 'Luftfracht', amount: '400', currency: 'EUR', basis: 'chargeable', stage: 'to_border' })
    await write('landedCost.saveCost', { shipmentId: shipment.id, name: 'Zollagent', amount: '80', currency: 'EUR', basis: 'value', stage: 'other' })
    await write('landedCost.store', { shipmentId: shipment.id })
    await write('landedCost.deleteCost', { id: freight.id })

    // Invoices: settings, deposits and one paid, drafts, one issued and credited, one draft removed.
    await write('invoices.saveSettings', { shippingVat: 'split', depositPercent: 40, paymentDays: 10 })
    const deposits = await write('invoices.requestDeposits', { roundId: demoRound.id, sharePercent: 40 })
    await write('invoices.recordDeposit', { invoiceId: deposits.issued[0]!.id, amount: '10', paidOn: '2026-12-01' })
    await write('invoices.prepareRound', { roundId: demoRound.id })
    const drafts = (await read('invoices.list', { roundId: demoRound.id })).filter((r) => r.status === 'draft')
    await write('invoices.updateDraft', { id: drafts[0]!.id, shipping: '8,50', charges: [{ description: 'Pfand', amount: '2', vatClass: 'standard' }], notes: 'Danke' })
    const invoice = await write('invoices.issue', { id: drafts[0]!.id })
    await write('invoices.credit', { id: invoice.id, reason: 'Falsche Menge' })
    await write('invoices.deleteDraft', { id: drafts[1]!.id })
    // Distribution day: the credited buyer's new invoice issued, a line ticked with a unit missing, and the credit it proposes.
    const newDraft = (await read('invoices.list', { roundId: demoRound.id })).find((r) => r.status === 'draft' && r.buyerId === invoice.buyerId)!
    await write('invoices.issue', { id: newDraft.id })
    const tickLine = (await read('distribution.checklist', { roundId: demoRound.id })).buyers.find((b) => b.buyerId === invoice.buyerId)!.lines[0]!
    await write('distribution.check', { lineId: tickLine.lineId, ticked: true, counted: tickLine.steps - 1, missing: 1, damaged: 0, note: 'Ein Beutel fehlte' })
    await write('distribution.proposeCredit', { roundId: demoRound.id, buyerId: invoice.buyerId })
    // A bank statement imported and matched (a job), and the payment it could not match, matched by hand.
    await write('payments.importStatement', { fileName: 'auszug.xml', data: new TextEncoder().encode(CAMT_STATEMENT) })
    const unmatched = (await read('payments.list')).find((p) => p.direction === 'in' && p.buyerId === null)!
    await write('payments.allocate', { paymentId: unmatched.id, buyerId: deposits.issued[0]!.buyerId, invoiceIds: [] })
    // Cash at the hub beyond what is open (the buyer's credit), and part of that credit refunded.
    await write('payments.record', { buyerId: deposits.issued[0]!.buyerId, direction: 'in', method: 'cash', amount: '500', paidOn: '2026-12-02' })
    await write('payments.record', { buyerId: deposits.issued[0]!.buyerId, direction: 'out', method: 'bank', amount: '1', paidOn: '2026-12-03', note: 'Rückzahlung' })
    // The exporter paid in the order's currency with the euros it cost; one entered by mistake removed.
    const account = (await read('supplierPayments.list', { roundId: demoRound.id })).find((a) => a.purchaseOrderId === po.id)!
    const paid = await write('supplierPayments.record', { purchaseOrderId: po.id, paymentDueId: account.terms[0]!.id, paidOn: '2026-12-01', amount: '10', baseAmount: '9,20' })
    await write('supplierPayments.delete', { id: paid.id })
    await write('supplierPayments.record', { purchaseOrderId: po.id, paidOn: '2026-12-01', amount: '10', baseAmount: '9,20', note: 'Anzahlung' })
    // The second round, with nothing ordered, moved on to received, closed and reopened.
    for (const status of ['closed', 'ordered', 'received'] as const) await write('rounds.setStatus', { id: spring.id, status })
    await write('closing.close', { roundId: spring.id })
    await write('closing.reopen', { roundId: spring.id, reason: 'Nachtrag' })

    // Number series.
    await write('numbering.setFormat', { series: 'purchase_order', format: 'BE-{yy}-{nnnnn}' })
    await write('numbering.setPrefix', { prefix: 'K' })

    // Every mutation of the API was called above (a new one must be added here).
    const mutations = Object.entries(methods).filter(([, m]) => m.kind === 'mutation').map(([name]) => name)
    expect(mutations.filter((m) => !called.has(m))).toEqual([])

    // Replayed into an empty workspace made on another laptop: the same rows, table by table.
    const source = ws()
    const target = await replayInto(source, temp.dir)
    try {
      const a = tables(source.db)
      const b = tables(target.db)
      expect(Object.keys(b)).toEqual(Object.keys(a))
      for (const t of Object.keys(a)) expect(b[t], t).toEqual(a[t])
      // Not empty by accident: the tables that matter hold what the scenario wrote.
      for (const t of ['organisation', 'supplier', 'product', 'order_line', 'quantity_log', 'purchase_order', 'purchase_order_line', 'payment_due', 'allocation', 'allocation_override', 'stock_movement', 'issued_number', 'device', 'number_counter', 'contact', 'round_supplier', 'order_received_change', 'invoice', 'invoice_line', 'invoice_file', 'payment', 'payment_allocation', 'bank_statement', 'distribution_check'])
        expect(a[t]!.length, t).toBeGreaterThan(0)
      // The replayed workspace holds the same log (entry by entry, message by message) and the same merkle trie.
      expect(readEntries(target.db)).toEqual(readEntries(source.db))
      expect(readChanges(target.db)).toEqual(readChanges(source.db))
      expect(merkleTrie(target.db)).toEqual(merkleTrie(source.db))
      // Applying the same log again changes nothing.
      const again = target.db.transaction(() => applyChanges(target.db, target.clock, readChanges(source.db)))()
      expect(again).toBe(0)
      expect(tables(target.db)).toEqual(a)
    } finally {
      target.close()
    }
  })

  it('a mutation that fails after writing leaves no change-log rows and no merkle change', async () => {
    const db = ws().db
    const before = { log: logSize(), merkle: db.prepare('SELECT * FROM change_merkle ORDER BY minute').all(), tables: tables(db) }
    // The supplier row is written and logged first, then its contact is refused.
    db.exec(`CREATE TRIGGER refuse_contact BEFORE INSERT ON contact BEGIN SELECT RAISE(ABORT, 'refused by test'); END`)
    vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const r = await dispatch({ session }, 'suppliers.save', { name: 'Cooperativa Nueva', country: 'AR', contacts: [{ name: 'Ana' }] })
    expect(r.ok).toBe(false)
    expect(logSize()).toBe(before.log)
    expect(db.prepare('SELECT * FROM change_merkle ORDER BY minute').all()).toEqual(before.merkle)
    expect(tables(db)).toEqual(before.tables)
  })
})

describe('the hybrid logical clock', () => {
  let dir: string
  let ws: Workspace
  beforeEach(async () => {
    dir = tempDir('puente-hlc-')
    ws = await Workspace.open(join(dir, 'clock.puente'), { create: true, deviceId: '7e57c10c-0000-4000-8000-000000000001' })
  })
  afterEach(() => {
    vi.restoreAllMocks()
    ws.close()
  })
  const newest = (db = ws.db) => db.prepare('SELECT max(ts) FROM change_log').pluck().get() as string
  const addRate = (w = ws) =>
    w.db.transaction(() => w.write.insert('exchange_rate', { id: w.env.uuid(), base: 'USD', quote: 'EUR', rate_e8: 93_000_000, valid_on: '2026-12-01' }))()

  it('stays monotonic when the wall clock jumps back (an hour, a year) and follows it when it runs ahead again', () => {
    let wall = Date.parse('2026-12-06T10:00:00.000Z')
    vi.spyOn(Date, 'now').mockImplementation(() => wall)
    addRate()
    const first = newest()
    expect(first.startsWith('2026-12-06T10:00:00.000Z-')).toBe(true)
    wall -= 3_600_000
    addRate()
    const second = newest()
    expect(second > first).toBe(true)
    // Still the logical time of the first change, one count further: not the earlier wall time.
    expect(Timestamp.parse(second)!.millis()).toBe(Date.parse('2026-12-06T10:00:00.000Z'))
    wall -= 365 * 86_400_000
    addRate()
    const third = newest()
    expect(third > second).toBe(true)
    wall = Date.parse('2026-12-07T08:00:00.000Z')
    addRate()
    const fourth = newest()
    expect(fourth > third).toBe(true)
    expect(fourth.startsWith('2026-12-07T08:00:00.000Z-0000-')).toBe(true)
    // The stamp ends with the device: the last 16 hex digits of its id.
    expect(fourth.slice(-16)).toBe('8000000000000001')
  })

  it('gives 70,000 stamps in one millisecond, distinct and increasing (past the counter of 65,536)', () => {
    vi.spyOn(Date, 'now').mockImplementation(() => Date.parse('2026-12-06T10:00:00.000Z'))
    const stamps = ws.clock.next(70_000)
    const texts = stamps.map((s) => s.text)
    expect(new Set(texts).size).toBe(70_000)
    for (let i = 1; i < texts.length; i++) if (!(texts[i]! > texts[i - 1]!)) throw new Error(`not increasing at ${i}: ${texts[i - 1]} ${texts[i]}`)
    expect(stamps[0]!.ts.millis()).toBe(Date.parse('2026-12-06T10:00:00.000Z'))
    // The counter ran full once: the logical time moved on by one millisecond.
    expect(stamps[stamps.length - 1]!.ts.millis()).toBe(Date.parse('2026-12-06T10:00:00.001Z'))
    // Each stamp's text and hash are the library's own.
    for (const s of [stamps[0]!, stamps[65_535]!, stamps[65_536]!, stamps[69_999]!]) {
      expect(s.text).toBe(s.ts.toString())
      expect(s.hash).toBe(s.ts.hash())
    }
  })

  it('a bulk write is one entry: 70,000 rows under one stamp, six messages each', () => {
    const rows = Array.from({ length: 70_000 }, (_, i) => ({ id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, country: 'DE', class: 'zero', rate_bp: 0, valid_from: '2026-01-01' }))
    const before = ws.db.prepare('SELECT count(*) FROM change_log').pluck().get() as number
    ws.db.transaction(() => ws.write.insertMany('vat_rate', rows))()
    expect(ws.db.prepare('SELECT count(*) FROM change_log').pluck().get()).toBe(before + 1)
    expect(ws.db.prepare(`SELECT count(*) FROM vat_rate WHERE class = 'zero' AND rate_bp = 0`).pluck().get()).toBe(70_000)
    // Six messages per row: country, class, rate_bp, valid_from, created_at, updated_at (valid_to stays NULL, its default).
    const messages = readChanges(ws.db).filter((m) => m.table === 'vat_rate')
    expect(messages).toHaveLength(70_000 * 6)
    expect(messages.slice(0, 6).map((m) => [m.row, m.column, m.value])).toEqual([
      ['00000000-0000-4000-8000-000000000000', 'class', 'zero'],
      ['00000000-0000-4000-8000-000000000000', 'country', 'DE'],
      ['00000000-0000-4000-8000-000000000000', 'created_at', expect.any(String)],
      ['00000000-0000-4000-8000-000000000000', 'rate_bp', 0],
      ['00000000-0000-4000-8000-000000000000', 'updated_at', expect.any(String)],
      ['00000000-0000-4000-8000-000000000000', 'valid_from', '2026-01-01']
    ])
  })

  it('two connections to one file never hand out the same stamp', async () => {
    const second = await Workspace.open(ws.path, { deviceId: '7e57c10c-0000-4000-8000-000000000001' })
    try {
      vi.spyOn(Date, 'now').mockImplementation(() => Date.parse('2026-12-06T10:00:00.000Z'))
      for (let i = 0; i < 50; i++) addRate(i % 2 ? second : ws)
      const stamps = ws.db.prepare('SELECT DISTINCT ts FROM change_log ORDER BY ts').pluck().all() as string[]
      expect(stamps).toHaveLength(50)
      expect(new Set(stamps.map((s) => s.slice(0, 29))).size).toBe(50)
    } finally {
      second.close()
    }
  })

  it('keeps the merkle trie of its stamps, and two workspaces find the first minute one of them lacks', async () => {
    let wall = Date.parse('2026-12-06T10:00:00.000Z')
    vi.spyOn(Date, 'now').mockImplementation(() => wall)
    for (let i = 0; i < 30; i++) {
      addRate()
      wall += 20_000
    }
    // The trie built from the per-minute leaves is the trie of every stamp inserted one by one.
    const stamps = (ws.db.prepare('SELECT DISTINCT ts FROM change_log').pluck().all() as string[]).map((s) => Timestamp.parse(s)!)
    const oneByOne = stamps.reduce((t, s) => merkle.insert(t, s), merkle.emptyTrie())
    expect(merkleTrie(ws.db)).toEqual(oneByOne)

    const copyPath = join(dir, 'copy.puente')
    await ws.backupTo(copyPath)
    const copy = await Workspace.open(copyPath, { deviceId: OTHER_DEVICE })
    try {
      expect(merkle.diff(merkleTrie(ws.db), merkleTrie(copy.db))).toBeNull()
      wall += 3_600_000
      const firstMissing = wall
      addRate()
      addRate()
      const at = merkle.diff(merkleTrie(ws.db), merkleTrie(copy.db))
      expect(at).not.toBeNull()
      expect(at!).toBeLessThanOrEqual(firstMissing)
      // Everything the copy lacks is in the log from there on; applied, the two agree again.
      const missing = readChanges(ws.db, { after: new Date(at!).toISOString() }).filter((m) => Timestamp.parse(m.ts)!.millis() >= at!)
      copy.db.transaction(() => applyChanges(copy.db, copy.clock, missing))()
      expect(merkle.diff(merkleTrie(ws.db), merkleTrie(copy.db))).toBeNull()
      expect(tables(copy.db)).toEqual(tables(ws.db))
    } finally {
      copy.close()
    }
  })
})

describe('values through the writer and back through a replay', () => {
  it('text, numbers, NULL, binary data and a broken character come back the same (one row or many)', async () => {
    const dir = tempDir('puente-values-')
    const ws = await Workspace.open(join(dir, 'v.puente'), { create: true, deviceId: '7e57c10c-0000-4000-8000-000000000002' })
    try {
      const broken = 'Cooperativa \uD800 Sur' // a lone surrogate half, as a damaged file can bring it
      ws.db.transaction(() => {
        ws.write.insert('organisation', { id: ws.env.uuid(), name: broken, country: 'AR', logo: Buffer.from([0, 1, 2, 255]), logo_mime: 'image/png' })
        ws.write.insertMany(
          'supplier',
          [0, 1].map((i) => ({ id: ws.env.uuid(), name: `${broken} ${i}`, country: 'AR', notes: i ? null : 'Ñandú ✓', exporter_of_record: i }))
        )
      })()
      const names = ws.db.prepare('SELECT name FROM organisation UNION ALL SELECT name FROM supplier').pluck().all() as string[]
      expect(names.every((n) => n.includes('Cooperativa \uFFFD Sur'))).toBe(true)
      const target = await replayInto(ws, dir)
      try {
        expect(tables(target.db, true)).toEqual(tables(ws.db, true))
        expect(target.db.prepare('SELECT logo FROM organisation').pluck().get()).toEqual(Buffer.from([0, 1, 2, 255]))
      } finally {
        target.close()
      }
    } finally {
      ws.close()
    }
  })
})

describe('a workspace from before the change log (made by Puente at schema version 4)', () => {
  let dir: string
  const open: Workspace[] = []
  const copyOfFixture = (name: string) => {
    const path = join(dir, name)
    copyFileSync(fixturePath('workspace-v4.puente'), path)
    return path
  }
  const opened = async (path: string, deviceId: string) => {
    const ws = await Workspace.open(path, { deviceId })
    open.push(ws)
    return ws
  }
  beforeEach(() => {
    dir = tempDir('puente-v4-')
  })
  afterEach(() => {
    for (const ws of open.splice(0)) ws.close()
  })

  it('is migrated with a backup, keeps every row and its purchase order numbers', async () => {
    const path = copyOfFixture('old.puente')
    const before = new Database(path, { readonly: true })
    const lines = before.prepare('SELECT id, quantity, tolerance, first_at, last_at, log_entries FROM order_line ORDER BY id').all()
    const numbers = before.prepare('SELECT id, number FROM purchase_order ORDER BY number').all() as { id: string; number: string }[]
    const counter = before.prepare(`SELECT year, next FROM number_series WHERE series = 'PO'`).get() as { year: number; next: number }
    const rates = before.prepare(`SELECT country, class, rate_bp, valid_from, valid_to FROM vat_rate ORDER BY country, class, valid_from`).all()
    before.close()
    expect(numbers.length).toBe(6)

    const ws = await opened(path, '0a0a0a0a-0000-4000-8000-0000000000a1')
    expect(ws.migrationBackup).not.toBeNull()
    expect(ws.schemaVersion).toBe(LATEST_SCHEMA_VERSION)
    // The quantities kept by the trigger are what they were.
    expect(ws.db.prepare('SELECT id, quantity, tolerance, first_at, last_at, log_entries FROM order_line ORDER BY id').all()).toEqual(lines)
    // The seeded rates have the fixed ids every workspace has now, with the values this one had (one was edited).
    expect(ws.db.prepare(`SELECT country, class, rate_bp, valid_from, valid_to FROM vat_rate WHERE deleted_at IS NULL ORDER BY country, class, valid_from`).all()).toEqual(rates)
    expect(ws.db.prepare(`SELECT count(*) FROM vat_rate WHERE id LIKE '5eed0000-%'`).pluck().get()).toBe(9)
    // The purchase order numbers carry on, and every old number is registered.
    expect(ws.db.prepare('SELECT series, period, prefix, next FROM number_counter').all()).toEqual([
      { series: 'purchase_order', period: String(counter.year), prefix: '', next: counter.next }
    ])
    expect(ws.db.prepare('SELECT number, document_id AS id FROM issued_number ORDER BY number').all()).toEqual(numbers.map((n) => ({ number: n.number, id: n.id })))
  })

  it('its log rebuilds it: replayed into an empty workspace, the same rows in the same order (quantities not counted twice)', async () => {
    const ws = await opened(copyOfFixture('old.puente'), '0a0a0a0a-0000-4000-8000-0000000000a1')
    // The order lines are logged without the sums their quantity log keeps; replaying that log makes them.
    const logged = readChanges(ws.db).filter((m) => m.table === 'order_line').map((m) => m.column)
    expect(new Set(logged)).toEqual(new Set(['order_id', 'product_id', 'created_at', 'sub_buyer_id']))
    const target = await replayInto(ws, dir)
    open.push(target)
    expect(tables(target.db, true)).toEqual(tables(ws.db, true))
    // A cooperative ships through an exporter of record created after it: the order of the rows did not matter.
    expect(target.db.prepare('SELECT count(*) FROM supplier WHERE exporter_id IS NOT NULL').pluck().get()).toBeGreaterThan(0)
  })

  it('two copies migrated on two laptops take each other\'s logs: the same rows under other stamps change nothing', async () => {
    const a = await opened(copyOfFixture('a.puente'), '0a0a0a0a-0000-4000-8000-0000000000a1')
    const b = await opened(copyOfFixture('b.puente'), '0b0b0b0b-0000-4000-8000-0000000000b1')
    // The rows the migration itself made (the creator's device, the moved counter) carry the time of each
    // copy's migration: the later one wins there. Every other row stays exactly as it was.
    const madeByMigration = new Set(['device', 'number_counter'])
    const withoutMigrationTimes = (all: Record<string, unknown[]>) =>
      Object.fromEntries(
        Object.entries(all).map(([t, rows]) => [
          t,
          madeByMigration.has(t) ? rows.map((r) => ({ ...(r as Record<string, unknown>), created_at: null, updated_at: null })) : rows
        ])
      )
    const before = tables(b.db, true)
    const applied = b.db.transaction(() => applyEntries(b.db, b.clock, readEntries(a.db)))()
    expect(applied).toBe(readEntries(a.db).length)
    expect(withoutMigrationTimes(tables(b.db, true))).toEqual(withoutMigrationTimes(before))
    expect(before.order_line!.length).toBeGreaterThan(20)
    // Each now has both logs: the merkle tries agree once a has b's too.
    a.db.transaction(() => applyEntries(a.db, a.clock, readEntries(b.db)))()
    expect(merkle.diff(merkleTrie(a.db), merkleTrie(b.db))).toBeNull()
  })
})
