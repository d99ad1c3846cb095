import { join } from 'node:path'
import { z } from 'zod'
import type { Language } from '../../shared/reference.ts'
import { purchaseOrderDocument } from '../consolidation/purchaseOrders.ts'
import { changeNoticePdf } from '../documents/changeNoticePdf.ts'
import { orderFormPdf } from '../documents/orderFormPdf.ts'
import { purchaseOrderFileName } from '../documents/purchaseOrder.ts'
import { purchaseOrderPdf } from '../documents/purchaseOrderPdf.ts'
import { changeNoticeCsv, changeNoticeData, changeNoticeFileName } from '../exchange/changeNotice.ts'
import { applyCatalogueImport, catalogueImportInput, previewCatalogueImport } from '../exchange/catalogueImport.ts'
import { readUpload } from '../exchange/files.ts'
import { matrixCsv, matrixData, matrixFileName, matrixXlsx } from '../exchange/matrix.ts'
import { applyOrderImport, orderImportInput, previewOrderImport } from '../exchange/orderImport.ts'
import { formFileName, orderFormData, orderFormXlsx } from '../exchange/orderForm.ts'
import { purchaseOrderXlsx } from '../exchange/purchaseOrderXlsx.ts'
import { currencyDigits } from '../reference.ts'
import type { Session } from '../session.ts'
import { getOrganisation } from '../settings.ts'
import { action, query } from './define.ts'

/** A file the core made, for the UI to save or download. */
export interface FileResult {
  fileName: string
  mime: string
  dataBase64: string
}

export const MIME = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
  csv: 'text/csv;charset=utf-8'
} as const

/** The language the user reads the app in (for previews): the saved choice, else the organisation's. */
function uiLanguage(session: Session): Language {
  return session.appData.language ?? getOrganisation(session.requireWorkspace()).defaultLanguage
}

const fileResult = (fileName: string, format: keyof typeof MIME, bytes: Buffer): FileResult => ({
  fileName,
  mime: MIME[format],
  dataBase64: bytes.toString('base64')
})

const exportFormInput = z.object({ roundId: z.uuid(), buyerId: z.uuid(), format: z.enum(['xlsx', 'pdf']) })

/**
 * Order forms out and filled forms (or any order table) back in; the order matrix; supplier price lists;
 * purchase orders as PDF or XLSX; the per-buyer change notice.
 */
export const exchangeMethods = {
  'orders.exportForm': action(exportFormInput, async ({ session }, { roundId, buyerId, format }): Promise<FileResult> => {
    const data = orderFormData(session.requireWorkspace(), roundId, buyerId)
    const bytes = format === 'xlsx' ? await orderFormXlsx(data) : await orderFormPdf(data, join(session.resourcesDir, 'fonts'))
    return { fileName: formFileName(data, format), mime: MIME[format], dataBase64: bytes.toString('base64') }
  }),
  // Imports read the file first (exceljs reads asynchronously), then check and write in one synchronous
  // transaction; being actions, the applies announce the change themselves.
  'orders.importPreview': query(orderImportInput, async ({ session }, input) => {
    const file = await readUpload(input.fileName, input.dataBase64)
    return previewOrderImport(session.requireWorkspace(), input.roundId, file, uiLanguage(session))
  }),
  'orders.importApply': action(orderImportInput, async ({ session }, input) => {
    const file = await readUpload(input.fileName, input.dataBase64)
    const result = applyOrderImport(session.requireWorkspace(), input.roundId, file, uiLanguage(session), session.appData.deviceId)
    session.emit({ type: 'changed', topics: ['orders'] })
    return result
  }),
  'orders.exportMatrix': action(
    z.object({ roundId: z.uuid(), format: z.enum(['xlsx', 'csv']) }),
    async ({ session }, { roundId, format }): Promise<FileResult> => {
      const lang = uiLanguage(session)
      const data = matrixData(session.requireWorkspace(), roundId, lang)
      const bytes = format === 'xlsx' ? await matrixXlsx(data, lang) : matrixCsv(data, lang)
      return { fileName: matrixFileName(data, lang, format), mime: MIME[format], dataBase64: bytes.toString('base64') }
    }
  ),
  'catalogue.importPreview': query(catalogueImportInput, async ({ session }, input) => {
    const file = await readUpload(input.fileName, input.dataBase64)
    return previewCatalogueImport(session.requireWorkspace(), input, file)
  }),
  'catalogue.importApply': action(catalogueImportInput, async ({ session }, input) => {
    const file = await readUpload(input.fileName, input.dataBase64)
    const result = applyCatalogueImport(session.requireWorkspace(), input, file)
    session.emit({ type: 'changed', topics: ['products', 'suppliers'] })
    return result
  }),

  'purchaseOrders.exportDocument': action(
    z.object({ id: z.uuid(), format: z.enum(['pdf', 'xlsx']) }),
    async ({ session }, { id, format }): Promise<FileResult> => {
      const ws = session.requireWorkspace()
      const data = purchaseOrderDocument(ws, id)
      const digits = currencyDigits(ws, data.currency)
      const bytes = format === 'pdf' ? await purchaseOrderPdf(data, join(session.resourcesDir, 'fonts'), digits) : await purchaseOrderXlsx(data, digits)
      return fileResult(purchaseOrderFileName(data, format), format, bytes)
    }
  ),
  'consolidation.exportChanges': action(
    z.object({ roundId: z.uuid(), stage: z.enum(['planned', 'confirmed', 'received']).default('planned'), format: z.enum(['pdf', 'csv']) }),
    async ({ session }, { roundId, stage, format }): Promise<FileResult> => {
      const data = changeNoticeData(session.requireWorkspace(), roundId, stage, uiLanguage(session))
      const bytes = format === 'pdf' ? await changeNoticePdf(data, join(session.resourcesDir, 'fonts')) : changeNoticeCsv(data)
      return fileResult(changeNoticeFileName(data, format), format, bytes)
    }
  )
}
