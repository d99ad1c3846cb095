import { parse } from 'csv-parse/sync'
import ExcelJS from 'exceljs'
import { strFromU8, unzipSync } from 'fflate'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { dispatch } from '../../src/core/api/dispatch.ts'
import type { Session } from '../../src/core/app/session.ts'
import { csvFile, csvText } from '../../src/core/spreadsheets/cells.ts'
import { frozenEnv } from '../support/env.ts'
import { type TempSession, tempSession } from '../support/workspace.ts'

/**
 * Exports neutralise formulas one way (src/core/spreadsheets/cells.ts). XLSX: user text is a string cell,
 * never a formula, shown exactly as typed (no apostrophe). CSV: the OWASP rule, full-width forms included.
 */

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
  mime: string
  dataBase64: string
}
const bytesOf = (f: FileResult) => Buffer.from(f.dataBase64, 'base64')

/** Texts a spreadsheet would run as formulas (or, with full-width ＝, may normalise into one). */
const EVIL = ['=HYPERLINK("http://x","y")', '＝1+1', '+1', '@SUM(A1)', '-2+3', '\tX'] as const
const SKUS = ['LH-YM500', 'LH-YM1K', 'LH-TE25', 'LH-MAT'] as const

let roundId: string
let supplierId: string
const products: Record<string, string> = {}
const buyers: Record<string, string> = {}

beforeEach(async () => {
  // A clock that moves one second per reading, from 1 March 2026 09:00:01, and counting ids.
  temp = tempSession({ prefix: 'puente-po-', env: frozenEnv('2026-03-01T09:00:01Z', { step: 1000 }) })
  session = temp.session
  await temp.create('po.puente')
  await call('settings.save', {
    name: 'Solidarische Importe e.V.',
    street: 'Gärtnerstraße 12',
    postalCode: '10245',
    city: 'Berlin',
    country: 'DE',
    vatId: 'DE123456788',
    eori: 'DE123456789012345',
    email: 'koordination@solidarische-importe.example',
    phone: '+49 30 1234567',
    smallBusiness: false,
    defaultLanguage: 'de',
    defaultCurrency: 'EUR'
  })
  const supplier = await call('suppliers.save', {
    name: 'Cooperativa de Trabajo La Hoja Ltda.',
    cuit: '30-71234567-1',
    street: 'Ruta Nacional 12, km 1350',
    postalCode: 'N3322',
    city: 'San Ignacio',
    province: 'Misiones',
    country: 'AR',
    contacts: [{ name: 'Ventas', email: 'ventas@lahoja.example' }]
  })
  supplierId = supplier.id
  const product = async (sku: string, nameEs: string, nameDe: string, caseUnits: string, price: string, grossKg: string, m3: string) =>
    (products[sku] = (
      await call('products.save', {
        supplierId,
        sku,
        nameEs,
        nameDe,
        salesUnit: 'bag',
        caseUnits,
        price,
        currency: 'USD',
        vatClass: 'reduced',
        grossKgPerCase: grossKg,
        volumeM3PerCase: m3
      })
    ).id)
  await product('LH-YM500', 'Yerba mate con palo 500 g', 'Mate-Tee mit Stängeln 500 g', '10', '2.10', '5.25', '0.018')
  await product('LH-YM1K', 'Yerba mate orgánica 1 kg', 'Bio-Mate-Tee 1 kg, 24 Monate gereift', '12', '3.95', '12.6', '0.03')
  await product('LH-TE25', 'Té de yerba mate, 25 saquitos', 'Mate-Teebeutel, 25 Stück', '24', '1.35', '1.2', '0.009')
  await product('LH-MAT', 'Mate de calabaza', 'Kalebassen-Mate', '12', '9.80', '3', '0.04')
  for (const [name, language] of [
    ['Foodcoop Kornblume', 'de'],
    ['Cooperativa Germinal', 'es']
  ] as const)
    buyers[name] = (await call('buyers.save', { name, type: 'group', country: language === 'de' ? 'DE' : 'ES', language, taxTreatment: 'domestic' })).id
  const round = await call('rounds.save', {
    name: 'Winterrunde 2026/27',
    opensAt: '2026-02-01T00:00',
    closesAt: '2026-12-01T00:00',
    timeZone: 'Europe/Berlin',
    currency: 'USD',
    supplierIds: [supplierId],
    markupPercent: '0',
    contribution: '0',
    roundingStep: '0.01'
  })
  roundId = round.id
  await call('rounds.calculatePrices', { roundId })
  await call('rounds.setStatus', { id: roundId, status: 'open' })
  const line = (sku: string, quantity: number, tolerance = 0) => ({ productId: products[sku], quantity, tolerance })
  await call('orders.setLines', {
    roundId,
    buyerId: buyers['Foodcoop Kornblume'],
    lines: [line('LH-YM500', 20), line('LH-YM1K', 12), line('LH-TE25', 20, 4)]
  })
  await call('orders.setLines', { roundId, buyerId: buyers['Cooperativa Germinal'], lines: [line('LH-YM500', 10), line('LH-YM1K', 12), line('LH-MAT', 5)] })
  await call('rounds.setStatus', { id: roundId, status: 'closed' })
  // Products named EVIL[0..3] in every language, the buyers EVIL[4] and EVIL[5] (written directly: the
  // forms would trim a leading tab, a file from elsewhere or an old workspace need not).
  const db = session.requireWorkspace().db
  SKUS.forEach((sku, i) => db.prepare('UPDATE product SET name_es = ?, name_de = ?, name_en = ? WHERE sku = ?').run(EVIL[i], EVIL[i], EVIL[i], sku))
  db.prepare('UPDATE buyer SET name = ? WHERE id = ?').run(EVIL[4], buyers['Foodcoop Kornblume'])
  db.prepare('UPDATE buyer SET name = ? WHERE id = ?').run(EVIL[5], buyers['Cooperativa Germinal'])
})

afterEach(() => temp.dispose())

/**
 * Every cell of the first sheet whose text is one of `texts`: its value as exceljs reads it back, its type,
 * and its element in the sheet XML.
 */
async function xlsxCells(bytes: Buffer, texts: readonly string[]) {
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.load(bytes as unknown as ArrayBuffer)
  const ws = wb.worksheets[0]!
  const zip = unzipSync(new Uint8Array(bytes))
  const xml = strFromU8(zip['xl/worksheets/sheet1.xml']!)
  const found: { value: unknown; type: ExcelJS.ValueType; formula: string | undefined; xml: string }[] = []
  const all: unknown[] = []
  ws.eachRow((row) =>
    row.eachCell((cell) => {
      all.push(cell.value)
      if (typeof cell.value === 'string' && texts.includes(cell.value)) {
        const element = new RegExp(`<c r="${cell.address}"[^>]*?(/>|>.*?</c>)`).exec(xml)
        found.push({ value: cell.value, type: cell.type, formula: cell.formula, xml: element?.[0] ?? '' })
      }
    })
  )
  return { found, all }
}

function expectStringCells(found: Awaited<ReturnType<typeof xlsxCells>>['found']) {
  for (const c of found) {
    expect(c.type).toBe(ExcelJS.ValueType.String)
    expect(c.formula).toBeUndefined()
    expect(c.xml).toMatch(/^<c r="[A-Z]+\d+"[^>]* t="(s|inlineStr)"/)
    expect(c.xml).not.toContain('<f')
  }
}

describe('XLSX: user text is a string cell, shown as typed', () => {
  it('purchase order: every product name exactly as typed, no apostrophe, no formula', async () => {
    session.requireWorkspace().db.prepare('UPDATE supplier SET name = ? WHERE id = ?').run(EVIL[3], supplierId)
    const [po] = await call('purchaseOrders.create', { roundId, incoterm: 'FCA', incotermPlace: 'Posadas', terms: [] })
    const file = await call<FileResult>('purchaseOrders.exportDocument', { id: po.id, format: 'xlsx' })
    const supplierFact = `${EVIL[3]} · CUIT: 30-71234567-1`
    const { found, all } = await xlsxCells(bytesOf(file), [...EVIL, supplierFact])
    // The lines ordered in full cases (LH-YM500, LH-YM1K, LH-TE25; LH-MAT's 5 of 12 are not), and the supplier.
    expect(found.map((c) => c.value).sort()).toEqual([...EVIL.slice(0, 3), supplierFact].sort())
    expectStringCells(found)
    for (const v of all) if (typeof v === 'string') expect(v).not.toMatch(/^'/)
    // The quantities and prices stay numbers.
    expect(all).toContain(1.35)
  })

  it('order matrix: buyer and product names exactly as typed, no apostrophe, no formula; numbers stay numbers', async () => {
    const res = await dispatch({ session }, 'orders.exportMatrix', { roundId, format: 'xlsx' })
    if (!res.ok) throw new Error(JSON.stringify(res.error))
    const { found, all } = await xlsxCells(bytesOf(res.result as FileResult), EVIL)
    expect(found.map((c) => c.value).sort()).toEqual([...EVIL].sort())
    expectStringCells(found)
    for (const v of all) if (typeof v === 'string') expect(v).not.toMatch(/^'/)
    expect(all).toContain(20)
    expect(all).not.toContain('20')
  })
})

describe('CSV: the OWASP rule', () => {
  it('change notice: each dangerous name starts with an apostrophe, full-width forms included', async () => {
    const lines = await call('consolidation.lines', { roundId, productId: products['LH-YM500'] })
    const line = lines.find((l: { buyerName: string }) => l.buyerName === EVIL[4])
    await call('consolidation.override', { lineId: line.lineId, granted: 18, reason: '=1+1 ＠x' })
    const file = await call<FileResult>('consolidation.exportChanges', { roundId, format: 'csv' })
    const rows = parse(bytesOf(file), { delimiter: ';', bom: true }) as string[][]
    const body = rows.slice(1)
    // Kornblume (EVIL[4]) has LH-TE25 (EVIL[2]) and LH-YM500 (EVIL[0]) changed; Germinal (EVIL[5]) LH-MAT (EVIL[3]).
    expect(body.map((r) => [r[0], r[4]]).sort()).toEqual(
      [
        [`'${EVIL[5]}`, `'${EVIL[3]}`],
        [`'${EVIL[4]}`, `'${EVIL[2]}`],
        [`'${EVIL[4]}`, `'${EVIL[0]}`]
      ].sort()
    )
    expect(body.find((r) => r[4] === `'${EVIL[0]}`)![9]).toMatch(/^Von der Koordination geändert: =1\+1 ＠x$/)
    // The quantities are plain numbers.
    for (const r of body) for (const i of [5, 6, 7, 10, 11]) expect(r[i]).toMatch(/^\d+$/)
    for (const r of rows) for (const v of r) expect(v).not.toMatch(/^[=+\-@\t\r＝＋－＠]/)
  })

  it('order matrix: names neutralised, quantities and amounts unquoted numbers', async () => {
    const res = await dispatch({ session }, 'orders.exportMatrix', { roundId, format: 'csv' })
    if (!res.ok) throw new Error(JSON.stringify(res.error))
    const text = bytesOf(res.result as FileResult).toString('utf8')
    const rows = parse(text, { delimiter: ';', bom: true }) as string[][]
    const fields = rows.flat()
    for (const e of EVIL) {
      expect(fields).toContain(`'${e}`)
      expect(fields).not.toContain(e)
    }
    expect(text).toMatch(/;\d+,\d{2}\r\n/)
  })

  it('the rule: = + - @ tab CR and ＝ ＋ － ＠ get an apostrophe; numbers, even negative ones, do not', () => {
    for (const s of ['=1', '+1', '-1', '@x', '\t=1', '\r=1', '＝1', '＋1', '－1', '＠x', ...EVIL]) expect(csvText(s)).toBe(`'${s}`)
    for (const s of ['Foodcoop', ' =1', "'=1", '1-2', 'a=b', 'x＝1']) expect(csvText(s)).toBe(s)
    const csv = csvFile([[-2, { decimal: '-12,50' }, '-2+3', '＝1+1', 'a;b']]).toString('utf8')
    expect(csv).toBe("\ufeff-2;-12,50;'-2+3;'＝1+1;\"a;b\"\r\n")
  })
})
