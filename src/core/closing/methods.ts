import { join } from 'node:path'
import { z } from 'zod'
import { action, mutation, query } from '../api/define.ts'
import { stamp } from '../common/env.ts'
import { type FileResult, fileResult } from '../common/files.ts'
import { closingReportFileName, closingReportPdf } from '../documents/closingReportPdf.ts'
import { closeInput, closeRound, closingPreview, contributionsFile, contributionsFileInput, reopenInput, reopenRound } from './closing.ts'
import { closingCsv } from './closingCsv.ts'

const roundInput = z.object({ roundId: z.uuid() })

/** Closing a round: its result, the solidarity contributions per cooperative and the reserve; the lock and reopening (issue 12). */
export const closingMethods = {
  'closing.get': query(roundInput, ({ session }, { roundId }) => closingPreview(session.requireWorkspace(), roundId)),
  'closing.close': mutation(['closing', 'rounds', 'invoices', 'payments'], closeInput, ({ session }, input) => closeRound(session.requireWorkspace(), input)),
  'closing.reopen': mutation(['closing', 'rounds', 'invoices', 'payments'], reopenInput, ({ session }, input) => reopenRound(session.requireWorkspace(), input)),
  /** The closing report in the organisation's language: as kept when closed, else a preview marked as such. */
  'closing.reportPdf': action(roundInput, async ({ session }, { roundId }): Promise<FileResult> => {
    const ws = session.requireWorkspace()
    const { figures } = closingPreview(ws, roundId)
    const pdf = closingReportPdf(figures, { fontsDir: join(session.resourcesDir, 'fonts'), createdAt: stamp(ws.env) })
    return fileResult(closingReportFileName(figures), 'pdf', pdf)
  }),
  /** The contributions of a closed round as a SEPA transfer file (cooperatives with an IBAN). */
  'closing.contributionsFile': action(contributionsFileInput, async ({ session }, input): Promise<FileResult> => {
    const f = contributionsFile(session.requireWorkspace(), input)
    return fileResult(f.fileName, 'xml', Buffer.from(f.xml, 'utf8'))
  }),
  /** The same figures as CSV for the bookkeeper. */
  'closing.reportCsv': action(roundInput, async ({ session }, { roundId }): Promise<FileResult> => {
    const csv = closingCsv(closingPreview(session.requireWorkspace(), roundId).figures)
    return fileResult(csv.fileName, 'csv', Buffer.from(csv.bytes))
  })
}
