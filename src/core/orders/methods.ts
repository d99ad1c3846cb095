import { join } from 'node:path'
import { z } from 'zod'
import { action, mutation, query } from '../api/define.ts'
import { type FileResult, fileResult } from '../common/files.ts'
import { listInput } from '../common/records.ts'
import { orderFormPdf } from '../documents/orderFormPdf.ts'
import { matrixCsv, matrixXlsx } from '../spreadsheets/matrix.ts'
import { orderFormXlsx } from '../spreadsheets/orderForm.ts'
import { readUpload } from '../spreadsheets/files.ts'
import { matrixData, matrixFileName } from './matrix.ts'
import { formFileName, orderFormData } from './orderForm.ts'
import { applyOrderImport, orderImportInput, previewOrderImport } from './orderImport.ts'
import { caseFill, getOrder, listOrderLines, orderListInput, setLinesInput, setOrderLines, setReceivedAt, setReceivedAtInput } from './orders.ts'

const exportFormInput = z.object({ roundId: z.uuid(), buyerId: z.uuid(), format: z.enum(['xlsx', 'pdf']) })

/** The buyers' orders: entry, the round's order list, order forms out and filled forms back in, the order matrix. */
export const orderMethods = {
  'orders.get': query(z.object({ roundId: z.uuid(), buyerId: z.uuid() }), ({ session }, { roundId, buyerId }) =>
    getOrder(session.requireWorkspace(), roundId, buyerId)
  ),
  'orders.list': query(listInput.extend(orderListInput.shape), ({ session }, input) => listOrderLines(session.requireWorkspace(), input)),
  'orders.setLines': mutation(['orders'], setLinesInput, ({ session }, input) =>
    setOrderLines(session.requireWorkspace(), input, 'entry', session.appData.deviceId)
  ),
  'orders.setReceivedAt': mutation(['orders'], setReceivedAtInput, ({ session }, input) =>
    setReceivedAt(session.requireWorkspace(), input, session.appData.deviceId)
  ),
  'rounds.caseFill': query(z.object({ roundId: z.uuid() }), ({ session }, { roundId }) => caseFill(session.requireWorkspace(), roundId)),

  'orders.exportForm': action(exportFormInput, async ({ session }, { roundId, buyerId, format }): Promise<FileResult> => {
    const data = orderFormData(session.requireWorkspace(), roundId, buyerId)
    const bytes = format === 'xlsx' ? await orderFormXlsx(data) : await orderFormPdf(data, join(session.resourcesDir, 'fonts'))
    return fileResult(formFileName(data, format), format, bytes)
  }),
  // Imports read the file first (asynchronously), then check and write in one synchronous transaction;
  // being actions, the applies announce the change themselves.
  'orders.importPreview': query(orderImportInput, async ({ session }, input) => {
    const file = await readUpload(input.fileName, input.data)
    return previewOrderImport(session.requireWorkspace(), input.roundId, file, session.uiLanguage())
  }),
  'orders.importApply': action(orderImportInput, async ({ session }, input) => {
    const file = await readUpload(input.fileName, input.data)
    const result = applyOrderImport(session.requireWorkspace(), input.roundId, file, session.uiLanguage(), session.appData.deviceId, input.orderedAt)
    session.emit({ type: 'changed', topics: ['orders'] })
    return result
  }),
  'orders.exportMatrix': action(
    z.object({ roundId: z.uuid(), format: z.enum(['xlsx', 'csv']) }),
    async ({ session }, { roundId, format }): Promise<FileResult> => {
      const lang = session.uiLanguage()
      const data = matrixData(session.requireWorkspace(), roundId, lang)
      const bytes = format === 'xlsx' ? await matrixXlsx(data, lang) : matrixCsv(data, lang)
      return fileResult(matrixFileName(data, lang, format), format, bytes)
    }
  )
}
