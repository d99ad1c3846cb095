import { join } from 'node:path'
import { action, mutation, query } from '../api/define.ts'
import type { Context } from '../api/define.ts'
import { stamp } from '../common/env.ts'
import { type FileResult, fileResult } from '../common/files.ts'
import { fill, safeFileName } from '../common/text.ts'
import { pickListPdf } from '../documents/pickListPdf.ts'
import { invoicePrinter } from '../invoices/printer.ts'
import { getOrganisation } from '../settings/organisation.ts'
import { checkInput, checklist, checklistInput, saveCheck } from './checklist.ts'
import { pickList, pickListInput, pickListTexts } from './pickList.ts'
import { proposals, proposalsInput, proposeCredit, proposeCreditInput } from './proposals.ts'

function printer(ctx: Context) {
  const ws = ctx.session.requireWorkspace()
  return invoicePrinter(ctx.session.resourcesDir, () => stamp(ws.env))
}

/** Distribution day: the pick lists per buyer, the on-screen tick list and the credit notes it proposes (issue 12). */
export const distributionMethods = {
  /** The pick lists of a round (or one buyer's) as one PDF to print, in the user's language. */
  'distribution.pickListPdf': action(pickListInput, async ({ session }, input): Promise<FileResult> => {
    const ws = session.requireWorkspace()
    const lang = session.uiLanguage()
    const data = pickList(ws, input, lang)
    const pdf = await pickListPdf(data, { fontsDir: join(session.resourcesDir, 'fonts'), createdAt: stamp(ws.env), organisation: getOrganisation(ws).name })
    return fileResult(`${safeFileName(fill(pickListTexts(lang).fileName, { round: data.roundName }))}.pdf`, 'pdf', pdf)
  }),
  /** The tick list: the pick list's lines per buyer with what was ticked, counted, missing, damaged, noted. */
  'distribution.checklist': query(checklistInput, ({ session }, input) => checklist(session.requireWorkspace(), input, session.uiLanguage())),
  /** Saves one line's check at once (ticked, count, missing, damaged, note). */
  'distribution.check': mutation(['distribution', 'invoices'], checkInput, ({ session }, input) => saveCheck(session.requireWorkspace(), input, session.uiLanguage())),
  /** Per buyer with an issued invoice: the missing and damaged units it still charges, and what crediting them comes to. */
  'distribution.proposals': query(proposalsInput, ({ session }, input) => proposals(session.requireWorkspace(), input, session.uiLanguage())),
  /** Credits the buyer's invoice for its proposal (a credit note issued at once) and opens a new draft without those units. */
  'distribution.proposeCredit': mutation(['distribution', 'invoices', 'numbering'], proposeCreditInput, (ctx, input) =>
    proposeCredit(ctx.session.requireWorkspace(), input, printer(ctx), ctx.session.uiLanguage())
  )
}
