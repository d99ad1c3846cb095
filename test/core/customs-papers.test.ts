import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import type { Session } from '../../src/core/app/session.ts'
import { isVagueDescription } from '../../src/core/shipments/papers.ts'
import { api } from '../support/api.ts'
import { frozenEnv } from '../support/env.ts'
import { type TempSession, tempSession } from '../support/workspace.ts'

/**
 * The customs papers of a shipment (issue 10, item 3): the commercial invoice, the packing list, the data
 * sheet for the customs broker and the CN23, read back with pdftotext; and the warnings. Every expected
 * figure is worked out by hand in the comments from the scene below.
 */

let temp: TempSession
let session: Session
const { call, fail } = api(() => session)
const dir = mkdtempSync(join(tmpdir(), 'puente-papers-'))

afterEach(() => temp.dispose())
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** The text as laid out on the page, spaces collapsed within lines. */
function layout(pdf: Buffer, name: string): string {
  const path = join(dir, `${name}.pdf`)
  writeFileSync(path, pdf)
  return execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', path, '-'], { encoding: 'utf8' })
    .replace(/[\u00a0\u202f]/g, ' ')
    .replace(/[ \t]+/g, ' ')
}

async function paper(id: string, kind: 'invoice' | 'packing' | 'broker' | 'cn23'): Promise<{ text: string; fileName: string }> {
  const f = await call('shipments.exportPaper', { id, paper: kind })
  expect(f.mime).toBe('application/pdf')
  const bytes = Buffer.from(f.dataBase64, 'base64')
  expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-')
  return { text: layout(bytes, `${kind}-${f.fileName}`), fileName: f.fileName }
}

interface Scene {
  shipmentId: string
  roundId: string
}

/**
 * A German association imports from an Argentine cooperative (prices in EUR):
 *   CA-ALG  100 T-shirts     (50 a case of 15 kg, 0,05 m³)    × 5,00  =   500,00   2 cartons  30 kg        net —
 *   RG-01    10 "Gifts"      (10 a case of 2 kg, 0,02 m³)     × 1,50  =    15,00   1 carton    2 kg        net —
 *   VT-MAL 210 bottles wine  (6 a case of 8,1 kg, 0,018 m³)   × 6,50  = 1.365,00  35 cartons 283,5 kg     net 157,5 (0,75 l each)
 *   YM-1K  100 bags yerba    (10 a case of 10,5 kg, 0,05 m³)  × 3,20  =   320,00  10 cartons 105 kg       net 100
 *                                                              total   2.200,00  48 cartons 420,5 kg     net 257,5
 * Cartons 001–002 shirts, 003 gifts, 004–038 wine, 039–048 yerba (the lines in SKU order).
 */
async function scene(options: { destination?: 'AT' | 'CH'; mode?: 'sea_lcl' | 'post'; pallet?: boolean; packages?: boolean } = {}): Promise<Scene> {
  temp = tempSession({ prefix: 'puente-papers-', env: frozenEnv('2026-03-01T09:00:01Z', { step: 1000 }) })
  session = temp.session
  await temp.create('papers.puente')
  await call('settings.save', {
    name: 'Solidarische Importe e.V.',
    street: 'Gärtnerstraße 12',
    postalCode: '10245',
    city: 'Berlin',
    country: 'DE',
    vatId: 'DE123456788',
    eori: 'DE123456789012345',
    smallBusiness: false,
    defaultLanguage: 'de',
    defaultCurrency: 'EUR'
  })
  const supplierId = (
    await call('suppliers.save', {
      name: 'Cooperativa Agroindustrial Las Flores Ltda.',
      cuit: '30-71234567-1',
      street: 'Ruta 14 km 1050',
      postalCode: 'N3360',
      city: 'Oberá',
      province: 'Misiones',
      country: 'AR'
    })
  ).id
  const product = async (p: Record<string, unknown>) => (await call('products.save', { supplierId, currency: 'EUR', ...p } as never)).id
  const shirts = await product({ sku: 'CA-ALG', nameEs: 'Camiseta de algodón', nameEn: 'Men’s T-shirts, knitted, 100 % cotton', salesUnit: 'piece', caseUnits: '50', grossKgPerCase: '15', volumeM3PerCase: '0.05', hsCode: '61091000', price: '5.00', vatClass: 'standard' })
  const gifts = await product({ sku: 'RG-01', nameEs: 'Regalos', salesUnit: 'piece', caseUnits: '10', grossKgPerCase: '2', volumeM3PerCase: '0.02', hsCode: '44209000', price: '1.50', vatClass: 'standard' })
  const wine = await product({ sku: 'VT-MAL', nameEs: 'Vino Malbec 0,75 l', nameEn: 'Red wine Malbec, 13.5 % vol, 0.75 l bottles', salesUnit: 'bottle', caseUnits: '6', grossKgPerCase: '8.1', volumeM3PerCase: '0.018', hsCode: '22042198', price: '6.50', vatClass: 'standard', netQuantity: '0.75', netUnit: 'l', alcoholPercent: '13.5' })
  const yerba = await product({ sku: 'YM-1K', nameEs: 'Yerba mate con palo 1 kg', nameEn: 'Yerba mate, dried, with stems, 1 kg bags', salesUnit: 'bag', caseUnits: '10', grossKgPerCase: '10.5', volumeM3PerCase: '0.05', hsCode: '09030000', price: '3.20', vatClass: 'reduced', netQuantity: '1', netUnit: 'kg', organic: true })
  const buyerId = (await call('buyers.save', { name: 'Foodcoop Kornblume', type: 'group', country: 'DE', language: 'de', taxTreatment: 'domestic' })).id
  const roundId = (
    await call('rounds.save', { name: 'Frühjahr 2026', opensAt: '2026-02-01T00:00', closesAt: '2026-12-01T00:00', timeZone: 'Europe/Berlin', currency: 'EUR', supplierIds: [supplierId] })
  ).id
  await call('rounds.calculatePrices', { roundId })
  await call('rounds.setStatus', { id: roundId, status: 'open' })
  await call('orders.setLines', {
    roundId,
    buyerId,
    lines: [
      { productId: shirts, quantity: 100, tolerance: 0 },
      { productId: gifts, quantity: 10, tolerance: 0 },
      { productId: wine, quantity: 210, tolerance: 0 },
      { productId: yerba, quantity: 100, tolerance: 0 }
    ]
  })
  await call('rounds.setStatus', { id: roundId, status: 'closed' })
  const [po] = await call('purchaseOrders.create', { roundId, incoterm: 'FOB', incotermPlace: 'Buenos Aires' })
  await call('purchaseOrders.update', {
    id: po!.id,
    language: 'es',
    terms: [
      { label: 'before_shipping', sharePercent: 60, dueDate: '2026-04-15' },
      { label: 'after_arrival', sharePercent: 40, dueDate: null }
    ]
  })
  await call('purchaseOrders.setStatus', { id: po!.id, status: 'sent' })
  const shipment = await call('shipments.create', { roundId, purchaseOrderIds: [po!.id], mode: options.mode ?? 'sea_lcl' })
  await call('shipments.update', {
    id: shipment.id,
    mode: options.mode ?? 'sea_lcl',
    incoterm: 'FOB',
    incotermPlace: 'Buenos Aires',
    portLoading: 'Buenos Aires',
    portDischarge: 'Hamburg',
    transportDocument: 'MSCU1234567',
    marks: 'SOLI/2026-1/001',
    originStatement: true,
    destinationCountry: options.destination ?? null
  })
  const packages = options.packages === false ? [] : await call('shipments.generatePackages', { shipmentId: shipment.id })
  if (options.pallet) {
    const wineCartons = packages.filter((p) => p.lines[0]!.sku === 'VT-MAL').map((p) => p.id)
    await call('shipments.addPallet', { shipmentId: shipment.id, packageIds: wineCartons, lengthCm: '120', widthCm: '80', heightCm: '100', tareKg: '25' })
  }
  for (const [cnCode, rate] of [
    ['61091000', { adValorem: '12' }],
    ['44209000', { adValorem: '0' }],
    ['09030000', { adValorem: '0' }]
  ] as const)
    await call('landedCost.saveDutyRate', { cnCode, validFrom: '2020-01-01', ...rate })
  return { shipmentId: shipment.id, roundId }
}

/** The wine's duty: € 13,10 per hl (DOMAIN.md §2.4). */
const wineDuty = () => call('landedCost.saveDutyRate', { cnCode: '22042198', validFrom: '2020-01-01', perHl: '13.10' })

/** A figure that follows its label on the same line: "Gross weight / Peso bruto: 445.5 kg". */
const after = (text: string, label: string) => new RegExp(`${label.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:? (\\S+)`).exec(text)?.[1]

describe('the commercial invoice', () => {
  it('names both parties with their ids, every line with CN code, origin, Rec. 20 unit, price, total and weights; freight and insurance apart', async () => {
    const s = await scene({ pallet: true })
    await call('reference.saveExchangeRate', { base: 'USD', quote: 'EUR', rate: '0.92', validOn: '2026-02-27' })
    await call('landedCost.saveCost', { shipmentId: s.shipmentId, name: 'Ocean freight Buenos Aires – Hamburg', provider: 'Cargo Sur', amount: '850', currency: 'USD', basis: 'gross_weight', stage: 'to_border' })
    await call('landedCost.saveCost', { shipmentId: s.shipmentId, name: 'Cargo insurance', amount: '35', currency: 'EUR', basis: 'value', stage: 'to_border' })
    await call('landedCost.saveCost', { shipmentId: s.shipmentId, name: 'Truck Hamburg – Berlin', amount: '380', currency: 'EUR', basis: 'gross_weight', stage: 'to_destination' })
    const { text, fileName } = await paper(s.shipmentId, 'invoice')
    expect(fileName).toBe('Commercial invoice SH-2026-001.pdf')
    expect(text).toContain('Commercial invoice / Factura comercial SH-2026-001')
    // Exporter with CUIT → importer with EORI and VAT ID.
    expect(text).toMatch(/EXPORTER \/ EXPORTADOR IMPORTER \/ IMPORTADOR/)
    expect(text).toContain('CUIT: 30-71234567-1')
    expect(text).toContain('EORI: DE123456789012345')
    expect(text).toContain('VAT ID / N.º de IVA: DE123456788')
    expect(text).toMatch(/FOB Buenos Aires Incoterms®/)
    // Per line: CN code of 8 digits, origin, quantity with its Rec. 20 unit, unit price, total, net and gross kg.
    expect(text).toMatch(/1 CA-ALG Men’s T-shirts.* 6109 10 00 AR 100 C62 5\.00 500\.00 — 30\n/)
    expect(text).toMatch(/2 RG-01 Regalos 4420 90 00 AR 10 C62 1\.50 15\.00 — 2\n/)
    expect(text).toMatch(/3 VT-MAL Red wine Malbec.* 2204 21 98 AR 210 XBO 6\.50 1,365\.00 157\.5 283\.5\n/)
    expect(text).toMatch(/4 YM-1K Yerba mate.* 0903 00 00 AR 100 XBG 3\.20 320\.00 100 105\n/)
    // 500 + 15 + 1.365 + 320 = 2.200 EUR; net 157,5 + 100; gross of the cartons 30 + 2 + 283,5 + 105.
    expect(text).toMatch(/Total EUR 2,200\.00 257\.5 420\.5\n/)
    expect(text).toContain('EUR 2,200.00 (FOB Buenos Aires)')
    // Freight and insurance up to the border in their own currencies; the truck after the border is not on it.
    expect(text).toContain('Ocean freight Buenos Aires – Hamburg (Cargo Sur): USD 850.00')
    expect(text).toContain('Cargo insurance: EUR 35.00')
    expect(text).not.toContain('Truck Hamburg')
    // 13 loose cartons and one pallet of the 35 wine cartons; gross 420,5 + 25 kg pallet; 0,96 m³ pallet + 0,62 m³ loose.
    expect(text).toContain('14 packages (13 CT, 1 PX); 48 cartons / 14 bultos (13 CT, 1 PX); 48 cajas')
    expect(text).toContain('Marks and numbers / Marcas y números: SOLI/2026-1/001/001–049')
    expect(after(text, 'Net weight / Peso neto')).toBe('257.5')
    expect(after(text, 'Gross weight / Peso bruto')).toBe('445.5')
    expect(after(text, 'Volume / Volumen')).toBe('1.58')
    expect(text).toContain('including the pallets’ own weight of 25 kg')
    // Payment terms of the purchase order.
    expect(text).toContain('PO-2026-0001: 60% before shipping, due 15 April 2026 / 60% antes del embarque, vence el 15 de abril de 2026')
    expect(text).toContain('PO-2026-0001: 40% after arrival / 40% después de la llegada')
    // The documents wine above 100 l and organic goods need.
    expect(text).toMatch(/Wine above 100 l \(157\.5 l: VT-MAL/)
    expect(text).toMatch(/certificate of inspection \(COI\) in\s+TRACES/)
    // The statement on origin with the exporter's CUIT, place, date and name.
    expect(text).toMatch(/\(Exporter Reference No 30-71234567-1\) declares that, except\s+where otherwise clearly indicated, these products are of Argentine preferential origin\./)
    expect(text).toContain('Place and date / Lugar y fecha: Oberá, 1 March 2026')
  })

  it('leaves the statement on origin out unless the shipment asks for it', async () => {
    const s = await scene()
    await call('shipments.update', { id: s.shipmentId, mode: 'sea_lcl', incoterm: 'FCA', incotermPlace: 'Oberá', marks: 'SOLI/2026-1/001', originStatement: false })
    const { text } = await paper(s.shipmentId, 'invoice')
    expect(text).not.toContain('Statement on origin')
    expect(text).toMatch(/FCA Oberá Incoterms®/)
    // Without a pallet: 48 cartons travel as 48 packages.
    expect(text).toContain('48 packages (48 CT); 48 cartons')
    expect(text).toContain('SOLI/2026-1/001/001–048')
    expect(text).toContain('none billed / ninguno facturado')
  })
})

describe('the packing list', () => {
  it('lists every package n/N with marks, contents, weights, dimensions and m³; pallets with their cartons; totals agree with the invoice', async () => {
    const s = await scene({ pallet: true })
    const { text } = await paper(s.shipmentId, 'packing')
    const invoice = (await paper(s.shipmentId, 'invoice')).text
    expect(text).toMatch(/1\/14 SOLI\/2026-1\/001\/001 CT CA-ALG Men’s T-shirts, knitted,.* — 15 — 0\.05\n/)
    expect(text).toMatch(/3\/14 SOLI\/2026-1\/001\/003 CT RG-01 Regalos × 10 C62 — 2 — 0\.02\n/)
    expect(text).toMatch(/4\/14 SOLI\/2026-1\/001\/039 CT YM-1K Yerba mate, dried, with stems,.* 10 10\.5 — 0\.05\n/)
    expect(text).toMatch(/13\/14 SOLI\/2026-1\/001\/048 CT YM-1K/)
    // The pallet: 35 wine cartons of 8,1 kg + 25 kg = 308,5 kg; 35 × 4,5 l = 157,5 kg net; 120 × 80 × 100 cm = 0,96 m³.
    expect(text).toMatch(/14\/14 SOLI\/2026-1\/001\/049 PX 35 CT: 004–038 157\.5 308\.5 120 × 80 × 100 0\.96\n/)
    expect(text).toMatch(/↳ SOLI\/2026-1\/001\/004 CT VT-MAL Red wine Malbec, 13\.5 % vol, 4\.5 8\.1 — 0\.018\n/)
    // Every mark is on it.
    for (let n = 1; n <= 49; n++) expect(text).toContain(`SOLI/2026-1/001/${String(n).padStart(3, '0')}`)
    expect(text).toMatch(/Total 14 packages \/ 14 bultos 257\.5 445\.5 1\.58\n/)
    // The totals equal the invoice's.
    const totals = /Total 14 packages \/ 14 bultos (\S+) (\S+) (\S+)\n/.exec(text)!
    expect([totals[1], totals[2], totals[3]]).toEqual([after(invoice, 'Net weight / Peso neto'), after(invoice, 'Gross weight / Peso bruto'), after(invoice, 'Volume / Volumen')])
    expect(invoice).toContain('14 packages (13 CT, 1 PX)')
    expect(text).toContain('These totals agree with the commercial invoice SH-2026-001.')
  })
})

describe('the data sheet for the customs broker', () => {
  it('per CN code and origin: packages, kg, litres and % vol, value, customs value, duty and import VAT', async () => {
    const s = await scene()
    await wineDuty()
    const { text } = await paper(s.shipmentId, 'broker')
    expect(text).toContain('CN 2204 21 98 · origin AR / NC 2204 21 98 · origen AR')
    expect(text).toMatch(/Packages \/ Bultos 35 Supplementary units \/ Unidades 157\.5 l · 13\.5 % vol · 210 XBO/)
    expect(text).toMatch(/Net weight \/ Peso neto 157\.5 kg Gross weight \/ Peso bruto 283\.5 kg/)
    // No costs yet: customs value = goods. Wine: 1,575 hl × 13,10 € = 20,6325 → 20,63 €; shirts 12 % of 500 = 60 €.
    expect(text).toMatch(/Value \/ Valor EUR 1,365\.00 Value in EUR \/ Valor en EUR EUR 1,365\.00/)
    expect(text).toMatch(/Customs exchange rate of \/ Tipo de cambio/)
    expect(text).toMatch(/Customs value \/ Valor en aduana EUR 1,365\.00 Duty \/ Derechos de importación EUR 20\.63/)
    expect(text).toMatch(/Customs value \/ Valor en aduana EUR 500\.00 Duty \/ Derechos de importación EUR 60\.00/)
    // Import VAT 19 %: (560,00 + 15,00 + 1.385,63) × 19 % = 372,5197 → 372,52, split 106,40 / 2,85 / 263,27;
    // 7 % of the yerba's 320,00 = 22,40.
    const vats = [...text.matchAll(/Import VAT \/ IVA de importación (EUR \S+)/g)].map((m) => m[1])
    // Groups in CN order: 0903 yerba, 2204 wine, 4420 gifts, 6109 shirts; then all.
    expect(vats).toEqual(['EUR 22.40', 'EUR 263.27', 'EUR 2.85', 'EUR 106.40', 'EUR 394.92'])
    expect(text).toContain('CN 0903 00 00 · origin AR')
    expect(text).toContain('CN 6109 10 00 · origin AR')
    expect(text).toMatch(/Customs value \/ Valor en aduana EUR 2,200\.00 Duty \/ Derechos de importación EUR 80\.63/)
    // The warnings where the rules ask for more.
    expect(text).toContain('To check before clearance / A verificar antes del despacho')
    expect(text).toMatch(/too vague for the EU pre-arrival filing \(ICS2\): RG-01 \(Regalos\)/)
  })

  it('says why the figures cannot be computed (a missing duty rate), in both languages, instead of figures', async () => {
    const s = await scene()
    const { text } = await paper(s.shipmentId, 'broker')
    expect(text).toContain('Customs value, duty and import VAT cannot be computed yet')
    expect(text).toMatch(/There is no duty rate for CN code 22042198 on 2026-03-01/)
    expect(text).toMatch(/No hay tasa arancelaria para el código NC 22042198/)
    expect(text).toMatch(/Customs value \/ Valor en aduana — Duty \/ Derechos de importación —/)
    expect(text).not.toMatch(/Import VAT \/ IVA de importación EUR/)
    // What does not depend on it is there.
    expect(text).toMatch(/Value \/ Valor EUR 1,365\.00/)
  })
})

describe('the CN23 of a post shipment', () => {
  it('sender, addressee, "sale of goods", per item description, quantity, net weight, value, HS code and origin; totals', async () => {
    const s = await scene({ mode: 'post' })
    const { text, fileName } = await paper(s.shipmentId, 'cn23')
    expect(fileName).toBe('Customs declaration CN 23 SH-2026-001.pdf')
    expect(text).toContain('SENDER / REMITENTE ADDRESSEE / DESTINATARIO')
    expect(text).toMatch(/X Sale of goods \/ Venta de mercancías/)
    expect(text).toMatch(/Regalos \(RG-01\) 10 C62 — 15\.00 EUR 4420 90 00 AR/)
    expect(text).toMatch(/Red wine Malbec, 13\.5 % vol, 0\.75 l 210 XBO 157\.5 1,365\.00 EUR 2204 21 98 AR/)
    expect(text).toMatch(/Yerba mate, dried, with stems, 1 kg bags 100 XBG 100 320\.00 EUR 0903 00 00 AR/)
    expect(text).toMatch(/Total 257\.5 2,200\.00 EUR/)
    expect(text).toMatch(/Total gross weight \/ Peso bruto total.*\n420\.5 kg EUR 2,200\.00/)
  })
})

describe('missing weights and volumes', () => {
  it('refuse every paper, naming the products; nothing is produced', async () => {
    const s = await scene()
    const db = session.requireWorkspace().db
    db.prepare(`UPDATE product SET gross_g_per_case = NULL WHERE sku = 'YM-1K'`).run()
    db.prepare(`UPDATE product SET volume_cm3_per_case = NULL WHERE sku = 'CA-ALG'`).run()
    for (const kind of ['invoice', 'packing', 'broker', 'cn23'])
      expect(await fail('shipments.exportPaper', { id: s.shipmentId, paper: kind })).toMatchObject({ code: 'shipment.papers_measures', params: { skus: 'CA-ALG, YM-1K', count: 2 } })
  })

  it('a carton whose weight was removed by hand names what it holds', async () => {
    const s = await scene()
    const { packages } = await call('shipments.packages', { shipmentId: s.shipmentId })
    await call('shipments.savePackage', { id: packages[2]!.id, kind: 'CT', grossKg: null })
    expect(await fail('shipments.exportPaper', { id: s.shipmentId, paper: 'packing' })).toMatchObject({ code: 'shipment.papers_measures', params: { skus: 'RG-01' } })
  })

  it('papers wait for the packages', async () => {
    const s = await scene({ packages: false })
    expect(await fail('shipments.exportPaper', { id: s.shipmentId, paper: 'invoice' })).toMatchObject({ code: 'shipment.papers_no_packages', params: { number: 'SH-2026-001' } })
  })
})

describe('warnings', () => {
  it('wine above 100 l needs a VI-1, organic goods TRACES, vague descriptions are named; no excise check for Germany', async () => {
    const s = await scene()
    const warnings = await call('shipments.paperWarnings', { id: s.shipmentId })
    expect(warnings).toEqual([
      { code: 'vi1', params: { litres: '157.5', products: 'VT-MAL (Red wine Malbec, 13.5 % vol, 0.75 l bottles)' } },
      { code: 'organic', params: { products: 'YM-1K (Yerba mate, dried, with stems, 1 kg bags)', count: 1 } },
      { code: 'vague', params: { products: 'RG-01 (Regalos)', count: 1 } }
    ])
  })

  it('wine to Austria or Switzerland needs an excise check; 100 l or less needs no VI-1', async () => {
    const s = await scene({ destination: 'AT' })
    const codes = async () => (await call('shipments.paperWarnings', { id: s.shipmentId })).map((w) => w.code)
    expect(await call('shipments.paperWarnings', { id: s.shipmentId })).toContainEqual({ code: 'excise', params: { country: 'AT', products: 'VT-MAL (Red wine Malbec, 13.5 % vol, 0.75 l bottles)' } })
    const shipment = await call('shipments.get', { id: s.shipmentId })
    // 132 bottles × 0,75 l = 99 l.
    await call('shipments.setLines', { id: s.shipmentId, lines: [{ lineId: shipment.lines.find((l) => l.sku === 'VT-MAL')!.id, units: 132 }] })
    expect(await codes()).toEqual(['excise', 'organic', 'vague'])
    // The organisation in Switzerland, no destination set.
    await call('shipments.update', { id: s.shipmentId, mode: 'sea_lcl', incoterm: 'FOB', marks: 'SOLI/2026-1/001', destinationCountry: null })
    expect(await codes()).toEqual(['organic', 'vague'])
    session.requireWorkspace().db.prepare(`UPDATE organisation SET country = 'CH'`).run()
    expect(await codes()).toEqual(['excise', 'organic', 'vague'])
  })

  it('a description is vague when it says nothing but ICS2 stop words', () => {
    for (const vague of ['Food', 'Gifts', 'Spare parts', 'Samples', 'Accessories', 'Various goods', 'Clothes', 'Regalos', 'Muestras varias', 'Food and gifts', ''])
      expect([vague, isVagueDescription(vague)]).toEqual([vague, true])
    for (const precise of ['Yerba mate, dried, 1 kg bags', 'Men’s T-shirts, knitted, 100 % cotton', 'Leather belt accessories for trousers', 'Honey 500 g jars', 'Printed books'])
      expect([precise, isVagueDescription(precise)]).toEqual([precise, false])
  })
})
