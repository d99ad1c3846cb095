import { z } from 'zod'
import { AppError } from '../../shared/errors.ts'
import { bookSurplus, buyerChanges, listStock } from '../consolidation/changes.ts'
import { consolidate, storeAllocation } from '../consolidation/consolidate.ts'
import {
  createPurchaseOrders,
  createPurchaseOrdersInput,
  listPurchaseOrders,
  percent,
  purchaseOrderDocument,
  quantitiesInput,
  recordQuantities,
  setPurchaseOrderStatus,
  updatePurchaseOrder,
  updatePurchaseOrderInput
} from '../consolidation/purchaseOrders.ts'
import { stamp } from '../env.ts'
import { requireRow } from '../records.ts'
import { getRound } from '../rounds.ts'
import { mutation, none, query } from './define.ts'

const STAGES = ['planned', 'confirmed', 'received'] as const
const POLICIES = ['tolerance_fill', 'threshold', 'always_up', 'exact'] as const
const stageInput = z.object({ roundId: z.uuid(), stage: z.enum(STAGES).default('planned') })

/** Consolidation, fair cuts, purchase orders, confirmed/received quantities and stock. */
export const consolidationMethods = {
  'consolidation.get': query(stageInput, ({ session }, { roundId, stage }) => consolidate(session.requireWorkspace(), roundId, stage, 'summary')),
  'consolidation.lines': query(stageInput.extend({ productId: z.uuid() }), ({ session }, { roundId, stage, productId }) => {
    const product = consolidate(session.requireWorkspace(), roundId, stage, { productId }).products.find((p) => p.productId === productId)
    return product?.lines ?? []
  }),
  'consolidation.run': mutation(['consolidation'], stageInput, ({ session }, { roundId, stage }) => {
    const ws = session.requireWorkspace()
    const c = consolidate(ws, roundId, stage)
    return { lines: storeAllocation(ws, c), consolidation: c }
  }),
  'consolidation.setPolicy': mutation(
    ['consolidation', 'rounds'],
    z.object({
      roundId: z.uuid(),
      roundingPolicy: z.enum(POLICIES),
      /** The threshold's percentage of a case; absent or null with another policy keeps the round's stored one. */
      thresholdPercent: percent.nullish(),
      cutStrategy: z.enum(['first_come', 'pro_rata'])
    }).superRefine((input, ctx) => {
      // A threshold needs its percentage: without one it would silently stay whatever was stored before.
      if (input.roundingPolicy === 'threshold' && (input.thresholdPercent === null || input.thresholdPercent === undefined))
        ctx.addIssue({ code: 'custom', path: ['thresholdPercent'], message: 'required' })
    }),
    ({ session }, input) => {
      const ws = session.requireWorkspace()
      getRound(ws, input.roundId)
      const bp = input.thresholdPercent === null || input.thresholdPercent === undefined ? null : input.thresholdPercent * 100
      ws.db
        .prepare('UPDATE round SET rounding_policy = ?, threshold_bp = coalesce(?, threshold_bp), cut_strategy = ?, updated_at = ? WHERE id = ?')
        .run(input.roundingPolicy, bp, input.cutStrategy, stamp(ws.env), input.roundId)
      return { roundId: input.roundId }
    }
  ),
  'consolidation.setProductPolicy': mutation(
    ['consolidation'],
    z.object({
      roundId: z.uuid(),
      productId: z.uuid(),
      /** null: the product follows the round's policy again. */
      roundingPolicy: z.enum(POLICIES).nullable(),
      thresholdPercent: percent.nullish()
    }).superRefine((input, ctx) => {
      // A threshold of its own needs its percentage (null would silently take the round's).
      if (input.roundingPolicy === 'threshold' && (input.thresholdPercent === null || input.thresholdPercent === undefined))
        ctx.addIssue({ code: 'custom', path: ['thresholdPercent'], message: 'required' })
    }),
    ({ session }, input) => {
      const ws = session.requireWorkspace()
      const now = stamp(ws.env)
      getRound(ws, input.roundId)
      requireRow(ws.db, 'product', input.productId)
      const bp = input.thresholdPercent === null || input.thresholdPercent === undefined ? null : input.thresholdPercent * 100
      const updated = ws.db
        .prepare('UPDATE round_product SET rounding_policy = ?, threshold_bp = ?, updated_at = ? WHERE round_id = ? AND product_id = ?')
        .run(input.roundingPolicy, bp, now, input.roundId, input.productId)
      if (updated.changes === 0)
        ws.db
          .prepare(
            `INSERT INTO round_product (id, round_id, product_id, rounding_policy, threshold_bp, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`
          )
          .run(ws.env.uuid(), input.roundId, input.productId, input.roundingPolicy, bp, now, now)
      return { productId: input.productId }
    }
  ),
  'consolidation.override': mutation(
    ['consolidation'],
    z.object({ lineId: z.uuid(), granted: z.number().int().min(0).max(1_000_000), reason: z.string().trim().min(1).max(500) }),
    ({ session }, input) => {
      const ws = session.requireWorkspace()
      if (!ws.db.prepare('SELECT 1 FROM order_line WHERE id = ?').get(input.lineId)) throw new AppError('record.not_found', { id: input.lineId })
      const now = stamp(ws.env)
      ws.db.prepare('UPDATE allocation_override SET deleted_at = ? WHERE line_id = ? AND deleted_at IS NULL').run(now, input.lineId)
      ws.db
        .prepare('INSERT INTO allocation_override (id, line_id, granted, reason, device_id, created_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(ws.env.uuid(), input.lineId, input.granted, input.reason, session.appData.deviceId, now)
      return { lineId: input.lineId }
    }
  ),
  'consolidation.clearOverride': mutation(['consolidation'], z.object({ lineId: z.uuid() }), ({ session }, { lineId }) => {
    const ws = session.requireWorkspace()
    ws.db.prepare('UPDATE allocation_override SET deleted_at = ? WHERE line_id = ? AND deleted_at IS NULL').run(stamp(ws.env), lineId)
    return { lineId }
  }),
  'consolidation.changes': query(stageInput, ({ session }, { roundId, stage }) => buyerChanges(session.requireWorkspace(), roundId, stage)),

  'purchaseOrders.create': mutation(['purchaseOrders', 'consolidation'], createPurchaseOrdersInput, ({ session }, input) =>
    createPurchaseOrders(session.requireWorkspace(), input)
  ),
  'purchaseOrders.get': query(z.object({ id: z.uuid() }), ({ session }, { id }) => purchaseOrderDocument(session.requireWorkspace(), id)),
  'purchaseOrders.list': query(z.object({ roundId: z.uuid() }), ({ session }, { roundId }) => listPurchaseOrders(session.requireWorkspace(), roundId)),
  'purchaseOrders.setStatus': mutation(
    ['purchaseOrders'],
    z.object({ id: z.uuid(), status: z.enum(['draft', 'sent', 'confirmed']) }),
    ({ session }, { id, status }) => setPurchaseOrderStatus(session.requireWorkspace(), id, status)
  ),
  'purchaseOrders.update': mutation(['purchaseOrders'], updatePurchaseOrderInput, ({ session }, input) =>
    updatePurchaseOrder(session.requireWorkspace(), input)
  ),
  'purchaseOrders.recordQuantities': mutation(['purchaseOrders', 'consolidation'], quantitiesInput, ({ session }, input) =>
    recordQuantities(session.requireWorkspace(), input)
  ),

  'stock.bookSurplus': mutation(['stock', 'consolidation'], stageInput, ({ session }, { roundId, stage }) =>
    bookSurplus(session.requireWorkspace(), roundId, stage, session.appData.deviceId)
  ),
  'stock.list': query(none, ({ session }) => listStock(session.requireWorkspace()))
}
