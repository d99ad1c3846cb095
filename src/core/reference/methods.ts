import { mutation, none, query } from '../api/define.ts'
import { idInput } from '../common/records.ts'
import {
  convert,
  convertInput,
  deleteReference,
  exchangeRateInput,
  listCurrencies,
  listExchangeRates,
  listVatRates,
  saveExchangeRate,
  saveVatRate,
  vatRateInput
} from './reference.ts'

/** Reference data kept by hand: currencies, dated VAT rates, exchange rates. */
export const referenceMethods = {
  'reference.currencies': query(none, ({ session }) => listCurrencies(session.requireWorkspace())),
  'reference.vatRates': query(none, ({ session }) => listVatRates(session.requireWorkspace())),
  'reference.saveVatRate': mutation(['reference'], vatRateInput, ({ session }, input) => saveVatRate(session.requireWorkspace(), input)),
  'reference.deleteVatRate': mutation(['reference'], idInput, ({ session }, { id }) => {
    deleteReference(session.requireWorkspace(), 'vat_rate', id)
    return { id }
  }),
  'reference.exchangeRates': query(none, ({ session }) => listExchangeRates(session.requireWorkspace())),
  'reference.saveExchangeRate': mutation(['reference'], exchangeRateInput, ({ session }, input) =>
    saveExchangeRate(session.requireWorkspace(), input)
  ),
  'reference.convert': query(convertInput, ({ session }, input) => convert(session.requireWorkspace(), input)),
  'reference.deleteExchangeRate': mutation(['reference'], idInput, ({ session }, { id }) => {
    deleteReference(session.requireWorkspace(), 'exchange_rate', id)
    return { id }
  })
}
