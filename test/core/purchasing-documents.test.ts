import { execFileSync, spawnSync } from 'node:child_process'
import { readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import ExcelJS from 'exceljs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { dispatch } from '../../src/core/api/dispatch.ts'
import type { Session } from '../../src/core/app/session.ts'
import de from '../../src/shared/i18n/de.ts'
import en from '../../src/shared/i18n/en.ts'
import es from '../../src/shared/i18n/es.ts'
import { frozenEnv } from '../support/env.ts'
import { type TempSession, tempSession } from '../support/workspace.ts'

let temp: TempSession
let dir: string
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

/** Writes an exported file to the test folder and returns its path. */
function save(f: FileResult): string {
  const path = join(dir, f.fileName)
  writeFileSync(path, Buffer.from(f.dataBase64, 'base64'))
  return path
}

/** The text as laid out on the page (one line of the page per line), spaces collapsed within lines. */
function layout(path: string, page?: number): string {
  const range = page ? ['-f', String(page), '-l', String(page)] : []
  return execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', ...range, path, '-'], { encoding: 'utf8' })
    .replace(/[\u00a0\u202f]/g, ' ')
    .replace(/[ \t]+/g, ' ')
}

/** The text in reading order with all whitespace collapsed (texts that wrap inside a cell join up). */
const flat = (path: string, page?: number) =>
  execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', ...(page ? ['-f', String(page), '-l', String(page)] : []), path, '-'], { encoding: 'utf8' })
    .replace(/[\u00a0\u202f]/g, ' ')
    .replace(/\s+/g, ' ')

const pages = (path: string) => Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [path], { encoding: 'utf8' }))![1])

function qpdfCheck(path: string) {
  const r = spawnSync('qpdf', ['--check', path], { encoding: 'utf8' })
  expect(r.stderr).toBe('')
  expect(r.status).toBe(0)
  expect(r.stdout).toContain('No syntax or stream encoding errors')
}

const LONG_NAME =
  'Yerba mate orgánica con palo, molienda tradicional, estacionada naturalmente durante 24 meses en barbacuá, paquete de 1 kg con válvula'

let roundId: string
let supplierId: string
const products: Record<string, string> = {}
const buyers: Record<string, string> = {}

/**
 * A real workspace built through the API: our organisation, a cooperative with CUIT and address, four
 * products in USD, a German and a Spanish buyer, a closed USD round with their orders.
 */
beforeEach(async () => {
  // A clock that moves one second per reading, from 1 March 2026 09:00:01, and counting ids.
  temp = tempSession({ prefix: 'puente-po-', env: frozenEnv('2026-03-01T09:00:01Z', { step: 1000 }) })
  dir = temp.dir
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
  await product('LH-YM1K', LONG_NAME, 'Bio-Mate-Tee 1 kg, 24 Monate gereift', '12', '3.95', '12.6', '0.03')
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
})

afterEach(() => temp.dispose())

async function createPo(extra: Record<string, unknown> = {}): Promise<string> {
  const [po] = await call('purchaseOrders.create', {
    roundId,
    incoterm: 'FCA',
    incotermPlace: 'Posadas, Misiones',
    shipDate: '2026-05-20',
    terms: [
      { label: 'before_shipping', sharePercent: 60, dueDate: '2026-04-15' },
      { label: 'after_arrival', sharePercent: 40 }
    ],
    ...extra
  })
  return po.id
}

describe('purchase order PDF', () => {
  it('in Spanish: both parties with CUIT, VAT ID and EORI, the Incoterm, every line, the totals and the payment amounts', async () => {
    const id = await createPo()
    const file = await call<FileResult>('purchaseOrders.exportDocument', { id, format: 'pdf' })
    expect(file).toMatchObject({ fileName: 'Orden de compra PO-2026-0001 Cooperativa de Trabajo La Hoja Ltda..pdf', mime: 'application/pdf' })
    const path = save(file)
    qpdfCheck(path)
    const text = layout(path)
    const words = flat(path)

    // Parties and facts.
    expect(text).toContain('Orden de compra PO-2026-0001')
    for (const s of ['Solidarische Importe e.V.', 'Gärtnerstraße 12', '10245 Berlin', 'Alemania', 'N.º IVA (UE): DE123456788', 'N.º EORI: DE123456789012345'])
      expect(text).toContain(s)
    for (const s of ['Cooperativa de Trabajo La Hoja Ltda.', 'CUIT: 30-71234567-1', 'Ruta Nacional 12, km 1350', 'N3322 San Ignacio, Misiones', 'Argentina', 'ventas@lahoja.example'])
      expect(text).toContain(s)
    expect(text).toContain('Incoterms® 2020')
    expect(text).toContain('FCA Posadas, Misiones')
    expect(text).toContain('Fecha de embarque solicitada')
    expect(text).toContain('20 de mayo de 2026')
    expect(text).toContain('1 de marzo de 2026')

    // Lines: 30 bags of 500 g (3 cases of 10) at 2.10, 24 of 1 kg (2 cases of 12) at 3.95, 24 tea (1 case) at 1.35.
    // The mate gourd (5 ordered, case of 12, no tolerance) fills no case and is not ordered.
    const row = (sku: string) => text.split('\n').find((l) => l.includes(sku)) ?? ''
    expect(row('LH-YM500')).toMatch(/LH-YM500 Yerba mate con palo 500 g 3 30 2,10 USD 63,00/)
    expect(row('LH-YM1K')).toMatch(/LH-YM1K .* 2 24 3,95 USD 94,80/)
    expect(row('LH-TE25')).toMatch(/LH-TE25 Té de yerba mate, 25 saquitos 1 24 1,35 USD 32,40/)
    expect(words).toContain(LONG_NAME)
    expect(text).not.toContain('LH-MAT')
    expect(text).not.toContain('Mate-Tee')
    // Total: 63.00 + 94.80 + 32.40 = 190.20 over 6 cases and 78 units.
    expect(text).toMatch(/Total 6 78 USD 190,20/)
    expect(text).toMatch(/Valor total USD 190,20/)
    // Gross weight 3 × 5.25 + 2 × 12.6 + 1 × 1.2 = 42.15 kg; volume 3 × 0.018 + 2 × 0.03 + 0.009 = 0.123 m³.
    expect(text).toMatch(/Peso bruto 42,15 kg/)
    expect(text).toMatch(/Volumen 0,123 m³/)
    // 60 % of 190.20 = 114.12 before shipping, 40 % = 76.08 after arrival.
    expect(text).toContain('Condiciones de pago')
    // (Spanish as written in Argentina has no space before the percent sign.)
    expect(words).toContain('60% antes del embarque: USD 114,12, vence el 15 de abril de 2026')
    expect(words).toContain('40% después de la llegada: USD 76,08')
    expect(words).toContain('1 / 1')

    const fonts = execFileSync('pdffonts', [path], { encoding: 'utf8' }).trim().split('\n').slice(2)
    for (const f of fonts) expect(f).toMatch(/DejaVuSans.*\byes\s+yes\s+yes\b/)
    const info = execFileSync('pdfinfo', [path], { encoding: 'utf8' })
    expect(info).toContain('Orden de compra PO-2026-0001')

    // It renders (the picture is looked at by people; here: a page of real size with ink on it).
    execFileSync('pdftoppm', ['-png', '-r', '70', '-f', '1', '-l', '1', path, join(dir, 'po')])
    const png = readFileSync(join(dir, 'po-1.png'))
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG')
    expect(png.readUInt32BE(16)).toBe(579) // 595.28 pt at 70 dpi
    expect(statSync(join(dir, 'po-1.png')).size).toBeGreaterThan(20_000)
  })

  it('in German or English when the order is, with the place to be agreed and no due dates', async () => {
    const id = await createPo({ incotermPlace: null, shipDate: null, terms: [{ label: 'on_order', sharePercent: 100 }] })
    session.requireWorkspace().db.prepare(`UPDATE purchase_order SET language = 'de' WHERE id = ?`).run(id)
    const path = save(await call<FileResult>('purchaseOrders.exportDocument', { id, format: 'pdf' }))
    qpdfCheck(path)
    const text = layout(path)
    expect(text).toContain('Bestellung PO-2026-0001')
    expect(text).toContain('USt-IdNr.: DE123456788')
    expect(text).toContain('FCA (Ort nach Absprache)')
    expect(text).toContain(de.purchaseOrder.toBeAgreed)
    expect(text).toMatch(/LH-YM500 Mate-Tee mit Stängeln 500 g 3 30 2,10 USD 63,00/)
    expect(text).toMatch(/Gesamtwert 190,20 USD/)
    expect(flat(path)).toContain('100 % bei Bestellung: 190,20 USD')

    session.requireWorkspace().db.prepare(`UPDATE purchase_order SET language = 'en' WHERE id = ?`).run(id)
    const english = layout(save(await call<FileResult>('purchaseOrders.exportDocument', { id, format: 'pdf' })))
    expect(english).toContain(`${en.purchaseOrder.title} PO-2026-0001`)
    expect(english).toMatch(/Total value USD 190\.20/)
    expect(english).toMatch(/Gross weight 42\.15 kg/)
  })

  it('a long order runs across pages, the table header repeated on each, every line once, page numbers', async () => {
    // 90 more products, one case each for the German buyer.
    await call('rounds.setStatus', { id: roundId, status: 'open' })
    const lines = []
    for (let i = 0; i < 90; i++) {
      const sku = `LH-X${String(i).padStart(3, '0')}`
      const p = await call('products.save', {
        supplierId,
        sku,
        nameEs: i % 9 === 0 ? `${LONG_NAME} (${i})` : `Producto de prueba ${i}`,
        salesUnit: 'piece',
        caseUnits: '6',
        price: '1.00',
        currency: 'USD',
        vatClass: 'standard'
      })
      lines.push({ productId: p.id, quantity: 6 })
    }
    await call('rounds.calculatePrices', { roundId })
    await call('orders.setLines', { roundId, buyerId: buyers['Foodcoop Kornblume'], lines })
    await call('rounds.setStatus', { id: roundId, status: 'closed' })
    const path = save(await call<FileResult>('purchaseOrders.exportDocument', { id: await createPo(), format: 'pdf' }))
    qpdfCheck(path)
    const n = pages(path)
    expect(n).toBeGreaterThanOrEqual(3)
    const all = layout(path)
    for (let i = 0; i < 90; i++) expect(all.match(new RegExp(`LH-X${String(i).padStart(3, '0')}\\b`, 'g'))?.length).toBe(1)
    for (let p = 1; p <= n; p++) {
      const page = layout(path, p)
      expect(flat(path, p)).toContain(`${p} / ${n}`)
      expect(page).toContain('Orden de compra')
      if (p < n) expect(page).toMatch(/Código Descripción Cajas Unidades Precio/)
    }
    // 190.20 + 90 × 6 × 1.00 = 730.20.
    expect(all).toMatch(/Valor total USD 730,20/)
  })

  it('an unknown purchase order is refused', async () => {
    const r = await dispatch({ session }, 'purchaseOrders.exportDocument', { id: '00000000-0000-4000-8000-999999999999', format: 'pdf' })
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.error.code).toBe('record.not_found')
  })
})

describe('purchase order XLSX', () => {
  it('the same lines as numbers, line totals and sums as formulas with their results', async () => {
    const id = await createPo()
    const file = await call<FileResult>('purchaseOrders.exportDocument', { id, format: 'xlsx' })
    expect(file).toMatchObject({ fileName: 'Orden de compra PO-2026-0001 Cooperativa de Trabajo La Hoja Ltda..xlsx' })
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(Buffer.from(file.dataBase64, 'base64') as unknown as ArrayBuffer)
    const ws = wb.worksheets[0]!
    expect(ws.name).toBe(es.purchaseOrder.sheetName)
    const header = ws.getRow(10).values as unknown[]
    expect(header.slice(1)).toEqual([es.purchaseOrder.sku, es.purchaseOrder.description, 'Cajas', 'Unidades', 'Precio unitario', 'Moneda', 'Importe'])
    const rows = [11, 12, 13].map((r) => ws.getRow(r))
    expect(rows.map((r) => [r.getCell(1).value, r.getCell(3).value, r.getCell(4).value, r.getCell(5).value, r.getCell(6).value])).toEqual([
      ['LH-TE25', 1, 24, 1.35, 'USD'],
      ['LH-YM1K', 2, 24, 3.95, 'USD'],
      ['LH-YM500', 3, 30, 2.1, 'USD']
    ])
    expect(rows.map((r) => r.getCell(7).value)).toEqual([
      { formula: 'D11*E11', result: 32.4 },
      { formula: 'D12*E12', result: 94.8 },
      { formula: 'D13*E13', result: 63 }
    ])
    const total = ws.getRow(14)
    expect(total.getCell(3).value).toEqual({ formula: 'SUM(C11:C13)', result: 6 })
    expect(total.getCell(4).value).toEqual({ formula: 'SUM(D11:D13)', result: 78 })
    expect(total.getCell(7).value).toEqual({ formula: 'SUM(G11:G13)', result: 190.2 })
    const texts: string[] = []
    ws.eachRow((r) => r.eachCell((c) => texts.push(c.text.replace(/[\u00a0\u202f]/g, ' '))))
    expect(texts).toContain('Cooperativa de Trabajo La Hoja Ltda. · CUIT: 30-71234567-1')
    expect(texts).toContain('FCA Posadas, Misiones')
    expect(texts).toContain('60% antes del embarque: USD 114,12, vence el 15 de abril de 2026')
    const amounts: number[] = []
    ws.eachRow((r) => {
      if (String(r.getCell(2).value).includes('%')) amounts.push(r.getCell(7).value as number)
    })
    expect(amounts).toEqual([114.12, 76.08])
  })
})

describe('change notice per buyer', () => {
  async function override() {
    const lines = await call('consolidation.lines', { roundId, productId: products['LH-YM500'] })
    const line = lines.find((l: { buyerName: string }) => l.buyerName === 'Foodcoop Kornblume')
    await call('consolidation.override', { lineId: line.lineId, granted: 18, reason: 'zwei Packungen für den Infostand' })
  }

  it('PDF: one section per buyer, each in the buyer’s language', async () => {
    await override()
    const file = await call<FileResult>('consolidation.exportChanges', { roundId, stage: 'planned', format: 'pdf' })
    // The file name is in the coordinator's language (here the organisation's: German).
    expect(file).toMatchObject({ fileName: 'Änderungen Winterrunde 2026-27.pdf', mime: 'application/pdf' })
    const path = save(file)
    qpdfCheck(path)
    expect(pages(path)).toBe(2)
    // Buyers by name: Cooperativa Germinal (Spanish) first, then Foodcoop Kornblume (German).
    const spanish = flat(path, 1)
    expect(spanish).toContain('Cooperativa Germinal')
    expect(spanish).toContain(es.changeNotice.title)
    expect(spanish).toContain(es.changeNotice.intro.planned)
    for (const h of [es.changeNotice.product, es.changeNotice.ordered, es.changeNotice.allocated, es.changeNotice.why]) expect(spanish).toContain(h)
    expect(spanish).toMatch(/LH-MAT · Mate de calabaza 5 0 0/)
    expect(spanish).toContain(es.changeReasons.case_not_full)
    expect(spanish).not.toContain('Foodcoop Kornblume')
    expect(spanish).not.toContain(de.changeNotice.title)
    expect(spanish).toContain('1 / 2')

    const german = flat(path, 2)
    expect(german).toContain('Foodcoop Kornblume')
    expect(german).toContain(de.changeNotice.title)
    expect(german).toContain(de.changeNotice.intro.planned)
    for (const h of [de.changeNotice.product, de.changeNotice.ordered, de.changeNotice.allocated, de.changeNotice.why]) expect(german).toContain(h)
    expect(german).toMatch(/LH-TE25 · Mate-Teebeutel, 25 Stück 20 4 24/)
    expect(german).toContain(de.changeReasons.tolerance_used)
    // The units it gets, split: 20 from the order, 4 from the tolerance.
    expect(german).toContain('20 + 4 Toleranz')
    expect(spanish).not.toContain('de tolerancia')
    expect(german).toMatch(/LH-YM500 · Mate-Tee mit Stängeln 500 g 20 0 18/)
    expect(german).toContain('Von der Koordination geändert: zwei Packungen für den Infostand')
    expect(german).not.toContain('Cooperativa Germinal')
    expect(german).not.toContain(es.changeNotice.title)
    expect(german).not.toContain('Mate de calabaza')
    expect(german).toContain('2 / 2')
  })

  it('CSV: every changed line of every buyer, product and reason in the buyer’s language', async () => {
    await override()
    const file = await call<FileResult>('consolidation.exportChanges', { roundId, format: 'csv' })
    expect(file).toMatchObject({ fileName: 'Änderungen Winterrunde 2026-27.csv', mime: 'text/csv;charset=utf-8' })
    const bytes = Buffer.from(file.dataBase64, 'base64')
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const rows = parse(bytes, { delimiter: ';', bom: true }) as string[][]
    const t = de.changeNotice
    expect(rows[0]).toEqual([t.buyer, t.member, t.language, t.sku, t.product, t.ordered, t.tolerance, t.allocated, t.reason, t.why, t.fromOrdered, t.fromTolerance])
    expect(rows.slice(1)).toEqual([
      ['Cooperativa Germinal', '', 'es', 'LH-MAT', 'Mate de calabaza', '5', '0', '0', 'case_not_full', es.changeReasons.case_not_full, '0', '0'],
      ['Foodcoop Kornblume', '', 'de', 'LH-TE25', 'Mate-Teebeutel, 25 Stück', '20', '4', '24', 'tolerance_used', de.changeReasons.tolerance_used, '20', '4'],
      ['Foodcoop Kornblume', '', 'de', 'LH-YM500', 'Mate-Tee mit Stängeln 500 g', '20', '0', '18', 'override', 'Von der Koordination geändert: zwei Packungen für den Infostand', '18', '0']
    ])
  })

  it('when nothing changed, the PDF says so', async () => {
    await call('consolidation.setPolicy', { roundId, roundingPolicy: 'exact', cutStrategy: 'first_come' })
    const path = save(await call<FileResult>('consolidation.exportChanges', { roundId, stage: 'planned', format: 'pdf' }))
    qpdfCheck(path)
    expect(flat(path)).toContain(de.changeNotice.nothing)
  })
})
