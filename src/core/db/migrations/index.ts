import type Database from 'better-sqlite3'
import type { Env } from '../../common/env.ts'
import { logExistingRows } from '../changelog.ts'
import foundation from './001_foundation.ts'
import catalogue from './002_catalogue.ts'
import rounds from './003_rounds.ts'
import consolidation from './004_consolidation.ts'
import changelog from './005_changelog.ts'
import roundWork from './006_round_work.ts'
import steps from './007_steps.ts'
import shipments from './008_shipments.ts'
import invoices from './009_invoices.ts'
import closing from './010_closing.ts'

export interface Migration {
  version: number
  name: string
  sql: string
  /**
   * Work after the SQL, in the same transaction, for what SQL alone cannot do. Only the database
   * layer's own modules: migrations never import the domain.
   */
  after?: (db: Database.Database, env: Env, deviceId: string) => void
}

/** Every schema change, in order. Bundled into the build: nothing is read from disk at run time. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'foundation', sql: foundation },
  { version: 2, name: 'catalogue', sql: catalogue },
  { version: 3, name: 'rounds', sql: rounds },
  { version: 4, name: 'consolidation', sql: consolidation },
  // A workspace from before keeps a complete log: its rows are logged as they are.
  { version: 5, name: 'changelog', sql: changelog, after: logExistingRows },
  { version: 6, name: 'round work', sql: roundWork },
  { version: 7, name: 'steps', sql: steps },
  { version: 8, name: 'shipments', sql: shipments },
  { version: 9, name: 'invoices', sql: invoices },
  { version: 10, name: 'closing', sql: closing }
]

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version
