import foundation from './001_foundation.ts'

export interface Migration {
  version: number
  name: string
  sql: string
}

/** Every schema change, in order. Bundled into the build: nothing is read from disk at run time. */
export const MIGRATIONS: readonly Migration[] = [{ version: 1, name: 'foundation', sql: foundation }]

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version
