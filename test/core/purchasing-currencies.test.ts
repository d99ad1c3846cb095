import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { dispatch } from '../../src/core/api/dispatch.ts'
import type { Session } from '../../src/core/app/session.ts'
import { exchangeRateChain, exchangeRateOn } from '../../src/core/reference/reference.ts'
import de from '../../src/shared/i18n/de.ts'
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
async function refused(method: string, input?: unknown) {
  const r = await dispatch({ session }, method, input)
  if (r.ok) throw new Error(`${method} should fail`)
  return r.error
}
const ws = () => session.requireWorkspace()
const rate = (base: string, quote: string, value: string, validOn: string, source: string) =>
  call('reference.saveExchangeRate', { base, quote, rate: value, validOn, source })

/** The text of a PDF in reading order, whitespace collapsed. */
function pdfText(file: { fileName: string; dataBase64: string }): string {
  const path = join(temp.dir, file.fileName)
  writeFileSync(path, Buffer.from(file.dataBase64, 'base64'))
  return execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', path, '-'], { encoding: 'utf8' })
    .replace(/[\u00a0\u202f]/g, ' ')
    .replace(/\s+/g, ' ')
}

beforeEach(async () => {
  temp = tempSession({ prefix: 'puente-fx-', env: frozenEnv('2026-03-01T09:00:01Z', { step: 1000 }) })
  session = temp.session
  await temp.create('fx.puente')
})
afterEach(() => temp.dispose())

describe('exchange rates chain through a pivot', () => {
  it('ARS → EUR from ARS/USD and USD/EUR: the product of the legs, dated by the older leg, the chain shown', async () => {
    await rate('USD', 'EUR', '0,92', '2026-02-18', 'BCE')
    await rate('ARS', 'USD', '0,00082', '2026-02-20', 'BNA')
    // Older and newer rates that must not be taken on 25 February.
    await rate('ARS', 'USD', '0,00090', '2026-01-05', 'BNA')
    await rate('USD', 'EUR', '0,95', '2026-02-26', 'BCE')

    // 0.00082 × 0.92 = 0.0007544 → 75 440 × 10⁻⁸; the chain is as old as its USD/EUR leg (18 Feb).
    const chain = exchangeRateChain(ws(), 'ARS', 'EUR', '2026-02-25')
    expect(chain).toMatchObject({ rateE8: 75440n, validOn: '2026-02-18', via: 'USD' })
    expect(chain!.legs).toEqual([
      { from: 'ARS', to: 'USD', rateE8: 82000n, validOn: '2026-02-20', source: 'BNA', inverse: false },
      { from: 'USD', to: 'EUR', rateE8: 92000000n, validOn: '2026-02-18', source: 'BCE', inverse: false }
    ])
    // The lookup the round's price calculator uses chains the same way (same signature as before).
    expect(exchangeRateOn(ws(), 'ARS', 'EUR', '2026-02-25')).toEqual({ rateE8: 75440n, validOn: '2026-02-18' })
    // Both legs the other way round: 1 / 0.0007544 = 1325.55673382820…, exact until rounded once → 1325.55673383.
    expect(exchangeRateOn(ws(), 'EUR', 'ARS', '2026-02-25')).toEqual({ rateE8: 132555673383n, validOn: '2026-02-18' })
    // Before 18 February only the January ARS/USD leg exists: no chain.
    expect(exchangeRateChain(ws(), 'ARS', 'EUR', '2026-02-17')).toBeNull()
    // On 26 February the newer USD/EUR leg: 0.00082 × 0.95 = 0.000779.
    expect(exchangeRateOn(ws(), 'ARS', 'EUR', '2026-03-01')).toEqual({ rateE8: 77900n, validOn: '2026-02-20' })
    // A currency nothing connects.
    expect(exchangeRateChain(ws(), 'ARS', 'CHF', '2026-02-25')).toBeNull()
  })

  it('an inverse leg is used exactly: USD/ARS 1220 and USD/EUR 0.92 give 1 ARS = 0.92 / 1220 EUR', async () => {
    await rate('USD', 'ARS', '1220', '2026-02-20', 'BNA')
    await rate('USD', 'EUR', '0,92', '2026-02-20', 'BCE')
    // 0.92 / 1220 = 0.000754098360… → 0.00075410.
    expect(exchangeRateChain(ws(), 'ARS', 'EUR', '2026-02-20')).toMatchObject({ rateE8: 75410n, via: 'USD', validOn: '2026-02-20' })
    // An older direct rate does not beat a newer chain (pesos lose value by the month) …
    await rate('ARS', 'EUR', '0,0008', '2026-01-01', 'Banco')
    expect(exchangeRateChain(ws(), 'ARS', 'EUR', '2026-02-20')).toMatchObject({ rateE8: 75410n, via: 'USD', validOn: '2026-02-20' })
    // … one as recent as the chain wins over it.
    await rate('ARS', 'EUR', '0,00074', '2026-02-20', 'Banco')
    expect(exchangeRateChain(ws(), 'ARS', 'EUR', '2026-02-20')).toMatchObject({ rateE8: 74000n, via: null, validOn: '2026-02-20' })
    // On a later day, the direct rate of the same day as the chain's legs still wins.
    expect(exchangeRateChain(ws(), 'ARS', 'EUR', '2026-03-01')).toMatchObject({ rateE8: 74000n, via: null, validOn: '2026-02-20' })
  })

  it('reference.convert: an amount, its result and the chain, for the reference page', async () => {
    await rate('USD', 'EUR', '0,92', '2026-02-18', 'BCE')
    await rate('ARS', 'USD', '0,00082', '2026-02-20', 'BNA')
    const r = await call('reference.convert', { from: 'ARS', to: 'EUR', date: '2026-02-25', amount: '10000' })
    // 10 000 ARS × 0.0007544 = 7.544 EUR → 7.54 (half up at the cent).
    expect(r).toMatchObject({ amountMinor: 1_000_000, resultMinor: 754, rateE8: '75440', validOn: '2026-02-18', via: 'USD' })
    expect(r.legs.map((l: { from: string; to: string }) => `${l.from}→${l.to}`)).toEqual(['ARS→USD', 'USD→EUR'])
    const e = await refused('reference.convert', { from: 'ARS', to: 'CHF', date: '2026-02-25' })
    expect(e).toEqual({ code: 'exchange.no_rate', params: { from: 'ARS', to: 'CHF', date: '2026-02-25' } })
  })
})

describe('a purchase order to an exporter of record for cooperatives in ARS and USD', () => {
  let roundId: string
  let exporterId: string

  /**
   * An exporter of record ships for two cooperatives: La Hoja prices in USD, Unión Textil in ARS (with
   * no weight or volume given for its products). ARS/USD 0.00082 (BNA, 20 Feb), USD/EUR 0.92 (BCE, 18 Feb);
   * the round runs in EUR and takes its rates on 25 February.
   */
  async function setUp(exporterOwnProduct = false) {
    await call('settings.save', { name: 'Solidarische Importe e.V.', country: 'DE', smallBusiness: false, defaultLanguage: 'de', defaultCurrency: 'EUR' })
    await rate('USD', 'EUR', '0,92', '2026-02-18', 'BCE')
    await rate('ARS', 'USD', '0,00082', '2026-02-20', 'BNA')
    exporterId = (await call('suppliers.save', { name: 'Federación de Cooperativas Exportadoras Ltda.', shortName: 'FeCoEx', country: 'AR', exporterOfRecord: true })).id
    const hoja = (await call('suppliers.save', { name: 'Cooperativa de Trabajo La Hoja Ltda.', shortName: 'La Hoja', country: 'AR', exporterId })).id
    const textil = (await call('suppliers.save', { name: 'Cooperativa Unión Textil Ltda.', shortName: 'Unión Textil', country: 'AR', exporterId })).id
    const product = async (supplierId: string, sku: string, price: string, currency: string, kg?: string) =>
      (
        await call('products.save', {
          supplierId,
          sku,
          nameEs: sku,
          salesUnit: 'piece',
          caseUnits: '10',
          price,
          currency,
          vatClass: 'standard',
          ...(kg ? { grossKgPerCase: kg, volumeM3PerCase: '0,02' } : {})
        })
      ).id
    const p1 = await product(hoja, 'LH-YM', '2.10', 'USD', '5,5')
    const p2 = await product(textil, 'UT-BOLSA', '1230', 'ARS')
    const p3 = await product(textil, 'UT-REMERA', '1250', 'ARS')
    const own = exporterOwnProduct ? await product(exporterId, 'FX-CAJA', '3.00', 'EUR', '2') : null
    const suppliers = [hoja, textil, ...(own ? [exporterId] : [])]
    const buyer = (await call('buyers.save', { name: 'Foodcoop Kornblume', type: 'group', country: 'DE', language: 'de', taxTreatment: 'domestic' })).id
    roundId = (
      await call('rounds.save', {
        name: 'Winter',
        opensAt: '2026-02-01T00:00',
        closesAt: '2026-12-01T00:00',
        timeZone: 'Europe/Berlin',
        currency: 'EUR',
        rateDate: '2026-02-25',
        supplierIds: suppliers,
        markupPercent: '0',
        contribution: '0',
        roundingStep: '0.01'
      })
    ).id
    await call('rounds.calculatePrices', { roundId })
    await call('rounds.setStatus', { id: roundId, status: 'open' })
    const lines = [
      { productId: p1, quantity: 10 },
      { productId: p2, quantity: 10 },
      { productId: p3, quantity: 20 },
      ...(own ? [{ productId: own, quantity: 10 }] : [])
    ]
    await call('orders.setLines', { roundId, buyerId: buyer, lines })
    await call('rounds.setStatus', { id: roundId, status: 'closed' })
  }

  it('converts the ARS lines into USD at the dated rate, rounding the unit price half up, and prints the rate', async () => {
    await setUp()
    const [po] = await call('purchaseOrders.create', { roundId })
    // Lines in USD and ARS: the order is in USD (what exports are invoiced in), to the exporter.
    expect(po).toMatchObject({ supplierId: exporterId, supplierShortName: 'FeCoEx', currency: 'USD', documentAt: null })
    // 10 × 2.10 = 21.00; 1230 ARS × 0.00082 = 1.0086 → 1.01, × 10 = 10.10; 1250 × 0.00082 = 1.025 → 1.03 (half up), × 20 = 20.60.
    expect(po.totalMinor).toBe(2100 + 1010 + 2060)
    const rows = ws()
      .db.prepare(
        `SELECT p.sku, l.unit_price_minor AS price, l.source_currency AS cur, l.source_price_minor AS source, l.rate_e8 AS rate, l.rate_on AS rateOn, l.rate_via AS via
         FROM purchase_order_line l JOIN product p ON p.id = l.product_id WHERE l.purchase_order_id = ? ORDER BY p.sku`
      )
      .all(po.id)
    expect(rows).toEqual([
      { sku: 'LH-YM', price: 210, cur: null, source: null, rate: null, rateOn: null, via: null },
      { sku: 'UT-BOLSA', price: 101, cur: 'ARS', source: 123000, rate: 82000, rateOn: '2026-02-20', via: null },
      { sku: 'UT-REMERA', price: 103, cur: 'ARS', source: 125000, rate: 82000, rateOn: '2026-02-20', via: null }
    ])

    const text = pdfText(await call('purchaseOrders.exportDocument', { id: po.id, format: 'pdf' }))
    // The full legal names stay in the document.
    expect(text).toContain('Federación de Cooperativas Exportadoras Ltda.')
    expect(text).toContain('Cooperativa Unión Textil Ltda.')
    expect(text).toContain('Tipos de cambio aplicados')
    expect(text).toContain('1 ARS = 0,00082 USD (BNA, 20 de febrero de 2026)')
    expect(text).toContain('UT-BOLSA UT-BOLSA (precio de la cooperativa: ARS 1.230,00) 1 10 1,01 USD 10,10')
    expect(text).toContain('Valor total USD 51,70')
    // Weight and volume known for La Hoja's case only: a lower bound and a warning, never 0.
    expect(text).toContain('Peso bruto al menos 5,5 kg (productos sin peso: 2)')
    expect(text).toContain('Volumen al menos 0,02 m³ (productos sin volumen: 2)')
    expect(text).toContain('Atención: faltan el peso o el volumen de productos de esta orden (cantidad: 2).')
    // US dollars are never a bare "$" (in Argentina that is pesos).
    expect(text).not.toContain('$')

    // Producing the document is recorded: marking it sent no longer asks first.
    const [listed] = await call('purchaseOrders.list', { roundId })
    expect(listed.documentAt).toMatch(/^2026-03-01T09:/)

    // The XLSX prints the same rate and the same lower bound.
    const file = await call('purchaseOrders.exportDocument', { id: po.id, format: 'xlsx' })
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(Buffer.from(file.dataBase64, 'base64') as unknown as ArrayBuffer)
    const cells: string[] = []
    wb.worksheets[0]!.eachRow((r) => r.eachCell((c) => cells.push(c.text.replace(/[\u00a0\u202f]/g, ' '))))
    expect(cells).toContain('1 ARS = 0,00082 USD (BNA, 20 de febrero de 2026)')
    expect(cells).toContain('al menos 5,5 kg (productos sin peso: 2)')
    expect(cells).not.toContain('0')
  })

  it('with the exporter’s own products in EUR, ARS goes through USD and the chain is printed', async () => {
    await setUp(true)
    const [po] = await call('purchaseOrders.create', { roundId })
    expect(po.currency).toBe('EUR')
    // EUR 3.00 × 10; USD 2.10 × 0.92 = 1.932 → 1.93; ARS 1230 × 0.0007544 = 0.927912 → 0.93; 1250 × 0.0007544 = 0.943 → 0.94.
    expect(po.totalMinor).toBe(3000 + 1930 + 930 + 20 * 94)
    const via = ws().db.prepare(`SELECT DISTINCT source_currency AS cur, rate_e8 AS rate, rate_on AS rateOn, rate_via AS via FROM purchase_order_line WHERE source_currency IS NOT NULL ORDER BY 1`).all()
    expect(via).toEqual([
      { cur: 'ARS', rate: 75440, rateOn: '2026-02-18', via: 'USD' },
      { cur: 'USD', rate: 92000000, rateOn: '2026-02-18', via: null }
    ])
    const text = pdfText(await call('purchaseOrders.exportDocument', { id: po.id, format: 'pdf' }))
    expect(text).toContain(
      '1 ARS = 0,0007544 EUR (18 de febrero de 2026), vía ARS → USD → EUR: 1 ARS = 0,00082 USD (BNA, 20 de febrero de 2026); 1 USD = 0,92 EUR (BCE, 18 de febrero de 2026)'
    )
    expect(text).toContain('1 USD = 0,92 EUR (BCE, 18 de febrero de 2026)')
    expect(text).toContain('Valor total EUR 77,40')
  })

  it('without a rate the order is refused with a translated error, and nothing is created', async () => {
    await setUp()
    const ars = (await call('reference.exchangeRates')).find((r: { base: string }) => r.base === 'ARS')
    await call('reference.deleteExchangeRate', { id: ars.id })
    const e = await refused('purchaseOrders.create', { roundId })
    expect(e).toEqual({ code: 'exchange.no_rate', params: { from: 'ARS', to: 'USD', date: '2026-02-25' } })
    expect(de.errors['exchange.no_rate']).toContain('{{from}}')
    expect(ws().db.prepare('SELECT count(*) AS n FROM purchase_order').get()).toEqual({ n: 0 })
  })
})
