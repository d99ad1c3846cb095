import { z } from 'zod'
import { type ApiResponse, AppError, type FieldErrors } from '../../shared/errors.ts'
import { fieldErrors } from '../common/zod.ts'
import { type Context, methods } from './map.ts'

const has = (name: string): name is keyof typeof methods => Object.prototype.hasOwnProperty.call(methods, name)

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
    // Safeguards marked in map.ts: a backup before a bulk operation; a durable commit (synchronous=FULL).
    if (def.backupBefore) ctx.session.backupBefore(def.backupBefore)
    if (def.kind === 'mutation') {
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
    return { ok: true, result }
  } catch (e) {
    return { ok: false, error: toErrorPayload(e) }
  }
}

export function toErrorPayload(e: unknown): { code: AppError['code']; params: Record<string, unknown> } {
  if (e instanceof AppError) return { code: e.code, params: e.params }
  if (e instanceof z.ZodError) return { code: 'validation', params: { fields: fieldErrors(e) } }
  console.error('[puente] unexpected error', e)
  return { code: 'internal', params: { message: e instanceof Error ? e.message : String(e) } }
}
