import { join } from 'node:path'
import { z } from 'zod'
import { PURCHASE_ORDER_STATUSES } from '../../shared/vocabulary.ts'
import { action, mutation, query } from '../api/define.ts'
import { type FileResult, fileResult } from '../common/files.ts'
import { purchaseOrderPdf } from '../documents/purchaseOrderPdf.ts'
import { currencyDigits } from '../reference/reference.ts'
import { purchaseOrderXlsx } from '../spreadsheets/purchaseOrderXlsx.ts'
import { purchaseOrderDocument, purchaseOrderFileName } from './document.ts'
import { deleteSupplierPayment, recordSupplierPayment, supplierAccounts, supplierPaymentInput } from './supplierPayments.ts'
import {
  createPurchaseOrders,
  createPurchaseOrdersInput,
  listPurchaseOrders,
  markDocumentProduced,
  quantitiesInput,
  recordQuantities,
  setPurchaseOrderStatus,
  updatePurchaseOrder,
  updatePurchaseOrderInput
} from './purchaseOrders.ts'

/** Purchase orders per cooperative or exporter of record: numbers, status, payment terms, quantities, documents. */
export const purchasingMethods = {
  'purchaseOrders.create': mutation(['purchaseOrders', 'consolidation'], createPurchaseOrdersInput, ({ session }, input) =>
    createPurchaseOrders(session.requireWorkspace(), input)
  ),
  'purchaseOrders.get': query(z.object({ id: z.uuid() }), ({ session }, { id }) => purchaseOrderDocument(session.requireWorkspace(), id)),
  'purchaseOrders.list': query(z.object({ roundId: z.uuid() }), ({ session }, { roundId }) => listPurchaseOrders(session.requireWorkspace(), roundId)),
  'purchaseOrders.setStatus': mutation(
    ['purchaseOrders'],
    z.object({ id: z.uuid(), status: z.enum(PURCHASE_ORDER_STATUSES) }),
    ({ session }, { id, status }) => setPurchaseOrderStatus(session.requireWorkspace(), id, status)
  ),
  'purchaseOrders.update': mutation(['purchaseOrders'], updatePurchaseOrderInput, ({ session }, input) =>
    updatePurchaseOrder(session.requireWorkspace(), input)
  ),
  'purchaseOrders.recordQuantities': mutation(['purchaseOrders', 'consolidation'], quantitiesInput, ({ session }, input) =>
    recordQuantities(session.requireWorkspace(), input)
  ),
  /** Payments to the exporter per sent or confirmed order: in its currency, with the euros they cost. */
  'supplierPayments.list': query(z.object({ roundId: z.uuid() }), ({ session }, { roundId }) => supplierAccounts(session.requireWorkspace(), roundId)),
  'supplierPayments.record': mutation(['purchaseOrders', 'closing'], supplierPaymentInput, ({ session }, input) =>
    recordSupplierPayment(session.requireWorkspace(), input, session.uiLanguage())
  ),
  'supplierPayments.delete': mutation(['purchaseOrders', 'closing'], z.object({ id: z.uuid() }), ({ session }, { id }) =>
    deleteSupplierPayment(session.requireWorkspace(), id)
  ),
  'purchaseOrders.exportDocument': action(
    z.object({ id: z.uuid(), format: z.enum(['pdf', 'xlsx']) }),
    async ({ session }, { id, format }): Promise<FileResult> => {
      const ws = session.requireWorkspace()
      const data = purchaseOrderDocument(ws, id)
      const digits = currencyDigits(ws, data.currency)
      const bytes = format === 'pdf' ? await purchaseOrderPdf(data, join(session.resourcesDir, 'fonts'), digits) : await purchaseOrderXlsx(data, digits)
      // The document exists now: noted in its own transaction (after any job writing in a worker, see
      // app/jobs.ts), and announced (the list shows it).
      await session.jobs.writesDone()
      ws.db.transaction(() => markDocumentProduced(ws, id)).immediate()
      session.emit({ type: 'changed', topics: ['purchaseOrders'] })
      return fileResult(purchaseOrderFileName(data, format), format, bytes)
    }
  )
}
