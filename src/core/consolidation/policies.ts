import { z } from 'zod'
import { AppError } from '../../shared/errors.ts'
import { CUT_STRATEGIES, ROUNDING_POLICIES } from '../../shared/vocabulary.ts'
import { stamp } from '../common/env.ts'
import { requireRow } from '../common/records.ts'
import { percent } from '../common/zod.ts'
import type { Workspace } from '../db/workspace.ts'
import { getRound } from '../rounds/rounds.ts'


const thresholdBp = (p: number | null | undefined) => (p === null || p === undefined ? null : p * 100)

export const roundPolicyInput = z
  .object({
    roundId: z.uuid(),
    roundingPolicy: z.enum(ROUNDING_POLICIES),
    /** The threshold's percentage of a case; absent or null with another policy keeps the round's stored one. */
    thresholdPercent: percent.nullish(),
    cutStrategy: z.enum(CUT_STRATEGIES)
  })
  .superRefine((input, ctx) => {
    // A threshold needs its percentage: without one it would silently stay whatever was stored before.
    if (input.roundingPolicy === 'threshold' && (input.thresholdPercent === null || input.thresholdPercent === undefined))
      ctx.addIssue({ code: 'custom', path: ['thresholdPercent'], message: 'required' })
  })

/** The round's rounding policy (with its threshold) and cut strategy. */
export function setRoundPolicy(ws: Workspace, input: z.output<typeof roundPolicyInput>): { roundId: string } {
  getRound(ws, input.roundId)
  ws.db
    .prepare('UPDATE round SET rounding_policy = ?, threshold_bp = coalesce(?, threshold_bp), cut_strategy = ?, updated_at = ? WHERE id = ?')
    .run(input.roundingPolicy, thresholdBp(input.thresholdPercent), input.cutStrategy, stamp(ws.env), input.roundId)
  return { roundId: input.roundId }
}

export const productPolicyInput = z
  .object({
    roundId: z.uuid(),
    productId: z.uuid(),
    /** null: the product follows the round's policy again. */
    roundingPolicy: z.enum(ROUNDING_POLICIES).nullable(),
    thresholdPercent: percent.nullish()
  })
  .superRefine((input, ctx) => {
    // A threshold of its own needs its percentage (null would silently take the round's).
    if (input.roundingPolicy === 'threshold' && (input.thresholdPercent === null || input.thresholdPercent === undefined))
      ctx.addIssue({ code: 'custom', path: ['thresholdPercent'], message: 'required' })
  })

/** A product's own rounding policy in a round, or (null) back to the round's. */
export function setProductPolicy(ws: Workspace, input: z.output<typeof productPolicyInput>): { productId: string } {
  const now = stamp(ws.env)
  getRound(ws, input.roundId)
  requireRow(ws.db, 'product', input.productId)
  const bp = thresholdBp(input.thresholdPercent)
  const updated = ws.db
    .prepare('UPDATE round_product SET rounding_policy = ?, threshold_bp = ?, updated_at = ? WHERE round_id = ? AND product_id = ?')
    .run(input.roundingPolicy, bp, now, input.roundId, input.productId)
  if (updated.changes === 0)
    ws.db
      .prepare(`INSERT INTO round_product (id, round_id, product_id, rounding_policy, threshold_bp, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`)
      .run(ws.env.uuid(), input.roundId, input.productId, input.roundingPolicy, bp, now, now)
  return { productId: input.productId }
}

export const overrideInput = z.object({ lineId: z.uuid(), granted: z.number().int().min(0).max(1_000_000), reason: z.string().trim().min(1).max(500) })

/** The coordinator's decision for one order line, replacing the computed units, with the reason. */
export function setOverride(ws: Workspace, input: z.output<typeof overrideInput>, deviceId: string): { lineId: string } {
  if (!ws.db.prepare('SELECT 1 FROM order_line WHERE id = ?').get(input.lineId)) throw new AppError('record.not_found', { id: input.lineId })
  const now = stamp(ws.env)
  ws.db.prepare('UPDATE allocation_override SET deleted_at = ? WHERE line_id = ? AND deleted_at IS NULL').run(now, input.lineId)
  ws.db
    .prepare('INSERT INTO allocation_override (id, line_id, granted, reason, device_id, created_at) VALUES (?, ?, ?, ?, ?, ?)')
    .run(ws.env.uuid(), input.lineId, input.granted, input.reason, deviceId, now)
  return { lineId: input.lineId }
}

/** Back to the computed units for a line. */
export function clearOverride(ws: Workspace, lineId: string): { lineId: string } {
  ws.db.prepare('UPDATE allocation_override SET deleted_at = ? WHERE line_id = ? AND deleted_at IS NULL').run(stamp(ws.env), lineId)
  return { lineId }
}
