import { join } from 'node:path'
import { action } from '../api/define.ts'
import { stamp } from '../common/env.ts'
import { type FileResult, fileResult } from '../common/files.ts'
import { fill, safeFileName } from '../common/text.ts'
import { pickListPdf } from '../documents/pickListPdf.ts'
import { getOrganisation } from '../settings/organisation.ts'
import { pickList, pickListInput, pickListTexts } from './pickList.ts'

/** Distribution day: the pick lists per buyer (issue 12). */
export const distributionMethods = {
  /** The pick lists of a round (or one buyer's) as one PDF to print, in the user's language. */
  'distribution.pickListPdf': action(pickListInput, async ({ session }, input): Promise<FileResult> => {
    const ws = session.requireWorkspace()
    const lang = session.uiLanguage()
    const data = pickList(ws, input, lang)
    const pdf = await pickListPdf(data, { fontsDir: join(session.resourcesDir, 'fonts'), createdAt: stamp(ws.env), organisation: getOrganisation(ws).name })
    return fileResult(`${safeFileName(fill(pickListTexts(lang).fileName, { round: data.roundName }))}.pdf`, 'pdf', pdf)
  })
}
