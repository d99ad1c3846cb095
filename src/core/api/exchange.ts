import { join } from 'node:path'
import { z } from 'zod'
import type { Language } from '../../shared/reference.ts'
import { orderFormPdf } from '../documents/orderFormPdf.ts'
import { applyCatalogueImport, catalogueImportInput, previewCatalogueImport } from '../exchange/catalogueImport.ts'
import { readUpload } from '../exchange/files.ts'
import { matrixCsv, matrixData, matrixFileName, matrixXlsx } from '../exchange/matrix.ts'
import { applyOrderImport, orderImportInput, previewOrderImport } from '../exchange/orderImport.ts'
import { formFileName, orderFormData, orderFormXlsx } from '../exchange/orderForm.ts'
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

const exportFormInput = z.object({ roundId: z.uuid(), buyerId: z.uuid(), format: z.enum(['xlsx', 'pdf']) })

/** Order forms out and filled forms (or any order table) back in; the order matrix; supplier price lists. */
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
  })
}
