import { z } from 'zod'
import type { FieldErrors } from '../../shared/errors.ts'
import type { Topic } from '../../shared/events.ts'
import type { Session } from '../app/session.ts'
import type { BackupReason } from '../db/backups.ts'

/**
 * How API methods are declared. A `query` only reads; a `mutation` writes to the workspace and runs in
 * one transaction (it must be synchronous); an `action` is asynchronous work (reading a file, a backup)
 * that opens its own single transaction for any writes and announces the change itself.
 */
export interface Context {
  session: Session
  /** How this transport lets the user pick a file; absent where it cannot (the browser host). */
  pickFile?: (purpose: 'open' | 'create') => Promise<string | null>
}

type Kind = 'query' | 'mutation' | 'action'
export interface MethodDef<S extends z.ZodType, R, K extends Kind> {
  kind: K
  input: S
  run: (ctx: Context, input: z.output<S>) => R
  /** For mutations: the topics whose views must refresh afterwards. */
  topics?: Topic[]
  /**
   * For mutations whose rules also need the workspace (a code already taken): when the input fails its
   * schema, these problems of what was sent are reported with the schema's, so a form hears of all at once.
   */
  check?: (ctx: Context, rawInput: unknown) => FieldErrors
  /** A bulk operation: dispatch takes a verified backup before it runs (set in map.ts with `safeguard`). */
  backupBefore?: BackupReason
  /** For mutations that issue numbers or record payments: committed with synchronous=FULL (Workspace.durably; set in map.ts). */
  durable?: boolean
  /** Runs as a job in a worker thread (see `job`); it takes its `backupBefore` there, off the main thread. */
  job?: boolean
}

export const none = z.object({}).strict().optional()

export function query<S extends z.ZodType, R>(input: S, run: (ctx: Context, input: z.output<S>) => R) {
  return { kind: 'query', input, run } as MethodDef<S, R, 'query'>
}
export function mutation<S extends z.ZodType, R>(
  topics: Topic[],
  input: S,
  run: (ctx: Context, input: z.output<S>) => R,
  check?: (ctx: Context, rawInput: unknown) => FieldErrors
) {
  return { kind: 'mutation', input, run, topics, ...(check ? { check } : {}) } as MethodDef<S, R, 'mutation'>
}
/**
 * Marks, in one place (map.ts), the methods that are bulk operations (a backup before each) and those
 * whose commits must survive a power loss (numbers, payments).
 */
export function safeguard<M extends Record<string, { kind: Kind; backupBefore?: BackupReason; durable?: boolean }>>(
  methods: M,
  marks: { backupBefore: Partial<Record<keyof M, BackupReason>>; durable: (keyof M)[] }
): M {
  for (const [name, reason] of Object.entries(marks.backupBefore)) methods[name]!.backupBefore = reason as BackupReason
  for (const name of marks.durable) {
    if (methods[name]!.kind !== 'mutation') throw new Error(`only a mutation can be durable: ${String(name)}`)
    methods[name]!.durable = true
  }
  return methods
}

export function action<S extends z.ZodType, R>(input: S, run: (ctx: Context, input: z.output<S>) => Promise<R>) {
  return { kind: 'action', input, run } as MethodDef<S, Promise<R>, 'action'>
}

/** The id a caller may give a job, to follow its progress events and to cancel it (`jobs.cancel`). */
export const jobId = z.uuid().optional()

type JobFn = (ws: never, input: never, progress: never) => unknown

/**
 * A method whose work runs as a job in a worker thread (app/jobs.ts): `jobs[name]` is that work (the
 * feature's jobs.ts; the worker finds it by the same name), `payload` what it gets of the checked input
 * (the input's `job` id taken out) and of the session. A job that `writes` is an action: it runs after
 * any other writing job, takes the backup its method is marked for (map.ts) in the worker first, and
 * announces `topics` once it succeeded; one that only reads is a query.
 */
export function job<J extends Record<string, JobFn>, N extends keyof J & string, Shape extends z.ZodRawShape>(
  jobs: J,
  name: N,
  input: z.ZodObject<Shape>,
  options: { writes: boolean; topics?: Topic[] },
  payload: (ctx: Context, input: z.output<z.ZodObject<Shape>>) => Parameters<J[N]>[1]
) {
  const schema = input.extend({ job: jobId })
  type R = Awaited<ReturnType<J[N]>>
  const def: MethodDef<typeof schema, Promise<R>, 'query' | 'action'> = {
    kind: options.writes ? 'action' : 'query',
    input: schema,
    job: true,
    run: async (ctx, checked): Promise<R> => {
      const { job: id, ...rest } = checked as { job?: string } & z.output<z.ZodObject<Shape>>
      const result = await ctx.session.jobs.run<R>(name, payload(ctx, rest as z.output<z.ZodObject<Shape>>), {
        id,
        writes: options.writes,
        backupBefore: def.backupBefore
      })
      if (options.topics?.length) ctx.session.emit({ type: 'changed', topics: options.topics })
      return result
    }
  }
  return def
}

