import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Session } from '../../src/core/app/session.ts'
import { api } from '../support/api.ts'
import { frozenEnv } from '../support/env.ts'
import { type TempSession, tempSession } from '../support/workspace.ts'

/**
 * Goods ordered in steps of their unit and billed per case (issue 14, item 1): honey by the kg in steps of
 * 0,5 kg (a case holds 12,5 kg, USD 3.47 per kg) and tiles by the m² in steps of 0,01 m² (a case holds
 * 1,44 m²; the cooperative bills USD 17.78 per case). Every expected figure below is computed by hand in
 * the comments next to it.
 */

let temp: TempSession
let session: Session
const { call, fail } = api(() => session)

let roundId: string
let supplierId: string
let honey: string
let tiles: string
let kornblume: string
let weltladen: string

interface FileResult {
  fileName: string
  dataBase64: string
}

function pdfText(f: FileResult): string {
  const path = join(temp.dir, f.fileName)
  writeFileSync(path, Buffer.from(f.dataBase64, 'base64'))
  return execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', path, '-'], { encoding: 'utf8' })
    .replace(/[\u00a0\u202f]/g, ' ')
    .replace(/[ \t]+/g, ' ')
}

beforeEach(async () => {
  temp = tempSession({ prefix: 'puente-steps-', env: frozenEnv('2026-03-01T09:00:01Z', { step: 1000 }) })
  session = temp.session
  await temp.create('steps.puente')
  await call('settings.save', { name: 'Solidarische Importe e.V.', country: 'DE', smallBusiness: false, defaultLanguage: 'de', defaultCurrency: 'EUR' })
  supplierId = (await call('suppliers.save', { name: 'Cooperativa Cerámica Zanón', country: 'AR' })).id
  const common = { supplierId, currency: 'USD' as const, vatClass: 'standard' as const, grossKgPerCase: '14', volumeM3PerCase: '0.02' }
  honey = (await call('products.save', { ...common, sku: 'CE-KG', nameEs: 'Miel de monte', salesUnit: 'kg', caseUnits: '12.5', stepUnits: '0.5', price: '3.47' })).id
  tiles = (
    await call('products.save', { ...common, sku: 'CE-M2', nameEs: 'Porcellanato 60×60', salesUnit: 'm2', caseUnits: '1.44', stepUnits: '0.01', price: '17.78', pricePerCase: true })
  ).id
  const buyer = (name: string) => call('buyers.save', { name, type: 'group', country: 'DE', language: 'de', taxTreatment: 'domestic' })
  kornblume = (await buyer('Foodcoop Kornblume')).id
  weltladen = (await buyer('Weltladen Süd')).id
  roundId = (
    await call('rounds.save', {
      name: 'Herbstrunde 2026',
      opensAt: '2026-02-01T00:00',
      closesAt: '2026-12-01T00:00',
      timeZone: 'Europe/Berlin',
      currency: 'USD',
      supplierIds: [supplierId],
      markupPercent: '0',
      contribution: '0',
      roundingStep: '0.01'
    })
  ).id
  await call('rounds.calculatePrices', { roundId })
  await call('rounds.setStatus', { id: roundId, status: 'open' })
})

afterEach(() => temp.dispose())

/** Kornblume 7,5 kg honey (+ 0,5 kg tolerance) and 5 m² tiles; Weltladen 4,5 kg and 3,64 m² — in steps. */
async function order() {
  await call('orders.setLines', {
    roundId,
    buyerId: kornblume,
    lines: [
      { productId: honey, quantity: 15, tolerance: 1 },
      { productId: tiles, quantity: 500, tolerance: 0 }
    ]
  })
  await call('orders.setLines', {
    roundId,
    buyerId: weltladen,
    lines: [
      { productId: honey, quantity: 9, tolerance: 0 },
      { productId: tiles, quantity: 364, tolerance: 0 }
    ]
  })
}

describe('ordering in steps of the unit', () => {
  it('a price per case becomes a price per unit in the round: 17,78 / 1,44 m² = 12,347… → 12,35 per m²', async () => {
    const prices = await call('rounds.prices', { roundId })
    expect(prices.find((p) => p.productId === tiles)).toMatchObject({ pricePerCase: true, stepMilli: 10, calculatedMinor: 1235, priceMinor: 1235 })
    expect(prices.find((p) => p.productId === honey)).toMatchObject({ pricePerCase: false, stepMilli: 500, calculatedMinor: 347 })
  })

  it('orders count steps, totals are exact: 7,5 kg × 3,47 = 26,025 → 26,03; 5 m² × 12,35 = 61,75', async () => {
    await order()
    const o = await call('orders.get', { roundId, buyerId: kornblume })
    expect(o.lines.map((l) => [l.sku, l.stepMilli, l.quantity, l.tolerance, l.totalMinor])).toEqual([
      ['CE-KG', 500, 15, 1, 2603],
      ['CE-M2', 10, 500, 0, 6175]
    ])
    expect(o.totalMinor).toBe(2603 + 6175)
    // Half a step is no step: refused with the step and the unit named, nothing written.
    const err = await fail('orders.setLines', { roundId, buyerId: kornblume, lines: [{ productId: honey, quantity: 2.5, tolerance: 0 }] })
    expect(err).toMatchObject({ code: 'validation', params: { fields: { 'lines.0.quantity': { code: 'quantity_step', params: { measure: 'kg', step: 0.5 } } } } })
    // At most a million kg: 2,000,000 steps of 0,5 kg pass, one more does not.
    const max = await fail('orders.setLines', { roundId, buyerId: kornblume, lines: [{ productId: honey, quantity: 2_000_001, tolerance: 0 }] })
    expect(max).toMatchObject({ params: { fields: { 'lines.0.quantity': { code: 'quantity_max' } } } })
    expect((await call('orders.get', { roundId, buyerId: kornblume })).lines.map((l) => l.quantity)).toEqual([15, 500])
  })

  it('cases, missing steps and the cut work in steps: 12 kg + 0,5 kg tolerance fill a case of 12,5 kg', async () => {
    await call('orders.setLines', { roundId, buyerId: kornblume, lines: [{ productId: honey, quantity: 15, tolerance: 0 }] })
    // 7,5 kg of 12,5: 5 kg (10 steps) missing.
    expect((await call('rounds.caseFill', { roundId })).find((f) => f.productId === honey)).toMatchObject({ stepMilli: 500, fullCases: 0, missing: 10 })
    await order()
    const c = await call('consolidation.get', { roundId })
    const p = (id: string) => c.products.find((x) => x.productId === id)!
    expect(p(honey)).toMatchObject({ stepMilli: 500, quantity: 24, tolerance: 1, cases: 1, available: 25, missingToNextCase: 0, cut: 0 })
    // 8,64 m² = 6 cases exactly (864 steps of 0,01 m²).
    expect(p(tiles)).toMatchObject({ stepMilli: 10, quantity: 864, cases: 6, available: 864, missingToNextCase: 0 })
    const lines = await call('consolidation.lines', { roundId, stage: 'planned', productId: honey })
    expect(lines.map((l) => [l.buyerName, l.granted, l.fromOrdered, l.fromTolerance, l.stepMilli])).toEqual([
      ['Foodcoop Kornblume', 16, 15, 1, 500],
      ['Weltladen Süd', 9, 9, 0, 500]
    ])
  })

  it('the purchase order bills the case price: 6 × 17,78 = 106,68 for 8,64 m², and 12,5 kg × 3,47 = 43,375 → 43,38', async () => {
    await order()
    await call('rounds.setStatus', { id: roundId, status: 'closed' })
    const [po] = await call('purchaseOrders.create', { roundId })
    const doc = await call('purchaseOrders.get', { id: po!.id })
    const line = (sku: string) => doc.lines.find((l) => l.sku === sku)!
    expect(line('CE-M2')).toMatchObject({ cases: 6, units: 864, stepMilli: 10, quantityMilli: 8640, unitPriceMinor: 1778, pricePerMilli: 1440, totalMinor: 10668 })
    expect(line('CE-KG')).toMatchObject({ cases: 1, units: 25, stepMilli: 500, quantityMilli: 12500, unitPriceMinor: 347, pricePerMilli: 1000, totalMinor: 4338 })
    expect(doc.totals.valueMinor).toBe(15006)
    expect((await call('purchaseOrders.list', { roundId }))[0]).toMatchObject({ totalMinor: 15006 })
    expect((await call('consolidation.get', { roundId })).suppliers[0]).toMatchObject({ valueMinor: 15006 })

    const text = pdfText(await call('purchaseOrders.exportDocument', { id: po!.id, format: 'pdf' }))
    const flat = text.replace(/\s+/g, ' ')
    // The description wraps in its column: "(precio por" on the line's row, "caja de 1,44 m²)" below it.
    expect(flat).toMatch(/CE-M2 Porcellanato 60×60 \(precio por 6 8,64 m² 17,78 USD 106,68 caja de 1,44 m²\)/)
    expect(flat).toMatch(/CE-KG Miel de monte 1 12,5 kg 3,47 USD 43,38/)
    expect(flat).toContain('Valor total USD 150,06')

    const file = await call('purchaseOrders.exportDocument', { id: po!.id, format: 'xlsx' })
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(Buffer.from(file.dataBase64, 'base64') as unknown as ArrayBuffer)
    const ws = wb.worksheets[0]!
    const row = (sku: string) => {
      let found: ExcelJS.Row | undefined
      ws.eachRow((r) => {
        if (r.getCell(1).value === sku) found = r
      })
      return found!
    }
    const m2 = row('CE-M2')
    expect([m2.getCell(3).value, m2.getCell(4).value, m2.getCell(5).value]).toEqual([6, 8.64, 17.78])
    expect(m2.getCell(7).value).toEqual({ formula: `ROUND(D${m2.number}*E${m2.number}/1.44,2)`, result: 106.68 })
    expect(String(m2.getCell(2).value)).toContain('precio por caja de 1,44 m²')
    const kg = row('CE-KG')
    expect(kg.getCell(7).value).toEqual({ formula: `ROUND(D${kg.number}*E${kg.number},2)`, result: 43.38 })
  })

  it('confirmed quantities are exact too: 8,60 m² confirmed of 8,64 cuts 0,04 m² from the last order', async () => {
    await order()
    await call('rounds.setStatus', { id: roundId, status: 'closed' })
    const [po] = await call('purchaseOrders.create', { roundId })
    await call('purchaseOrders.setStatus', { id: po!.id, status: 'sent' })
    await call('purchaseOrders.recordQuantities', { purchaseOrderId: po!.id, lines: [{ productId: tiles, confirmedUnits: 860, receivedUnits: null, brokenUnits: 0 }] })
    const c = await call('consolidation.get', { roundId, stage: 'confirmed' })
    expect(c.products.find((x) => x.productId === tiles)).toMatchObject({ available: 860, cut: 4 })
    const lines = await call('consolidation.lines', { roundId, stage: 'confirmed', productId: tiles })
    expect(lines.map((l) => [l.buyerName, l.granted])).toEqual([
      ['Foodcoop Kornblume', 500],
      ['Weltladen Süd', 360]
    ])
    // The change notice tells Weltladen in its unit: 3,64 m² ordered, 3,6 m² delivered.
    const notice = await call('consolidation.exportChanges', { roundId, purchaseOrderId: po!.id, buyerId: weltladen, stage: 'confirmed', format: 'csv' })
    const csv = Buffer.from(notice.dataBase64, 'base64').toString('utf8')
    expect(csv).toMatch(/Weltladen Süd;;de;CE-M2;[^;]+;3,64;0;3,6;/)
  })

  it('the step stays once the product has quantities (the database refuses it too)', async () => {
    const before = await call('products.get', { id: honey })
    expect(before).toMatchObject({ stepMilli: 500, pricePerCase: false })
    // Before any order it may change, and back.
    await call('products.save', { ...productInput(before), stepUnits: '0.25' })
    await call('products.save', { ...productInput(before), stepUnits: '0.5' })
    // Larger than a case: refused.
    expect(await fail('products.save', { ...productInput(before), stepUnits: '13' })).toMatchObject({ params: { fields: { stepUnits: { code: 'step_case' } } } })
    await order()
    expect(await fail('products.save', { ...productInput(before), stepUnits: '1' })).toMatchObject({ params: { fields: { stepUnits: { code: 'step_in_use' } } } })
    // Empty means whole units: also a change, also refused.
    expect(await fail('products.save', { ...productInput(before), stepUnits: '' })).toMatchObject({ params: { fields: { stepUnits: { code: 'step_in_use' } } } })
    expect(() => session.requireWorkspace().db.prepare('UPDATE product SET step_milli = 1000 WHERE id = ?').run(honey)).toThrow(/product step in use/)
    // Other fields still save.
    expect(await call('products.save', { ...productInput(before), nameEs: 'Miel de monte (orgánica)' })).toMatchObject({ stepMilli: 500 })
  })
})

describe('files in steps', () => {
  it('an order table says 1,5 (kg) and means 3 steps; 1,3 is not a step', async () => {
    const csv = 'Gruppe;Artikelnummer;Menge\nFoodcoop Kornblume;CE-KG;1,5\nWeltladen Süd;CE-M2;2,37\nWeltladen Süd;CE-KG;1,3\n'
    const preview = await call('orders.importPreview', { roundId, fileName: 'bestellung.csv', data: Buffer.from(csv) })
    expect(preview.rows.map((r) => [r.sku, r.stepMilli, r.quantity, r.status])).toEqual([
      ['CE-KG', 500, 3, 'ok'],
      ['CE-M2', 10, 237, 'ok'],
      ['CE-KG', 500, null, 'error']
    ])
    expect(preview.rows[2]!.errors).toEqual([{ ns: 'importErrors', code: 'not_step', params: { value: '1,3', step: 0.5 }, field: 'quantity' }])
  })

  it('the order form and the matrix write the quantities in the unit: 7,5 kg and 5 m²', async () => {
    await order()
    const form = await call('orders.exportForm', { roundId, buyerId: kornblume, format: 'xlsx' })
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(Buffer.from(form.dataBase64, 'base64') as unknown as ArrayBuffer)
    const ws = wb.worksheets.find((w) => w.state === 'visible')!
    const values: unknown[][] = []
    ws.eachRow((r) => {
      if (r.getCell(1).value === 'CE-KG' || r.getCell(1).value === 'CE-M2') values.push([r.getCell(1).value, r.getCell(3).value, r.getCell(6).value, r.getCell(7).value])
    })
    expect(values).toEqual([
      ['CE-KG', 'kg, in Schritten von 0,5', 7.5, 0.5],
      ['CE-M2', 'm², in Schritten von 0,01', 5, null]
    ])
    // Filled back in unchanged, the form changes nothing.
    const back = await call('orders.importPreview', { roundId, fileName: form.fileName, data: Buffer.from(form.dataBase64, 'base64') })
    expect(back.rows.filter((r) => r.sku.startsWith('CE-')).map((r) => [r.sku, r.quantity, r.tolerance, r.status])).toEqual([
      ['CE-KG', 15, 1, 'unchanged'],
      ['CE-M2', 500, 0, 'unchanged']
    ])

    const matrix = Buffer.from((await call('orders.exportMatrix', { roundId, format: 'csv' })).dataBase64, 'base64').toString('utf8')
    expect(matrix).toContain('Foodcoop Kornblume;;7,5;5;87,78')
    expect(matrix).toContain('Weltladen Süd;;4,5;3,64;60,57')
  })
})

/** A product as products.save takes it back, from what products.get returned. */
function productInput(p: Awaited<ReturnType<typeof call<'products.get'>>>) {
  return {
    id: p.id,
    supplierId: p.supplierId,
    sku: p.sku,
    nameEs: p.nameEs,
    salesUnit: p.salesUnit as 'kg',
    caseUnits: String(p.caseMilli / 1000),
    stepUnits: String(p.stepMilli / 1000),
    price: '3.47',
    currency: 'USD' as const,
    vatClass: 'standard' as const
  }
}
