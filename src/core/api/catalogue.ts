import { buyerInput, buyerListInput, deleteBuyer, getBuyer, listBuyers, saveBuyer } from '../buyers.ts'
import { deleteProduct, getProduct, listProducts, productInput, productListInput, saveProduct } from '../catalogue/products.ts'
import { archiveSupplier, deleteSupplier, getSupplier, listSuppliers, saveSupplier, supplierInput, supplierListInput } from '../catalogue/suppliers.ts'
import { archiveInput, idInput, listInput, setArchived } from '../records.ts'
import {
  deleteReference,
  exchangeRateInput,
  listCurrencies,
  listExchangeRates,
  listVatRates,
  saveExchangeRate,
  saveVatRate,
  vatRateInput
} from '../reference.ts'
import { mutation, none, query } from './define.ts'

/** Suppliers, products, buyers and the reference data. */
export const catalogueMethods = {
  'suppliers.list': query(listInput.extend(supplierListInput.shape), ({ session }, input) => listSuppliers(session.requireWorkspace(), input)),
  'suppliers.get': query(idInput, ({ session }, { id }) => getSupplier(session.requireWorkspace(), id)),
  'suppliers.save': mutation(['suppliers'], supplierInput, ({ session }, input) => saveSupplier(session.requireWorkspace(), input)),
  'suppliers.archive': mutation(['suppliers', 'products'], archiveInput, ({ session }, { id, archived }) => {
    archiveSupplier(session.requireWorkspace(), id, archived)
    return { id, archived }
  }),
  'suppliers.delete': mutation(['suppliers'], idInput, ({ session }, { id }) => {
    deleteSupplier(session.requireWorkspace(), id)
    return { id }
  }),

  'products.list': query(listInput.extend(productListInput.shape), ({ session }, input) => listProducts(session.requireWorkspace(), input)),
  'products.get': query(idInput, ({ session }, { id }) => getProduct(session.requireWorkspace(), id)),
  'products.save': mutation(['products', 'suppliers'], productInput, ({ session }, input) => saveProduct(session.requireWorkspace(), input)),
  'products.archive': mutation(['products', 'suppliers'], archiveInput, ({ session }, { id, archived }) => {
    const ws = session.requireWorkspace()
    setArchived(ws.db, ws.env, 'product', id, archived)
    return { id, archived }
  }),
  'products.delete': mutation(['products', 'suppliers'], idInput, ({ session }, { id }) => {
    deleteProduct(session.requireWorkspace(), id)
    return { id }
  }),

  'buyers.list': query(listInput.extend(buyerListInput.shape), ({ session }, input) => listBuyers(session.requireWorkspace(), input)),
  'buyers.get': query(idInput, ({ session }, { id }) => getBuyer(session.requireWorkspace(), id)),
  'buyers.save': mutation(['buyers'], buyerInput, ({ session }, input) => saveBuyer(session.requireWorkspace(), input)),
  'buyers.archive': mutation(['buyers'], archiveInput, ({ session }, { id, archived }) => {
    const ws = session.requireWorkspace()
    setArchived(ws.db, ws.env, 'buyer', id, archived)
    return { id, archived }
  }),
  'buyers.delete': mutation(['buyers'], idInput, ({ session }, { id }) => {
    deleteBuyer(session.requireWorkspace(), id)
    return { id }
  }),

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
  'reference.deleteExchangeRate': mutation(['reference'], idInput, ({ session }, { id }) => {
    deleteReference(session.requireWorkspace(), 'exchange_rate', id)
    return { id }
  })
}
