import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { crc32 } from 'node:zlib'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { dispatch } from '../../src/core/api/dispatch.ts'
import type { Context } from '../../src/core/api/map.ts'
import { productInput, saveProduct } from '../../src/core/catalogue/products.ts'
import { buyerInput, saveBuyer } from '../../src/core/buyers/buyers.ts'
import type { OrderImportPreview, OrderImportResult } from '../../src/core/orders/orderImport.ts'
import { IMPORT_ERROR_CODES } from '../../src/core/spreadsheets/issues.ts'
import { applyCalculatedPrices } from '../../src/core/rounds/rounds.ts'
import type { Session } from '../../src/core/app/session.ts'
import type { ErrorPayload } from '../../src/shared/errors.ts'
import type { AppEvent } from '../../src/shared/events.ts'
import de from '../../src/shared/i18n/de.ts'
import en from '../../src/shared/i18n/en.ts'
import es from '../../src/shared/i18n/es.ts'
import { hasSoffice, libreOffice } from './office.ts'
import { type TempSession, tempSession } from '../support/workspace.ts'

let temp: TempSession
let session: Session

beforeEach(async () => {
  temp = tempSession({ prefix: 'puente-exchange-' })
  session = temp.session
  await session.openDemo()
})

afterEach(() => temp.dispose())

const ctx = (): Context => ({ session })
const db = () => session.requireWorkspace().db

async function call<T>(method: string, input: unknown): Promise<T> {
  const res = await dispatch(ctx(), method, input)
  if (!res.ok) throw new Error(`${method} failed: ${JSON.stringify(res.error)}`)
  return res.result as T
}

async function failure(method: string, input: unknown): Promise<ErrorPayload & { params: Record<string, unknown> }> {
  const res = await dispatch(ctx(), method, input)
  if (res.ok) throw new Error(`${method} should have failed, got ${JSON.stringify(res.result).slice(0, 500)}`)
  return { ...res.error, params: res.error.params ?? {} }
}

const roundId = () => (db().prepare("SELECT id FROM round WHERE name = 'Winterrunde 2026/27'").get() as { id: string }).id
const buyerId = (name: string) => (db().prepare('SELECT id FROM buyer WHERE name = ?').get(name) as { id: string }).id
const productId = (sku: string) => (db().prepare('SELECT id FROM product WHERE sku = ?').get(sku) as { id: string }).id

/** What a failed apply must leave untouched. */
function state() {
  const n = (sql: string) => (db().prepare(sql).get() as { n: number }).n
  return {
    log: n('SELECT count(*) AS n FROM quantity_log'),
    lines: n('SELECT count(*) AS n FROM order_line'),
    orders: n('SELECT count(*) AS n FROM buyer_order'),
    units: n('SELECT coalesce(sum(quantity), 0) + coalesce(sum(tolerance), 0) AS n FROM line_quantity'),
    changes: n('SELECT total_changes() AS n')
  }
}

/** Current quantity and tolerance of a line ([0, 0] when there is none). */
function line(buyer: string, sku: string, sub: string | null = null): [number, number] {
  const row = db()
    .prepare(
      `SELECT q.quantity, q.tolerance FROM line_quantity q JOIN buyer_order o ON o.id = q.order_id
       WHERE o.round_id = ? AND o.buyer_id = ? AND q.product_id = ? AND coalesce(q.sub_buyer_id, '') = ?`
    )
    .get(roundId(), buyerId(buyer), productId(sku), sub ? buyerId(sub) : '') as { quantity: number; tolerance: number } | undefined
  return row ? [row.quantity, row.tolerance] : [0, 0]
}

const upload = (fileName: string, bytes: Buffer | string) => ({
  roundId: roundId(),
  fileName,
  data: typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes
})

const preview = (input: ReturnType<typeof upload>) => call<OrderImportPreview>('orders.importPreview', input)

/** Every error code of the preview, file-level and per row. */
const codes = (p: OrderImportPreview) => [...p.fileErrors.map((e) => e.code), ...p.rows.flatMap((r) => r.errors.map((e) => e.code))]

/** The preview refuses the file with these codes, and the apply refuses it without writing anything. */
async function refused(input: ReturnType<typeof upload>, expected: string[]): Promise<OrderImportPreview> {
  const p = await preview(input)
  expect(p.blocking).toBe(true)
  for (const c of expected) expect(codes(p)).toContain(c)
  const before = state()
  const events: AppEvent[] = []
  const off = session.on((e) => e.type !== 'job' && events.push(e)) // progress aside (test/core/jobs.test.ts)
  const err = await failure('orders.importApply', input)
  off()
  expect(err.code).toBe('import.blocked')
  expect(err.params.count).toBe(p.fileErrors.length + p.summary.errors)
  expect(state()).toEqual(before)
  expect(events).toEqual([])
  return p
}

async function exportForm(buyer: string, format: 'xlsx' | 'pdf' = 'xlsx', round = roundId()) {
  return call<{ fileName: string; mime: string; dataBase64: string }>('orders.exportForm', { roundId: round, buyerId: buyerId(buyer), format })
}

type CellInput = ExcelJS.CellValue
/** Fills a copy of an exported form with exceljs, as a person would in Excel: SKU → [quantity, tolerance]. */
async function fillForm(dataBase64: string, values: Record<string, [CellInput, CellInput?]>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.load(Buffer.from(dataBase64, 'base64') as unknown as ArrayBuffer)
  const ws = wb.worksheets.find((s) => s.state === 'visible')!
  const seen = new Set<string>()
  ws.eachRow((row) => {
    const sku = row.getCell(1).text
    const v = values[sku]
    if (!v) return
    seen.add(sku)
    row.getCell(6).value = v[0]
    // Excel shows a date typed into a number cell with a date format.
    if (v[0] instanceof Date) row.getCell(6).numFmt = 'dd.mm.yyyy'
    if (v.length > 1) row.getCell(7).value = v[1] ?? null
  })
  expect([...seen].sort()).toEqual(Object.keys(values).sort())
  return Buffer.from(await wb.xlsx.writeBuffer())
}

/** One entry of a ZIP file as text, read with Info-ZIP's unzip. */
function zipEntry(bytes: Buffer, name: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'puente-unzip-'))
  try {
    writeFileSync(join(dir, 'file.zip'), bytes)
    return execFileSync('unzip', ['-p', join(dir, 'file.zip'), name], { encoding: 'utf8' })
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const csvBytes = (text: string, encoding: 'utf8' | 'latin1' = 'utf8', bom = false) =>
  Buffer.concat([bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), Buffer.from(text, encoding)])

describe('order form export (XLSX)', () => {
  it('has the buyer block, the orderable products in the buyer’s language, validation, protection and hidden ids', async () => {
    const file = await exportForm('Foodcoop Kornblume')
    expect(file.fileName).toBe('Bestellformular Winterrunde 2026-27 Foodcoop Kornblume.xlsx')
    expect(file.mime).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(Buffer.from(file.dataBase64, 'base64') as unknown as ArrayBuffer)
    const [form, meta] = wb.worksheets
    expect(form!.name).toBe(de.forms.sheetName)
    expect(meta!.state).toBe('veryHidden')
    expect((form as unknown as { sheetProtection: unknown }).sheetProtection).toMatchObject({ sheet: true })
    expect(form!.getCell('A2').text).toBe(de.forms.buyer)
    expect(form!.getCell('B2').text).toBe('Foodcoop Kornblume')
    expect(form!.getCell('B3').text).toContain('Wrangelstraße 40')
    expect(form!.getCell('B4').text).toBe('Winterrunde 2026/27')
    expect(form!.getCell('B5').text).toMatch(/2026.*\(Europe\/Berlin\)/)
    expect(form!.getCell('B6').text).toBe('EUR')
    expect(form!.getRow(9).values).toEqual([
      undefined,
      de.forms.sku,
      de.forms.product,
      de.forms.unit,
      de.forms.caseUnits,
      de.forms.price,
      de.forms.quantity,
      de.forms.tolerance,
      de.forms.lineTotal,
      'product_id'
    ])
    expect(form!.getColumn(9).hidden).toBe(true)

    const orderable = db()
      .prepare(
        `SELECT p.id, p.sku, p.name_de AS name FROM round_product rp JOIN product p ON p.id = rp.product_id
         WHERE rp.round_id = ? AND rp.blocked = 0 AND rp.price_minor IS NOT NULL`
      )
      .all(roundId()) as { id: string; sku: string; name: string }[]
    expect(orderable.length).toBe(43)
    const rows = new Map<string, ExcelJS.Row>()
    form!.eachRow((row) => {
      if (/^[0-9a-f-]{36}$/.test(row.getCell(9).text)) rows.set(row.getCell(1).text, row)
    })
    expect([...rows.keys()].sort()).toEqual(orderable.map((p) => p.sku).sort())
    expect(rows.has('AP-MI500')).toBe(false)
    // The unit in the buyer's language, the same word the app shows (units.).
    expect(rows.get('LH-YM500')!.getCell(3).text).toBe(de.units.bag)
    for (const p of orderable) {
      const row = rows.get(p.sku)!
      expect(row.getCell(2).text).toBe(p.name)
      expect(row.getCell(9).text).toBe(p.id)
      for (const c of [6, 7]) {
        const cell = row.getCell(c)
        expect(cell.protection?.locked).toBe(false)
        expect(cell.dataValidation).toMatchObject({ type: 'whole', showErrorMessage: true, error: de.forms.validationError })
      }
      for (const c of [1, 2, 3, 4, 5, 8]) expect(row.getCell(c).protection?.locked).not.toBe(false)
      const r = row.number
      expect(row.getCell(8).value).toMatchObject({ formula: `E${r}*F${r}` })
    }
    // The current order is filled in.
    expect(rows.get('LH-YM500')!.getCell(6).value).toBe(12)
    expect(rows.get('LH-YM500')!.getCell(7).value).toBe(4)
    const total = form!.getRow(form!.rowCount).getCell(8).value as ExcelJS.CellFormulaValue
    expect(total.formula).toMatch(/^SUM\(H\d+:H\d+\)$/)
    expect(meta!.getCell('A1').text).toBe('format')
    expect(meta!.getCell('B3').text).toBe(roundId())
    expect(meta!.getCell('B4').text).toBe(buyerId('Foodcoop Kornblume'))
  })

  it('a Spanish buyer gets Spanish texts, names and messages', async () => {
    const file = await exportForm('Cooperativa Germinal')
    expect(file.fileName).toBe('Formulario de pedido Winterrunde 2026-27 Cooperativa Germinal.xlsx')
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(Buffer.from(file.dataBase64, 'base64') as unknown as ArrayBuffer)
    const form = wb.worksheets[0]!
    expect(form.getCell('A2').text).toBe(es.forms.buyer)
    const texts: string[] = []
    form.eachRow((row) => texts.push(row.getCell(2).text))
    expect(texts).toContain('Yerba mate con palo 500 g')
    expect(texts).not.toContain('Mate-Tee mit Stängeln 500 g')
    let validated = 0
    form.eachRow((row) => {
      if (row.getCell(6).dataValidation) {
        expect(row.getCell(6).dataValidation.error).toBe(es.forms.validationError)
        validated++
      }
    })
    expect(validated).toBe(43)
  })
})

describe('order import: the XLSX form round trip', () => {
  const FILL: Record<string, [CellInput, CellInput?]> = {
    'LH-YM500': [20, 2], // was 12 / 4
    'CT-LI750': [6], // new
    'CT-DC750': [null], // was 6: cleared means 0
    'AR-TAB100': [20, 5] // as it was
  }

  async function expectRoundTrip(filled: Buffer) {
    const input = upload('Bestellformular.xlsx', filled)
    const p = await preview(input)
    expect(p).toMatchObject({ format: 'xlsx', kind: 'form', fileErrors: [], blocking: false })
    const bySku = new Map(p.rows.map((r) => [r.sku, r]))
    expect(bySku.get('LH-YM500')).toMatchObject({ status: 'ok', quantity: 20, tolerance: 2, current: { quantity: 12, tolerance: 4 }, buyer: 'Foodcoop Kornblume' })
    expect(bySku.get('CT-LI750')).toMatchObject({ status: 'ok', quantity: 6, tolerance: 0, current: { quantity: 0, tolerance: 0 } })
    expect(bySku.get('CT-DC750')).toMatchObject({ status: 'ok', quantity: 0, tolerance: 0, current: { quantity: 6, tolerance: 0 } })
    expect(bySku.get('AR-TAB100')).toMatchObject({ status: 'unchanged', quantity: 20, tolerance: 5 })
    expect(bySku.get('LH-YM1K')).toMatchObject({ status: 'unchanged', quantity: 6 })
    expect(p.summary).toMatchObject({ ok: 3, errors: 0, buyers: 1 })
    // Products nobody touched and nobody ordered are not listed.
    expect(bySku.has('CH-AFI')).toBe(false)

    const before = state()
    const events: AppEvent[] = []
    const off = session.on((e) => e.type !== 'job' && events.push(e)) // progress aside (test/core/jobs.test.ts)
    const result = await call<OrderImportResult>('orders.importApply', input)
    off()
    expect(result).toEqual({ applied: 3, unchanged: p.summary.unchanged, orders: 1 })
    // The apply is an action: it announces the change itself, once; then the backup taken before it.
    expect(events).toEqual([
      { type: 'changed', topics: ['orders'] },
      { type: 'changed', topics: ['backups'] }
    ])
    expect(line('Foodcoop Kornblume', 'LH-YM500')).toEqual([20, 2])
    expect(line('Foodcoop Kornblume', 'CT-LI750')).toEqual([6, 0])
    expect(line('Foodcoop Kornblume', 'CT-DC750')).toEqual([0, 0])
    expect(line('Foodcoop Kornblume', 'AR-TAB100')).toEqual([20, 5])
    const log = db()
      .prepare(
        `SELECT p.sku, l.quantity_delta AS dq, l.tolerance_delta AS dt, l.source FROM quantity_log l JOIN order_line ol ON ol.id = l.line_id
         JOIN product p ON p.id = ol.product_id ORDER BY l.rowid DESC LIMIT 3`
      )
      .all() as { sku: string; dq: number; dt: number; source: string }[]
    expect(state().log).toBe(before.log + 3)
    expect(log.sort((a, b) => a.sku.localeCompare(b.sku))).toEqual([
      { sku: 'CT-DC750', dq: -6, dt: 0, source: 'import' },
      { sku: 'CT-LI750', dq: 6, dt: 0, source: 'import' },
      { sku: 'LH-YM500', dq: 8, dt: -2, source: 'import' }
    ])
    // The same file again changes nothing.
    const again = await preview(input)
    expect(again.summary.ok).toBe(0)
    expect(again.blocking).toBe(false)
    return p
  }

  it('export, fill with exceljs, preview, apply: the order changes and the quantity log grows with source import', async () => {
    const file = await exportForm('Foodcoop Kornblume')
    await expectRoundTrip(await fillForm(file.dataBase64, FILL))
  })

  it.runIf(hasSoffice() || process.env.CI)(
    'a form saved by LibreOffice imports exactly like one saved by exceljs',
    async () => {
      const file = await exportForm('Foodcoop Kornblume')
      const filled = await fillForm(file.dataBase64, FILL)
      const saved = libreOffice(filled)
      expect(zipEntry(saved, 'docProps/app.xml')).toContain('LibreOffice')
      const viaExcelJs = await preview(upload('a.xlsx', filled))
      const rows = (p: OrderImportPreview) => p.rows.map((r) => ({ sku: r.sku, productId: r.productId, q: r.quantity, t: r.tolerance, status: r.status }))
      const viaLibreOffice = await preview(upload('b.xlsx', saved))
      expect(rows(viaLibreOffice)).toEqual(rows(viaExcelJs))
      expect(viaLibreOffice.summary).toEqual(viaExcelJs.summary)
      await expectRoundTrip(saved)
    },
    180_000
  )

  it('a hub member’s form goes into the hub’s order as the member’s lines', async () => {
    const file = await exportForm('Mate-Kollektiv Bochum')
    const filled = await fillForm(file.dataBase64, { 'LH-YM500': [9, 1], 'TT-BB500': [4, 0] })
    const input = upload('bochum.xlsx', filled)
    const p = await preview(input)
    expect(p.blocking).toBe(false)
    expect(p.rows.find((r) => r.sku === 'LH-YM500')).toMatchObject({
      orderBuyerId: buyerId('Verteilknoten Ruhr'),
      subBuyerId: buyerId('Mate-Kollektiv Bochum'),
      current: { quantity: 5, tolerance: 2 }
    })
    await call('orders.importApply', input)
    expect(line('Verteilknoten Ruhr', 'LH-YM500', 'Mate-Kollektiv Bochum')).toEqual([9, 1])
    expect(line('Verteilknoten Ruhr', 'TT-BB500', 'Mate-Kollektiv Bochum')).toEqual([4, 0])
    expect(line('Verteilknoten Ruhr', 'LH-YM1K', 'Solikreis Dortmund Nord')).toEqual([3, 1])
  })

  it('a formula in a quantity cell counts with its cached result; without one it is an error', async () => {
    const file = await exportForm('Foodcoop Kornblume')
    const ok = await fillForm(file.dataBase64, { 'LH-TE25': [{ formula: '2*3', result: 6 }, 0] })
    const p = await preview(upload('f.xlsx', ok))
    expect(p.rows.find((r) => r.sku === 'LH-TE25')).toMatchObject({ status: 'ok', quantity: 6 })
    const bad = await fillForm(file.dataBase64, { 'LH-TE25': [{ formula: 'B1*3' } as CellInput, 0] })
    const q = await refused(upload('f.xlsx', bad), ['formula'])
    expect(q.rows.find((r) => r.sku === 'LH-TE25')!.errors[0]).toMatchObject({ ns: 'importErrors', code: 'formula', field: 'quantity' })
  })

  it('a date typed into a quantity cell is refused', async () => {
    const file = await exportForm('Foodcoop Kornblume')
    const filled = await fillForm(file.dataBase64, { 'LH-TE25': [new Date(Date.UTC(2026, 2, 1)), 0] })
    const p = await refused(upload('d.xlsx', filled), ['date'])
    expect(p.rows.find((r) => r.sku === 'LH-TE25')!.errors[0]!.params).toEqual({ value: '2026-03-01' })
  })

  it('text, decimals and negative numbers in the form are refused', async () => {
    const file = await exportForm('Foodcoop Kornblume')
    const filled = await fillForm(file.dataBase64, { 'LH-TE25': ['zwölf', 0], 'LH-MC25': [2.5, 0], 'LH-YM1K': [-3, 0], 'TT-BB1K': [4, 'viel'] })
    const p = await refused(upload('t.xlsx', filled), ['not_number', 'not_integer', 'negative'])
    expect(p.rows.find((r) => r.sku === 'TT-BB1K')!.errors).toEqual([{ ns: 'importErrors', code: 'not_number', params: { value: 'viel' }, field: 'tolerance' }])
  })

  it('a form of another round is refused', async () => {
    const other = await call<{ id: string }>('rounds.save', {
      name: 'Frühjahrsrunde 2027',
      opensAt: '2027-02-01T10:00',
      closesAt: '2027-03-01T18:00',
      timeZone: 'Europe/Berlin',
      currency: 'EUR',
      supplierIds: []
    })
    const file = await exportForm('Foodcoop Kornblume', 'xlsx', other.id)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(Buffer.from(file.dataBase64, 'base64') as unknown as ArrayBuffer)
    const p = await refused(upload('other.xlsx', Buffer.from(await wb.xlsx.writeBuffer())), ['wrong_round'])
    expect(p.fileErrors[0]).toMatchObject({ code: 'wrong_round', params: { form: 'Frühjahrsrunde 2027', round: 'Winterrunde 2026/27' } })
  })

  it('a form whose buyer no longer exists is refused', async () => {
    const file = await exportForm('Foodcoop Kornblume')
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(Buffer.from(file.dataBase64, 'base64') as unknown as ArrayBuffer)
    wb.getWorksheet('puente')!.getCell('B4').value = '00000000-0000-4000-8000-000000000000'
    await refused(upload('x.xlsx', Buffer.from(await wb.xlsx.writeBuffer())), ['unknown_buyer'])
  })

  it('the apply checks the file again: a product blocked after the preview refuses the import', async () => {
    const file = await exportForm('Foodcoop Kornblume')
    const input = upload('f.xlsx', await fillForm(file.dataBase64, { 'LH-TE25': [12, 0] }))
    expect((await preview(input)).blocking).toBe(false)
    await call('rounds.setPrice', { roundId: roundId(), productId: productId('LH-TE25'), blocked: true, blockReason: 'Zoll' })
    await refused(input, ['blocked'])
  })
})

describe('order import: tables (CSV and XLSX)', () => {
  it('a semicolon CSV as German Excel writes it (Latin-1, decimal comma, German headers)', async () => {
    const buyer = await call<{ id: string }>('buyers.save', {
      name: 'Grüne Küche Köln',
      type: 'group',
      country: 'DE',
      language: 'de',
      taxTreatment: 'domestic',
      contacts: []
    })
    const text = 'Käufer;Art.-Nr.;Menge;Toleranz\r\nGrüne Küche Köln;LH-YM500;3,0;1\r\ngrüne küche köln;TT-BB500;1.200;\r\n'
    const input = upload('bestellung.csv', csvBytes(text, 'latin1'))
    const p = await preview(input)
    expect(p).toMatchObject({ format: 'csv', kind: 'table', encoding: 'windows-1252', separator: ';', blocking: false })
    expect(p.rows.map((r) => [r.line, r.buyerId, r.sku, r.quantity, r.tolerance, r.status])).toEqual([
      [2, buyer.id, 'LH-YM500', 3, 1, 'ok'],
      [3, buyer.id, 'TT-BB500', 1200, 0, 'ok']
    ])
    await call('orders.importApply', input)
    expect(line('Grüne Küche Köln', 'LH-YM500')).toEqual([3, 1])
    expect(line('Grüne Küche Köln', 'TT-BB500')).toEqual([1200, 0])
  })

  it('a comma CSV with a BOM, English headers and buyer IDs; without a tolerance column tolerances stay', async () => {
    const text = `sku,Buyer,Qty\nLH-YM500,${buyerId('Foodcoop Kornblume')},15\nLH-YM500,Mate-Kollektiv Bochum,7\n`
    const input = upload('orders.csv', csvBytes(text, 'utf8', true))
    const p = await preview(input)
    expect(p).toMatchObject({ encoding: 'utf-8-bom', separator: ',', blocking: false })
    await call('orders.importApply', input)
    expect(line('Foodcoop Kornblume', 'LH-YM500')).toEqual([15, 4])
    expect(line('Verteilknoten Ruhr', 'LH-YM500', 'Mate-Kollektiv Bochum')).toEqual([7, 2])
  })

  it('Spanish headers in an XLSX table', async () => {
    const wb = new ExcelJS.Workbook()
    const ws = wb.addWorksheet('Pedido')
    ws.addRow(['Comprador', 'Código', 'Cantidad', 'Tolerancia'])
    ws.addRow(['Cooperativa Germinal', 'LR-MA750', 12, 0])
    ws.addRow(['Cooperativa Germinal', 'CH-CUA', 15, 2])
    const input = upload('pedido.xlsx', Buffer.from(await wb.xlsx.writeBuffer()))
    const p = await preview(input)
    expect(p).toMatchObject({ kind: 'table', blocking: false, summary: { ok: 2 } })
    await call('orders.importApply', input)
    expect(line('Cooperativa Germinal', 'LR-MA750')).toEqual([12, 0])
    expect(line('Cooperativa Germinal', 'CH-CUA')).toEqual([15, 2])
  })

  it('XLSX table: a formula with a result counts; a date or a formula without a result is refused', async () => {
    const table = async (q: ExcelJS.CellValue) => {
      const wb = new ExcelJS.Workbook()
      const ws = wb.addWorksheet('Orders')
      ws.addRow(['buyer', 'sku', 'quantity'])
      ws.addRow(['Foodcoop Kornblume', 'LH-TE25', q])
      return upload('t.xlsx', Buffer.from(await wb.xlsx.writeBuffer()))
    }
    const ok = await preview(await table({ formula: '3*4', result: 12 }))
    expect(ok.rows[0]).toMatchObject({ status: 'ok', quantity: 12 })
    await refused(await table({ formula: 'Z99*4' } as ExcelJS.CellValue), ['formula'])
    await refused(await table(new Date(Date.UTC(2026, 4, 3))), ['date'])
  })

  const K = 'Foodcoop Kornblume'
  const corpus: [string, string, string[]][] = [
    ['unknown SKU', `buyer;sku;quantity\n${K};LH-YM500;3\n${K};XX-NOPE;3\n`, ['unknown_sku']],
    ['a decimal quantity (decimal comma)', `buyer;sku;quantity\n${K};LH-YM500;2,5\n`, ['not_integer']],
    ['a decimal quantity (decimal point)', `buyer,sku,quantity\n${K},LH-YM500,2.5\n`, ['not_integer']],
    ['a negative quantity', `buyer;sku;quantity\n${K};LH-YM500;-3\n`, ['negative']],
    ['text in the quantity', `buyer;sku;quantity\n${K};LH-YM500;drei\n`, ['not_number']],
    ['an empty quantity', `buyer;sku;quantity\n${K};LH-YM500;\n`, ['quantity_missing']],
    ['a date in the quantity', `buyer;sku;quantity\n${K};LH-YM500;01.03.2026\n`, ['date']],
    ['an ambiguous thousands separator', `buyer\tsku\tquantity\n${K}\tLH-YM500\t1,000\n`, ['ambiguous_number']],
    ['too large a quantity', `buyer;sku;quantity\n${K};LH-YM500;2000000\n`, ['too_large']],
    ['a blocked product', `buyer;sku;quantity\n${K};AP-MI500;2\n`, ['blocked']],
    ['an unknown buyer', `buyer;sku;quantity\nNiemand e.V.;LH-YM500;2\n`, ['unknown_buyer']],
    ['a missing buyer', `buyer;sku;quantity\n;LH-YM500;2\n`, ['buyer_missing']],
    ['the same line twice', `buyer;sku;quantity\n${K};LH-YM500;2\n${K};lh-ym500;3\n`, ['duplicate']],
    ['wrong headers', `Name;Farbe;Größe\n${K};rot;3\n`, ['headers']],
    ['an empty file', '', ['empty']],
    ['only a BOM', '\ufeff', ['empty']],
    ['only a header', 'buyer;sku;quantity\n', ['empty']]
  ]
  it.each(corpus)('%s: refused as a whole, nothing written', async (_name, text, expected) => {
    const p = await refused(upload('corpus.csv', csvBytes(text)), expected)
    // The valid rows of a refused file are still shown with their status.
    if (_name === 'unknown SKU') expect(p.rows[0]).toMatchObject({ status: 'ok', quantity: 3 })
  })

  it('files that are not spreadsheets are refused', async () => {
    await refused(upload('a.xlsx', Buffer.from('this is not a zip')), ['unreadable'])
    await refused(upload('a.xls', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0])), ['old_excel'])
    await refused(upload('a.xlsx', Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3])), ['unreadable'])
    await refused(upload('a.bin', Buffer.from([0, 1, 2, 3, 0, 0, 7])), ['unreadable'])
  })

  it('a closed round refuses imports', async () => {
    await call('rounds.setStatus', { id: roundId(), status: 'closed' })
    await refused(upload('a.csv', `buyer;sku;quantity\nFoodcoop Kornblume;LH-YM500;2\n`), ['closed'])
  })

  it('every import error code has a text in de, es and en', () => {
    for (const t of [de, es, en]) for (const code of IMPORT_ERROR_CODES) expect(typeof (t.importErrors as Record<string, string>)[code]).toBe('string')
    expect(Object.keys(en.importErrors).sort()).toEqual([...IMPORT_ERROR_CODES].sort())
  })
})

describe('order import: 100,000 rows', () => {
  /** 50 buyers × 2,000 products of one new cooperative, priced in the demo round. */
  function bigCatalogue(): { buyers: string[]; skus: string[] } {
    const ws = session.requireWorkspace()
    const supplierId = (db().prepare("SELECT id FROM supplier WHERE code = 'LH'").get() as { id: string }).id
    const skus: string[] = []
    const buyers: string[] = []
    db().transaction(() => {
      for (let i = 0; i < 2000; i++) {
        const sku = `BIG-${String(i).padStart(4, '0')}`
        saveProduct(ws, productInput.parse({ supplierId, sku, nameEs: `Producto ${i}`, salesUnit: 'piece', caseUnits: '10', price: '1.00', currency: 'USD', vatClass: 'standard' }))
        skus.push(sku)
      }
      for (let i = 0; i < 50; i++) {
        const name = `Gruppe ${String(i).padStart(2, '0')}`
        saveBuyer(ws, buyerInput.parse({ name, type: 'group', country: 'DE', language: 'de', taxTreatment: 'domestic', contacts: [] }))
        buyers.push(name)
      }
      applyCalculatedPrices(ws, roundId())
    })()
    return { buyers, skus }
  }

  function bigCsv(buyers: string[], skus: string[], last?: string): Buffer {
    const parts = ['Käufer;Artikelnummer;Menge;Toleranz']
    let n = 0
    for (const b of buyers) for (const s of skus) parts.push(`${b};${s};${(n++ % 7) + 1};${n % 3}`)
    if (last) parts[parts.length - 1] = last
    return csvBytes(parts.join('\r\n') + '\r\n')
  }

  it('imports as a whole, correctly and within a sane time', async () => {
    const { buyers, skus } = bigCatalogue()
    const input = upload('big.csv', bigCsv(buyers, skus))
    const before = state()
    const t0 = performance.now()
    const p = await preview(input)
    expect(p.rows.length).toBe(100_000)
    expect(p).toMatchObject({ blocking: false, summary: { ok: 100_000, errors: 0, buyers: 50 } })
    const result = await call<OrderImportResult>('orders.importApply', input)
    const seconds = (performance.now() - t0) / 1000
    expect(result).toEqual({ applied: 100_000, unchanged: 0, orders: 50 })
    const after = state()
    expect(after.lines - before.lines).toBe(100_000)
    expect(after.log - before.log).toBe(100_000)
    let units = 0
    for (let n = 0; n < 100_000; n++) units += ((n % 7) + 1) + ((n + 1) % 3)
    expect(after.units - before.units).toBe(units)
    expect(line('Gruppe 49', 'BIG-1999')).toEqual([((99_999 % 7) + 1), 100_000 % 3])
    expect(seconds).toBeLessThan(30)
  }, 120_000)

  it('one bad row among 100,000 refuses the whole file, quickly and without writing', async () => {
    const { buyers, skus } = bigCatalogue()
    const input = upload('big.csv', bigCsv(buyers, skus, 'Gruppe 49;BIG-1999;eins;0'))
    const t0 = performance.now()
    const p = await refused(input, ['not_number'])
    expect(p.summary).toMatchObject({ rows: 100_000, errors: 1 })
    expect((performance.now() - t0) / 1000).toBeLessThan(30)
  }, 120_000)
})

describe('readers', () => {
  /** A ZIP with stored entries, as a minimal hand-made XLSX from another writer would be. */
  function zip(files: Record<string, string>): Buffer {
    const locals: Buffer[] = []
    const centrals: Buffer[] = []
    let offset = 0
    for (const [name, text] of Object.entries(files)) {
      const data = Buffer.from(text, 'utf8')
      const nameBytes = Buffer.from(name, 'utf8')
      const crc = crc32(data)
      const local = Buffer.alloc(30)
      local.writeUInt32LE(0x04034b50, 0)
      local.writeUInt16LE(20, 4)
      local.writeUInt32LE(crc, 14)
      local.writeUInt32LE(data.length, 18)
      local.writeUInt32LE(data.length, 22)
      local.writeUInt16LE(nameBytes.length, 26)
      const central = Buffer.alloc(46)
      central.writeUInt32LE(0x02014b50, 0)
      central.writeUInt16LE(20, 4)
      central.writeUInt16LE(20, 6)
      central.writeUInt32LE(crc, 16)
      central.writeUInt32LE(data.length, 20)
      central.writeUInt32LE(data.length, 24)
      central.writeUInt16LE(nameBytes.length, 28)
      central.writeUInt32LE(offset, 42)
      locals.push(local, nameBytes, data)
      centrals.push(central, nameBytes)
      offset += 30 + nameBytes.length + data.length
    }
    const cd = Buffer.concat(centrals)
    const end = Buffer.alloc(22)
    end.writeUInt32LE(0x06054b50, 0)
    end.writeUInt16LE(Object.keys(files).length, 8)
    end.writeUInt16LE(Object.keys(files).length, 10)
    end.writeUInt32LE(cd.length, 12)
    end.writeUInt32LE(offset, 16)
    return Buffer.concat([...locals, cd, end])
  }

  const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
  const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships'
  /** A minimal workbook as another writer makes it: inline strings, rich text, shared formulas, a hidden sheet. */
  function foreignWorkbook(sheet1: string): Buffer {
    return zip({
      '[Content_Types].xml':
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/></Types>',
      '_rels/.rels': `<Relationships><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
      'xl/workbook.xml': `<workbook ${NS}><sheets><sheet name="Bestellung &amp; mehr" sheetId="1" r:id="rId1"/><sheet name="geheim" sheetId="2" state="hidden" r:id="rId2"/></sheets></workbook>`,
      'xl/_rels/workbook.xml.rels': `<Relationships><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${REL}/worksheet" Target="/xl/worksheets/sheet2.xml"/><Relationship Id="rId3" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId4" Type="${REL}/styles" Target="styles.xml"/></Relationships>`,
      'xl/sharedStrings.xml': `<sst ${NS}><si><t>Käufer</t></si><si><r><t>Foodcoop </t></r><r><t xml:space="preserve">Kornblume</t></r><rPh><t>ignored</t></rPh></si></sst>`,
      'xl/styles.xml': `<styleSheet ${NS}><numFmts><numFmt numFmtId="164" formatCode="&quot;Stk.&quot; 0"/></numFmts><cellXfs><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/></cellXfs></styleSheet>`,
      'xl/worksheets/sheet1.xml': `<worksheet ${NS}><sheetData>${sheet1}</sheetData></worksheet>`,
      'xl/worksheets/sheet2.xml': `<worksheet ${NS}><sheetData><row r="1"><c r="B1"><v>7</v></c></row></sheetData></worksheet>`
    })
  }

  it('reads XLSX from other writers: inline strings, rich text, booleans, errors, dates (formatted numbers and ISO cells), entities, formulas', async () => {
    const { readXlsx } = await import('../../src/core/spreadsheets/xlsx.ts')
    const t = await readXlsx(
      foreignWorkbook(`
        <row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="inlineStr"><is><t>a&amp;b_x000D_</t></is></c></row>
        <row r="3"><c r="A3" t="s"><v>1</v></c><c r="B3" s="1"><v>46082</v></c><c r="C3" s="2"><v>12</v></c><c r="D3" t="b"><v>1</v></c><c r="E3" t="e"><v>#DIV/0!</v></c><c r="F3"><f>A1*2</f></c><c r="G3"><f t="shared" ref="G3:G4" si="0">C3/3</f><v>4</v></c></row>
        <row r="4"><c r="G4"><f t="shared" si="0"/><v>5</v></c><c r="H4" t="str"><f>"a"&amp;"b"</f><v>ab</v></c><c r="I4" t="d"><v>2026-03-01</v></c><c r="J4" t="d"><v>kein Datum</v></c></row>`)
    )
    expect(t.sheets.map((s) => [s.name, s.state])).toEqual([
      ['Bestellung & mehr', 'visible'],
      ['geheim', 'hidden']
    ])
    const [a, b] = t.sheets
    expect(a!.rows[0]![0]).toMatchObject({ kind: 'text', text: 'Käufer' })
    expect(a!.rows[0]![2]).toMatchObject({ kind: 'text', text: 'a&b\r' })
    expect(a!.rows[1]).toBeUndefined()
    const r3 = a!.rows[2]!
    expect(r3[0]).toMatchObject({ kind: 'text', text: 'Foodcoop Kornblume' })
    expect(r3[1]).toMatchObject({ kind: 'number', number: 46082, date: true })
    expect(r3[2]).toMatchObject({ kind: 'number', number: 12, date: false })
    expect(r3[3]).toMatchObject({ kind: 'bool', text: 'TRUE' })
    expect(r3[4]).toMatchObject({ kind: 'error', text: '#DIV/0!' })
    expect(r3[5]).toMatchObject({ kind: 'empty', formula: true })
    expect(r3[6]).toMatchObject({ kind: 'number', number: 4, formula: true })
    expect(a!.rows[3]![6]).toMatchObject({ kind: 'number', number: 5, formula: true })
    expect(a!.rows[3]![7]).toMatchObject({ kind: 'text', text: 'ab', formula: true })
    // An ISO date cell (t="d") is the same day serial a date-formatted number would be.
    expect(a!.rows[3]![8]).toMatchObject({ kind: 'number', number: 46082, date: true })
    expect(a!.rows[3]![9]).toMatchObject({ kind: 'error', text: '#VALUE!' })
    expect(b!.rows[0]![1]).toMatchObject({ kind: 'number', number: 7 })
  })

  it('stops reading a workbook with more rows than allowed', async () => {
    const { readXlsx, XlsxError } = await import('../../src/core/spreadsheets/xlsx.ts')
    const wb = new ExcelJS.Workbook()
    const ws = wb.addWorksheet('Orders')
    for (let i = 0; i < 5; i++) ws.addRow(['Foodcoop Kornblume', 'LH-YM500', i + 1])
    const bytes = Buffer.from(await wb.xlsx.writeBuffer())
    expect((await readXlsx(bytes, { maxRows: 5 })).sheets[0]!.rows.length).toBe(5)
    await expect(readXlsx(bytes, { maxRows: 4 })).rejects.toThrow(XlsxError)
    await expect(readXlsx(bytes, { maxRows: 4 })).rejects.toThrow('too many rows')
  })

  it('reads workbooks exceljs cannot: namespace prefixes, cells and rows without references', async () => {
    const ns = 'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    const prefixed = zip({
      '_rels/.rels': `<Relationships><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
      'xl/workbook.xml': `<x:workbook ${ns}><x:sheets><x:sheet name="Orders" sheetId="1" r:id="rId1"/></x:sheets></x:workbook>`,
      'xl/_rels/workbook.xml.rels': `<Relationships><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
      'xl/worksheets/sheet1.xml': `<x:worksheet ${ns}><x:sheetData><x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>buyer</x:t></x:is></x:c></x:row></x:sheetData></x:worksheet>`
    })
    const noRefs = foreignWorkbook('<row><c t="s"><v>0</v></c><c><v>3</v></c></row><row><c r="C2"><v>4</v></c><c><v>5</v></c></row>')
    const { readXlsx } = await import('../../src/core/spreadsheets/xlsx.ts')
    const a = await readXlsx(prefixed)
    expect(a.sheets.map((s) => s.name)).toEqual(['Orders'])
    expect(a.sheets[0]!.rows[0]![0]).toMatchObject({ kind: 'text', text: 'buyer' })
    const b = (await readXlsx(noRefs)).sheets[0]!.rows
    expect(b[0]!.map((c) => c.text)).toEqual(['Käufer', '3'])
    expect(b[1]![2]).toMatchObject({ kind: 'number', number: 4 })
    expect(b[1]![3]).toMatchObject({ kind: 'number', number: 5 })
  })

  it('reads whole quantities in the file’s convention', async () => {
    const { wholeNumber } = await import('../../src/core/spreadsheets/issues.ts')
    const { textCell } = await import('../../src/core/spreadsheets/table.ts')
    const q = (text: string, decimal: ',' | '.' | null) => {
      const r = wholeNumber(textCell(text), decimal)
      return 'error' in r ? r.error.code : r.value
    }
    expect(q('12', null)).toBe(12)
    expect(q(' 12 ', ',')).toBe(12)
    expect(q('1.200', ',')).toBe(1200)
    expect(q('1,200', '.')).toBe(1200)
    expect(q('1 200', ',')).toBe(1200)
    expect(q('12,0', ',')).toBe(12)
    expect(q('12.00', '.')).toBe(12)
    expect(q('+5', null)).toBe(5)
    expect(q('0', null)).toBe(0)
    expect(q('−3', null)).toBe('negative')
    expect(q('0,5', ',')).toBe('not_integer')
    expect(q('1,000', null)).toBe('ambiguous_number')
    expect(q('1,5', null)).toBe('not_integer')
    expect(q('1e3', null)).toBe('not_number')
    expect(q('12 Stück', null)).toBe('not_number')
    expect(q('1.3.', null)).toBe('date')
    expect(q('2026-03-01', null)).toBe('date')
    expect(q('1. März', null)).toBe('date')
    expect(q('', null)).toBe(null)
  })
})
