/**
 * The kinds of data a mutation can change. A view names the topics it shows and reloads when the core
 * reports a change to one of them.
 */
export const TOPICS = [
  'settings',
  'suppliers',
  'products',
  'buyers',
  'reference',
  'rounds',
  'prices',
  'orders',
  'consolidation',
  'purchaseOrders',
  'shipments',
  'stock',
  'numbering',
  'backups',
  'invoices',
  'payments',
  'closing',
  'distribution'
] as const
export type Topic = (typeof TOPICS)[number]

/** The steps of a long job (an import): backing up, reading the file, checking its rows, writing them. */
export const JOB_PHASES = ['backup', 'read', 'check', 'write', 'issue', 'print'] as const
export type JobPhase = (typeof JOB_PHASES)[number]

/**
 * How far a long job (run off the main thread, see core/app/jobs.ts) has come: `done` of `total` in its
 * current phase (`total` 0: no measure yet). `id` is the one its caller chose (the `job` of its input),
 * `method` the API method it runs for.
 */
export interface JobProgress {
  type: 'job'
  id: string
  method: string
  phase: JobPhase
  done: number
  total: number
}

/** What the core tells open views: a workspace was opened, data changed, the language was switched, a job moved on. */
export type AppEvent =
  | { type: 'workspace'; path: string }
  | { type: 'changed'; topics: Topic[] }
  | JobProgress
  | { type: 'language'; language: string }
  | { type: 'navigate'; to: string }

export function isTopic(value: unknown): value is Topic {
  return typeof value === 'string' && (TOPICS as readonly string[]).includes(value)
}
