import ExcelJS from 'exceljs'
import { strToU8, zipSync } from 'fflate'
import { describe, expect, it } from 'vitest'
import type { Cell } from '../../src/core/spreadsheets/table.ts'
import { readXlsx, XlsxError } from '../../src/core/spreadsheets/xlsx.ts'
import { hasSoffice, libreOffice } from './office.ts'
import { readXlsxWithExceljs } from './xlsx-exceljs.ts'

/**
 * The imports read XLSX files with their own reader (fflate + saxes, src/core/spreadsheets/xlsx.ts). These
 * tests hold it to exceljs's reading of the same files: every sheet, row and cell the same, for files
 * written by exceljs and re-saved by LibreOffice, with every kind of value an order form can hold.
 */

/** A workbook with every kind of cell value, as exceljs writes it. */
async function varied(date1904: boolean): Promise<Buffer> {
  const wb = new ExcelJS.Workbook()
  wb.properties.date1904 = date1904
  const ws = wb.addWorksheet('Bestellung & mehr')
  ws.addRow(['Käufer', 'Artikelnummer', 'Menge', 'Toleranz', 'Datum', 'Zeit', 'Anteil', 'Formel', 'Text-Formel', 'Wahr'])
  ws.addRow(['Foodcoop Kornblume', 'LH-YM500', 12, 2, new Date(Date.UTC(2026, 10, 25)), 0.5, 0.25, { formula: 'C2*2', result: 24 }, { formula: 'A2&"!"', result: 'Foodcoop Kornblume!' }, true])
  ws.getCell('F2').numFmt = 'hh:mm'
  ws.getCell('G2').numFmt = '0%'
  ws.addRow([' Café  Solidario ', 'CV-01', 3.5, null, 46082, 'a\r\nb', -7, { formula: 'C3/0', result: { error: '#DIV/0!' } }, { formula: 'NOW()' }, false])
  ws.getCell('E3').numFmt = 'dd.mm.yyyy'
  ws.getCell('C3').numFmt = '"Stk." 0.0'
  ws.addRow([])
  ws.addRow([{ richText: [{ text: 'Rich ', font: { bold: true } }, { text: 'Text' }] }, '=1+1', '+49 30 123', '@handle', 1e21, 0.1 + 0.2])
  ws.getCell('K5').value = { text: 'Puente', hyperlink: 'https://example.org' }
  ws.getCell('L5').style = { font: { italic: true } }
  ws.mergeCells('A7:C7')
  ws.getCell('A7').value = 'verbunden'
  const hidden = wb.addWorksheet('puente', { state: 'veryHidden' })
  hidden.addRow(['format', 'puente-order-form'])
  hidden.addRow(['round', '0190f5a2-7b3c-7d4e-8f00-123456789abc'])
  const other = wb.addWorksheet('Notizen', { state: 'hidden' })
  other.getCell('C3').value = 'weit unten'
  other.getCell('C3000').value = 3000
  return Buffer.from(await wb.xlsx.writeBuffer())
}

describe('the XLSX reader reads what exceljs reads', () => {
  it('every kind of value exceljs writes, in the 1900 and the 1904 date system', async () => {
    for (const date1904 of [false, true]) {
      const bytes = await varied(date1904)
      const ours = await readXlsx(bytes)
      expect(ours).toEqual(await readXlsxWithExceljs(bytes))
      // And what that means, spelled out for a few cells.
      const [orders, meta, notes] = ours.sheets
      expect([orders!.name, meta!.state, notes!.state]).toEqual(['Bestellung & mehr', 'veryHidden', 'hidden'])
      expect(orders!.rows[1]![4]).toMatchObject({ kind: 'number', number: 46351, date: true })
      expect(orders!.rows[1]![7]).toMatchObject({ kind: 'number', number: 24, formula: true })
      expect(orders!.rows[2]![7]).toMatchObject({ kind: 'error', text: '#DIV/0!', formula: true })
      expect(orders!.rows[2]![8]).toMatchObject({ kind: 'empty', formula: true })
      expect(orders!.rows[3]).toBeUndefined()
      expect(orders!.rows[4]![0]).toMatchObject({ kind: 'text', text: 'Rich Text' })
      expect(notes!.rows[2999]![2]).toMatchObject({ kind: 'number', number: 3000 })
    }
  })

  it.runIf(process.env.CI || hasSoffice())('the same workbook after LibreOffice saved it', async () => {
    const bytes = libreOffice(await varied(false))
    const ours = await readXlsx(bytes)
    const theirs = await readXlsxWithExceljs(bytes)
    // LibreOffice stores booleans as the formulas TRUE() and FALSE() with a cached 1 or 0; exceljs
    // drops a cached FALSE (it reads the formula as having no result). Ours keeps it.
    const falseCell: Cell = { kind: 'bool', text: 'FALSE', number: null, date: false, formula: true }
    expect(ours.sheets[0]!.rows[2]![9]).toEqual(falseCell)
    expect(theirs.sheets[0]!.rows[2]![9]).toEqual({ ...falseCell, kind: 'empty', text: '' })
    theirs.sheets[0]!.rows[2]![9] = falseCell
    expect(ours).toEqual(theirs)
    expect(ours.sheets[0]!.rows[1]![9]).toEqual({ kind: 'bool', text: 'TRUE', number: null, date: false, formula: true })
  }, 120_000)

  it('a 10,000-row order table', async () => {
    const wb = new ExcelJS.Workbook()
    const ws = wb.addWorksheet('Orders')
    ws.addRow(['buyer', 'sku', 'quantity', 'tolerance'])
    for (let i = 0; i < 10_000; i++) ws.addRow([`Gruppe ${i % 20}`, `SKU-${i % 500}`, (i % 9) + 1, i % 3])
    const bytes = Buffer.from(await wb.xlsx.writeBuffer())
    const ours = await readXlsx(bytes)
    expect(ours.sheets[0]!.rows).toHaveLength(10_001)
    expect(ours).toEqual(await readXlsxWithExceljs(bytes))
  })

  it('refuses what is not a workbook', async () => {
    await expect(readXlsx(Buffer.from('PK\u0003\u0004 not really a zip'))).rejects.toThrow(XlsxError)
    const wb = new ExcelJS.Workbook()
    wb.addWorksheet('A').addRow([1])
    const good = Buffer.from(await wb.xlsx.writeBuffer())
    await expect(readXlsx(good.subarray(0, good.length >> 1))).rejects.toThrow(XlsxError)
    // A ZIP bomb: a part that claims to unpack to 2 GB is refused before anything is inflated.
    const bomb = Buffer.from(zipSync({ 'xl/workbook.xml': strToU8('<workbook/>'), 'xl/worksheets/sheet1.xml': strToU8('<worksheet/>') }))
    const central = bomb.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]))
    bomb.writeUInt32LE(0x7fffffff, central + 24)
    await expect(readXlsx(bomb)).rejects.toThrow('too large')
  })
})

