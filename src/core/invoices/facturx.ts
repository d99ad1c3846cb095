import { create } from 'xmlbuilder2'
import type { InvoiceDocument, InvoiceLine, InvoiceVatRate, VatCategory } from './model.ts'

/** An element being built (xmlbuilder2 exports its builder type only from a subpath its package map hides). */
type XMLBuilder = ReturnType<typeof create>

/**
 * The Factur-X / ZUGFeRD XML of an invoice (issue 11; DOMAIN.md §6): UN/CEFACT Cross Industry Invoice,
 * D16B, under the EN 16931 profile, or under XRechnung's identifiers on request. The XML is built as a
 * document tree with xmlbuilder2 (escaping and namespaces are its job, never string concatenation), in the
 * element order the D16B schema prescribes. It only lays out what the InvoiceDocument already holds: no
 * money is computed here, amounts are written from integer cents as strings.
 *
 * The EN 16931 business terms are named by their BT numbers beside the elements. The official checks
 * (XSD and the CEN schematron, release 1.3.16) run in test/core/facturx.test.ts; checkInvoiceTotals
 * (rules.ts) runs the arithmetic rules in the app before an invoice is issued.
 */

const NS = {
  rsm: 'urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100',
  ram: 'urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100',
  udt: 'urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100',
  qdt: 'urn:un:unece:uncefact:data:standard:QualifiedDataType:100'
} as const

/** BT-24 per profile (DOMAIN.md §6.1). */
export const GUIDELINE_IDS = {
  en16931: 'urn:cen.eu:en16931:2017',
  xrechnung: 'urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0'
} as const

/** BT-23 for XRechnung (the Peppol billing process, PEPPOL-EN16931-R001). */
export const XRECHNUNG_PROCESS_ID = 'urn:fdc:peppol.eu:2017:poacc:billing:01:1.0'

/** UNTDID 1001 document type codes (BT-3). */
const TYPE_CODES = { invoice: '380', credit_note: '381' } as const

/** UNTDID 4461: 58 = SEPA credit transfer. */
const SEPA_CREDIT_TRANSFER = '58'

/** Minor units (cents) as an XML decimal with two places and a sign: -981 → "-9.81". Integer arithmetic only. */
export function amount(minor: number): string {
  if (!Number.isSafeInteger(minor)) throw new Error(`amount ${minor} is not a whole number of minor units`)
  const sign = minor < 0 ? '-' : ''
  const abs = Math.abs(minor)
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`
}

/** Thousandths as a decimal with up to three places, trailing zeros dropped: 12000 → "12", 1500 → "1.5". */
export function quantity(milli: number): string {
  if (!Number.isSafeInteger(milli)) throw new Error(`quantity ${milli} is not a whole number of thousandths`)
  const sign = milli < 0 ? '-' : ''
  const abs = Math.abs(milli)
  const fraction = String(abs % 1000).padStart(3, '0').replace(/0+$/, '')
  return `${sign}${Math.floor(abs / 1000)}${fraction ? `.${fraction}` : ''}`
}

/** A rate in basis points as a percentage: 1900 → "19", 550 → "5.5", 0 → "0". */
export function percent(bp: number): string {
  if (!Number.isSafeInteger(bp) || bp < 0) throw new Error(`rate ${bp} is not a whole number of basis points`)
  const fraction = String(bp % 100).padStart(2, '0').replace(/0+$/, '')
  return `${Math.floor(bp / 100)}${fraction ? `.${fraction}` : ''}`
}

/** YYYY-MM-DD → the CII date format 102 (YYYYMMDD). */
function date102(iso: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) throw new Error(`date ${iso} is not YYYY-MM-DD`)
  return iso.replaceAll('-', '')
}

/**
 * Whether the buyer is asked to pay: an invoice with an amount due. Then the XML carries the payment
 * instructions (BG-16: SEPA credit transfer to the organisation's account) and the due date. A credit note
 * (the organisation owes the amount) and an invoice whose deposits exceed it (a refund, BT-115 < 0) carry
 * neither: the buyer must not transfer anything. XRechnung always wants BG-16 (BR-DE-1).
 */
function buyerPays(doc: InvoiceDocument): boolean {
  return doc.kind === 'invoice' && doc.dueMinor > 0
}

/** The CII XML (UTF-8, with declaration) of an invoice or credit note. A deposit request has no e-invoice. */
export function facturxXml(doc: InvoiceDocument): string {
  if (doc.kind === 'deposit') throw new Error('a deposit request is not an invoice and has no e-invoice (Factur-X) XML')
  const xrechnung = doc.profile === 'xrechnung'
  const currency = doc.currency

  const root = create({ version: '1.0', encoding: 'UTF-8' }).ele(NS.rsm, 'rsm:CrossIndustryInvoice', {
    'xmlns:rsm': NS.rsm,
    'xmlns:ram': NS.ram,
    'xmlns:udt': NS.udt,
    'xmlns:qdt': NS.qdt
  })
  const ram = (parent: XMLBuilder, name: string, attributes?: Record<string, string>): XMLBuilder =>
    parent.ele(NS.ram, `ram:${name}`, attributes)
  const text = (parent: XMLBuilder, name: string, value: string, attributes?: Record<string, string>): XMLBuilder =>
    ram(parent, name, attributes).txt(value).up()
  const dateTime = (parent: XMLBuilder, name: string, iso: string, ns: 'udt' | 'qdt' = 'udt'): void => {
    ram(parent, name).ele(NS[ns], `${ns}:DateTimeString`, { format: '102' }).txt(date102(iso))
  }
  const money = (parent: XMLBuilder, name: string, minor: number, withCurrency = false): void => {
    text(parent, name, amount(minor), withCurrency ? { currencyID: currency } : undefined)
  }
  const address = (parent: XMLBuilder, a: { street: string; postalCode: string; city: string; country: string }): void => {
    const postal = ram(parent, 'PostalTradeAddress')
    if (a.postalCode) text(postal, 'PostcodeCode', a.postalCode) // BT-38 / BT-53 / BT-78
    if (a.street) text(postal, 'LineOne', a.street) // BT-35 / BT-50 / BT-75
    if (a.city) text(postal, 'CityName', a.city) // BT-37 / BT-52 / BT-77
    text(postal, 'CountryID', a.country) // BT-40 / BT-55 / BT-80
  }

  // Context: BT-23 (XRechnung only), BT-24.
  const context = root.ele(NS.rsm, 'rsm:ExchangedDocumentContext')
  if (xrechnung) text(ram(context, 'BusinessProcessSpecifiedDocumentContextParameter'), 'ID', XRECHNUNG_PROCESS_ID)
  text(ram(context, 'GuidelineSpecifiedDocumentContextParameter'), 'ID', GUIDELINE_IDS[doc.profile])

  // The document: BT-1 number, BT-3 type, BT-2 issue date, BG-1 notes (BT-22).
  const header = root.ele(NS.rsm, 'rsm:ExchangedDocument')
  text(header, 'ID', doc.number)
  text(header, 'TypeCode', TYPE_CODES[doc.kind])
  dateTime(header, 'IssueDateTime', doc.issueDate)
  for (const note of [doc.legalNote, doc.notes]) {
    if (note) text(ram(header, 'IncludedNote'), 'Content', note)
  }

  const transaction = root.ele(NS.rsm, 'rsm:SupplyChainTradeTransaction')
  for (const l of doc.lines) lineItem(transaction, l)

  // Agreement: BT-10 buyer reference, BG-4 seller, BG-7 buyer, BT-14 sales order reference (the round).
  const agreement = ram(transaction, 'ApplicableHeaderTradeAgreement')
  if (doc.buyer.reference) text(agreement, 'BuyerReference', doc.buyer.reference)
  else if (xrechnung) throw new Error('an XRechnung needs the buyer reference (BT-10, BR-DE-15), e.g. the Leitweg-ID')

  const s = doc.seller
  const seller = ram(agreement, 'SellerTradeParty')
  // BT-29: without a VAT ID, the tax number identifies the seller (BR-CO-26 wants BT-29, BT-30 or BT-31).
  if (!s.vatId && s.taxNumber) text(seller, 'ID', s.taxNumber)
  text(seller, 'Name', s.name) // BT-27
  if (xrechnung) {
    // BG-6 seller contact: BT-41 point of contact, BT-42 telephone, BT-43 e-mail (BR-DE-2, BR-DE-5 … 7).
    const contact = ram(seller, 'DefinedTradeContact')
    text(contact, 'PersonName', s.name)
    if (s.phone) text(ram(contact, 'TelephoneUniversalCommunication'), 'CompleteNumber', s.phone)
    if (s.email) text(ram(contact, 'EmailURIUniversalCommunication'), 'URIID', s.email)
  }
  address(seller, s)
  // BT-34 seller electronic address (PEPPOL-EN16931-R020 under XRechnung's BT-23), scheme EM = e-mail.
  if (xrechnung && s.email) text(ram(seller, 'URIUniversalCommunication'), 'URIID', s.email, { schemeID: 'EM' })
  if (s.taxNumber) text(ram(seller, 'SpecifiedTaxRegistration'), 'ID', s.taxNumber, { schemeID: 'FC' }) // BT-32
  if (s.vatId) text(ram(seller, 'SpecifiedTaxRegistration'), 'ID', s.vatId, { schemeID: 'VA' }) // BT-31

  const b = doc.buyer
  const buyer = ram(agreement, 'BuyerTradeParty')
  text(buyer, 'Name', b.name) // BT-44
  address(buyer, b)
  // BT-49 buyer electronic address (PEPPOL-EN16931-R010 under XRechnung's BT-23), scheme EM = e-mail.
  if (xrechnung && b.email) text(ram(buyer, 'URIUniversalCommunication'), 'URIID', b.email, { schemeID: 'EM' })
  if (b.vatId) text(ram(buyer, 'SpecifiedTaxRegistration'), 'ID', b.vatId, { schemeID: 'VA' }) // BT-48
  if (doc.roundName) text(ram(agreement, 'SellerOrderReferencedDocument'), 'IssuerAssignedID', doc.roundName) // BT-14

  // Delivery: BG-15 deliver-to (the buyer's address) for an intra-Community supply (BR-IC-12), BT-72 the
  // date of supply (§ 14 Abs. 4 Nr. 6 UStG; BR-IC-11).
  const delivery = ram(transaction, 'ApplicableHeaderTradeDelivery')
  if (doc.vatRates.some((r) => r.category === 'K') || doc.lines.some((l) => l.vatCategory === 'K')) {
    const shipTo = ram(delivery, 'ShipToTradeParty')
    text(shipTo, 'Name', b.name) // BT-70
    address(shipTo, b)
  }
  if (doc.deliveryDate) dateTime(ram(delivery, 'ActualDeliverySupplyChainEvent'), 'OccurrenceDateTime', doc.deliveryDate)

  // Settlement.
  const settlement = ram(transaction, 'ApplicableHeaderTradeSettlement')
  const instructions = buyerPays(doc) || xrechnung
  if (instructions && doc.paymentReference) text(settlement, 'PaymentReference', doc.paymentReference) // BT-83
  text(settlement, 'InvoiceCurrencyCode', currency) // BT-5
  if (instructions) {
    // BG-16 / BG-17: SEPA credit transfer to the organisation's account (BT-81, BT-84, BT-86).
    const means = ram(settlement, 'SpecifiedTradeSettlementPaymentMeans')
    text(means, 'TypeCode', SEPA_CREDIT_TRANSFER)
    text(ram(means, 'PayeePartyCreditorFinancialAccount'), 'IBANID', s.iban.replace(/\s+/g, ''))
    if (s.bic) text(ram(means, 'PayeeSpecifiedCreditorFinancialInstitution'), 'BICID', s.bic)
  }
  for (const r of doc.vatRates) vatBreakdown(settlement, r)
  if (doc.dueDate && buyerPays(doc)) dateTime(ram(settlement, 'SpecifiedTradePaymentTerms'), 'DueDateDateTime', doc.dueDate) // BT-9

  // BG-22 totals. No document-level allowances or charges: BT-106 and BT-109 are both the net.
  const totals = ram(settlement, 'SpecifiedTradeSettlementHeaderMonetarySummation')
  money(totals, 'LineTotalAmount', doc.netMinor) // BT-106
  money(totals, 'TaxBasisTotalAmount', doc.netMinor) // BT-109
  money(totals, 'TaxTotalAmount', doc.vatMinor, true) // BT-110, in the invoice currency
  money(totals, 'GrandTotalAmount', doc.grossMinor) // BT-112
  money(totals, 'TotalPrepaidAmount', doc.prepaidMinor) // BT-113
  money(totals, 'DuePayableAmount', doc.dueMinor) // BT-115

  // BG-3 the preceding invoice (BT-25, BT-26) a credit note refers to.
  if (doc.precedingInvoice) {
    const preceding = ram(settlement, 'InvoiceReferencedDocument')
    text(preceding, 'IssuerAssignedID', doc.precedingInvoice.number)
    dateTime(preceding, 'FormattedIssueDateTime', doc.precedingInvoice.issueDate, 'qdt')
  } else if (doc.kind === 'credit_note') {
    throw new Error('a credit note must name the invoice it credits (BT-25)')
  }

  return root.end({ prettyPrint: true })

  /** BG-25: one invoice line. */
  function lineItem(parent: XMLBuilder, l: InvoiceLine): void {
    const item = ram(parent, 'IncludedSupplyChainTradeLineItem')
    const lineDoc = ram(item, 'AssociatedDocumentLineDocument')
    text(lineDoc, 'LineID', String(l.position)) // BT-126
    if (l.note) text(ram(lineDoc, 'IncludedNote'), 'Content', l.note) // BT-127
    const product = ram(item, 'SpecifiedTradeProduct')
    if (l.sku) text(product, 'SellerAssignedID', l.sku) // BT-155
    text(product, 'Name', l.description) // BT-153
    const price = ram(ram(item, 'SpecifiedLineTradeAgreement'), 'NetPriceProductTradePrice')
    money(price, 'ChargeAmount', l.unitPriceMinor) // BT-146 (per one unit: no BT-149 base quantity)
    text(ram(item, 'SpecifiedLineTradeDelivery'), 'BilledQuantity', quantity(l.quantityMilli), { unitCode: l.unitCode }) // BT-129, BT-130
    const lineSettlement = ram(item, 'SpecifiedLineTradeSettlement')
    const tax = ram(lineSettlement, 'ApplicableTradeTax')
    text(tax, 'TypeCode', 'VAT')
    text(tax, 'CategoryCode', l.vatCategory) // BT-151
    text(tax, 'RateApplicablePercent', percent(l.rateBp)) // BT-152
    money(ram(lineSettlement, 'SpecifiedTradeSettlementLineMonetarySummation'), 'LineTotalAmount', l.netMinor) // BT-131
  }

  /** BG-23: the VAT of one category and rate, with the exemption reason where the category is exempt. */
  function vatBreakdown(parent: XMLBuilder, r: InvoiceVatRate): void {
    const tax = ram(parent, 'ApplicableTradeTax')
    money(tax, 'CalculatedAmount', r.vatMinor) // BT-117
    text(tax, 'TypeCode', 'VAT')
    if (r.exemptionReason) text(tax, 'ExemptionReason', r.exemptionReason) // BT-120
    else if (EXEMPT.has(r.category)) throw new Error(`VAT category ${r.category} needs an exemption reason (BT-120)`)
    money(tax, 'BasisAmount', r.netMinor) // BT-116
    text(tax, 'CategoryCode', r.category) // BT-118
    if (r.exemptionCode) text(tax, 'ExemptionReasonCode', r.exemptionCode) // BT-121
    text(tax, 'RateApplicablePercent', percent(r.rateBp)) // BT-119
  }
}

/** The categories that need an exemption reason (BR-E-10, BR-IC-10, BR-G-10). */
const EXEMPT: ReadonlySet<VatCategory> = new Set(['E', 'K', 'G'])
