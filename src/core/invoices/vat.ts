import { largestRemainder } from '../common/money.ts'

/**
 * The VAT of an invoice (issue 11; DOMAIN.md §4): which case applies to a buyer, the rate of every line,
 * the shipping charge taxed in full at the standard rate or split by the goods' rates, and the totals per
 * rate to the cent. Pure functions: the caller gives the rates in force (from the reference data).
 *
 * - domestic: the organisation's country's rates per product (DE: 7 % and 19 %);
 * - eu_consumer: a consumer in another EU country, under the EU distance-selling threshold: the
 *   organisation's country's VAT (with a running total against the €10,000 threshold, see distanceSelling);
 * - intra_eu: a business with a valid VAT ID in another EU country: 0 %, both VAT IDs, the exemption note;
 * - export: outside the EU (Switzerland): 0 %, the export note;
 * - small_business: the organisation under § 19 UStG: no VAT shown at all, the note.
 */

export const VAT_CASES = ['domestic', 'eu_consumer', 'intra_eu', 'export', 'small_business'] as const
export type VatCase = (typeof VAT_CASES)[number]

/** How the buyer is taxed, as the buyer record says it (src/shared/catalogue.ts TAX_TREATMENTS). */
export type TaxTreatment = 'domestic' | 'eu_business' | 'export' | 'eu_consumer'

/** Shipping charged to the buyer: taxed at the standard rate in full, or split over the goods' rates by their net value. */
export type ShippingVat = 'standard' | 'split'

export interface VatParty {
  country: string
  vatId: string | null
}

/** What is missing for a case, as field error codes on the buyer or the organisation (the caller translates). */
export type VatProblem =
  | { code: 'buyer_vat_id'; case: VatCase }
  | { code: 'organisation_vat_id'; case: VatCase }

/**
 * The case an invoice falls under, or the problems that keep it from being issued (an intra-EU buyer
 * without a VAT ID, an organisation without one for intra-EU supplies). `vatIdValid` says whether the
 * buyer's VAT ID passed its check (format and check digit, src/core/validate/vat.ts).
 */
export function vatCase(
  organisation: VatParty & { smallBusiness: boolean },
  buyer: VatParty & { taxTreatment: TaxTreatment; vatIdValid: boolean }
): { case: VatCase; problems: VatProblem[] } {
  if (organisation.smallBusiness) return { case: 'small_business', problems: [] }
  switch (buyer.taxTreatment) {
    case 'domestic':
      return { case: 'domestic', problems: [] }
    case 'eu_consumer':
      return { case: 'eu_consumer', problems: [] }
    case 'export':
      return { case: 'export', problems: [] }
    case 'eu_business': {
      const problems: VatProblem[] = []
      if (!buyer.vatId || !buyer.vatIdValid) problems.push({ code: 'buyer_vat_id', case: 'intra_eu' })
      if (!organisation.vatId) problems.push({ code: 'organisation_vat_id', case: 'intra_eu' })
      return { case: 'intra_eu', problems }
    }
  }
}

/** Whether a case charges VAT (the organisation's rates) at all. */
export function chargesVat(c: VatCase): boolean {
  return c === 'domestic' || c === 'eu_consumer'
}

export interface VatLine {
  /** The product's VAT class ('reduced', 'standard', 'zero' …), or 'shipping' for the shipping charge. */
  vatClass: string
  netMinor: number
}

export interface VatBreakdown {
  case: VatCase
  /** Per rate (basis points), highest first: the net, the VAT (rounded half up once per rate) and the gross. */
  rates: { rateBp: number; netMinor: number; vatMinor: number }[]
  /** The shipping charge's net per rate (split by the goods' rates, or all at the standard rate). */
  shipping: { rateBp: number; netMinor: number }[]
  netMinor: number
  vatMinor: number
  grossMinor: number
}

/**
 * The invoice's VAT: every goods line at its class's rate (none when the case charges no VAT), the
 * shipping charge at the standard rate or split over the goods' rates in proportion to their net (largest
 * remainder, so the parts add up to the charge), and per rate the VAT rounded half up once — the sums
 * per rate an invoice prints (§ 14 Abs. 4 Nr. 8 UStG). `rateOf` gives a class's rate in basis points.
 */
export function vatBreakdown(c: VatCase, goods: readonly VatLine[], shippingMinor: number, shippingVat: ShippingVat, rateOf: (vatClass: string) => number): VatBreakdown {
  const net = new Map<number, number>()
  const add = (bp: number, minor: number) => net.set(bp, (net.get(bp) ?? 0) + minor)
  const rate = (vatClass: string) => (chargesVat(c) ? rateOf(vatClass) : 0)
  for (const l of goods) add(rate(l.vatClass), l.netMinor)
  const shipping: VatBreakdown['shipping'] = []
  if (shippingMinor > 0) {
    const goodsRates = [...net.entries()].filter(([, n]) => n > 0).sort((a, b) => b[0] - a[0])
    if (shippingVat === 'split' && chargesVat(c) && goodsRates.length > 0) {
      const parts = largestRemainder(
        shippingMinor,
        goodsRates.map(([, n]) => n)
      )
      goodsRates.forEach(([bp], i) => shipping.push({ rateBp: bp, netMinor: parts[i]! }))
    } else shipping.push({ rateBp: rate('standard'), netMinor: shippingMinor })
    for (const s of shipping) add(s.rateBp, s.netMinor)
  }
  const rates = [...net.entries()]
    .sort((a, b) => b[0] - a[0])
    .map(([rateBp, netMinor]) => ({ rateBp, netMinor, vatMinor: vatOf(netMinor, rateBp) }))
  const netMinor = rates.reduce((a, r) => a + r.netMinor, 0)
  const vatMinor = rates.reduce((a, r) => a + r.vatMinor, 0)
  return { case: c, rates, shipping, netMinor, vatMinor, grossMinor: netMinor + vatMinor }
}

/** VAT on a net amount at a rate in basis points, rounded half up to the minor unit (negative amounts symmetric). */
export function vatOf(netMinor: number, rateBp: number): number {
  const sign = netMinor < 0 ? -1n : 1n
  const n = BigInt(Math.abs(netMinor)) * BigInt(rateBp)
  return Number(sign * ((n * 2n + 10_000n) / 20_000n))
}

/**
 * A deposit request: `shareBp` of the buyer's ordered value at round prices — gross where the buyer pays
 * VAT, else net — rounded down to whole units of the currency (whole euros). 50 % of 123,45 € = 61 €.
 */
export function depositMinor(valueMinor: number, shareBp: number, digits: number): number {
  const whole = 10n ** BigInt(digits)
  const share = (BigInt(Math.max(0, valueMinor)) * BigInt(shareBp)) / 10_000n
  return Number((share / whole) * whole)
}

/** The EU distance-selling threshold (Art. 59c VAT Directive): €10,000 a year over all EU consumers abroad. */
export const DISTANCE_SELLING_THRESHOLD_MINOR = 1_000_000

/**
 * Where the year's supplies to consumers in other EU countries stand against the threshold: under it the
 * organisation's own VAT applies; a warning from 80 % on; above it the destination country's VAT (OSS) —
 * which Puente does not issue, so it says so.
 */
export function distanceSelling(yearToDateMinor: number, thisInvoiceMinor: number): { totalMinor: number; level: 'ok' | 'near' | 'over' } {
  const total = yearToDateMinor + thisInvoiceMinor
  if (total > DISTANCE_SELLING_THRESHOLD_MINOR) return { totalMinor: total, level: 'over' }
  if (total * 10 >= DISTANCE_SELLING_THRESHOLD_MINOR * 8) return { totalMinor: total, level: 'near' }
  return { totalMinor: total, level: 'ok' }
}

/** The legal note an invoice of a case carries (a key under `invoiceNotes.` in every language), or null. */
export function legalNote(c: VatCase): 'intra_eu' | 'export' | 'small_business' | null {
  if (c === 'intra_eu' || c === 'export' || c === 'small_business') return c
  return null
}
