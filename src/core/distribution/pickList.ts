import { z } from 'zod'
import { AppError } from '../../shared/errors.ts'
import { resources } from '../../shared/i18n/index.ts'
import type { Language } from '../../shared/reference.ts'
import { localName, unitName } from '../common/text.ts'
import { buyerAllocations } from '../consolidation/changes.ts'
import type { Workspace } from '../db/workspace.ts'
import { quantitySymbol } from '../purchasing/document.ts'
import { listPackages } from '../shipments/packages.ts'

/**
 * Distribution day (issue 12, item 4): what each buyer takes home, from the delivered quantities
 * (received, else confirmed, else planned), product by product and for whom (a hub's member), with the
 * cartons each product came in (the shipments' package marks), so the people at the hub can pick and tick.
 */

export interface PickLine {
  /** The order line handed out (the tick list keeps its check by this id). */
  lineId: string
  productId: string
  sku: string
  name: string
  /** For whom, when a hub orders for its members. */
  subBuyer: string | null
  /** Exact quantity in thousandths of the unit, and the unit as printed. */
  quantityMilli: number
  unit: string
  /** The same quantity in the product's steps (what the tick list counts in), and the step. */
  steps: number
  stepMilli: number
  /** The product's sales unit (`units.<code>`). */
  salesUnit: string
  /** The marks of the cartons the product came in. */
  cartons: string[]
}

export interface PickList {
  roundName: string
  language: Language
  buyers: { buyerId: string; name: string; lines: PickLine[] }[]
}

export const pickListInput = z.object({ roundId: z.uuid(), buyerId: z.uuid().optional() })

export function pickList(ws: Workspace, input: z.output<typeof pickListInput>, language: Language): PickList {
  const list = pickRows(ws, input, language)
  if (list.buyers.length === 0) throw new AppError('distribution.nothing')
  return list
}

/** The pick list's rows, empty when nobody gets anything (the printed list refuses that, the tick list shows it). */
export function pickRows(ws: Workspace, input: z.output<typeof pickListInput>, language: Language): PickList {
  const round = ws.db.prepare('SELECT name FROM round WHERE id = ? AND deleted_at IS NULL').pluck().get(input.roundId) as string | undefined
  if (round === undefined) throw new AppError('record.not_found', { id: input.roundId })
  // The cartons each product came in, from every shipment of the round.
  const cartons = new Map<string, string[]>()
  const shipments = ws.db.prepare('SELECT id FROM shipment WHERE round_id = ? AND deleted_at IS NULL ORDER BY number').pluck().all(input.roundId) as string[]
  for (const id of shipments)
    for (const p of listPackages(ws, id))
      for (const l of p.lines) {
        const list = cartons.get(l.sku) ?? []
        if (!list.includes(p.marks)) list.push(p.marks)
        cartons.set(l.sku, list)
      }
  const products = new Map(
    (
      ws.db.prepare('SELECT p.id, p.sku, p.name_es AS nameEs, p.name_de AS nameDe, p.name_en AS nameEn, p.sales_unit AS unit FROM product p').all() as {
        id: string
        sku: string
        nameEs: string | null
        nameDe: string | null
        nameEn: string | null
        unit: string
      }[]
    ).map((p) => [p.id, p])
  )
  const buyers = buyerAllocations(ws, input.roundId, 'received')
    .filter((b) => !input.buyerId || b.buyerId === input.buyerId)
    .map((b) => ({
      buyerId: b.buyerId,
      name: b.buyerName,
      lines: b.lines
        .filter((l) => l.granted > 0)
        .map((l) => {
          const p = products.get(l.productId)!
          return {
            lineId: l.lineId,
            productId: l.productId,
            sku: p.sku,
            name: localName(p, language),
            subBuyer: l.subBuyerName,
            quantityMilli: l.granted * l.stepMilli,
            steps: l.granted,
            stepMilli: l.stepMilli,
            unit: quantitySymbol(p.unit) || unitName(language, p.unit),
            salesUnit: p.unit,
            cartons: cartons.get(p.sku) ?? []
          }
        })
        .sort((a, b) => a.sku.localeCompare(b.sku) || (a.subBuyer ?? '').localeCompare(b.subBuyer ?? ''))
    }))
    .filter((b) => b.lines.length > 0)
  return { roundName: round, language, buyers }
}

export function pickListTexts(language: Language) {
  return resources[language].translation.pickList
}
