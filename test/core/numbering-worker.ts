/**
 * A second thread taking numbers from the same workspace file as another one, for numbering.test.ts:
 * each number in its own IMMEDIATE transaction (as the API's mutations take them), some of them rolled
 * back as if the document failed. Reports the numbers it committed.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { takeNumber } from '../../src/core/db/numbering.ts'
import { Workspace } from '../../src/core/db/workspace.ts'

const { path, deviceId, count, seed } = workerData as { path: string; deviceId: string; count: number; seed: number }
const ws = await Workspace.open(path, { deviceId })
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
