import type { Progress } from '../common/progress.ts'
import type { Workspace } from '../db/workspace.ts'
import { importStatement } from './payments.ts'

/** A bank statement import as its job gets it. */
export interface StatementJob {
  fileName: string
  data: Uint8Array
}

/** Payments' work run in a worker (app/jobs.ts): reading, booking and matching a bank statement. */
export const paymentJobs = {
  // Payments are committed with synchronous=FULL, like every commit that records money (Workspace.durably).
  'payments.importStatement': async (ws: Workspace, input: StatementJob, progress: Progress) => ws.durably(() => importStatement(ws, input, progress))
}
