import { randomUUID } from 'node:crypto'
import { deserialize } from 'node:v8'
import { Worker } from 'node:worker_threads'
import { AppError, type ErrorCode } from '../../shared/errors.ts'
import type { AppEvent, JobPhase } from '../../shared/events.ts'
import type { Env } from '../common/env.ts'
import type { BackupReason } from '../db/backups.ts'

/**
 * Long work off the main thread: a job (an import's preview or apply, later bulk printing) runs in a
 * worker thread (jobWorker.ts) with its own connection to the workspace file, opened as every connection
 * is (Workspace.open: WAL, so the app's reads go on while the worker writes) and writing through the same
 * writer, as the same device, so the change log records its writes as the app's own. The main thread
 * only passes messages: every other API call is answered while a job runs, and the window never hangs.
 *
 * - Progress: the worker reports `{ phase, done, total }` (at most every 100 ms and at each new phase);
 *   the session emits it as a `job` event with the job's id, so the UI hears it through the same event
 *   channel as every change (IPC or the host's event stream).
 * - Cancel: `cancel(id)` sets a flag the worker reads at every progress report; the report throws
 *   `job.cancelled`, the job's transaction rolls back and nothing is written. A worker that reaches no
 *   report within `STOP_AFTER_MS` is stopped; closing its connection rolls back what it had not committed.
 * - Writing jobs run one after another, and mutations wait for them (`writesDone`, see api/dispatch.ts):
 *   the main thread never waits for SQLite's write lock while a worker holds it.
 * - The clock and ids: with the system's env the worker reads the computer's clock and makes its own
 *   ids; with an env injected into the session (tests with a frozen clock) it asks the session for every
 *   reading, synchronously, so stamps and ids follow on from the session's as if it had written them.
 */

/** The worker's entry as source (Node runs it as is); the Electron build passes its bundled copy (main/paths.ts). */
export const JOB_WORKER_SOURCE = new URL('./jobWorker.ts', import.meta.url)

/** How long a cancelled job may take to reach its next progress report before its worker is stopped. */
export const STOP_AFTER_MS = 2000

/** What the worker is given (its one message). */
export interface JobRequest {
  method: string
  input: unknown
  workspace: string
  deviceId: string
  /** A verified backup to take (and rotate) before the job, for a bulk operation (api/map.ts marks them). */
  backupBefore: BackupReason | null
  /** 'system': the worker's own clock and ids; 'session': each reading asked of the session's env. */
  env: 'system' | 'session'
  /** One Int32: 1 once the job is cancelled. */
  cancel: SharedArrayBuffer
  /** For env 'session': where the session's answer is put (see ENV_SLOT). */
  envSlot: SharedArrayBuffer | null
}

/** The env answer slot: Int32 state (0 asked, 1 answered, 2 failed), Int32 byte length, then the text. */
export const ENV_SLOT = { bytes: 8 + 256, text: 8 } as const

/** An error as it crosses from the worker: an AppError's code and parameters, or what the error log needs. */
export type JobFailure =
  | { code: ErrorCode; params: Record<string, unknown> }
  | { internal: { name: string; message: string; stack: string | undefined } }

export type JobMessage =
  | { type: 'progress'; phase: JobPhase; done: number; total: number }
  | { type: 'env'; what: 'now' | 'uuid' }
  | { type: 'part'; key: string; index: number; bytes: Uint8Array }
  /** `sliced`: the result's long arrays left out, by key, with how many slices each has (see RESULT_SLICE). */
  | { type: 'done'; result: unknown; sliced: Record<string, number> }
  | { type: 'failed'; error: JobFailure }

/** After `done`, the main thread asks for the slices of the result's long arrays one at a time. */
export type SliceRequest = { type: 'slice'; key: string; index: number }

/**
 * A result's arrays longer than this (a preview's rows) cross in slices, each serialised on its own:
 * the main thread asks for one, unpacks it and asks for the next, so it never holds more than one slice
 * at a time (unpacking 100,000 preview rows at once would hold it for a quarter of a second).
 */
export const RESULT_SLICE = 1000

/** What the jobs need of the session. */
export interface JobHost {
  readonly env: Env
  /** Whether `env` is the system's (then the worker uses its own clock and ids). */
  readonly systemEnv: boolean
  emit(event: AppEvent): void
  /** The open workspace's file and this installation's device id; throws `workspace.none`. */
  target(): { path: string; deviceId: string }
}

export interface JobOptions {
  /** The id the caller chose (to follow its progress and cancel it); a new one when absent. */
  id?: string | undefined
  /** Whether the job writes (then it waits for earlier writing jobs, and mutations wait for it). */
  writes: boolean
  backupBefore?: BackupReason | null | undefined
}

interface Running {
  method: string
  cancel: Int32Array
  cancelled: boolean
  /** The worker has answered (its writes, if any, are committed): too late to cancel. */
  finished: boolean
  worker: Worker | null
  timer: ReturnType<typeof setTimeout> | null
}

export function reviveFailure(error: JobFailure): Error {
  if ('code' in error) return new AppError(error.code, error.params)
  const e = new Error(error.internal.message)
  e.name = error.internal.name
  if (error.internal.stack) e.stack = error.internal.stack
  return e
}

export class Jobs {
  private readonly host: JobHost
  private readonly entry: URL | string
  private readonly running = new Map<string, Running>()
  /** Settles once every writing job started so far has finished. */
  private writes: Promise<void> = Promise.resolve()
  /** A worker started ahead, waiting for the next job (each worker runs one job: a cancelled one can simply be stopped). */
  private spare: Worker | null = null
  private stopped = false

  constructor(host: JobHost, entry: URL | string = JOB_WORKER_SOURCE) {
    this.host = host
    this.entry = entry
  }

  /** Runs `method`'s job with `input` in a worker; resolves with its result or rejects with its error (`job.cancelled` when cancelled). */
  run<R>(method: string, input: unknown, options: JobOptions): Promise<R> {
    const id = options.id ?? randomUUID()
    if (this.running.has(id)) throw new AppError('api.bad_request', { method })
    const { path, deviceId } = this.host.target()
    const job: Running = { method, cancel: new Int32Array(new SharedArrayBuffer(4)), cancelled: false, finished: false, worker: null, timer: null }
    const request: JobRequest = {
      method,
      input,
      workspace: path,
      deviceId,
      backupBefore: options.backupBefore ?? null,
      env: this.host.systemEnv ? 'system' : 'session',
      cancel: job.cancel.buffer as SharedArrayBuffer,
      envSlot: this.host.systemEnv ? null : new SharedArrayBuffer(ENV_SLOT.bytes)
    }
    this.running.set(id, job)
    let done: Promise<R>
    if (options.writes) {
      // After the writing jobs before it; a job cancelled while it waited does not start.
      done = this.writes.then(() => (job.cancelled ? Promise.reject(new AppError('job.cancelled')) : this.start<R>(id, job, request)))
      this.writes = done.then(
        () => undefined,
        () => undefined
      )
    } else done = this.start<R>(id, job, request)
    return done.finally(() => {
      if (job.timer) clearTimeout(job.timer)
      this.running.delete(id)
    })
  }

  /** Asks the job `id` to stop; false when no such job runs (it has answered, or never was). */
  cancel(id: string): boolean {
    const job = this.running.get(id)
    if (!job || job.finished) return false
    if (job.cancelled) return true
    job.cancelled = true
    Atomics.store(job.cancel, 0, 1)
    job.timer = setTimeout(() => void job.worker?.terminate(), STOP_AFTER_MS)
    return true
  }

  /** Settles once the writing jobs started so far have finished (a mutation waits for this before it writes). */
  writesDone(): Promise<void> {
    return this.writes
  }

  /** Stops every job at once (the session closes): their uncommitted writes are rolled back. */
  stopAll(): void {
    this.stopped = true
    void this.spare?.terminate()
    this.spare = null
    for (const job of this.running.values()) {
      job.cancelled = true
      Atomics.store(job.cancel, 0, 1)
      void job.worker?.terminate()
    }
  }

  private start<R>(id: string, job: Running, request: JobRequest): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const worker = this.takeWorker()
      job.worker = worker
      let settled = false
      const settle = (f: () => void, reusable = false) => {
        if (settled) return
        settled = true
        f()
        // A worker whose job ended on its own waits for the next one with its code compiled and warm (an
        // import runs twice as fast in it); one that was cancelled or failed to run is stopped, and the next
        // job finds a fresh worker with its modules loaded (made now, when this one no longer needs the CPU).
        worker.removeAllListeners()
        if (reusable && !job.cancelled && !this.stopped && !this.spare) {
          worker.unref()
          this.keepAsSpare(worker)
        } else {
          void worker.terminate()
          if (!this.stopped) this.spare ??= this.spawn()
        }
      }
      const slot = request.envSlot ? { state: new Int32Array(request.envSlot, 0, 2), text: new Uint8Array(request.envSlot, ENV_SLOT.text) } : null
      const waiting = new Map<string, (bytes: Uint8Array) => void>()
      worker.on('message', (m: JobMessage) => {
        if (m.type === 'progress') {
          if (!job.cancelled) this.host.emit({ type: 'job', id, method: job.method, phase: m.phase, done: m.done, total: m.total })
        } else if (m.type === 'env' && slot) answerEnv(this.host.env, m.what, slot)
        else if (m.type === 'part') waiting.get(`${m.key}#${m.index}`)?.(m.bytes)
        else if (m.type === 'done') {
          job.finished = true
          if (job.timer) clearTimeout(job.timer)
          if (Object.keys(m.sliced).length === 0) settle(() => resolve(m.result as R), true)
          else
            assemble(worker, m.result, m.sliced, waiting).then(
              (whole) => settle(() => resolve(whole as R), true),
              (e: unknown) => settle(() => reject(e))
            )
        }
        else if (m.type === 'failed') settle(() => reject(reviveFailure(m.error)), !('internal' in m.error))
      })
      const stopped = (e: Error) => settle(() => reject(job.cancelled && !job.finished ? new AppError('job.cancelled') : e))
      worker.on('error', stopped)
      worker.on('exit', (code) => stopped(new Error(`the job worker of ${job.method} stopped (exit code ${code})`)))
      worker.postMessage(request)
    })
  }

  /** A worker for the next job: the spare one (new, or idle after its last job), else a new one. */
  private takeWorker(): Worker {
    const worker = this.spare ?? this.spawn()
    this.spare = null
    worker.removeAllListeners()
    worker.ref()
    return worker
  }

  /** A worker that loads its modules and waits (without keeping the process alive) for a job. */
  private spawn(): Worker {
    const worker = new Worker(this.entry)
    worker.unref()
    this.watchIdle(worker)
    return worker
  }

  /** Keeps a worker whose job has ended as the one the next job takes. */
  private keepAsSpare(worker: Worker): void {
    this.spare = worker
    this.watchIdle(worker)
  }

  /** An idle worker that stops is no longer the spare. */
  private watchIdle(worker: Worker): void {
    const gone = () => {
      if (this.spare === worker) this.spare = null
    }
    worker.on('error', gone)
    worker.on('exit', gone)
  }
}

/** The result with its long arrays put back, asking the worker for one slice at a time. */
async function assemble(worker: Worker, result: unknown, sliced: Record<string, number>, waiting: Map<string, (bytes: Uint8Array) => void>): Promise<unknown> {
  const whole = { ...(result as Record<string, unknown>) }
  for (const [key, count] of Object.entries(sliced)) {
    const items: unknown[] = []
    for (let index = 0; index < count; index++) {
      const bytes = await new Promise<Uint8Array>((answer) => {
        waiting.set(`${key}#${index}`, answer)
        worker.postMessage({ type: 'slice', key, index } satisfies SliceRequest)
      })
      waiting.delete(`${key}#${index}`)
      for (const item of deserialize(bytes) as unknown[]) items.push(item)
    }
    whole[key] = items
  }
  return whole
}

const encoder = new TextEncoder()

/** Puts the session env's reading into the worker's slot and wakes the worker. */
function answerEnv(env: Env, what: 'now' | 'uuid', slot: { state: Int32Array; text: Uint8Array }): void {
  let state = 1
  try {
    const text = encoder.encode(what === 'now' ? String(env.now().getTime()) : env.uuid())
    if (text.length > slot.text.length) throw new Error('env reading too long')
    slot.text.set(text)
    Atomics.store(slot.state, 1, text.length)
  } catch {
    state = 2
  }
  Atomics.store(slot.state, 0, state)
  Atomics.notify(slot.state, 0)
}
