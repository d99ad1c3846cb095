import { z } from 'zod'
import { AppError } from '../../shared/errors.ts'
import { PACKAGE_KINDS, type ShipmentMode } from '../../shared/vocabulary.ts'
import { fieldError } from '../common/records.ts'
import { optionalScaledDecimal } from '../common/zod.ts'
import type { Workspace } from '../db/workspace.ts'
import type { Values } from '../db/writer.ts'
import { getShipment, type Shipment } from './shipments.ts'

/**
 * A shipment's packages: cartons generated from the shipped quantities (one per case, from each product's
 * case weight and volume), editable, and pallets holding cartons (with their own dimensions and tare).
 * Marks and numbers are the shipment's marks and the package's position ("SOLI/2026-1/001/071"). Totals
 * and the chargeable quantity per mode: sea W/M = max(m³, tonnes); air 1 m³ = 167 kg (6,000 cm³/kg);
 * courier 5,000 cm³/kg; post by weight.
 */

export interface PackageLine {
  shipmentLineId: string
  sku: string
  quantityMilli: number
  salesUnit: string
}

export interface Package {
  id: string
  position: number
  /** "n/N" counts the packages as they travel: pallets and loose cartons (cartons on a pallet count with it). */
  kind: (typeof PACKAGE_KINDS)[number]
  palletId: string | null
  marks: string
  lengthMm: number | null
  widthMm: number | null
  heightMm: number | null
  grossG: number | null
  netG: number | null
  volumeCm3: number | null
  lines: PackageLine[]
}

export interface PackageTotals {
  /** Packages as they travel: pallets, and cartons not on a pallet. */
  packages: number
  cartons: number
  pallets: number
  netG: number
  grossG: number
  cartonCm3: number
  palletCm3: number
  /** The chargeable quantity for the mode and its unit: W/M (×1000, revenue tonnes) for sea, kg ×1000 otherwise. */
  chargeableMilli: number
  chargeableUnit: 'wm' | 'kg'
  /** Products whose case weight or volume is missing (by SKU): the papers wait for them. */
  missingWeight: string[]
  missingVolume: string[]
}

/**
 * The chargeable quantity of a weight and volume for a mode, ×1000: sea W/M = max(m³, tonnes); air
 * max(kg, m³ × 167); courier max(kg, cm³ / 5000); post the weight in kg. Whole thousandths, rounded up
 * (carriers round up).
 */
export function chargeableMilli(mode: ShipmentMode, grossG: number, volumeCm3: number): number {
  if (mode === 'sea_lcl' || mode === 'sea_fcl') return Math.max(Math.ceil(volumeCm3 / 1000), Math.ceil(grossG / 1000)) // m³ ×1000 = cm³ / 1000; tonnes ×1000 = kg = g / 1000
  if (mode === 'air') return Math.max(grossG, Math.ceil((volumeCm3 * 167) / 1000))
  if (mode === 'courier') return Math.max(grossG, Math.ceil(volumeCm3 / 5))
  return grossG
}

/**
 * Generates the cartons of a shipment again from its lines: one per case (a broken case is a carton of
 * its own), with the product's case weight (proportional for a part case) and volume. Pallets and
 * edits made before are removed. Call inside a transaction.
 */
export function generatePackages(ws: Workspace, shipmentId: string): Package[] {
  const shipment = getShipment(ws, shipmentId)
  removePackages(ws, shipmentId)
  const packages: Values[] = []
  const contents: Values[] = []
  let position = 0
  const weights = ws.db.prepare('SELECT gross_g_per_case AS g, volume_cm3_per_case AS v FROM product WHERE id = ?')
  for (const l of shipment.lines) {
    const w = weights.get(l.productId) as { g: number | null; v: number | null }
    let left = l.quantityMilli
    while (left > 0) {
      const content = Math.min(l.caseMilli, left)
      left -= content
      const id = ws.env.uuid()
      packages.push({
        id,
        shipment_id: shipmentId,
        position: ++position,
        kind: 'CT',
        gross_g: w.g === null ? null : Math.round((w.g * content) / l.caseMilli),
        volume_cm3: w.v
      })
      contents.push({ id: ws.env.uuid(), package_id: id, shipment_line_id: l.id, quantity_milli: content })
    }
  }
  ws.write.insertMany('package', packages)
  ws.write.insertMany('package_line', contents)
  return listPackages(ws, shipmentId)
}

function removePackages(ws: Workspace, shipmentId: string): void {
  const ids = ws.db.prepare('SELECT id FROM package WHERE shipment_id = ? AND deleted_at IS NULL').pluck().all(shipmentId) as string[]
  const lines = ws.db
    .prepare('SELECT pl.id FROM package_line pl JOIN package p ON p.id = pl.package_id WHERE p.shipment_id = ? AND pl.deleted_at IS NULL')
    .pluck()
    .all(shipmentId) as string[]
  for (const id of lines) ws.write.tombstone('package_line', id)
  for (const id of ids) ws.write.tombstone('package', id)
}

const mm = optionalScaledDecimal(1, { min: 1 })

export const savePackageInput = z.object({
  id: z.uuid(),
  kind: z.enum(PACKAGE_KINDS),
  /** Centimetres as typed ("60", "40,5"), kept in millimetres. */
  lengthCm: mm,
  widthCm: mm,
  heightCm: mm,
  /** Kilograms as typed, kept in grams: a carton's gross weight, a pallet's own weight. */
  grossKg: optionalScaledDecimal(3, { min: 0 })
})

export function savePackage(ws: Workspace, input: z.output<typeof savePackageInput>): Package {
  const row = ws.db.prepare('SELECT shipment_id AS shipmentId, kind FROM package WHERE id = ? AND deleted_at IS NULL').get(input.id) as
    | { shipmentId: string; kind: string }
    | undefined
  if (!row) throw new AppError('record.not_found', { id: input.id })
  // A pallet stays a pallet (its cartons point at it) and a carton cannot become one.
  if ((row.kind === 'PX') !== (input.kind === 'PX')) throw fieldError('kind', 'invalid')
  const dims = [input.lengthCm, input.widthCm, input.heightCm]
  const volume = dims.every((d) => d !== null) ? Math.round((dims[0]! * dims[1]! * dims[2]!) / 1000) : undefined
  ws.write.update('package', input.id, {
    kind: input.kind,
    length_mm: input.lengthCm,
    width_mm: input.widthCm,
    height_mm: input.heightCm,
    gross_g: input.grossKg,
    ...(volume !== undefined ? { volume_cm3: volume } : {})
  })
  return listPackages(ws, row.shipmentId).find((p) => p.id === input.id)!
}

export const addPalletInput = z.object({
  shipmentId: z.uuid(),
  /** The cartons it holds (positions are kept; the pallet takes the next one). */
  packageIds: z.array(z.uuid()).min(1).max(10_000),
  lengthCm: mm,
  widthCm: mm,
  heightCm: mm,
  /** The pallet's own weight in kg (a Euro pallet: about 25). */
  tareKg: optionalScaledDecimal(3, { min: 0 })
})

export function addPallet(ws: Workspace, input: z.output<typeof addPalletInput>): Package[] {
  getShipment(ws, input.shipmentId)
  const cartons = ws.db
    .prepare(
      `SELECT id FROM package WHERE shipment_id = ? AND deleted_at IS NULL AND kind <> 'PX' AND id IN (SELECT value FROM json_each(?))`
    )
    .pluck()
    .all(input.shipmentId, JSON.stringify(input.packageIds)) as string[]
  if (cartons.length !== new Set(input.packageIds).size) throw fieldError('packageIds', 'invalid')
  const next = (ws.db.prepare('SELECT coalesce(max(position), 0) + 1 FROM package WHERE shipment_id = ? AND deleted_at IS NULL').pluck().get(input.shipmentId) as number)
  const id = ws.env.uuid()
  const dims = [input.lengthCm, input.widthCm, input.heightCm]
  ws.write.insert('package', {
    id,
    shipment_id: input.shipmentId,
    position: next,
    kind: 'PX',
    length_mm: input.lengthCm,
    width_mm: input.widthCm,
    height_mm: input.heightCm,
    gross_g: input.tareKg,
    volume_cm3: dims.every((d) => d !== null) ? Math.round((dims[0]! * dims[1]! * dims[2]!) / 1000) : null
  })
  for (const c of cartons) ws.write.update('package', c, { pallet_id: id })
  return listPackages(ws, input.shipmentId)
}

/** Removes a pallet; its cartons travel loose again. */
export function removePallet(ws: Workspace, id: string): Package[] {
  const row = ws.db.prepare(`SELECT shipment_id AS shipmentId FROM package WHERE id = ? AND kind = 'PX' AND deleted_at IS NULL`).get(id) as
    | { shipmentId: string }
    | undefined
  if (!row) throw new AppError('record.not_found', { id })
  const cartons = ws.db.prepare('SELECT id FROM package WHERE pallet_id = ? AND deleted_at IS NULL').pluck().all(id) as string[]
  for (const c of cartons) ws.write.update('package', c, { pallet_id: null })
  ws.write.tombstone('package', id)
  return listPackages(ws, row.shipmentId)
}

/** The packages in position order, each with its marks ("marks/071") and contents; net weight from the lines. */
export function listPackages(ws: Workspace, shipmentId: string, shipment: Shipment = getShipment(ws, shipmentId)): Package[] {
  const rows = ws.db
    .prepare(
      `SELECT id, position, kind, pallet_id AS palletId, length_mm AS lengthMm, width_mm AS widthMm, height_mm AS heightMm,
         gross_g AS grossG, volume_cm3 AS volumeCm3
       FROM package WHERE shipment_id = ? AND deleted_at IS NULL ORDER BY position`
    )
    .all(shipmentId) as Omit<Package, 'marks' | 'lines' | 'netG'>[]
  const contents = ws.db
    .prepare(
      `SELECT pl.package_id AS packageId, pl.shipment_line_id AS shipmentLineId, pl.quantity_milli AS quantityMilli
       FROM package_line pl JOIN package p ON p.id = pl.package_id WHERE p.shipment_id = ? AND pl.deleted_at IS NULL AND p.deleted_at IS NULL`
    )
    .all(shipmentId) as { packageId: string; shipmentLineId: string; quantityMilli: number }[]
  const lineOf = new Map(shipment.lines.map((l) => [l.id, l]))
  const byPackage = new Map<string, PackageLine[]>()
  const net = new Map<string, number | null>()
  for (const c of contents) {
    const l = lineOf.get(c.shipmentLineId)
    if (!l) continue
    let list = byPackage.get(c.packageId)
    if (!list) byPackage.set(c.packageId, (list = []))
    list.push({ shipmentLineId: c.shipmentLineId, sku: l.sku, quantityMilli: c.quantityMilli, salesUnit: l.salesUnit })
    const n = l.netG === null || l.quantityMilli === 0 ? null : Math.round((l.netG * c.quantityMilli) / l.quantityMilli)
    const before = net.has(c.packageId) ? net.get(c.packageId)! : 0
    net.set(c.packageId, before === null || n === null ? null : before + n)
  }
  const width = Math.max(3, String(rows.length).length)
  return rows.map((r) => ({
    ...r,
    kind: r.kind as Package['kind'],
    marks: `${shipment.marks}/${String(r.position).padStart(width, '0')}`,
    netG: r.kind === 'PX' ? null : (net.get(r.id) ?? null),
    lines: byPackage.get(r.id) ?? []
  }))
}

/** The shipment's totals from its packages (or, before any were generated, from its lines). */
export function packageTotals(ws: Workspace, shipment: Shipment, packages: Package[] = listPackages(ws, shipment.id, shipment)): PackageTotals {
  const missingWeight = [...new Set(shipment.lines.filter((l) => l.grossG === null).map((l) => l.sku))]
  const missingVolume = [...new Set(shipment.lines.filter((l) => l.volumeCm3 === null).map((l) => l.sku))]
  const cartons = packages.filter((p) => p.kind !== 'PX')
  const pallets = packages.filter((p) => p.kind === 'PX')
  const netG = shipment.lines.reduce((a, l) => a + (l.netG ?? 0), 0)
  let grossG: number
  let cartonCm3: number
  if (packages.length) {
    grossG = packages.reduce((a, p) => a + (p.grossG ?? 0), 0)
    cartonCm3 = cartons.reduce((a, p) => a + (p.volumeCm3 ?? 0), 0)
  } else {
    grossG = shipment.lines.reduce((a, l) => a + (l.grossG ?? 0), 0)
    cartonCm3 = shipment.lines.reduce((a, l) => a + (l.volumeCm3 ?? 0), 0)
  }
  const palletCm3 = pallets.reduce((a, p) => a + (p.volumeCm3 ?? 0), 0)
  // Cartons on pallets travel inside the pallet's volume.
  const loose = cartons.filter((p) => p.palletId === null).reduce((a, p) => a + (p.volumeCm3 ?? 0), 0)
  const travelling = pallets.length ? palletCm3 + loose : cartonCm3
  const sea = shipment.mode === 'sea_lcl' || shipment.mode === 'sea_fcl'
  return {
    packages: packages.length ? pallets.length + cartons.filter((p) => p.palletId === null).length : 0,
    cartons: cartons.length,
    pallets: pallets.length,
    netG,
    grossG,
    cartonCm3,
    palletCm3,
    chargeableMilli: chargeableMilli(shipment.mode, grossG, travelling),
    chargeableUnit: sea ? 'wm' : 'kg',
    missingWeight,
    missingVolume
  }
}
