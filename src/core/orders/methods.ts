import { join } from 'node:path'
import { z } from 'zod'
import { action, job, mutation, query } from '../api/define.ts'
import { type FileResult, fileResult } from '../common/files.ts'
import { listInput } from '../common/records.ts'
import { orderFormPdf } from '../documents/orderFormPdf.ts'
import { matrixCsv, matrixXlsx } from '../spreadsheets/matrix.ts'
import { orderFormXlsx } from '../spreadsheets/orderForm.ts'
import { matrixData, matrixFileName } from './matrix.ts'
import { formFileName, orderFormData } from './orderForm.ts'
import { orderJobs } from './jobs.ts'
import { orderImportInput } from './orderImport.ts'
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
  // Imports run as jobs in a worker (jobs.ts): the file is read, then checked and written in one
  // transaction there, with progress events and cancel; the apply announces the change once it succeeded.
  'orders.importPreview': job(orderJobs, 'orders.importPreview', orderImportInput, { writes: false }, ({ session }, input) => ({
    ...input,
    lang: session.uiLanguage()
  })),
  'orders.importApply': job(orderJobs, 'orders.importApply', orderImportInput, { writes: true, topics: ['orders'] }, ({ session }, input) => ({
    ...input,
    lang: session.uiLanguage()
  })),
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
