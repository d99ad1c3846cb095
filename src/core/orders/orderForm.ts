import { AppError } from '../../shared/errors.ts'
import { isLanguage, type Language } from '../../shared/reference.ts'
import type { Workspace } from '../db/workspace.ts'
import { stamp } from '../common/env.ts'
import { getRound, roundPrices } from '../rounds/rounds.ts'
import { currencyDigits } from '../reference/reference.ts'
import { getOrganisation } from '../settings/organisation.ts'
import { fill, formatNumber, formTexts, localName, safeFileName, unitName } from '../common/text.ts'
import { WHOLE_UNIT } from '../../shared/quantity.ts'

/**
 * The order form for one buyer and round: every product the buyer can order (offered, priced, not
 * blocked), grouped by cooperative, with the buyer's current quantities. A plain data object: the XLSX
 * below and the PDF in documents/ both render it.
 */
export interface OrderFormProduct {
  productId: string
  sku: string
  name: string
  salesUnit: string
  /** The unit as printed, with the step when the product is ordered in steps ("kg, in steps of 0.5"). */
  unit: string
  caseMilli: number
  /** The product's step ×1000 of its sales unit; quantity and tolerance count steps. */
  stepMilli: number
  /** The round price per sales unit. */
  priceMinor: number
  quantity: number
  tolerance: number
}

export interface OrderFormData {
  language: Language
  organisation: { name: string; street: string | null; postalCode: string | null; city: string | null; email: string | null; phone: string | null }
  round: { id: string; name: string; closesAt: string; timeZone: string; currency: string; digits: number }
  buyer: {
    id: string
    name: string
    street: string | null
    postalCode: string | null
    city: string | null
    country: string
    /** The buyer whose order the lines go into: the hub for a hub's member, else the buyer. */
    orderBuyerId: string
    hubName: string | null
  }
  groups: { supplierId: string; supplierName: string; products: OrderFormProduct[] }[]
  createdAt: string
}

interface BuyerRecord {
  id: string
  name: string
  street: string | null
  postal_code: string | null
  city: string | null
  country: string
  language: string
  hub_id: string | null
  hub_name: string | null
}

export function orderFormData(ws: Workspace, roundId: string, buyerId: string): OrderFormData {
  const round = getRound(ws, roundId)
  const buyer = ws.db
    .prepare(
      `SELECT b.id, b.name, b.street, b.postal_code, b.city, b.country, b.language, b.hub_id, h.name AS hub_name
       FROM buyer b LEFT JOIN buyer h ON h.id = b.hub_id WHERE b.id = ? AND b.deleted_at IS NULL`
    )
    .get(buyerId) as BuyerRecord | undefined
  if (!buyer) throw new AppError('record.not_found', { id: buyerId })
  const language: Language = isLanguage(buyer.language) ? buyer.language : 'en'
  const orderBuyerId = buyer.hub_id ?? buyer.id
  const subBuyerId = buyer.hub_id ? buyer.id : ''
  const current = new Map<string, { quantity: number; tolerance: number }>()
  const rows = ws.db
    .prepare(
      `SELECT q.product_id AS productId, q.quantity, q.tolerance FROM line_quantity q JOIN buyer_order o ON o.id = q.order_id
       WHERE o.round_id = ? AND o.buyer_id = ? AND o.deleted_at IS NULL AND coalesce(q.sub_buyer_id, '') = ?`
    )
    .all(roundId, orderBuyerId, subBuyerId) as { productId: string; quantity: number; tolerance: number }[]
  for (const r of rows) current.set(r.productId, r)
  const groups: OrderFormData['groups'] = []
  for (const p of roundPrices(ws, roundId)) {
    if (p.blocked || p.priceMinor === null) continue
    let group = groups[groups.length - 1]
    if (!group || group.supplierId !== p.supplierId) {
      group = { supplierId: p.supplierId, supplierName: p.supplierName, products: [] }
      groups.push(group)
    }
    const q = current.get(p.productId)
    group.products.push({
      productId: p.productId,
      sku: p.sku,
      name: localName(p, language),
      salesUnit: p.salesUnit,
      unit:
        p.stepMilli === WHOLE_UNIT
          ? unitName(language, p.salesUnit)
          : fill(formTexts(language).unitStep, { unit: unitName(language, p.salesUnit), step: formatNumber(p.stepMilli / 1000, language) }),
      caseMilli: p.caseMilli,
      stepMilli: p.stepMilli,
      priceMinor: p.priceMinor,
      quantity: q?.quantity ?? 0,
      tolerance: q?.tolerance ?? 0
    })
  }
  const org = getOrganisation(ws)
  return {
    language,
    organisation: { name: org.name, street: org.street, postalCode: org.postalCode, city: org.city, email: org.email, phone: org.phone },
    round: {
      id: round.id,
      name: round.name,
      closesAt: round.closesAt,
      timeZone: round.timeZone,
      currency: round.currency,
      digits: currencyDigits(ws, round.currency)
    },
    buyer: {
      id: buyer.id,
      name: buyer.name,
      street: buyer.street,
      postalCode: buyer.postal_code,
      city: buyer.city,
      country: buyer.country,
      orderBuyerId,
      hubName: buyer.hub_name
    },
    groups,
    createdAt: stamp(ws.env)
  }
}

export function formFileName(data: OrderFormData, ext: 'xlsx' | 'pdf'): string {
  return `${safeFileName(fill(formTexts(data.language).fileName, { round: data.round.name, buyer: data.buyer.name }))}.${ext}`
}

export function addressLine(b: { street: string | null; postalCode: string | null; city: string | null; country?: string }): string {
  const place = [b.postalCode, b.city].filter(Boolean).join(' ')
  return [b.street, place, b.country].filter(Boolean).join(', ')
}
