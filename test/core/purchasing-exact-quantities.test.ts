import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { dispatch } from '../../src/core/api/dispatch.ts'
import type { Session } from '../../src/core/app/session.ts'
import { quantityAmountMinor } from '../../src/core/common/money.ts'
import { frozenEnv } from '../support/env.ts'
import { type TempSession, tempSession } from '../support/workspace.ts'

let temp: TempSession
let session: Session

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function call<T = any>(method: string, input?: unknown): Promise<T> {
  const r = await dispatch({ session }, method, input)
  if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r.error)}`)
  return r.result as T
}

interface FileResult {
  fileName: string
  dataBase64: string
}

/** The PDF's text as laid out on the page, spaces collapsed within lines. */
function pdfText(f: FileResult): string {
  const path = join(temp.dir, f.fileName)
  writeFileSync(path, Buffer.from(f.dataBase64, 'base64'))
  return execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', path, '-'], { encoding: 'utf8' })
    .replace(/[\u00a0\u202f]/g, ' ')
    .replace(/[ \t]+/g, ' ')
}

let roundId: string
let supplierId: string
const products: Record<string, string> = {}

/**
 * A cooperative selling tiles by the m² (a case holds 1.44 m², USD 12.35 per m²), honey by the kg (a case
 * holds 12.5 kg, USD 3.47 per kg) and bags of yerba (10 a case, USD 2.10 each). Ordered with the policy
 * "always a whole case up": 8 m² → 6 cases (5 hold 7.2 m²), 30 kg → 3 cases (2 hold 25 kg), 10 bags → 1 case.
 */
beforeEach(async () => {
  temp = tempSession({ prefix: 'puente-exact-', env: frozenEnv('2026-03-01T09:00:01Z', { step: 1000 }) })
  session = temp.session
  await temp.create('exact.puente')
  await call('settings.save', { name: 'Solidarische Importe e.V.', country: 'DE', smallBusiness: false, defaultLanguage: 'de', defaultCurrency: 'EUR' })
  supplierId = (await call('suppliers.save', { name: 'Cooperativa Cerámica Zanón', country: 'AR' })).id
  const product = async (sku: string, nameEs: string, salesUnit: string, caseUnits: string, price: string) =>
    (products[sku] = (
      await call('products.save', { supplierId, sku, nameEs, salesUnit, caseUnits, price, currency: 'USD', vatClass: 'standard', grossKgPerCase: '10', volumeM3PerCase: '0.02' })
    ).id)
  await product('CE-BAG', 'Yerba mate 1 kg', 'bag', '10', '2.10')
  await product('CE-KG', 'Miel de monte', 'kg', '12.5', '3.47')
  await product('CE-M2', 'Porcellanato 60×60', 'm2', '1.44', '12.35')
  const buyerId = (await call('buyers.save', { name: 'Foodcoop Kornblume', type: 'group', country: 'DE', language: 'de', taxTreatment: 'domestic' })).id
  roundId = (
    await call('rounds.save', {
      name: 'Herbstrunde 2026',
      opensAt: '2026-02-01T00:00',
      closesAt: '2026-12-01T00:00',
      timeZone: 'Europe/Berlin',
      currency: 'USD',
      supplierIds: [supplierId]
    })
  ).id
  await call('rounds.calculatePrices', { roundId })
  await call('rounds.setStatus', { id: roundId, status: 'open' })
  await call('orders.setLines', {
    roundId,
    buyerId,
    lines: [
      { productId: products['CE-M2'], quantity: 8, tolerance: 0 },
      { productId: products['CE-KG'], quantity: 30, tolerance: 0 },
      { productId: products['CE-BAG'], quantity: 10, tolerance: 0 }
    ]
  })
  await call('rounds.setStatus', { id: roundId, status: 'closed' })
  await call('consolidation.setPolicy', { roundId, roundingPolicy: 'always_up', cutStrategy: 'first_come' })
})

afterEach(() => temp.dispose())

async function createPo(): Promise<string> {
  const [po] = await call('purchaseOrders.create', {
    roundId,
    incoterm: 'FCA',
    incotermPlace: 'Neuquén',
    terms: [
      { label: 'before_shipping', sharePercent: 60 },
      { label: 'after_arrival', sharePercent: 40 }
    ]
  })
  return po.id
}

// Hand-computed: 6 × 1.44 = 8.64 m² × 12.35 = 106.704 → USD 106.70 (the old rule: 8 units × 12.35 = 98.80);
// 3 × 12.5 = 37.5 kg × 3.47 = 130.125 → USD 130.13 (half up; the old rule: 37 × 3.47 = 128.39);
// 10 bags × 2.10 = USD 21.00. Total USD 257.83; 60 % = 154.698 and 40 % = 103.132, by largest
// remainder 154.70 and 103.13.

describe('exact quantities on purchase orders', () => {
  it('the line keeps cases × case size and its amount is that × the unit price to the cent', async () => {
    expect(quantityAmountMinor(8640, 1235)).toBe(10670)
    expect(quantityAmountMinor(37500, 347)).toBe(13013)
    expect(quantityAmountMinor(37499, 347)).toBe(13012) // 130.121153 → 130.12
    const id = await createPo()
    const doc = await call('purchaseOrders.get', { id })
    const line = (sku: string) => doc.lines.find((l: { sku: string }) => l.sku === sku)
    expect(line('CE-M2')).toMatchObject({ cases: 6, units: 8, salesUnit: 'm2', quantityMilli: 8640, unitPriceMinor: 1235, totalMinor: 10670 })
    expect(line('CE-KG')).toMatchObject({ cases: 3, units: 37, salesUnit: 'kg', quantityMilli: 37500, unitPriceMinor: 347, totalMinor: 13013 })
    expect(line('CE-BAG')).toMatchObject({ cases: 1, units: 10, salesUnit: 'bag', quantityMilli: 10000, unitPriceMinor: 210, totalMinor: 2100 })
    expect(doc.totals).toMatchObject({ valueMinor: 25783, cases: 10, units: 10, measuredLines: 2 })
    expect(doc.payments.map((p: { amountMinor: number }) => p.amountMinor)).toEqual([15470, 10313])
    const stored = session
      .requireWorkspace()
      .db.prepare('SELECT p.sku, l.quantity_milli AS q FROM purchase_order_line l JOIN product p ON p.id = l.product_id ORDER BY p.sku')
      .all()
    expect(stored).toEqual([
      { sku: 'CE-BAG', q: 10000 },
      { sku: 'CE-KG', q: 37500 },
      { sku: 'CE-M2', q: 8640 }
    ])

    // The list of orders and the consolidation's value per cooperative agree with it.
    const [summary] = await call('purchaseOrders.list', { roundId })
    expect(summary).toMatchObject({ totalMinor: 25783, lines: 3 })
    const c = await call('consolidation.get', { roundId, stage: 'planned' })
    expect(c.suppliers.find((s: { supplierId: string }) => s.supplierId === supplierId).valueMinor).toBe(25783)

    // New terms split the exact total: 50 % of 257.83 = 128.915 each, the odd cent to the first.
    const halves = [
      { label: 'on_order', sharePercent: 50 },
      { label: 'after_arrival', sharePercent: 50 }
    ]
    await call('purchaseOrders.update', { id, language: 'es', terms: halves })
    expect((await call('purchaseOrders.get', { id })).payments.map((p: { amountMinor: number }) => p.amountMinor)).toEqual([12892, 12891])
  })

  it('the PDF shows 8,64 m² and 37,5 kg with their exact amounts, the exact total and payment amounts', async () => {
    const id = await createPo()
    const text = pdfText(await call<FileResult>('purchaseOrders.exportDocument', { id, format: 'pdf' }))
    const row = (sku: string) => text.split('\n').find((l) => l.includes(sku)) ?? ''
    expect(row('CE-M2')).toMatch(/CE-M2 Porcellanato 60×60 6 8,64 m² 12,35 USD 106,70/)
    expect(row('CE-KG')).toMatch(/CE-KG Miel de monte 3 37,5 kg 3,47 USD 130,13/)
    expect(row('CE-BAG')).toMatch(/CE-BAG Yerba mate 1 kg 1 10 2,10 USD 21,00/)
    // The cases add up; units in m², kg and bags do not, so no sum of them is printed.
    expect(text).toMatch(/Total 10 USD 257,83/)
    expect(text).toMatch(/Valor total USD 257,83/)
    expect(text.replace(/\s+/g, ' ')).toContain('60% antes del embarque: USD 154,70')
    expect(text.replace(/\s+/g, ' ')).toContain('40% después de la llegada: USD 103,13')
    expect(text).not.toContain('98,80')
    expect(text).not.toContain('128,39')

    // In English the same quantities with English decimals.
    session.requireWorkspace().db.prepare(`UPDATE purchase_order SET language = 'en' WHERE id = ?`).run(id)
    const english = pdfText(await call<FileResult>('purchaseOrders.exportDocument', { id, format: 'pdf' }))
    expect(english).toMatch(/CE-M2 .* 6 8\.64 m² 12\.35 USD 106\.70/)
    expect(english).toMatch(/CE-KG .* 3 37\.5 kg 3\.47 USD 130\.13/)
    expect(english).toMatch(/Total value USD 257\.83/)
  })

  it('the XLSX holds the exact quantities as numbers in their unit, rounded line totals and the exact sum', async () => {
    const id = await createPo()
    const file = await call<FileResult>('purchaseOrders.exportDocument', { id, format: 'xlsx' })
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(Buffer.from(file.dataBase64, 'base64') as unknown as ArrayBuffer)
    const ws = wb.worksheets[0]!
    const rows = [11, 12, 13].map((r) => ws.getRow(r))
    expect(rows.map((r) => [r.getCell(1).value, r.getCell(3).value, r.getCell(4).value, r.getCell(5).value, r.getCell(7).value])).toEqual([
      ['CE-BAG', 1, 10, 2.1, { formula: 'D11*E11', result: 21 }],
      ['CE-KG', 3, 37.5, 3.47, { formula: 'ROUND(D12*E12,2)', result: 130.13 }],
      ['CE-M2', 6, 8.64, 12.35, { formula: 'ROUND(D13*E13,2)', result: 106.7 }]
    ])
    expect(rows.map((r) => r.getCell(4).numFmt)).toEqual([undefined, '#,##0.0 "kg"', '#,##0.00 "m²"'])
    const total = ws.getRow(14)
    expect(total.getCell(3).value).toEqual({ formula: 'SUM(C11:C13)', result: 10 })
    expect(total.getCell(4).value).toBeNull()
    expect(total.getCell(7).value).toEqual({ formula: 'SUM(G11:G13)', result: 257.83 })
    const amounts: number[] = []
    ws.eachRow((r) => {
      if (String(r.getCell(2).value).includes('%')) amounts.push(r.getCell(7).value as number)
    })
    expect(amounts).toEqual([154.7, 103.13])
  })
})
