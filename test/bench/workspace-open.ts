import assert from 'node:assert/strict'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { Workspace } from '../../src/core/db/workspace.ts'
import { type Figure, ratioFigure, time } from './lib.ts'

/** workspace.open: opening an existing workspace (version probe, pragmas, migration check) vs a raw open. */
export async function benchWorkspaceOpen(): Promise<Figure> {
  const dir = mkdtempSync(join(tmpdir(), 'puente-bench-'))
  const path = join(dir, 'bench.puente')
  ;(await Workspace.open(path, { create: true, deviceId: '00000000-0000-4000-8000-000000000000' })).close()
  const raw = join(dir, 'raw.sqlite')
  const seed = new Database(raw)
  seed.pragma('journal_mode = WAL')
  seed.exec('CREATE TABLE t (id TEXT PRIMARY KEY)')
  seed.close()

  const n = 300
  const ours = await time(async () => {
    const ws = await Workspace.open(path, { deviceId: '00000000-0000-4000-8000-000000000000' })
    assert.equal(ws.migrationBackup, null, 'an up-to-date workspace opens without migrating')
    ws.close()
  }, n, 20)
  const baseline = await time(() => {
    const db = new Database(raw)
    db.prepare('SELECT count(*) FROM t').get()
    db.close()
  }, n, 20)
  return ratioFigure('workspace.open', ours, baseline, 'ms', 5)
}

/** workspace.create: a new workspace with every migration applied vs a raw new file with one table. */
export async function benchWorkspaceCreate(): Promise<Figure> {
  const dir = mkdtempSync(join(tmpdir(), 'puente-bench-'))
  let i = 0
  const n = 60
  const ours = await time(async () => {
    const ws = await Workspace.open(join(dir, `new-${i++}.puente`), { create: true, deviceId: '00000000-0000-4000-8000-000000000000' })
    ws.close()
  }, n, 5)
  const baseline = await time(() => {
    const db = new Database(join(dir, `raw-${i++}.sqlite`))
    db.pragma('journal_mode = WAL')
    db.exec('CREATE TABLE t (id TEXT PRIMARY KEY)')
    db.close()
  }, n, 5)
  return ratioFigure('workspace.create', ours, baseline, 'ms', 5)
}
