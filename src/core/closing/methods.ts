import { z } from 'zod'
import { mutation, query } from '../api/define.ts'
import { closeInput, closeRound, closingPreview, reopenInput, reopenRound } from './closing.ts'

const roundInput = z.object({ roundId: z.uuid() })

/** Closing a round: its result, the solidarity contributions per cooperative and the reserve; the lock and reopening (issue 12). */
export const closingMethods = {
  'closing.get': query(roundInput, ({ session }, { roundId }) => closingPreview(session.requireWorkspace(), roundId)),
  'closing.close': mutation(['closing', 'rounds', 'invoices', 'payments'], closeInput, ({ session }, input) => closeRound(session.requireWorkspace(), input)),
  'closing.reopen': mutation(['closing', 'rounds', 'invoices', 'payments'], reopenInput, ({ session }, input) => reopenRound(session.requireWorkspace(), input))
}
