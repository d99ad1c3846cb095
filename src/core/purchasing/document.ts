import { resources } from '../../shared/i18n/index.ts'
import { AppError } from '../../shared/errors.ts'
import type { Language } from '../../shared/reference.ts'
import type { PurchaseOrderStatus } from '../../shared/vocabulary.ts'
import type { Workspace } from '../db/workspace.ts'
import { getOrganisation } from '../settings/organisation.ts'
import { fill, safeFileName } from '../common/text.ts'
import { formatAmount, formatDay, formatMoneyCode, formatScaledUnit, formatShare, isoDigits, SUPPLIER_LOCALES } from '../documents/format.ts'
import { exchangeRateChain } from '../reference/reference.ts'
import { largestRemainder, quantityAmountMinor } from '../common/money.ts'
import { SHIPPED_SQL } from './purchaseOrders.ts'

export interface PurchaseOrderDocument {
  number: string
  status: PurchaseOrderStatus
  language: Language
  issuedOn: string
  roundName: string
  currency: string
  incoterm: string
  incotermPlace: string | null
  shipDate: string | null
  notes: string | null
  organisation: ReturnType<typeof getOrganisation>
  supplier: {
    name: string
    cuit: string | null
    street: string | null
    postalCode: string | null
    city: string | null
    province: string | null
    country: string
    email: string | null
    /** The cooperatives this order covers when it goes to an exporter of record. */
    cooperatives: string[]
  }
  lines: {
    productId: string
    sku: string
    description: string
    cooperative: string
    caseMilli: number
    cases: number
    /** The steps ordered (whole units unless the product is ordered in smaller steps); confirmed, received and broken count them too. */
    units: number
    /** The product's step ×1000 of its sales unit. */
    stepMilli: number
    /** The product's sales unit (piece, bag, kg, m2, l…). */
    salesUnit: string
    /** The exact quantity ×1000 in the sales unit (6 cases of 1,44 m² = 8640); the amount is this × the price. */
    quantityMilli: number
    unitPriceMinor: number
    /** The quantity ×1000 the unit price is for: 1000 (one sales unit), or the case size when the cooperative bills per case. */
    pricePerMilli: number
    /** quantityMilli × unitPriceMinor / pricePerMilli, rounded half up to the minor unit. */
    totalMinor: number
    confirmedUnits: number | null
    receivedUnits: number | null
    brokenUnits: number
    /** A line converted from the cooperative's currency: its price there; null when priced in the order's. */
    sourceCurrency?: string | null
    sourcePriceMinor?: number | null
  }[]
  /**
   * The gross weight and volume are sums over the lines that know them; `grossMissing` and
   * `volumeMissing` count the products that do not (then the sum is a lower bound, or unknown when all miss).
   */
  /**
   * `units` sums the lines counted in whole units; `measuredLines` counts the lines in kg, m² or litres
   * (or not in whole units), whose quantities do not add up with the others (then no sum of units is shown).
   */
  totals: {
    valueMinor: number
    grossG: number
    volumeCm3: number
    grossMissing?: number
    volumeMissing?: number
    measuresMissing?: number
    cases: number
    units: number
    measuredLines?: number
  }
  /** Every rate lines were converted at (one per source currency and rate), with the chain it took. */
  rates?: { from: string; to: string; rateE8: number; validOn: string; via: string | null; legs: { from: string; to: string; rateE8: number; validOn: string; source: string | null }[] }[]
  /**
   * What shipments carry of the order, valued at its prices, and the payment terms split over that value:
   * what the cooperative invoices and what is due to it follow the quantities actually shipped. Null while
   * nothing is shipped.
   */
  shipped: { valueMinor: number; payments: { label: string; shareBp: number; amountMinor: number; dueDate: string | null }[] } | null
  payments: { label: string; shareBp: number; amountMinor: number; dueDate: string | null }[]
}

/** Everything a purchase order document shows, as plain data (the PDF and XLSX renderers take this). */
export function purchaseOrderDocument(ws: Workspace, id: string): PurchaseOrderDocument {
  const po = ws.db
    .prepare(
      `SELECT po.number, po.status, po.language, po.currency, po.incoterm, po.incoterm_place AS incotermPlace, po.ship_date AS shipDate,
        po.notes, po.created_at AS createdAt, r.rate_date AS rateDate, r.name AS roundName, s.name, s.cuit, s.street, s.postal_code AS postalCode, s.city,
        s.province, s.country, s.id AS supplierId
       FROM purchase_order po JOIN round r ON r.id = po.round_id JOIN supplier s ON s.id = po.supplier_id
       WHERE po.id = ? AND po.deleted_at IS NULL`
    )
    .get(id) as
    | (Omit<PurchaseOrderDocument, 'organisation' | 'supplier' | 'lines' | 'totals' | 'payments' | 'issuedOn'> & {
        createdAt: string
        rateDate: string | null
        name: string
        cuit: string | null
        street: string | null
        postalCode: string | null
        city: string | null
        province: string | null
        country: string
        supplierId: string
      })
    | undefined
  if (!po) throw new AppError('record.not_found', { id })
  const email = ws.db
    .prepare('SELECT email FROM contact WHERE supplier_id = ? AND deleted_at IS NULL AND email IS NOT NULL ORDER BY position LIMIT 1')
    .get(po.supplierId) as { email: string } | undefined
  const nameColumn = po.language === 'de' ? 'name_de' : po.language === 'en' ? 'name_en' : 'name_es'
  const lines = ws.db
    .prepare(
      `SELECT p.id AS productId, p.sku, coalesce(p.${nameColumn}, p.name_es, p.name_en, p.name_de) AS description, c.name AS cooperative,
        l.confirmed_units AS confirmedUnits, l.received_units AS receivedUnits, l.broken_units AS brokenUnits,
        p.case_milli AS caseMilli, l.cases, l.units, p.step_milli AS stepMilli, p.sales_unit AS salesUnit, coalesce(l.quantity_milli, l.units * 1000) AS quantityMilli,
        l.unit_price_minor AS unitPriceMinor, coalesce(l.price_per_milli, 1000) AS pricePerMilli,
        p.gross_g_per_case AS grossG, p.volume_cm3_per_case AS volumeCm3, l.source_currency AS sourceCurrency,
        l.source_price_minor AS sourcePriceMinor, l.rate_e8 AS rateE8, l.rate_on AS rateOn, l.rate_via AS rateVia
       FROM purchase_order_line l JOIN product p ON p.id = l.product_id JOIN supplier c ON c.id = p.supplier_id
       WHERE l.purchase_order_id = ? AND l.deleted_at IS NULL ORDER BY c.name COLLATE NOCASE, p.sku`
    )
    .all(id)
    .map((l) => {
      const row = l as Omit<PurchaseOrderDocument['lines'][number], 'totalMinor'>
      return { ...row, totalMinor: quantityAmountMinor(row.quantityMilli, row.unitPriceMinor, row.pricePerMilli) }
    }) as (PurchaseOrderDocument['lines'][number] & {
    grossG: number | null
    volumeCm3: number | null
    rateE8: number | null
    rateOn: string | null
    rateVia: string | null
  })[]
  // The rates used, once each; their legs (with sources) as the rate table gives them for that day.
  const rates: NonNullable<PurchaseOrderDocument['rates']> = []
  for (const l of lines) {
    if (!l.sourceCurrency || l.rateE8 === null || !l.rateOn) continue
    if (rates.some((r) => r.from === l.sourceCurrency && r.rateE8 === l.rateE8 && r.validOn === l.rateOn)) continue
    // The legs as the rate table gives them on the day the order looked the rate up (the round's rate
    // date, else the day the order was made); when they no longer give the stored rate, none are named.
    const chain = exchangeRateChain(ws, l.sourceCurrency, po.currency, po.rateDate ?? po.createdAt.slice(0, 10))
    const legs =
      chain && Number(chain.rateE8) === l.rateE8 && chain.via === l.rateVia
        ? chain.legs.map((x) => ({ from: x.from, to: x.to, rateE8: Number(x.rateE8), validOn: x.validOn, source: x.source }))
        : []
    rates.push({ from: l.sourceCurrency, to: po.currency, rateE8: l.rateE8, validOn: l.rateOn, via: l.rateVia, legs })
  }
  const payments = ws.db
    .prepare('SELECT label, share_bp AS shareBp, amount_minor AS amountMinor, due_date AS dueDate FROM payment_due WHERE purchase_order_id = ? AND deleted_at IS NULL ORDER BY position')
    .all(id) as PurchaseOrderDocument['payments']
  const shippedValue = ws.db.prepare(`SELECT (${SHIPPED_SQL}) FROM purchase_order po WHERE po.id = ?`).pluck().get(id) as number | null
  const shares = payments.length ? largestRemainder(shippedValue ?? 0, payments.map((p) => p.shareBp)) : []
  return {
    number: po.number,
    status: po.status,
    language: po.language,
    issuedOn: po.createdAt.slice(0, 10),
    roundName: po.roundName,
    currency: po.currency,
    incoterm: po.incoterm,
    incotermPlace: po.incotermPlace,
    shipDate: po.shipDate,
    notes: po.notes,
    organisation: getOrganisation(ws),
    supplier: {
      name: po.name,
      cuit: po.cuit,
      street: po.street,
      postalCode: po.postalCode,
      city: po.city,
      province: po.province,
      country: po.country,
      email: email?.email ?? null,
      cooperatives: [...new Set(lines.map((l) => l.cooperative))].filter((c) => c !== po.name)
    },
    lines: lines.map(({ grossG: _g, volumeCm3: _v, rateE8: _r, rateOn: _o, rateVia: _w, ...l }) => l),
    totals: {
      valueMinor: lines.reduce((a, l) => a + l.totalMinor, 0),
      grossG: lines.reduce((a, l) => a + l.cases * (l.grossG ?? 0), 0),
      volumeCm3: lines.reduce((a, l) => a + l.cases * (l.volumeCm3 ?? 0), 0),
      grossMissing: lines.filter((l) => l.grossG === null).length,
      volumeMissing: lines.filter((l) => l.volumeCm3 === null).length,
      measuresMissing: lines.filter((l) => l.grossG === null || l.volumeCm3 === null).length,
      cases: lines.reduce((a, l) => a + l.cases, 0),
      units: lines.filter((l) => !isMeasured(l)).reduce((a, l) => a + l.quantityMilli / 1000, 0),
      measuredLines: lines.filter(isMeasured).length
    },
    payments,
    shipped: shippedValue === null ? null : { valueMinor: shippedValue, payments: payments.map((p, i) => ({ ...p, amountMinor: shares[i]! })) },
    rates
  }
}

/** Sales units measured rather than counted, with the symbol documents write after the quantity. */
const MEASURE_SYMBOLS: Record<string, string> = { kg: 'kg', m2: 'm²', l: 'l' }

/** A line ordered by area, weight or volume, or (any unit) not in whole units: its quantity shows with decimals and its unit. */
export function isMeasured(l: Pick<PurchaseOrderDocument['lines'][number], 'salesUnit' | 'quantityMilli'>): boolean {
  return l.salesUnit in MEASURE_SYMBOLS || l.quantityMilli % 1000 !== 0
}

/** The decimals a quantity ×1000 needs: 8640 → 2 (8,64), 12500 → 1 (12,5), 24000 → 0. */
export function quantityDecimals(quantityMilli: number): number {
  return quantityMilli % 1000 === 0 ? 0 : quantityMilli % 100 === 0 ? 1 : quantityMilli % 10 === 0 ? 2 : 3
}

/** The symbol a measured line's quantity is written with (kg, m², l); empty for counted units. */
export function quantitySymbol(salesUnit: string): string {
  return MEASURE_SYMBOLS[salesUnit] ?? ''
}

/** What the PDF and the XLSX of a purchase order share: texts in the order's language, the file name. */
export function purchaseOrderTexts(language: PurchaseOrderDocument['language']) {
  return resources[language].translation.purchaseOrder
}

export function purchaseOrderFileName(data: PurchaseOrderDocument, ext: 'pdf' | 'xlsx'): string {
  return `${safeFileName(fill(purchaseOrderTexts(data.language).fileName, { number: data.number, supplier: data.supplier.name }))}.${ext}`
}

/**
 * A line's description as the order prints it, with what the reader needs to check its price: the
 * cooperative's own price for a converted line, and "price per case of 1,44 m²" for one billed per case.
 */
export function lineDescription(l: PurchaseOrderDocument['lines'][number], language: PurchaseOrderDocument['language']): string {
  const t = purchaseOrderTexts(language)
  const locale = SUPPLIER_LOCALES[language]
  const notes: string[] = []
  if (l.sourceCurrency && l.sourcePriceMinor != null)
    notes.push(fill(t.sourcePrice, { price: formatMoneyCode(l.sourcePriceMinor, isoDigits(l.sourceCurrency), l.sourceCurrency, locale) }))
  if (l.pricePerMilli !== 1000)
    notes.push(fill(t.pricePerCase, { size: `${formatScaledUnit(l.pricePerMilli, 3, 3, locale)} ${quantitySymbol(l.salesUnit) || ((resources[language].translation.units as Record<string, string>)[l.salesUnit] ?? l.salesUnit)}`.trim() }))
  return notes.length ? `${l.description} (${notes.join('; ')})` : l.description
}

/** The payment terms as sentences: "60 % antes del embarque: USD 48,60, vence el 15 de abril de 2026". */
export function paymentLines(data: PurchaseOrderDocument, digits: number): string[] {
  const t = purchaseOrderTexts(data.language)
  const locale = SUPPLIER_LOCALES[data.language]
  return data.payments.map((p) => {
    const params = {
      share: formatShare(p.shareBp, locale),
      label: (t.paymentLabels as Record<string, string>)[p.label] ?? p.label,
      amount: formatMoneyCode(p.amountMinor, digits, data.currency, locale),
      date: p.dueDate ? formatDay(p.dueDate, locale) : ''
    }
    return fill(p.dueDate ? t.paymentDue : t.payment, params)
  })
}

/** A rate as the order prints it: "1 ARS = 0,00082 USD (BNA, 1 de diciembre de 2026)". */
function rateSentence(from: string, to: string, rateE8: number, validOn: string, source: string | null, locale: string): string {
  const digits = 8
  const text = formatAmount(rateE8, digits, locale).replace(/0+$/, '').replace(/[.,]$/, '')
  const when = formatDay(validOn, locale)
  return `1 ${from} = ${text} ${to} (${source ? `${source}, ${when}` : when})`
}

/**
 * The rates lines were converted at, one sentence each, with the chain when one was taken:
 * "1 ARS = 0,00075440 EUR (ARS → USD → EUR: 1 ARS = 0,00082 USD (BNA, …); 1 USD = 0,92 EUR (BCE, …))".
 */
export function rateLines(data: PurchaseOrderDocument): string[] {
  const t = purchaseOrderTexts(data.language)
  const locale = SUPPLIER_LOCALES[data.language]
  return (data.rates ?? []).map((r) => {
    const source = r.legs.length === 1 ? r.legs[0]!.source : null
    const head = rateSentence(r.from, r.to, r.rateE8, r.validOn, source, locale)
    if (!r.via) return head
    const legs = r.legs.map((l) => rateSentence(l.from, l.to, l.rateE8, l.validOn, l.source, locale)).join('; ')
    const chain = `${r.from} → ${r.via} → ${r.to}`
    return legs ? fill(t.rateChained, { rate: head, chain, legs }) : fill(t.rateVia, { rate: head, chain })
  })
}

/** Gross weight or volume as the order prints it: the sum, "at least …" with the products missing it, or "—". */
export function measureText(data: PurchaseOrderDocument, what: 'gross' | 'volume'): string {
  const t = purchaseOrderTexts(data.language)
  const locale = SUPPLIER_LOCALES[data.language]
  const missing = (what === 'gross' ? data.totals.grossMissing : data.totals.volumeMissing) ?? 0
  if (data.lines.length === 0 || missing === data.lines.length) return '—'
  const value = what === 'gross' ? `${formatScaledUnit(data.totals.grossG, 3, 3, locale)} kg` : `${formatScaledUnit(data.totals.volumeCm3, 6, 3, locale)} m³`
  if (missing === 0) return value
  return fill(what === 'gross' ? t.atLeastWeight : t.atLeastVolume, { value, count: String(missing) })
}

/** The warning an order prints when products lack their weight or volume; null when none do. */
export function measureWarning(data: PurchaseOrderDocument): string | null {
  const t = purchaseOrderTexts(data.language)
  // Products missing the weight, the volume or both, each counted once.
  const n = data.totals.measuresMissing ?? Math.max(data.totals.grossMissing ?? 0, data.totals.volumeMissing ?? 0)
  return n > 0 ? fill(t.measuresMissing, { count: String(n) }) : null
}
