import assert from 'node:assert/strict'
import type { InvoiceDocument, InvoiceLine, InvoiceSeller } from '../../src/core/invoices/model.ts'

/**
 * One invoice per VAT case (issue 11), with every figure worked out by hand below: the documents'
 * tests (Factur-X XML, the PDF) read them back against these numbers. Prices: yerba mate 1 kg 6,50 €
 * (7 %), Malbec 0,75 l 8,90 € (19 %).
 */

export const SELLER: InvoiceSeller = {
  name: 'Solidarische Importe e.V.',
  street: 'Venloer Straße 1',
  postalCode: '50672',
  city: 'Köln',
  country: 'DE',
  vatId: 'DE136695976',
  taxNumber: '214/5678/1234',
  iban: 'DE89370400440532013000',
  bic: 'COBADEFFXXX',
  bankName: 'Commerzbank',
  email: 'kasse@solimport.example',
  phone: '+49 221 123456',
  smallBusiness: false
}

function line(position: number, description: string, sku: string | null, quantityMilli: number, unitPriceMinor: number, netMinor: number, rateBp: number, category: InvoiceLine['vatCategory'], unit: 'piece' | 'service' = 'piece'): InvoiceLine {
  return {
    position,
    description,
    sku,
    quantityMilli,
    unitCode: unit === 'piece' ? 'H87' : 'C62',
    unitLabel: unit === 'piece' ? 'Stk.' : '',
    unitPriceMinor,
    netMinor,
    vatCategory: category,
    rateBp,
    note: null
  }
}

const base = {
  kind: 'invoice' as const,
  issueDate: '2026-11-30',
  deliveryDate: '2026-11-20',
  dueDate: '2026-12-14',
  currency: 'EUR',
  profile: 'en16931' as const,
  seller: SELLER,
  roundName: 'Herbst 2026',
  precedingInvoice: null,
  notes: null
}

/**
 * Domestic (Köln): yerba 12 × 6,50 = 78,00 at 7 %; wine 6 × 8,90 = 53,40 and shipping 12,00 at 19 %.
 * 19 %: 65,40 → VAT 12,426 → 12,43. 7 %: 78,00 → 5,46. Net 143,40, VAT 17,89, gross 161,29; deposit paid
 * 80,00, due 81,29.
 */
export const DOMESTIC: InvoiceDocument = {
  ...base,
  number: 'RE-2026-00001',
  language: 'de',
  vatCase: 'domestic',
  buyer: { name: 'Weltladen Ehrenfeld', street: 'Körnerstraße 77', postalCode: '50823', city: 'Köln', country: 'DE', vatId: 'DE136695976', reference: null },
  lines: [
    { ...line(1, 'Yerba Mate 1 kg', 'YM-1000', 12_000, 650, 7800, 700, 'S'), note: '11 bestellt + 1 aus Toleranz' },
    line(2, 'Malbec 0,75 l', 'MB-075', 6000, 890, 5340, 1900, 'S'),
    line(3, 'Versand', null, 1000, 1200, 1200, 1900, 'S', 'service')
  ],
  vatRates: [
    { category: 'S', rateBp: 1900, netMinor: 6540, vatMinor: 1243, exemptionReason: null, exemptionCode: null },
    { category: 'S', rateBp: 700, netMinor: 7800, vatMinor: 546, exemptionReason: null, exemptionCode: null }
  ],
  netMinor: 14_340,
  vatMinor: 1789,
  grossMinor: 16_129,
  prepaidMinor: 8000,
  dueMinor: 8129,
  paymentReference: 'RF90RE2026001',
  legalNote: null
}

/**
 * A consumer in Austria, German VAT, shipping 10,00 split by the goods' net (26,00 : 17,80 → 5,94 : 4,06 by
 * largest remainder). 7 %: 26,00 + 5,94 = 31,94 → 2,24; 19 %: 17,80 + 4,06 = 21,86 → 4,15. Net 53,80, VAT
 * 6,39, gross 60,19; deposit paid 70,00 → a refund of 9,81.
 */
export const EU_CONSUMER: InvoiceDocument = {
  ...base,
  number: 'RE-2026-00002',
  language: 'de',
  vatCase: 'eu_consumer',
  buyer: { name: 'Foodcoop Salzburg', street: 'Linzer Gasse 12', postalCode: '5020', city: 'Salzburg', country: 'AT', vatId: null, reference: null },
  lines: [
    line(1, 'Yerba Mate 1 kg', 'YM-1000', 4000, 650, 2600, 700, 'S'),
    line(2, 'Malbec 0,75 l', 'MB-075', 2000, 890, 1780, 1900, 'S'),
    line(3, 'Versand (Anteil 7 %)', null, 1000, 594, 594, 700, 'S', 'service'),
    line(4, 'Versand (Anteil 19 %)', null, 1000, 406, 406, 1900, 'S', 'service')
  ],
  vatRates: [
    { category: 'S', rateBp: 1900, netMinor: 2186, vatMinor: 415, exemptionReason: null, exemptionCode: null },
    { category: 'S', rateBp: 700, netMinor: 3194, vatMinor: 224, exemptionReason: null, exemptionCode: null }
  ],
  netMinor: 5380,
  vatMinor: 639,
  grossMinor: 6019,
  prepaidMinor: 7000,
  dueMinor: -981,
  paymentReference: 'RF63RE2026002',
  legalNote: null
}

/** A business in France with a valid VAT ID: 0 % (K). 106,80 + 65,00 + 15,00 = 186,80; deposit 90,00, due 96,80. */
export const INTRA_EU: InvoiceDocument = {
  ...base,
  number: 'RE-2026-00003',
  language: 'en',
  vatCase: 'intra_eu',
  buyer: { name: 'Épicerie Solidaire SARL', street: '12 rue de la République', postalCode: '69002', city: 'Lyon', country: 'FR', vatId: 'FR40303265045', reference: 'PO 2026/118' },
  lines: [
    line(1, 'Malbec 0.75 l', 'MB-075', 12_000, 890, 10_680, 0, 'K'),
    line(2, 'Yerba mate 1 kg', 'YM-1000', 10_000, 650, 6500, 0, 'K'),
    line(3, 'Shipping', null, 1000, 1500, 1500, 0, 'K', 'service')
  ],
  vatRates: [{ category: 'K', rateBp: 0, netMinor: 18_680, vatMinor: 0, exemptionReason: 'Tax-exempt intra-Community supply (Section 4 No. 1b in conjunction with Section 6a UStG).', exemptionCode: 'VATEX-EU-IC' }],
  netMinor: 18_680,
  vatMinor: 0,
  grossMinor: 18_680,
  prepaidMinor: 9000,
  dueMinor: 9680,
  paymentReference: 'RF36RE2026003',
  legalNote: 'Tax-exempt intra-Community supply (Section 4 No. 1b in conjunction with Section 6a UStG). Supplier VAT ID: DE136695976, customer VAT ID: FR40303265045.'
}

/** Switzerland: export, 0 % (G). 130,00 + 53,40 + 25,00 = 208,40; deposit 100,00, due 108,40. */
export const EXPORT: InvoiceDocument = {
  ...base,
  number: 'RE-2026-00004',
  language: 'de',
  vatCase: 'export',
  buyer: { name: 'Claro Weltladen Bern', street: 'Marktgasse 3', postalCode: '3011', city: 'Bern', country: 'CH', vatId: null, reference: null },
  lines: [
    line(1, 'Yerba Mate 1 kg', 'YM-1000', 20_000, 650, 13_000, 0, 'G'),
    line(2, 'Malbec 0,75 l', 'MB-075', 6000, 890, 5340, 0, 'G'),
    line(3, 'Versand', null, 1000, 2500, 2500, 0, 'G', 'service')
  ],
  vatRates: [{ category: 'G', rateBp: 0, netMinor: 20_840, vatMinor: 0, exemptionReason: 'Steuerfreie Ausfuhrlieferung (§ 4 Nr. 1 Buchst. a i. V. m. § 6 UStG).', exemptionCode: 'VATEX-EU-G' }],
  netMinor: 20_840,
  vatMinor: 0,
  grossMinor: 20_840,
  prepaidMinor: 10_000,
  dueMinor: 10_840,
  paymentReference: 'RF09RE2026004',
  legalNote: 'Steuerfreie Ausfuhrlieferung (§ 4 Nr. 1 Buchst. a i. V. m. § 6 UStG).'
}

/** The organisation as a small business (§ 19 UStG), a Spanish-speaking group in Berlin: 19,50 + 8,90 + 4,50 = 32,90, no VAT, nothing paid before. */
export const SMALL_BUSINESS: InvoiceDocument = {
  ...base,
  number: 'RE-2026-00005',
  language: 'es',
  vatCase: 'small_business',
  seller: { ...SELLER, vatId: null, smallBusiness: true },
  buyer: { name: 'Colectivo Mate Berlín', street: 'Oranienstraße 45', postalCode: '10969', city: 'Berlin', country: 'DE', vatId: null, reference: null },
  lines: [
    line(1, 'Yerba mate 1 kg', 'YM-1000', 3000, 650, 1950, 0, 'E'),
    line(2, 'Malbec 0,75 l', 'MB-075', 1000, 890, 890, 0, 'E'),
    line(3, 'Envío', null, 1000, 450, 450, 0, 'E', 'service')
  ],
  vatRates: [{ category: 'E', rateBp: 0, netMinor: 3290, vatMinor: 0, exemptionReason: 'Exento como pequeña empresa (§ 19 UStG).', exemptionCode: null }],
  netMinor: 3290,
  vatMinor: 0,
  grossMinor: 3290,
  prepaidMinor: 0,
  dueMinor: 3290,
  paymentReference: 'RF79RE2026005',
  legalNote: 'Exento como pequeña empresa (§ 19 UStG).'
}

/** The domestic invoice cancelled in full: a credit note of 161,29 referring to RE-2026-00001 of 30 Nov 2026. */
export const CREDIT_NOTE: InvoiceDocument = {
  ...DOMESTIC,
  kind: 'credit_note',
  number: 'ST-2026-00001',
  issueDate: '2026-12-02',
  dueDate: null,
  prepaidMinor: 0,
  dueMinor: 16_129,
  paymentReference: 'RF14ST2026001',
  precedingInvoice: { number: 'RE-2026-00001', issueDate: '2026-11-30' },
  notes: 'Storno der Rechnung RE-2026-00001 vom 30.11.2026.'
}

export const SAMPLES = { DOMESTIC, EU_CONSUMER, INTRA_EU, EXPORT, SMALL_BUSINESS, CREDIT_NOTE } as const

// The figures above add up: every sample's lines make its rates, its rates its totals.
for (const [name, s] of Object.entries(SAMPLES)) {
  for (const r of s.vatRates) {
    const net = s.lines.filter((l) => l.rateBp === r.rateBp && l.vatCategory === r.category).reduce((a, l) => a + l.netMinor, 0)
    assert.equal(net, r.netMinor, `${name}: net at ${r.rateBp}`)
  }
  assert.equal(s.vatRates.reduce((a, r) => a + r.netMinor, 0), s.netMinor, `${name}: net`)
  assert.equal(s.vatRates.reduce((a, r) => a + r.vatMinor, 0), s.vatMinor, `${name}: VAT`)
  assert.equal(s.netMinor + s.vatMinor, s.grossMinor, `${name}: gross`)
  assert.equal(s.grossMinor - s.prepaidMinor, s.dueMinor, `${name}: due`)
}
