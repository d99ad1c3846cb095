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

