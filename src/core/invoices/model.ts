import type { VatCase } from './vat.ts'

/**
 * An invoice as it is printed and sent: everything the PDF and the Factur-X XML need, computed and
 * rounded already (the documents only lay it out; they never compute money). Issuing freezes it: the
 * issued invoice's PDF and XML are made from this snapshot and stored with it.
 *
 * Amounts are integer minor units of `currency` (cents). Credit notes carry positive amounts here and
 * `kind: 'credit_note'` (EN 16931 type 381 states amounts as positive figures of a credit); the PDF
 * prints them with a minus sign.
 */

export type InvoiceKind = 'invoice' | 'credit_note' | 'deposit'
export type InvoiceLanguage = 'de' | 'es' | 'en'
/** Factur-X EN 16931 (the default), or the same CII XML under XRechnung's identifiers (on request). */
export type EInvoiceProfile = 'en16931' | 'xrechnung'

export interface InvoiceAddress {
  name: string
  street: string
  postalCode: string
  city: string
  /** ISO 3166-1 alpha-2. */
  country: string
}

export interface InvoiceSeller extends InvoiceAddress {
  vatId: string | null
  /** The German Steuernummer (or another national tax number) when there is no VAT ID or besides it. */
  taxNumber: string | null
  iban: string
  bic: string | null
  bankName: string | null
  email: string | null
  phone: string | null
  smallBusiness: boolean
}

export interface InvoiceBuyer extends InvoiceAddress {
  vatId: string | null
  /** The buyer's own reference (a Leitweg-ID for XRechnung), printed and put in BT-10. */
  reference: string | null
  /** The buyer's electronic address (BT-49, an e-mail), written on an XRechnung; optional elsewhere. */
  email?: string | null
}

/**
 * EN 16931 VAT category (UNCL5305): S standard/reduced rate, E exempt (§ 19 UStG small business),
 * K intra-community supply, G export outside the EU, Z zero rated.
 */
export type VatCategory = 'S' | 'E' | 'K' | 'G' | 'Z'

export interface InvoiceLine {
  position: number
  /** In the invoice's language. */
  description: string
  /** The supplier's product code (SKU), or null for a charge line. */
  sku: string | null
  /** Exact quantity in thousandths of the unit (1,5 kg = 1500). */
  quantityMilli: number
  /** UN/ECE Recommendation 20 unit code: H87 piece, KGM kg, LTR litre, MTR metre, MTK m², C62 one. */
  unitCode: string
  /** The unit as printed ("kg", "Stk."). */
  unitLabel: string
  /** Net price of one unit (the round price), in minor units. */
  unitPriceMinor: number
  /** quantity × unit price, rounded half up to the minor unit. */
  netMinor: number
  vatCategory: VatCategory
  rateBp: number
  /** Printed under the description, e.g. "5 bestellt + 1 aus Toleranz". */
  note: string | null
}

export interface InvoiceVatRate {
  category: VatCategory
  rateBp: number
  /** Taxable amount (BT-116): the sum of the lines' net at this rate and category. */
  netMinor: number
  /** BT-117: netMinor × rate, rounded half up once. */
  vatMinor: number
  /** Exemption reason text (BT-120) for E, K, G. */
  exemptionReason: string | null
  /** VATEX code (BT-121) for K (VATEX-EU-IC) and G (VATEX-EU-G). */
  exemptionCode: string | null
}

export interface InvoiceDocument {
  kind: InvoiceKind
  /** The issued number, or a draft's placeholder ("Entwurf") before issuing. */
  number: string
  /** YYYY-MM-DD. */
  issueDate: string
  /** Date of supply (§ 14 Abs. 4 Nr. 6 UStG): the delivery day, or null for a deposit request. */
  deliveryDate: string | null
  dueDate: string | null
  language: InvoiceLanguage
  currency: string
  profile: EInvoiceProfile
  vatCase: VatCase
  seller: InvoiceSeller
  buyer: InvoiceBuyer
  /** The round, printed as the order reference. */
  roundName: string
  lines: InvoiceLine[]
  /** Per rate and category, highest rate first; sums of lines. */
  vatRates: InvoiceVatRate[]
  /** BT-109 / BT-110 / BT-112: the sums over vatRates. */
  netMinor: number
  vatMinor: number
  grossMinor: number
  /** BT-113: deposits the buyer paid for this round (0 for credit notes and deposit requests). */
  prepaidMinor: number
  /** BT-115: gross − prepaid. Negative = a refund to the buyer. */
  dueMinor: number
  /** ISO 11649 creditor reference (RF…), the payment reference (BT-83). */
  paymentReference: string
  /** The legal note of the VAT case in the invoice's language (exemption, export, § 19), or null. */
  legalNote: string | null
  /** For credit notes: the credited invoice (BT-25, BT-26). */
  precedingInvoice: { number: string; issueDate: string } | null
  /** Free text printed at the end (e.g. the reason of a credit note). */
  notes: string | null
}

/** A payment reminder to a buyer: its open documents (deposit requests, invoices) and their sum. */
export interface ReminderDocument {
  language: InvoiceLanguage
  currency: string
  /** YYYY-MM-DD: the reminder's day, and the day to pay by. */
  issueDate: string
  payBy: string
  seller: InvoiceSeller
  buyer: InvoiceBuyer
  items: { number: string; kind: InvoiceKind; issueDate: string; dueDate: string | null; openMinor: number }[]
  totalMinor: number
}
