import { describe, expect, it } from 'vitest'
import { depositMinor, distanceSelling, legalNote, vatBreakdown, vatCase, vatOf, type VatCase } from '../../src/core/invoices/vat.ts'
import de from '../../src/shared/i18n/de.ts'
import en from '../../src/shared/i18n/en.ts'
import es from '../../src/shared/i18n/es.ts'

/**
 * The VAT cases of an invoice (issue 11, item 2), every figure computed by hand next to it. German
 * rates: 7 % for food (reduced) and 19 % (standard).
 */
const DE = (vatClass: string) => (vatClass === 'reduced' ? 700 : vatClass === 'zero' ? 0 : 1900)
const org = { country: 'DE', vatId: 'DE123456788', smallBusiness: false }

// 12 bags of yerba at 4,35 € (52,20 €, 7 %) and 6 bottles of wine at 5,00 € (30,00 €, 19 %); shipping 9,90 €.
const goods = [
  { vatClass: 'reduced', netMinor: 5220 },
  { vatClass: 'standard', netMinor: 3000 }
]

describe('which VAT case an invoice falls under', () => {
  it('by the buyer’s tax treatment; the small business wins over everything', () => {
    const buyer = (taxTreatment: 'domestic' | 'eu_business' | 'export' | 'eu_consumer', vatId: string | null = null, vatIdValid = false) => ({
      country: 'AT',
      vatId,
      taxTreatment,
      vatIdValid
    })
    expect(vatCase(org, buyer('domestic'))).toEqual({ case: 'domestic', problems: [] })
    expect(vatCase(org, buyer('eu_consumer'))).toEqual({ case: 'eu_consumer', problems: [] })
    expect(vatCase(org, buyer('export'))).toEqual({ case: 'export', problems: [] })
    expect(vatCase(org, buyer('eu_business', 'ATU13585627', true))).toEqual({ case: 'intra_eu', problems: [] })
    expect(vatCase({ ...org, smallBusiness: true }, buyer('eu_business', 'ATU13585627', true))).toEqual({ case: 'small_business', problems: [] })
    // Intra-EU without a valid VAT ID of the buyer, or without the organisation's: not issued, and why.
    expect(vatCase(org, buyer('eu_business', 'ATU13585628', false)).problems).toEqual([{ code: 'buyer_vat_id', case: 'intra_eu' }])
    expect(vatCase({ ...org, vatId: null }, buyer('eu_business', 'ATU13585627', true)).problems).toEqual([{ code: 'organisation_vat_id', case: 'intra_eu' }])
  })
})

describe('the VAT breakdown to the cent', () => {
  it('domestic, shipping at 19 % in full: 52,20 at 7 % and 39,90 at 19 %', () => {
    const b = vatBreakdown('domestic', goods, 990, 'standard', DE)
    // 7 %: 52,20 → 3,654 → 3,65; 19 %: 30,00 + 9,90 = 39,90 → 7,581 → 7,58.
    expect(b.rates).toEqual([
      { rateBp: 1900, netMinor: 3990, vatMinor: 758 },
      { rateBp: 700, netMinor: 5220, vatMinor: 365 }
    ])
    expect(b.shipping).toEqual([{ rateBp: 1900, netMinor: 990 }])
    expect([b.netMinor, b.vatMinor, b.grossMinor]).toEqual([9210, 1123, 10333])
  })

  it('domestic, shipping split by the goods’ rates: 9,90 as 52,20 : 30,00', () => {
    const b = vatBreakdown('domestic', goods, 990, 'split', DE)
    // 990 × 5220 / 8220 = 628,68… → 628 (remainder ,68); 990 × 3000 / 8220 = 361,31… → 361 (,31): one cent left → 7 %.
    expect(b.shipping).toEqual([
      { rateBp: 1900, netMinor: 361 },
      { rateBp: 700, netMinor: 629 }
    ])
    // 19 %: 33,61 → 6,3859 → 6,39; 7 %: 58,49 → 4,0943 → 4,09.
    expect(b.rates).toEqual([
      { rateBp: 1900, netMinor: 3361, vatMinor: 639 },
      { rateBp: 700, netMinor: 5849, vatMinor: 409 }
    ])
    expect(b.grossMinor).toBe(9210 + 1048)
  })

  it('an EU consumer under the threshold pays German VAT, as a domestic buyer', () => {
    expect(vatBreakdown('eu_consumer', goods, 990, 'standard', DE)).toEqual({ ...vatBreakdown('domestic', goods, 990, 'standard', DE), case: 'eu_consumer' })
  })

  it.each(['intra_eu', 'export', 'small_business'] as VatCase[])('%s: no VAT, everything at 0 %%, the legal note', (c) => {
    const b = vatBreakdown(c, goods, 990, 'split', DE)
    expect(b.rates).toEqual([{ rateBp: 0, netMinor: 9210, vatMinor: 0 }])
    expect(b.shipping).toEqual([{ rateBp: 0, netMinor: 990 }])
    expect([b.vatMinor, b.grossMinor]).toEqual([0, 9210])
    const note = legalNote(c)!
    for (const texts of [de, es, en]) expect(texts.invoiceNotes[note]).toBeTruthy()
  })

  it('rounds half up per rate, symmetrically for credit notes', () => {
    // 0,50 € at 7 % = 0,035 → 0,04; 0,07 € at 7 % = 0,0049 → 0,00.
    expect([vatOf(50, 700), vatOf(7, 700), vatOf(-50, 700)]).toEqual([4, 0, -4])
    expect(legalNote('domestic')).toBeNull()
  })
})

describe('deposits and the distance-selling threshold', () => {
  it('a deposit is the share of the ordered value rounded down to whole euros', () => {
    // 50 % of 103,33 € = 51,665 → 51 €; 50 % of 1,99 € → 0 €; 30 % of 250,00 € = 75 €.
    expect([depositMinor(10333, 5000, 2), depositMinor(199, 5000, 2), depositMinor(25000, 3000, 2)]).toEqual([5100, 0, 7500])
  })

  it('warns from 80 % of €10,000 and says when it is crossed', () => {
    expect(distanceSelling(700_000, 50_000)).toEqual({ totalMinor: 750_000, level: 'ok' })
    expect(distanceSelling(750_000, 50_000)).toEqual({ totalMinor: 800_000, level: 'near' })
    expect(distanceSelling(990_000, 10_000)).toEqual({ totalMinor: 1_000_000, level: 'near' })
    expect(distanceSelling(990_000, 10_001)).toEqual({ totalMinor: 1_000_001, level: 'over' })
  })
})
