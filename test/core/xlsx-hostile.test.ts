import { strToU8, zipSync } from 'fflate'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { dispatch } from '../../src/core/api/dispatch.ts'
import type { Session } from '../../src/core/app/session.ts'
import { readXlsx, XLSX_LIMITS, XlsxRangeError, XlsxSizeError } from '../../src/core/spreadsheets/xlsx.ts'
import de from '../../src/shared/i18n/de.ts'
import en from '../../src/shared/i18n/en.ts'
import es from '../../src/shared/i18n/es.ts'
import type { Issue } from '../../src/shared/issues.ts'
import { type TempSession, tempSession } from '../support/workspace.ts'

/**
 * Hostile workbooks: a few bytes of XML that name a cell at column ZZZZZZ or row 2,000,000, or declare
 * millions of cells. The reader refuses them at once with a translated reason; nothing is written.
 */

/** A minimal XLSX package around one worksheet's `<sheetData>` (and optionally shared strings). */
function workbook(sheetData: string, sharedStrings?: string): Buffer {
  const files: Record<string, Uint8Array> = {
    '[Content_Types].xml': strToU8(
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
    ),
    '_rels/.rels': strToU8(
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    'xl/workbook.xml': strToU8(
      '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
        '<sheets><sheet name="Hoja1" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    'xl/_rels/workbook.xml.rels': strToU8(
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>' +
        (sharedStrings ? '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>' : '') +
        '</Relationships>'
    ),
    'xl/worksheets/sheet1.xml': strToU8(
      `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${sheetData}</sheetData></worksheet>`
    )
  }
  if (sharedStrings) files['xl/sharedStrings.xml'] = strToU8(`<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${sharedStrings}</sst>`)
  return Buffer.from(zipSync(files))
}

const str = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`
const num = (ref: string, n: number) => `<c r="${ref}"><v>${n}</v></c>`
const HEADER = `<row r="1">${str('A1', 'SKU')}${str('B1', 'Nombre')}${str('C1', 'Precio')}${str('D1', 'Cantidad')}${str('E1', 'Comprador')}</row>`

/** A header row, a plausible line, and one hostile cell further down. */
const hostile = (row: string) => workbook(`${HEADER}<row r="2">${str('A2', 'LH-YM500')}${str('B2', 'Yerba')}${num('C2', 2.3)}</row>${row}`)

describe('the XLSX reader refuses impossible references', () => {
  it('a column past XFD or a row past 1,048,576', async () => {
    for (const [row, ref] of [
      ['<row r="3"><c r="ZZZZZZ3"><v>1</v></c></row>', 'ZZZZZZ3'],
      ['<row r="3"><c r="FXSHRXW3"><v>1</v></c></row>', 'FXSHRXW3'],
      ['<row r="3"><c r="XFE3"><v>1</v></c></row>', 'XFE3'],
      ['<row r="2000000"><c r="A2000000"><v>1</v></c></row>', '2000000'],
      ['<row r="3"><c r="A1048577"><v>1</v></c></row>', 'A1048577'],
      ['<row r="3"><c r="A03"><v>1</v></c></row>', 'A03'],
      ['<row r="3"><c r="3A"><v>1</v></c></row>', '3A']
    ] as const) {
      const started = Date.now()
      const error = await readXlsx(hostile(row)).catch((e: unknown) => e)
      expect(error, ref).toBeInstanceOf(XlsxRangeError)
      expect((error as XlsxRangeError).ref).toBe(ref)
      expect(Date.now() - started).toBeLessThan(2000)
    }
  })

  it('the last cell of the grid, XFD1048576, is read, and the row holding it stays sparse', async () => {
    const table = await readXlsx(hostile('<row r="1048576"><c r="XFD1048576"><v>7</v></c></row>'))
    const rows = table.sheets[0]!.rows
    expect(rows.length).toBe(1_048_576)
    expect(rows[1_048_575]![16_383]).toMatchObject({ kind: 'number', number: 7 })
    // One cell present: one entry, not 16,384.
    expect(Object.keys(rows[1_048_575]!)).toEqual(['16383'])
    expect(rows.filter(Boolean).length).toBe(3)
  })

  it('too many cells, too many shared strings, rows spread too wide', async () => {
    const cells = XLSX_LIMITS.cells + 1
    const many = workbook(`<row r="1">${'<c><v>1</v></c>'.repeat(16_000)}</row>`.repeat(Math.ceil(cells / 16_000)).replace(/<row r="1">/g, () => '<row>'))
    await expect(readXlsx(many)).rejects.toBeInstanceOf(XlsxSizeError)
    const strings = workbook(HEADER, '<si><t>x</t></si>'.repeat(XLSX_LIMITS.sharedStrings + 1))
    await expect(readXlsx(strings)).rejects.toBeInstanceOf(XlsxSizeError)
    // One cell per row at XFD: few cells, but 16,384 slots a row for every import that walks the rows.
    const rowsWanted = Math.ceil(XLSX_LIMITS.rowSlots / 16_384) + 1
    const wide = workbook(Array.from({ length: rowsWanted }, (_, i) => `<row r="${i + 1}"><c r="XFD${i + 1}"><v>1</v></c></row>`).join(''))
    await expect(readXlsx(wide)).rejects.toBeInstanceOf(XlsxSizeError)
  }, 30_000)
})

describe('the imports refuse hostile workbooks quickly, with a translated reason, writing nothing', () => {
  let temp: TempSession
  let session: Session
  beforeEach(async () => {
    temp = tempSession({ prefix: 'puente-hostile-' })
    session = temp.session
    await session.openDemo()
  })
  afterEach(() => temp.dispose())

  const db = () => session.requireWorkspace().db
  const supplierId = () => (db().prepare('SELECT id FROM supplier WHERE deleted_at IS NULL ORDER BY code LIMIT 1').get() as { id: string }).id
  const roundId = () => (db().prepare("SELECT id FROM round WHERE name = 'Winterrunde 2026/27'").get() as { id: string }).id
  const changes = () => (db().prepare('SELECT total_changes() AS n').get() as { n: number }).n
  const logged = () => (db().prepare('SELECT count(*) AS n FROM change_log').get() as { n: number }).n

  async function preview(method: 'catalogue.importPreview' | 'orders.importPreview', bytes: Buffer): Promise<{ fileErrors: Issue[]; blocking: boolean; ms: number }> {
    const owner = method === 'catalogue.importPreview' ? { supplierId: supplierId() } : { roundId: roundId() }
    const started = Date.now()
    const res = await dispatch({ session }, method, { ...owner, fileName: 'lista.xlsx', data: bytes })
    const ms = Date.now() - started
    if (!res.ok) throw new Error(`${method} failed: ${JSON.stringify(res.error)}`)
    return { ...(res.result as { fileErrors: Issue[]; blocking: boolean }), ms }
  }

  async function apply(method: 'catalogue.importApply' | 'orders.importApply', bytes: Buffer) {
    const owner = method === 'catalogue.importApply' ? { supplierId: supplierId() } : { roundId: roundId() }
    return dispatch({ session }, method, { ...owner, fileName: 'lista.xlsx', data: bytes })
  }

  const texts = (issue: Issue) =>
    [de, es, en].map((lang) => {
      const template = (lang.importErrors as Record<string, string>)[issue.code]!
      return template.replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(issue.params?.[k]))
    })

  for (const [label, row, code, params] of [
    ['a cell at column ZZZZZZ', '<row r="3"><c r="ZZZZZZ3"><v>1</v></c></row>', 'cell_out_of_range', { cell: 'ZZZZZZ3' }],
    ['a cell at column FXSHRXW', '<row r="3"><c r="FXSHRXW3"><v>1</v></c></row>', 'cell_out_of_range', { cell: 'FXSHRXW3' }],
    ['a row numbered 2,000,000', '<row r="2000000"><c r="A2000000"><v>1</v></c></row>', 'cell_out_of_range', { cell: '2000000' }],
    ['a cell at XFD1048576 (in the grid, but past the rows an import takes)', '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>', 'too_many_rows', { max: 200_000 }]
  ] as const) {
    it(label, async () => {
      const bytes = hostile(row)
      const before = { changes: changes(), logged: logged() }
      for (const method of ['catalogue.importPreview', 'orders.importPreview'] as const) {
        const p = await preview(method, bytes)
        expect(p.ms, method).toBeLessThan(2000)
        expect(p.blocking).toBe(true)
        expect(p.fileErrors).toEqual([{ ns: 'importErrors', code, params }])
        for (const text of texts(p.fileErrors[0]!)) {
          expect(text).not.toMatch(/\{\{|undefined/)
          expect(text).toContain(String(Object.values(params)[0]))
        }
      }
      for (const method of ['catalogue.importApply', 'orders.importApply'] as const) {
        const res = await apply(method, bytes)
        expect(res.ok, method).toBe(false)
      }
      expect({ changes: changes(), logged: logged() }).toEqual(before)
    })
  }

  it('a header reaching column XFD over many rows is previewed quickly (samples in one pass)', async () => {
    const lines = Array.from({ length: 20_000 }, (_, i) => `<row r="${i + 2}">${str(`A${i + 2}`, `SKU-${i}`)}${num(`C${i + 2}`, 1 + (i % 9))}</row>`).join('')
    const bytes = workbook(`<row r="1">${str('A1', 'SKU')}${str('B1', 'Nombre')}${str('C1', 'Precio')}${str('XFD1', 'fin')}</row>${lines}`)
    const p = await preview('catalogue.importPreview', bytes)
    expect(p.ms).toBeLessThan(5000)
    const columns = (p as unknown as { columns: { letter: string; header: string; samples: string[] }[] }).columns
    expect(columns.length).toBe(16_384)
    expect(columns[0]).toMatchObject({ letter: 'A', header: 'SKU', samples: ['SKU-0', 'SKU-1', 'SKU-2'] })
    expect(columns[2]).toMatchObject({ letter: 'C', samples: ['1', '2', '3'] })
    expect(columns[16_383]).toMatchObject({ letter: 'XFD', header: 'fin', samples: [] })
  }, 30_000)
})
