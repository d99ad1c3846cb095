import { AppError } from '../../shared/errors.ts'
import type { SalesUnit } from '../../shared/catalogue.ts'
import { stamp } from '../common/env.ts'
import { largestRemainder } from '../common/money.ts'
import type { Workspace } from '../db/workspace.ts'
import { currencyDigits } from '../reference/reference.ts'
import { getOrganisation, type Organisation } from '../settings/organisation.ts'
import { listCostLines } from './costs.ts'
import { computeLanded } from './landed.ts'
import { listPackages, type Package, packageTotals } from './packages.ts'
import { getShipment, type Shipment, type ShipmentLine } from './shipments.ts'

/**
 * The data of a shipment's customs papers (DOMAIN.md §1.2–1.4): the commercial invoice, the packing list,
 * the data sheet for the customs broker and the CN23 for post and courier; and the warnings where the
 * rules ask for more (VI-1, excise, TRACES, ICS2 descriptions). Plain data; the PDFs are drawn by
 * documents/customsPapers.ts. Papers need every carton's gross weight and volume: without them nothing is
 * produced and the products are named.
 */

export const PAPERS = ['invoice', 'packing', 'broker', 'cn23'] as const
export type Paper = (typeof PAPERS)[number]

/** UN/ECE Recommendation 20 unit codes of the sales units (counted packaging units as their Rec. 21 "X" codes). */
export const UNECE_UNITS: Record<SalesUnit, string> = {
  piece: 'C62',
  bag: 'XBG',
  box: 'XBX',
  bottle: 'XBO',
  jar: 'XJR',
  bar: 'XBR',
  set: 'SET',
  copy: 'C62',
  pack: 'XPK',
  can: 'XCA',
  kg: 'KGM',
  m2: 'MTK',
  l: 'LTR'
}

export function unitCode(salesUnit: string): string {
  return (UNECE_UNITS as Record<string, string>)[salesUnit] ?? 'C62'
}

/**
 * Words the EU's ICS2 pre-arrival filing refuses as a goods description when nothing more precise is said
 * (a small part of the EU "stop word" list; English and the Spanish a catalogue may use). Source: DOMAIN.md
 * §1.1, https://ntex.no/en/trafikkinfo/ics2-release-3-import-control-system-2-shipments-to-the-eu-from-non-eu-countries
 * and https://winlogistic.com/how-to-ready-for-the-import-control-system-2-ics2
 */
export const ICS2_STOP_WORDS = [
  'food',
  'foodstuff',
  'foodstuffs',
  'gift',
  'gifts',
  'part',
  'parts',
  'spare',
  'sample',
  'samples',
  'accessories',
  'accessory',
  'goods',
  'clothes',
  'clothing',
  'apparel',
  'merchandise',
  'products',
  'equipment',
  'consolidated',
  'cargo',
  'alimentos',
  'comida',
  'regalo',
  'regalos',
  'repuestos',
  'muestra',
  'muestras',
  'accesorios',
  'mercaderia',
  'mercancia',
  'productos',
  'ropa'
] as const

/** Words that add nothing to a description ("various goods", "food and gifts", "set de regalo"). */
const FILLER = new Set(['various', 'misc', 'miscellaneous', 'general', 'assorted', 'other', 'and', 'of', 'for', 'the', 'a', 'set', 'kit', 'varios', 'varias', 'otros', 'y', 'de', 'para', 'el', 'la', 'los', 'las', 'un', 'una'])
const STOP = new Set<string>(ICS2_STOP_WORDS)

/** A description ICS2 would refuse: nothing but stop words and filler (numbers and units aside), or nothing at all. */
export function isVagueDescription(text: string): boolean {
  const words = text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^a-z]+/)
    .filter((w) => w.length > 1 && !/^(kg|g|ml|l|cm|mm|pcs|x)$/.test(w))
  if (!words.length) return true
  return words.every((w) => STOP.has(w) || FILLER.has(w)) && words.some((w) => STOP.has(w))
}

/** A product's description on the papers: its English name, else its Spanish one (plain language). */
export function paperDescription(l: Pick<ShipmentLine, 'nameEn' | 'nameEs' | 'nameDe' | 'sku'>): string {
  return l.nameEn ?? l.nameEs ?? l.nameDe ?? l.sku
}

export type PaperWarningCode = 'vi1' | 'excise' | 'organic' | 'vague' | 'no_cn_code'

/** A warning with what the UI and the papers name (translated under `shipmentPapers.warnings.`). */
export interface PaperWarning {
  code: PaperWarningCode
  params: Record<string, string | number>
}

/** Wine: CN heading 2204 (still, sparkling and fortified wine of fresh grapes). */
const isWine = (l: Pick<ShipmentLine, 'cnCode'>) => l.cnCode?.startsWith('2204') ?? false

/** More than 100 l of wine in a consignment needs a VI-1 (Reg. (EU) 2018/273). */
const VI1_LIMIT_MILLI = 100_000

/** Where the goods are taxed: the shipment's destination, else the organisation's country. */
function destinationOf(shipment: Shipment, org: Organisation): string {
  return shipment.destinationCountry ?? org.country
}

/** The warnings of a shipment's papers, in a fixed order; products named by SKU and description. */
export function paperWarnings(ws: Workspace, shipment: Shipment, org: Organisation = getOrganisation(ws)): PaperWarning[] {
  const warnings: PaperWarning[] = []
  const name = (ls: ShipmentLine[]) => [...new Map(ls.map((l) => [l.sku, `${l.sku} (${paperDescription(l)})`])).values()].join(', ')
  const wine = shipment.lines.filter(isWine)
  const litres = wine.reduce((a, l) => a + (l.litresMilli ?? 0), 0)
  if (litres > VI1_LIMIT_MILLI) warnings.push({ code: 'vi1', params: { litres: formatLitres(litres), products: name(wine) } })
  const destination = destinationOf(shipment, org)
  if (wine.length && (destination === 'AT' || destination === 'CH')) warnings.push({ code: 'excise', params: { country: destination, products: name(wine) } })
  const organic = shipment.lines.filter((l) => l.organic)
  if (organic.length) warnings.push({ code: 'organic', params: { products: name(organic), count: new Set(organic.map((l) => l.sku)).size } })
  const vague = shipment.lines.filter((l) => isVagueDescription(paperDescription(l)))
  if (vague.length) warnings.push({ code: 'vague', params: { products: name(vague), count: new Set(vague.map((l) => l.sku)).size } })
  const noCode = shipment.lines.filter((l) => l.cnCode === null)
  if (noCode.length) warnings.push({ code: 'no_cn_code', params: { products: name(noCode), count: new Set(noCode.map((l) => l.sku)).size } })
  return warnings
}

/** Litres ×1000 as text with a decimal point ("112.5"): the same in every language's params. */
function formatLitres(milli: number): string {
  const whole = Math.floor(milli / 1000)
  const rest = milli % 1000
  return rest ? `${whole}.${String(rest).padStart(3, '0').replace(/0+$/, '')}` : String(whole)
}

export interface PaperLine {
  id: string
  position: number
  sku: string
  description: string
  cnCode: string | null
  origin: string
  salesUnit: string
  unitCode: string
  quantityMilli: number
  unitPriceMinor: number
  /** The quantity ×1000 the unit price is for (1000, or the case when billed per case). */
  pricePerMilli: number
  currency: string
  digits: number
  valueMinor: number
  netG: number | null
  /** The line's share of its cartons' gross weight (each carton split over its contents by quantity). */
  grossG: number
  litresMilli: number | null
  alcoholPermille: number | null
  /** Cartons holding any of this line. */
  packages: number
}

export interface PaperPackage {
  /** "n/N" among the packages as they travel (pallets and loose cartons); null for a carton on a pallet. */
  number: number | null
  position: number
  kind: string
  marks: string
  onPallet: boolean
  contents: { sku: string; description: string; quantityMilli: number; salesUnit: string }[]
  netG: number | null
  /** A carton's gross weight; a pallet's with its cartons and its own weight. */
  grossG: number
  lengthMm: number | null
  widthMm: number | null
  heightMm: number | null
  volumeCm3: number | null
  /** For a pallet: its cartons (positions, in order). */
  cartons: PaperPackage[]
}

export interface BrokerGroup {
  cnCode: string | null
  origin: string
  descriptions: string[]
  packages: number
  /** Null when no line of the group knows its net weight. */
  netG: number | null
  grossG: number
  litresMilli: number | null
  /** The strengths (‰ vol) of the group's products, each once, ascending. */
  alcoholPermille: number[]
  /** Counted units (pieces, bottles …) by Rec. 20 code, ×1000. */
  counted: { unitCode: string; quantityMilli: number }[]
  values: { currency: string; digits: number; minor: number }[]
  landed: { goodsMinor: number; customsValueMinor: number; dutyMinor: number; vatMinor: number } | null
}

export interface CustomsPapersData {
  number: string
  issuedOn: string
  roundName: string
  mode: Shipment['mode']
  incoterm: string
  incotermPlace: string | null
  portLoading: string | null
  portDischarge: string | null
  forwarder: string | null
  transportDocument: string | null
  container: string | null
  seal: string | null
  plannedDeparture: string | null
  destinationCountry: string
  purchaseOrderNumbers: string[]
  exporter: { name: string; cuit: string | null; street: string | null; postalCode: string | null; city: string | null; province: string | null; country: string; email: string | null }
  importer: Organisation
  lines: PaperLine[]
  /** Freight and insurance (cost lines up to the EU border), in their own currency. */
  toBorderCosts: { name: string; provider: string | null; amountMinor: number; currency: string; digits: number }[]
  totals: {
    values: { currency: string; digits: number; minor: number }[]
    netG: number
    /** Every package's gross weight, pallets' own weight included. */
    grossG: number
    palletTareG: number
    packages: number
    cartons: number
    pallets: number
    /** The volume as it travels: pallets and loose cartons. */
    volumeCm3: number
  }
  marksFrom: string
  marksTo: string
  packages: PaperPackage[]
  payments: { purchaseOrder: string; label: string; shareBp: number; dueDate: string | null }[]
  originStatement: boolean
  warnings: PaperWarning[]
  /** The broker's figures: computed for the data sheet only (null for the other papers). */
  broker: {
    currency: string
    digits: number
    customsDay: string | null
    groups: BrokerGroup[]
    totals: { goodsMinor: number; customsValueMinor: number; dutyMinor: number; vatMinor: number } | null
    /** Why the figures could not be computed (a missing duty rate …); then `landed` is null everywhere. */
    error: { code: string; params: Record<string, unknown> } | null
  } | null
}

/**
 * Everything the four papers print. Refused with `shipment.papers_measures` naming the products whose
 * weight or volume is missing, and with `shipment.papers_no_packages` before the packages exist (or when
 * a shipped line is in none of them).
 */
export function customsPapersData(ws: Workspace, shipmentId: string, paper: Paper): CustomsPapersData {
  const shipment = getShipment(ws, shipmentId)
  if (!shipment.lines.length) throw new AppError('landed.no_lines', { number: shipment.number })
  const packages = listPackages(ws, shipmentId, shipment)
  const totals = packageTotals(ws, shipment, packages)
  const cartons = packages.filter((p) => p.kind !== 'PX')
  // A carton edited to have no weight or volume counts as missing too (by the products it holds).
  const lineOf = new Map(shipment.lines.map((l) => [l.id, l]))
  const missing = new Set([...totals.missingWeight, ...totals.missingVolume])
  for (const c of cartons) if (c.grossG === null || c.volumeCm3 === null) for (const x of c.lines) missing.add(x.sku)
  if (missing.size) throw new AppError('shipment.papers_measures', { skus: [...missing].sort().join(', '), count: missing.size })
  const packed = new Set(cartons.flatMap((c) => c.lines.map((x) => x.shipmentLineId)))
  if (!cartons.length || shipment.lines.some((l) => !packed.has(l.id))) throw new AppError('shipment.papers_no_packages', { number: shipment.number })

  const org = getOrganisation(ws)
  const exporter = ws.db
    .prepare(
      `SELECT name, cuit, street, postal_code AS postalCode, city, province, country,
         (SELECT email FROM contact c WHERE c.supplier_id = s.id AND c.deleted_at IS NULL AND c.email IS NOT NULL ORDER BY position LIMIT 1) AS email
       FROM supplier s WHERE id = ?`
    )
    .get(shipment.exporterId) as CustomsPapersData['exporter']
  const digitsOf = new Map<string, number>()
  const digits = (c: string) => {
    let d = digitsOf.get(c)
    if (d === undefined) digitsOf.set(c, (d = currencyDigits(ws, c)))
    return d
  }

  // Each carton's gross weight split over its contents by quantity, summed per line; cartons per line.
  const grossOf = new Map<string, number>()
  const cartonsOf = new Map<string, number>()
  for (const c of cartons) {
    const parts = c.lines.length === 1 ? [c.grossG!] : largestRemainder(c.grossG!, c.lines.map((x) => x.quantityMilli))
    c.lines.forEach((x, i) => {
      grossOf.set(x.shipmentLineId, (grossOf.get(x.shipmentLineId) ?? 0) + parts[i]!)
      cartonsOf.set(x.shipmentLineId, (cartonsOf.get(x.shipmentLineId) ?? 0) + 1)
    })
  }
  const lines: PaperLine[] = shipment.lines.map((l, i) => ({
    id: l.id,
    position: i + 1,
    sku: l.sku,
    description: paperDescription(l),
    cnCode: l.cnCode,
    origin: l.originCountry,
    salesUnit: l.salesUnit,
    unitCode: unitCode(l.salesUnit),
    quantityMilli: l.quantityMilli,
    unitPriceMinor: l.unitPriceMinor,
    pricePerMilli: l.pricePerMilli,
    currency: l.currency,
    digits: digits(l.currency),
    valueMinor: l.valueMinor,
    netG: l.netG,
    grossG: grossOf.get(l.id) ?? 0,
    litresMilli: l.litresMilli,
    alcoholPermille: l.alcoholPermille,
    packages: cartonsOf.get(l.id) ?? 0
  }))
  const values = sumByCurrency(lines.map((l) => ({ currency: l.currency, digits: l.digits, minor: l.valueMinor })))

  // Packages as they travel: loose cartons and pallets in position order, a pallet's cartons inside it.
  const travelling = packages.filter((p) => p.kind === 'PX' || p.palletId === null)
  const describe = (p: Package): PaperPackage => ({
    number: null,
    position: p.position,
    kind: p.kind,
    marks: p.marks,
    onPallet: p.palletId !== null,
    contents: p.lines.map((x) => ({ sku: x.sku, description: paperDescription(lineOf.get(x.shipmentLineId)!), quantityMilli: x.quantityMilli, salesUnit: x.salesUnit })),
    netG: p.netG,
    grossG: p.grossG ?? 0,
    lengthMm: p.lengthMm,
    widthMm: p.widthMm,
    heightMm: p.heightMm,
    volumeCm3: p.volumeCm3,
    cartons: []
  })
  const paperPackages = travelling.map((p, i): PaperPackage => {
    const own = describe(p)
    own.number = i + 1
    if (p.kind !== 'PX') return own
    own.cartons = packages.filter((c) => c.palletId === p.id).map(describe)
    own.grossG = (p.grossG ?? 0) + own.cartons.reduce((a, c) => a + c.grossG, 0)
    own.netG = own.cartons.some((c) => c.netG === null) ? null : own.cartons.reduce((a, c) => a + (c.netG ?? 0), 0)
    return own
  })
  const volumeCm3 = travelling.reduce((a, p) => a + (p.volumeCm3 ?? 0), 0)

  const purchaseOrders = [...new Map(shipment.lines.map((l) => [l.purchaseOrderId, l.purchaseOrderNumber])).entries()].sort((a, b) => a[1].localeCompare(b[1]))
  const payments = ws.db
    .prepare(
      `SELECT po.number AS purchaseOrder, d.label, d.share_bp AS shareBp, d.due_date AS dueDate
       FROM payment_due d JOIN purchase_order po ON po.id = d.purchase_order_id
       WHERE d.purchase_order_id IN (SELECT value FROM json_each(?)) AND d.deleted_at IS NULL ORDER BY po.number, d.position`
    )
    .all(JSON.stringify(purchaseOrders.map(([id]) => id))) as CustomsPapersData['payments']

  const toBorderCosts = listCostLines(ws, shipmentId)
    .filter((c) => c.stage === 'to_border')
    .map((c) => ({ name: c.name, provider: c.provider, amountMinor: c.amountMinor, currency: c.currency, digits: digits(c.currency) }))

  const first = packages[0]!
  const last = packages.at(-1)!
  return {
    number: shipment.number,
    issuedOn: stamp(ws.env).slice(0, 10),
    roundName: shipment.roundName,
    mode: shipment.mode,
    incoterm: shipment.incoterm,
    incotermPlace: shipment.incotermPlace,
    portLoading: shipment.portLoading,
    portDischarge: shipment.portDischarge,
    forwarder: shipment.forwarder,
    transportDocument: shipment.transportDocument,
    container: shipment.container,
    seal: shipment.seal,
    plannedDeparture: shipment.departedOn ?? shipment.plannedDeparture,
    destinationCountry: destinationOf(shipment, org),
    purchaseOrderNumbers: purchaseOrders.map(([, n]) => n),
    exporter,
    importer: org,
    lines,
    toBorderCosts,
    totals: {
      values,
      netG: totals.netG,
      grossG: totals.grossG,
      palletTareG: packages.filter((p) => p.kind === 'PX').reduce((a, p) => a + (p.grossG ?? 0), 0),
      packages: totals.packages,
      cartons: totals.cartons,
      pallets: totals.pallets,
      volumeCm3
    },
    marksFrom: first.marks,
    marksTo: last.marks.slice(last.marks.lastIndexOf('/') + 1),
    packages: paperPackages,
    payments,
    originStatement: shipment.originStatement,
    warnings: paperWarnings(ws, shipment, org),
    broker: paper === 'broker' ? brokerData(ws, shipment, lines, cartons, digits) : null
  }
}

function sumByCurrency(items: { currency: string; digits: number; minor: number }[]) {
  const out = new Map<string, { currency: string; digits: number; minor: number }>()
  for (const v of items) {
    const sum = out.get(v.currency)
    if (sum) sum.minor += v.minor
    else out.set(v.currency, { ...v })
  }
  return [...out.values()]
}

/** Per CN code and origin: what the customs declaration asks for, with the landed-cost figures when they can be computed. */
function brokerData(ws: Workspace, shipment: Shipment, lines: PaperLine[], cartons: Package[], digits: (c: string) => number): NonNullable<CustomsPapersData['broker']> {
  let landed: ReturnType<typeof computeLanded> | null = null
  let error: NonNullable<CustomsPapersData['broker']>['error'] = null
  try {
    landed = computeLanded(ws, shipment.id)
  } catch (e) {
    if (!(e instanceof AppError)) throw e
    error = { code: e.code, params: e.params ?? {} }
  }
  const landedOf = new Map(landed?.lines.map((l) => [l.shipmentLineId, l]) ?? [])
  const groups = new Map<string, BrokerGroup & { lineIds: Set<string> }>()
  for (const l of lines) {
    const key = `${l.cnCode ?? ''}|${l.origin}`
    let g = groups.get(key)
    if (!g) {
      g = {
        cnCode: l.cnCode,
        origin: l.origin,
        descriptions: [],
        packages: 0,
        netG: null,
        grossG: 0,
        litresMilli: null,
        alcoholPermille: [],
        counted: [],
        values: [],
        landed: landed ? { goodsMinor: 0, customsValueMinor: 0, dutyMinor: 0, vatMinor: 0 } : null,
        lineIds: new Set()
      }
      groups.set(key, g)
    }
    g.lineIds.add(l.id)
    if (!g.descriptions.includes(l.description)) g.descriptions.push(l.description)
    if (l.netG !== null) g.netG = (g.netG ?? 0) + l.netG
    g.grossG += l.grossG
    if (l.litresMilli !== null) g.litresMilli = (g.litresMilli ?? 0) + l.litresMilli
    if (l.alcoholPermille !== null && !g.alcoholPermille.includes(l.alcoholPermille)) g.alcoholPermille.push(l.alcoholPermille)
    if (!['KGM', 'LTR', 'MTK'].includes(l.unitCode)) {
      const c = g.counted.find((x) => x.unitCode === l.unitCode)
      if (c) c.quantityMilli += l.quantityMilli
      else g.counted.push({ unitCode: l.unitCode, quantityMilli: l.quantityMilli })
    }
    g.values = sumByCurrency([...g.values, { currency: l.currency, digits: l.digits, minor: l.valueMinor }])
    const x = landedOf.get(l.id)
    if (g.landed && x) {
      g.landed.goodsMinor += x.goodsMinor
      g.landed.customsValueMinor += x.customsValueMinor
      g.landed.dutyMinor += x.dutyMinor
      g.landed.vatMinor += x.vatMinor
    }
  }
  for (const g of groups.values()) {
    g.packages = cartons.filter((c) => c.lines.some((x) => g.lineIds.has(x.shipmentLineId))).length
    g.alcoholPermille.sort((a, b) => a - b)
  }
  const sorted = [...groups.values()].sort((a, b) => (a.cnCode ?? '~').localeCompare(b.cnCode ?? '~') || a.origin.localeCompare(b.origin))
  return {
    currency: shipment.baseCurrency,
    digits: digits(shipment.baseCurrency),
    customsDay: landed?.customsDay ?? null,
    groups: sorted.map(({ lineIds: _ids, ...g }) => g),
    totals: landed
      ? { goodsMinor: landed.totals.goodsMinor, customsValueMinor: landed.totals.customsValueMinor, dutyMinor: landed.totals.dutyMinor, vatMinor: landed.totals.vatMinor }
      : null,
    error
  }
}
