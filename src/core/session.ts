import { existsSync, readFileSync, rmSync } from 'node:fs'
import { basename, join, resolve } from 'node:path'
import { AppError } from '../shared/errors.ts'
import type { AppEvent } from '../shared/events.ts'
import { AppData } from './appdata.ts'
import { Workspace } from './db/workspace.ts'
import { type Env, systemEnv } from './env.ts'
import { parse } from 'csv-parse/sync'
import { buyerInput, saveBuyer } from './buyers.ts'
import { setLinesInput, setOrderLines } from './orders.ts'
import { exchangeRateInput, saveExchangeRate } from './reference.ts'
import { applyCalculatedPrices, roundInput, saveRound, setPriceInput, setRoundPrice, setRoundStatus } from './rounds.ts'
import { utcToZoned } from './time.ts'
import { productInput, saveProduct } from './catalogue/products.ts'
import { saveSupplier, supplierInput } from './catalogue/suppliers.ts'
import { organisationInput, saveOrganisation } from './settings.ts'

export interface SessionOptions {
  appDataDir: string
  /** The folder with the demo seed (`demo/organisation.json`, …): the project's `resources/`. */
  resourcesDir: string
  env?: Env
}

/**
 * The running app's state: the open workspace, the per-installation data, and the events views listen
 * to. The same in Electron and in the browser host; only how a file is picked differs.
 */
export class Session {
  readonly appData: AppData
  readonly env: Env
  readonly resourcesDir: string
  private ws: Workspace | null = null
  private readonly listeners = new Set<(e: AppEvent) => void>()

  constructor(options: SessionOptions) {
    this.env = options.env ?? systemEnv
    this.appData = new AppData(options.appDataDir, this.env)
    this.resourcesDir = options.resourcesDir
  }

  get workspace(): Workspace | null {
    return this.ws
  }

  /** The open workspace, or the `workspace.none` error. */
  requireWorkspace(): Workspace {
    if (!this.ws) throw new AppError('workspace.none')
    return this.ws
  }

  get demoPath(): string {
    return join(this.appData.dir, 'demo', 'Puente-Demo.puente')
  }

  on(listener: (e: AppEvent) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  emit(event: AppEvent): void {
    for (const l of this.listeners) l(event)
  }

  /** Opens (or with `create`, creates) a workspace and makes it the current one. */
  async open(path: string, create = false): Promise<Workspace> {
    const full = resolve(path)
    const next = await Workspace.open(full, { create, deviceId: this.appData.deviceId, env: this.env })
    this.ws?.close()
    this.ws = next
    this.appData.addRecent(full)
    this.emit({ type: 'workspace', path: full })
    return next
  }

  /** Opens the demo workspace, creating it from resources/ when missing or when asked to start afresh. */
  async openDemo(recreate = false): Promise<Workspace> {
    const path = this.demoPath
    if (recreate || !existsSync(path)) {
      if (this.ws?.path === path) {
        this.ws.close()
        this.ws = null
      }
      for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true })
      const ws = await Workspace.open(path, { create: true, deviceId: this.appData.deviceId, env: this.env })
      try {
        seedDemo(ws, this.resourcesDir, this.appData.deviceId)
      } finally {
        ws.close()
      }
    }
    return this.open(path)
  }

  /** Opens the last workspace used, else the demo. */
  async openInitial(explicit?: string): Promise<Workspace> {
    if (explicit) return this.open(explicit, true)
    for (const r of this.appData.recent) {
      if (!existsSync(r.path)) continue
      try {
        return await this.open(r.path)
      } catch {
        // fall through to the next one, then the demo
      }
    }
    return this.openDemo()
  }

  /** Reopens one of the recent workspaces; only paths on the recent list are accepted. */
  async openRecent(path: string): Promise<Workspace> {
    if (!this.appData.recent.some((r) => r.path === path)) throw new AppError('workspace.not_found', { path })
    if (!existsSync(path)) {
      this.appData.removeRecent(path)
      throw new AppError('workspace.not_found', { path })
    }
    return this.open(path)
  }

  recent(): { path: string; name: string; openedAt: string; exists: boolean; current: boolean }[] {
    return this.appData.recent.map((r) => ({
      ...r,
      name: basename(r.path).replace(/\.puente$/, ''),
      exists: existsSync(r.path),
      current: this.ws?.path === r.path
    }))
  }

  async backupNow(): Promise<string> {
    const ws = this.requireWorkspace()
    return ws.backupTo(ws.defaultBackupPath())
  }

  close(): void {
    this.ws?.close()
    this.ws = null
  }
}

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
    for (const p of csv('products.csv')) {
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
          hsCode: p.hs_code,
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
  blocked: { sku: string; reason: string }[]
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
