import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import type Database from 'better-sqlite3'

/**
 * What a refused call must leave exactly as it was: the change log's length and a digest of every row of
 * every table (the change log included), read in the order the tables store them.
 */
export interface DbState {
  changeLog: number
  digest: string
}

export function dbState(db: Database.Database): DbState {
  const hash = createHash('sha256')
  const tables = db
    .prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
    .pluck()
    .all() as string[]
  // A digest without the change log would miss a refused call that logged something.
  assert.ok(tables.includes('change_log'), 'a workspace has a change log')
  for (const table of tables) {
    hash.update(`\u0000${table}\u0000`)
    for (const row of db.prepare(`SELECT * FROM "${table}"`).raw().iterate() as IterableIterator<unknown[]>) {
      for (const v of row) hash.update(v instanceof Uint8Array ? Buffer.from(v).toString('hex') : `${typeof v}:${String(v)}`).update('\u0001')
      hash.update('\u0002')
    }
  }
  const changeLog = db.prepare('SELECT count(*) FROM change_log').pluck().get() as number
  return { changeLog, digest: hash.digest('hex') }
}
