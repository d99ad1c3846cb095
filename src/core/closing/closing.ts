import { z } from 'zod'
import { AppError } from '../../shared/errors.ts'
import { resources } from '../../shared/i18n/index.ts'
import { stamp } from '../common/env.ts'
import { fill, localName, safeFileName, unitName } from '../common/text.ts'
import { requiredText } from '../common/zod.ts'
import { buyerAllocations } from '../consolidation/changes.ts'
import { shortfalls } from '../distribution/shortfall.ts'
import type { Workspace } from '../db/workspace.ts'
import { sepaCreditTransferXml } from '../payments/pain001.ts'
import { quantitySymbol } from '../purchasing/document.ts'
import { supplierAccounts } from '../purchasing/supplierPayments.ts'
import { currencyDigits, exchangeRateChain } from '../reference/reference.ts'
import { getRound } from '../rounds/rounds.ts'
import { getOrganisation, organisationToday } from '../settings/organisation.ts'
import { getShipment } from '../shipments/shipments.ts'
import type { ClosingFigures, ClosingIssue, ClosingPreview } from './model.ts'

/**
 * Closing a round (issue 12, item 5): what it earned, what goes to each cooperative as solidarity
 * contribution, what stays as reserve (see model.ts for the formulas). Closing keeps the figures as they
 * were computed and locks the round (status 'settled'; triggers refuse changes to its invoices, exporter
 * payments, tick list and shipment costs); reopening is an explicit step with a reason, and both are kept
 * in the append-only `round_closing_event`.
 */

/** n / d rounded half up (away from zero for negative n), for BigInts with d > 0. */
function divHalfUp(n: bigint, d: bigint): number {
  const q = n >= 0n ? (2n * n + d) / (2n * d) : -((2n * -n + d) / (2n * d))
  return Number(q)
}

interface ProductRow {
  id: string
  sku: string
  nameEs: string | null
  nameDe: string | null
  nameEn: string | null
  unit: string
  stepMilli: number
  supplierId: string
  solidarityMinor: number
  solidarityCurrency: string | null
}

/** The round's figures, computed now from what is stored (nothing is written). */
export function computeClosing(ws: Workspace, roundId: string): { figures: ClosingFigures; blockers: ClosingIssue[]; warnings: ClosingIssue[] } {
  const round = getRound(ws, roundId)
  const org = getOrganisation(ws)
  const lang = org.defaultLanguage
  const currency = round.currency
  const digits = currencyDigits(ws, currency)
  const day = organisationToday(ws)
  const blockers: ClosingIssue[] = []
  const warnings: ClosingIssue[] = []
  if (round.status !== 'invoiced' && round.status !== 'received') blockers.push({ code: 'not_invoiced', params: { status: round.status } })

  const products = new Map(
    (
      ws.db
        .prepare(
          `SELECT id, sku, name_es AS nameEs, name_de AS nameDe, name_en AS nameEn, sales_unit AS unit, step_milli AS stepMilli,
             supplier_id AS supplierId, solidarity_minor AS solidarityMinor, solidarity_currency AS solidarityCurrency FROM product`
        )
        .all() as ProductRow[]
    ).map((p) => [p.id, p])
  )
  const unitOf = (p: ProductRow) => quantitySymbol(p.unit) || unitName(lang, p.unit)

  // Issued invoices less issued credit notes: goods per product, pass-through lines, per buyer.
  const lines = ws.db
    .prepare(
      `SELECT i.buyer_id AS buyerId, l.kind, l.product_id AS productId,
         sum(CASE i.kind WHEN 'credit_note' THEN -l.net_minor ELSE l.net_minor END) AS netMinor,
         sum(CASE i.kind WHEN 'credit_note' THEN -l.quantity_milli ELSE l.quantity_milli END) AS quantityMilli
       FROM invoice_line l JOIN invoice i ON i.id = l.invoice_id
       WHERE i.round_id = ? AND i.status = 'issued' AND i.kind IN ('invoice', 'credit_note') AND i.deleted_at IS NULL AND l.deleted_at IS NULL
       GROUP BY i.buyer_id, l.kind, l.product_id`
    )
    .all(roundId) as { buyerId: string; kind: 'goods' | 'shipping' | 'charge' | 'deposit'; productId: string | null; netMinor: number; quantityMilli: number }[]
  const goods = lines.filter((l) => l.kind === 'goods' && l.productId !== null)
  const sumOf = (rows: { netMinor: number }[]) => rows.reduce((a, r) => a + r.netMinor, 0)
  const goodsNetMinor = sumOf(goods)
  const shippingNetMinor = sumOf(lines.filter((l) => l.kind === 'shipping'))
  const chargesNetMinor = sumOf(lines.filter((l) => l.kind === 'charge'))

  // Buyers who received goods but have no issued invoice, and drafts not issued.
  const invoiced = new Set(
    ws.db
      .prepare(
        `SELECT DISTINCT i.buyer_id FROM invoice i WHERE i.round_id = ? AND i.kind = 'invoice' AND i.status = 'issued' AND i.deleted_at IS NULL
           AND NOT EXISTS (SELECT 1 FROM invoice c WHERE c.credits_id = i.id AND c.status = 'issued' AND c.deleted_at IS NULL)`
      )
      .pluck()
      .all(roundId) as string[]
  )
  // What each buyer took home: delivered, less what the tick list found missing or damaged.
  const short = shortfalls(ws, roundId)
  const lost = (lineId: string) => (short.get(lineId)?.missing ?? 0) + (short.get(lineId)?.damaged ?? 0)
  const notInvoiced = buyerAllocations(ws, roundId, 'received')
    .filter((b) => b.lines.some((l) => l.granted - lost(l.lineId) > 0) && !invoiced.has(b.buyerId))
    .map((b) => b.buyerName)
  if (notInvoiced.length) blockers.push({ code: 'drafts', params: { count: notInvoiced.length, buyers: notInvoiced.join(', ') } })

  // Landed cost of every shipment of the round, as stored.
  const shipmentRows = ws.db.prepare('SELECT id, number FROM shipment WHERE round_id = ? AND deleted_at IS NULL ORDER BY number').all(roundId) as { id: string; number: string }[]
  const landedOf = ws.db.prepare(
    `SELECT coalesce(sum(lc.landed_minor), 0) AS landedMinor, coalesce(sum(lc.goods_minor), 0) AS goodsMinor, count(*) AS n
     FROM landed_cost_line lc WHERE lc.shipment_id = ? AND lc.deleted_at IS NULL`
  )
  const shipments: ClosingFigures['shipments'] = []
  const withoutLanded: string[] = []
  for (const s of shipmentRows) {
    const r = landedOf.get(s.id) as { landedMinor: number; goodsMinor: number; n: number }
    if (r.n === 0) withoutLanded.push(s.number)
    shipments.push({ number: s.number, landedMinor: r.landedMinor, goodsMinor: r.goodsMinor })
  }
  if (withoutLanded.length) blockers.push({ code: 'no_landed', params: { count: withoutLanded.length, shipments: withoutLanded.join(', ') } })
  const landedMinor = shipments.reduce((a, s) => a + s.landedMinor, 0)

  // Per product: landed cost and quantity received (for the stock's value per unit); per purchase-order
  // line: the goods at the customs rate and in the order's currency (for the exchange difference).
  const landedLines = ws.db
    .prepare(
      `SELECT pol.product_id AS productId, pol.purchase_order_id AS purchaseOrderId, lc.shipment_id AS shipmentId, lc.shipment_line_id AS shipmentLineId,
         lc.landed_minor AS landedMinor, lc.goods_minor AS goodsMinor, sl.quantity_milli AS quantityMilli
       FROM landed_cost_line lc JOIN shipment_line sl ON sl.id = lc.shipment_line_id JOIN purchase_order_line pol ON pol.id = sl.purchase_order_line_id
       JOIN shipment s ON s.id = lc.shipment_id
       WHERE s.round_id = ? AND s.deleted_at IS NULL AND lc.deleted_at IS NULL`
    )
    .all(roundId) as { productId: string; purchaseOrderId: string; shipmentId: string; shipmentLineId: string; landedMinor: number; goodsMinor: number; quantityMilli: number }[]
  const perProduct = new Map<string, { landed: bigint; milli: bigint }>()
  for (const l of landedLines) {
    const p = perProduct.get(l.productId) ?? { landed: 0n, milli: 0n }
    p.landed += BigInt(l.landedMinor)
    p.milli += BigInt(l.quantityMilli)
    perProduct.set(l.productId, p)
  }
  const sourceValue = new Map<string, number>()
  for (const id of new Set(landedLines.map((l) => l.shipmentId))) for (const sl of getShipment(ws, id).lines) sourceValue.set(sl.id, sl.valueMinor)

  // Solidarity contributions: per unit in the product's currency, converted at the round's rate day.
  const rateDay = round.rateDate ?? day
  // One rate and one digit count per currency (a round's products share a handful).
  const rates = new Map<string, { rateE8: bigint; digits: number }>()
  const rateOf = (from: string) => {
    let r = rates.get(from)
    if (!r) {
      const chain = exchangeRateChain(ws, from, currency, rateDay)
      if (!chain) throw new AppError('exchange.no_rate', { from, to: currency, date: rateDay })
      rates.set(from, (r = { rateE8: chain.rateE8, digits: currencyDigits(ws, from) }))
    }
    return r
  }
  const contribution = (p: ProductRow, quantityMilli: number): number => {
    if (p.solidarityMinor === 0 || quantityMilli === 0) return 0
    const rate = rateOf(p.solidarityCurrency ?? currency)
    const num = BigInt(p.solidarityMinor) * BigInt(quantityMilli) * rate.rateE8 * 10n ** BigInt(digits)
    const den = 1000n * 100_000_000n * 10n ** BigInt(rate.digits)
    return divHalfUp(num, den)
  }

  // Stock kept from the round, at landed cost per unit.
  const stockRows = ws.db
    .prepare('SELECT product_id AS productId, sum(units) AS units FROM stock_movement WHERE round_id = ? GROUP BY product_id HAVING sum(units) <> 0')
    .all(roundId) as { productId: string; units: number }[]
  const stock: ClosingFigures['stock'] = []
  const stockBySupplier = new Map<string, number>()
  for (const s of stockRows) {
    const p = products.get(s.productId)!
    const quantityMilli = s.units * p.stepMilli
    const cost = perProduct.get(p.id)
    const valueMinor = cost && cost.milli > 0n ? divHalfUp(BigInt(quantityMilli) * cost.landed, cost.milli) : 0
    const c = contribution(p, quantityMilli)
    stockBySupplier.set(p.supplierId, (stockBySupplier.get(p.supplierId) ?? 0) + c)
    stock.push({ sku: p.sku, name: localName(p, lang), quantityMilli, unit: unitOf(p), valueMinor, contributionMinor: c })
  }
  stock.sort((a, b) => a.sku.localeCompare(b.sku))
  const stockValueMinor = stock.reduce((a, s) => a + s.valueMinor, 0)

  // Exchange differences per purchase order: its payments valued at the rate its goods were landed at.
  const exchange: ClosingFigures['exchange'] = []
  const unpaid: string[] = []
  for (const a of supplierAccounts(ws, roundId)) {
    if (a.openMinor > 0) unpaid.push(a.number)
    if (a.paidMinor === 0) continue
    const own = landedLines.filter((l) => l.purchaseOrderId === a.purchaseOrderId)
    const goodsBase = own.reduce((x, l) => x + l.goodsMinor, 0)
    const goodsSource = own.reduce((x, l) => x + (sourceValue.get(l.shipmentLineId) ?? 0), 0)
    const bookValueMinor = goodsSource > 0 ? divHalfUp(BigInt(a.paidMinor) * BigInt(goodsBase), BigInt(goodsSource)) : a.paidBaseMinor
    exchange.push({
      purchaseOrderNumber: a.number,
      supplierName: a.supplierName,
      currency: a.currency,
      paidMinor: a.paidMinor,
      paidDigits: a.digits,
      paidBaseMinor: a.paidBaseMinor,
      bookValueMinor,
      differenceMinor: bookValueMinor - a.paidBaseMinor
    })
  }
  if (unpaid.length) blockers.push({ code: 'unpaid_orders', params: { count: unpaid.length, orders: unpaid.join(', ') } })
  const exchangeDifferenceMinor = exchange.reduce((a, e) => a + e.differenceMinor, 0)
  const resultMinor = goodsNetMinor + stockValueMinor - landedMinor + exchangeDifferenceMinor

  // Per cooperative: goods invoiced and contributions on the units delivered.
  const suppliers = new Map(
    (
      ws.db.prepare('SELECT id, name, short_name AS shortName, iban, bic, cbu, bank_name AS bankName FROM supplier').all() as {
        id: string
        name: string
        shortName: string | null
        iban: string | null
        bic: string | null
        cbu: string | null
        bankName: string | null
      }[]
    ).map((s) => [s.id, s])
  )
  const delivered = new Map<string, { netMinor: number; quantityMilli: number }>()
  for (const g of goods) {
    const d = delivered.get(g.productId!) ?? { netMinor: 0, quantityMilli: 0 }
    d.netMinor += g.netMinor
    d.quantityMilli += g.quantityMilli
    delivered.set(g.productId!, d)
  }
  const coops = new Map<string, ClosingFigures['cooperatives'][number]>()
  const coop = (supplierId: string) => {
    let c = coops.get(supplierId)
    if (!c) {
      const s = suppliers.get(supplierId)!
      c = {
        supplierId,
        name: s.shortName || s.name,
        goodsNetMinor: 0,
        contributionMinor: 0,
        stockContributionMinor: stockBySupplier.get(supplierId) ?? 0,
        products: [],
        bank: { iban: s.iban, bic: s.bic, cbu: s.cbu, bankName: s.bankName }
      }
      coops.set(supplierId, c)
    }
    return c
  }
  for (const [productId, d] of delivered) {
    const p = products.get(productId)!
    const c = coop(p.supplierId)
    c.goodsNetMinor += d.netMinor
    const amount = contribution(p, d.quantityMilli)
    c.contributionMinor += amount
    if (p.solidarityMinor > 0 && d.quantityMilli !== 0)
      c.products.push({
        sku: p.sku,
        name: localName(p, lang),
        deliveredMilli: d.quantityMilli,
        unit: unitOf(p),
        perUnitMinor: p.solidarityMinor,
        perUnitCurrency: p.solidarityCurrency ?? currency,
        contributionMinor: amount
      })
  }
  for (const supplierId of stockBySupplier.keys()) coop(supplierId)
  const cooperatives = [...coops.values()]
    .map((c) => ({ ...c, products: c.products.sort((a, b) => a.sku.localeCompare(b.sku)) }))
    .sort((a, b) => b.goodsNetMinor - a.goodsNetMinor || a.name.localeCompare(b.name))
  const contributionsMinor = cooperatives.reduce((a, c) => a + c.contributionMinor, 0)
  const stockContributionsMinor = cooperatives.reduce((a, c) => a + c.stockContributionMinor, 0)
  const reserveMinor = resultMinor - contributionsMinor
  if (reserveMinor < 0) warnings.push({ code: 'negative_reserve', params: { reserve: reserveMinor } })

  // Per group: invoiced (less credit notes), received on the round's documents, refunds paid out.
  const groups = (
    ws.db
      .prepare(
        `SELECT b.id AS buyerId, b.name,
           coalesce((SELECT sum(CASE i.kind WHEN 'credit_note' THEN -i.gross_minor ELSE i.gross_minor END) FROM invoice i
             WHERE i.round_id = ? AND i.buyer_id = b.id AND i.status = 'issued' AND i.kind IN ('invoice', 'credit_note') AND i.deleted_at IS NULL), 0) AS grossMinor,
           coalesce((SELECT sum(a.amount_minor) FROM payment_allocation a JOIN invoice i ON i.id = a.invoice_id
             WHERE i.round_id = ? AND i.buyer_id = b.id AND a.deleted_at IS NULL AND i.deleted_at IS NULL), 0) AS receivedMinor,
           coalesce((SELECT sum(p.amount_minor) FROM payment p WHERE p.buyer_id = b.id AND p.direction = 'out' AND p.deleted_at IS NULL), 0) AS paidOutMinor
         FROM buyer b WHERE EXISTS (SELECT 1 FROM invoice i WHERE i.round_id = ? AND i.buyer_id = b.id AND i.status = 'issued' AND i.deleted_at IS NULL)
         ORDER BY b.name COLLATE NOCASE`
      )
      .all(roundId, roundId, roundId) as { buyerId: string; name: string; grossMinor: number; receivedMinor: number; paidOutMinor: number }[]
  ).map((g) => {
    // Received: what settled the round's documents (money beyond them is the group's credit, and a
    // refund pays that out: shown beside, as paid out to the group).
    const goodsNet = goods.filter((l) => l.buyerId === g.buyerId).reduce((a, l) => a + l.netMinor, 0)
    return { buyerId: g.buyerId, name: g.name, goodsNetMinor: goodsNet, grossMinor: g.grossMinor, receivedMinor: g.receivedMinor, openMinor: g.grossMinor - g.receivedMinor, refunded: g.paidOutMinor }
  })
  const open = groups.filter((g) => g.openMinor !== 0)
  if (open.length) warnings.push({ code: 'open_balances', params: { count: open.length, buyers: open.map((g) => g.name).join(', ') } })

  const figures: ClosingFigures = {
    roundId,
    roundName: round.name,
    currency,
    digits,
    language: lang,
    organisation: org.name,
    day,
    closedAt: null,
    goodsNetMinor,
    shippingNetMinor,
    chargesNetMinor,
    stock,
    stockValueMinor,
    shipments,
    landedMinor,
    exchange,
    exchangeDifferenceMinor,
    resultMinor,
    cooperatives,
    contributionsMinor,
    stockContributionsMinor,
    reserveMinor,
    groups: groups.map(({ refunded: _r, ...g }) => g),
    invoicedGrossMinor: groups.reduce((a, g) => a + g.grossMinor, 0),
    receivedMinor: groups.reduce((a, g) => a + g.receivedMinor, 0),
    refundedMinor: groups.reduce((a, g) => a + g.refunded, 0)
  }
  return { figures, blockers, warnings }
}

function events(ws: Workspace, roundId: string): ClosingPreview['events'] {
  return ws.db
    .prepare('SELECT action, reason, created_at AS at FROM round_closing_event WHERE round_id = ? ORDER BY created_at DESC, rowid DESC')
    .all(roundId) as ClosingPreview['events']
}

function storedClosing(ws: Workspace, roundId: string): { id: string; figures: ClosingFigures } | null {
  const row = ws.db.prepare('SELECT id, figures FROM round_closing WHERE round_id = ? AND deleted_at IS NULL').get(roundId) as { id: string; figures: string } | undefined
  return row ? { id: row.id, figures: JSON.parse(row.figures) as ClosingFigures } : null
}

/** The round's closing: as kept when it was closed, else computed now with what still stands in the way. */
export function closingPreview(ws: Workspace, roundId: string): ClosingPreview {
  const round = getRound(ws, roundId)
  const stored = round.status === 'settled' ? storedClosing(ws, roundId) : null
  if (stored) return { figures: stored.figures, blockers: [], warnings: [], status: 'closed', events: events(ws, roundId) }
  return { ...computeClosing(ws, roundId), status: 'open', events: events(ws, roundId) }
}

export const closeInput = z.object({
  roundId: z.uuid(),
  /** The coordinator has seen the warnings (open balances, a negative reserve) and closes anyway. */
  accept: z.boolean().default(false)
})

/**
 * Closes the round: refused while anything stands in the way (translated, naming it; nothing written),
 * and while warnings are not accepted. Keeps the figures, records the close, locks the round.
 */
export function closeRound(ws: Workspace, input: z.output<typeof closeInput>): ClosingPreview {
  const round = getRound(ws, input.roundId)
  if (round.status === 'settled') throw new AppError('closing.already_closed', { round: round.name })
  const { figures, blockers, warnings } = computeClosing(ws, input.roundId)
  const first = blockers[0]
  if (first) throw new AppError(`closing.${first.code}`, first.params)
  if (warnings.length && !input.accept) throw new AppError('closing.confirm', { count: warnings.length })
  const now = stamp(ws.env)
  const closed: ClosingFigures = { ...figures, closedAt: now }
  ws.write.insert('round_closing', {
    id: ws.env.uuid(),
    round_id: input.roundId,
    currency: figures.currency,
    result_minor: figures.resultMinor,
    contributions_minor: figures.contributionsMinor,
    reserve_minor: figures.reserveMinor,
    figures: JSON.stringify(closed),
    closed_on: figures.day
  })
  ws.write.append('round_closing_event', { id: ws.env.uuid(), round_id: input.roundId, action: 'close', reason: null, device_id: ws.deviceId, created_at: now })
  ws.write.update('round', input.roundId, { status: 'settled' })
  return closingPreview(ws, input.roundId)
}

export const reopenInput = z.object({ roundId: z.uuid(), reason: requiredText(500) })

/** Reopens a closed round, with the reason kept in its record; the kept figures are set aside. */
export function reopenRound(ws: Workspace, input: z.output<typeof reopenInput>): ClosingPreview {
  const round = getRound(ws, input.roundId)
  if (round.status !== 'settled') throw new AppError('closing.not_closed', { round: round.name })
  // Unlocked first: the triggers refuse nothing of the round from here on.
  ws.write.update('round', input.roundId, { status: 'invoiced' })
  const stored = storedClosing(ws, input.roundId)
  if (stored) ws.write.tombstone('round_closing', stored.id)
  ws.write.append('round_closing_event', { id: ws.env.uuid(), round_id: input.roundId, action: 'reopen', reason: input.reason, device_id: ws.deviceId, created_at: stamp(ws.env) })
  return closingPreview(ws, input.roundId)
}

export const contributionsFileInput = z.object({ roundId: z.uuid(), executionDate: z.string().pipe(z.iso.date({ message: 'date' })) })

/**
 * The solidarity contributions of a closed round as a SEPA credit transfer file (pain.001) for the banking
 * app: one transfer per cooperative with a contribution due and an IBAN; the others (a CBU only, or no
 * bank details) are paid by hand and named in the result. Texts in the organisation's language.
 */
export function contributionsFile(ws: Workspace, input: z.output<typeof contributionsFileInput>): { fileName: string; xml: string; count: number; byHand: string[] } {
  const preview = closingPreview(ws, input.roundId)
  const f = preview.figures
  if (preview.status !== 'closed') throw new AppError('closing.not_closed', { round: f.roundName })
  const org = getOrganisation(ws)
  if (!org.iban) throw new AppError('payments.no_iban')
  const due = f.cooperatives.filter((c) => c.contributionMinor > 0)
  const withIban = due.filter((c) => c.bank.iban)
  if (withIban.length === 0) throw new AppError('closing.no_transfers', { round: f.roundName })
  const text = resources[f.language].translation.paymentTexts
  const now = stamp(ws.env)
  const xml = sepaCreditTransferXml({
    messageId: `PUENTE-SOLI-${now.replace(/\D/g, '').slice(0, 14)}`,
    createdAt: now,
    executionDate: input.executionDate,
    debtor: { name: org.name, iban: org.iban, bic: org.bic },
    transfers: withIban.map((c) => ({
      endToEndId: `PUENTE-SOLI-${c.supplierId.replace(/-/g, '').slice(-12).toUpperCase()}`,
      amountMinor: c.contributionMinor,
      currency: f.currency,
      creditorName: c.name,
      creditorIban: c.bank.iban!,
      creditorBic: c.bank.bic,
      remittance: fill(text.contributionRemittance, { round: f.roundName, organisation: org.name })
    }))
  })
  return {
    fileName: `${safeFileName(fill(text.contributionsFileName, { round: f.roundName, day: input.executionDate }))}.xml`,
    xml,
    count: withIban.length,
    byHand: due.filter((c) => !c.bank.iban).map((c) => c.name)
  }
}
