import { Zip, ZipDeflate, zipSync, strToU8 } from 'fflate'
import i18next, { type TFunction } from 'i18next'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dispatch } from '../../src/core/api/dispatch.ts'
import type { ErrorPayload } from '../../src/shared/errors.ts'
import { resources } from '../../src/shared/i18n/index.ts'
import { type TempSession, tempSession } from '../support/workspace.ts'
import { dbState } from './state.ts'

/**
 * A corpus of malformed and hostile files, made here (nothing large is checked in), through every import
 * as the UI calls it (dispatch): the price list's and the orders' preview and apply. Each file gets a
 * clear refusal (a translated file error, or a translated refusal of the call) or a correct reading,
 * within bounded time and memory, never `internal`; a refused apply writes nothing.
 */
const IMPORTS = ['catalogue.importPreview', 'catalogue.importApply', 'orders.importPreview', 'orders.importApply'] as const
type ImportMethod = (typeof IMPORTS)[number]
/** The most one call may take on this (slow, shared) machine, and the most the process may ever hold. */
const MAX_CALL_MS = 30_000
const MAX_RSS_BYTES = 2 * 1024 ** 3

let temp: TempSession
let supplierId: string
let roundId: string
const translators: [string, TFunction][] = []

beforeAll(async () => {
  temp = tempSession({ prefix: 'puente-files-' })
  await temp.session.openDemo()
  const db = temp.session.requireWorkspace().db
  supplierId = db.prepare('SELECT id FROM supplier WHERE deleted_at IS NULL ORDER BY name LIMIT 1').pluck().get() as string
  roundId = db.prepare('SELECT id FROM round WHERE deleted_at IS NULL LIMIT 1').pluck().get() as string
  for (const lng of ['de', 'es', 'en'] as const) {
    const i18n = i18next.createInstance()
    await i18n.init({ resources, lng, fallbackLng: false, interpolation: { escapeValue: false }, initAsync: false })
    translators.push([lng, i18n.getFixedT(lng)])
  }
}, 60_000)
afterAll(() => temp.dispose())

// ---- making the files ----------------------------------------------------------------------------

const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships'

/** The parts of a minimal workbook around one sheet (and shared strings when given). */
function workbookParts(sheet: string, sharedStrings?: string): Record<string, Uint8Array> {
  return {
    '[Content_Types].xml': strToU8(
      `${XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>${sharedStrings ? '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>' : ''}</Types>`
    ),
    '_rels/.rels': strToU8(`${XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`),
    'xl/workbook.xml': strToU8(`${XML}<workbook xmlns="${NS}" xmlns:r="${REL}"><sheets><sheet name="Precios" sheetId="1" r:id="rId1"/></sheets></workbook>`),
    'xl/_rels/workbook.xml.rels': strToU8(
      `${XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/>${sharedStrings ? `<Relationship Id="rId2" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/>` : ''}</Relationships>`
    ),
    'xl/worksheets/sheet1.xml': strToU8(sheet),
    ...(sharedStrings ? { 'xl/sharedStrings.xml': strToU8(sharedStrings) } : {})
  }
}

const inline = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`
const num = (ref: string, n: number) => `<c r="${ref}"><v>${n}</v></c>`
const sheetXml = (rows: string, doctype = '') => `${XML}${doctype}<worksheet xmlns="${NS}"><sheetData>${rows}</sheetData></worksheet>`

/** A well-formed price list: the control that the reader reads these workbooks at all. */
function priceListXlsx(): Uint8Array {
  const rows = [
    `<row r="1">${inline('A1', 'SKU')}${inline('B1', 'Nombre')}${inline('C1', 'Precio')}</row>`,
    `<row r="2">${inline('A2', 'FZ-1')}${inline('B2', 'Yerba Fuzz 1 kg')}${num('C2', 4.5)}</row>`,
    `<row r="3">${inline('A3', 'FZ-2')}${inline('B3', 'Malbec Fuzz')}${num('C3', 7.2)}</row>`
  ].join('')
  return zipSync(workbookParts(sheetXml(rows)))
}

/** A zip whose sheet inflates to `mb` megabytes of whitespace (deflate shrinks it about a thousandfold). */
function whitespaceBomb(mb: number): Uint8Array {
  const chunks: Uint8Array[] = []
  const zip = new Zip((err, data) => {
    if (err) throw err
    chunks.push(data)
  })
  for (const [name, bytes] of Object.entries(workbookParts('<x/>'))) {
    if (name === 'xl/worksheets/sheet1.xml') continue
    const f = new ZipDeflate(name)
    zip.add(f)
    f.push(bytes, true)
  }
  const sheet = new ZipDeflate('xl/worksheets/sheet1.xml', { level: 9 })
  zip.add(sheet)
  sheet.push(strToU8(`${XML}<worksheet xmlns="${NS}"><sheetData>`))
  const blank = new Uint8Array(1024 * 1024).fill(0x20)
  for (let i = 0; i < mb; i++) sheet.push(blank)
  sheet.push(strToU8('</sheetData></worksheet>'), true)
  zip.end()
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0))
  let at = 0
  for (const c of chunks) {
    out.set(c, at)
    at += c.length
  }
  return out
}

/** The same cell over and over: a tiny file that declares millions of cells. */
function cellBomb(count: number): Uint8Array {
  const cell = num('A2', 1)
  return zipSync(workbookParts(sheetXml(`<row r="1">${inline('A1', 'SKU')}</row><row r="2">${cell.repeat(count)}</row>`)), { level: 9 })
}

const LAUGHS =
  '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">' +
  Array.from({ length: 8 }, (_, i) => `<!ENTITY lol${i + 2} "${`&lol${i + 1};`.repeat(10)}">`).join('') +
  ']>'
const XXE = '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd"><!ENTITY remote SYSTEM "http://127.0.0.1:9/x">]>'

function sharedStringsWith(doctype: string, text: string): string {
  return `${XML}${doctype}<sst xmlns="${NS}" count="2" uniqueCount="2"><si><t>SKU</t></si><si><t>${text}</t></si></sst>`
}
const sharedRows = '<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2" t="s"><v>1</v></c></row>'

function csv(text: string): Uint8Array {
  return strToU8(text)
}
function latin1(text: string): Uint8Array {
  return Uint8Array.from([...text].map((c) => c.charCodeAt(0)))
}
function utf16(text: string, bigEndian: boolean): Uint8Array {
  const out = new Uint8Array(2 + text.length * 2)
  out.set(bigEndian ? [0xfe, 0xff] : [0xff, 0xfe])
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    out[2 + i * 2 + (bigEndian ? 1 : 0)] = c & 0xff
    out[2 + i * 2 + (bigEndian ? 0 : 1)] = c >> 8
  }
  return out
}

const PRICE_CSV = 'SKU;Nombre;Precio\nFZ-1;Ñandú Yerba 1 kg;4,50\nFZ-2;Malbec Año 2024;7,20\n'

function millionRows(): Uint8Array {
  const line = strToU8('FZ-1;Yerba;4,50\n')
  const rows = 1_000_000
  const out = new Uint8Array(16 + line.length * rows)
  out.set(strToU8('SKU;Nombre;Precio\n'.slice(0, 16)))
  let at = 16
  for (let i = 0; i < rows; i++) {
    out.set(line, at)
    at += line.length
  }
  return out.subarray(0, at)
}

interface Case {
  name: string
  fileName: string
  data: () => Uint8Array
  /** What a correct reading shows (the price list's preview); absent: a refusal is the answer. */
  reads?: string[]
  /** Text that must never appear in any answer (an external entity's content, an entity's expansion). */
  never?: RegExp
}

const valid = priceListXlsx()
const CASES: Case[] = [
  { name: 'a well-formed workbook (control)', fileName: 'Precios.xlsx', data: () => valid, reads: ['Yerba Fuzz 1 kg', 'Malbec Fuzz'] },
  { name: 'a truncated zip (half)', fileName: 'Precios.xlsx', data: () => valid.subarray(0, Math.floor(valid.length / 2)) },
  { name: 'a truncated zip (its signature only)', fileName: 'Precios.xlsx', data: () => valid.subarray(0, 4) },
  { name: 'a zip whose central directory is cut off', fileName: 'Precios.xlsx', data: () => valid.subarray(0, valid.length - 30) },
  { name: 'a zip bomb (300 MB of whitespace in a sheet)', fileName: 'Precios.xlsx', data: () => whitespaceBomb(300) },
  { name: 'a zip bomb of cells (3 million times the same cell)', fileName: 'Precios.xlsx', data: () => cellBomb(3_000_000) },
  { name: 'billion laughs in the shared strings', fileName: 'Precios.xlsx', data: () => zipSync(workbookParts(sheetXml(sharedRows), sharedStringsWith(LAUGHS, '&lol9;'))), never: /(lol){50}/ },
  { name: 'billion laughs in the sheet', fileName: 'Precios.xlsx', data: () => zipSync(workbookParts(sheetXml(`<row r="1">${inline('A1', 'SKU')}${inline('B1', '&lol9;')}</row>`, LAUGHS))), never: /(lol){50}/ },
  { name: 'XXE in the shared strings', fileName: 'Precios.xlsx', data: () => zipSync(workbookParts(sheetXml(sharedRows), sharedStringsWith(XXE, '&xxe;&remote;'))), never: /root:|daemon:/ },
  { name: 'XXE in the sheet', fileName: 'Precios.xlsx', data: () => zipSync(workbookParts(sheetXml(`<row r="1">${inline('A1', 'SKU')}</row><row r="2">${inline('A2', '&xxe;')}</row>`, XXE))), never: /root:|daemon:/ },
  {
    name: 'a row as wide as a sheet can be (A to XFD)',
    fileName: 'Precios.xlsx',
    data: () => zipSync(workbookParts(sheetXml(`<row r="1">${Array.from({ length: 16_384 }, (_, i) => num(colName(i) + '1', i)).join('')}</row>`)))
  },
  { name: 'a cell beyond the last column (XFE1)', fileName: 'Precios.xlsx', data: () => zipSync(workbookParts(sheetXml(`<row r="1">${num('XFE1', 1)}</row>`))) },
  { name: 'a CSV 100,000 columns wide', fileName: 'Precios.csv', data: () => csv(`${Array.from({ length: 100_000 }, (_, i) => `c${i}`).join(';')}\n${'1;'.repeat(99_999)}1\n`) },
  { name: 'a CSV of a million rows', fileName: 'Precios.csv', data: millionRows },
  { name: 'a Latin-1 CSV', fileName: 'Precios.csv', data: () => latin1(PRICE_CSV), reads: ['Ñandú Yerba 1 kg', 'Malbec Año 2024'] },
  { name: 'a UTF-16 LE CSV', fileName: 'Precios.csv', data: () => utf16(PRICE_CSV, false), reads: ['Ñandú Yerba 1 kg', 'Malbec Año 2024'] },
  { name: 'a UTF-16 BE CSV', fileName: 'Precios.csv', data: () => utf16(PRICE_CSV, true), reads: ['Ñandú Yerba 1 kg', 'Malbec Año 2024'] },
  { name: 'UTF-16 without its byte order mark', fileName: 'Precios.csv', data: () => utf16(PRICE_CSV, false).subarray(2) },
  { name: 'an empty file', fileName: 'Precios.csv', data: () => new Uint8Array(0) },
  { name: 'random bytes', fileName: 'Precios.csv', data: () => Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256) },
  { name: 'an old Excel file', fileName: 'Precios.xls', data: () => Uint8Array.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]) },
  { name: 'a file above the upload limit', fileName: 'Precios.csv', data: () => new Uint8Array(16 * 1024 * 1024 + 1).fill(0x41) }
]

function colName(i: number): string {
  let s = ''
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s
  return s
}

// ---- checking the answers ------------------------------------------------------------------------

/** Every issue ({ ns, code, params }) in an answer, wherever it is. */
function issuesIn(value: unknown, out: { ns: string; code: string; params?: Record<string, unknown> }[] = []) {
  if (Array.isArray(value)) for (const v of value) issuesIn(v, out)
  else if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>
    if (typeof o.ns === 'string' && typeof o.code === 'string') out.push(o as { ns: string; code: string; params?: Record<string, unknown> })
    for (const v of Object.values(o)) issuesIn(v, out)
  }
  return out
}

function translated(key: string, params: Record<string, unknown>): string[] {
  const problems: string[] = []
  for (const [lng, t] of translators) {
    const text = String(t(key, params))
    if (text === key || !text.trim()) problems.push(`${lng}: no text for ${key}`)
    else if (/\{\{|\}\}/.test(text)) problems.push(`${lng}: ${key} leaves a placeholder`)
  }
  return problems
}

function errorProblems(error: ErrorPayload): string[] {
  if (error.code === 'internal') return [`internal (${String(error.params?.id)})`]
  return translated(`errors.${error.code}`, error.params ?? {})
}

function input(method: ImportMethod, c: Case, data: Uint8Array) {
  return method.startsWith('catalogue.') ? { supplierId, fileName: c.fileName, data } : { roundId, fileName: c.fileName, data }
}

describe('malformed files through every import', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const data = c.data()
      const problems: string[] = []
      for (const method of IMPORTS) {
        const ws = temp.session.requireWorkspace()
        const before = dbState(ws.db)
        const started = performance.now()
        const r = await dispatch({ session: temp.session }, method, input(method, c, data))
        const ms = performance.now() - started
        if (ms > MAX_CALL_MS) problems.push(`${method}: took ${Math.round(ms)} ms`)
        const answer = JSON.stringify(r)
        if (c.never?.test(answer)) problems.push(`${method}: the answer holds ${c.never}`)
        if (!r.ok) {
          problems.push(...errorProblems(r.error).map((p) => `${method}: ${p}`))
          const after = dbState(ws.db)
          if (after.digest !== before.digest || after.changeLog !== before.changeLog) problems.push(`${method}: refused with ${r.error.code} but wrote`)
          if (c.reads && method === 'catalogue.importPreview') problems.push(`${method}: refused a file it should read (${r.error.code})`)
          continue
        }
        for (const issue of issuesIn(r.result)) problems.push(...translated(`${issue.ns}.${issue.code}`, issue.params ?? {}).map((p) => `${method}: ${p}`))
        if (method === 'catalogue.importPreview') {
          const preview = r.result as { fileErrors: unknown[]; rows: { name: string }[] }
          if (c.reads) {
            const names = preview.rows.map((row) => row.name)
            for (const name of c.reads) if (!names.includes(name)) problems.push(`${method}: did not read "${name}" (read ${JSON.stringify(names).slice(0, 200)})`)
            if (preview.fileErrors.length) problems.push(`${method}: file errors on a file it should read: ${JSON.stringify(preview.fileErrors)}`)
          }
        }
      }
      expect(problems).toEqual([])
      expect(process.resourceUsage().maxRSS * 1024).toBeLessThan(MAX_RSS_BYTES)
    }, 180_000)
  }

  it('refuses the hostile files with the reason, not a generic failure', async () => {
    const codes = async (c: Case | undefined) => {
      if (!c) throw new Error('no such case')
      const r = await dispatch({ session: temp.session }, 'catalogue.importPreview', input('catalogue.importPreview', c, c.data()))
      return r.ok ? (r.result as { fileErrors: { code: string }[] }).fileErrors.map((e) => e.code) : [r.error.code]
    }
    const named = (start: string) => CASES.find((c) => c.name.startsWith(start))
    expect(await codes(named('a truncated zip (half)'))).toEqual(['unreadable'])
    expect(await codes(named('a zip bomb (300 MB'))).toEqual(['unreadable'])
    expect(await codes(named('a zip bomb of cells'))).toEqual(['too_many_cells'])
    expect(await codes(named('a cell beyond'))).toEqual(['cell_out_of_range'])
    expect(await codes(named('a CSV of a million rows'))).toEqual(['too_many_rows'])
    expect(await codes(named('an empty file'))).toEqual(['empty'])
    expect(await codes(named('an old Excel'))).toEqual(['old_excel'])
    expect(await codes(named('a file above the upload limit'))).toEqual(['api.too_large'])
  }, 180_000)
})
