import { z } from 'zod'
import { MIN_ORDER_ACTIONS, type MinOrderAction, NET_UNITS, QUANTITY_DIGITS, SALES_UNITS, VAT_CLASSES } from '../../shared/catalogue.ts'
import { COUNTRIES, CURRENCIES } from '../../shared/reference.ts'
import type { Workspace } from '../db/workspace.ts'
import type { Values } from '../db/writer.ts'
import { deleteUnused, fieldError, type ListInput, listRows, requireRow } from '../common/records.ts'
import { currencyDigits } from '../reference/reference.ts'
import { amount, amountMinor, optionalAmount, optionalDate, optionalScaledDecimal, optionalText, scaledDecimal } from '../common/zod.ts'

const isoDate = optionalDate()

/**
 * A product as the form or an import sends it. Quantities and the price may be typed as text in either
 * decimal notation ("2,10" or "2.10"); the price is in the currency's major unit and stored in minor units.
 */
/** The largest order step, in thousandths of the sales unit: the workspace's check on product.step_milli (migration 7). */
export const MAX_STEP_MILLI = 1_000_000

export const productInput = z
  .object({
    id: z.uuid().optional(),
    supplierId: z.uuid(),
    sku: z
      .string()
      .trim()
      .min(1)
      .max(40)
      .regex(/^[A-Za-z0-9][A-Za-z0-9._\-/]*$/, { message: 'sku' }),
    nameEs: optionalText(200),
    nameDe: optionalText(200),
    nameEn: optionalText(200),
    salesUnit: z.enum(SALES_UNITS, { message: 'invalid' }),
    caseUnits: scaledDecimal(QUANTITY_DIGITS, { min: 1 }),
    /**
     * The step buyers order in, in the sales unit (0,5 kg; 0,01 m²); empty: whole units. Fixed once the
     * product has quantities. At most 1,000 units, as the workspace stores it (product.step_milli).
     */
    stepUnits: optionalScaledDecimal(QUANTITY_DIGITS, { min: 1, max: MAX_STEP_MILLI }),
    netQuantity: optionalScaledDecimal(QUANTITY_DIGITS, { min: 1 }),
    netUnit: z.enum(NET_UNITS, { message: 'invalid' }).nullish().transform((u) => u ?? null),
    grossKgPerCase: optionalScaledDecimal(3, { min: 0 }),
    volumeM3PerCase: optionalScaledDecimal(6, { min: 0 }),
    hsCode: z
      .string()
      .trim()
      .nullish()
      .transform((s, ctx) => {
        const digits = (s ?? '').replace(/[\s.]/g, '')
        if (!digits) return null
        if (!/^\d{6,10}$/.test(digits)) {
          ctx.addIssue({ code: 'custom', message: 'hs_code' })
          return z.NEVER
        }
        return digits
      }),
    originCountry: z.enum(COUNTRIES, { message: 'country' }).default('AR'),
    price: amount(),
    /** The price is for one case, not one sales unit (cooperatives that bill per case). */
    pricePerCase: z.boolean().default(false),
    currency: z.enum(CURRENCIES, { message: 'currency' }),
    /** The solidarity contribution per unit that goes to the cooperative, in the major unit of its currency. */
    solidarity: optionalAmount(),
    /** The contribution's currency; empty: the product's. */
    solidarityCurrency: z
      .enum(CURRENCIES, { message: 'currency' })
      .or(z.literal(''))
      .nullish()
      .transform((c) => c || null),
    vatClass: z.enum(VAT_CLASSES, { message: 'invalid' }),
    animalOrigin: z.boolean().default(false),
    dairy: z.boolean().default(false),
    alcoholPercent: optionalScaledDecimal(1, { min: 0 }),
    organic: z.boolean().default(false),
    heatSensitive: z.boolean().default(false),
    specialFreight: z.boolean().default(false),
    minOrderCases: z.number().int().min(0).max(100000).default(1),
    /** Below the minimum: warn only, or hold the product back from the purchase order. */
    minOrderAction: z.enum(MIN_ORDER_ACTIONS, { message: 'invalid' }).default('warn'),
    availableFrom: isoDate,
    availableUntil: isoDate
  })
  .superRefine((p, ctx) => {
    if (!p.nameEs && !p.nameDe && !p.nameEn) ctx.addIssue({ code: 'custom', message: 'name_missing', path: ['nameEs'] })
    if (p.availableFrom && p.availableUntil && p.availableUntil < p.availableFrom)
      ctx.addIssue({ code: 'custom', message: 'date_order', path: ['availableUntil'] })
    if (p.netQuantity !== null && !p.netUnit) ctx.addIssue({ code: 'custom', message: 'required', path: ['netUnit'] })
    if (p.alcoholPercent !== null && p.alcoholPercent > 1000) ctx.addIssue({ code: 'custom', message: 'invalid', path: ['alcoholPercent'] })
    if (p.stepUnits !== null && p.stepUnits > p.caseUnits) ctx.addIssue({ code: 'custom', message: 'step_case', path: ['stepUnits'] })
  })
export type ProductInput = z.input<typeof productInput>

export interface ProductRow {
  id: string
  supplierId: string
  supplierName: string
  sku: string
  nameEs: string | null
  nameDe: string | null
  nameEn: string | null
  salesUnit: string
  /** Units per case, in thousandths. */
  caseMilli: number
  /** The step buyers order in, in thousandths of the sales unit (1000: whole units). */
  stepMilli: number
  /** The cooperative's price: per sales unit, or per case when `pricePerCase`. */
  priceMinor: number
  pricePerCase: boolean
  currency: string
  vatClass: string
  hsCode: string | null
  archived: boolean
  flags: string[]
}

export interface Product extends ProductRow {
  netQuantityMilli: number | null
  netUnit: string | null
  grossGPerCase: number | null
  volumeCm3PerCase: number | null
  originCountry: string
  animalOrigin: boolean
  dairy: boolean
  /** % vol in tenths (135 = 13.5 %), or null. */
  alcoholPermille: number | null
  organic: boolean
  heatSensitive: boolean
  specialFreight: boolean
  minOrderCases: number
  minOrderAction: MinOrderAction
  /** The solidarity contribution per unit, in minor units of `solidarityCurrency`. */
  solidarityMinor: number
  /** Its currency as stored: null means the product's currency. */
  solidarityCurrency: string | null
  availableFrom: string | null
  availableUntil: string | null
  updatedAt: string
}

const FLAG_COLUMNS = ['animal_origin', 'dairy', 'organic', 'heat_sensitive', 'special_freight'] as const

const SELECT = `t.id, t.supplier_id AS supplierId, s.name AS supplierName, t.sku, t.name_es AS nameEs, t.name_de AS nameDe,
  t.name_en AS nameEn, t.sales_unit AS salesUnit, t.case_milli AS caseMilli, t.step_milli AS stepMilli, t.price_minor AS priceMinor,
  t.price_per_case AS pricePerCase, t.currency,
  t.vat_class AS vatClass, t.hs_code AS hsCode, t.archived_at IS NOT NULL AS archived,
  t.animal_origin, t.dairy, t.organic, t.heat_sensitive, t.special_freight, t.alcohol_permille`

type RawRow = Omit<ProductRow, 'flags' | 'archived'> & { archived: number; alcohol_permille: number | null } & Record<(typeof FLAG_COLUMNS)[number], number>

function flagsOf(r: RawRow): string[] {
  const flags: string[] = FLAG_COLUMNS.filter((c) => r[c] === 1).map((c) => c.replace(/_(\w)/g, (_, x: string) => x.toUpperCase()))
  if (r.alcohol_permille !== null) flags.push('alcohol')
  return flags
}

function toRow(r: RawRow): ProductRow {
  return {
    id: r.id,
    supplierId: r.supplierId,
    supplierName: r.supplierName,
    sku: r.sku,
    nameEs: r.nameEs,
    nameDe: r.nameDe,
    nameEn: r.nameEn,
    salesUnit: r.salesUnit,
    caseMilli: r.caseMilli,
    stepMilli: r.stepMilli,
    priceMinor: r.priceMinor,
    pricePerCase: Boolean(r.pricePerCase),
    currency: r.currency,
    vatClass: r.vatClass,
    hsCode: r.hsCode,
    archived: Boolean(r.archived),
    flags: flagsOf(r)
  }
}

export const productListInput = z.object({ supplierId: z.uuid().optional() })

export function listProducts(ws: Workspace, input: ListInput & { supplierId?: string | undefined }) {
  const page = listRows<RawRow>(
    ws.db,
    {
      from: 'product t JOIN supplier s ON s.id = t.supplier_id',
      select: SELECT,
      search: ['t.sku', 't.name_es', 't.name_de', 't.name_en', 's.name', 's.short_name', 't.hs_code'],
      sorts: {
        sku: 't.sku',
        supplier: 'coalesce(s.short_name, s.name) COLLATE NOCASE',
        name: 'coalesce(t.name_en, t.name_es, t.name_de) COLLATE NOCASE',
        price: 't.price_minor',
        case: 't.case_milli'
      },
      where: input.supplierId ? [{ sql: 't.supplier_id = ?', params: [input.supplierId] }] : []
    },
    input
  )
  return { total: page.total, rows: page.rows.map(toRow) }
}

export function getProduct(ws: Workspace, id: string): Product {
  requireRow(ws.db, 'product', id)
  const r = ws.db
    .prepare(
      `SELECT ${SELECT}, t.net_quantity_milli AS netQuantityMilli, t.net_unit AS netUnit, t.gross_g_per_case AS grossGPerCase,
        t.volume_cm3_per_case AS volumeCm3PerCase, t.origin_country AS originCountry, t.min_order_cases AS minOrderCases, t.min_order_action AS minOrderAction,
        t.solidarity_minor AS solidarityMinor, t.solidarity_currency AS solidarityCurrency, t.available_from AS availableFrom, t.available_until AS availableUntil, t.updated_at AS updatedAt
       FROM product t JOIN supplier s ON s.id = t.supplier_id WHERE t.id = ?`
    )
    .get(id) as RawRow & Omit<Product, keyof ProductRow | 'animalOrigin' | 'dairy' | 'organic' | 'heatSensitive' | 'specialFreight' | 'alcoholPermille'>
  return {
    ...toRow(r),
    netQuantityMilli: r.netQuantityMilli,
    netUnit: r.netUnit,
    grossGPerCase: r.grossGPerCase,
    volumeCm3PerCase: r.volumeCm3PerCase,
    originCountry: r.originCountry,
    animalOrigin: r.animal_origin === 1,
    dairy: r.dairy === 1,
    alcoholPermille: r.alcohol_permille,
    organic: r.organic === 1,
    heatSensitive: r.heat_sensitive === 1,
    specialFreight: r.special_freight === 1,
    minOrderCases: r.minOrderCases,
    minOrderAction: r.minOrderAction,
    solidarityMinor: r.solidarityMinor,
    solidarityCurrency: r.solidarityCurrency,
    availableFrom: r.availableFrom,
    availableUntil: r.availableUntil,
    updatedAt: r.updatedAt
  }
}

/** The product's columns from validated input; throws a field error for a price the currency cannot hold. */
export function productValues(ws: Workspace, input: z.output<typeof productInput>): Values {
  const price = amountMinor(input.price, currencyDigits(ws, input.currency))
  if (!('minor' in price)) throw fieldError('price', price.code, price.params)
  const priceMinor = price.minor
  const solidarityDigits = currencyDigits(ws, input.solidarityCurrency ?? input.currency)
  const solidarity = amountMinor(input.solidarity ?? '0', solidarityDigits)
  if (!('minor' in solidarity)) throw fieldError('solidarity', solidarity.code, solidarity.params)
  // A contribution per unit above a million is a typing slip (the column refuses it too).
  if (solidarity.minor > 100_000_000) throw fieldError('solidarity', 'at_most', { max: 100_000_000 / 10 ** solidarityDigits })
  const solidarityMinor = solidarity.minor
  return {
    supplier_id: input.supplierId,
    sku: input.sku,
    name_es: input.nameEs,
    name_de: input.nameDe,
    name_en: input.nameEn,
    sales_unit: input.salesUnit,
    case_milli: input.caseUnits,
    step_milli: input.stepUnits ?? 1000,
    price_per_case: input.pricePerCase ? 1 : 0,
    net_quantity_milli: input.netQuantity,
    net_unit: input.netUnit,
    gross_g_per_case: input.grossKgPerCase,
    volume_cm3_per_case: input.volumeM3PerCase,
    hs_code: input.hsCode,
    origin_country: input.originCountry,
    price_minor: priceMinor,
    currency: input.currency,
    vat_class: input.vatClass,
    animal_origin: input.animalOrigin ? 1 : 0,
    dairy: input.dairy ? 1 : 0,
    alcohol_permille: input.alcoholPercent,
    organic: input.organic ? 1 : 0,
    heat_sensitive: input.heatSensitive ? 1 : 0,
    special_freight: input.specialFreight ? 1 : 0,
    min_order_cases: input.minOrderCases,
    min_order_action: input.minOrderAction,
    solidarity_minor: solidarityMinor,
    // The product's own currency is kept as "none": the contribution follows the product's currency.
    solidarity_currency: input.solidarityCurrency === input.currency ? null : input.solidarityCurrency,
    available_from: input.availableFrom,
    available_until: input.availableUntil
  }
}

/** Creates or updates a product; the SKU must be unique within its supplier. Call inside a transaction. */
export function saveProduct(ws: Workspace, input: z.output<typeof productInput>): Product {
  requireRow(ws.db, 'supplier', input.supplierId)
  const clash = ws.db
    .prepare('SELECT id FROM product WHERE supplier_id = ? AND sku = ? AND deleted_at IS NULL AND id IS NOT ?')
    .get(input.supplierId, input.sku, input.id ?? null)
  if (clash) throw fieldError('sku', 'duplicate')
  const values = productValues(ws, input)
  let id = input.id
  if (id) {
    requireRow(ws.db, 'product', id)
    // Stored quantities count steps: the step stays while any exist (the database refuses it too).
    const step = ws.db.prepare('SELECT step_milli FROM product WHERE id = ?').pluck().get(id) as number
    if (step !== values.step_milli && productHasQuantities(ws, id)) throw fieldError('stepUnits', 'step_in_use')
    ws.write.update('product', id, values)
  } else {
    id = ws.env.uuid()
    ws.write.insert('product', { id, ...values })
  }
  return getProduct(ws, id)
}

/** Whether any order line, purchase-order line or stock movement counts the product's steps. */
function productHasQuantities(ws: Workspace, id: string): boolean {
  return (
    ws.db
      .prepare(
        `SELECT EXISTS (SELECT 1 FROM order_line WHERE product_id = @id) OR EXISTS (SELECT 1 FROM purchase_order_line WHERE product_id = @id)
           OR EXISTS (SELECT 1 FROM stock_movement WHERE product_id = @id)`
      )
      .pluck()
      .get({ id }) === 1
  )
}

export function deleteProduct(ws: Workspace, id: string): void {
  deleteUnused(ws, 'product', id, ['SELECT count(*) AS n FROM order_line WHERE product_id = ?'])
}
