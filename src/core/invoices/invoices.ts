import { createHash } from 'node:crypto'
import { strToU8, zipSync } from 'fflate'
import { z } from 'zod'
import { AppError } from '../../shared/errors.ts'
import { resources } from '../../shared/i18n/index.ts'
import { EU_COUNTRIES, type Language } from '../../shared/reference.ts'
import { addDays } from '../common/time.ts'
import { quantityAmountMinor } from '../common/money.ts'
import { fill, formatMoney, LOCALES, localName, safeFileName } from '../common/text.ts'
import { amount, optionalDate, optionalText, percent, requiredText, requireMinor } from '../common/zod.ts'
import { buyerAllocations } from '../consolidation/changes.ts'
import { shortfalls } from '../distribution/shortfall.ts'
import { quantitySymbol } from '../purchasing/document.ts'
import { currencyDigits } from '../reference/reference.ts'
import { assertRoundNotClosed } from '../rounds/rounds.ts'
import { takeNumber } from '../db/numbering.ts'
import type { Workspace } from '../db/workspace.ts'
import { formatDay, formatScaledUnit, formatShare, isoDigits } from '../documents/format.ts'
import { type CellValue, csvFile } from '../spreadsheets/cells.ts'
import { formatScaled } from '../../shared/decimal.ts'
import { getOrganisation, type Organisation, organisationToday } from '../settings/organisation.ts'
import { checkVatId, vatCountry } from '../validate/vat.ts'
import { creditorReference } from './creditorReference.ts'
import type { InvoiceDocument, InvoiceKind, InvoiceLine, InvoiceVatRate, VatCategory } from './model.ts'
import { chargesVat, depositMinor, DISTANCE_SELLING_THRESHOLD_MINOR, distanceSelling, legalNote, type ShippingVat, type TaxTreatment, vatBreakdown, type VatCase, vatCase, type VatLine } from './vat.ts'

/**
 * Invoices of a round (issue 11): deposit requests when a round closes for orders, final invoices from
 * the delivered quantities at round prices, and credit notes. A draft is computed afresh from the round
 * whenever it is read; issuing freezes it (see `issueInvoice`). Rendering (PDF, XML) is passed in as
 * `Printer`, so that this module stays free of pdfkit and can be tested with the real one.
 */

export type InvoiceStatus = 'draft' | 'issued'

/** What turns an invoice document into its files. */
export interface Printer {
  /** The Factur-X XML (none for a deposit request). */
  xml(doc: InvoiceDocument): string | null
  /** The PDF, synchronously (issuing writes it in the transaction that numbers it). */
  pdf(doc: InvoiceDocument, xml: string | null, draft: boolean): Buffer
  /**
   * The PDFs of several documents at once, in their order, synchronously (rendered on several cores:
   * see documents/pdfPool.ts). Without it, bulk issuing renders them one by one with `pdf`.
   */
  pdfs?(items: { doc: InvoiceDocument; xml: string | null }[]): Buffer[]
  /** The EN 16931 arithmetic rules the document breaks (none, or issuing is refused). */
  check(doc: InvoiceDocument): string[]
}

/** What keeps a draft from being issued: a code under `invoiceProblems.` and its parameters. */
export interface InvoiceProblem {
  code:
    | 'buyer_address'
    | 'buyer_vat_id'
    | 'buyer_reference'
    | 'buyer_email'
    | 'buyer_vat_country'
    | 'export_in_eu'
    | 'organisation_contact'
    | 'vat_rate_missing'
    | 'due_before_issue'
    | 'organisation_address'
    | 'organisation_iban'
    | 'organisation_tax_id'
    | 'organisation_vat_id'
    | 'price_missing'
    | 'nothing_delivered'
    | 'distance_over'
    | 'distance_over_last_year'
    | 'already_invoiced'
  params?: Record<string, string>
}

export interface InvoiceRow {
  id: string
  kind: InvoiceKind
  status: InvoiceStatus
  number: string | null
  roundId: string
  roundName: string
  buyerId: string
  buyerName: string
  language: Language
  issueDate: string | null
  dueDate: string | null
  currency: string
  vatCase: VatCase | null
  netMinor: number
  vatMinor: number
  grossMinor: number
  prepaidMinor: number
  dueMinor: number
  /** For a deposit request: what was received. */
  paidMinor: number
  /** The credit note that cancels this invoice, or the invoice a credit note cancels. */
  creditedBy: { id: string; number: string } | null
  credits: { id: string; number: string } | null
}

export interface Charge {
  description: string
  netMinor: number
  vatClass: 'reduced' | 'standard' | 'zero'
}

interface Row {
  id: string
  kind: InvoiceKind
  status: InvoiceStatus
  round_id: string
  round_name: string
  buyer_id: string
  buyer_name: string
  buyer_language: Language
  credits_id: string | null
  number: string | null
  seq: number | null
  issue_date: string | null
  delivery_date: string | null
  due_date: string | null
  language: Language | null
  currency: string
  vat_case: VatCase | null
  shipping_minor: number
  charges: string
  deposit_share_bp: number | null
  net_minor: number
  vat_minor: number
  gross_minor: number
  prepaid_minor: number
  due_minor: number
  notes: string | null
  payment_reference: string | null
  document: string | null
  hash: string | null
  prev_hash: string | null
  paid_minor: number
  credited_by_id: string | null
  credited_by_number: string | null
  credits_number: string | null
}

const SELECT = `SELECT i.*, r.name AS round_name, b.name AS buyer_name, b.language AS buyer_language,
  (SELECT coalesce(sum(a.amount_minor), 0) FROM payment_allocation a WHERE a.invoice_id = i.id AND a.deleted_at IS NULL) AS paid_minor,
  (SELECT c.id FROM invoice c WHERE c.credits_id = i.id AND c.status = 'issued' AND c.deleted_at IS NULL) AS credited_by_id,
  (SELECT c.number FROM invoice c WHERE c.credits_id = i.id AND c.status = 'issued' AND c.deleted_at IS NULL) AS credited_by_number,
  (SELECT o.number FROM invoice o WHERE o.id = i.credits_id) AS credits_number
  FROM invoice i JOIN round r ON r.id = i.round_id JOIN buyer b ON b.id = i.buyer_id`

function toRow(r: Row): InvoiceRow {
  return {
    id: r.id,
    kind: r.kind,
    status: r.status,
    number: r.number,
    roundId: r.round_id,
    roundName: r.round_name,
    buyerId: r.buyer_id,
    buyerName: r.buyer_name,
    language: r.language ?? r.buyer_language,
    issueDate: r.issue_date,
    dueDate: r.due_date,
    currency: r.currency,
    vatCase: r.vat_case,
    netMinor: r.net_minor,
    vatMinor: r.vat_minor,
    grossMinor: r.gross_minor,
    prepaidMinor: r.prepaid_minor,
    dueMinor: r.due_minor,
    paidMinor: r.paid_minor,
    creditedBy: r.credited_by_id && r.credited_by_number ? { id: r.credited_by_id, number: r.credited_by_number } : null,
    credits: r.credits_id && r.credits_number ? { id: r.credits_id, number: r.credits_number } : null
  }
}

function readRow(ws: Workspace, id: string): Row {
  const row = ws.db.prepare(`${SELECT} WHERE i.id = ? AND i.deleted_at IS NULL`).get(id) as Row | undefined
  if (!row) throw new AppError('record.not_found', { id })
  return row
}

export const invoiceListInput = z.object({ roundId: z.uuid().optional(), buyerId: z.uuid().optional() })

/** The invoices of a round and/or a buyer, drafts first, then by number. A draft's figures are those it had when last computed. */
export function listInvoices(ws: Workspace, input: z.output<typeof invoiceListInput>): (InvoiceRow & { problems: InvoiceProblem[] })[] {
  const where = ['i.deleted_at IS NULL']
  const params: string[] = []
  if (input.roundId) {
    where.push('i.round_id = ?')
    params.push(input.roundId)
  }
  if (input.buyerId) {
    where.push('i.buyer_id = ?')
    params.push(input.buyerId)
  }
  const rows = ws.db.prepare(`${SELECT} WHERE ${where.join(' AND ')} ORDER BY i.status = 'issued', i.seq, b.name COLLATE NOCASE`).all(...params) as Row[]
  const day = today(ws)
  const memo: Memo = new Map()
  return rows.map((r) => {
    if (r.status === 'issued') return { ...toRow(r), problems: [] }
    const built = buildDraft(ws, r, day, memo)
    return { ...toRow(r), ...totalsOf(built.document), vatCase: built.document.vatCase, problems: built.problems }
  })
}

function totalsOf(d: InvoiceDocument) {
  return { netMinor: d.netMinor, vatMinor: d.vatMinor, grossMinor: d.grossMinor, prepaidMinor: d.prepaidMinor, dueMinor: d.dueMinor }
}

export interface InvoiceDetail extends InvoiceRow {
  document: InvoiceDocument
  problems: InvoiceProblem[]
  /** For a consumer in another EU country: the year's supplies to such consumers against the €10,000 threshold. */
  distanceSelling: { totalMinor: number; level: 'ok' | 'near' | 'over' } | null
  shippingMinor: number
  charges: Charge[]
  notes: string | null
  deliveryDate: string | null
  hash: string | null
  prevHash: string | null
}

export function getInvoice(ws: Workspace, id: string): InvoiceDetail {
  const r = readRow(ws, id)
  const extra = {
    shippingMinor: r.shipping_minor,
    charges: JSON.parse(r.charges) as Charge[],
    notes: r.notes,
    deliveryDate: r.delivery_date,
    hash: r.hash,
    prevHash: r.prev_hash
  }
  if (r.status === 'issued') return { ...toRow(r), ...extra, document: JSON.parse(r.document!) as InvoiceDocument, problems: [], distanceSelling: null }
  const built = buildDraft(ws, r, today(ws))
  return { ...toRow(r), ...totalsOf(built.document), vatCase: built.document.vatCase, ...extra, document: built.document, problems: built.problems, distanceSelling: built.distance }
}

const today = organisationToday

interface Settings {
  org: Organisation
  shippingVat: ShippingVat
  depositShareBp: number
  paymentDays: number
}

function settings(ws: Workspace): Settings {
  const org = getOrganisation(ws)
  const row = ws.db.prepare('SELECT shipping_vat, deposit_share_bp, payment_days FROM organisation WHERE deleted_at IS NULL LIMIT 1').get() as
    | { shipping_vat: ShippingVat; deposit_share_bp: number; payment_days: number }
    | undefined
  return { org, shippingVat: row?.shipping_vat ?? 'standard', depositShareBp: row?.deposit_share_bp ?? 5000, paymentDays: row?.payment_days ?? 14 }
}

export const invoiceSettingsInput = z.object({
  shippingVat: z.enum(['standard', 'split']),
  /** The deposit share in percent (0–100, whole). */
  depositPercent: percent,
  paymentDays: z.number({ message: 'invalid' }).int({ message: 'invalid' }).min(0, { message: 'invalid' }).max(365, { message: 'invalid' })
})

/** How invoices are made: shipping taxed in full or split, the deposit share, the days to pay. */
export function invoiceSettings(ws: Workspace): z.input<typeof invoiceSettingsInput> & { saved: boolean } {
  const s = settings(ws)
  return { shippingVat: s.shippingVat, depositPercent: s.depositShareBp / 100, paymentDays: s.paymentDays, saved: s.org.id !== null }
}

export function saveInvoiceSettings(ws: Workspace, input: z.output<typeof invoiceSettingsInput>): { saved: true } {
  const org = getOrganisation(ws)
  if (org.id === null) throw new AppError('invoices.no_organisation')
  ws.write.update('organisation', org.id, { shipping_vat: input.shippingVat, deposit_share_bp: input.depositPercent * 100, payment_days: input.paymentDays })
  return { saved: true }
}

/**
 * The VAT rates of a country in force on a day (the day of supply, § 27 UStG), by class, in basis points.
 * A class without a rate on that day is remembered in `missing` (issuing is then refused) and counts as 0.
 */
function ratesOn(ws: Workspace, country: string, day: string): { rateOf: (vatClass: string) => number; missing: Set<string> } {
  const rows = ws.db
    .prepare('SELECT class, rate_bp FROM vat_rate WHERE country = ? AND valid_from <= ? AND (valid_to IS NULL OR valid_to > ?) AND deleted_at IS NULL')
    .all(country, day, day) as { class: string; rate_bp: number }[]
  const map = new Map(rows.map((r) => [r.class, r.rate_bp]))
  const missing = new Set<string>()
  const rateOf = (c: string) => {
    if (c === 'zero') return 0
    const bp = map.get(c)
    if (bp === undefined) missing.add(c)
    return bp ?? 0
  }
  return { rateOf, missing }
}

interface BuyerData {
  id: string
  name: string
  street: string | null
  postal_code: string | null
  city: string | null
  country: string
  language: Language
  vat_id: string | null
  tax_treatment: TaxTreatment
  einvoice_profile: 'en16931' | 'xrechnung'
  buyer_reference: string | null
  /** The first contact's e-mail: the buyer's electronic address (BT-49) on an XRechnung. */
  email: string | null
}

function buyerData(ws: Workspace, id: string): BuyerData {
  return ws.db
    .prepare(
      `SELECT id, name, street, postal_code, city, country, language, vat_id, tax_treatment, einvoice_profile, buyer_reference,
        (SELECT email FROM contact c WHERE c.buyer_id = b.id AND c.deleted_at IS NULL AND c.email IS NOT NULL ORDER BY position LIMIT 1) AS email
       FROM buyer b WHERE id = ?`
    )
    .get(id) as BuyerData
}

function texts(lang: Language) {
  return resources[lang].translation.invoiceLines
}

/** The problems of the parties for a case (what issuing needs of them). */
function partyProblems(org: Organisation, buyer: BuyerData, c: VatCase, kind: InvoiceKind): InvoiceProblem[] {
  const problems: InvoiceProblem[] = []
  if (!org.street || !org.postalCode || !org.city || !org.name) problems.push({ code: 'organisation_address' })
  if (!org.iban) problems.push({ code: 'organisation_iban' })
  if (!org.vatId && !org.taxNumber) problems.push({ code: 'organisation_tax_id' })
  if (!buyer.street || !buyer.postal_code || !buyer.city) problems.push({ code: 'buyer_address', params: { buyer: buyer.name } })
  if (kind !== 'deposit') {
    const vc = vatCase(
      { country: org.country, vatId: org.vatId, smallBusiness: org.smallBusiness },
      { country: buyer.country, vatId: buyer.vat_id, taxTreatment: buyer.tax_treatment, vatIdValid: !!buyer.vat_id && checkVatId(buyer.vat_id) === null }
    )
    for (const p of vc.problems) problems.push({ code: p.code, params: { buyer: buyer.name } })
    if (c === 'export' && !org.vatId) problems.push({ code: 'organisation_vat_id' })
    // A 0 % case must fit the addresses: intra-EU only to a VAT ID of another member state, export only outside the EU.
    if (c === 'intra_eu' && buyer.vat_id) {
      const country = vatCountry(buyer.vat_id)
      if (country === org.country || !EU_COUNTRIES.includes(country)) problems.push({ code: 'buyer_vat_country', params: { buyer: buyer.name } })
    }
    if (c === 'export' && EU_COUNTRIES.includes(buyer.country)) problems.push({ code: 'export_in_eu', params: { buyer: buyer.name } })
    if (buyer.einvoice_profile === 'xrechnung') {
      if (!buyer.buyer_reference) problems.push({ code: 'buyer_reference', params: { buyer: buyer.name } })
      if (!buyer.email) problems.push({ code: 'buyer_email', params: { buyer: buyer.name } })
      if (!org.email || !org.phone) problems.push({ code: 'organisation_contact' })
    }
  }
  return problems
}

function caseOf(org: Organisation, buyer: BuyerData): VatCase {
  return vatCase(
    { country: org.country, vatId: org.vatId, smallBusiness: org.smallBusiness },
    { country: buyer.country, vatId: buyer.vat_id, taxTreatment: buyer.tax_treatment, vatIdValid: !!buyer.vat_id && checkVatId(buyer.vat_id) === null }
  ).case
}

function categoryOf(c: VatCase, rateBp: number): VatCategory {
  if (c === 'intra_eu') return 'K'
  if (c === 'export') return 'G'
  if (c === 'small_business') return 'E'
  return rateBp > 0 ? 'S' : 'Z'
}

/** The legal note of a case in a language (the intra-EU one names both VAT IDs). */
function noteOf(c: VatCase, lang: Language, org: Organisation, buyer: { vatId: string | null }): string | null {
  const key = legalNote(c)
  if (!key) return null
  return fill(resources[lang].translation.invoiceNotes[key], { supplierVatId: org.vatId ?? '', buyerVatId: buyer.vatId ?? '' })
}

/** The exemption reason of a category in a language (BT-120), and its VATEX code (BT-121). */
function exemption(category: VatCategory, lang: Language): { exemptionReason: string | null; exemptionCode: string | null } {
  const n = resources[lang].translation.invoiceNotes
  if (category === 'K') return { exemptionReason: fill(n.intra_eu, { supplierVatId: '', buyerVatId: '' }).split(/(?<=\))\. /)[0]!.replace(/\.?$/, '.'), exemptionCode: 'VATEX-EU-IC' }
  if (category === 'G') return { exemptionReason: n.export, exemptionCode: 'VATEX-EU-G' }
  if (category === 'E') return { exemptionReason: n.small_business, exemptionCode: null }
  return { exemptionReason: null, exemptionCode: null }
}

/** The UN/ECE Recommendation 20 code of a sales unit. */
function unitCode(unit: string): string {
  if (unit === 'kg') return 'KGM'
  if (unit === 'l') return 'LTR'
  if (unit === 'm2') return 'MTK'
  return 'H87'
}

interface Built {
  document: InvoiceDocument
  problems: InvoiceProblem[]
  distance: InvoiceDetail['distanceSelling']
  lines: (InvoiceLine & { kind: 'goods' | 'shipping' | 'charge' | 'deposit'; productId: string | null; orderedMilli: number | null; toleranceMilli: number | null })[]
}

/**
 * What one listing or bulk issue computes once per round rather than once per draft: the buyers'
 * allocations (issuing changes no order, so they stay the same across a bulk issue).
 */
export type Memo = Map<string, ReturnType<typeof buyerAllocations>>

/** The day the round's goods were delivered: the latest 'delivered' day on its shipments' timelines, or null. */
function deliveredOn(ws: Workspace, roundId: string): string | null {
  return (
    (ws.db
      .prepare(
        `SELECT max(e.on_day) FROM shipment_event e JOIN shipment s ON s.id = e.shipment_id
         WHERE s.round_id = ? AND e.status = 'delivered' AND s.deleted_at IS NULL`
      )
      .pluck()
      .get(roundId) as string | null) ?? null
  )
}

/** Deposits the buyer paid for the round (on its issued deposit requests). */
function depositsPaid(ws: Workspace, roundId: string, buyerId: string): number {
  return ws.db
    .prepare(
      `SELECT coalesce(sum(a.amount_minor), 0) FROM payment_allocation a JOIN invoice i ON i.id = a.invoice_id
       WHERE i.round_id = ? AND i.buyer_id = ? AND i.kind = 'deposit' AND i.status = 'issued' AND i.deleted_at IS NULL AND a.deleted_at IS NULL`
    )
    .pluck()
    .get(roundId, buyerId) as number
}

/** Net supplies to consumers in other EU countries issued in the year of `day` (credit notes deducted); `yearsBack` 1: the year before. */
function distanceYearToDate(ws: Workspace, day: string, yearsBack = 0): number {
  return ws.db
    .prepare(
      `SELECT coalesce(sum(CASE kind WHEN 'credit_note' THEN -net_minor ELSE net_minor END), 0) FROM invoice
       WHERE status = 'issued' AND vat_case = 'eu_consumer' AND kind <> 'deposit' AND substr(issue_date, 1, 4) = ? AND deleted_at IS NULL`
    )
    .pluck()
    .get(String(Number(day.slice(0, 4)) - yearsBack)) as number
}

/**
 * The threshold holds only while neither this year's nor the previous year's supplies passed it (Art. 59c
 * VAT Directive): over it last year, the destination country's VAT applies from the first invoice on.
 */
function distanceLastYearProblem(ws: Workspace, day: string, buyer: string): InvoiceProblem | null {
  const last = distanceYearToDate(ws, day, 1)
  return last > DISTANCE_SELLING_THRESHOLD_MINOR
    ? { code: 'distance_over_last_year', params: { buyer, year: String(Number(day.slice(0, 4)) - 1) } }
    : null
}

function seller(org: Organisation): InvoiceDocument['seller'] {
  return {
    name: org.name,
    street: org.street ?? '',
    postalCode: org.postalCode ?? '',
    city: org.city ?? '',
    country: org.country,
    vatId: org.vatId,
    taxNumber: org.taxNumber,
    iban: org.iban ?? '',
    bic: org.bic,
    bankName: org.bankName,
    email: org.email,
    phone: org.phone,
    smallBusiness: org.smallBusiness
  }
}

function buyerOf(b: BuyerData): InvoiceDocument['buyer'] {
  return {
    name: b.name,
    street: b.street ?? '',
    postalCode: b.postal_code ?? '',
    city: b.city ?? '',
    country: b.country,
    vatId: b.vat_id,
    reference: b.buyer_reference,
    email: b.email
  }
}

/** Groups a list of lines into the VAT breakdown the document prints (per category and rate). */
function vatRatesOf(lines: readonly InvoiceLine[], lang: Language, vatOfRate: Map<number, number>): InvoiceVatRate[] {
  const groups = new Map<string, InvoiceVatRate>()
  for (const l of lines) {
    const key = `${l.vatCategory}:${l.rateBp}`
    let g = groups.get(key)
    if (!g) groups.set(key, (g = { category: l.vatCategory, rateBp: l.rateBp, netMinor: 0, vatMinor: 0, ...exemption(l.vatCategory, lang) }))
    g.netMinor += l.netMinor
  }
  const out = [...groups.values()].sort((a, b) => b.rateBp - a.rateBp)
  for (const g of out) g.vatMinor = vatOfRate.get(g.rateBp) ?? 0
  return out
}

/**
 * A final invoice's draft: the buyer's delivered quantities (received, else confirmed, else planned),
 * less the units the tick list found missing or damaged at the handover, at the round's prices, its charges and the shipping charge, the VAT of its case, the deposits paid.
 */
function buildDraft(ws: Workspace, r: Row, day: string, memo: Memo = new Map()): Built {
  if (r.kind === 'deposit') return buildDeposit(ws, r, day)
  if (r.kind === 'credit_note') throw new Error('credit notes are issued at once')
  const s = settings(ws)
  const org = s.org
  const buyer = buyerData(ws, r.buyer_id)
  const lang = buyer.language
  const c = caseOf(org, buyer)
  const problems = partyProblems(org, buyer, c, 'invoice')
  const t = texts(lang)
  // The date of supply decides the VAT rate (§ 27 UStG): the day set on the draft, else the day the
  // round's goods were delivered (the shipments' timeline), else the issue date.
  const deliveryDate = r.delivery_date ?? deliveredOn(ws, r.round_id) ?? day
  const { rateOf, missing } = ratesOn(ws, org.country, deliveryDate)
  let allocations = memo.get(r.round_id)
  if (!allocations) memo.set(r.round_id, (allocations = buyerAllocations(ws, r.round_id, 'received')))
  const alloc = allocations.find((b) => b.buyerId === r.buyer_id)
  // Units found missing or damaged at the handover (distribution day's tick list) are not charged;
  // they come off the tolerance part first, then off what was ordered.
  const short = shortfalls(ws, r.round_id)
  const byProduct = new Map<string, { granted: number; ordered: number; tolerance: number; stepMilli: number }>()
  for (const l of alloc?.lines ?? []) {
    const s = short.get(l.lineId)
    const lost = Math.min(l.granted, s ? s.missing + s.damaged : 0)
    const granted = l.granted - lost
    if (granted <= 0) continue
    const fromTolerance = Math.max(0, l.fromTolerance - lost)
    const p = byProduct.get(l.productId) ?? { granted: 0, ordered: 0, tolerance: 0, stepMilli: l.stepMilli }
    p.granted += granted
    p.ordered += granted - fromTolerance
    p.tolerance += fromTolerance
    byProduct.set(l.productId, p)
  }
  const products = byProduct.size
    ? (ws.db
        .prepare(
          `SELECT p.id, p.sku, p.name_es AS nameEs, p.name_de AS nameDe, p.name_en AS nameEn, p.sales_unit AS salesUnit, p.vat_class AS vatClass, rp.price_minor AS price
           FROM product p LEFT JOIN round_product rp ON rp.product_id = p.id AND rp.round_id = ?
           WHERE p.id IN (SELECT value FROM json_each(?)) ORDER BY p.sku`
        )
        .all(r.round_id, JSON.stringify([...byProduct.keys()])) as {
        id: string
        sku: string
        nameEs: string | null
        nameDe: string | null
        nameEn: string | null
        salesUnit: string
        vatClass: string
        price: number | null
      }[])
    : []
  const goods: Built['lines'] = []
  const missingPrices: string[] = []
  for (const p of products) {
    const q = byProduct.get(p.id)!
    if (p.price === null) {
      missingPrices.push(p.sku)
      continue
    }
    const quantityMilli = q.granted * q.stepMilli
    const unit = quantitySymbol(p.salesUnit) || t.piece
    goods.push({
      kind: 'goods',
      productId: p.id,
      orderedMilli: q.ordered * q.stepMilli,
      toleranceMilli: q.tolerance * q.stepMilli,
      position: 0,
      description: localName(p, lang),
      sku: p.sku,
      quantityMilli,
      unitCode: unitCode(p.salesUnit),
      unitLabel: unit,
      unitPriceMinor: p.price,
      netMinor: quantityAmountMinor(quantityMilli, p.price),
      vatCategory: 'S',
      rateBp: 0,
      note:
        q.tolerance > 0
          ? fill(t.fromTolerance, { ordered: formatQuantity(q.ordered * q.stepMilli, lang), tolerance: formatQuantity(q.tolerance * q.stepMilli, lang), unit })
          : null,
      vatClass: p.vatClass
    } as Built['lines'][number] & { vatClass: string })
  }
  if (missingPrices.length) problems.push({ code: 'price_missing', params: { skus: missingPrices.join(', ') } })
  if (goods.length === 0 && missingPrices.length === 0) problems.push({ code: 'nothing_delivered', params: { buyer: buyer.name } })
  const charges = JSON.parse(r.charges) as Charge[]
  const vatLines: VatLine[] = [...goods.map((g) => ({ vatClass: (g as unknown as { vatClass: string }).vatClass, netMinor: g.netMinor })), ...charges.map((ch) => ({ vatClass: ch.vatClass, netMinor: ch.netMinor }))]
  const breakdown = vatBreakdown(c, vatLines, r.shipping_minor, s.shippingVat, rateOf)
  const rate = (vatClass: string) => (chargesVat(c) ? rateOf(vatClass) : 0)
  if (chargesVat(c) && missing.size)
    problems.push({ code: 'vat_rate_missing', params: { classes: [...missing].map((m) => resources[lang].translation.vatClass[m as 'standard'] ?? m).join(', '), country: org.country, day: deliveryDate } })
  const lines: Built['lines'] = []
  for (const g of goods) {
    const bp = rate((g as unknown as { vatClass: string }).vatClass)
    const { vatClass: _vc, ...plain } = g as Built['lines'][number] & { vatClass: string }
    lines.push({ ...plain, rateBp: bp, vatCategory: categoryOf(c, bp) })
  }
  for (const ch of charges) {
    const bp = rate(ch.vatClass)
    lines.push(chargeLine('charge', ch.description, ch.netMinor, bp, categoryOf(c, bp)))
  }
  const split = breakdown.shipping.length > 1
  for (const sh of breakdown.shipping) {
    const label = split ? fill(t.shippingShare, { rate: formatRate(sh.rateBp, lang) }) : t.shipping
    lines.push(chargeLine('shipping', label, sh.netMinor, sh.rateBp, categoryOf(c, sh.rateBp)))
  }
  lines.forEach((l, i) => (l.position = i + 1))
  const vatByRate = new Map(breakdown.rates.map((x) => [x.rateBp, x.vatMinor]))
  const vatRates = vatRatesOf(lines, lang, vatByRate)
  const prepaid = depositsPaid(ws, r.round_id, r.buyer_id)
  const gross = breakdown.grossMinor
  let distance: Built['distance'] = null
  if (c === 'eu_consumer') {
    distance = distanceSelling(distanceYearToDate(ws, day), breakdown.netMinor)
    if (distance.level === 'over') problems.push({ code: 'distance_over', params: { buyer: buyer.name } })
    const lastYear = distanceLastYearProblem(ws, day, buyer.name)
    if (lastYear) problems.push(lastYear)
  }
  const open = ws.db
    .prepare(`SELECT number FROM invoice i WHERE round_id = ? AND buyer_id = ? AND kind = 'invoice' AND status = 'issued' AND deleted_at IS NULL
      AND NOT EXISTS (SELECT 1 FROM invoice c WHERE c.credits_id = i.id AND c.status = 'issued' AND c.deleted_at IS NULL)`)
    .pluck()
    .get(r.round_id, r.buyer_id) as string | undefined
  if (open) problems.push({ code: 'already_invoiced', params: { number: open } })
  const dueMinor = gross - prepaid
  const dueDate = dueMinor > 0 ? (r.due_date ?? addDays(day, s.paymentDays)) : null
  if (dueDate !== null && dueDate < day) problems.push({ code: 'due_before_issue', params: { due: dueDate } })
  const document: InvoiceDocument = {
    kind: 'invoice',
    number: r.number ?? resources[lang].translation.invoiceLines.draftNumber,
    issueDate: day,
    deliveryDate,
    dueDate,
    language: lang,
    currency: r.currency,
    profile: buyer.einvoice_profile,
    vatCase: c,
    seller: seller(org),
    buyer: buyerOf(buyer),
    roundName: r.round_name,
    lines,
    vatRates,
    netMinor: breakdown.netMinor,
    vatMinor: breakdown.vatMinor,
    grossMinor: gross,
    prepaidMinor: prepaid,
    dueMinor,
    paymentReference: '',
    legalNote: noteOf(c, lang, org, { vatId: buyer.vat_id }),
    precedingInvoice: null,
    notes: r.notes
  }
  return { document, problems, distance, lines }
}

function chargeLine(kind: 'shipping' | 'charge', description: string, netMinor: number, rateBp: number, category: VatCategory): Built['lines'][number] {
  return {
    kind,
    productId: null,
    orderedMilli: null,
    toleranceMilli: null,
    position: 0,
    description,
    sku: null,
    quantityMilli: 1000,
    unitCode: 'C62',
    unitLabel: '',
    unitPriceMinor: netMinor,
    netMinor,
    vatCategory: category,
    rateBp,
    note: null
  }
}

function formatQuantity(milli: number, lang: Language): string {
  return formatScaledUnit(milli, 3, 3, LOCALES[lang])
}

function formatRate(bp: number, lang: Language): string {
  return formatShare(bp, LOCALES[lang])
}

/** A deposit request: one amount, no VAT (the final invoice shows the VAT and deducts what was paid). */
function buildDeposit(ws: Workspace, r: Row, day: string): Built {
  const org = getOrganisation(ws)
  const buyer = buyerData(ws, r.buyer_id)
  const lang = buyer.language
  const t = texts(lang)
  const c = caseOf(org, buyer)
  const line: Built['lines'][number] = {
    ...chargeLine('charge', fill(t.deposit, { share: formatRate(r.deposit_share_bp ?? 0, lang), round: r.round_name }), r.gross_minor, 0, 'Z'),
    kind: 'deposit',
    position: 1
  }
  const document: InvoiceDocument = {
    kind: 'deposit',
    number: r.number ?? t.draftNumber,
    issueDate: r.issue_date ?? day,
    deliveryDate: null,
    dueDate: r.due_date,
    language: lang,
    currency: r.currency,
    profile: 'en16931',
    vatCase: c,
    seller: seller(org),
    buyer: buyerOf(buyer),
    roundName: r.round_name,
    lines: [line],
    vatRates: [],
    netMinor: r.gross_minor,
    vatMinor: 0,
    grossMinor: r.gross_minor,
    prepaidMinor: 0,
    dueMinor: r.gross_minor,
    paymentReference: '',
    legalNote: t.depositNote,
    precedingInvoice: null,
    notes: r.notes
  }
  return { document, problems: partyProblems(org, buyer, c, 'deposit'), distance: null, lines: [line] }
}

/** A problem in words, in the UI's language. */
export function problemText(p: InvoiceProblem, lang: Language): string {
  return fill(resources[lang].translation.invoiceProblems[p.code], p.params ?? {})
}

function refuseProblems(problems: InvoiceProblem[], buyer: string, lang: Language): void {
  if (problems.length) throw new AppError('invoices.not_ready', { buyer, missing: problems.map((p) => problemText(p, lang)).join(' ') })
}

/** The payment reference of a number: its letters and digits as an ISO 11649 creditor reference. */
export function referenceOf(number: string): string {
  return creditorReference(number.replace(/[^A-Za-z0-9]/g, '').toUpperCase().slice(-21))
}

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex')
}

/**
 * Issues a document: takes the next number of its series in this transaction, freezes the document
 * (lines, totals, the document as printed), stores its PDF and XML and chains its hash to the
 * previously issued one. Refused, with nothing numbered, while anything it needs is missing.
 */
export function issueInvoice(ws: Workspace, id: string, printer: Printer, lang: Language, day = today(ws), memo: Memo = new Map()): InvoiceRow {
  if (!ws.db.inTransaction) throw new Error('issue an invoice inside a transaction')
  const r = readRow(ws, id)
  if (r.status === 'issued') throw new AppError('invoices.already_issued', { number: r.number ?? '' })
  assertRoundNotClosed(ws, r.round_id)
  const built = buildDraft(ws, r, day, memo)
  refuseProblems(built.problems, r.buyer_name, lang)
  return freeze(ws, r, built, printer, day)
}

/**
 * Issues several drafts in the transaction open (a batch of a bulk issue) and returns them in their
 * order: the same numbers, documents, files and hash chain as issuing them one after another with
 * `issueInvoice`, but with their PDFs rendered together (`printer.pdfs`, on several cores). Each draft is
 * numbered and its document made first; once the PDFs are there, each is stored in order, and its draft
 * is built again right before, now that the ones before it are issued: should its document differ (a
 * draft that depends on the invoices issued before it, such as the running total of distance sales), it
 * is printed again here, so that what is stored is always what issuing them one by one would store.
 * `onIssued` is called after each (a job's progress: a cancel there rolls the whole batch back).
 */
export function issueInvoices(ws: Workspace, ids: string[], printer: Printer, lang: Language, day = today(ws), memo: Memo = new Map(), onIssued: (done: number) => void = () => {}): InvoiceRow[] {
  if (!ws.db.inTransaction) throw new Error('issue invoices inside a transaction')
  const pdfs = printer.pdfs?.bind(printer)
  if (!pdfs || ids.length < 2) {
    return ids.map((id, i) => {
      const row = issueInvoice(ws, id, printer, lang, day, memo)
      onIssued(i + 1)
      return row
    })
  }
  const planned = ids.map((id) => {
    const r = readRow(ws, id)
    if (r.status === 'issued') throw new AppError('invoices.already_issued', { number: r.number ?? '' })
    const built = buildDraft(ws, r, day, memo)
    refuseProblems(built.problems, r.buyer_name, lang)
    return numbered(ws, r, built, printer, day)
  })
  const printed = pdfs(planned.map((p) => ({ doc: p.document, xml: p.xml })))
  return planned.map((p, i) => {
    const r = readRow(ws, ids[i]!)
    const built = buildDraft(ws, r, day, memo)
    refuseProblems(built.problems, r.buyer_name, lang)
    const now: Numbered = { ...p, built, document: { ...built.document, number: p.document.number, issueDate: day, paymentReference: p.document.paymentReference } }
    const same = JSON.stringify(now.document) === JSON.stringify(p.document) && JSON.stringify(built.lines) === JSON.stringify(p.built.lines)
    const row = same ? store(ws, r, p, printed[i]!, day) : store(ws, r, printable(now, printer), printer.pdf(now.document, printer.xml(now.document), false), day)
    onIssued(i + 1)
    return row
  })
}

/** A draft with its number taken: the document as issued, and its XML. */
interface Numbered {
  built: Built
  document: InvoiceDocument
  xml: string | null
}

/** Takes the draft's number (in this transaction) and makes the document as issued, checked, with its XML. */
function numbered(ws: Workspace, r: Row, built: Built, printer: Printer, day: string): Numbered {
  const number = takeNumber(ws, r.kind, r.id, day)
  return printable({ built, document: { ...built.document, number, issueDate: day, paymentReference: referenceOf(number) }, xml: null }, printer)
}

function printable(n: Numbered, printer: Printer): Numbered {
  const broken = printer.check(n.document)
  if (broken.length) throw new Error(`invoice ${n.document.number} breaks ${broken.join(', ')}`)
  return { ...n, xml: printer.xml(n.document) }
}

function freeze(ws: Workspace, r: Row, built: Built, printer: Printer, day: string): InvoiceRow {
  const n = numbered(ws, r, built, printer, day)
  return store(ws, r, n, printer.pdf(n.document, n.xml, false), day)
}

/** Stores an issued document: its lines, its files, the invoice frozen with its number, and the hash chained to the previous one. */
function store(ws: Workspace, r: Row, n: Numbered, pdf: Buffer, day: string): InvoiceRow {
  const { built, document, xml } = n
  const number = document.number
  const last = ws.db.prepare("SELECT seq, hash FROM invoice WHERE status = 'issued' ORDER BY seq DESC LIMIT 1").get() as { seq: number; hash: string } | undefined
  const pdfHash = sha256(pdf)
  const hash = sha256([last?.hash ?? '', number, day, sha256(xml ?? ''), pdfHash].join('\n'))
  built.lines.forEach((l) =>
    ws.write.insert('invoice_line', {
      id: ws.env.uuid(),
      invoice_id: r.id,
      position: l.position,
      kind: l.kind,
      product_id: l.productId,
      description: l.description,
      quantity_milli: l.quantityMilli,
      ordered_milli: l.orderedMilli,
      tolerance_milli: l.toleranceMilli,
      unit_price_minor: l.unitPriceMinor,
      net_minor: l.netMinor,
      vat_category: l.vatCategory,
      rate_bp: l.rateBp
    })
  )
  ws.write.append('invoice_file', { invoice_id: r.id, pdf, xml, sha256: pdfHash })
  ws.write.update('invoice', r.id, {
    status: 'issued',
    number,
    seq: (last?.seq ?? 0) + 1,
    issue_date: day,
    delivery_date: document.deliveryDate,
    due_date: document.dueDate,
    language: document.language,
    vat_case: document.vatCase,
    net_minor: document.netMinor,
    vat_minor: document.vatMinor,
    gross_minor: document.grossMinor,
    prepaid_minor: document.prepaidMinor,
    due_minor: document.dueMinor,
    payment_reference: document.paymentReference,
    document: JSON.stringify(document),
    prev_hash: last?.hash ?? null,
    hash
  })
  return toRow(readRow(ws, r.id))
}

/**
 * Draft final invoices for every buyer who got goods in the round and has no invoice yet (a draft, or
 * an issued one not credited). Returns how many were made.
 */
export function prepareRound(ws: Workspace, roundId: string): { created: number } {
  const round = ws.db.prepare('SELECT id, currency FROM round WHERE id = ? AND deleted_at IS NULL').get(roundId) as { id: string; currency: string } | undefined
  if (!round) throw new AppError('record.not_found', { id: roundId })
  assertRoundNotClosed(ws, roundId)
  const buyers = buyerAllocations(ws, roundId, 'received')
    .filter((b) => b.lines.some((l) => l.granted > 0))
    .map((b) => b.buyerId)
  const has = ws.db.prepare(
    `SELECT 1 FROM invoice i WHERE round_id = ? AND buyer_id = ? AND kind = 'invoice' AND deleted_at IS NULL
     AND (status = 'draft' OR NOT EXISTS (SELECT 1 FROM invoice c WHERE c.credits_id = i.id AND c.status = 'issued'))`
  )
  let created = 0
  for (const buyerId of buyers) {
    if (has.get(roundId, buyerId)) continue
    ws.write.insert('invoice', { id: ws.env.uuid(), kind: 'invoice', round_id: roundId, buyer_id: buyerId, currency: round.currency })
    created++
  }
  return { created }
}

const chargeInput = z.object({
  description: requiredText(200),
  amount: amount(),
  vatClass: z.enum(['reduced', 'standard', 'zero'])
})

export const updateDraftInput = z.object({
  id: z.uuid(),
  shipping: amount(),
  charges: z.array(chargeInput).max(20),
  dueDate: optionalDate(),
  deliveryDate: optionalDate(),
  notes: optionalText(2000, { multiline: true })
})

function draftRow(ws: Workspace, id: string): Row {
  const r = readRow(ws, id)
  if (r.status !== 'draft') throw new AppError('invoices.already_issued', { number: r.number ?? '' })
  assertRoundNotClosed(ws, r.round_id)
  return r
}

/** Changes what a draft holds besides its goods: the shipping charge, other charges, dates, notes. */
export function updateDraft(ws: Workspace, input: z.output<typeof updateDraftInput>): { id: string } {
  const r = draftRow(ws, input.id)
  const digits = currencyDigits(ws, r.currency)
  const charges: Charge[] = input.charges.map((c, i) => ({ description: c.description, netMinor: requireMinor(c.amount, digits, `charges.${i}.amount`), vatClass: c.vatClass }))
  ws.write.update('invoice', r.id, {
    shipping_minor: requireMinor(input.shipping, digits, 'shipping'),
    charges: JSON.stringify(charges),
    due_date: input.dueDate,
    delivery_date: input.deliveryDate,
    notes: input.notes
  })
  return { id: r.id }
}

/** Removes a draft (an issued document is never removed). */
export function deleteDraft(ws: Workspace, id: string): { id: string } {
  draftRow(ws, id)
  ws.write.tombstone('invoice', id)
  return { id }
}

export const creditInput = z.object({ id: z.uuid(), reason: requiredText(500, { multiline: true }) })

/**
 * Cancels an issued invoice: a credit note of its own series with the same lines, referring to the
 * invoice's number and date, issued at once; then a new draft for the buyer, to be corrected and issued.
 */
export function creditInvoice(ws: Workspace, input: z.output<typeof creditInput>, printer: Printer, lang: Language, day = today(ws)): { creditNote: InvoiceRow; draftId: string } {
  const r = readRow(ws, input.id)
  if (r.status !== 'issued' || r.kind !== 'invoice') throw new AppError('invoices.not_creditable')
  if (r.credited_by_id) throw new AppError('invoices.already_credited', { number: r.number ?? '', creditNote: r.credited_by_number ?? '' })
  assertRoundNotClosed(ws, r.round_id)
  const original = JSON.parse(r.document!) as InvoiceDocument
  const lines = ws.db.prepare('SELECT * FROM invoice_line WHERE invoice_id = ? ORDER BY position').all(r.id) as {
    kind: 'goods' | 'shipping' | 'charge'
    product_id: string | null
    ordered_milli: number | null
    tolerance_milli: number | null
  }[]
  const t = texts(original.language)
  const id = ws.env.uuid()
  ws.write.insert('invoice', { id, kind: 'credit_note', round_id: r.round_id, buyer_id: r.buyer_id, credits_id: r.id, currency: r.currency, notes: input.reason })
  const document: InvoiceDocument = {
    ...original,
    kind: 'credit_note',
    dueDate: null,
    // The cancelled invoice's deposit deduction is cancelled with it (the new invoice deducts it again):
    // the credit note takes back the invoice's gross less that deposit, so balances never count it twice.
    prepaidMinor: original.prepaidMinor,
    dueMinor: original.dueMinor,
    precedingInvoice: { number: original.number, issueDate: original.issueDate },
    notes: `${fill(t.cancels, { number: original.number, date: formatDay(original.issueDate, LOCALES[original.language]) })} ${input.reason}`
  }
  const built: Built = {
    document,
    problems: [],
    distance: null,
    lines: original.lines.map((l, i) => ({ ...l, kind: lines[i]?.kind ?? 'goods', productId: lines[i]?.product_id ?? null, orderedMilli: lines[i]?.ordered_milli ?? null, toleranceMilli: lines[i]?.tolerance_milli ?? null }))
  }
  const creditRow = readRow(ws, id)
  const creditNote = freeze(ws, creditRow, built, printer, day)
  const draftId = ws.env.uuid()
  ws.write.insert('invoice', { id: draftId, kind: 'invoice', round_id: r.round_id, buyer_id: r.buyer_id, currency: r.currency })
  return { creditNote, draftId }
}

export const depositsInput = z.object({
  roundId: z.uuid(),
  /** The share of the ordered value, in percent with up to two decimals ("50"). */
  sharePercent: z.number().min(1, { message: 'percent' }).max(100, { message: 'percent' }),
  dueDate: optionalDate()
})

/**
 * Deposit requests for a round closed for orders: `share` of each buyer's ordered value at round prices
 * (gross where the buyer pays VAT), rounded down to whole units, issued at once with a due date and a
 * payment reference. Buyers who have a deposit request for the round already are left out.
 */
export function requestDeposits(ws: Workspace, input: z.output<typeof depositsInput>, printer: Printer, lang: Language, day = today(ws)): { issued: InvoiceRow[]; skipped: string[] } {
  const round = ws.db.prepare('SELECT id, currency, status FROM round WHERE id = ? AND deleted_at IS NULL').get(input.roundId) as
    | { id: string; currency: string; status: string }
    | undefined
  if (!round) throw new AppError('record.not_found', { id: input.roundId })
  if (round.status === 'draft' || round.status === 'open') throw new AppError('invoices.round_open')
  assertRoundNotClosed(ws, input.roundId)
  const s = settings(ws)
  const shareBp = Math.round(input.sharePercent * 100)
  const digits = currencyDigits(ws, round.currency)
  const { rateOf } = ratesOn(ws, s.org.country, day)
  const rows = ws.db
    .prepare(
      `SELECT o.buyer_id AS buyerId, l.quantity, p.step_milli AS stepMilli, p.vat_class AS vatClass, rp.price_minor AS price
       FROM order_line l JOIN buyer_order o ON o.id = l.order_id JOIN product p ON p.id = l.product_id
       LEFT JOIN round_product rp ON rp.round_id = o.round_id AND rp.product_id = l.product_id
       WHERE o.round_id = ? AND o.deleted_at IS NULL AND l.quantity > 0`
    )
    .all(input.roundId) as { buyerId: string; quantity: number; stepMilli: number; vatClass: string; price: number | null }[]
  const byBuyer = new Map<string, { vatClass: string; net: number }[]>()
  for (const l of rows) {
    if (l.price === null) continue
    const list = byBuyer.get(l.buyerId) ?? []
    list.push({ vatClass: l.vatClass, net: quantityAmountMinor(l.quantity * l.stepMilli, l.price) })
    byBuyer.set(l.buyerId, list)
  }
  const has = ws.db.prepare("SELECT 1 FROM invoice WHERE round_id = ? AND buyer_id = ? AND kind = 'deposit' AND deleted_at IS NULL")
  const issued: InvoiceRow[] = []
  const skipped: string[] = []
  const problems: { buyer: string; problems: InvoiceProblem[] }[] = []
  const plans: { buyer: BuyerData; amount: number }[] = []
  for (const [buyerId, lines] of byBuyer) {
    const buyer = buyerData(ws, buyerId)
    if (has.get(input.roundId, buyerId)) {
      skipped.push(buyer.name)
      continue
    }
    const c = caseOf(s.org, buyer)
    // Gross as the final invoice will compute it: VAT once per rate on the order's net at that rate.
    const value = vatBreakdown(c, lines.map((l) => ({ vatClass: l.vatClass, netMinor: l.net })), 0, 'standard', rateOf)
    const amountDue = depositMinor(chargesVat(c) ? value.grossMinor : value.netMinor, shareBp, digits)
    if (amountDue <= 0) continue
    const p = partyProblems(s.org, buyer, c, 'deposit')
    if (p.length) problems.push({ buyer: buyer.name, problems: p })
    plans.push({ buyer, amount: amountDue })
  }
  if (problems.length) refuseProblems(problems[0]!.problems, problems[0]!.buyer, lang)
  const dueDate = input.dueDate ?? addDays(day, s.paymentDays)
  plans.sort((a, b) => a.buyer.name.localeCompare(b.buyer.name))
  for (const { buyer, amount: due } of plans) {
    const id = ws.env.uuid()
    ws.write.insert('invoice', {
      id,
      kind: 'deposit',
      round_id: input.roundId,
      buyer_id: buyer.id,
      currency: round.currency,
      deposit_share_bp: shareBp,
      gross_minor: due,
      due_minor: due,
      net_minor: due,
      due_date: dueDate
    })
    const r = readRow(ws, id)
    issued.push(freeze(ws, r, buildDeposit(ws, r, day), printer, day))
  }
  return { issued, skipped }
}

export const paymentInput = z.object({
  invoiceId: z.uuid(),
  amount: amount(),
  paidOn: z.string().pipe(z.iso.date({ message: 'date' })),
  /** By bank transfer (the default) or in cash. */
  method: z.enum(['bank', 'cash']).default('bank')
})

/** Records a deposit received on an issued deposit request (issue 12 books every payment). */
export function recordDeposit(ws: Workspace, input: z.output<typeof paymentInput>, lang: Language): { id: string } {
  const r = readRow(ws, input.invoiceId)
  if (r.kind !== 'deposit' || r.status !== 'issued') throw new AppError('invoices.not_deposit')
  const digits = currencyDigits(ws, r.currency)
  const amountDue = requireMinor(input.amount, digits, 'amount')
  if (amountDue <= 0) throw new AppError('validation', { fields: { amount: { code: 'required' } } })
  // A payment larger than what is still open is a typo more often than not (7300 for 73,00); a real
  // overpayment is the buyer's credit, which payments (issue 12) book.
  const open = r.gross_minor - r.paid_minor
  if (amountDue > open)
    throw new AppError('invoices.payment_too_large', { amount: formatMoney(amountDue, digits, r.currency, lang), open: formatMoney(Math.max(0, open), digits, r.currency, lang) })
  const id = ws.env.uuid()
  ws.write.insert('payment', {
    id,
    direction: 'in',
    method: input.method,
    buyer_id: r.buyer_id,
    amount_minor: amountDue,
    currency: r.currency,
    booked_on: input.paidOn,
    reference: r.payment_reference
  })
  ws.write.insert('payment_allocation', { id: ws.env.uuid(), payment_id: id, invoice_id: r.id, amount_minor: amountDue })
  return { id }
}

/** The stored files of an issued document; a draft's PDF is made on the fly, marked as a draft. */
export function invoiceFiles(ws: Workspace, id: string, printer: Printer): { pdf: Buffer; xml: string | null; number: string; buyerName: string } {
  const r = readRow(ws, id)
  if (r.status === 'issued') {
    const f = ws.db.prepare('SELECT pdf, xml FROM invoice_file WHERE invoice_id = ?').get(id) as { pdf: Buffer; xml: string | null }
    return { ...f, number: r.number!, buyerName: r.buyer_name }
  }
  const built = buildDraft(ws, r, today(ws))
  return { pdf: printer.pdf(built.document, null, true), xml: null, number: built.document.number, buyerName: r.buyer_name }
}

/** The issued documents of a round in number order (for the combined PDF and the bookkeeper's CSV). */
export function issuedDocuments(ws: Workspace, roundId: string): InvoiceDocument[] {
  return (
    ws.db.prepare("SELECT document FROM invoice WHERE round_id = ? AND status = 'issued' AND deleted_at IS NULL ORDER BY seq").pluck().all(roundId) as string[]
  ).map((d) => JSON.parse(d) as InvoiceDocument)
}

/**
 * Every issued document of a round as it was issued, one PDF (and its XML) each, in one ZIP file: for
 * sending each group its own. Stored files only, nothing rendered again.
 */
export function roundZip(ws: Workspace, roundId: string): { fileName: string; bytes: Buffer } {
  const rows = ws.db
    .prepare(
      `SELECT i.number, b.name AS buyer, f.pdf, f.xml FROM invoice i JOIN invoice_file f ON f.invoice_id = i.id JOIN buyer b ON b.id = i.buyer_id
       WHERE i.round_id = ? AND i.status = 'issued' AND i.deleted_at IS NULL ORDER BY i.seq`
    )
    .all(roundId) as { number: string; buyer: string; pdf: Buffer; xml: string | null }[]
  const files: Record<string, [Uint8Array, { level: 0 }]> = {}
  for (const r of rows) {
    const base = safeFileName(`${r.number} ${r.buyer}`)
    files[`${base}.pdf`] = [r.pdf, { level: 0 }]
    if (r.xml !== null) files[`${base}.xml`] = [strToU8(r.xml), { level: 0 }]
  }
  const name = (ws.db.prepare('SELECT name FROM round WHERE id = ?').pluck().get(roundId) as string | undefined) ?? roundId
  return { fileName: `${safeFileName(name)}.zip`, bytes: Buffer.from(zipSync(files)) }
}

/**
 * What keeps the round's drafts from being issued together, per buyer: each draft's own problems, and the
 * distance-selling threshold counted over all of them in the order they would be issued (two drafts that
 * each fit may not fit together). Bulk issuing issues nothing while any is left.
 */
export function roundProblems(ws: Workspace, roundId: string): { buyer: string; problems: InvoiceProblem[] }[] {
  const drafts = listInvoices(ws, { roundId }).filter((r) => r.status === 'draft' && r.kind === 'invoice')
  drafts.sort((a, b) => a.buyerName.localeCompare(b.buyerName, undefined, { sensitivity: 'base' }))
  let distance = distanceYearToDate(ws, today(ws))
  const out: { buyer: string; problems: InvoiceProblem[] }[] = []
  for (const d of drafts) {
    const problems = [...d.problems]
    if (d.vatCase === 'eu_consumer') {
      distance += d.netMinor
      if (distance > DISTANCE_SELLING_THRESHOLD_MINOR && !problems.some((p) => p.code === 'distance_over')) problems.push({ code: 'distance_over', params: { buyer: d.buyerName } })
    }
    if (problems.length) out.push({ buyer: d.buyerName, problems })
  }
  return out
}

/** The drafts of a round, by buyer name (what bulk issuing issues). */
export function roundDrafts(ws: Workspace, roundId: string): string[] {
  return ws.db
    .prepare("SELECT i.id FROM invoice i JOIN buyer b ON b.id = i.buyer_id WHERE i.round_id = ? AND i.status = 'draft' AND i.kind = 'invoice' AND i.deleted_at IS NULL ORDER BY b.name COLLATE NOCASE")
    .pluck()
    .all(roundId) as string[]
}

/**
 * The bookkeeper's CSV of a round's invoices and credit notes (deposit requests are no invoices: their
 * payments show as the deposit deducted): net and VAT per rate, exempt net, gross, deposit, balance. Credit
 * notes with a minus sign. Written like every CSV of the app (spreadsheets/cells.ts): ';', decimal comma.
 */
export function roundCsv(ws: Workspace, roundId: string, lang: Language): { fileName: string; bytes: Buffer } {
  const name = (ws.db.prepare('SELECT name FROM round WHERE id = ?').pluck().get(roundId) as string | undefined) ?? roundId
  const docs = issuedDocuments(ws, roundId).filter((d) => d.kind !== 'deposit')
  const rates = [...new Set(docs.flatMap((d) => d.vatRates.filter((r) => r.rateBp > 0).map((r) => r.rateBp)))].sort((a, b) => b - a)
  const h = resources[lang].translation.invoiceCsv
  const money = (minor: number, currency: string): CellValue => ({ decimal: formatScaled(minor, isoDigits(currency)).replace('.', ',') })
  const header: CellValue[] = [
    h.number,
    h.kind,
    h.date,
    h.buyer,
    h.vatId,
    h.vatCase,
    ...rates.flatMap((bp) => [fill(h.netAt, { rate: formatRate(bp, lang) }), fill(h.vatAt, { rate: formatRate(bp, lang) })]),
    h.netExempt,
    h.net,
    h.vat,
    h.gross,
    h.deposit,
    h.balance,
    h.currency
  ]
  const rows = docs.map((d): CellValue[] => {
    const sign = d.kind === 'credit_note' ? -1 : 1
    const sum = (bp: number, key: 'netMinor' | 'vatMinor') => d.vatRates.filter((r) => r.rateBp === bp && r.category === 'S').reduce((a, r) => a + r[key], 0)
    const exempt = d.vatRates.filter((r) => r.rateBp === 0).reduce((a, r) => a + r.netMinor, 0)
    return [
      d.number,
      resources[lang].translation.invoiceKinds[d.kind],
      d.issueDate,
      d.buyer.name,
      d.buyer.vatId ?? '',
      resources[lang].translation.vatCases[d.vatCase],
      ...rates.flatMap((bp) => [money(sign * sum(bp, 'netMinor'), d.currency), money(sign * sum(bp, 'vatMinor'), d.currency)]),
      money(sign * exempt, d.currency),
      money(sign * d.netMinor, d.currency),
      money(sign * d.vatMinor, d.currency),
      money(sign * d.grossMinor, d.currency),
      money(sign * d.prepaidMinor, d.currency),
      money(sign * d.dueMinor, d.currency),
      d.currency
    ]
  })
  return { fileName: `${fill(h.fileName, { round: name })}.csv`, bytes: csvFile([header, ...rows]) }
}
