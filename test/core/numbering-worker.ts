/**
 * A second thread taking numbers from the same workspace file as another one, for numbering.test.ts:
 * each number in its own IMMEDIATE transaction (as the API's mutations take them), some of them rolled
 * back as if the document failed. Checks that each number has the series' form and comes after the
 * thread's previous one, and reports the numbers it committed (the test checks them all together).
 */
import assert from 'node:assert/strict'
import { parentPort, workerData } from 'node:worker_threads'
import { takeNumber } from '../../src/core/db/numbering.ts'
import { Workspace } from '../../src/core/db/workspace.ts'

const { path, deviceId, count, seed, gate } = workerData as { path: string; deviceId: string; count: number; seed: number; gate: SharedArrayBuffer }
const ws = await Workspace.open(path, { deviceId })
// Both threads start taking numbers at the same moment: ready, then wait for the gate to open.
parentPort!.postMessage('ready')
Atomics.wait(new Int32Array(gate), 0, 0)
let state = seed
const random = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
const committed: string[] = []
let rolledBack = 0
for (let i = 0; i < count; i++) {
  const rollBack = random() < 0.2
  try {
    ws.db
      .transaction(() => {
        const n = takeNumber(ws, 'purchase_order', ws.env.uuid(), '2026-12-06')
        assert.match(n, /^PO-2026-\d{4,}$/)
        // Within one thread the numbers only ever grow (the other thread's come in between).
        const last = committed[committed.length - 1]
        if (last !== undefined) assert.ok(Number(n.slice(8)) > Number(last.slice(8)), `${n} after ${last}`)
        if (rollBack) throw new Error('the document was not issued')
        committed.push(n)
      })
      .immediate()
  } catch (e) {
    if (!rollBack) throw e
    rolledBack++
  }
}
ws.close()
parentPort!.postMessage({ committed, rolledBack })
