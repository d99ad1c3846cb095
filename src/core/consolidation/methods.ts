import { join } from 'node:path'
import { z } from 'zod'
import { STAGES } from '../../shared/vocabulary.ts'
import { action, mutation, none, query } from '../api/define.ts'
import { type FileResult, fileResult } from '../common/files.ts'
import { changeNoticePdf } from '../documents/changeNoticePdf.ts'
import { changeNoticeCsv } from '../spreadsheets/changeNotice.ts'
import { changeNoticeData, changeNoticeFileName } from './changeNotice.ts'
import { bookSurplus, buyerAllocations, buyerChanges, lineOutcomes, listStock } from './changes.ts'
import { consolidate, refuseOverDistributed, storeAllocation } from './consolidate.ts'
import { clearOverride, overrideInput, productPolicyInput, roundPolicyInput, setOverride, setProductPolicy, setRoundPolicy } from './policies.ts'

const stageInput = z.object({ roundId: z.uuid(), stage: z.enum(STAGES).default('planned') })
const changeFilter = { buyerId: z.uuid().optional(), purchaseOrderId: z.uuid().optional() }

/** Consolidation: whole cases, fair cuts, overrides, what changed per buyer, and surplus into stock. */
export const consolidationMethods = {
  'consolidation.get': query(stageInput, ({ session }, { roundId, stage }) => consolidate(session.requireWorkspace(), roundId, stage, 'summary')),
  'consolidation.lines': query(stageInput.extend({ productId: z.uuid() }), ({ session }, { roundId, stage, productId }) =>
    // In the order the cut goes through them, each with its reason (null: gets what was ordered).
    lineOutcomes(session.requireWorkspace(), roundId, stage, { productId })
      .filter((o) => o.product.productId === productId)
      .map((o) => ({ ...o.line, stepMilli: o.product.stepMilli, reason: o.reason }))
  ),
  /** Each buyer's allocation at a stage, per product, read only (consolidation.run writes the same). */
  'consolidation.allocations': query(stageInput, ({ session }, { roundId, stage }) => buyerAllocations(session.requireWorkspace(), roundId, stage)),
  'consolidation.run': mutation(['consolidation'], stageInput, ({ session }, { roundId, stage }) => {
    const ws = session.requireWorkspace()
    const c = consolidate(ws, roundId, stage)
    // Distributed by hand: what is stored must not hand out more than there is.
    refuseOverDistributed(c)
    return { lines: storeAllocation(ws, c), consolidation: c }
  }),
  'consolidation.setPolicy': mutation(['consolidation', 'rounds'], roundPolicyInput, ({ session }, input) => setRoundPolicy(session.requireWorkspace(), input)),
  'consolidation.setProductPolicy': mutation(['consolidation'], productPolicyInput, ({ session }, input) =>
    setProductPolicy(session.requireWorkspace(), input)
  ),
  'consolidation.override': mutation(['consolidation'], overrideInput, ({ session }, input) =>
    setOverride(session.requireWorkspace(), input, session.appData.deviceId)
  ),
  'consolidation.clearOverride': mutation(['consolidation'], z.object({ lineId: z.uuid() }), ({ session }, { lineId }) =>
    clearOverride(session.requireWorkspace(), lineId)
  ),
  /** Optionally narrowed to one buyer or to the products of one purchase order. */
  'consolidation.changes': query(stageInput.extend(changeFilter), ({ session }, { roundId, stage, buyerId, purchaseOrderId }) =>
    buyerChanges(session.requireWorkspace(), roundId, stage, { buyerId, purchaseOrderId })
  ),
  'consolidation.exportChanges': action(
    z.object({ roundId: z.uuid(), stage: z.enum(STAGES).default('planned'), format: z.enum(['pdf', 'csv']), ...changeFilter }),
    async ({ session }, { roundId, stage, format, buyerId, purchaseOrderId }): Promise<FileResult> => {
      const data = changeNoticeData(session.requireWorkspace(), roundId, stage, session.uiLanguage(), { buyerId, purchaseOrderId })
      const bytes = format === 'pdf' ? await changeNoticePdf(data, join(session.resourcesDir, 'fonts')) : changeNoticeCsv(data)
      return fileResult(changeNoticeFileName(data, format, buyerId), format, bytes)
    }
  ),

  'stock.bookSurplus': mutation(['stock', 'consolidation'], stageInput, ({ session }, { roundId, stage }) =>
    bookSurplus(session.requireWorkspace(), roundId, stage, session.appData.deviceId)
  ),
  'stock.list': query(none, ({ session }) => listStock(session.requireWorkspace()))
}
