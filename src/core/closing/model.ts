import type { Language } from '../../shared/reference.ts'

/**
 * A round's closing (issue 12, item 5), every amount in minor units of the round's currency:
 *
 *   result        = net goods invoiced + stock at landed cost − landed cost of everything received
 *                   (broken units included) ± exchange differences
 *   contributions = Σ per cooperative of each product's solidarity contribution per unit × units delivered
 *   reserve       = result − contributions
 *
 * Shipping and other charges invoiced at cost pass through and do not change the result; they are shown
 * beside it. Contributions on units kept in stock fall due when they are sold (shown, not deducted).
 */
export interface ClosingFigures {
  roundId: string
  roundName: string
  currency: string
  /** The currency's minor digits (2 for EUR). */
  digits: number
  /** The organisation's language: the report prints in it. */
  language: Language
  organisation: string
  /** The day the figures are for: the closing day, or today for a preview. */
  day: string
  /** When the round was closed (stored figures), or null for a preview of an open round. */
  closedAt: string | null

  /** Goods lines of the round's issued invoices less its issued credit notes, net of VAT. */
  goodsNetMinor: number
  /** Passed through at cost (not in the result): shipping and other charges invoiced, net. */
  shippingNetMinor: number
  chargesNetMinor: number
  /** Units left in the organisation's stock from the round, valued at their landed cost per unit. */
  stock: { sku: string; name: string; quantityMilli: number; unit: string; valueMinor: number; contributionMinor: number }[]
  stockValueMinor: number
  /** The stored landed cost of each of the round's shipments. */
  shipments: { number: string; landedMinor: number; goodsMinor: number }[]
  landedMinor: number
  /**
   * Per purchase order: what was paid in the order's currency, what it cost in the round's currency, what
   * those payments are worth at the customs rate the landed cost used (bookValue), and the difference
   * (bookValue − paid: positive when the euros cost less than booked).
   */
  exchange: {
    purchaseOrderNumber: string
    supplierName: string
    currency: string
    paidMinor: number
    paidDigits: number
    paidBaseMinor: number
    bookValueMinor: number
    differenceMinor: number
  }[]
  exchangeDifferenceMinor: number
  resultMinor: number

  /** Per cooperative: what its goods brought in (net invoiced), the units delivered and the contribution due, with where to send it. */
  cooperatives: {
    supplierId: string
    name: string
    goodsNetMinor: number
    contributionMinor: number
    /** Contributions on this cooperative's units in stock, due when they are sold. */
    stockContributionMinor: number
    products: { sku: string; name: string; deliveredMilli: number; unit: string; perUnitMinor: number; perUnitCurrency: string; contributionMinor: number }[]
    bank: { iban: string | null; bic: string | null; cbu: string | null; bankName: string | null }
  }[]
  contributionsMinor: number
  stockContributionsMinor: number
  reserveMinor: number

  /** Per group: the round's invoices (less credit notes), what of the payments received settled them, and what is still open. */
  groups: { buyerId: string; name: string; goodsNetMinor: number; grossMinor: number; receivedMinor: number; openMinor: number }[]
  invoicedGrossMinor: number
  receivedMinor: number
  /** Paid out to the round's groups (refunds of their credit). */
  refundedMinor: number
}

/** Why a round cannot be closed yet, or what the coordinator should know first. */
export interface ClosingIssue {
  code:
    | 'not_invoiced'
    | 'drafts'
    | 'no_landed'
    | 'unpaid_orders'
    | 'open_balances'
    | 'negative_reserve'
  params: Record<string, string | number>
}

export interface ClosingPreview {
  figures: ClosingFigures
  /** Closing is refused while any of these remain. */
  blockers: ClosingIssue[]
  /** Closing asks for a confirmation naming these. */
  warnings: ClosingIssue[]
  status: 'open' | 'closed'
  /** Every close and reopen, newest first. */
  events: { action: 'close' | 'reopen'; reason: string | null; at: string }[]
}
