import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Session } from '../../src/core/app/session.ts'
import { largestRemainder } from '../../src/core/common/money.ts'
import { dutyMinor, dutyRateFor, type DutyRate } from '../../src/core/shipments/costs.ts'
import { chargeableMilli } from '../../src/core/shipments/packages.ts'
import { api } from '../support/api.ts'
import { frozenEnv } from '../support/env.ts'
import { type TempSession, tempSession } from '../support/workspace.ts'

/**
 * Landed cost to the cent (issue 10). The worked example of DOMAIN.md §2.2, every figure from its table:
 * FOB Buenos Aires, an invoice in EUR; freight EUR 1,450 to Hamburg by weight and insurance EUR 60 by value
 * (both up to the border), the truck Hamburg → Berlin EUR 380 by weight (import VAT base only).
 */

let temp: TempSession
let session: Session
const { call, fail } = api(() => session)

afterEach(() => temp.dispose())

interface Scene {
  roundId: string
  shipmentId: string
  lineOf: (sku: string) => string
}

/**
 * A cooperative selling yerba (1 kg bags, 10 kg a case), cotton T-shirts (50 a case of 15 kg) and books
 * (20 a case of 12,5 kg) in EUR; one buyer orders 1,000 bags, 500 shirts and 400 books; the purchase order
 * is sent and shipped whole.
 */
async function scene(options: { vatRegistered?: boolean } = {}): Promise<Scene> {
  temp = tempSession({ prefix: 'puente-landed-', env: frozenEnv('2026-03-01T09:00:01Z', { step: 1000 }) })
  session = temp.session
  await temp.create('landed.puente')
  await call('settings.save', {
    name: 'Solidarische Importe e.V.',
    country: 'DE',
    smallBusiness: false,
    vatRegistered: options.vatRegistered ?? true,
    defaultLanguage: 'de',
    defaultCurrency: 'EUR'
  })
  const supplierId = (await call('suppliers.save', { name: 'Cooperativa Mixta', country: 'AR' })).id
  const product = async (sku: string, nameEs: string, salesUnit: 'bag' | 'piece' | 'copy', caseUnits: string, grossKgPerCase: string, hsCode: string, price: string, vatClass: 'reduced' | 'standard', net?: { netQuantity: string; netUnit: 'kg' }) =>
    (
      await call('products.save', {
        supplierId,
        sku,
        nameEs,
        salesUnit,
        caseUnits,
        grossKgPerCase,
        volumeM3PerCase: '0.05',
        hsCode,
        price,
        currency: 'EUR',
        vatClass,
        ...net
      })
    ).id
  const yerba = await product('YM-1K', 'Yerba mate 1 kg', 'bag', '10', '10', '09030000', '3.20', 'reduced', { netQuantity: '1', netUnit: 'kg' })
  const shirts = await product('CA-ALG', 'Camiseta de algodón', 'piece', '50', '15', '61091000', '5.00', 'standard')
  const books = await product('LI-240', 'Libro 240 páginas', 'copy', '20', '12.5', '49019900', '4.00', 'reduced')
  for (const [cn, rate] of [
    ['0903 00 00', '0'],
    ['6109 10 00', '12'],
    ['4901 99 00', '0']
  ])
    await call('landedCost.saveDutyRate', { cnCode: cn!, validFrom: '2020-01-01', adValorem: rate })
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
      { productId: yerba, quantity: 1000, tolerance: 0 },
      { productId: shirts, quantity: 500, tolerance: 0 },
      { productId: books, quantity: 400, tolerance: 0 }
    ]
  })
  await call('rounds.setStatus', { id: roundId, status: 'closed' })
  const [po] = await call('purchaseOrders.create', { roundId, incoterm: 'FOB', incotermPlace: 'Buenos Aires' })
  // A draft cannot be shipped.
  expect(await fail('shipments.create', { roundId, purchaseOrderIds: [po!.id] })).toMatchObject({ code: 'shipment.po_draft', params: { number: po!.number } })
  await call('purchaseOrders.setStatus', { id: po!.id, status: 'sent' })
  const shipment = await call('shipments.create', { roundId, purchaseOrderIds: [po!.id], mode: 'sea_lcl' })
  const lineOf = (sku: string) => shipment.lines.find((l) => l.sku === sku)!.id
  return { roundId, shipmentId: shipment.id, lineOf }
}

async function costs(shipmentId: string) {
  await call('landedCost.saveCost', { shipmentId, name: 'Seefracht Buenos Aires – Hamburg', amount: '1450', currency: 'EUR', basis: 'gross_weight', stage: 'to_border' })
  await call('landedCost.saveCost', { shipmentId, name: 'Transportversicherung', amount: '60', currency: 'EUR', basis: 'value', stage: 'to_border' })
  await call('landedCost.saveCost', { shipmentId, name: 'Lkw Hamburg – Berlin', amount: '380', currency: 'EUR', basis: 'gross_weight', stage: 'to_destination' })
}

describe('the worked example of DOMAIN.md §2.2', () => {
  beforeEach(async () => {
    await scene()
  })

  it('gives the shipment its number, its lines and a planned event', async () => {
    const [s] = await call('shipments.list', {})
    expect(s).toMatchObject({ number: 'SH-2026-001', status: 'planned', mode: 'sea_lcl', lines: 3 })
    const shipment = await call('shipments.get', { id: s!.id })
    expect(shipment.lines.map((l) => [l.sku, l.units, l.quantityMilli, l.grossG, l.valueMinor, l.cnCode])).toEqual([
      ['CA-ALG', 500, 500_000, 150_000, 250_000, '61091000'],
      ['LI-240', 400, 400_000, 250_000, 160_000, '49019900'],
      ['YM-1K', 1000, 1_000_000, 1_000_000, 320_000, '09030000']
    ])
    expect(shipment.events.map((e) => [e.status, e.onDay])).toEqual([['planned', '2026-03-01']])
  })

  it('customs value, duty, import VAT base and import VAT per line, to the cent', async () => {
    const shipmentId = (await call('shipments.list', {}))[0]!.id
    await costs(shipmentId)
    const landed = await call('landedCost.store', { shipmentId })
    const row = (sku: string) => landed.lines.find((l) => l.sku === sku)!
    // [goods, freight + insurance, customs value, duty, post-border, import VAT base, rate, import VAT]
    const figures = (sku: string) => {
      const l = row(sku)
      return [l.goodsMinor, l.toBorderMinor, l.customsValueMinor, l.dutyMinor, l.toDestinationMinor, l.vatBaseMinor, l.vatRateBp, l.vatMinor]
    }
    expect(figures('YM-1K')).toEqual([320000, 103571 + 2630, 426201, 0, 27143, 453344, 700, 31734])
    expect(figures('CA-ALG')).toEqual([250000, 15536 + 2055, 267591, 32111, 4071, 303773, 1900, 57717])
    expect(figures('LI-240')).toEqual([160000, 25893 + 1315, 187208, 0, 6786, 193994, 700, 13580])
    expect(landed.totals).toMatchObject({ goodsMinor: 730000, dutyMinor: 32111, toDestinationMinor: 38000, vatMinor: 103031 })
    // Each cost line's parts add up to it exactly.
    for (const a of landed.allocations) expect(a.parts.reduce((x, p) => x + p.amountMinor, 0)).toBe(a.baseMinor)
    expect(landed.allocations.map((a) => a.parts.map((p) => p.amountMinor))).toEqual([
      [15536, 25893, 103571],
      [2055, 1315, 2630],
      [4071, 6786, 27143]
    ])
    // VAT-registered: import VAT is not a cost. Landed = goods + costs + duty.
    expect(row('YM-1K').landedMinor).toBe(320000 + 106201 + 27143)
    expect(row('CA-ALG').landedMinor).toBe(250000 + 17591 + 32111 + 4071)
    // Per unit: 4.533,44 € over 1000 bags = 4,53344 €.
    expect(row('YM-1K').perUnitMilli).toBe(453344)
    // Stored: the same figures come back, with the time.
    const again = await call('landedCost.get', { shipmentId })
    expect(again.computedAt).toBe(landed.computedAt)
    expect(again.lines.map((l) => l.landedMinor)).toEqual(landed.lines.map((l) => l.landedMinor))
    const stored = session.requireWorkspace().db.prepare('SELECT sum(landed_minor) FROM landed_cost_line WHERE deleted_at IS NULL').pluck().get()
    expect(stored).toBe(landed.totals.landedMinor)
  })

  it('shows a cost line’s split before it is saved, and saves nothing', async () => {
    const shipmentId = (await call('shipments.list', {}))[0]!.id
    const before = session.requireWorkspace().db.prepare('SELECT count(*) FROM cost_line').pluck().get()
    const preview = await call('landedCost.previewCost', { shipmentId, name: 'Seefracht', amount: '1450', currency: 'EUR', basis: 'gross_weight', stage: 'to_border' })
    expect(preview.allocation.parts.map((p) => p.amountMinor)).toEqual([15536, 25893, 103571])
    expect(session.requireWorkspace().db.prepare('SELECT count(*) FROM cost_line').pluck().get()).toBe(before)
  })

  it('refuses what is missing with a message naming it, and writes nothing', async () => {
    const shipmentId = (await call('shipments.list', {}))[0]!.id
    const db = session.requireWorkspace().db
    const count = () => db.prepare('SELECT (SELECT count(*) FROM cost_line) + (SELECT count(*) FROM landed_cost_line)').pluck().get()
    const before = count()
    // A currency without a rate.
    expect(await fail('landedCost.saveCost', { shipmentId, name: 'Flete', amount: '500', currency: 'USD', basis: 'value', stage: 'to_border' })).toMatchObject({
      code: 'exchange.no_rate',
      params: { from: 'USD', to: 'EUR' }
    })
    // A CN code without a duty rate.
    const rates = await call('landedCost.dutyRates')
    await call('landedCost.deleteDutyRate', { id: rates.find((r) => r.cnCode === '61091000')!.id })
    expect(await fail('landedCost.store', { shipmentId })).toMatchObject({ code: 'landed.no_duty_rate', params: { codes: '61091000' } })
    await call('landedCost.saveDutyRate', { cnCode: '61091000', validFrom: '2020-01-01', adValorem: '12' })
    // A cost split by volume when no product has one.
    db.prepare('UPDATE product SET volume_cm3_per_case = NULL').run()
    expect(await fail('landedCost.previewCost', { shipmentId, name: 'Lager', amount: '50', currency: 'EUR', basis: 'volume', stage: 'other' })).toMatchObject({
      code: 'landed.no_basis',
      params: { name: 'Lager', basis: 'volume' }
    })
    expect(count()).toBe(before)
    // Saved anyway (a cost line alone is fine), the store refuses it as a whole and writes no result.
    await call('landedCost.saveCost', { shipmentId, name: 'Lager', amount: '50', currency: 'EUR', basis: 'volume', stage: 'other' })
    expect(await fail('landedCost.store', { shipmentId })).toMatchObject({ code: 'landed.no_basis' })
    expect(db.prepare('SELECT count(*) FROM landed_cost_line').pluck().get()).toBe(0)
  })
})

describe('what follows the shipped quantities', () => {
  it('the exporter’s invoice value and the amounts due; stock valued at landed cost', async () => {
    const s = await scene()
    const [po] = await call('purchaseOrders.list', { roundId: s.roundId })
    // All shipped: 3.200 + 2.500 + 1.600 = 7.300,00 €.
    expect(po).toMatchObject({ totalMinor: 730000, shippedMinor: 730000 })
    // 600 of 1.000 bags: 1.920 + 2.500 + 1.600 = 6.020,00 €; the default terms 60/40 split it 3.612 / 2.408.
    await call('shipments.setLines', { id: s.shipmentId, lines: [{ lineId: s.lineOf('YM-1K'), units: 600 }] })
    expect((await call('purchaseOrders.list', { roundId: s.roundId }))[0]).toMatchObject({ totalMinor: 730000, shippedMinor: 602000 })
    const doc = await call('purchaseOrders.get', { id: po!.id })
    expect(doc.shipped).toMatchObject({ valueMinor: 602000 })
    expect(doc.shipped!.payments.map((p) => p.amountMinor)).toEqual([361200, 240800])
    // A shipped order cannot go back to draft.
    expect(await fail('purchaseOrders.setStatus', { id: po!.id, status: 'draft' })).toMatchObject({ code: 'round.transition' })

    // Ten bags more arrive than ordered (to stock); once the landed cost is stored they are worth 10 × 4,53344 €.
    await call('shipments.setLines', { id: s.shipmentId, lines: [{ lineId: s.lineOf('YM-1K'), units: 1000 }] })
    const yerba = doc.lines.find((l) => l.sku === 'YM-1K')!
    await call('purchaseOrders.recordQuantities', {
      purchaseOrderId: po!.id,
      lines: [{ productId: yerba.productId, confirmedUnits: 1000, receivedUnits: 1010, brokenUnits: 0 }]
    })
    await call('consolidation.setPolicy', { roundId: s.roundId, roundingPolicy: 'tolerance_fill', cutStrategy: 'first_come', extrasTo: 'stock' })
    await call('stock.bookSurplus', { roundId: s.roundId, stage: 'received' })
    expect((await call('stock.list'))[0]).toMatchObject({ sku: 'YM-1K', units: 10, valueMinor: null })
    await costs(s.shipmentId)
    await call('landedCost.store', { shipmentId: s.shipmentId })
    expect((await call('stock.list'))[0]).toMatchObject({ sku: 'YM-1K', units: 10, landedPerUnitMilli: 453344, valueMinor: 4533, currency: 'EUR' })
  })
})

describe('import VAT for an organisation that cannot deduct it', () => {
  it('becomes part of the landed cost', async () => {
    const s = await scene({ vatRegistered: false })
    await costs(s.shipmentId)
    const landed = await call('landedCost.get', { shipmentId: s.shipmentId })
    expect(landed.importVatIsCost).toBe(true)
    const yerba = landed.lines.find((l) => l.sku === 'YM-1K')!
    expect(yerba.landedMinor).toBe(320000 + 106201 + 27143 + 31734)
  })
})

describe('duty rates', () => {
  const rate = (r: Partial<DutyRate>): DutyRate => ({
    id: r.id ?? 'x',
    cnCode: r.cnCode ?? '22042198',
    origin: r.origin ?? null,
    validFrom: r.validFrom ?? '2020-01-01',
    validTo: r.validTo ?? null,
    alcoholFromPermille: r.alcoholFromPermille ?? null,
    alcoholToPermille: r.alcoholToPermille ?? null,
    adValoremBp: r.adValoremBp ?? 0,
    perHlMinor: r.perHlMinor ?? 0,
    per100kgMinor: r.per100kgMinor ?? 0,
    note: null
  })

  it('ad valorem, per hl of product, per 100 kg net and a combination, rounded half up once per line', () => {
    // 12 % of 2.675,91 € = 321,1092 → 321,11.
    expect(dutyMinor(rate({ adValoremBp: 1200 }), 267591, 0, 0)).toBe(32111)
    // 600 bottles of 0,75 l = 450 l = 4,5 hl × 13,10 €/hl = 58,95 €.
    expect(dutyMinor(rate({ perHlMinor: 1310 }), 999999, 450_000, 0)).toBe(5895)
    // Olive oil: 120 bottles × 0,46 kg = 55,2 kg net × 124,50 € per 100 kg = 68,724 → 68,72.
    expect(dutyMinor(rate({ per100kgMinor: 12450 }), 0, 0, 55_200)).toBe(6872)
    // A combination: 5 % of 100,00 € + 2,00 € per hl on 50 l = 5,00 + 1,00.
    expect(dutyMinor(rate({ adValoremBp: 500, perHlMinor: 200 }), 10000, 50_000, 0)).toBe(600)
    // Half a cent rounds up: 0,5 % of 1,00 € = 0,005 → 0,01.
    expect(dutyMinor(rate({ adValoremBp: 50 }), 100, 0, 0)).toBe(1)
  })

  it('wine by alcohol band; a preference for the origin wins; dated', () => {
    const rates = [
      rate({ id: 'low', alcoholFromPermille: 0, alcoholToPermille: 130, perHlMinor: 1310 }),
      rate({ id: 'high', alcoholFromPermille: 131, alcoholToPermille: 150, perHlMinor: 1540 }),
      rate({ id: 'ar', origin: 'AR', validFrom: '2026-05-01', alcoholFromPermille: 0, alcoholToPermille: 150, perHlMinor: 0 }),
      rate({ id: 'oil', cnCode: '15092000', per100kgMinor: 12450 })
    ]
    expect(dutyRateFor(rates, '22042198', 'CL', 130, '2026-06-01')!.id).toBe('low')
    expect(dutyRateFor(rates, '22042198', 'CL', 135, '2026-06-01')!.id).toBe('high')
    expect(dutyRateFor(rates, '22042198', 'AR', 135, '2026-04-30')!.id).toBe('high')
    expect(dutyRateFor(rates, '22042198', 'AR', 135, '2026-05-01')!.id).toBe('ar')
    expect(dutyRateFor(rates, '22042198', 'CL', 160, '2026-06-01')).toBeNull()
    expect(dutyRateFor(rates, '22042198', 'CL', null, '2026-06-01')).toBeNull()
    expect(dutyRateFor(rates, '15092000', 'AR', null, '2026-06-01')!.id).toBe('oil')
  })
})

describe('chargeable quantity', () => {
  it('sea W/M = max(m³, tonnes); air 1 m³ = 167 kg; courier 5,000 cm³ per kg; post by weight', () => {
    // 1,2 t in 3,5 m³ by sea: 3,5 W/M; 4,2 t in 3,5 m³: 4,2 W/M.
    expect(chargeableMilli('sea_lcl', 1_200_000, 3_500_000)).toBe(3500)
    expect(chargeableMilli('sea_fcl', 4_200_000, 3_500_000)).toBe(4200)
    // 100 kg in 1 m³ by air: 167 kg; 200 kg in 1 m³: 200 kg.
    expect(chargeableMilli('air', 100_000, 1_000_000)).toBe(167_000)
    expect(chargeableMilli('air', 200_000, 1_000_000)).toBe(200_000)
    // A 60 × 40 × 40 cm courier box (96.000 cm³) of 12 kg: 19,2 kg volumetric.
    expect(chargeableMilli('courier', 12_000, 96_000)).toBe(19_200)
    expect(chargeableMilli('post', 12_000, 96_000)).toBe(12_000)
  })
})

describe('allocation properties (largest remainder)', () => {
  // A small deterministic generator: the same cases every run.
  let seed = 20261206
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31)

  it('every pool sums exactly to its cost for any weights; reordering the lines permutes the parts; zero weights get nothing', () => {
    for (let run = 0; run < 500; run++) {
      const n = 1 + (next() % 12)
      const weights = Array.from({ length: n }, (): number => (next() % 5 === 0 ? 0 : next() % 1_000_000))
      if (!weights.some((w) => w > 0)) weights[0] = 1
      const total = next() % 10_000_000
      const parts = largestRemainder(total, weights)
      expect(parts.reduce((a, b) => a + b, 0)).toBe(total)
      weights.forEach((w, i) => {
        if (w === 0) expect(parts[i]).toBe(0)
      })
      // Reordered (reversed) lines get the same parts, unless two lines tie on remainder and weight.
      const reversed = largestRemainder(total, [...weights].reverse()).reverse()
      const ties = new Set(weights.map((w) => w)).size !== weights.length
      if (!ties) expect(reversed).toEqual(parts)
    }
  })

  it('a shipment reports the lines that get nothing of a cost (no weight)', async () => {
    const s = await scene()
    session.requireWorkspace().db.prepare(`UPDATE product SET gross_g_per_case = NULL WHERE sku = 'LI-240'`).run()
    const preview = await call('landedCost.previewCost', { shipmentId: s.shipmentId, name: 'Flete', amount: '100', currency: 'EUR', basis: 'gross_weight', stage: 'to_border' })
    expect(preview.allocation.zeroLines).toEqual(['LI-240'])
    expect(preview.allocation.parts.find((p) => p.shipmentLineId === s.lineOf('LI-240'))!.amountMinor).toBe(0)
    expect(preview.allocation.parts.reduce((a, p) => a + p.amountMinor, 0)).toBe(10000)
  })
})

describe('the shipment’s timeline, lines and packages', () => {
  it('status moves are events with their day and note; the actual days are kept', async () => {
    const s = await scene()
    await call('shipments.setStatus', { id: s.shipmentId, status: 'booked', onDay: '2026-03-02', note: 'Buchung bei Cargo Sur' })
    await call('shipments.setStatus', { id: s.shipmentId, status: 'departed', onDay: '2026-03-10' })
    const shipment = await call('shipments.setStatus', { id: s.shipmentId, status: 'arrived', onDay: '2026-04-07', note: 'Hamburg' })
    expect(shipment).toMatchObject({ status: 'arrived', departedOn: '2026-03-10', arrivedOn: '2026-04-07' })
    expect(shipment.events.map((e) => [e.status, e.onDay, e.note])).toEqual([
      ['planned', '2026-03-01', null],
      ['booked', '2026-03-02', 'Buchung bei Cargo Sur'],
      ['departed', '2026-03-10', null],
      ['arrived', '2026-04-07', 'Hamburg']
    ])
    expect(() => session.requireWorkspace().db.prepare('DELETE FROM shipment_event').run()).toThrow(/append-only/)
    expect(await fail('shipments.setStatus', { id: s.shipmentId, status: 'cleared' })).toMatchObject({ params: { fields: { onDay: { code: 'required' } } } })
  })

  it('cartons are one per case with the case weight; pallets hold cartons; totals and marks', async () => {
    const s = await scene()
    const packages = await call('shipments.generatePackages', { shipmentId: s.shipmentId })
    // 10 cases of shirts, 20 of books, 100 of yerba.
    expect(packages).toHaveLength(130)
    expect(packages[0]).toMatchObject({ position: 1, kind: 'CT', marks: 'SH-2026-001/001', grossG: 15_000, volumeCm3: 50_000 })
    expect(packages[129]!.marks).toBe('SH-2026-001/130')
    await call('shipments.update', { id: s.shipmentId, mode: 'sea_lcl', incoterm: 'FOB', marks: 'SOLI/2026-1/001' })
    const pallet = await call('shipments.addPallet', { shipmentId: s.shipmentId, packageIds: packages.slice(0, 30).map((p) => p.id), lengthCm: '120', widthCm: '80', heightCm: '150', tareKg: '25' })
    expect(pallet.at(-1)).toMatchObject({ kind: 'PX', position: 131, marks: 'SOLI/2026-1/001/131', volumeCm3: 1_440_000, grossG: 25_000 })
    const { totals } = await call('shipments.packages', { shipmentId: s.shipmentId })
    // 1 pallet + 100 loose cartons; 1.400 kg of goods + 25 kg pallet; 130 × 0,05 m³ of cartons.
    expect(totals).toMatchObject({ packages: 101, cartons: 130, pallets: 1, grossG: 1_425_000, cartonCm3: 6_500_000, palletCm3: 1_440_000 })
    // Sea: W/M = max(1,44 + 100 × 0,05 = 6,44 m³, 1,425 t) = 6,44.
    expect(totals).toMatchObject({ chargeableMilli: 6440, chargeableUnit: 'wm', missingWeight: [], missingVolume: [] })
  })

  it('a second shipment takes what is left; quantities are checked', async () => {
    const s = await scene()
    const shipment = await call('shipments.get', { id: s.shipmentId })
    await call('shipments.setLines', { id: s.shipmentId, lines: [{ lineId: s.lineOf('YM-1K'), units: 600 }] })
    const po = shipment.lines[0]!.purchaseOrderId
    const second = await call('shipments.create', { roundId: s.roundId, purchaseOrderIds: [po] })
    expect(second.number).toBe('SH-2026-002')
    expect(second.lines.map((l) => [l.sku, l.units])).toEqual([['YM-1K', 400]])
    expect(await fail('shipments.setLines', { id: s.shipmentId, lines: [{ lineId: s.lineOf('YM-1K'), units: 601 }] })).toMatchObject({
      params: { fields: { 'lines.0.units': { code: 'at_most', params: { max: 600 } } } }
    })
    expect(await fail('shipments.create', { roundId: s.roundId, purchaseOrderIds: [po] })).toMatchObject({ code: 'shipment.nothing_left' })
  })
})
