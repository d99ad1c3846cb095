import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Session } from '../../src/core/app/session.ts'
import { priceParts } from '../../src/core/rounds/rounds.ts'
import { BLOCK_REASONS } from '../../src/shared/vocabulary.ts'
import { frozenEnv } from '../support/env.ts'
import { api } from '../support/api.ts'
import { type TempSession, tempSession } from '../support/workspace.ts'

/** Rounds: opening needs prices, a past round recorded closed, the organisation's time zone, the price calculator's parts. */

let temp: TempSession
let session: Session
const { call, fail } = api(() => session)
const fieldCode = async (method: string, input: unknown, field: string) =>
  ((await fail(method, input)).params?.fields as Record<string, { code: string }> | undefined)?.[field]?.code

const NOW = '2026-03-01T09:00:00Z'
const LA_HOJA = { name: 'Cooperativa de Trabajo La Hoja Ltda.', country: 'AR', cuit: '30-71234567-1' } as const
const product = (supplierId: string, sku: string, extra: Record<string, unknown> = {}) =>
  call('products.save', { supplierId, sku, nameEs: `Producto ${sku}`, salesUnit: 'bag', caseUnits: '10', price: '2.10', currency: 'USD', vatClass: 'reduced', ...extra } as never)
const ROUND = { opensAt: '2026-02-20T09:00', closesAt: '2026-04-01T18:00', timeZone: 'Europe/Berlin', currency: 'EUR' } as const

beforeEach(async () => {
  temp = tempSession({ prefix: 'puente-rounds-', env: frozenEnv(NOW, { step: 1000 }) })
  session = temp.session
  await temp.create('r.puente')
})
afterEach(() => temp.dispose())

describe('the price calculator', () => {
  it('supplier price × rate × (1 + markup) + logistics + solidarity, rounded up to the step, each part shown', () => {
    // 2.10 USD × 0.92 = 1.932 €; × 1.15 = 2.2218 €; + 0.20 € logistics = 2.4218 €;
    // + 0.10 USD solidarity × 0.92 = 0.092 € → 2.5138 €, up to the next 0.05 → 2.55 €.
    // Parts shown to the cent: 1.93 + 0.29 (2.22 − 1.93) + 0.20 + 0.09 = 2.51, rounding 0.04.
    const usd = (minor: number) => ({ minor, digits: 2, rateE8: 92_000_000n })
    expect(priceParts({ supplier: usd(210), roundDigits: 2, markupBp: 1500, logisticsMinor: 20, solidarity: usd(10), stepMinor: 5 })).toEqual({
      convertedMinor: 193,
      markupMinor: 29,
      logisticsMinor: 20,
      solidarityMinor: 9,
      roundingMinor: 4,
      priceMinor: 255
    })
    // Solidarity already in the round currency: 2.4218 + 0.25 = 2.6718 → 2.70; parts 1.93 + 0.29 + 0.20 + 0.25 = 2.67.
    const eur = { minor: 25, digits: 2, rateE8: 100_000_000n }
    expect(priceParts({ supplier: usd(210), roundDigits: 2, markupBp: 1500, logisticsMinor: 20, solidarity: eur, stepMinor: 5 })).toMatchObject({
      solidarityMinor: 25,
      roundingMinor: 3,
      priceMinor: 270
    })
    // An exact price stays: 10.00 EUR, no markup, no extras, step 0.01 → 10.00, nothing rounded.
    expect(priceParts({ supplier: { minor: 1000, digits: 2, rateE8: 100_000_000n }, roundDigits: 2, markupBp: 0, logisticsMinor: 0, solidarity: null, stepMinor: 1 })).toEqual({
      convertedMinor: 1000,
      markupMinor: 0,
      logisticsMinor: 0,
      solidarityMinor: 0,
      roundingMinor: 0,
      priceMinor: 1000
    })
    // Pesos (2 digits) into euros: 1500.00 ARS × 0.00072 = 1.08 €, × 1.10 = 1.188 → step 0.10 → 1.20.
    expect(
      priceParts({ supplier: { minor: 150000, digits: 2, rateE8: 72_000n }, roundDigits: 2, markupBp: 1000, logisticsMinor: 0, solidarity: null, stepMinor: 10 })
    ).toEqual({ convertedMinor: 108, markupMinor: 11, logisticsMinor: 0, solidarityMinor: 0, roundingMinor: 1, priceMinor: 120 })
  })

  it("the round's price list gives each product's parts with its solidarity contribution", async () => {
    const supplier = await call('suppliers.save', LA_HOJA)
    await call('reference.saveExchangeRate', { base: 'USD', quote: 'EUR', rate: '0.92', validOn: '2026-02-01' })
    const yerba = await product(supplier.id, 'LH-YM500', { solidarity: '0,10' })
    expect(yerba).toMatchObject({ solidarityMinor: 10, solidarityCurrency: null })
    const tea = await product(supplier.id, 'LH-TE25', { solidarity: '0.25', solidarityCurrency: 'EUR' })
    expect(tea).toMatchObject({ solidarityMinor: 25, solidarityCurrency: 'EUR' })
    const round = await call('rounds.save', { name: 'Otoño', ...ROUND, supplierIds: [supplier.id], markupPercent: '15', contribution: '0,20', roundingStep: '0,05' })
    const prices = await call('rounds.prices', { roundId: round.id })
    expect(prices.find((p) => p.sku === 'LH-YM500')).toMatchObject({
      solidarityMinor: 10,
      solidarityCurrency: 'USD',
      rateE8: 92_000_000,
      calculatedMinor: 255,
      parts: { convertedMinor: 193, markupMinor: 29, logisticsMinor: 20, solidarityMinor: 9, roundingMinor: 4, priceMinor: 255 }
    })
    expect(prices.find((p) => p.sku === 'LH-TE25')).toMatchObject({ calculatedMinor: 270, parts: { solidarityMinor: 25, roundingMinor: 3 } })
    expect(await call('rounds.calculatePrices', { roundId: round.id })).toEqual({ priced: 2, missingRates: [] })
    // A contribution in a currency without a rate: no price, and the missing rate is named.
    await product(supplier.id, 'LH-MAT', { solidarity: '1', solidarityCurrency: 'CHF' })
    expect((await call('rounds.prices', { roundId: round.id })).find((p) => p.sku === 'LH-MAT')).toMatchObject({ calculatedMinor: null, parts: null })
    expect(await call('rounds.calculatePrices', { roundId: round.id })).toEqual({ priced: 2, missingRates: ['CHF'] })
    // A supplier's price list changes the price, not the contribution.
    const csv = Buffer.from('Código;Nombre;Precio;Moneda;Unidades por caja;Unidad\r\nLH-YM500;Yerba mate 500 g;2,30;USD;10;bolsa\r\n', 'utf8')
    await call('catalogue.importApply', { supplierId: supplier.id, fileName: 'lista.csv', data: csv })
    expect(await call('products.get', { id: yerba.id })).toMatchObject({ priceMinor: 230, solidarityMinor: 10, solidarityCurrency: null })
    expect(await fieldCode('products.save', { supplierId: supplier.id, sku: 'X1', nameEs: 'X', salesUnit: 'bag', caseUnits: '1', price: '1', currency: 'USD', vatClass: 'reduced', solidarity: '-1' }, 'solidarity')).toBe('at_least')
  })

  it('prices pesos through dollars when only ARS/USD and USD/EUR are entered, and names the chain', async () => {
    const supplier = await call('suppliers.save', LA_HOJA)
    await call('reference.saveExchangeRate', { base: 'USD', quote: 'EUR', rate: '0.92', validOn: '2026-02-01' })
    await call('reference.saveExchangeRate', { base: 'ARS', quote: 'USD', rate: '0.00082', validOn: '2026-02-10' })
    await product(supplier.id, 'CH-CUA', { price: '3190', currency: 'ARS' })
    const round = await call('rounds.save', { name: 'Otoño', ...ROUND, supplierIds: [supplier.id], markupPercent: '0', contribution: '0', roundingStep: '0,01' })
    // 1 ARS = 0.00082 × 0.92 EUR = 0.0007544 EUR; 3190 ARS × 0.0007544 = 2.406536 EUR → up to the cent: 2.41 EUR.
    expect((await call('rounds.prices', { roundId: round.id })).find((p) => p.sku === 'CH-CUA')).toMatchObject({
      rateE8: 75_440,
      rateValidOn: '2026-02-01',
      rateVia: 'USD',
      calculatedMinor: 241
    })
  })
})

describe('opening a round', () => {
  it('is refused while products have no price, naming the first ten and counting the rest', async () => {
    const supplier = await call('suppliers.save', LA_HOJA)
    for (let i = 1; i <= 12; i++) await product(supplier.id, `P-${String(i).padStart(2, '0')}`, { currency: 'EUR' })
    const round = await call('rounds.save', { name: 'Otoño', ...ROUND, supplierIds: [supplier.id] })
    const refused = await fail('rounds.setStatus', { id: round.id, status: 'open' })
    expect(refused.code).toBe('round.unpriced_more')
    expect(refused.params).toMatchObject({ count: 12, more: 2, products: 'P-01, P-02, P-03, P-04, P-05, P-06, P-07, P-08, P-09, P-10' })
    expect((refused.params?.productIds as string[]).length).toBe(12)

    // Prices for all but two; one of those is blocked (it needs none): one left, named alone.
    const prices = await call('rounds.prices', { roundId: round.id })
    for (const p of prices.slice(0, 10)) await call('rounds.setPrice', { roundId: round.id, productId: p.productId, price: '3,50' })
    await call('rounds.setPrice', { roundId: round.id, productId: prices[10]!.productId, blocked: true, blockReason: 'not_available' })
    const one = await fail('rounds.setStatus', { id: round.id, status: 'open' })
    expect(one.code).toBe('round.unpriced')
    expect(one.params).toMatchObject({ count: 1, products: 'P-12', more: 0 })
    expect((await call('rounds.get', { id: round.id })).status).toBe('draft')

    await call('rounds.calculatePrices', { roundId: round.id })
    expect((await call('rounds.setStatus', { id: round.id, status: 'open' })).status).toBe('open')
  })

  it('says what is wrong with the form: deadline before opening, a step below one cent', async () => {
    expect(await fieldCode('rounds.save', { name: 'X', ...ROUND, closesAt: '2026-02-01T09:00' }, 'closesAt')).toBe('deadline_order')
    expect(await fieldCode('rounds.save', { name: 'X', ...ROUND, roundingStep: '0' }, 'roundingStep')).toBe('step')
    expect(await fieldCode('rounds.save', { name: '', ...ROUND }, 'name')).toBe('required')
  })
})

describe('a round that took place on paper', () => {
  it('is recorded closed with its past dates, and its orders are entered as a record', async () => {
    const supplier = await call('suppliers.save', LA_HOJA)
    const p = await product(supplier.id, 'LH-YM500', { currency: 'EUR' })
    const buyer = await call('buyers.save', { name: 'Foodcoop Kornblume', type: 'group', country: 'DE', language: 'de', taxTreatment: 'domestic' })
    const dates = { ...ROUND, opensAt: '2025-10-01T09:00', closesAt: '2025-10-20T18:00' }
    // Without "past" the round is a draft; with it, a deadline still to come is refused.
    expect(await fieldCode('rounds.save', { name: 'Herbst 2025', ...ROUND, past: true, supplierIds: [supplier.id] }, 'closesAt')).toBe('not_past')
    const past = await call('rounds.save', { name: 'Herbst 2025', ...dates, past: true, supplierIds: [supplier.id] })
    expect(past).toMatchObject({ status: 'closed', recorded: true, acceptingOrders: true, closesAt: '2025-10-20T16:00:00.000Z' })
    await call('rounds.calculatePrices', { roundId: past.id })
    const order = await call('orders.setLines', { roundId: past.id, buyerId: buyer.id, lines: [{ productId: p.id, quantity: 4, tolerance: 0 }] })
    expect(order.lines.map((l) => [l.productId, l.quantity])).toEqual([[p.id, 4]])
    // Saving it again (a typo in the name) keeps it closed and recorded.
    expect(await call('rounds.save', { id: past.id, name: 'Herbst 2025 (Papier)', ...dates, past: true, supplierIds: [supplier.id] })).toMatchObject({ status: 'closed', recorded: true })

    // A round that was open and then closed is not a record: it takes no more orders.
    const live = await call('rounds.save', { name: 'Frühling', ...ROUND, supplierIds: [supplier.id] })
    await call('rounds.calculatePrices', { roundId: live.id })
    await call('rounds.setStatus', { id: live.id, status: 'open' })
    expect(await call('rounds.setStatus', { id: live.id, status: 'closed' })).toMatchObject({ status: 'closed', recorded: false, acceptingOrders: false })
    expect((await fail('orders.setLines', { roundId: live.id, buyerId: buyer.id, lines: [{ productId: p.id, quantity: 1, tolerance: 0 }] })).code).toBe('round.closed')
    // Once a recorded round moves on to ordered, it takes no more orders either.
    expect(await call('rounds.setStatus', { id: past.id, status: 'ordered' })).toMatchObject({ recorded: false, acceptingOrders: false })

    // A closed round from before the change log (no insert of it in the log) is not taken for a record.
    const legacy = '0190a000-0000-7000-8000-000000000abc'
    session
      .requireWorkspace()
      .db.prepare(
        `INSERT INTO round (id, name, opens_at, closes_at, time_zone, status, currency, created_at, updated_at)
         VALUES (?, 'Alt', '2024-01-01T00:00:00.000Z', '2024-02-01T00:00:00.000Z', 'Europe/Berlin', 'closed', 'EUR', '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z')`
      )
      .run(legacy)
    expect(await call('rounds.get', { id: legacy })).toMatchObject({ status: 'closed', recorded: false, acceptingOrders: false })
  })
})

describe("the organisation's time zone", () => {
  const ORG = { name: 'Solidarische Importe e.V.', country: 'DE', smallBusiness: false, defaultLanguage: 'de', defaultCurrency: 'EUR' } as const

  it('is kept when chosen, checked against the zones Intl knows, and follows the country when empty', async () => {
    expect(await call('settings.save', { ...ORG, timeZone: 'Europe/Madrid' })).toMatchObject({ timeZone: 'Europe/Madrid', effectiveTimeZone: 'Europe/Madrid' })
    // Absent: unchanged.
    expect(await call('settings.save', { ...ORG, name: 'Soli e.V.' })).toMatchObject({ timeZone: 'Europe/Madrid' })
    expect(await fieldCode('settings.save', { ...ORG, timeZone: 'Mars/Olympus_Mons' }, 'timeZone')).toBe('time_zone')
    const byCountry = async (country: string) => (await call('settings.save', { ...ORG, country, timeZone: '' } as never)).effectiveTimeZone
    expect(await byCountry('DE')).toBe('Europe/Berlin')
    expect(await byCountry('AT')).toBe('Europe/Vienna')
    expect(await byCountry('ES')).toBe('Europe/Madrid')
    expect(await byCountry('CH')).toBe('Europe/Zurich')
    expect(await byCountry('AR')).toBe('UTC')
    expect((await call('settings.get')).timeZone).toBeNull()
  })
})

describe('the demo', () => {
  it('works in Europe/Berlin and blocks products for reasons from the vocabulary', async () => {
    session.close()
    temp.dispose()
    temp = tempSession({ prefix: 'puente-rounds-demo-', env: frozenEnv(NOW, { step: 1000 }) })
    session = temp.session
    await session.openDemo()
    expect(await call('settings.get')).toMatchObject({ timeZone: 'Europe/Berlin', effectiveTimeZone: 'Europe/Berlin' })
    const round = (await call('rounds.list', {})).rows[0]!
    const blocked = (await call('rounds.prices', { roundId: round.id })).filter((p) => p.blocked)
    expect(blocked.map((p) => [p.sku, p.blockReason])).toEqual([
      ['AP-MI1K', 'veterinary_certificate'],
      ['AP-MI500', 'veterinary_certificate'],
      ['AP-POL250', 'veterinary_certificate']
    ])
    expect(blocked.every((p) => (BLOCK_REASONS as readonly string[]).includes(p.blockReason!))).toBe(true)
  })
})
