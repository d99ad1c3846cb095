import type { Language } from '../../shared/reference.ts'
import type { Progress } from '../common/progress.ts'
import type { Workspace } from '../db/workspace.ts'
import { readUpload } from '../spreadsheets/files.ts'
import { applyOrderImport, type OrderImportInput, previewOrderImport } from './orderImport.ts'

/** An order import as its job gets it: the checked input and the language of the product names. */
export type OrderImportJob = OrderImportInput & { lang: Language }

/**
 * The order imports' work, run in a worker (app/jobs.ts; methods.ts starts them): the file is read,
 * its rows checked and, for the apply, written in one transaction, reporting progress on the way.
 */
export const orderJobs = {
  'orders.importPreview': async (ws: Workspace, input: OrderImportJob, progress: Progress) => {
    progress('read', 0, 0)
    const file = await readUpload(input.fileName, input.data)
    return previewOrderImport(ws, input.roundId, file, input.lang, progress)
  },
  'orders.importApply': async (ws: Workspace, input: OrderImportJob, progress: Progress) => {
    progress('read', 0, 0)
    const file = await readUpload(input.fileName, input.data)
    return applyOrderImport(ws, input.roundId, file, input.lang, ws.deviceId, input.orderedAt, progress)
  }
}
