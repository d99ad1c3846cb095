import { z } from 'zod'
import { ROUND_STATUSES } from '../../shared/vocabulary.ts'
import { mutation, query } from '../api/define.ts'
import { idInput, listInput } from '../common/records.ts'
import { consolidate, refuseOverDistributed } from '../consolidation/consolidate.ts'
import { applyCalculatedPrices, getRound, listRounds, roundInput, roundPrices, saveRound, setPriceInput, setRoundPrice, setRoundStatus } from './rounds.ts'

const roundIdInput = z.object({ roundId: z.uuid() })

/** Order rounds: deadlines, suppliers, status, and the round's price list. */
export const roundMethods = {
  'rounds.list': query(listInput, ({ session }, input) => listRounds(session.requireWorkspace(), input)),
  'rounds.get': query(idInput, ({ session }, { id }) => getRound(session.requireWorkspace(), id)),
  'rounds.save': mutation(['rounds'], roundInput, ({ session }, input) => saveRound(session.requireWorkspace(), input)),
  'rounds.setStatus': mutation(
    ['rounds', 'orders'],
    z.object({ id: z.uuid(), status: z.enum(ROUND_STATUSES), closesAt: z.string().nullish() }),
    ({ session }, { id, status, closesAt }) => {
      const ws = session.requireWorkspace()
      // Ordering hands the goods out as distributed: not while a hand distribution gives out more than there is.
      if (status === 'ordered') refuseOverDistributed(consolidate(ws, id, 'planned'))
      return setRoundStatus(ws, id, status, closesAt)
    }
  ),
  'rounds.prices': query(roundIdInput, ({ session }, { roundId }) => roundPrices(session.requireWorkspace(), roundId)),
  'rounds.calculatePrices': mutation(['rounds', 'prices'], roundIdInput, ({ session }, { roundId }) =>
    applyCalculatedPrices(session.requireWorkspace(), roundId)
  ),
  'rounds.setPrice': mutation(['prices'], setPriceInput, ({ session }, input) => setRoundPrice(session.requireWorkspace(), input))
}
