import type Database from 'better-sqlite3'
import type { Env } from '../../common/env.ts'
import { seedReference } from '../../reference/reference.ts'
import foundation from './001_foundation.ts'
import catalogue from './002_catalogue.ts'
import rounds from './003_rounds.ts'
import consolidation from './004_consolidation.ts'

export interface Migration {
  version: number
  name: string
  sql: string
  /** Data the new tables start with, written in the same transaction. */
  seed?: (db: Database.Database, env: Env) => void
}

/** Every schema change, in order. Bundled into the build: nothing is read from disk at run time. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'foundation', sql: foundation },
  { version: 2, name: 'catalogue', sql: catalogue, seed: seedReference },
  { version: 3, name: 'rounds', sql: rounds },
  { version: 4, name: 'consolidation', sql: consolidation }
]

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version
