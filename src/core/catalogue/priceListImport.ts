import { z } from 'zod'
import { formatScaled } from '../../shared/decimal.ts'
import { NET_UNITS, QUANTITY_DIGITS, SALES_UNITS, VAT_CLASSES } from '../../shared/catalogue.ts'
import { AppError } from '../../shared/errors.ts'
import { COUNTRIES, CURRENCIES, LANGUAGES } from '../../shared/reference.ts'
import { getProduct, type Product, productInput, productValues, saveProduct } from './products.ts'
import type { Workspace } from '../db/workspace.ts'
import type { Values } from '../db/writer.ts'
import { fieldError, requireRow } from '../common/records.ts'
import { currencyDigits } from '../reference/reference.ts'
import { fieldErrors, scaledDecimal } from '../common/zod.ts'
import { type Upload, uploadInput } from '../spreadsheets/files.ts'
import { type Issue, issue } from '../spreadsheets/issues.ts'
import { type Cell, cellText, columnName, looseKey, type Sheet } from '../spreadsheets/table.ts'
import { unitName } from '../common/text.ts'
import { noProgress, type Progress, ticker } from '../common/progress.ts'

/**
 * Importing a supplier's price list (CSV or XLSX): columns are matched to product fields by their
 * header (Spanish, German or English), or as the user maps them; each row inserts or updates the
 * product with that SKU, through the same validation as the product form. The file is read first
 * (asynchronously, see files.ts); the preview writes nothing; the apply reads the file again and, in
 * one transaction, saves every row, or none when any row has an error.
 */
export const CATALOGUE_FIELDS = [
  'sku',
  'nameEs',
  'nameDe',
  'nameEn',
  'price',
  'currency',
  'caseUnits',
  'salesUnit',
  'netQuantity',
  'netUnit',
  'hsCode',
  'vatClass',
  'originCountry',
  'grossKgPerCase'
] as const
export type CatalogueField = (typeof CATALOGUE_FIELDS)[number]

const columnRef = z.number().int().min(0).max(1000).nullable().optional()
const mappingSchema = z
  .object(Object.fromEntries(CATALOGUE_FIELDS.map((f) => [f, columnRef])) as Record<CatalogueField, typeof columnRef>)
  .strict()
export type Mapping = Partial<Record<CatalogueField, number | null>>

/** Checked like the product form's fields, so that a bad default is refused next to its field, not on every row. */
const defaultsSchema = z
  .object({
    currency: z.enum(CURRENCIES, { message: 'currency' }).optional(),
    salesUnit: z.enum(SALES_UNITS, { message: 'invalid' }).optional(),
    vatClass: z.enum(VAT_CLASSES, { message: 'invalid' }).optional(),
    caseUnits: scaledDecimal(QUANTITY_DIGITS, { min: 1 }).optional(),
    originCountry: z.enum(COUNTRIES, { message: 'country' }).optional()
  })
  .strict()
/** The values new products take where the file has none; `caseUnits` as a decimal with a '.'. */
export type Defaults = { currency: string; salesUnit: string; vatClass: string; caseUnits: string; originCountry: string }

export const catalogueImportInput = z.object({
  supplierId: z.uuid(),
  ...uploadInput,
  /** Field → column index (0-based); absent: the suggested mapping. */
  mapping: mappingSchema.optional(),
  /** Values for new products where the file has no column. */
  defaults: defaultsSchema.optional()
})
export type CatalogueImportInput = z.output<typeof catalogueImportInput>

export interface CatalogueChange {
  field: string
  from: string | null
  to: string | null
}

export interface CatalogueImportRow {
  line: number
  sku: string
  productId: string | null
  name: string
  action: 'insert' | 'update' | 'unchanged' | 'error'
  changes: CatalogueChange[]
  errors: Issue[]
}

export interface CatalogueImportPreview {
  format: 'xlsx' | 'csv' | null
  encoding: string | null
  separator: string | null
  fileErrors: Issue[]
  /** The row holding the column names (1-based), or null without one. */
  headerRow: number | null
  columns: { index: number; letter: string; header: string; samples: string[] }[]
  suggested: Mapping
  mapping: Mapping
  defaults: Defaults
  rows: CatalogueImportRow[]
  summary: { rows: number; insert: number; update: number; unchanged: number; errors: number }
  blocking: boolean
}

/** Header names for each field, compared loosely (case, accents, punctuation ignored). */
const HEADERS: Record<CatalogueField, string[]> = {
  sku: ['sku', 'código', 'codigo', 'cod', 'cód.', 'code', 'item code', 'product code', 'artikelnummer', 'art.-nr.', 'artnr', 'artikelnr', 'ref', 'referencia'],
  nameEs: ['nombre', 'name_es', 'nombre es', 'descripción', 'descripcion', 'producto', 'detalle', 'artículo', 'articulo'],
  nameDe: ['name_de', 'name de', 'bezeichnung', 'produktname', 'artikelbezeichnung', 'beschreibung', 'produkt'],
  nameEn: ['name', 'name_en', 'name en', 'description', 'product', 'product name'],
  price: ['precio', 'precio unitario', 'precio unit.', 'precio mayorista', 'price', 'unit price', 'preis', 'einzelpreis', 'stückpreis', 'einkaufspreis'],
  currency: ['moneda', 'divisa', 'currency', 'währung'],
  caseUnits: [
    'unidades por caja', 'unid. por caja', 'unidades x caja', 'u. x caja', 'unidades por bulto', 'bulto', 'case', 'case units', 'case_units',
    'units per case', 'case size', 'einheiten je kiste', 'einheiten pro kiste', 'stück pro karton', 'karton', 'kiste', 'vpe'
  ],
  salesUnit: ['unidad', 'unidad de venta', 'unit', 'sales unit', 'sales_unit', 'einheit', 'verkaufseinheit'],
  netQuantity: ['contenido', 'contenido neto', 'peso neto', 'net quantity', 'net_quantity', 'net', 'inhalt', 'nettoinhalt', 'füllmenge'],
  netUnit: ['unidad contenido', 'net unit', 'net_unit', 'inhaltseinheit'],
  hsCode: ['hs', 'hs code', 'hs_code', 'ncm', 'posición arancelaria', 'posicion arancelaria', 'zolltarifnummer', 'tarifnummer', 'taric'],
  vatClass: ['vat class', 'vat_class', 'vat_class_de', 'mwst-klasse', 'steuerklasse', 'clase iva'],
  originCountry: ['origen', 'país de origen', 'pais de origen', 'origin', 'country of origin', 'origin_country', 'herkunft', 'ursprungsland'],
  grossKgPerCase: ['peso bruto', 'peso bruto caja', 'gross kg', 'gross weight', 'gross kg per case', 'bruttogewicht', 'gewicht kiste']
}
const HEADER_KEYS = (() => {
  const map = new Map<string, CatalogueField>()
  for (const [field, names] of Object.entries(HEADERS) as [CatalogueField, string[]][]) for (const n of names) map.set(looseKey(n), field)
  return map
})()

/** Words for sales units and net units in the three languages → the stored codes. */
const UNIT_WORDS = (() => {
  const map = new Map<string, string>()
  const add = (code: string, words: string[]) => words.forEach((w) => map.set(looseKey(w), code))
  for (const u of SALES_UNITS) add(u, [u, ...LANGUAGES.map((l) => unitName(l, u))])
  add('piece', ['pc', 'pcs', 'pieces', 'stk', 'unid', 'un', 'u', 'pieza', 'piezas', 'unidades'])
  add('bag', ['bags', 'bolsas', 'paquete de yerba'])
  add('box', ['boxes', 'cajas'])
  add('bottle', ['bottles', 'botellas', 'bot'])
  add('kg', ['kilo', 'kilos', 'kgs'])
  add('l', ['liter', 'litro', 'litros', 'lt', 'lts'])
  add('m2', ['qm', 'm²'])
  return map
})()
const NET_UNIT_WORDS = new Map<string, string>([
  ...NET_UNITS.map((u) => [looseKey(u), u] as [string, string]),
  ['gr', 'g'],
  ['grs', 'g'],
  ['gramos', 'g'],
  ['gramm', 'g'],
  ['kilo', 'kg'],
  ['cc', 'ml'],
  ['liter', 'l'],
  ['litro', 'l'],
  ['m', 'm2'],
  ['stuck', 'piece'],
  ['unidad', 'piece']
])
const VAT_WORDS = new Map<string, string>([
  ['reduced', 'reduced'],
  ['ermassigt', 'reduced'],
  ['reducido', 'reduced'],
  ['7', 'reduced'],
  ['standard', 'standard'],
  ['normal', 'standard'],
  ['regular', 'standard'],
  ['19', 'standard'],
  ['zero', 'zero'],
  ['null', 'zero'],
  ['cero', 'zero'],
  ['0', 'zero']
])
const CURRENCY_WORDS = new Map<string, string>([
  ['€', 'EUR'],
  ['euro', 'EUR'],
  ['euros', 'EUR'],
  ['us$', 'USD'],
  ['u$s', 'USD'],
  ['u$d', 'USD'],
  ['dolar', 'USD'],
  ['dólar', 'USD'],
  ['dolares', 'USD'],
  ['$', 'ARS'],
  ['$ar', 'ARS'],
  ['pesos', 'ARS'],
  ['chf', 'CHF'],
  ['fr.', 'CHF']
])

/** Product columns → field names and how to show their values in the list of changes. */
type Shown = (v: unknown, digits: number) => string | null
const asText: Shown = (v) => (v === null || v === undefined ? null : String(v))
const scaled =
  (d: number): Shown =>
  (v) =>
    v === null || v === undefined ? null : formatScaled(Number(v), d, true)
const COLUMN_FIELDS: Record<string, [string, Shown]> = {
  sku: ['sku', asText],
  name_es: ['nameEs', asText],
  name_de: ['nameDe', asText],
  name_en: ['nameEn', asText],
  sales_unit: ['salesUnit', asText],
  case_milli: ['caseUnits', scaled(3)],
  step_milli: ['stepUnits', scaled(3)],
  net_quantity_milli: ['netQuantity', scaled(3)],
  net_unit: ['netUnit', asText],
  gross_g_per_case: ['grossKgPerCase', scaled(3)],
  volume_cm3_per_case: ['volumeM3PerCase', scaled(6)],
  hs_code: ['hsCode', asText],
  origin_country: ['originCountry', asText],
  price_minor: ['price', (v, digits) => (v === null || v === undefined ? null : formatScaled(Number(v), digits))],
  currency: ['currency', asText],
  vat_class: ['vatClass', asText],
  alcohol_permille: ['alcoholPercent', scaled(1)],
  min_order_cases: ['minOrderCases', asText],
  min_order_action: ['minOrderAction', asText],
  available_from: ['availableFrom', asText],
  available_until: ['availableUntil', asText]
}

/** An existing product as the product form would send it, so that the file only overrides columns it has. */
function productToInput(ws: Workspace, p: Product): Record<string, unknown> {
  return {
    id: p.id,
    supplierId: p.supplierId,
    sku: p.sku,
    nameEs: p.nameEs,
    nameDe: p.nameDe,
    nameEn: p.nameEn,
    salesUnit: p.salesUnit,
    caseUnits: formatScaled(p.caseMilli, 3, true),
    stepUnits: formatScaled(p.stepMilli, 3, true),
    pricePerCase: p.pricePerCase,
    netQuantity: p.netQuantityMilli === null ? null : formatScaled(p.netQuantityMilli, 3, true),
    netUnit: p.netUnit,
    grossKgPerCase: p.grossGPerCase === null ? null : formatScaled(p.grossGPerCase, 3, true),
    volumeM3PerCase: p.volumeCm3PerCase === null ? null : formatScaled(p.volumeCm3PerCase, 6, true),
    hsCode: p.hsCode,
    originCountry: p.originCountry,
    price: formatScaled(p.priceMinor, currencyDigits(ws, p.currency)),
    currency: p.currency,
    vatClass: p.vatClass,
    animalOrigin: p.animalOrigin,
    dairy: p.dairy,
    alcoholPercent: p.alcoholPermille === null ? null : formatScaled(p.alcoholPermille, 1, true),
    organic: p.organic,
    heatSensitive: p.heatSensitive,
    specialFreight: p.specialFreight,
    minOrderCases: p.minOrderCases,
    minOrderAction: p.minOrderAction,
    // Not read from price lists: a product keeps its solidarity contribution.
    solidarity: formatScaled(p.solidarityMinor, currencyDigits(ws, p.solidarityCurrency ?? p.currency)),
    solidarityCurrency: p.solidarityCurrency ?? p.currency,
    availableFrom: p.availableFrom,
    availableUntil: p.availableUntil
  }
}

/** Decimal text in the file's convention: with a decimal comma, dots group thousands (and vice versa). */
function decimalText(cell: Cell, decimal: ',' | '.' | null): string | number {
  if (cell.kind === 'number') return cell.number!
  let s = cell.text.trim().replace(/^(US\$|U\$S|\$|€|EUR|USD|ARS|CHF)\s*/i, '').replace(/\s*(€|EUR|USD|ARS|CHF)$/i, '')
  if (decimal === ',' && /^\d{1,3}(\.\d{3})+(,\d+)?$/.test(s)) s = s.replace(/\./g, '')
  if (decimal === '.' && /^\d{1,3}(,\d{3})+(\.\d+)?$/.test(s)) s = s.replace(/,/g, '')
  return s
}

function fieldValue(field: CatalogueField, cell: Cell, decimal: ',' | '.' | null): unknown {
  const text = cellText(cell)
  switch (field) {
    case 'price':
    case 'caseUnits':
    case 'netQuantity':
    case 'grossKgPerCase':
      return decimalText(cell, decimal)
    case 'salesUnit':
      return UNIT_WORDS.get(looseKey(text)) ?? text
    case 'netUnit':
      return NET_UNIT_WORDS.get(looseKey(text)) ?? text
    case 'vatClass':
      return VAT_WORDS.get(looseKey(text.replace(/%/g, ''))) ?? text
    case 'currency':
      return CURRENCY_WORDS.get(text.toLowerCase()) ?? text.toUpperCase()
    case 'originCountry':
      return text.toUpperCase()
    case 'hsCode':
      return cell.kind === 'number' ? String(cell.number).padStart(6, '0') : text
    default:
      return text
  }
}

function findHeader(sheet: Sheet): number {
  let firstNonEmpty = -1
  for (let r = 0; r < Math.min(sheet.rows.length, 20); r++) {
    const cells = sheet.rows[r]
    if (!cells || cells.every((c) => !c || c.kind === 'empty')) continue
    if (firstNonEmpty < 0) firstNonEmpty = r
    const fields = new Set(cells.map((c) => HEADER_KEYS.get(looseKey(cellText(c)))).filter(Boolean))
    if (fields.has('sku') && fields.size >= 2) return r
  }
  return firstNonEmpty
}

interface Plan {
  row: CatalogueImportRow
  input: z.output<typeof productInput> | null
}

function plan(ws: Workspace, input: CatalogueImportInput, read: Upload, progress: Progress = noProgress): { preview: CatalogueImportPreview; plans: Plan[] } {
  requireRow(ws.db, 'supplier', input.supplierId)
  const existingRows = ws.db
    .prepare('SELECT id, sku, currency FROM product WHERE supplier_id = ? AND deleted_at IS NULL')
    .all(input.supplierId) as { id: string; sku: string; currency: string }[]
  const bySku = new Map(existingRows.map((p) => [p.sku.toUpperCase(), p]))
  const commonCurrency = (() => {
    const counts = new Map<string, number>()
    for (const p of existingRows) counts.set(p.currency, (counts.get(p.currency) ?? 0) + 1)
    return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'USD'
  })()
  const defaults: Defaults = {
    currency: input.defaults?.currency ?? commonCurrency,
    salesUnit: input.defaults?.salesUnit ?? 'piece',
    vatClass: input.defaults?.vatClass ?? 'standard',
    caseUnits: formatScaled(input.defaults?.caseUnits ?? 1000, QUANTITY_DIGITS, true),
    originCountry: input.defaults?.originCountry ?? 'AR'
  }
  const preview: CatalogueImportPreview = {
    format: null,
    encoding: null,
    separator: null,
    fileErrors: [],
    headerRow: null,
    columns: [],
    suggested: {},
    mapping: {},
    defaults,
    rows: [],
    summary: { rows: 0, insert: 0, update: 0, unchanged: 0, errors: 0 },
    blocking: true
  }
  const plans: Plan[] = []
  if ('error' in read) {
    preview.fileErrors.push(read.error)
    return { preview, plans }
  }
  const table = read.table
  preview.format = table.format
  preview.encoding = table.encoding
  preview.separator = table.separator
  const sheet = table.sheets.find((s) => s.state === 'visible' && s.rows.some(Boolean)) ?? table.sheets[0]!
  const header = findHeader(sheet)
  preview.headerRow = header + 1
  const headerCells = sheet.rows[header] ?? []
  const width = Math.max(headerCells.length, ...sheet.rows.slice(header, header + 50).map((r) => r?.length ?? 0))
  // Up to three samples per column, in one pass over the cells present (not columns × rows: a header
  // reaching column XFD over 200,000 rows would otherwise take billions of steps).
  const samples: string[][] = Array.from({ length: width }, () => [])
  let wanting = width
  for (let r = header + 1; r < sheet.rows.length && wanting > 0; r++) {
    sheet.rows[r]?.forEach((c, i) => {
      const own = samples[i]
      if (!own || own.length >= 3) return
      const t = cellText(c)
      if (t && own.push(t) === 3) wanting--
    })
  }
  for (let i = 0; i < width; i++) {
    preview.columns.push({ index: i, letter: columnName(i), header: cellText(headerCells[i]), samples: samples[i]! })
    const field = HEADER_KEYS.get(looseKey(cellText(headerCells[i])))
    if (field && preview.suggested[field] === undefined) preview.suggested[field] = i
  }
  const mapping: Mapping = input.mapping ?? preview.suggested
  preview.mapping = mapping
  for (const [field, col] of Object.entries(mapping) as [CatalogueField, number | null | undefined][]) {
    if (col !== null && col !== undefined && col >= width) preview.fileErrors.push(issue('mapping', { column: columnName(col) }, field))
  }
  if (mapping.sku === null || mapping.sku === undefined) {
    preview.fileErrors.push(issue('headers', { missing: 'SKU', found: headerCells.map((c) => cellText(c)).filter(Boolean).join(', ') || '—' }))
  }
  if (preview.fileErrors.length) return { preview, plans }

  const mapped = (Object.entries(mapping) as [CatalogueField, number | null | undefined][]).filter(
    (e): e is [CatalogueField, number] => typeof e[1] === 'number'
  )
  const seen = new Map<string, number>()
  const rowCount = Math.max(0, sheet.rows.length - header - 1)
  const tick = ticker(progress, 'check', rowCount, 100)
  for (let r = header + 1; r < sheet.rows.length; r++) {
    tick(r - header - 1)
    const cells = sheet.rows[r]
    if (!cells || cells.every((c) => !c || c.kind === 'empty')) continue
    const sku = cellText(cells[mapping.sku!])
    const row: CatalogueImportRow = { line: r + 1, sku, productId: null, name: '', action: 'error', changes: [], errors: [] }
    const found = sku ? bySku.get(sku.toUpperCase()) : undefined
    const existing = found ? getProduct(ws, found.id) : null
    const base: Record<string, unknown> = existing
      ? productToInput(ws, existing)
      : {
          supplierId: input.supplierId,
          salesUnit: defaults.salesUnit,
          caseUnits: defaults.caseUnits,
          currency: defaults.currency,
          vatClass: defaults.vatClass,
          originCountry: defaults.originCountry
        }
    for (const [field, col] of mapped) {
      const cell = cells[col]
      if (!cell || (cell.kind === 'empty' && !cell.formula)) continue
      if (field === 'sku' && existing) continue
      const value = fieldValue(field, cell, table.decimal)
      // A cooperative's 6-digit HS code that the stored 8-digit CN code extends is not a change: the file
      // knows less than the catalogue (the coordinator completed it for customs).
      if (field === 'hsCode' && existing?.hsCode && typeof value === 'string') {
        const digits = value.replace(/[\s.]/g, '')
        if (digits.length < existing.hsCode.length && existing.hsCode.startsWith(digits)) continue
      }
      base[field] = value
    }
    row.productId = existing?.id ?? null
    row.name = String(base.nameEs ?? base.nameEn ?? base.nameDe ?? '')
    plans.push({ row, input: null })
    preview.rows.push(row)
    if (sku) {
      const earlier = seen.get(sku.toUpperCase())
      if (earlier !== undefined) {
        row.errors.push(issue('duplicate', { line: earlier }, 'sku'))
        continue
      }
      seen.set(sku.toUpperCase(), row.line)
    }
    const parsed = productInput.safeParse(base)
    if (!parsed.success) {
      for (const [field, e] of Object.entries(fieldErrors(parsed.error))) row.errors.push({ ns: 'fieldErrors', code: e.code, params: e.params, field })
      continue
    }
    let values: Values
    try {
      values = productValues(ws, parsed.data)
    } catch (e) {
      const fields = e instanceof AppError && e.code === 'validation' ? (e.params.fields as ReturnType<typeof fieldErrors>) : null
      if (!fields) throw e
      for (const [field, fe] of Object.entries(fields)) row.errors.push({ ns: 'fieldErrors', code: fe.code, params: fe.params, field })
      continue
    }
    plans[plans.length - 1]!.input = parsed.data
    const newDigits = currencyDigits(ws, parsed.data.currency)
    if (existing) {
      const old = ws.db.prepare('SELECT * FROM product WHERE id = ?').get(existing.id) as Record<string, unknown>
      const oldDigits = currencyDigits(ws, existing.currency)
      for (const [column, value] of Object.entries(values)) {
        const spec = COLUMN_FIELDS[column]
        if (!spec || old[column] === value) continue
        row.changes.push({ field: spec[0], from: spec[1](old[column], oldDigits), to: spec[1](value, newDigits) })
      }
      row.action = row.changes.length ? 'update' : 'unchanged'
    } else {
      for (const [column, value] of Object.entries(values)) {
        const spec = COLUMN_FIELDS[column]
        if (spec && value !== null && value !== undefined) row.changes.push({ field: spec[0], from: null, to: spec[1](value, newDigits) })
      }
      row.action = 'insert'
    }
  }
  for (const row of preview.rows) {
    if (row.errors.length) row.action = 'error'
    preview.summary[row.action === 'error' ? 'errors' : row.action]++
  }
  preview.summary.rows = preview.rows.length
  if (!preview.rows.length) preview.fileErrors.push(issue('empty'))
  preview.blocking = preview.fileErrors.length > 0 || preview.summary.errors > 0
  progress('check', rowCount, rowCount)
  return { preview, plans }
}

/** Checks a file already read (readUpload) row by row and writes nothing. */
export function previewCatalogueImport(ws: Workspace, input: CatalogueImportInput, read: Upload, progress: Progress = noProgress): CatalogueImportPreview {
  return plan(ws, input, read, progress).preview
}

export interface CatalogueImportResult {
  inserted: number
  updated: number
  unchanged: number
  rows: CatalogueImportRow[]
}

/**
 * Saves every new or changed product of a file already read, checked again here; refuses the whole file
 * on any error. The checks and all writes run in one transaction.
 */
export function applyCatalogueImport(ws: Workspace, input: CatalogueImportInput, read: Upload, progress: Progress = noProgress): CatalogueImportResult {
  return ws.db.transaction(() => {
    const { preview, plans } = plan(ws, input, read, progress)
    if (preview.blocking) {
      throw new AppError('import.blocked', { count: preview.fileErrors.length + preview.summary.errors, fileErrors: preview.fileErrors.map((e) => e.code) })
    }
    const rows: CatalogueImportRow[] = []
    const total = preview.summary.insert + preview.summary.update
    const tick = ticker(progress, 'write', total, 100)
    for (const p of plans) {
      if (p.row.action !== 'insert' && p.row.action !== 'update') continue
      if (!p.input) throw fieldError('sku', 'invalid')
      tick(rows.length)
      const saved = saveProduct(ws, p.input)
      rows.push({ ...p.row, productId: saved.id })
    }
    progress('write', total, total)
    return { inserted: preview.summary.insert, updated: preview.summary.update, unchanged: preview.summary.unchanged, rows }
  }).immediate()
}
