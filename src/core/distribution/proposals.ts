import { z } from 'zod'
import { AppError } from '../../shared/errors.ts'
import { resources } from '../../shared/i18n/index.ts'
import type { Language } from '../../shared/reference.ts'
import { quantityAmountMinor } from '../common/money.ts'
import { fill, LOCALES, localName, unitName } from '../common/text.ts'
import { buyerAllocations } from '../consolidation/changes.ts'
import type { Workspace } from '../db/workspace.ts'
import { formatScaledUnit } from '../documents/format.ts'
import { creditInvoice, type InvoiceRow, type Printer } from '../invoices/invoices.ts'
import type { InvoiceDocument } from '../invoices/model.ts'
import { vatOf } from '../invoices/vat.ts'
import { assertRoundNotClosed } from '../rounds/rounds.ts'
import { quantitySymbol } from '../purchasing/document.ts'
import { shortfalls } from './shortfall.ts'

/**
 * Proposed credit notes (issue 12, item 4): units the tick list found missing or damaged that a buyer's
 * issued final invoice still charges. Per product, the units to credit are the shortfall, capped at what
 * the invoice charges beyond what was handed over intact (so a proposal is gone once an invoice leaves
 * them out: a draft made after distribution day, or the new draft after the credit). Each is valued at the
 * invoice's unit price and VAT rate; the VAT credited at a rate is the invoice's VAT at that rate less
 * the VAT on what remains of its net there (rounded half up, as the invoice rounds it), so the figures
 * are what the buyer's bill comes down by.
 *
 * Accepting a proposal credits the invoice in full (its credit note issued at once, ST-…, which cannot be
 * undone) and opens a new draft with the invoice's shipping, charges and day of supply; that draft is
 * computed from the delivered quantities less the missing and damaged units (invoices.ts, buildDraft).
 * The buyer's bill goes down by the proposal's figures (with shipping split by the goods' rates, its
 * split moves with the goods, and the new invoice's VAT can differ from them by a few cents).
 */

export interface ProposalLine {
  productId: string
  sku: string
  /** In the UI's language. */
  name: string
  /** The unit as printed. */
  unit: string
  /** As recorded on the tick list, summed over the buyer's lines of the product (thousandths of the unit). */
  missingMilli: number
  damagedMilli: number
  /** What the credit takes back, at the invoice's price and rate. */
  creditMilli: number
  unitPriceMinor: number
  rateBp: number
  netMinor: number
}

export interface Proposal {
  buyerId: string
  buyerName: string
  invoiceId: string
  invoiceNumber: string
  currency: string
  lines: ProposalLine[]
  vatRates: { rateBp: number; netMinor: number; vatMinor: number }[]
  netMinor: number
  vatMinor: number
  grossMinor: number
}

export const proposalsInput = z.object({ roundId: z.uuid(), buyerId: z.uuid().optional() })

interface InvoicedLine {
  productId: string
  quantityMilli: number
  unitPriceMinor: number
  rateBp: number
  description: string
}

export function proposals(ws: Workspace, input: z.output<typeof proposalsInput>, language: Language): Proposal[] {
  const short = shortfalls(ws, input.roundId)
  if (short.size === 0) return []
  const invoices = ws.db
    .prepare(
      `SELECT i.id, i.number, i.buyer_id AS buyerId, b.name AS buyerName, i.currency, i.document FROM invoice i JOIN buyer b ON b.id = i.buyer_id
       WHERE i.round_id = ? AND i.kind = 'invoice' AND i.status = 'issued' AND i.deleted_at IS NULL
       AND NOT EXISTS (SELECT 1 FROM invoice c WHERE c.credits_id = i.id AND c.status = 'issued' AND c.deleted_at IS NULL)
       ORDER BY b.name COLLATE NOCASE`
    )
    .all(input.roundId) as { id: string; number: string; buyerId: string; buyerName: string; currency: string; document: string }[]
  const linesOf = ws.db.prepare(
    `SELECT product_id AS productId, quantity_milli AS quantityMilli, unit_price_minor AS unitPriceMinor, rate_bp AS rateBp, description
     FROM invoice_line WHERE invoice_id = ? AND kind = 'goods' AND product_id IS NOT NULL ORDER BY position`
  )
  const products = ws.db.prepare('SELECT sku, name_es AS nameEs, name_de AS nameDe, name_en AS nameEn, sales_unit AS unit FROM product WHERE id = ?')
  const allocations = buyerAllocations(ws, input.roundId, 'received')
  const out: Proposal[] = []
  for (const inv of invoices) {
    if (input.buyerId && inv.buyerId !== input.buyerId) continue
    const alloc = allocations.find((a) => a.buyerId === inv.buyerId)
    // Per product: handed out, missing and damaged (thousandths of the unit).
    const perProduct = new Map<string, { granted: number; missing: number; damaged: number }>()
    for (const l of alloc?.lines ?? []) {
      if (l.granted <= 0) continue
      const s = short.get(l.lineId)
      const p = perProduct.get(l.productId) ?? { granted: 0, missing: 0, damaged: 0 }
      p.granted += l.granted * l.stepMilli
      // Never more short than handed out (a line's check is checked against it when saved; this holds if the allocation shrank since).
      const missing = Math.min(s?.missing ?? 0, l.granted)
      p.missing += missing * l.stepMilli
      p.damaged += Math.min(s?.damaged ?? 0, l.granted - missing) * l.stepMilli
      perProduct.set(l.productId, p)
    }
    const lines: ProposalLine[] = []
    for (const il of linesOf.all(inv.id) as InvoicedLine[]) {
      const p = perProduct.get(il.productId)
      if (!p || p.missing + p.damaged === 0) continue
      const shortMilli = p.missing + p.damaged
      const creditMilli = Math.min(shortMilli, Math.max(0, il.quantityMilli - (p.granted - shortMilli)))
      if (creditMilli <= 0) continue
      const product = products.get(il.productId) as { sku: string; nameEs: string | null; nameDe: string | null; nameEn: string | null; unit: string }
      lines.push({
        productId: il.productId,
        sku: product.sku,
        name: localName(product, language),
        unit: quantitySymbol(product.unit) || unitName(language, product.unit),
        missingMilli: p.missing,
        damagedMilli: p.damaged,
        creditMilli,
        unitPriceMinor: il.unitPriceMinor,
        rateBp: il.rateBp,
        netMinor: quantityAmountMinor(creditMilli, il.unitPriceMinor)
      })
    }
    if (!lines.length) continue
    const byRate = new Map<number, number>()
    for (const l of lines) byRate.set(l.rateBp, (byRate.get(l.rateBp) ?? 0) + l.netMinor)
    // The invoice's net and VAT per rate (its goods, charges and shipping): the VAT credited at a rate is
    // what the invoice's VAT there comes down to without the credited net, rounded as the invoice rounds.
    const invoiced = new Map<number, { net: number; vat: number }>()
    for (const r of (JSON.parse(inv.document) as InvoiceDocument).vatRates) {
      const x = invoiced.get(r.rateBp) ?? { net: 0, vat: 0 }
      invoiced.set(r.rateBp, { net: x.net + r.netMinor, vat: x.vat + r.vatMinor })
    }
    const vatRates = [...byRate.entries()]
      .sort((a, b) => b[0] - a[0])
      .map(([rateBp, netMinor]) => {
        const x = invoiced.get(rateBp)
        return { rateBp, netMinor, vatMinor: x ? x.vat - vatOf(x.net - netMinor, rateBp) : vatOf(netMinor, rateBp) }
      })
    const netMinor = vatRates.reduce((a, r) => a + r.netMinor, 0)
    const vatMinor = vatRates.reduce((a, r) => a + r.vatMinor, 0)
    out.push({ buyerId: inv.buyerId, buyerName: inv.buyerName, invoiceId: inv.id, invoiceNumber: inv.number, currency: inv.currency, lines, vatRates, netMinor, vatMinor, grossMinor: netMinor + vatMinor })
  }
  return out
}

export const proposeCreditInput = z.object({ roundId: z.uuid(), buyerId: z.uuid() })

/**
 * Turns a buyer's proposal into a credit note: the invoice credited in full with the missing and damaged
 * units as the reason (in the invoice's language), and a new draft that leaves them out, carrying the
 * invoice's shipping, charges and day of supply.
 */
export function proposeCredit(
  ws: Workspace,
  input: z.output<typeof proposeCreditInput>,
  printer: Printer,
  language: Language
): { creditNote: InvoiceRow; draftId: string } {
  const exists = ws.db.prepare('SELECT 1 FROM round WHERE id = ? AND deleted_at IS NULL').get(input.roundId)
  if (!exists) throw new AppError('record.not_found', { id: input.roundId })
  assertRoundNotClosed(ws, input.roundId)
  const proposal = proposals(ws, input, language)[0]
  if (!proposal) throw new AppError('distribution.no_proposal')
  const invoice = ws.db.prepare('SELECT language, shipping_minor, charges, delivery_date FROM invoice WHERE id = ?').get(proposal.invoiceId) as {
    language: Language
    shipping_minor: number
    charges: string
    delivery_date: string | null
  }
  const result = creditInvoice(ws, { id: proposal.invoiceId, reason: creditReason(ws, proposal, invoice.language) }, printer, language)
  ws.write.update('invoice', result.draftId, { shipping_minor: invoice.shipping_minor, charges: invoice.charges, delivery_date: invoice.delivery_date })
  return result
}

/** The credit note's reason: what was missing or damaged, in the invoice's language, at most 500 characters. */
function creditReason(ws: Workspace, proposal: Proposal, lang: Language): string {
  const t = resources[lang].translation.distributionCredit
  const locale = LOCALES[lang]
  const q = (milli: number) => formatScaledUnit(milli, 3, 3, locale)
  const name = ws.db.prepare('SELECT name_es AS nameEs, name_de AS nameDe, name_en AS nameEn FROM product WHERE id = ?')
  const items = proposal.lines.map((l) => {
    const parts = [l.missingMilli ? fill(t.missing, { quantity: q(l.missingMilli) }) : '', l.damagedMilli ? fill(t.damaged, { quantity: q(l.damagedMilli) }) : ''].filter(Boolean)
    const names = name.get(l.productId) as { nameEs: string | null; nameDe: string | null; nameEn: string | null }
    return fill(t.item, { sku: l.sku, name: localName(names, lang), what: parts.join(', ') })
  })
  const text = fill(t.reason, { items: items.join('; ') })
  return text.length > 500 ? `${text.slice(0, 499)}…` : text
}
