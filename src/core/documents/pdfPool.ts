import { availableParallelism } from 'node:os'
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads'
import { AppError, type ErrorCode } from '../../shared/errors.ts'
import type { InvoiceDocument } from '../invoices/model.ts'
import { invoicePdfSync } from './invoicePdf.ts'

/**
 * Invoice PDFs rendered on several cores at once, synchronously: bulk issuing numbers a few invoices in
 * one transaction and needs their PDFs before it commits (the PDF is stored, and hashed, with the number),
 * and a SQLite transaction cannot wait for a promise. So the thread that issues (the job's worker, the
 * only writer) hands the documents of a batch to helper threads, renders its own share meanwhile, and
 * then waits (Atomics.wait) for the helpers' PDFs, which it reads from their ports without returning to
 * its event loop (receiveMessageOnPort). Rendering is pure (a document in, bytes out): numbering, the
 * hash chain and every write stay in the issuing thread, in order.
 *
 * Each thread takes the next document of the batch from a shared counter, so a long invoice on one core
 * does not leave the other idle; a helper that is still starting (or busy) simply takes nothing and the
 * issuing thread renders the rest itself. A helper's PDF is the same as the issuing thread's (the same
 * code and fonts; test/core/pdf-pool.test.ts compares them byte for byte).
 *
 * The helpers are worker threads of the given entry started with `workerData.role === PDF_HELPER_ROLE`
 * (the job worker's own entry, app/jobWorker.ts, which then serves `servePdfHelper`), so that the
 * packaged app needs no other bundle. They are started once, kept (unref'd: they never keep the process
 * alive) and reused by every later batch; they end with the thread that started them.
 */

export const PDF_HELPER_ROLE = 'pdf-helper'

/** Renderers for a batch, the issuing thread included: the machine's cores, at most four. */
export const PDF_RENDERERS = Math.max(1, Math.min(availableParallelism(), 4))

/** One invoice PDF to render (what `invoicePdfSync` takes). */
export interface PdfTask {
  document: InvoiceDocument
  xml: string | null
  draft: boolean
  createdAt: string
}

/**
 * A batch as a helper gets it: the tasks and the shared counters [next task, tasks done]; the port for
 * its PDFs comes with its first batch only.
 */
interface BatchMessage {
  batch: number
  fontsDir: string
  tasks: PdfTask[]
  counters: SharedArrayBuffer
  results: MessagePort | null
}

/** A helper's error as it crosses: an AppError's code and parameters (a translated message), or just the message. */
interface RenderFailure {
  message: string
  code?: ErrorCode
  params?: Record<string, unknown>
}

type ResultMessage = { batch: number; index: number; pdf: Uint8Array } | { batch: number; index: number; error: RenderFailure }

function revive(f: RenderFailure): Error {
  return f.code ? new AppError(f.code, f.params ?? {}) : new Error(f.message)
}

/** How long the issuing thread waits for a helper's PDF before it renders the document itself (a helper that died). */
const HELPER_TIMEOUT_MS = 20_000

function render(fontsDir: string, t: PdfTask): Buffer {
  return invoicePdfSync(t.document, { fontsDir, xml: t.xml, draft: t.draft, createdAt: t.createdAt })
}

interface Helper {
  worker: Worker
  /** The issuing thread's end of the helper's result channel. */
  results: MessagePort
  /** The helper's end, sent with its first batch. */
  remote: MessagePort | null
}

export class PdfPool {
  private readonly helpers: Helper[] = []
  private readonly started: Promise<void>[] = []
  private batch = 0
  /** PDFs the helpers rendered so far (the rest were rendered by the calling thread). */
  helped = 0

  /** Starts `helpers` threads of `entry` (they load their modules while the caller goes on). */
  constructor(entry: URL | string, helpers = PDF_RENDERERS - 1) {
    for (let i = 0; i < helpers; i++) {
      const worker = new Worker(entry, { workerData: { role: PDF_HELPER_ROLE } })
      worker.unref()
      // A helper that fails is left out of later batches (its tasks are rendered here).
      worker.on('error', (e) => {
        console.error('[puente] a PDF helper thread failed', e)
        this.drop(worker)
      })
      worker.on('exit', () => this.drop(worker))
      this.started.push(new Promise((resolve) => worker.once('message', () => resolve())))
      const { port1, port2 } = new MessageChannel()
      port1.unref()
      this.helpers.push({ worker, results: port1, remote: port2 })
    }
  }

  /** Settles once every helper has loaded its modules and waits for batches (a batch does not wait for this). */
  async ready(): Promise<void> {
    await Promise.all(this.started)
  }

  /** How many threads render a batch (this one included). */
  get renderers(): number {
    return this.helpers.length + 1
  }

  /** The PDFs of `tasks`, in their order; throws what rendering one of them threw. */
  render(fontsDir: string, tasks: PdfTask[]): Buffer[] {
    const out: (Buffer | undefined)[] = new Array(tasks.length)
    if (tasks.length === 0) return []
    const helpers = tasks.length > 1 ? this.helpers : []
    if (helpers.length === 0) return tasks.map((t) => render(fontsDir, t))
    const batch = ++this.batch
    const counters = new SharedArrayBuffer(8)
    const shared = new Int32Array(counters)
    for (const h of helpers) {
      const transfer = h.remote ? [h.remote] : []
      // The result port goes along with the first batch only; the helper answers every later one on it.
      const message: BatchMessage = { batch, fontsDir, tasks, counters, results: h.remote }
      h.worker.postMessage(message, transfer)
      h.remote = null
    }
    let failure: unknown = null
    for (let i = Atomics.add(shared, 0, 1); i < tasks.length; i = Atomics.add(shared, 0, 1)) {
      try {
        out[i] = render(fontsDir, tasks[i]!)
      } catch (e) {
        failure ??= e
      }
      Atomics.add(shared, 1, 1)
    }
    // Wait for the tasks the helpers took, then read their PDFs from their ports.
    const deadline = performance.now() + HELPER_TIMEOUT_MS
    for (let done = Atomics.load(shared, 1); done < tasks.length; done = Atomics.load(shared, 1)) {
      const left = deadline - performance.now()
      if (left <= 0) break
      Atomics.wait(shared, 1, done, Math.min(left, 100))
    }
    for (const h of helpers) {
      for (let m = receiveMessageOnPort(h.results); m; m = receiveMessageOnPort(h.results)) {
        const r = m.message as ResultMessage
        if (r.batch !== batch) continue
        if ('error' in r) failure ??= revive(r.error)
        else {
          out[r.index] = Buffer.from(r.pdf.buffer, r.pdf.byteOffset, r.pdf.byteLength)
          this.helped++
        }
      }
    }
    if (failure !== null) throw failure
    // A task a helper took and never finished (it died) is rendered here.
    return out.map((pdf, i) => pdf ?? render(fontsDir, tasks[i]!))
  }

  /** Stops the helpers. */
  close(): void {
    for (const h of this.helpers.splice(0)) {
      h.results.close()
      void h.worker.terminate()
    }
  }

  private drop(worker: Worker): void {
    const i = this.helpers.findIndex((h) => h.worker === worker)
    if (i >= 0) this.helpers.splice(i, 1)[0]!.results.close()
  }
}

/**
 * A helper thread's loop (called by the worker entry when started with PDF_HELPER_ROLE): takes tasks of
 * each batch it gets from the shared counter until none is left, and posts each PDF (or the error) on
 * the batch's result port.
 */
export function servePdfHelper(parent: MessagePort): void {
  let results: MessagePort | null = null
  parent.postMessage('ready')
  parent.on('message', (m: unknown) => {
    const b = m as BatchMessage
    if (b.results) results = b.results
    if (!results) return
    const shared = new Int32Array(b.counters)
    for (let i = Atomics.add(shared, 0, 1); i < b.tasks.length; i = Atomics.add(shared, 0, 1)) {
      let message: ResultMessage
      const transfer: ArrayBuffer[] = []
      try {
        const pdf = render(b.fontsDir, b.tasks[i]!)
        // Its own ArrayBuffer, handed over without a copy.
        const bytes = new Uint8Array(pdf.length)
        bytes.set(pdf)
        message = { batch: b.batch, index: i, pdf: bytes }
        transfer.push(bytes.buffer)
      } catch (e) {
        const error: RenderFailure = { message: e instanceof Error ? e.message : String(e) }
        if (e instanceof AppError) Object.assign(error, { code: e.code, params: e.params })
        message = { batch: b.batch, index: i, error }
      }
      results.postMessage(message, transfer)
      Atomics.add(shared, 1, 1)
      Atomics.notify(shared, 1)
    }
  })
}

let helperEntry: URL | string | null = null
let shared: PdfPool | null = null

/**
 * Where this thread's PDF helpers are started from: the job worker names its own entry when it starts
 * (a bulk issue runs there). Until it is named, `pdfPool()` gives none and everything is rendered in
 * the thread that issues.
 */
export function usePdfHelpers(entry: URL | string): void {
  if (helperEntry !== null && String(helperEntry) === String(entry)) return
  shared?.close()
  shared = null
  helperEntry = entry
}

/**
 * The thread's pool of PDF helpers, started on first use and kept for later batches; null without a
 * helper entry or on a machine with a single core.
 */
export function pdfPool(): PdfPool | null {
  if (helperEntry === null || PDF_RENDERERS < 2) return null
  return (shared ??= new PdfPool(helperEntry))
}
