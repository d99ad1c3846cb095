import { mutation, query } from '../api/define.ts'
import { archiveInput, idInput, listInput, setArchived } from '../common/records.ts'
import { buyerInput, buyerListInput, checkSentBuyer, deleteBuyer, getBuyer, listBuyers, saveBuyer } from './buyers.ts'

/** The groups, shops, hubs and people who order. */
export const buyerMethods = {
  'buyers.list': query(listInput.extend(buyerListInput.shape), ({ session }, input) => listBuyers(session.requireWorkspace(), input)),
  'buyers.get': query(idInput, ({ session }, { id }) => getBuyer(session.requireWorkspace(), id)),
  'buyers.save': mutation(
    ['buyers'],
    buyerInput,
    ({ session }, input) => saveBuyer(session.requireWorkspace(), input),
    ({ session }, raw) => checkSentBuyer(session.requireWorkspace(), raw)
  ),
  'buyers.archive': mutation(['buyers'], archiveInput, ({ session }, { id, archived }) => {
    const ws = session.requireWorkspace()
    setArchived(ws, 'buyer', id, archived)
    return { id, archived }
  }),
  'buyers.delete': mutation(['buyers'], idInput, ({ session }, { id }) => {
    deleteBuyer(session.requireWorkspace(), id)
    return { id }
  })
}
