import { z } from 'zod'
import { AppError } from '../../shared/errors.ts'
import { CUT_STRATEGIES, EXTRAS_TO, ROUNDING_POLICIES } from '../../shared/vocabulary.ts'
import { requireRow } from '../common/records.ts'
import { percent, requiredText } from '../common/zod.ts'
import type { Workspace } from '../db/workspace.ts'
import { getRound, upsertRoundProduct } from '../rounds/rounds.ts'
import type { RoundingPolicy } from './allocate.ts'

/**
 * Steps (whole units unless the product is ordered in smaller steps) still missing to fill the started case, as the order entry, the consolidation view and every other
 * place show it. 0 when the ordered units fill whole cases. Under tolerance_fill the tolerance counts toward
 * the case, as it does when the cases are decided (a case of 6 with 4 ordered and 2 tolerance misses nothing;
 * with 1 tolerance, 1); under the other policies only the ordered units count (4 ordered: 2 missing).
 */
export function missingToFill(policy: RoundingPolicy['kind'], quantity: number, tolerance: number, caseMilli: number, stepMilli = 1000): number {
  const rest = (quantity * stepMilli) % caseMilli
  if (rest === 0) return 0
  const open = caseMilli - rest
  const fromTolerance = policy === 'tolerance_fill' ? Math.min(open, tolerance * stepMilli) : 0
  return Math.ceil((open - fromTolerance) / stepMilli)
}

const thresholdBp = (p: number | null | undefined) => (p === null || p === undefined ? null : p * 100)

export const roundPolicyInput = z
  .object({
    roundId: z.uuid(),
    roundingPolicy: z.enum(ROUNDING_POLICIES),
    /** The threshold's percentage of a case; absent or null with another policy keeps the round's stored one. */
    thresholdPercent: percent.nullish(),
    /** `manual`: the coordinator distributes short products by hand (round.manual_cut; cut_strategy stays as it was). */
    cutStrategy: z.enum(CUT_STRATEGIES),
    /** Where units confirmed or received beyond the orders go first; absent keeps the round's. */
    extrasTo: z.enum(EXTRAS_TO).optional()
  })
  .superRefine((input, ctx) => {
    // A threshold needs its percentage: without one it would silently stay whatever was stored before.
    if (input.roundingPolicy === 'threshold' && (input.thresholdPercent === null || input.thresholdPercent === undefined))
      ctx.addIssue({ code: 'custom', path: ['thresholdPercent'], message: 'required' })
  })

/** The round's rounding policy (with its threshold), cut strategy and where extra units go. */
export function setRoundPolicy(ws: Workspace, input: z.output<typeof roundPolicyInput>): { roundId: string } {
  getRound(ws, input.roundId)
  const manual = input.cutStrategy === 'manual'
  // No percentage given (another policy): the round keeps its stored threshold. Manual distribution keeps
  // the stored strategy (the database holds only the automatic ones), which comes back when it ends.
  ws.write.update('round', input.roundId, {
    rounding_policy: input.roundingPolicy,
    threshold_bp: thresholdBp(input.thresholdPercent) ?? undefined,
    cut_strategy: manual ? undefined : input.cutStrategy,
    manual_cut: manual ? 1 : 0,
    extras_to: input.extrasTo
  })
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
  getRound(ws, input.roundId)
  requireRow(ws.db, 'product', input.productId)
  upsertRoundProduct(ws, input.roundId, input.productId, { rounding_policy: input.roundingPolicy, threshold_bp: thresholdBp(input.thresholdPercent) })
  return { productId: input.productId }
}

export const overrideInput = z.object({ lineId: z.uuid(), granted: z.number().int().min(0).max(1_000_000), reason: requiredText(500, { multiline: true }) })

/** The coordinator's decision for one order line, replacing the computed units, with the reason. */
export function setOverride(ws: Workspace, input: z.output<typeof overrideInput>, deviceId: string): { lineId: string } {
  if (!ws.db.prepare('SELECT 1 FROM order_line WHERE id = ?').get(input.lineId)) throw new AppError('record.not_found', { id: input.lineId })
  // The earlier decision stays on record, deleted; the new one replaces it.
  clearOverride(ws, input.lineId)
  ws.write.insert('allocation_override', { id: ws.env.uuid(), line_id: input.lineId, granted: input.granted, reason: input.reason, device_id: deviceId })
  return { lineId: input.lineId }
}

/** Back to the computed units for a line. */
export function clearOverride(ws: Workspace, lineId: string): { lineId: string } {
  const live = ws.db.prepare('SELECT id FROM allocation_override WHERE line_id = ? AND deleted_at IS NULL').pluck().all(lineId) as string[]
  for (const id of live) ws.write.tombstone('allocation_override', id)
  return { lineId }
}
