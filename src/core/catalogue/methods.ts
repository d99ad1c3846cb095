import { job, mutation, query } from '../api/define.ts'
import { archiveInput, idInput, listInput, setArchived } from '../common/records.ts'
import { catalogueJobs } from './jobs.ts'
import { catalogueImportInput } from './priceListImport.ts'
import { deleteProduct, getProduct, listProducts, productInput, productListInput, saveProduct } from './products.ts'
import { archiveSupplier, checkSentSupplier, deleteSupplier, getSupplier, listSuppliers, saveSupplier, supplierInput, supplierListInput } from './suppliers.ts'

/** The cooperatives (suppliers), their products, and supplier price lists read from spreadsheets. */
export const catalogueMethods = {
  'suppliers.list': query(listInput.extend(supplierListInput.shape), ({ session }, input) => listSuppliers(session.requireWorkspace(), input)),
  'suppliers.get': query(idInput, ({ session }, { id }) => getSupplier(session.requireWorkspace(), id)),
  'suppliers.save': mutation(
    ['suppliers'],
    supplierInput,
    ({ session }, input) => saveSupplier(session.requireWorkspace(), input),
    ({ session }, raw) => checkSentSupplier(session.requireWorkspace(), raw)
  ),
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
    setArchived(ws, 'product', id, archived)
    return { id, archived }
  }),
  'products.delete': mutation(['products', 'suppliers'], idInput, ({ session }, { id }) => {
    deleteProduct(session.requireWorkspace(), id)
    return { id }
  }),

  // Run as jobs in a worker (jobs.ts), with progress events and cancel.
  'catalogue.importPreview': job(catalogueJobs, 'catalogue.importPreview', catalogueImportInput, { writes: false }, (_ctx, input) => input),
  'catalogue.importApply': job(catalogueJobs, 'catalogue.importApply', catalogueImportInput, { writes: true, topics: ['products', 'suppliers'] }, (_ctx, input) => input)
}
