import { z } from 'zod'
import { AppError } from '../../shared/errors.ts'
import { resources } from '../../shared/i18n/index.ts'
import { LANGUAGES, type Language } from '../../shared/reference.ts'
import type { Workspace } from '../db/workspace.ts'
import { boxFillProblems, instant, type LineTarget, receivedTime, writeOrderLines } from './orders.ts'
import { getRound, type Round } from '../rounds/rounds.ts'
import { MAX_ROWS, type Upload, uploadInput } from '../spreadsheets/files.ts'
import { type Issue, issue, wholeNumber } from '../spreadsheets/issues.ts'
import { FORM_FORMAT, FORM_META_SHEET } from '../spreadsheets/orderForm.ts'
import { type Cell, cellAt, cellText, EMPTY_CELL, looseKey, type Sheet, type Table } from '../spreadsheets/table.ts'
import { formTexts, localName } from '../common/text.ts'
import { noProgress, type Progress, ticker } from '../common/progress.ts'

/**
 * Importing orders from a file: the XLSX order form (recognised by its hidden `puente` sheet) or any
 * table, XLSX or CSV, with the columns buyer (name or ID), SKU, quantity and optionally tolerance.
 * The file is read first (asynchronously, see files.ts); the preview checks every row and writes nothing;
 * the apply reads the file again (it never trusts a preview a client holds) and either applies every row
 * in one transaction or nothing.
 *
 * A buyer that belongs to a hub orders through the hub: its lines go into the hub's order, with the
 * buyer as sub-buyer, as the order entry does it.
 */
/** A file of orders for a round; `orderedAt`: when the orders in it were received (absent: now). */
export const orderImportInput = z.object({ roundId: z.uuid(), ...uploadInput, orderedAt: instant.optional() })
export type OrderImportInput = z.output<typeof orderImportInput>

export type RowStatus = 'ok' | 'unchanged' | 'error'

export interface OrderImportRow {
  /** The row number in the file (1 = the first row). */
  line: number
  buyerId: string | null
  buyer: string
  /** The order the line goes into (the hub's for a hub member), and the sub-buyer. */
  orderBuyerId: string | null
  subBuyerId: string | null
  sku: string
  productId: string | null
  product: string
  /** The product's step ×1000 of its sales unit: quantity, tolerance and current count steps. */
  stepMilli: number
  quantity: number | null
  tolerance: number | null
  current: { quantity: number; tolerance: number }
  status: RowStatus
  errors: Issue[]
}

export interface OrderImportPreview {
  format: 'xlsx' | 'csv' | null
  kind: 'form' | 'table' | null
  encoding: string | null
  separator: string | null
  fileErrors: Issue[]
  rows: OrderImportRow[]
  summary: { rows: number; ok: number; unchanged: number; errors: number; buyers: number }
  blocking: boolean
}

/** A product of the round's cooperatives, with its price and block in the round. */
interface Offered {
  productId: string
  supplierId: string
  supplierName: string
  sku: string
  nameEs: string | null
  nameDe: string | null
  nameEn: string | null
  priceMinor: number | null
  blocked: number
  blockReason: string | null
  stepMilli: number
}

interface BuyerRef {
  id: string
  name: string
  hubId: string | null
}

/** Everything a row is checked against, read once per file. */
class Lookup {
  readonly round: Round
  readonly products = new Map<string, Offered>()
  private readonly bySku = new Map<string, Offered[]>()
  private readonly buyers = new Map<string, BuyerRef>()
  private readonly buyersByName = new Map<string, BuyerRef[]>()
  private readonly current = new Map<string, { quantity: number; tolerance: number }>()
  private readonly otherSku: (sku: string) => boolean

  private readonly ws: Workspace
  readonly lang: Language

  constructor(ws: Workspace, roundId: string, lang: Language) {
    this.ws = ws
    this.lang = lang
    this.round = getRound(ws, roundId)
    // The round's price list as stored (roundPrices() also runs the price calculator, not needed here).
    const offered = ws.db
      .prepare(
        `SELECT p.id AS productId, s.id AS supplierId, s.name AS supplierName, p.sku, p.name_es AS nameEs, p.name_de AS nameDe,
          p.name_en AS nameEn, rp.price_minor AS priceMinor, coalesce(rp.blocked, 0) AS blocked, rp.block_reason AS blockReason,
          p.step_milli AS stepMilli
         FROM round_supplier rs JOIN supplier s ON s.id = rs.supplier_id
         JOIN product p ON p.supplier_id = s.id AND p.deleted_at IS NULL AND p.archived_at IS NULL
         LEFT JOIN round_product rp ON rp.round_id = rs.round_id AND rp.product_id = p.id
         WHERE rs.round_id = ? AND rs.deleted_at IS NULL`
      )
      .all(roundId) as Offered[]
    for (const p of offered) {
      this.products.set(p.productId, p)
      const key = p.sku.toUpperCase()
      const list = this.bySku.get(key)
      if (list) list.push(p)
      else this.bySku.set(key, [p])
    }
    const rows = ws.db
      .prepare('SELECT id, name, hub_id AS hubId FROM buyer WHERE deleted_at IS NULL AND archived_at IS NULL')
      .all() as BuyerRef[]
    for (const b of rows) {
      this.buyers.set(b.id.toLowerCase(), b)
      const key = nameKey(b.name)
      const list = this.buyersByName.get(key)
      if (list) list.push(b)
      else this.buyersByName.set(key, [b])
    }
    const lines = ws.db
      .prepare(
        `SELECT o.buyer_id AS buyerId, q.product_id AS productId, coalesce(q.sub_buyer_id, '') AS sub, q.quantity, q.tolerance
         FROM line_quantity q JOIN buyer_order o ON o.id = q.order_id WHERE o.round_id = ? AND o.deleted_at IS NULL`
      )
      .all(roundId) as { buyerId: string; productId: string; sub: string; quantity: number; tolerance: number }[]
    for (const l of lines) this.current.set(`${l.buyerId}|${l.productId}|${l.sub}`, { quantity: l.quantity, tolerance: l.tolerance })
    const other = ws.db.prepare('SELECT 1 FROM product WHERE upper(sku) = ? AND deleted_at IS NULL LIMIT 1')
    this.otherSku = (sku) => other.get(sku.toUpperCase()) !== undefined
  }

  buyerById(id: string): BuyerRef | undefined {
    return this.buyers.get(id.toLowerCase())
  }

  /** A buyer named by ID or by name (case and spacing ignored). */
  findBuyer(text: string): { buyer: BuyerRef } | { error: Issue } {
    if (!text) return { error: issue('buyer_missing') }
    const byId = this.buyerById(text)
    if (byId) return { buyer: byId }
    const list = this.buyersByName.get(nameKey(text))
    if (!list) return { error: issue('unknown_buyer', { buyer: text }) }
    if (list.length > 1) return { error: issue('ambiguous_buyer', { buyer: text }) }
    return { buyer: list[0]! }
  }

  findSku(sku: string): { product: Offered } | { error: Issue } {
    if (!sku) return { error: issue('sku_missing') }
    const list = this.bySku.get(sku.toUpperCase())
    if (!list) return { error: issue(this.otherSku(sku) ? 'unavailable' : 'unknown_sku', { sku }) }
    if (list.length > 1) return { error: issue('ambiguous_sku', { sku }) }
    return { product: list[0]! }
  }

  currentOf(orderBuyerId: string, productId: string, subBuyerId: string | null) {
    return this.current.get(`${orderBuyerId}|${productId}|${subBuyerId ?? ''}`) ?? { quantity: 0, tolerance: 0 }
  }

  productName(p: Offered): string {
    return localName(p, this.lang)
  }

  /** The name of another round, for the message about a form of the wrong round. */
  roundName(id: string): string | null {
    if (!UUID.test(id)) return null
    const row = this.ws.db.prepare('SELECT name FROM round WHERE id = ? AND deleted_at IS NULL').get(id) as { name: string } | undefined
    return row?.name ?? null
  }
}

function nameKey(name: string): string {
  return name.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase()
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

interface RawLine {
  line: number
  buyer: { buyer: BuyerRef } | { error: Issue }
  buyerText: string
  productId: string | null
  sku: string
  quantity: Cell
  tolerance: Cell
  /** In the form an empty quantity means 0; in a table it is missing. */
  emptyIsZero: boolean
  /** A table without a tolerance column leaves the tolerances as they are. */
  keepTolerance: boolean
  /** A form row left empty for a product not ordered is no line at all. */
  skipIfNothing: boolean
}

/** Checks one line against the round; the status compares it with the current order. */
function evaluate(look: Lookup, raw: RawLine, decimal: ',' | '.' | null): OrderImportRow {
  const errors: Issue[] = []
  const row: OrderImportRow = {
    line: raw.line,
    buyerId: null,
    buyer: raw.buyerText,
    orderBuyerId: null,
    subBuyerId: null,
    sku: raw.sku,
    productId: null,
    product: '',
    stepMilli: 1000,
    quantity: null,
    tolerance: null,
    current: { quantity: 0, tolerance: 0 },
    status: 'error',
    errors
  }
  if ('error' in raw.buyer) errors.push(raw.buyer.error)
  else {
    const b = raw.buyer.buyer
    row.buyerId = b.id
    row.buyer = b.name
    row.orderBuyerId = b.hubId ?? b.id
    row.subBuyerId = b.hubId ? b.id : null
  }
  let product: Offered | undefined
  if (raw.productId && look.products.has(raw.productId)) product = look.products.get(raw.productId)
  else {
    const found = look.findSku(raw.sku)
    if ('error' in found) errors.push(found.error)
    else product = found.product
  }
  if (product) {
    row.productId = product.productId
    row.sku = product.sku
    row.product = look.productName(product)
  }
  // Read in the product's unit and counted in its steps (1,5 kg in steps of 0,5 kg: 3).
  const step = product?.stepMilli ?? 1000
  row.stepMilli = step
  const q = wholeNumber(raw.quantity, decimal, step)
  const t = wholeNumber(raw.tolerance, decimal, step)
  if ('error' in q) errors.push({ ...q.error, field: 'quantity' })
  else if (q.value === null && !raw.emptyIsZero) errors.push(issue('quantity_missing', undefined, 'quantity'))
  else row.quantity = q.value ?? 0
  if ('error' in t) errors.push({ ...t.error, field: 'tolerance' })
  else row.tolerance = t.value ?? 0
  if (row.orderBuyerId && product) row.current = look.currentOf(row.orderBuyerId, product.productId, row.subBuyerId)
  if (raw.keepTolerance) row.tolerance = row.current.tolerance
  if (product) {
    const ordering = (row.quantity ?? 0) > 0 || (row.tolerance ?? 0) > 0
    if (product.blocked && ordering) errors.push(issue('blocked', { sku: product.sku, reason: product.blockReason ?? '' }))
    else if (product.priceMinor === null) errors.push(issue('no_price', { sku: product.sku }))
  }
  if (!errors.length) row.status = row.quantity === row.current.quantity && row.tolerance === row.current.tolerance ? 'unchanged' : 'ok'
  return row
}

// ---------------------------------------------------------------------------------------------------
// Reading the two kinds of file into raw lines.

function formMeta(table: Table): Map<string, string> | null {
  const sheet = table.sheets.find((s) => s.name === FORM_META_SHEET)
  if (!sheet) return null
  const meta = new Map<string, string>()
  for (const r of sheet.rows) if (r) meta.set(cellText(r[0]), cellText(r[1]))
  return meta.get('format') === FORM_FORMAT ? meta : null
}

function formLines(look: Lookup, table: Table, meta: Map<string, string>, fileErrors: Issue[]): RawLine[] {
  const formRound = meta.get('roundId') ?? ''
  if (formRound.toLowerCase() !== look.round.id.toLowerCase())
    fileErrors.push(issue('wrong_round', { form: look.roundName(formRound) ?? formRound, round: look.round.name }))
  const buyerId = meta.get('buyerId') ?? ''
  const buyer = look.buyerById(buyerId)
  if (!buyer) fileErrors.push(issue('unknown_buyer', { buyer: buyerId }))
  const sheet = table.sheets.find((s) => s.name === meta.get('sheet')) ?? table.sheets.find((s) => s.name !== FORM_META_SHEET)!
  const col = (key: string, fallback: number) => {
    const n = Number(meta.get(key))
    return (Number.isInteger(n) && n > 0 ? n : fallback) - 1
  }
  const cols = { sku: col('skuColumn', 1), quantity: col('quantityColumn', 6), tolerance: col('toleranceColumn', 7), productId: col('productIdColumn', 9) }
  const first = Math.max(1, Number(meta.get('firstRow')) || 1) - 1
  const lastMeta = Number(meta.get('lastRow'))
  const last = Number.isInteger(lastMeta) && lastMeta > 0 ? lastMeta - 1 : sheet.rows.length - 1
  const out: RawLine[] = []
  for (let r = first; r <= last; r++) {
    const cells = sheet.rows[r]
    if (!cells) continue
    const id = cellText(cells[cols.productId])
    const sku = cellText(cells[cols.sku])
    const quantity = cells[cols.quantity] ?? EMPTY_CELL
    const tolerance = cells[cols.tolerance] ?? EMPTY_CELL
    const blank = (c: Cell) => c.kind === 'empty' && !c.formula
    if (!UUID.test(id) && blank(quantity) && blank(tolerance)) continue
    out.push({
      line: r + 1,
      buyer: buyer ? { buyer } : { error: issue('unknown_buyer', { buyer: buyerId }) },
      buyerText: buyer?.name ?? buyerId,
      productId: UUID.test(id) ? id.toLowerCase() : null,
      sku,
      quantity,
      tolerance,
      emptyIsZero: true,
      keepTolerance: false,
      skipIfNothing: blank(quantity) && blank(tolerance)
    })
  }
  return out
}

/** Header names accepted for each column, in every language, compared loosely. */
const HEADERS: Record<'buyer' | 'sku' | 'quantity' | 'tolerance', string[]> = {
  buyer: ['buyer', 'buyer id', 'buyer name', 'customer', 'group', 'käufer', 'abnehmer', 'besteller', 'gruppe', 'kunde', 'comprador', 'compradora', 'cliente', 'grupo'],
  sku: ['sku', 'code', 'item', 'article', 'article number', 'product code', 'art.-nr.', 'artikelnummer', 'artikelnr', 'artikel', 'código', 'cod', 'referencia', 'ref'],
  quantity: ['quantity', 'qty', 'units', 'menge', 'anzahl', 'stück', 'cantidad', 'cant'],
  tolerance: ['tolerance', 'tol', 'toleranz', 'tolerancia']
}
const HEADER_KEYS = (() => {
  const map = new Map<string, keyof typeof HEADERS>()
  for (const [field, names] of Object.entries(HEADERS) as [keyof typeof HEADERS, string[]][]) {
    const all = [...names, ...LANGUAGES.flatMap((l) => [resources[l].translation.forms[field], resources[l].translation.orders[field]])]
    for (const n of all) map.set(looseKey(n), field)
  }
  return map
})()

function tableLines(look: Lookup, table: Table, fileErrors: Issue[]): RawLine[] {
  const sheet: Sheet = table.sheets.find((s) => s.state === 'visible' && s.rows.some(Boolean)) ?? table.sheets[0]!
  let header = -1
  let cols: Partial<Record<keyof typeof HEADERS, number>> = {}
  let found: string[] = []
  for (let r = 0; r < Math.min(sheet.rows.length, 20) && header < 0; r++) {
    const cells = sheet.rows[r]
    if (!cells) continue
    const seen: Partial<Record<keyof typeof HEADERS, number>> = {}
    cells.forEach((c, i) => {
      const field = HEADER_KEYS.get(looseKey(cellText(c)))
      if (field && seen[field] === undefined) seen[field] = i
    })
    if (found.length === 0) found = cells.map((c) => cellText(c)).filter(Boolean)
    if (seen.sku !== undefined && seen.quantity !== undefined) {
      header = r
      cols = seen
      found = cells.map((c) => cellText(c)).filter(Boolean)
    }
  }
  const required = ['buyer', 'sku', 'quantity'] as const
  const missing = header < 0 ? required.filter((f) => f !== 'buyer' || cols.buyer === undefined) : required.filter((f) => cols[f] === undefined)
  if (missing.length) {
    const t = formTexts(look.lang)
    fileErrors.push(issue('headers', { missing: missing.map((f) => t[f]).join(', '), found: found.slice(0, 12).join(', ') || '—' }))
    return []
  }
  const out: RawLine[] = []
  const cache = new Map<string, RawLine['buyer']>()
  for (let r = header + 1; r < sheet.rows.length; r++) {
    const cells = sheet.rows[r]
    if (!cells || cells.every((c) => !c || (c.kind === 'empty' && !c.formula))) continue
    const buyerText = cellText(cells[cols.buyer!])
    let buyer = cache.get(buyerText)
    if (!buyer) {
      buyer = look.findBuyer(buyerText)
      cache.set(buyerText, buyer)
    }
    out.push({
      line: r + 1,
      buyer,
      buyerText,
      productId: null,
      sku: cellText(cells[cols.sku!]),
      quantity: cellAt(sheet, r, cols.quantity!),
      tolerance: cols.tolerance === undefined ? EMPTY_CELL : cellAt(sheet, r, cols.tolerance),
      emptyIsZero: false,
      keepTolerance: cols.tolerance === undefined,
      skipIfNothing: false
    })
  }
  return out
}

// ---------------------------------------------------------------------------------------------------

/**
 * Checks every row of a file already read (readUpload) against the round and the current orders and
 * writes nothing. Synchronous, so that the apply can run it inside its write transaction.
 */
export function previewOrderImport(ws: Workspace, roundId: string, read: Upload, lang: Language, progress: Progress = noProgress): OrderImportPreview {
  const look = new Lookup(ws, roundId, lang)
  const fileErrors: Issue[] = []
  const result: OrderImportPreview = {
    format: null,
    kind: null,
    encoding: null,
    separator: null,
    fileErrors,
    rows: [],
    summary: { rows: 0, ok: 0, unchanged: 0, errors: 0, buyers: 0 },
    blocking: true
  }
  if ('error' in read) {
    fileErrors.push(read.error)
    return result
  }
  const table = read.table
  result.format = table.format
  result.encoding = table.encoding
  result.separator = table.separator
  if (!look.round.acceptingOrders) fileErrors.push(issue('closed', { status: look.round.status }))
  const meta = table.format === 'xlsx' ? formMeta(table) : null
  result.kind = meta ? 'form' : 'table'
  const raw = meta ? formLines(look, table, meta, fileErrors) : tableLines(look, table, fileErrors)
  if (raw.length > MAX_ROWS) {
    fileErrors.push(issue('too_many_rows', { max: MAX_ROWS }))
    return result
  }
  const seen = new Map<string, number>()
  const tick = ticker(progress, 'check', raw.length)
  for (const [i, r] of raw.entries()) {
    tick(i)
    const row = evaluate(look, r, table.decimal)
    if (r.skipIfNothing && row.status === 'unchanged' && row.current.quantity === 0 && row.current.tolerance === 0) continue
    if (row.orderBuyerId && row.productId) {
      const key = `${row.orderBuyerId}|${row.productId}|${row.subBuyerId ?? ''}`
      const earlier = seen.get(key)
      if (earlier !== undefined) {
        row.errors.push(issue('duplicate', { line: earlier }))
        row.status = 'error'
      } else seen.set(key, row.line)
    }
    result.rows.push(row)
    result.summary[row.status === 'ok' ? 'ok' : row.status === 'unchanged' ? 'unchanged' : 'errors']++
  }
  // In the round's box-fill phase, the rows that would move a product beyond its open case are marked.
  const okRows = result.rows.filter((r) => r.status === 'ok')
  const problems = new Map(boxFillProblems(ws, look.round, okRows.map(target)).map((p) => [p.productId, p]))
  for (const row of okRows) {
    const p = problems.get(row.productId!)
    if (!p) continue
    row.errors.push(issue(p.code === 'round.box_fill' ? 'box_fill' : 'box_fill_full', { sku: p.sku, caseSize: p.caseSize, total: p.total, more: p.more, fewer: p.fewer }, 'quantity'))
    row.status = 'error'
    result.summary.ok--
    result.summary.errors++
  }
  if (!raw.length && !fileErrors.length) fileErrors.push(issue('empty'))
  result.summary.rows = result.rows.length
  result.summary.buyers = new Set(result.rows.filter((r) => r.status === 'ok').map((r) => r.orderBuyerId!)).size
  result.blocking = fileErrors.length > 0 || result.summary.errors > 0
  progress('check', raw.length, raw.length)
  return result
}

/** A row that passed the checks, as the line to write. */
const target = (r: OrderImportRow): LineTarget => ({ buyerId: r.orderBuyerId!, productId: r.productId!, subBuyerId: r.subBuyerId, quantity: r.quantity!, tolerance: r.tolerance! })

export interface OrderImportResult {
  /** Lines changed, lines already as in the file, and orders touched. */
  applied: number
  unchanged: number
  orders: number
}

/**
 * Applies every changed line of a file already read through the order entry (source 'import'): the
 * rows are checked again here (a preview a client holds is never trusted) and the checks and all writes
 * run in one transaction, so the file is applied as a whole or, on any error, not at all. `orderedAt`:
 * when the orders of the file were received (a form sent back days ago), as in the order entry.
 */
export function applyOrderImport(
  ws: Workspace,
  roundId: string,
  read: Upload,
  lang: Language,
  deviceId: string,
  orderedAt?: string,
  progress: Progress = noProgress
): OrderImportResult {
  return ws.db.transaction(() => {
    const receivedAt = receivedTime(ws, orderedAt)
    const preview = previewOrderImport(ws, roundId, read, lang, progress)
    if (preview.blocking) {
      throw new AppError('import.blocked', {
        count: preview.fileErrors.length + preview.summary.errors,
        fileErrors: preview.fileErrors.map((e) => e.code)
      })
    }
    // The preview just checked every row against the round (products, blocks, prices, buyers, hubs).
    const targets = preview.rows.filter((r) => r.status === 'ok').map(target)
    writeOrderLines(ws, getRound(ws, roundId), targets, 'import', deviceId, receivedAt, progress)
    return { applied: preview.summary.ok, unchanged: preview.summary.unchanged, orders: new Set(targets.map((t) => t.buyerId)).size }
  }).immediate()
}
