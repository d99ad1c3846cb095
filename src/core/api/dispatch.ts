import { z } from 'zod'
import { type ApiResponse, AppError, ERROR_CODES, type ErrorCode, type FieldErrors } from '../../shared/errors.ts'
import { logError } from '../app/log.ts'
import { fieldErrors } from '../common/zod.ts'
import { type Context, methods } from './map.ts'

const has = (name: string): name is keyof typeof methods => Object.prototype.hasOwnProperty.call(methods, name)
const isErrorCode = (s: string): s is ErrorCode => (ERROR_CODES as readonly string[]).includes(s)

/**
 * A schema problem that refuses the whole call rather than one field: its message is an error code (a file
 * above the size limit is `api.too_large`, as the browser host answers a body that large).
 */
function wholeCallIssue(error: z.ZodError): AppError | null {
  const issue = error.issues.find((i) => i.code === 'custom' && isErrorCode(i.message))
  return issue ? new AppError(issue.message as ErrorCode, (issue as { params?: Record<string, unknown> }).params ?? {}) : null
}

/**
 * Routes one call to the API map: unknown methods and invalid input are refused before anything runs;
 * a mutation runs in one transaction, so an error leaves the workspace as it was.
 */
export async function dispatch(ctx: Context, method: string, rawInput: unknown): Promise<ApiResponse<unknown>> {
  try {
    if (typeof method !== 'string' || !has(method)) throw new AppError('api.unknown_method', { method: String(method) })
    const def = methods[method]
    const parsed = def.input.safeParse(rawInput ?? undefined)
    if (!parsed.success) {
      if (typeof rawInput !== 'object' && rawInput !== undefined && rawInput !== null)
        throw new AppError('api.bad_request', { method })
      const whole = wholeCallIssue(parsed.error)
      if (whole) throw whole
      const fields = fieldErrors(parsed.error)
      // The workspace's rules on what was sent come in the same answer (one wave of errors).
      const check = 'check' in def ? (def.check as ((c: Context, raw: unknown) => FieldErrors) | undefined) : undefined
      if (check && ctx.session.workspace) {
        try {
          for (const [path, e] of Object.entries(check(ctx, rawInput))) fields[path] ??= e
        } catch (e) {
          console.error('[puente] check of refused input failed', e)
        }
      }
      throw new AppError('validation', { method, fields })
    }
    const input = parsed.data as never
    const run = def.run as (ctx: Context, input: never) => unknown
    let result: unknown
    // Safeguards marked in map.ts: a backup before a bulk operation (a job takes it in its worker); a
    // durable commit (synchronous=FULL).
    if (def.backupBefore && !def.job) await ctx.session.backupBefore(def.backupBefore)
    if (def.kind === 'mutation') {
      // A job writing in a worker holds the write lock: wait for it here, never on SQLite's busy timeout,
      // which would stop the main thread (app/jobs.ts).
      await ctx.session.jobs.writesDone()
      const ws = ctx.session.requireWorkspace()
      const db = ws.db
      // IMMEDIATE: the write lock is taken at the start, so a mutation that reads before it writes (a
      // number series, an order's current quantities) never finds another connection's commit in between.
      const commit = () => db.transaction(() => run(ctx, input)).immediate()
      result = def.durable ? ws.durably(commit) : commit()
      ctx.session.emit({ type: 'changed', topics: def.topics ?? [] })
    } else {
      result = await run(ctx, input)
    }
    // The backup taken before is announced only now: a refused operation announces nothing.
    if (def.backupBefore) ctx.session.emit({ type: 'changed', topics: ['backups'] })
    return { ok: true, result }
  } catch (e) {
    return { ok: false, error: toErrorPayload(e, { appDataDir: ctx.session.appData.dir, method: String(method), now: () => ctx.session.env.now() }) }
  }
}

/** Where an unexpected error is logged: the app data folder (its `logs/`), and what was running. */
export interface ErrorOrigin {
  appDataDir: string | null
  method: string
  /** The session's clock, read only when there is something to log. */
  now?: () => Date
}

/**
 * An error as the code and parameters that cross to the UI. Anything unexpected becomes `internal` with
 * only an error id: its message and stack (which may hold SQL or paths) go to the error log under that
 * id (see app/log.ts), never to the user.
 */
export function toErrorPayload(e: unknown, origin: ErrorOrigin = { appDataDir: null, method: 'app' }): { code: AppError['code']; params: Record<string, unknown> } {
  if (e instanceof AppError) return { code: e.code, params: e.params }
  if (e instanceof z.ZodError) return { code: 'validation', params: { fields: fieldErrors(e) } }
  return { code: 'internal', params: { id: logError(origin.appDataDir, origin.method, e, origin.now?.() ?? new Date()) } }
}
