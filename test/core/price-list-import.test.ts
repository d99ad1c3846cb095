import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { dispatch } from '../../src/core/api/dispatch.ts'
import type { CatalogueImportPreview, CatalogueImportResult } from '../../src/core/catalogue/priceListImport.ts'
import type { Session } from '../../src/core/app/session.ts'
import de from '../../src/shared/i18n/de.ts'
import en from '../../src/shared/i18n/en.ts'
import es from '../../src/shared/i18n/es.ts'
import type { ErrorPayload } from '../../src/shared/errors.ts'
import type { AppEvent } from '../../src/shared/events.ts'
import { RESOURCES, type TempSession, tempSession } from '../support/workspace.ts'

let temp: TempSession
let session: Session

beforeEach(async () => {
  temp = tempSession({ prefix: 'puente-catimport-' })
  session = temp.session
  await session.openDemo()
})

afterEach(() => temp.dispose())

const db = () => session.requireWorkspace().db

async function call<T>(method: string, input: unknown): Promise<T> {
  const res = await dispatch({ session }, method, input)
  if (!res.ok) throw new Error(`${method} failed: ${JSON.stringify(res.error)}`)
  return res.result as T
}

async function failure(method: string, input: unknown): Promise<ErrorPayload & { params: Record<string, unknown> }> {
  const res = await dispatch({ session }, method, input)
  if (res.ok) throw new Error(`${method} should have failed`)
  return { ...res.error, params: res.error.params ?? {} }
}

const supplierId = (code: string) => (db().prepare('SELECT id FROM supplier WHERE code = ?').get(code) as { id: string }).id
const product = (sku: string) =>
  db().prepare('SELECT * FROM product WHERE sku = ? AND deleted_at IS NULL').get(sku) as Record<string, unknown> | undefined
const snapshot = () => ({
  products: db().prepare('SELECT * FROM product ORDER BY id').all(),
  changes: (db().prepare('SELECT total_changes() AS n').get() as { n: number }).n
})

const upload = (code: string, fileName: string, bytes: Buffer | string, extra: Record<string, unknown> = {}) => ({
  supplierId: supplierId(code),
  fileName,
  data: typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes,
  ...extra
})

const SPANISH_LIST = [
  'Código;Nombre;Precio;Moneda;Unidades por caja;Unidad',
  'LH-YM500;Yerba mate con palo 500 g;2,30;USD;20;bolsa',
  'LH-YM1K;Yerba mate con palo 1 kg;3,90;U$S;10;bolsa',
  'LH-YMC500;Yerba mate compuesta 500 g;2,60;USD;20;bolsa'
].join('\r\n')

describe('catalogue import from a supplier’s price list', () => {
  it('suggests the mapping from Spanish headers and previews insert, update and unchanged with the changed fields', async () => {
    const input = upload('LH', 'lista de precios.csv', SPANISH_LIST)
    const p = await call<CatalogueImportPreview>('catalogue.importPreview', input)
    expect(p).toMatchObject({ format: 'csv', separator: ';', headerRow: 1, blocking: false, fileErrors: [] })
    expect(p.suggested).toEqual({ sku: 0, nameEs: 1, price: 2, currency: 3, caseUnits: 4, salesUnit: 5 })
    expect(p.columns.map((c) => c.header)).toEqual(['Código', 'Nombre', 'Precio', 'Moneda', 'Unidades por caja', 'Unidad'])
    expect(p.columns[0]!.samples).toEqual(['LH-YM500', 'LH-YM1K', 'LH-YMC500'])
    expect(p.rows.map((r) => [r.line, r.sku, r.action])).toEqual([
      [2, 'LH-YM500', 'update'],
      [3, 'LH-YM1K', 'unchanged'],
      [4, 'LH-YMC500', 'insert']
    ])
    expect(p.rows[0]!.changes).toEqual([{ field: 'price', from: '2.10', to: '2.30' }])
    expect(p.rows[2]!.changes).toEqual(
      expect.arrayContaining([
        { field: 'nameEs', from: null, to: 'Yerba mate compuesta 500 g' },
        { field: 'price', from: null, to: '2.60' },
        { field: 'salesUnit', from: null, to: 'bag' },
        { field: 'caseUnits', from: null, to: '20' }
      ])
    )
    expect(p.summary).toEqual({ rows: 3, insert: 1, update: 1, unchanged: 1, errors: 0 })
    // The preview writes nothing.
    expect(product('LH-YMC500')).toBeUndefined()
    expect(product('LH-YM500')!.price_minor).toBe(210)
  })

  it('applies inserts and updates by SKU in one go and reports them', async () => {
    const input = upload('LH', 'lista.csv', SPANISH_LIST)
    const events: AppEvent[] = []
    const off = session.on((e) => e.type !== 'job' && events.push(e)) // progress aside (test/core/jobs.test.ts)
    const result = await call<CatalogueImportResult>('catalogue.importApply', input)
    off()
    // The import's change, then the backup taken before it (announced once the import succeeded).
    expect(events).toEqual([
      { type: 'changed', topics: ['products', 'suppliers'] },
      { type: 'changed', topics: ['backups'] }
    ])
    expect(result).toMatchObject({ inserted: 1, updated: 1, unchanged: 1 })
    expect(result.rows.map((r) => [r.sku, r.action])).toEqual([
      ['LH-YM500', 'update'],
      ['LH-YMC500', 'insert']
    ])
    expect(product('LH-YM500')).toMatchObject({ price_minor: 230, name_de: 'Mate-Tee mit Stängeln 500 g', hs_code: '09030000', vat_class: 'reduced' })
    expect(product('LH-YMC500')).toMatchObject({
      supplier_id: supplierId('LH'),
      name_es: 'Yerba mate compuesta 500 g',
      price_minor: 260,
      currency: 'USD',
      case_milli: 20000,
      sales_unit: 'bag',
      vat_class: 'standard',
      origin_country: 'AR'
    })
    const again = await call<CatalogueImportPreview>('catalogue.importPreview', input)
    expect(again.summary).toMatchObject({ insert: 0, update: 0, unchanged: 3 })
  })

  it('the demo catalogue file itself, filtered to one cooperative, is unchanged field by field', async () => {
    const lines = readFileSync(join(RESOURCES, 'demo', 'products.csv'), 'utf8').trim().split('\n')
    const text = [lines[0], ...lines.filter((l) => l.startsWith('LH,'))].join('\n')
    const p = await call<CatalogueImportPreview>('catalogue.importPreview', upload('LH', 'products.csv', text))
    expect(p.suggested).toMatchObject({ sku: 1, nameEs: 2, nameEn: 3, nameDe: 4, salesUnit: 5, caseUnits: 6, netQuantity: 7, netUnit: 8, hsCode: 9, price: 10, currency: 11, vatClass: 12 })
    expect(p.rows.map((r) => [r.sku, r.action, r.changes])).toEqual(lines.filter((l) => l.startsWith('LH,')).map((l) => [l.split(',')[1], 'unchanged', []]))
  })

  it('German headers in an XLSX list with numeric cells update the German names', async () => {
    const wb = new ExcelJS.Workbook()
    const ws = wb.addWorksheet('Preisliste')
    ws.addRow(['Preisliste Herbst 2026'])
    ws.addRow([])
    ws.addRow(['Artikelnummer', 'Bezeichnung', 'Preis', 'Währung'])
    ws.addRow(['CT-EP750', 'El Peón Rotwein trocken', 3.8, 'USD'])
    ws.addRow(['CT-LI750', 'La Ilíada Malbec Reserve 14 %', 7.5, 'USD'])
    const input = upload('CT', 'preise.xlsx', Buffer.from(await wb.xlsx.writeBuffer()))
    const p = await call<CatalogueImportPreview>('catalogue.importPreview', input)
    expect(p).toMatchObject({ format: 'xlsx', headerRow: 3, suggested: { sku: 0, nameDe: 1, price: 2, currency: 3 } })
    expect(p.rows.map((r) => [r.sku, r.action, r.changes])).toEqual([
      ['CT-EP750', 'update', [{ field: 'nameDe', from: 'El Peón Rotwein', to: 'El Peón Rotwein trocken' }]],
      ['CT-LI750', 'unchanged', []]
    ])
    const result = await call<CatalogueImportResult>('catalogue.importApply', input)
    expect(result).toMatchObject({ inserted: 0, updated: 1, unchanged: 1 })
    expect(product('CT-EP750')).toMatchObject({ name_de: 'El Peón Rotwein trocken', price_minor: 380 })
  })

  it('a mapping given by the user replaces the suggestion; a column that does not exist is refused', async () => {
    const text = 'A,B,C\nLH-YM500,2.25,Yerba 500\n'
    const mapped = await call<CatalogueImportPreview>('catalogue.importPreview', upload('LH', 'x.csv', text, { mapping: { sku: 0, price: 1 } }))
    expect(mapped.rows[0]).toMatchObject({ action: 'update', changes: [{ field: 'price', from: '2.10', to: '2.25' }] })
    const bad = await call<CatalogueImportPreview>('catalogue.importPreview', upload('LH', 'x.csv', text, { mapping: { sku: 0, price: 7 } }))
    expect(bad.fileErrors).toEqual([{ ns: 'importErrors', code: 'mapping', params: { column: 'H' }, field: 'price' }])
    expect(bad.blocking).toBe(true)
    const none = await call<CatalogueImportPreview>('catalogue.importPreview', upload('LH', 'x.csv', text))
    expect(none.fileErrors[0]).toMatchObject({ code: 'headers' })
  })

  it('a bad price row blocks the whole apply: nothing is inserted or updated', async () => {
    const text = SPANISH_LIST + '\r\nLH-BAD;Algo;dos pesos;USD;10;bolsa\r\nLH-NEG;Otra cosa;-1;USD;10;bolsa\r\nLH-NAME;;1,00;USD;10;bolsa\r\nLH-YM500;Repetido;2,40;USD;20;bolsa'
    const input = upload('LH', 'lista.csv', text)
    const p = await call<CatalogueImportPreview>('catalogue.importPreview', input)
    expect(p.blocking).toBe(true)
    const errors = Object.fromEntries(p.rows.filter((r) => r.action === 'error').map((r) => [r.line, r.errors]))
    expect(errors).toEqual({
      5: [{ ns: 'fieldErrors', code: 'number', params: { digits: 3 }, field: 'price' }],
      6: [{ ns: 'fieldErrors', code: 'at_least', params: { min: 0 }, field: 'price' }],
      7: [{ ns: 'fieldErrors', code: 'name_missing', field: 'nameEs' }],
      8: [{ ns: 'importErrors', code: 'duplicate', params: { line: 2 }, field: 'sku' }]
    })
    const before = snapshot()
    const err = await failure('catalogue.importApply', input)
    expect(err).toMatchObject({ code: 'import.blocked', params: { count: 4 } })
    expect(snapshot()).toEqual(before)
  })

  it('reads a unit by the word the app shows for it in any language (units.), and in the file\'s own spelling', async () => {
    const words: [string, string][] = [
      [de.units.bag, 'bag'],
      [es.units.bag, 'bag'],
      [es.units.pack, 'pack'],
      [en.units.l, 'l'],
      [de.units.l, 'l'],
      [es.units.l, 'l'],
      [de.units.box, 'box'],
      [es.units.jar, 'jar'],
      ['Stk', 'piece']
    ]
    const text = ['SKU;Name;Price;Currency;Unit', ...words.map(([w], i) => `U-${i};Thing ${i};1.00;USD;${w}`)].join('\n')
    const p = await call<CatalogueImportPreview>('catalogue.importPreview', upload('LH', 'units.csv', text))
    expect(p.summary).toMatchObject({ insert: words.length, errors: 0 })
    const units = p.rows.map((r) => r.changes.find((c) => c.field === 'salesUnit')?.to)
    expect(units).toEqual(words.map(([, code]) => code))
  })

  it('new products take the defaults where the file has no value; existing products and values in the file keep theirs', async () => {
    // No unit, VAT class, origin or case size in the file; one row gives its own currency.
    const text = ['SKU;Nombre;Precio;Moneda', 'LH-YM500;Yerba mate con palo 500 g;2,10;', 'LH-TE1;Té de yerba 20 saquitos;1,50;', 'LH-TE2;Té de yerba 50 saquitos;3,00;USD'].join('\n')
    const defaults = { salesUnit: 'pack', vatClass: 'reduced', currency: 'EUR', caseUnits: '12,5', originCountry: 'UY' }
    const input = upload('LH', 'te.csv', text, { defaults })
    const p = await call<CatalogueImportPreview>('catalogue.importPreview', input)
    expect(p.defaults).toEqual({ salesUnit: 'pack', vatClass: 'reduced', currency: 'EUR', caseUnits: '12.5', originCountry: 'UY' })
    expect(p.rows.map((r) => [r.sku, r.action])).toEqual([
      ['LH-YM500', 'unchanged'],
      ['LH-TE1', 'insert'],
      ['LH-TE2', 'insert']
    ])
    const shown = (sku: string) => Object.fromEntries(p.rows.find((r) => r.sku === sku)!.changes.map((c) => [c.field, c.to]))
    expect(shown('LH-TE1')).toMatchObject({ salesUnit: 'pack', vatClass: 'reduced', currency: 'EUR', caseUnits: '12.5', originCountry: 'UY', price: '1.50' })
    expect(shown('LH-TE2')).toMatchObject({ currency: 'USD', salesUnit: 'pack' })
    const before = product('LH-YM500')
    await call<CatalogueImportResult>('catalogue.importApply', input)
    expect(product('LH-TE1')).toMatchObject({ sales_unit: 'pack', vat_class: 'reduced', currency: 'EUR', case_milli: 12500, origin_country: 'UY', price_minor: 150 })
    expect(product('LH-TE2')).toMatchObject({ sales_unit: 'pack', currency: 'USD', case_milli: 12500 })
    // The existing product is not touched by the defaults.
    expect(product('LH-YM500')).toEqual(before)
  })

  it('without defaults, new products get the supplier’s usual currency, piece, standard VAT, cases of 1, origin AR', async () => {
    const p = await call<CatalogueImportPreview>('catalogue.importPreview', upload('LH', 'x.csv', 'SKU;Nombre;Precio\nLH-NEW;Algo nuevo;1,00'))
    expect(p.defaults).toEqual({ currency: 'USD', salesUnit: 'piece', vatClass: 'standard', caseUnits: '1', originCountry: 'AR' })
  })

  it('a bad default is refused next to its field (not on every row) and nothing is written', async () => {
    const text = 'SKU;Nombre;Precio\nLH-NEW;Algo nuevo;1,00'
    const fieldsOf = async (method: string, defaults: Record<string, unknown>) => {
      const err = await failure(method, upload('LH', 'x.csv', text, { defaults }))
      expect(err.code).toBe('validation')
      return err.params.fields
    }
    expect(await fieldsOf('catalogue.importPreview', { caseUnits: '0' })).toEqual({ 'defaults.caseUnits': { code: 'positive' } })
    expect(await fieldsOf('catalogue.importPreview', { caseUnits: 'doce' })).toEqual({ 'defaults.caseUnits': { code: 'number', params: { digits: 3 } } })
    expect(await fieldsOf('catalogue.importPreview', { caseUnits: '' })).toEqual({ 'defaults.caseUnits': { code: 'required' } })
    expect(await fieldsOf('catalogue.importPreview', { currency: 'XYZ', salesUnit: 'barrel' })).toEqual({
      'defaults.currency': { code: 'currency' },
      'defaults.salesUnit': { code: 'invalid' }
    })
    const before = snapshot()
    expect(await fieldsOf('catalogue.importApply', { vatClass: 'luxury' })).toEqual({ 'defaults.vatClass': { code: 'invalid' } })
    expect(snapshot()).toEqual(before)
    expect(product('LH-NEW')).toBeUndefined()
  })

  it('an import that updates a product keeps what the file does not hold, such as “hold” below the minimum order', async () => {
    db().prepare("UPDATE product SET min_order_cases = 3, min_order_action = 'hold' WHERE sku = 'LH-YM500'").run()
    await call<CatalogueImportResult>('catalogue.importApply', upload('LH', 'lista.csv', SPANISH_LIST))
    expect(product('LH-YM500')).toMatchObject({ price_minor: 230, min_order_cases: 3, min_order_action: 'hold' })
  })

  it('an unknown supplier is refused', async () => {
    const err = await failure('catalogue.importPreview', { supplierId: '00000000-0000-4000-8000-000000000000', fileName: 'a.csv', data: new Uint8Array() })
    expect(err.code).toBe('record.not_found')
  })
})
