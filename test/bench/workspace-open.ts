import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { Workspace } from '../../src/core/db/workspace.ts'
import { type Comparison, compare } from './lib.ts'

const DEVICE = '00000000-0000-4000-8000-000000000000'

/** workspace.open: opening an existing workspace (version probe, pragmas, migration check) vs a raw open. */
export async function benchWorkspaceOpen(): Promise<Comparison> {
  const dir = mkdtempSync(join(tmpdir(), 'puente-bench-'))
  try {
    const path = join(dir, 'bench.puente')
    ;(await Workspace.open(path, { create: true, deviceId: DEVICE })).close()
    const raw = join(dir, 'raw.sqlite')
    const seed = new Database(raw)
    seed.pragma('journal_mode = WAL')
    seed.exec('CREATE TABLE t (id TEXT PRIMARY KEY)')
    seed.close()
    // Under a millisecond each: one sample is 20 opens.
    return await compare({
      pairs: 30,
      warm: 3,
      reps: 20,
      ours: async () => {
        const ws = await Workspace.open(path, { deviceId: DEVICE })
        assert.equal(ws.migrationBackup, null, 'an up-to-date workspace opens without migrating')
        ws.close()
      },
      baseline: () => {
        const db = new Database(raw)
        db.prepare('SELECT count(*) FROM t').get()
        db.close()
      }
    })
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * workspace.create: a new workspace with every migration applied vs a raw new file with one table.
 *
 * The two sides cost different things: the baseline is almost all fsync, the workspace mostly CPU
 * (building the schema) and the pages written back by the checkpoint. A contended disk lowers the ratio,
 * a contended CPU raises it; alternating the runs cannot remove that. Building the schema migration by
 * migration was the cost that grew (every ALTER TABLE … ADD COLUMN makes SQLite reparse the whole
 * schema: 10 of them in migration 4 took 2.5 of 4 ms): a new file is now made from the schema snapshot
 * (src/core/db/schema.ts) in one transaction and checkpointed once, which took the figure from 5.8× to
 * about 3× after the change log's migration.
 */
export async function benchWorkspaceCreate(): Promise<Comparison> {
  const dir = mkdtempSync(join(tmpdir(), 'puente-bench-'))
  let i = 0
  try {
    // Every run writes a new file, named (untimed) by setup and removed (untimed) by teardown.
    return await compare({
      pairs: 30,
      warm: 3,
      reps: 4,
      setup: (side) => join(dir, `${side}-${i++}.sqlite`),
      teardown: (path) => rmSync(path, { force: true }),
      ours: async (path) => {
        const ws = await Workspace.open(path, { create: true, deviceId: DEVICE })
        ws.close()
      },
      baseline: (path) => {
        const db = new Database(path)
        db.pragma('journal_mode = WAL')
        db.exec('CREATE TABLE t (id TEXT PRIMARY KEY)')
        db.close()
      }
    })
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
