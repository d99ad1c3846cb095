import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { dispatch } from '../../src/core/api/dispatch.ts'
import { exchangeRateOn, vatRateOn } from '../../src/core/reference/reference.ts'
import type { Session } from '../../src/core/app/session.ts'
import type { ErrorPayload } from '../../src/shared/errors.ts'
import type { AppEvent } from '../../src/shared/events.ts'
import { fixturePath } from '../support/fixtures.ts'
import { RESOURCES, type TempSession, tempSession } from '../support/workspace.ts'

const csv = (path: string) =>
  parse(readFileSync(path, 'utf8'), { columns: true, skip_empty_lines: true, trim: true }) as Record<string, string>[]
const fixtureSuppliers = csv(fixturePath('suppliers.csv'))
const fixtureProducts = csv(fixturePath('products.csv'))
const demoCustoms = csv(join(RESOURCES, 'demo', 'customs.csv'))
const demoBuyers = JSON.parse(readFileSync(join(RESOURCES, 'demo', 'buyers.json'), 'utf8')) as {
  key: string
  name: string
  type: string
  hub?: string
}[]

/** "2.10" with 2 digits → 210, by string surgery (not through the code under test). */
function scaled(text: string, digits: number): number {
  const [int, frac = ''] = text.split('.') as [string, string?]
  return Number(int + frac.padEnd(digits, '0'))
}

interface Page<R> {
  rows: R[]
  total: number
}
interface SupplierRow {
  id: string
  code: string | null
  name: string
  country: string
  exporterOfRecord: boolean
  exporterId: string | null
  exporterName: string | null
  archived: boolean
  products: number
}
interface Contact {
  name: string | null
  email: string | null
  phone: string | null
  language: string | null
}
interface Supplier extends SupplierRow {
  cuit: string | null
  minOrderMinor: number | null
  minOrderCurrency: string | null
  minOrderAction: string
  contacts: Contact[]
  exportsFor: { id: string; name: string }[]
}
interface Product {
  id: string
  supplierId: string
  sku: string
  nameEs: string | null
  caseMilli: number
  priceMinor: number
  currency: string
  hsCode: string | null
  archived: boolean
}
interface Buyer {
  id: string
  name: string
  type: string
  street: string | null
  postalCode: string | null
  city: string | null
  country: string
  language: string
  vatId: string | null
  taxTreatment: string
  hubId: string | null
  deliveryPreference: string | null
  notes: string | null
  contacts: Contact[]
  members: { id: string; name: string }[]
}
interface VatRate {
  id: string
  country: string
  class: string
  rateBp: number
  validFrom: string
  validTo: string | null
}
interface ExchangeRate {
  id: string
  base: string
  quote: string
  rateE8: number
  validOn: string
  source: string | null
}

let temp: TempSession
let session: Session
let events: AppEvent[]

beforeEach(async () => {
  temp = tempSession({ prefix: 'puente-catalogue-' })
  session = temp.session
  events = []
  session.on((e) => events.push(e))
  await session.openDemo()
  events.length = 0
})

afterEach(() => temp.dispose())

const ws = () => session.requireWorkspace()
const db = () => ws().db

async function call<T>(method: string, input?: unknown): Promise<T> {
  const res = await dispatch({ session }, method, input)
  if (!res.ok) throw new Error(`${method} failed: ${JSON.stringify(res.error)}`)
  return res.result as T
}

async function fail(method: string, input: unknown): Promise<ErrorPayload & { params: Record<string, unknown> }> {
  const res = await dispatch({ session }, method, input)
  if (res.ok) throw new Error(`${method} should have failed, got ${JSON.stringify(res.result)}`)
  return { ...res.error, params: res.error.params ?? {} }
}

const TABLES = ['supplier', 'product', 'buyer', 'contact', 'vat_rate', 'exchange_rate', 'currency'] as const

/** Every row of the catalogue tables (deleted ones included) and the connection's change counter. */
function snapshot() {
  const rows: Record<string, unknown[]> = {}
  for (const t of TABLES) rows[t] = db().prepare(`SELECT * FROM ${t} ORDER BY rowid`).all()
  const changes = (db().prepare('SELECT total_changes() AS n').get() as { n: number }).n
  return { rows, changes }
}

/** Runs a mutation that must fail with `code`; afterwards nothing in the workspace has changed and no event went out. */
async function refused(method: string, input: unknown, code = 'validation') {
  const before = snapshot()
  const eventsBefore = events.length
  const err = await fail(method, input)
  expect(err.code).toBe(code)
  const after = snapshot()
  expect(after.changes).toBe(before.changes)
  for (const t of TABLES) expect(after.rows[t], t).toEqual(before.rows[t])
  expect(events.slice(eventsBefore)).toEqual([])
  return err
}

const fields = (err: { params: Record<string, unknown> }) => err.params.fields as Record<string, { code: string; params?: unknown }>

/** Live rows (deletes are soft: a deleted row stays, marked). */
const count = (table: string, where = '1') =>
  (db().prepare(`SELECT count(*) AS n FROM ${table} WHERE (${where}) AND deleted_at IS NULL`).get() as { n: number }).n
/** Rows marked deleted. */
const deleted = (table: string, where: string) =>
  (db().prepare(`SELECT count(*) AS n FROM ${table} WHERE (${where}) AND deleted_at IS NOT NULL`).get() as { n: number }).n

const supplierIdByCode = (code: string) => (db().prepare('SELECT id FROM supplier WHERE code = ?').get(code) as { id: string }).id

const newSupplier = (extra: Record<string, unknown> = {}) =>
  call<Supplier>('suppliers.save', { name: 'Cooperativa de Prueba', country: 'AR', ...extra })

const productInput = (supplierId: string, extra: Record<string, unknown> = {}) => ({
  supplierId,
  sku: 'PR-1',
  nameEs: 'Yerba de prueba 500 g',
  salesUnit: 'bag',
  caseUnits: '20',
  price: '2,10',
  currency: 'USD',
  vatClass: 'reduced',
  ...extra
})

/** The save input for a stored buyer, as the form would send it back. */
function buyerInputOf(b: Buyer): Record<string, unknown> {
  return {
    id: b.id,
    name: b.name,
    type: b.type,
    street: b.street,
    postalCode: b.postalCode,
    city: b.city,
    country: b.country,
    language: b.language,
    vatId: b.vatId,
    taxTreatment: b.taxTreatment,
    hubId: b.hubId,
    deliveryPreference: b.deliveryPreference,
    notes: b.notes,
    contacts: b.contacts
  }
}

async function buyerByName(name: string): Promise<Buyer> {
  const page = await call<Page<{ id: string; name: string }>>('buyers.list', { search: name, archived: 'all' })
  const row = page.rows.find((r) => r.name === name)
  if (!row) throw new Error(`no buyer ${name}`)
  return call<Buyer>('buyers.get', { id: row.id })
}

describe('the demo catalogue', () => {
  it('holds the suppliers and products of the fixture files', async () => {
    expect(fixtureSuppliers).toHaveLength(13)
    expect(fixtureProducts).toHaveLength(46)
    const suppliers = await call<Page<SupplierRow>>('suppliers.list', { limit: 1000 })
    expect(suppliers.total).toBe(fixtureSuppliers.length)
    expect(suppliers.rows.map((r) => r.code).sort()).toEqual(fixtureSuppliers.map((s) => s.key).sort())
    const products = await call<Page<Product>>('products.list', { limit: 1000 })
    expect(products.total).toBe(fixtureProducts.length)
    expect(products.rows.map((p) => p.sku).sort()).toEqual(fixtureProducts.map((p) => p.sku).sort())
  })

  it('each supplier row counts its products as the fixture has them', async () => {
    const suppliers = await call<Page<SupplierRow>>('suppliers.list', { limit: 1000 })
    for (const s of fixtureSuppliers) {
      const row = suppliers.rows.find((r) => r.code === s.key)!
      expect(row.name).toBe(s.name)
      expect(row.products, s.key).toBe(fixtureProducts.filter((p) => p.supplier === s.key).length)
    }
  })

  it('stores each fixture price in minor units and each case size in thousandths', async () => {
    const products = await call<Page<Product>>('products.list', { limit: 1000 })
    for (const p of fixtureProducts) {
      const row = products.rows.find((r) => r.sku === p.sku)!
      expect(row.priceMinor, p.sku).toBe(scaled(p.price!, 2))
      expect(row.currency, p.sku).toBe(p.currency)
      expect(row.caseMilli, p.sku).toBe(scaled(p.case_units!, 3))
      // The demo seed completes the file's HS code to the 8-digit CN code from resources/demo/customs.csv.
      const cn = demoCustoms.find((c) => c.sku === p.sku)?.cn_code
      expect(cn?.startsWith(p.hs_code!) ?? true, p.sku).toBe(true)
      expect(row.hsCode, p.sku).toBe(cn ?? p.hs_code)
    }
    // Two by hand: LH-YM500 costs 2.10 USD in cases of 20; FS-P6060 comes in cases of 1.44 m².
    expect(products.rows.find((r) => r.sku === 'LH-YM500')).toMatchObject({ priceMinor: 210, caseMilli: 20000 })
    expect(products.rows.find((r) => r.sku === 'FS-P6060')).toMatchObject({ priceMinor: 1400, caseMilli: 1440 })
  })

  it('holds 8 buyers and one hub with 2 members', async () => {
    expect(demoBuyers).toHaveLength(8)
    const buyers = await call<Page<{ id: string; name: string; type: string; hubId: string | null }>>('buyers.list', { limit: 1000 })
    expect(buyers.total).toBe(8)
    expect(buyers.rows.map((b) => b.name).sort()).toEqual(demoBuyers.map((b) => b.name).sort())
    const hubs = await call<Page<{ id: string; name: string }>>('buyers.list', { type: 'hub' })
    expect(hubs.total).toBe(1)
    expect(hubs.rows[0]!.name).toBe('Verteilknoten Ruhr')
    const hub = await call<Buyer>('buyers.get', { id: hubs.rows[0]!.id })
    expect(hub.members.map((m) => m.name)).toEqual(['Mate-Kollektiv Bochum', 'Solikreis Dortmund Nord'])
    const members = await call<Page<{ name: string }>>('buyers.list', { hubId: hub.id })
    expect(members.total).toBe(2)
  })
})

describe('suppliers.save', () => {
  it('a valid supplier is stored with its CUIT, CBU and code normalised', async () => {
    const saved = await newSupplier({ code: 'pr-1', cuit: '30712345671', cbu: '0110012 9 2000009134497 7' })
    expect(saved).toMatchObject({ code: 'PR-1', cuit: '30-71234567-1', name: 'Cooperativa de Prueba', archived: false })
    expect(db().prepare('SELECT code, cuit, cbu FROM supplier WHERE id = ?').get(saved.id)).toEqual({
      code: 'PR-1',
      cuit: '30-71234567-1',
      cbu: '0110012920000091344977'
    })
    expect(events).toEqual([{ type: 'changed', topics: ['suppliers'] }])
  })

  it('an invalid CUIT is refused with cuit_checksum and no row is written', async () => {
    const before = count('supplier')
    const err = await refused('suppliers.save', { name: 'Cooperativa Falsa', country: 'AR', cuit: '20-12345678-7' })
    expect(fields(err).cuit).toEqual({ code: 'cuit_checksum' })
    expect(count('supplier')).toBe(before)
  })

  it('a CUIT whose check computes to 10 is refused (DOMAIN.md 7)', async () => {
    const err = await refused('suppliers.save', { name: 'Cooperativa Falsa', country: 'AR', cuit: '20-10000005-9' })
    expect(fields(err).cuit).toEqual({ code: 'cuit_checksum' })
  })

  it('an invalid CBU is refused with cbu_checksum', async () => {
    const err = await refused('suppliers.save', { name: 'Cooperativa Falsa', country: 'AR', cbu: '0110012920000091344978' })
    expect(fields(err).cbu).toEqual({ code: 'cbu_checksum' })
  })

  it('a duplicate supplier code is refused, also in another case', async () => {
    expect(fields(await refused('suppliers.save', { name: 'Otra Hoja', country: 'AR', code: 'LH' })).code).toEqual({ code: 'duplicate' })
    expect(fields(await refused('suppliers.save', { name: 'Otra Hoja', country: 'AR', code: 'lh' })).code).toEqual({ code: 'duplicate' })
  })

  it('saving a supplier under its own code is not a duplicate', async () => {
    const id = supplierIdByCode('LH')
    const lh = await call<Supplier>('suppliers.get', { id })
    const saved = await call<Supplier>('suppliers.save', { id, code: 'LH', name: lh.name, country: 'AR', city: 'San Ignacio' })
    expect(saved).toMatchObject({ id, code: 'LH', city: 'San Ignacio' })
    expect(count('supplier')).toBe(fixtureSuppliers.length)
  })

  it('a supplier without a name or with an unknown country is refused', async () => {
    const err = await refused('suppliers.save', { name: '  ', country: 'XX' })
    expect(fields(err)).toEqual({ name: { code: 'required' }, country: { code: 'country' } })
  })

  it('updating a supplier that does not exist is record.not_found', async () => {
    await refused('suppliers.save', { id: '00000000-0000-4000-8000-000000000000', name: 'Nadie', country: 'AR' }, 'record.not_found')
  })

  it('contacts round-trip in order with empty entries dropped, and a new list replaces the old one', async () => {
    const saved = await newSupplier({
      contacts: [
        { name: 'Ana Pérez', email: 'ana@example.org', phone: '+54 376 555 0101', language: 'es' },
        { name: '', email: '', phone: '' },
        { name: '  ', email: null },
        { email: 'ventas@example.org' }
      ]
    })
    const expected = [
      { name: 'Ana Pérez', email: 'ana@example.org', phone: '+54 376 555 0101', language: 'es' },
      { name: null, email: 'ventas@example.org', phone: null, language: null }
    ]
    expect(saved.contacts).toEqual(expected)
    expect((await call<Supplier>('suppliers.get', { id: saved.id })).contacts).toEqual(expected)

    await call('suppliers.save', { id: saved.id, name: saved.name, country: 'AR', contacts: [{ phone: '+54 11 4444 0000' }] })
    expect((await call<Supplier>('suppliers.get', { id: saved.id })).contacts).toEqual([
      { name: null, email: null, phone: '+54 11 4444 0000', language: null }
    ])
  })

  it('a contact with an invalid e-mail refuses the whole save', async () => {
    const err = await refused('suppliers.save', { name: 'Coop', country: 'AR', contacts: [{ name: 'X', email: 'no-at-sign' }] })
    expect(fields(err)['contacts.0.email']).toEqual({ code: 'email' })
  })
})

describe('suppliers.save: exporter of record and minimum order', () => {
  /** The save input for a stored supplier, as the form would send it back, with changes. */
  async function resave(code: string, changes: Record<string, unknown>) {
    const s = await call<Supplier>('suppliers.get', { id: supplierIdByCode(code) })
    return {
      id: s.id,
      code: s.code,
      name: s.name,
      country: s.country,
      exporterOfRecord: s.exporterOfRecord,
      exporterId: s.exporterId,
      ...changes
    }
  }
  const exporterOf = (code: string) => (db().prepare('SELECT exporter_id AS x FROM supplier WHERE code = ?').get(code) as { x: string | null }).x

  /** La Hoja (LH) exports itself; Río Paraná (TT) does not. */
  beforeEach(async () => {
    await call('suppliers.save', await resave('LH', { exporterOfRecord: true }))
    events.length = 0
  })

  it('a cooperative ships through an exporter of record: stored, read back, listed, and named on the exporter', async () => {
    const lh = supplierIdByCode('LH')
    const saved = await call<Supplier>('suppliers.save', await resave('TT', { exporterId: lh }))
    expect(saved).toMatchObject({ exporterId: lh, exporterName: 'Cooperativa de Trabajo La Hoja Ltda.' })
    expect(exporterOf('TT')).toBe(lh)
    const exporter = await call<Supplier>('suppliers.get', { id: lh })
    expect(exporter.exportsFor).toEqual([{ id: supplierIdByCode('TT'), name: 'Cooperativa Río Paraná (Titrayjú)' }])
    const list = await call<Page<SupplierRow>>('suppliers.list', { limit: 1000 })
    expect(list.rows.find((r) => r.code === 'TT')).toMatchObject({ exporterId: lh, exporterName: 'Cooperativa de Trabajo La Hoja Ltda.' })
    expect(list.rows.find((r) => r.code === 'LH')).toMatchObject({ exporterId: null, exporterName: null, exporterOfRecord: true })
    // The choice offered in the form: only the suppliers that export themselves.
    const exporters = await call<Page<SupplierRow>>('suppliers.list', { exporterOfRecord: true, limit: 1000 })
    expect(exporters.rows.map((r) => r.code)).toEqual(['LH'])
    // Clearing the choice.
    await call('suppliers.save', await resave('TT', { exporterId: null }))
    expect(exporterOf('TT')).toBeNull()
  })

  it('a cooperative cannot be its own exporter', async () => {
    const lh = supplierIdByCode('LH')
    expect(fields(await refused('suppliers.save', await resave('LH', { exporterId: lh }))).exporterId).toEqual({ code: 'exporter_self' })
    expect(fields(await refused('suppliers.save', await resave('LH', { exporterId: lh, exporterOfRecord: false }))).exporterId).toEqual({
      code: 'exporter_self'
    })
  })

  it('the exporter must export itself (be marked exporter of record)', async () => {
    const err = await refused('suppliers.save', await resave('LH', { exporterOfRecord: false, exporterId: supplierIdByCode('TT') }))
    expect(fields(err).exporterId).toEqual({ code: 'exporter_not_flagged' })
  })

  it('an unknown or deleted exporter is refused; so is an id that is not one', async () => {
    const unknown = await refused('suppliers.save', await resave('TT', { exporterId: '00000000-0000-4000-8000-000000000000' }))
    expect(fields(unknown).exporterId).toEqual({ code: 'exporter_unknown' })
    const gone = await newSupplier({ name: 'Exportadora Borrada', exporterOfRecord: true })
    await call('suppliers.delete', { id: gone.id })
    expect(fields(await refused('suppliers.save', await resave('TT', { exporterId: gone.id }))).exporterId).toEqual({ code: 'exporter_unknown' })
    expect(fields(await refused('suppliers.save', await resave('TT', { exporterId: 'LH' }))).exporterId).toEqual({ code: 'exporter_unknown' })
  })

  it('an archived exporter cannot be newly chosen, but one already chosen stays when the cooperative is saved', async () => {
    const lh = supplierIdByCode('LH')
    await call('suppliers.archive', { id: lh, archived: true })
    expect(fields(await refused('suppliers.save', await resave('TT', { exporterId: lh }))).exporterId).toEqual({ code: 'exporter_archived' })
    await call('suppliers.archive', { id: lh, archived: false })
    await call('suppliers.save', await resave('TT', { exporterId: lh }))
    // Archiving an exporter that an active cooperative ships through is refused, naming the cooperative…
    const inUse = await fail('suppliers.archive', { id: lh, archived: true })
    expect(inUse).toMatchObject({ code: 'supplier.exporter_in_use', params: { count: 1, names: 'Cooperativa Río Paraná (Titrayjú)' } })
    expect((db().prepare('SELECT archived_at FROM supplier WHERE id = ?').get(lh) as { archived_at: string | null }).archived_at).toBeNull()
    // …but data from before that rule may hold one: saving the cooperative keeps it.
    db().prepare("UPDATE supplier SET archived_at = '2026-01-01T00:00:00.000Z' WHERE id = ?").run(lh)
    await call('suppliers.save', await resave('TT', { city: 'Oberá' }))
    expect(exporterOf('TT')).toBe(lh)
  })

  it('an exporter can be archived once no active cooperative ships through it', async () => {
    const lh = supplierIdByCode('LH')
    const tt = supplierIdByCode('TT')
    await call('suppliers.save', await resave('TT', { exporterId: lh }))
    await call('suppliers.archive', { id: tt, archived: true })
    await call('suppliers.archive', { id: lh, archived: true })
    expect((db().prepare('SELECT archived_at IS NOT NULL AS a FROM supplier WHERE id = ?').get(lh) as { a: number }).a).toBe(1)
  })

  it('a cooperative that exports itself ships through no one', async () => {
    const err = await refused('suppliers.save', await resave('TT', { exporterOfRecord: true, exporterId: supplierIdByCode('LH') }))
    expect(fields(err).exporterId).toEqual({ code: 'exporter_own' })
  })

  it('no cycle: suppliers cannot ship through each other, also where older data holds a chain of exporters', async () => {
    const lh = supplierIdByCode('LH')
    const tt = supplierIdByCode('TT')
    const fs = supplierIdByCode('FS')
    // Data written before these checks: TT exports itself and yet ships through LH.
    db().prepare('UPDATE supplier SET exporter_of_record = 1, exporter_id = ? WHERE id = ?').run(lh, tt)
    const direct = await refused('suppliers.save', await resave('LH', { exporterOfRecord: false, exporterId: tt }))
    // Both problems at once: the circle, and that others still ship through LH.
    expect(fields(direct)).toEqual({ exporterId: { code: 'exporter_cycle' }, exporterOfRecord: { code: 'exporter_in_use' } })
    // And a longer one: FS ships through TT, which ships through LH; LH → FS would close the circle.
    db().prepare('UPDATE supplier SET exporter_of_record = 1, exporter_id = ? WHERE id = ?').run(tt, fs)
    const chain = await refused('suppliers.save', await resave('LH', { exporterOfRecord: false, exporterId: fs }))
    expect(fields(chain)).toEqual({ exporterId: { code: 'exporter_cycle' }, exporterOfRecord: { code: 'exporter_in_use' } })
    expect(exporterOf('LH')).toBeNull()
  })

  it('an exporter others ship through stays marked, and cannot be deleted', async () => {
    const lh = supplierIdByCode('LH')
    await call('suppliers.save', await resave('TT', { exporterId: lh }))
    const err = await refused('suppliers.save', await resave('LH', { exporterOfRecord: false }))
    expect(fields(err).exporterOfRecord).toEqual({ code: 'exporter_in_use' })
    const agent = await newSupplier({ name: 'Despachante Exportador', exporterOfRecord: true })
    await call('suppliers.save', await resave('TT', { exporterId: agent.id }))
    await refused('suppliers.delete', { id: agent.id }, 'record.in_use')
    await call('suppliers.save', await resave('TT', { exporterId: null }))
    await call('suppliers.delete', { id: agent.id })
  })

  it('the minimum order value is stored in minor units of its currency, with what to do below it', async () => {
    const saved = await call<Supplier>(
      'suppliers.save',
      await resave('TT', { minOrderValue: '1.250,50', minOrderCurrency: 'USD', minOrderAction: 'hold' })
    )
    expect(saved).toMatchObject({ minOrderMinor: 125050, minOrderCurrency: 'USD', minOrderAction: 'hold' })
    expect(db().prepare("SELECT min_order_minor AS m, min_order_currency AS c, min_order_action AS a FROM supplier WHERE code = 'TT'").get()).toEqual({
      m: 125050,
      c: 'USD',
      a: 'hold'
    })
    // Empty: no minimum (the currency is not kept without an amount).
    const none = await call<Supplier>('suppliers.save', await resave('TT', { minOrderValue: '', minOrderCurrency: 'USD' }))
    expect(none).toMatchObject({ minOrderMinor: null, minOrderCurrency: null, minOrderAction: 'warn' })
  })

  it('a bad minimum order value, a missing currency or an unknown action is refused, next to its field', async () => {
    const minOrder = async (minOrderValue: string, minOrderCurrency = 'USD') =>
      fields(await refused('suppliers.save', await resave('TT', { minOrderValue, minOrderCurrency }))).minOrderValue
    expect((await minOrder('mil'))?.code).toBe('number')
    // What is wrong, with its limit: "must be 0 or more", "at most 100,000,000", "at most 2 decimals".
    expect(await minOrder('-5')).toEqual({ code: 'at_least', params: { min: 0 } })
    expect(await minOrder('100.000.000,01')).toEqual({ code: 'at_most', params: { max: 100_000_000 } })
    expect(await minOrder('1e9')).toEqual({ code: 'number', params: { digits: 3 } })
    expect(await minOrder('12,345')).toEqual({ code: 'decimals', params: { digits: 2 } })
    expect(await call<Supplier>('suppliers.save', await resave('TT', { minOrderValue: '100.000.000', minOrderCurrency: 'USD' }))).toMatchObject({
      minOrderMinor: 10_000_000_000
    })
    expect(fields(await refused('suppliers.save', await resave('TT', { minOrderValue: '500' }))).minOrderCurrency).toEqual({ code: 'required' })
    expect(fields(await refused('suppliers.save', await resave('TT', { minOrderValue: '500', minOrderCurrency: 'XYZ' }))).minOrderCurrency).toEqual({
      code: 'currency'
    })
    expect(fields(await refused('suppliers.save', await resave('TT', { minOrderAction: 'maybe' }))).minOrderAction).toEqual({ code: 'invalid' })
  })
})

describe('products.save', () => {
  it('price "2,10" USD is stored as 210 minor units and case units "12,5" as 12500 thousandths', async () => {
    const s = await newSupplier()
    const p = await call<Product>('products.save', productInput(s.id, { caseUnits: '12,5' }))
    expect(p).toMatchObject({ priceMinor: 210, currency: 'USD', caseMilli: 12500 })
    expect(db().prepare('SELECT price_minor, case_milli FROM product WHERE id = ?').get(p.id)).toEqual({
      price_minor: 210,
      case_milli: 12500
    })
  })

  it('a price with more decimals than the currency has is refused', async () => {
    const s = await newSupplier()
    const err = await refused('products.save', productInput(s.id, { price: '2,105' }))
    expect(fields(err).price).toEqual({ code: 'decimals', params: { digits: 2 } })
    const negative = await refused('products.save', productInput(s.id, { price: '-1' }))
    expect(fields(negative).price).toEqual({ code: 'at_least', params: { min: 0 } })
    const huge = await refused('products.save', productInput(s.id, { price: '100000000,01' }))
    expect(fields(huge).price).toEqual({ code: 'at_most', params: { max: 100_000_000 } })
  })

  it('the SKU is unique per supplier, but another supplier may use the same SKU', async () => {
    const s = await newSupplier()
    await call('products.save', productInput(s.id, { sku: 'LH-YM500' }))
    const err = await refused('products.save', productInput(s.id, { sku: 'LH-YM500', nameEs: 'Otra' }))
    expect(fields(err).sku).toEqual({ code: 'duplicate' })
    // The demo supplier LH already has LH-YM500; a second one there is refused too.
    const lhErr = await refused('products.save', productInput(supplierIdByCode('LH'), { sku: 'LH-YM500' }))
    expect(fields(lhErr).sku).toEqual({ code: 'duplicate' })
    expect(count('product', "sku = 'LH-YM500'")).toBe(2)
  })

  it('a product keeps its own SKU when it is saved again', async () => {
    const s = await newSupplier()
    const p = await call<Product>('products.save', productInput(s.id))
    const again = await call<Product>('products.save', { ...productInput(s.id, { price: '2,50' }), id: p.id })
    expect(again).toMatchObject({ id: p.id, sku: 'PR-1', priceMinor: 250 })
    expect(count('product', `supplier_id = '${s.id}'`)).toBe(1)
  })

  it.each([
    ['0903.00', '090300'],
    ['0903.00.10', '09030010'],
    ['09 03 00', '090300'],
    ['2204.21.0000', '2204210000']
  ])('HS code %s is stored as %s', async (typed, stored) => {
    const s = await newSupplier()
    const p = await call<Product>('products.save', productInput(s.id, { hsCode: typed }))
    expect(p.hsCode).toBe(stored)
  })

  it.each(['09030', '0903.0', '0903AB', '09030000001', '0903-00'])('HS code %s is refused with hs_code', async (typed) => {
    const s = await newSupplier()
    const err = await refused('products.save', productInput(s.id, { hsCode: typed }))
    expect(fields(err).hsCode).toEqual({ code: 'hs_code' })
  })

  it('a product needs a name in at least one language', async () => {
    const s = await newSupplier()
    const err = await refused('products.save', productInput(s.id, { nameEs: '', nameDe: '  ', nameEn: null }))
    expect(fields(err).nameEs).toEqual({ code: 'name_missing' })
    // Any one language is enough.
    const p = await call<Product>('products.save', productInput(s.id, { nameEs: null, nameDe: 'Mate-Tee' }))
    expect(p.nameEs).toBeNull()
  })

  it('a product for a supplier that does not exist is record.not_found', async () => {
    await refused('products.save', productInput('00000000-0000-4000-8000-000000000000'), 'record.not_found')
  })

  it('case units of 0 or garbage are refused', async () => {
    const s = await newSupplier()
    expect(fields(await refused('products.save', productInput(s.id, { caseUnits: '0' }))).caseUnits).toEqual({ code: 'positive' })
    expect(fields(await refused('products.save', productInput(s.id, { caseUnits: 'zwölf' }))).caseUnits?.code).toBe('number')
  })
})

describe('control characters in text fields', () => {
  it('a product named only a NUL is refused with control_chars, and nothing is stored', async () => {
    const s = await newSupplier()
    for (const name of ['\u0000', 'Yerba\u0000', '\u0085Yerba']) {
      const err = await refused('products.save', productInput(s.id, { nameEs: name }))
      expect(fields(err).nameEs, JSON.stringify(name)).toEqual({ code: 'control_chars' })
    }
    const other = await refused('products.save', productInput(s.id, { nameEs: 'Yerba', nameDe: 'Mate\u001b[31m' }))
    expect(fields(other).nameDe).toEqual({ code: 'control_chars' })
    expect(count('product', `supplier_id = '${s.id}'`)).toBe(0)
  })

  it('a supplier name with a bell or a line break is refused; a name of only spaces is required', async () => {
    for (const name of ['A\u0007B', 'Coop\nerativa', 'Coop\terativa', '\u007f']) {
      const err = await refused('suppliers.save', { name, country: 'AR' })
      expect(fields(err).name, JSON.stringify(name)).toEqual({ code: 'control_chars' })
    }
    const blank = await refused('suppliers.save', { name: '   ', country: 'AR' })
    expect(fields(blank).name).toEqual({ code: 'required' })
    const city = await refused('suppliers.save', { name: 'Cooperativa', country: 'AR', city: 'Posadas\u0000' })
    expect(fields(city).city).toEqual({ code: 'control_chars' })
  })

  it('notes keep tabs and line breaks but not other control characters', async () => {
    const s = await newSupplier({ notes: 'Erste Zeile\nzweite\tZeile\r\ndritte' })
    expect(db().prepare('SELECT notes FROM supplier WHERE id = ?').get(s.id)).toEqual({ notes: 'Erste Zeile\nzweite\tZeile\r\ndritte' })
    const err = await refused('suppliers.save', { name: 'Cooperativa', country: 'AR', notes: 'ok\u0000' })
    expect(fields(err).notes).toEqual({ code: 'control_chars' })
    const buyer = await refused('buyers.save', { name: 'Laden\u0000', type: 'shop', country: 'DE', notes: 'a\u0008b' })
    expect(fields(buyer)).toMatchObject({ name: { code: 'control_chars' }, notes: { code: 'control_chars' } })
  })
})

describe('lists: search, sort, paging, archived', () => {
  /** SQLite's NOCASE: ASCII letters folded, everything else compared by code point. */
  const nocase = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase())

  it('suppliers sort by name either way', async () => {
    const asc = await call<Page<SupplierRow>>('suppliers.list', { sort: 'name', dir: 'asc' })
    const keys = asc.rows.map((r) => nocase(r.name))
    expect(keys).toEqual([...keys].sort())
    expect(asc.rows.map((r) => r.name).sort()).toEqual(fixtureSuppliers.map((s) => s.name).sort())
    const desc = await call<Page<SupplierRow>>('suppliers.list', { sort: 'name', dir: 'desc' })
    expect(desc.rows.map((r) => r.id)).toEqual(asc.rows.map((r) => r.id).reverse())
  })

  it('an unknown sort key is refused as a field error and never reaches SQL', async () => {
    for (const sort of ['name; DROP TABLE supplier', 'constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      const err = await fail('suppliers.list', { sort })
      expect(err.code, sort).toBe('validation')
      expect(fields(err), sort).toEqual({ sort: { code: 'invalid' } })
    }
    expect(count('supplier')).toBe(fixtureSuppliers.length)
    // No sort key, or an empty one, is the default order (by name here).
    for (const input of [{}, { sort: '' }]) {
      const page = await call<Page<SupplierRow>>('suppliers.list', input)
      expect(page.total).toBe(fixtureSuppliers.length)
    }
    const err = await fail('products.list', { sort: 'constructor' })
    expect(fields(err)).toEqual({ sort: { code: 'invalid' } })
  })

  it('paging keeps the total right and the pages add up to the whole list', async () => {
    const all = await call<Page<Product>>('products.list', { sort: 'sku' })
    expect(all.total).toBe(fixtureProducts.length)
    const seen: string[] = []
    for (let offset = 0; offset < fixtureProducts.length + 10; offset += 10) {
      const page = await call<Page<Product>>('products.list', { sort: 'sku', offset, limit: 10 })
      expect(page.total).toBe(fixtureProducts.length)
      expect(page.rows.length).toBe(Math.max(0, Math.min(10, fixtureProducts.length - offset)))
      seen.push(...page.rows.map((r) => r.id))
    }
    expect(seen).toEqual(all.rows.map((r) => r.id))
    // Past the end: no rows, still the total.
    expect(await call('products.list', { offset: 1000, limit: 5 })).toEqual({ rows: [], total: fixtureProducts.length })
    // A page past the end of a search keeps the search's total.
    const yerba = await call<Page<Product>>('products.list', { search: 'yerba', offset: 500, limit: 5 })
    expect(yerba.rows).toEqual([])
    expect(yerba.total).toBeGreaterThan(0)
  })

  it('search is case-insensitive and counts like the fixture', async () => {
    const supplierOf = new Map(fixtureSuppliers.map((s) => [s.key, s]))
    const matches = (term: string) =>
      fixtureProducts.filter((p) => {
        const s = supplierOf.get(p.supplier!)!
        return [p.sku, p.name_es, p.name_de, p.name_en, s.name, s.short_name, p.hs_code].some((v) => v?.toLowerCase().includes(term))
      }).length
    for (const term of ['yerba', 'YERBA', 'Yerba', 'malbec', 'cuero', '090300', 'lh-ym']) {
      const page = await call<Page<Product>>('products.list', { search: term, limit: 1000 })
      expect(page.total, term).toBe(matches(term.toLowerCase()))
      expect(page.rows).toHaveLength(page.total)
    }
    expect(matches('yerba')).toBeGreaterThanOrEqual(3)
    const hoja = await call<Page<SupplierRow>>('suppliers.list', { search: 'hOjA' })
    expect(hoja.rows.map((r) => r.code)).toEqual(['LH'])
  })

  it('LIKE wildcards % and _ and the backslash in a search are taken literally', async () => {
    for (const s of fixtureSuppliers)
      for (const v of [s.name, s.short_name, s.key, s.city, s.sector]) expect(v).not.toMatch(/[%_\\]/)
    const pct = await newSupplier({ name: 'Cooperativa 100% Mate' })
    const und = await newSupplier({ name: 'Coop_Sur' })
    await newSupplier({ name: 'CoopXSur' })
    const bs = await newSupplier({ name: 'Back\\slash Coop' })
    const ids = async (search: string) => (await call<Page<SupplierRow>>('suppliers.list', { search })).rows.map((r) => r.id)
    expect(await ids('%')).toEqual([pct.id])
    expect(await ids('100%')).toEqual([pct.id])
    expect(await ids('_')).toEqual([und.id])
    expect(await ids('coop_sur')).toEqual([und.id])
    expect(await ids('\\')).toEqual([bs.id])
    expect(await ids('%%%')).toEqual([])
    const page = await call<Page<SupplierRow>>('suppliers.list', { search: '_', offset: 5 })
    expect(page).toEqual({ rows: [], total: 1 })
  })

  it('archiving hides a supplier from the active list; archived and all show it; unarchiving brings it back', async () => {
    const s = await newSupplier({ name: 'Cooperativa Archivada' })
    const n = fixtureSuppliers.length
    expect((await call<Page<SupplierRow>>('suppliers.list', {})).total).toBe(n + 1)
    expect(await call('suppliers.archive', { id: s.id, archived: true })).toEqual({ id: s.id, archived: true })
    const active = await call<Page<SupplierRow>>('suppliers.list', {})
    expect(active.total).toBe(n)
    expect(active.rows.map((r) => r.id)).not.toContain(s.id)
    const archived = await call<Page<SupplierRow>>('suppliers.list', { archived: 'archived' })
    expect(archived.rows.map((r) => [r.id, r.archived])).toEqual([[s.id, true]])
    expect((await call<Page<SupplierRow>>('suppliers.list', { archived: 'all' })).total).toBe(n + 1)
    expect((await call<Supplier>('suppliers.get', { id: s.id })).archived).toBe(true)
    await call('suppliers.archive', { id: s.id, archived: false })
    expect((await call<Page<SupplierRow>>('suppliers.list', {})).total).toBe(n + 1)
  })

  it('archiving a product hides it from the active product list and the supplier count', async () => {
    const lh = supplierIdByCode('LH')
    const lhCount = fixtureProducts.filter((p) => p.supplier === 'LH').length
    const lhProducts = await call<Page<Product>>('products.list', { supplierId: lh })
    expect(lhProducts.total).toBe(lhCount)
    const target = lhProducts.rows.find((r) => r.sku === 'LH-TE25')!
    await call('products.archive', { id: target.id, archived: true })
    const after = await call<Page<Product>>('products.list', { supplierId: lh })
    expect(after.total).toBe(lhCount - 1)
    expect(after.rows.map((r) => r.sku)).not.toContain('LH-TE25')
    expect((await call<Page<Product>>('products.list', { archived: 'archived' })).rows.map((r) => r.sku)).toEqual(['LH-TE25'])
    const lhRow = (await call<Page<SupplierRow>>('suppliers.list', { search: 'La Hoja' })).rows[0]!
    expect(lhRow.products).toBe(lhCount - 1)
  })

  it('archiving something that does not exist is record.not_found', async () => {
    await refused('suppliers.archive', { id: '00000000-0000-4000-8000-000000000000', archived: true }, 'record.not_found')
  })

  it('bad list input is refused', async () => {
    expect((await fail('suppliers.list', { limit: 0 })).code).toBe('validation')
    expect((await fail('suppliers.list', { offset: -1 })).code).toBe('validation')
    expect((await fail('suppliers.list', { archived: 'deleted' })).code).toBe('validation')
  })
})

describe('delete', () => {
  it('a supplier with products is record.in_use and nothing is deleted', async () => {
    const s = await newSupplier()
    await call('products.save', productInput(s.id))
    const err = await refused('suppliers.delete', { id: s.id }, 'record.in_use')
    expect(err.params).toMatchObject({ id: s.id })
    expect(count('supplier', `id = '${s.id}'`)).toBe(1)
    expect(count('product', `supplier_id = '${s.id}'`)).toBe(1)
    // A demo cooperative with products and a round is in use too.
    await refused('suppliers.delete', { id: supplierIdByCode('LH') }, 'record.in_use')
    expect(count('supplier')).toBe(fixtureSuppliers.length + 1)
    expect(count('product')).toBe(fixtureProducts.length + 1)
  })

  it('an unused supplier is removed with its contacts', async () => {
    const s = await newSupplier({ contacts: [{ name: 'Ana' }, { email: 'b@example.org' }] })
    expect(count('contact', `supplier_id = '${s.id}'`)).toBe(2)
    const suppliersBefore = count('supplier')
    const contactsBefore = count('contact')
    expect(await call('suppliers.delete', { id: s.id })).toEqual({ id: s.id })
    expect(count('supplier', `id = '${s.id}'`)).toBe(0)
    expect(count('contact', `supplier_id = '${s.id}'`)).toBe(0)
    expect(count('supplier')).toBe(suppliersBefore - 1)
    expect(count('contact')).toBe(contactsBefore - 2)
    // Kept, marked deleted, for the change log and the history.
    expect(deleted('supplier', `id = '${s.id}'`)).toBe(1)
    expect(deleted('contact', `supplier_id = '${s.id}'`)).toBe(2)
    expect((await fail('suppliers.get', { id: s.id })).code).toBe('record.not_found')
    await refused('suppliers.delete', { id: s.id }, 'record.not_found')
  })

  it('a contact saved again unchanged keeps its row; one taken out is deleted, the others keep theirs', async () => {
    const s = await newSupplier({ contacts: [{ name: 'Ana' }, { name: 'Bea', email: 'bea@example.org' }] })
    const rows = () =>
      db()
        .prepare(`SELECT id, name, position FROM contact WHERE supplier_id = ? AND deleted_at IS NULL ORDER BY position`)
        .all(s.id) as { id: string; name: string; position: number }[]
    const [ana, bea] = rows()
    await call('suppliers.save', { id: s.id, name: s.name, country: 'AR', contacts: [{ name: 'Bea', email: 'bea@example.org' }, { name: 'Carla' }] })
    const after = rows()
    expect(after.map((r) => [r.name, r.position])).toEqual([
      ['Bea', 0],
      ['Carla', 1]
    ])
    expect(after[0]!.id).toBe(bea!.id)
    expect(deleted('contact', `id = '${ana!.id}'`)).toBe(1)
  })

  it('a supplier whose contacts were replaced is deleted with the old ones too', async () => {
    const s = await newSupplier({ contacts: [{ name: 'Vieja' }] })
    await call('suppliers.save', { id: s.id, name: s.name, country: 'AR', contacts: [{ name: 'Nueva' }] })
    await call('suppliers.delete', { id: s.id })
    expect(count('contact', `supplier_id = '${s.id}'`)).toBe(0)
  })

  it('an unused product is deleted; its supplier then becomes deletable', async () => {
    const s = await newSupplier()
    const p = await call<Product>('products.save', productInput(s.id))
    await refused('suppliers.delete', { id: s.id }, 'record.in_use')
    await call('products.delete', { id: p.id })
    expect(count('product', `id = '${p.id}'`)).toBe(0)
    expect(deleted('product', `id = '${p.id}'`)).toBe(1)
    await call('suppliers.delete', { id: s.id })
    expect(count('supplier', `id = '${s.id}'`)).toBe(0)
  })

  it('a demo buyer with orders, and a hub with members, are in use', async () => {
    await refused('buyers.delete', { id: (await buyerByName('Foodcoop Kornblume')).id }, 'record.in_use')
    await refused('buyers.delete', { id: (await buyerByName('Verteilknoten Ruhr')).id }, 'record.in_use')
  })
})

describe('buyers.save', () => {
  const base = { name: 'Grupo de Prueba', type: 'group', country: 'DE', language: 'de', taxTreatment: 'domestic' }

  it('an EU business without a VAT ID is refused: vatId required', async () => {
    const before = count('buyer')
    const err = await refused('buyers.save', { ...base, country: 'AT', taxTreatment: 'eu_business' })
    expect(fields(err).vatId).toEqual({ code: 'required' })
    expect(count('buyer')).toBe(before)
  })

  it('an EU business with a valid VAT ID is stored normalised', async () => {
    const b = await call<Buyer>('buyers.save', { ...base, country: 'AT', taxTreatment: 'eu_business', vatId: 'atu 135 856 27' })
    expect(b.vatId).toBe('ATU13585627')
  })

  it('a hub parent must be a hub', async () => {
    const group = await buyerByName('Foodcoop Kornblume')
    const err = await refused('buyers.save', { ...base, hubId: group.id })
    expect(fields(err).hubId).toEqual({ code: 'hub_type' })
    const missing = await refused('buyers.save', { ...base, hubId: '00000000-0000-4000-8000-000000000000' })
    expect(fields(missing).hubId).toEqual({ code: 'hub_type' })
  })

  it('a new member of a hub is stored and listed with the hub', async () => {
    const hub = await buyerByName('Verteilknoten Ruhr')
    const b = await call<Buyer>('buyers.save', { ...base, hubId: hub.id })
    expect(b.hubId).toBe(hub.id)
    expect((await call<Buyer>('buyers.get', { id: hub.id })).members.map((m) => m.name)).toEqual([
      'Grupo de Prueba',
      'Mate-Kollektiv Bochum',
      'Solikreis Dortmund Nord'
    ])
  })

  it('a hub with members cannot become a group', async () => {
    const hub = await buyerByName('Verteilknoten Ruhr')
    expect(hub.members).toHaveLength(2)
    const err = await refused('buyers.save', { ...buyerInputOf(hub), type: 'group' })
    expect(fields(err).type).toEqual({ code: 'hub_type' })
    expect((await call<Buyer>('buyers.get', { id: hub.id })).type).toBe('hub')
  })

  it('an existing hub cannot be put under a hub (hubs do not nest)', async () => {
    const ruhr = await buyerByName('Verteilknoten Ruhr')
    const other = await call<Buyer>('buyers.save', { ...base, name: 'Knoten Süd', type: 'hub' })
    const err = await refused('buyers.save', { ...buyerInputOf(other), hubId: ruhr.id })
    expect(fields(err).hubId).toEqual({ code: 'hub_cycle' })
  })

  it('a new hub cannot be created under a hub either (hubs do not nest)', async () => {
    const ruhr = await buyerByName('Verteilknoten Ruhr')
    const err = await refused('buyers.save', { ...base, name: 'Knoten Süd', type: 'hub', hubId: ruhr.id })
    expect(['hub_cycle', 'hub_type']).toContain(fields(err).hubId?.code)
  })

  it('contacts round-trip with empty entries dropped', async () => {
    const b = await call<Buyer>('buyers.save', {
      ...base,
      contacts: [
        { name: '', email: '', phone: '' },
        { name: 'Jana Wolff', email: 'jana@example.org', language: 'de' },
        { name: null, email: null, phone: null, language: 'es' },
        { phone: '+49 30 1234567' }
      ]
    })
    const expected = [
      { name: 'Jana Wolff', email: 'jana@example.org', phone: null, language: 'de' },
      { name: null, email: null, phone: '+49 30 1234567', language: null }
    ]
    expect(b.contacts).toEqual(expected)
    expect((await call<Buyer>('buyers.get', { id: b.id })).contacts).toEqual(expected)
    // Saving the form back unchanged keeps the same contacts.
    await call('buyers.save', buyerInputOf(await call<Buyer>('buyers.get', { id: b.id })))
    expect((await call<Buyer>('buyers.get', { id: b.id })).contacts).toEqual(expected)
    expect(count('contact', `buyer_id = '${b.id}' AND deleted_at IS NULL`)).toBe(2)
  })

  it('an unknown type, language or country is refused', async () => {
    const err = await refused('buyers.save', { ...base, type: 'club', language: 'fr', country: 'XX' })
    expect(fields(err)).toMatchObject({ type: { code: 'invalid' }, language: { code: 'language' }, country: { code: 'country' } })
  })
})

describe('reference: VAT rates', () => {
  it('the seeded rates are DE 19/7, AT 20/10, ES 21/10/4, CH 8.1/2.6', async () => {
    const rates = await call<VatRate[]>('reference.vatRates')
    const got = rates.map((r) => [r.country, r.class, r.rateBp, r.validTo]).sort()
    expect(got).toEqual(
      [
        ['AT', 'reduced', 1000, null],
        ['AT', 'standard', 2000, null],
        ['CH', 'reduced', 260, null],
        ['CH', 'standard', 810, null],
        ['DE', 'reduced', 700, null],
        ['DE', 'standard', 1900, null],
        ['ES', 'reduced', 1000, null],
        ['ES', 'standard', 2100, null],
        ['ES', 'super_reduced', 400, null]
      ].sort()
    )
  })

  it('vatRateOn picks the rate valid on a date and respects valid_to', async () => {
    // The German cut from 1 July to 31 December 2020 (16 %), valid_to being the first day it no longer applies.
    const cut = await call<VatRate>('reference.saveVatRate', {
      country: 'DE',
      class: 'standard',
      rate: '16',
      validFrom: '2020-07-01',
      validTo: '2021-01-01'
    })
    expect(cut).toMatchObject({ rateBp: 1600, validFrom: '2020-07-01', validTo: '2021-01-01' })
    const on = (date: string, cls = 'standard', country = 'DE') => vatRateOn(ws(), country, cls, date)
    expect(on('2020-06-30')).toBe(1900)
    expect(on('2020-07-01')).toBe(1600)
    expect(on('2020-12-31')).toBe(1600)
    expect(on('2021-01-01')).toBe(1900)
    expect(on('2026-06-01')).toBe(1900)
    expect(on('2006-12-31')).toBeNull() // before the seeded 2007 rate
    expect(on('2020-08-01', 'reduced')).toBe(700)
    expect(on('2024-01-01', 'standard', 'CH')).toBe(810)
    expect(on('2023-12-31', 'standard', 'CH')).toBeNull()
    expect(on('2024-01-01', 'zero', 'CH')).toBe(0)
    expect(on('2024-01-01', 'standard', 'FR')).toBeNull()
    // A deleted rate no longer applies.
    await call('reference.deleteVatRate', { id: cut.id })
    expect(on('2020-08-01')).toBe(1900)
  })

  it('a newer open-ended rate takes over from its start date', async () => {
    await call('reference.saveVatRate', { country: 'CH', class: 'reduced', rate: '3,0', validFrom: '2030-01-01' })
    expect(vatRateOn(ws(), 'CH', 'reduced', '2029-12-31')).toBe(260)
    expect(vatRateOn(ws(), 'CH', 'reduced', '2030-01-01')).toBe(300)
  })

  it('rate "8,1" is stored as 810 basis points', async () => {
    const r = await call<VatRate>('reference.saveVatRate', { country: 'LI', class: 'standard', rate: '8,1', validFrom: '2024-01-01' })
    expect(r).toMatchObject({ country: 'LI', class: 'standard', rateBp: 810, validFrom: '2024-01-01', validTo: null })
    expect(db().prepare('SELECT rate_bp FROM vat_rate WHERE id = ?').get(r.id)).toEqual({ rate_bp: 810 })
    const edited = await call<VatRate>('reference.saveVatRate', { id: r.id, country: 'LI', class: 'standard', rate: '8.25', validFrom: '2024-01-01' })
    expect(edited.rateBp).toBe(825)
  })

  it('validTo before (or on) validFrom is refused with date_order', async () => {
    const input = { country: 'DE', class: 'standard', rate: '16', validFrom: '2020-07-01' }
    expect(fields(await refused('reference.saveVatRate', { ...input, validTo: '2020-06-30' })).validTo).toEqual({ code: 'date_order' })
    expect(fields(await refused('reference.saveVatRate', { ...input, validTo: '2020-07-01' })).validTo).toEqual({ code: 'date_order' })
  })

  it('bad rates and dates are refused', async () => {
    const input = { country: 'DE', class: 'standard', validFrom: '2020-07-01' }
    expect(fields(await refused('reference.saveVatRate', { ...input, rate: '100,01' })).rate).toEqual({ code: 'number' })
    expect(fields(await refused('reference.saveVatRate', { ...input, rate: '7,555' })).rate).toEqual({ code: 'number' })
    expect(fields(await refused('reference.saveVatRate', { ...input, rate: '-1' })).rate).toEqual({ code: 'number' })
    expect(fields(await refused('reference.saveVatRate', { ...input, rate: 'neunzehn' })).rate).toEqual({ code: 'number' })
    expect(fields(await refused('reference.saveVatRate', { ...input, rate: '19', validFrom: '1.7.2020' })).validFrom).toEqual({ code: 'date' })
    expect(fields(await refused('reference.saveVatRate', { ...input, rate: '19', class: 'luxury' })).class).toEqual({ code: 'invalid' })
    await refused('reference.saveVatRate', { ...input, rate: '19', id: '00000000-0000-4000-8000-000000000000' }, 'record.not_found')
    await refused('reference.deleteVatRate', { id: '00000000-0000-4000-8000-000000000000' }, 'record.not_found')
  })
})

describe('reference: exchange rates', () => {
  const save = (base: string, quote: string, rate: string, validOn: string) =>
    call<ExchangeRate>('reference.saveExchangeRate', { base, quote, rate, validOn, source: 'test' })

  it('"0,9234" EUR per USD is stored as rateE8 92340000', async () => {
    const r = await save('USD', 'EUR', '0,9234', '2020-03-02')
    expect(r).toMatchObject({ base: 'USD', quote: 'EUR', rateE8: 92340000, validOn: '2020-03-02', source: 'test' })
    expect(db().prepare('SELECT rate_e8 FROM exchange_rate WHERE id = ?').get(r.id)).toEqual({ rate_e8: 92340000 })
    expect(exchangeRateOn(ws(), 'USD', 'EUR', '2020-03-02')).toEqual({ rateE8: 92340000n, validOn: '2020-03-02' })
    expect(events).toEqual([{ type: 'changed', topics: ['reference'] }])
  })

  it('exchangeRateOn finds the latest rate on or before the date', async () => {
    await save('EUR', 'CHF', '0,8', '2020-01-10')
    await save('EUR', 'CHF', '1,6', '2020-02-10')
    const on = (date: string) => exchangeRateOn(ws(), 'EUR', 'CHF', date)
    expect(on('2020-01-09')).toBeNull()
    expect(on('2020-01-10')).toEqual({ rateE8: 80000000n, validOn: '2020-01-10' })
    expect(on('2020-02-09')).toEqual({ rateE8: 80000000n, validOn: '2020-01-10' })
    expect(on('2020-02-10')).toEqual({ rateE8: 160000000n, validOn: '2020-02-10' })
    expect(on('2035-01-01')).toEqual({ rateE8: 160000000n, validOn: '2020-02-10' })
    expect(exchangeRateOn(ws(), 'CHF', 'CHF', '2020-01-01')).toEqual({ rateE8: 100000000n, validOn: '2020-01-01' })
  })

  it('the opposite direction uses the inverse, rounded half up to 8 decimals', async () => {
    await save('EUR', 'CHF', '0,8', '2020-01-10')
    await save('EUR', 'CHF', '1,6', '2020-02-10')
    // 1 / 0.8 = 1.25 and 1 / 1.6 = 0.625, both exact.
    expect(exchangeRateOn(ws(), 'CHF', 'EUR', '2020-01-20')).toEqual({ rateE8: 125000000n, validOn: '2020-01-10' })
    expect(exchangeRateOn(ws(), 'CHF', 'EUR', '2020-03-01')).toEqual({ rateE8: 62500000n, validOn: '2020-02-10' })
    expect(exchangeRateOn(ws(), 'CHF', 'EUR', '2020-01-01')).toBeNull()

    await save('USD', 'ARS', '102,4', '2019-05-01')
    await save('USD', 'ARS', '3', '2019-06-01')
    await save('USD', 'ARS', '1,5', '2019-07-01')
    // 1 / 102.4 = 0.009765625 exactly: the 9th decimal is a 5 → half up → 0.00976563.
    expect(exchangeRateOn(ws(), 'ARS', 'USD', '2019-05-15')).toEqual({ rateE8: 976563n, validOn: '2019-05-01' })
    // 1 / 3 = 0.333333333… → 0.33333333 (down).
    expect(exchangeRateOn(ws(), 'ARS', 'USD', '2019-06-15')).toEqual({ rateE8: 33333333n, validOn: '2019-06-01' })
    // 1 / 1.5 = 0.666666666… → 0.66666667 (up).
    expect(exchangeRateOn(ws(), 'ARS', 'USD', '2019-07-15')).toEqual({ rateE8: 66666667n, validOn: '2019-07-01' })
  })

  it('a stored rate in the asked direction wins on the same day; a newer inverse wins over an older direct one', async () => {
    await save('EUR', 'CHF', '1,6', '2020-02-10')
    await save('CHF', 'EUR', '0,7', '2020-02-10')
    expect(exchangeRateOn(ws(), 'CHF', 'EUR', '2020-02-10')).toEqual({ rateE8: 70000000n, validOn: '2020-02-10' })
    expect(exchangeRateOn(ws(), 'EUR', 'CHF', '2020-02-10')).toEqual({ rateE8: 160000000n, validOn: '2020-02-10' })
    await save('EUR', 'CHF', '1,25', '2020-03-10')
    // 1 / 1.25 = 0.8
    expect(exchangeRateOn(ws(), 'CHF', 'EUR', '2020-03-15')).toEqual({ rateE8: 80000000n, validOn: '2020-03-10' })
  })

  it('a deleted rate is no longer found', async () => {
    const r = await save('EUR', 'CHF', '0,8', '2020-01-10')
    await call('reference.deleteExchangeRate', { id: r.id })
    expect(exchangeRateOn(ws(), 'EUR', 'CHF', '2020-02-01')).toBeNull()
    expect((await call<ExchangeRate[]>('reference.exchangeRates')).map((x) => x.id)).not.toContain(r.id)
  })

  it('bad exchange rates are refused', async () => {
    const input = { base: 'USD', quote: 'EUR', validOn: '2020-03-02' }
    expect(fields(await refused('reference.saveExchangeRate', { ...input, quote: 'USD', rate: '1' })).quote).toEqual({ code: 'invalid' })
    expect(fields(await refused('reference.saveExchangeRate', { ...input, rate: '0' })).rate).toEqual({ code: 'number' })
    expect(fields(await refused('reference.saveExchangeRate', { ...input, rate: '-0,9' })).rate).toEqual({ code: 'number' })
    expect(fields(await refused('reference.saveExchangeRate', { ...input, rate: '0,000000001' })).rate).toEqual({ code: 'number' })
    expect(fields(await refused('reference.saveExchangeRate', { ...input, base: 'GBP', rate: '1' })).base).toEqual({ code: 'currency' })
    expect(fields(await refused('reference.saveExchangeRate', { ...input, rate: '1', validOn: '2020-13-45' })).validOn).toEqual({
      code: 'date'
    })
    await refused('reference.deleteExchangeRate', { id: '00000000-0000-4000-8000-000000000000' }, 'record.not_found')
  })

  it('the seeded currencies are EUR, USD, ARS and CHF with 2 minor digits', async () => {
    expect(await call('reference.currencies')).toEqual([
      { code: 'ARS', minorDigits: 2 },
      { code: 'CHF', minorDigits: 2 },
      { code: 'EUR', minorDigits: 2 },
      { code: 'USD', minorDigits: 2 }
    ])
  })
})

describe('the schema refuses bad data past the API', () => {
  const insertProduct = (values: Record<string, unknown>) => {
    const row = {
      id: crypto.randomUUID(),
      supplier_id: supplierIdByCode('LH'),
      sku: `RAW-${Math.random().toString(36).slice(2, 8)}`,
      name_es: 'Crudo',
      sales_unit: 'bag',
      case_milli: 1000,
      hs_code: '090300',
      price_minor: 100,
      currency: 'USD',
      vat_class: 'reduced',
      created_at: '2026-01-01T00:00:00.000Z',
      updated_at: '2026-01-01T00:00:00.000Z',
      ...values
    }
    const cols = Object.keys(row)
    db()
      .prepare(`INSERT INTO product (${cols.join(', ')}) VALUES (${cols.map((c) => '@' + c).join(', ')})`)
      .run(row)
  }

  it('a well-formed raw row goes in (the control for the cases below)', () => {
    const before = count('product')
    insertProduct({})
    expect(count('product')).toBe(before + 1)
  })

  it('case_milli = 0 violates a CHECK constraint', () => {
    const before = count('product')
    expect(() => insertProduct({ case_milli: 0 })).toThrow(/CHECK constraint failed/)
    expect(() => insertProduct({ case_milli: -1000 })).toThrow(/CHECK constraint failed/)
    expect(count('product')).toBe(before)
  })

  it('an hs_code with letters or the wrong length violates a CHECK constraint', () => {
    const before = count('product')
    expect(() => insertProduct({ hs_code: '0903AB' })).toThrow(/CHECK constraint failed/)
    expect(() => insertProduct({ hs_code: '0903.00' })).toThrow(/CHECK constraint failed/)
    expect(() => insertProduct({ hs_code: '09030' })).toThrow(/CHECK constraint failed/)
    expect(() => insertProduct({ hs_code: '09030000001' })).toThrow(/CHECK constraint failed/)
    expect(count('product')).toBe(before)
  })

  it('a product without any name, a negative price or an unknown VAT class violates a CHECK constraint', () => {
    expect(() => insertProduct({ name_es: null })).toThrow(/CHECK constraint failed/)
    expect(() => insertProduct({ price_minor: -1 })).toThrow(/CHECK constraint failed/)
    expect(() => insertProduct({ vat_class: 'luxury' })).toThrow(/CHECK constraint failed/)
  })

  it('a duplicate SKU for the same supplier violates the unique index', () => {
    expect(() => insertProduct({ sku: 'LH-YM500' })).toThrow(/UNIQUE constraint failed/)
  })

  it('VAT and exchange rate rows are checked too', () => {
    const now = '2026-01-01T00:00:00.000Z'
    const vat = db().prepare(
      'INSERT INTO vat_rate (id, country, class, rate_bp, valid_from, valid_to, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'
    )
    expect(() => vat.run(crypto.randomUUID(), 'DE', 'standard', 1600, '2020-07-01', '2020-07-01', now, now)).toThrow(/CHECK constraint failed/)
    expect(() => vat.run(crypto.randomUUID(), 'DE', 'standard', 10001, '2020-07-01', null, now, now)).toThrow(/CHECK constraint failed/)
    const fx = db().prepare(
      'INSERT INTO exchange_rate (id, base, quote, rate_e8, valid_on, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)'
    )
    expect(() => fx.run(crypto.randomUUID(), 'EUR', 'EUR', 100000000, '2020-01-01', now, now)).toThrow(/CHECK constraint failed/)
    expect(() => fx.run(crypto.randomUUID(), 'USD', 'EUR', 0, '2020-01-01', now, now)).toThrow(/CHECK constraint failed/)
  })
})
