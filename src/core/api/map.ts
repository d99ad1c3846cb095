import type { z } from 'zod'
import { appMethods } from '../app/methods.ts'
import { buyerMethods } from '../buyers/methods.ts'
import { catalogueMethods } from '../catalogue/methods.ts'
import { consolidationMethods } from '../consolidation/methods.ts'
import { closingMethods } from '../closing/methods.ts'
import { distributionMethods } from '../distribution/methods.ts'
import { invoiceMethods } from '../invoices/methods.ts'
import { orderMethods } from '../orders/methods.ts'
import { paymentMethods } from '../payments/methods.ts'
import { purchasingMethods } from '../purchasing/methods.ts'
import { referenceMethods } from '../reference/methods.ts'
import { roundMethods } from '../rounds/methods.ts'
import { settingsMethods } from '../settings/methods.ts'
import { shipmentMethods } from '../shipments/methods.ts'
import { safeguard } from './define.ts'

/**
 * The one list of what the UI may ask of the core: each feature declares its methods (a zod schema for
 * the input, a kind, a handler; see define.ts) in its own folder, and this map spreads them. Electron's
 * IPC and the browser host both route to this map and nothing else.
 */
export type { Context } from './define.ts'

export const methods = safeguard({
  ...appMethods,
  ...settingsMethods,
  ...catalogueMethods,
  ...buyerMethods,
  ...referenceMethods,
  ...roundMethods,
  ...orderMethods,
  ...consolidationMethods,
  ...purchasingMethods,
  ...shipmentMethods,
  ...invoiceMethods,
  ...paymentMethods,
  ...distributionMethods,
  ...closingMethods
}, {
  // Bulk operations: dispatch takes a verified backup first (db/backups.ts).
  backupBefore: { 'catalogue.importApply': 'import', 'orders.importApply': 'import', 'consolidation.run': 'consolidation', 'invoices.issueRound': 'invoices', 'payments.importStatement': 'import' },
  // Commits that issue numbers (or, later, record payments): synchronous=FULL (Workspace.durably).
  durable: [
    'purchaseOrders.create',
    'shipments.create',
    'invoices.issue',
    'invoices.credit',
    'distribution.proposeCredit',
    'invoices.requestDeposits',
    'invoices.recordDeposit',
    'payments.allocate',
    'payments.record',
    'supplierPayments.record',
    'closing.close',
    'closing.reopen'
  ]
})
export type Methods = typeof methods
export type MethodName = keyof Methods
/** The API as the UI sees it: each method's input (before parsing) and its awaited result. */
export type Api = {
  [K in MethodName]: {
    input: z.input<Methods[K]['input']>
    output: Awaited<ReturnType<Methods[K]['run']>>
  }
}
