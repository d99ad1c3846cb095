import type { Progress } from '../common/progress.ts'
import type { Workspace } from '../db/workspace.ts'
import { readUpload } from '../spreadsheets/files.ts'
import { applyCatalogueImport, type CatalogueImportInput, previewCatalogueImport } from './priceListImport.ts'

/**
 * The price-list imports' work, run in a worker (app/jobs.ts; methods.ts starts them): the file is
 * read, its rows checked and, for the apply, saved in one transaction, reporting progress on the way.
 */
export const catalogueJobs = {
  'catalogue.importPreview': async (ws: Workspace, input: CatalogueImportInput, progress: Progress) => {
    progress('read', 0, 0)
    const file = await readUpload(input.fileName, input.data)
    return previewCatalogueImport(ws, input, file, progress)
  },
  'catalogue.importApply': async (ws: Workspace, input: CatalogueImportInput, progress: Progress) => {
    progress('read', 0, 0)
    const file = await readUpload(input.fileName, input.data)
    return applyCatalogueImport(ws, input, file, progress)
  }
}
