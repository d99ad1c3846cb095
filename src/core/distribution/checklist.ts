import { z } from 'zod'
import { AppError, MAX_QUANTITY } from '../../shared/errors.ts'
import type { Language } from '../../shared/reference.ts'
import { optionalText } from '../common/zod.ts'
import type { Workspace } from '../db/workspace.ts'
import { assertRoundNotClosed } from '../rounds/rounds.ts'
import { pickListInput, pickRows, type PickLine } from './pickList.ts'

/**
 * Distribution day's on-screen tick list (issue 12, item 4): the pick list's lines per buyer and, for
 * each order line handed out, what the people at the hub recorded — ticked, the count taken, units
 * missing or damaged (which become a proposed credit note, see proposals.ts) and a note. Every change is
 * saved at once in the workspace file on this laptop, so the list works offline and survives a reload.
 * A closed round (status 'settled') is locked: its checks are refused (and a trigger refuses them too).
 */

export interface Check {
  ticked: boolean
  /** The count taken, in the product's steps; null when nobody counted. */
  counted: number | null
  missing: number
  damaged: number
  note: string | null
}

export interface ChecklistLine extends PickLine, Check {}

export interface ChecklistBuyer {
  buyerId: string
  name: string
  lines: ChecklistLine[]
  /** How many of its lines are ticked. */
  ticked: number
}

export interface Checklist {
  roundName: string
  /** The round is closed (settled): nothing can be changed. */
  locked: boolean
  buyers: ChecklistBuyer[]
}

export const checklistInput = pickListInput

const NO_CHECK: Check = { ticked: false, counted: null, missing: 0, damaged: 0, note: null }

export function checklist(ws: Workspace, input: z.output<typeof checklistInput>, language: Language): Checklist {
  const list = pickRows(ws, input, language)
  const checks = new Map(
    (
      ws.db
        .prepare('SELECT line_id AS lineId, ticked, counted, missing, damaged, note FROM distribution_check WHERE round_id = ? AND deleted_at IS NULL')
        .all(input.roundId) as { lineId: string; ticked: number; counted: number | null; missing: number; damaged: number; note: string | null }[]
    ).map((c) => [c.lineId, { ticked: c.ticked === 1, counted: c.counted, missing: c.missing, damaged: c.damaged, note: c.note }])
  )
  return {
    roundName: list.roundName,
    locked: roundStatus(ws, input.roundId) === 'settled',
    buyers: list.buyers.map((b) => {
      const lines = b.lines.map((l) => ({ ...l, ...(checks.get(l.lineId) ?? NO_CHECK) }))
      return { buyerId: b.buyerId, name: b.name, lines, ticked: lines.filter((l) => l.ticked).length }
    })
  }
}

function roundStatus(ws: Workspace, roundId: string): string | undefined {
  return ws.db.prepare('SELECT status FROM round WHERE id = ? AND deleted_at IS NULL').pluck().get(roundId) as string | undefined
}

/** A count in the product's steps: a whole number from 0. */
const steps = z
  .number({ message: 'integer' })
  .int({ message: 'integer' })
  .min(0, { message: 'quantity_negative' })
  .max(MAX_QUANTITY * 1000)

export const checkInput = z.object({
  lineId: z.uuid(),
  ticked: z.boolean(),
  counted: steps.nullable(),
  missing: steps,
  damaged: steps,
  note: optionalText(500, { multiline: true })
})

/**
 * Stores one line's check (a new one or a change), refused when the line is not handed out in its round,
 * when more units are missing and damaged than it hands out, or when the round is closed.
 */
export function saveCheck(ws: Workspace, input: z.output<typeof checkInput>, language: Language): Check & { lineId: string } {
  const line = ws.db
    .prepare(
      `SELECT o.round_id AS roundId, o.buyer_id AS buyerId FROM order_line l JOIN buyer_order o ON o.id = l.order_id
       WHERE l.id = ? AND o.deleted_at IS NULL`
    )
    .get(input.lineId) as { roundId: string; buyerId: string } | undefined
  if (!line) throw new AppError('record.not_found', { id: input.lineId })
  assertRoundNotClosed(ws, line.roundId)
  const picked = pickRows(ws, { roundId: line.roundId, buyerId: line.buyerId }, language).buyers.flatMap((b) => b.lines).find((l) => l.lineId === input.lineId)
  if (!picked) throw new AppError('distribution.not_handed_out')
  if (input.missing + input.damaged > picked.steps)
    throw new AppError('validation', {
      fields: {
        missing: { code: 'short_max', params: { max: (picked.steps * picked.stepMilli) / 1000, unit: picked.unit } }
      }
    })
  // The row's key is the order line's: two laptops ticking the same line offline write the same row, so
  // merging their logs keeps the later change instead of two rows for one line.
  ws.write.upsert('distribution_check', {
    id: input.lineId,
    round_id: line.roundId,
    line_id: input.lineId,
    ticked: input.ticked ? 1 : 0,
    counted: input.counted,
    missing: input.missing,
    damaged: input.damaged,
    note: input.note,
    device_id: ws.deviceId
  })
  return { lineId: input.lineId, ticked: input.ticked, counted: input.counted, missing: input.missing, damaged: input.damaged, note: input.note }
}
