/**
 * The worker thread a job runs in (see jobs.ts): opens the workspace file as the app does (its own
 * connection, the same device), takes the backup a bulk operation needs, runs the job and posts its
 * progress and its result or error. Electron's build emits this file as its own entry (electron.vite.config.ts);
 * tests and the browser host run it from source.
 */
import { serialize } from 'node:v8'
import { parentPort, workerData } from 'node:worker_threads'
import { z } from 'zod'
import { AppError } from '../../shared/errors.ts'
import type { JobPhase } from '../../shared/events.ts'
import { catalogueJobs } from '../catalogue/jobs.ts'
import { type Env, systemEnv } from '../common/env.ts'
import type { Progress } from '../common/progress.ts'
import { fieldErrors } from '../common/zod.ts'
import { backupBeforeBulk } from '../db/backups.ts'
import { PDF_HELPER_ROLE, servePdfHelper, usePdfHelpers } from '../documents/pdfPool.ts'
import { Workspace } from '../db/workspace.ts'
import { invoiceJobs } from '../invoices/jobs.ts'
import { orderJobs } from '../orders/jobs.ts'
import { paymentJobs } from '../payments/jobs.ts'
import { backupJobs } from './backupJob.ts'
import { ENV_SLOT, type JobFailure, type JobMessage, type JobRequest, RESULT_SLICE, type SliceRequest } from './jobs.ts'

/** Every job, by the API method it runs for; each feature brings its own (like its methods). */
const JOBS: Record<string, (ws: Workspace, input: never, progress: Progress) => unknown> = { ...catalogueJobs, ...orderJobs, ...invoiceJobs, ...paymentJobs, ...backupJobs }

/** Reports are sent at most this often (and at every new phase), so that the UI is not flooded. */
const REPORT_EVERY_MS = 100

const port = parentPort!
const post = (m: JobMessage) => port.postMessage(m)

/** The session's env, asked for every reading (the main thread answers into the shared slot). */
function sessionEnv(slot: SharedArrayBuffer): Env {
  const state = new Int32Array(slot, 0, 2)
  const text = new Uint8Array(slot, ENV_SLOT.text)
  const decoder = new TextDecoder()
  const ask = (what: 'now' | 'uuid'): string => {
    Atomics.store(state, 0, 0)
    post({ type: 'env', what })
    Atomics.wait(state, 0, 0)
    if (Atomics.load(state, 0) !== 1) throw new Error(`the session's env gave no ${what}`)
    return decoder.decode(text.slice(0, Atomics.load(state, 1)))
  }
  return { now: () => new Date(Number(ask('now'))), uuid: () => ask('uuid') }
}

/** The long arrays of the last result, kept until the main thread has asked for their slices (or the next job starts). */
let kept = new Map<string, unknown[]>()

/** Posts the result; its long arrays stay here and go in slices as the main thread asks (see RESULT_SLICE). */
function postResult(result: unknown): void {
  kept = new Map()
  if (result === null || typeof result !== 'object' || Array.isArray(result)) return post({ type: 'done', result, sliced: {} })
  const rest: Record<string, unknown> = { ...(result as Record<string, unknown>) }
  const sliced: Record<string, number> = {}
  for (const [key, value] of Object.entries(rest)) {
    if (!Array.isArray(value) || value.length <= RESULT_SLICE) continue
    kept.set(key, value)
    sliced[key] = Math.ceil(value.length / RESULT_SLICE)
    delete rest[key]
  }
  post({ type: 'done', result: rest, sliced })
}

function failure(e: unknown): JobFailure {
  if (e instanceof AppError) return { code: e.code, params: e.params }
  if (e instanceof z.ZodError) return { code: 'validation', params: { fields: fieldErrors(e) } }
  const err = e instanceof Error ? e : new Error(String(e))
  return { internal: { name: err.name, message: err.message, stack: err.stack } }
}

async function main(request: JobRequest): Promise<void> {
  const cancelled = new Int32Array(request.cancel)
  let phase: JobPhase | null = null
  let last = 0
  const progress: Progress = (next, done, total) => {
    if (Atomics.load(cancelled, 0) === 1) throw new AppError('job.cancelled')
    const now = performance.now()
    if (next === phase && done < total && now - last < REPORT_EVERY_MS) return
    phase = next
    last = now
    post({ type: 'progress', phase: next, done, total })
  }
  const job = Object.prototype.hasOwnProperty.call(JOBS, request.method) ? JOBS[request.method]! : null
  if (!job) throw new AppError('api.unknown_method', { method: request.method })
  const env = request.env === 'session' && request.envSlot ? sessionEnv(request.envSlot) : systemEnv
  const ws = await Workspace.open(request.workspace, { deviceId: request.deviceId, env })
  try {
    if (request.backupBefore) {
      progress('backup', 0, 0)
      // As Session.backupBefore: when the backup cannot be taken, the operation does not run.
      try {
        backupBeforeBulk(ws, request.backupBefore)
      } catch (e) {
        console.error('[puente] the backup before a bulk operation failed', e)
        throw new AppError('backup.failed', { message: e instanceof Error ? e.message : String(e) })
      }
    }
    const result = await job(ws, request.input as never, progress)
    ws.close()
    postResult(result)
  } finally {
    ws.close()
  }
}

// Started as a PDF helper by a job worker (documents/pdfPool.ts: a bulk issue's PDFs on several cores),
// this thread only renders what its job worker hands it.
const pdfHelper = (workerData as { role?: string } | null)?.role === PDF_HELPER_ROLE
if (pdfHelper) servePdfHelper(port)
// A job worker's own PDF helpers are threads of this same entry (the packaged app has it as its own bundle).
else usePdfHelpers(new URL(import.meta.url))

// Started ahead of need (its modules loaded), a worker waits for a job; after one that ended on its own
// (not stopped) the main thread may give it the next, so its compiled code stays warm. Jobs come one at a
// time: the main thread only sends a job to an idle worker.
if (!pdfHelper) port.on('message', (m: JobRequest | SliceRequest) => {
  if ('type' in m && m.type === 'slice') {
    const slice = kept.get(m.key)?.slice(m.index * RESULT_SLICE, (m.index + 1) * RESULT_SLICE) ?? []
    post({ type: 'part', key: m.key, index: m.index, bytes: serialize(slice) })
    return
  }
  kept = new Map()
  main(m as JobRequest).catch((e: unknown) => post({ type: 'failed', error: failure(e) }))
})
