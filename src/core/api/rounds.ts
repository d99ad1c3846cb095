import { z } from 'zod'
import { caseFill, getOrder, listOrderLines, orderListInput, setLinesInput, setOrderLines } from '../orders.ts'
import { idInput, listInput } from '../records.ts'
import {
  applyCalculatedPrices,
  getRound,
  listRounds,
  ROUND_STATUSES,
  roundInput,
  roundPrices,
  saveRound,
  setPriceInput,
  setRoundPrice,
  setRoundStatus
} from '../rounds.ts'
import { mutation, query } from './define.ts'

const roundIdInput = z.object({ roundId: z.uuid() })

/** Order rounds, their price lists, and the buyers' orders. */
export const roundMethods = {
  'rounds.list': query(listInput, ({ session }, input) => listRounds(session.requireWorkspace(), input)),
  'rounds.get': query(idInput, ({ session }, { id }) => getRound(session.requireWorkspace(), id)),
  'rounds.save': mutation(['rounds'], roundInput, ({ session }, input) => saveRound(session.requireWorkspace(), input)),
  'rounds.setStatus': mutation(
    ['rounds', 'orders'],
    z.object({ id: z.uuid(), status: z.enum(ROUND_STATUSES), closesAt: z.string().nullish() }),
    ({ session }, { id, status, closesAt }) => setRoundStatus(session.requireWorkspace(), id, status, closesAt)
  ),
  'rounds.prices': query(roundIdInput, ({ session }, { roundId }) => roundPrices(session.requireWorkspace(), roundId)),
  'rounds.calculatePrices': mutation(['rounds', 'prices'], roundIdInput, ({ session }, { roundId }) =>
    applyCalculatedPrices(session.requireWorkspace(), roundId)
  ),
  'rounds.setPrice': mutation(['prices'], setPriceInput, ({ session }, input) => setRoundPrice(session.requireWorkspace(), input)),
  'rounds.caseFill': query(roundIdInput, ({ session }, { roundId }) => caseFill(session.requireWorkspace(), roundId)),

  'orders.get': query(z.object({ roundId: z.uuid(), buyerId: z.uuid() }), ({ session }, { roundId, buyerId }) =>
    getOrder(session.requireWorkspace(), roundId, buyerId)
  ),
  'orders.list': query(listInput.extend(orderListInput.shape), ({ session }, input) => listOrderLines(session.requireWorkspace(), input)),
  'orders.setLines': mutation(['orders'], setLinesInput, ({ session }, input) =>
    setOrderLines(session.requireWorkspace(), input, 'entry', session.appData.deviceId)
  )
}
