import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import { buyerInput, saveBuyer } from '../buyers/buyers.ts'
import { productInput, saveProduct } from '../catalogue/products.ts'
import { saveSupplier, supplierInput } from '../catalogue/suppliers.ts'
import { utcToZoned } from '../common/time.ts'
import type { Workspace } from '../db/workspace.ts'
import { setLinesInput, setOrderLines } from '../orders/orders.ts'
import { exchangeRateInput, saveExchangeRate } from '../reference/reference.ts'
import { applyCalculatedPrices, roundInput, saveRound, setPriceInput, setRoundPrice, setRoundStatus } from '../rounds/rounds.ts'
import { organisationInput, saveOrganisation } from '../settings/organisation.ts'
import { dutyRateInput, saveDutyRate } from '../shipments/costs.ts'
import type { BlockReason } from '../../shared/vocabulary.ts'

/**
 * Fills a new demo workspace from resources/demo: the organisation, the cooperatives and products of
 * the demo catalogue, and the buyer groups. Everything goes through the same validation as user input.
 */
export function seedDemo(ws: Workspace, resourcesDir: string, deviceId: string): void {
  const demo = join(resourcesDir, 'demo')
  const org = JSON.parse(readFileSync(join(demo, 'organisation.json'), 'utf8')) as Record<string, unknown>
  const logoFile = join(demo, 'logo.png')
  const logo = existsSync(logoFile) ? `data:image/png;base64,${readFileSync(logoFile).toString('base64')}` : null
  const csv = (name: string) =>
    parse(readFileSync(join(demo, name), 'utf8'), { columns: true, skip_empty_lines: true, trim: true }) as Record<string, string>[]
  ws.db.transaction(() => {
    saveOrganisation(ws, organisationInput.parse({ ...org, logo }))
    const suppliers = new Map<string, string>()
    for (const s of csv('suppliers.csv')) {
      const saved = saveSupplier(
        ws,
        supplierInput.parse({
          code: s.key,
          name: s.name,
          shortName: s.short_name,
          kind: s.kind,
          sector: s.sector,
          city: s.city,
          province: s.province,
          country: s.country,
          sourceUrl: s.source,
          contacts: []
        })
      )
      suppliers.set(s.key!, saved.id)
    }
    // Customs data the catalogue file does not carry: 8-digit CN codes, case weights and volumes.
    const customs = new Map(csv('customs.csv').map((c) => [c.sku!, c]))
    for (const p of csv('products.csv')) {
      const c = customs.get(p.sku!)
      const flags = new Map((p.flags ?? '').split(';').filter(Boolean).map((f) => f.split(':') as [string, string | undefined]))
      saveProduct(
        ws,
        productInput.parse({
          supplierId: suppliers.get(p.supplier!),
          sku: p.sku,
          nameEs: p.name_es,
          nameEn: p.name_en,
          nameDe: p.name_de,
          salesUnit: p.sales_unit,
          caseUnits: p.case_units,
          netQuantity: p.net_quantity,
          netUnit: p.net_unit,
          hsCode: c?.cn_code ?? p.hs_code,
          grossKgPerCase: c?.gross_kg_per_case ?? null,
          volumeM3PerCase: c?.volume_m3_per_case ?? null,
          price: p.price,
          currency: p.currency,
          vatClass: p.vat_class_de,
          animalOrigin: flags.has('animal_origin'),
          dairy: flags.has('dairy'),
          organic: flags.has('organic'),
          heatSensitive: flags.has('heat_sensitive'),
          specialFreight: flags.has('special_freight'),
          alcoholPercent: flags.get('alcohol') ?? null
        })
      )
    }
    const buyers = new Map<string, string>()
    const list = JSON.parse(readFileSync(join(demo, 'buyers.json'), 'utf8')) as (Record<string, unknown> & { key: string; hub?: string })[]
    for (const { key, hub, ...b } of list) {
      const saved = saveBuyer(ws, buyerInput.parse({ ...b, hubId: hub ? buyers.get(hub) : null }))
      buyers.set(key, saved.id)
    }
    // Indicative third-country duty rates for the demo's CN codes (the coordinator checks them in TARIC).
    for (const d of csv('duty_rates.csv'))
      saveDutyRate(
        ws,
        dutyRateInput.parse({
          cnCode: d.cn_code,
          origin: d.origin || null,
          validFrom: d.valid_from,
          adValorem: d.ad_valorem || null,
          perHl: d.per_hl || null,
          per100kg: d.per_100kg || null,
          alcoholFrom: d.alcohol_from || null,
          alcoholTo: d.alcohol_to || null,
          note: d.note || null
        })
      )
    seedDemoRound(ws, JSON.parse(readFileSync(join(demo, 'round.json'), 'utf8')) as DemoRound, suppliers, buyers, deviceId)
  })()
}

type DemoLine = [sku: string, quantity: number, tolerance: number]
interface DemoRound {
  name: string
  timeZone: string
  currency: string
  opensDaysAgo: number
  closesInDays: number
  markupPercent: string
  contribution: string
  roundingStep: string
  exchangeRates: { base: string; quote: string; rate: string; daysAgo: number; source: string }[]
  /** Block reasons are vocabulary keys: the UI shows them in its language. */
  blocked: { sku: string; reason: BlockReason }[]
  orders: Record<string, DemoLine[]>
  hubOrders: Record<string, Record<string, DemoLine[]>>
}

/** One open round over all demo suppliers, priced by the calculator, with orders by most groups. */
function seedDemoRound(ws: Workspace, demo: DemoRound, suppliers: Map<string, string>, buyers: Map<string, string>, deviceId: string): void {
  const now = ws.env.now().getTime()
  const day = 86_400_000
  const local = (ms: number) => utcToZoned(new Date(ms).toISOString(), demo.timeZone)
  for (const r of demo.exchangeRates)
    saveExchangeRate(ws, exchangeRateInput.parse({ ...r, validOn: new Date(now - r.daysAgo * day).toISOString().slice(0, 10) }))
  let round = saveRound(
    ws,
    roundInput.parse({
      ...demo,
      opensAt: local(now - demo.opensDaysAgo * day),
      closesAt: local(now + demo.closesInDays * day),
      supplierIds: [...suppliers.values()]
    })
  )
  applyCalculatedPrices(ws, round.id)
  const productId = (sku: string) =>
    (ws.db.prepare('SELECT id FROM product WHERE sku = ? AND deleted_at IS NULL').get(sku) as { id: string }).id
  for (const b of demo.blocked) setRoundPrice(ws, setPriceInput.parse({ roundId: round.id, productId: productId(b.sku), blocked: true, blockReason: b.reason }))
  round = setRoundStatus(ws, round.id, 'open')
  const lines = (list: DemoLine[], subBuyerId: string | null = null) =>
    list.map(([sku, quantity, tolerance]) => ({ productId: productId(sku), subBuyerId, quantity, tolerance }))
  for (const [key, list] of Object.entries(demo.orders))
    setOrderLines(ws, setLinesInput.parse({ roundId: round.id, buyerId: buyers.get(key), lines: lines(list) }), 'entry', deviceId)
  for (const [hub, members] of Object.entries(demo.hubOrders))
    for (const [member, list] of Object.entries(members))
      setOrderLines(ws, setLinesInput.parse({ roundId: round.id, buyerId: buyers.get(hub), lines: lines(list, buyers.get(member)!) }), 'entry', deviceId)
}
