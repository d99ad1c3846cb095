import { randomUUID } from 'node:crypto'
import pkg from '../../package.json' with { type: 'json' }

export const APP_VERSION: string = pkg.version

/** What the core needs from the outside world, injectable so tests are deterministic. */
export interface Env {
  now(): Date
  uuid(): string
}

export const systemEnv: Env = {
  now: () => new Date(),
  uuid: () => randomUUID()
}

/** A stamp as stored in the database: ISO 8601 UTC with milliseconds. */
export function stamp(env: Env): string {
  return env.now().toISOString()
}
