import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Workspace } from '../../src/core/db/workspace.ts'
import { type Comparison, compare } from './lib.ts'

const DEVICE = '00000000-0000-4000-8000-000000000000'

/**
 * workspace.durable_commit: one small commit through the writer (one row, its change-log entry and
 * merkle leaf) with synchronous=FULL, as the commits that issue numbers or record payments run
 * (Workspace.durably), vs the same commit with the workspace's NORMAL. In WAL mode NORMAL does not wait
 * for the disk at a commit; FULL flushes the log at every commit, so the figure is mostly the disk's
 * flush time. It decides the design: FULL only for the commits marked durable, not for every commit.
 */
export async function benchDurableCommit(): Promise<Comparison> {
  const dir = mkdtempSync(join(tmpdir(), 'puente-bench-'))
  const ws = await Workspace.open(join(dir, 'durable.puente'), { create: true, deviceId: DEVICE })
  let day = 0
  const commit = () =>
    ws.db
      .transaction(() => {
        const validOn = new Date(Date.UTC(2000, 0, 1) + day++ * 86_400_000).toISOString().slice(0, 10)
        ws.write.insert('exchange_rate', { id: ws.env.uuid(), base: 'USD', quote: 'EUR', rate_e8: 93_000_000, valid_on: validOn })
      })
      .immediate()
  const synchronous = () => ws.db.pragma('synchronous', { simple: true })
  try {
    // What is compared: FULL (2) inside a durable commit, the workspace's NORMAL (1) otherwise.
    assert.equal(ws.durably(synchronous), 2)
    assert.equal(synchronous(), 1)
    const rates = () => ws.db.prepare('SELECT count(*) FROM exchange_rate').pluck().get() as number
    const before = rates()
    const result = await compare({
      pairs: 30,
      warm: 3,
      reps: 10,
      ours: () => ws.durably(commit),
      baseline: commit
    })
    // Every timed commit wrote its row.
    assert.ok(rates() > before, 'the commits wrote their rows')
    return result
  } finally {
    ws.close()
    rmSync(dir, { recursive: true, force: true })
  }
}
