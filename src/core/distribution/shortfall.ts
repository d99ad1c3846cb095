import type { Workspace } from '../db/workspace.ts'

/**
 * What the tick list found short at the handover, per order line of a round: units missing and units
 * damaged, in the product's steps. Invoicing reads this (a draft leaves these units out), so it lives
 * apart from the tick list's rules and imports nothing of a feature.
 */
export interface Shortfall {
  missing: number
  damaged: number
}

export function shortfalls(ws: Workspace, roundId: string): Map<string, Shortfall> {
  const rows = ws.db
    .prepare('SELECT line_id AS lineId, missing, damaged FROM distribution_check WHERE round_id = ? AND deleted_at IS NULL AND (missing > 0 OR damaged > 0)')
    .all(roundId) as { lineId: string; missing: number; damaged: number }[]
  return new Map(rows.map((r) => [r.lineId, { missing: r.missing, damaged: r.damaged }]))
}
