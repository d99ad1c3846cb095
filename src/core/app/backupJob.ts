/**
 * A backup on its own, as a job (app/jobs.ts): the worker takes the backup a request is marked for
 * (`backupBefore`, the verified copy and its rotation) and the job itself has nothing more to do. The
 * session runs it for the backup on open and before a bulk operation that is not itself a job
 * (consolidation.run), so that copying and verifying a large workspace never holds the main thread.
 */
export const BACKUP_JOB = 'workspace.backup'

export const backupJobs = {
  [BACKUP_JOB]: () => null
}
