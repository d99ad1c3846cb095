import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { dispatch } from '../../src/core/api/dispatch.ts'
import { bigRound } from './fixture.ts'
import { type Comparison, compare } from './lib.ts'

/**
 * consolidation.100k: consolidating a round of 100 000 order lines (2 000 buyers × 50 of 500 products
 * each) through the API as the consolidation view asks for it — per product the cases by rounding
 * policy, available units, cut and surplus; per supplier value, kg and m³; overridden lines — vs a raw
 * SQLite GROUP BY summing the same lines per product. (Per-line results come on demand per product,
 * `consolidation.lines`; the full per-line run serves change notices and stored allocations.)
 */
export async function benchConsolidation100k(): Promise<Comparison> {
  const a = await bigRound(500, 2000)
  const db = a.session.requireWorkspace().db
  db.transaction(() => {
    const order = db.prepare('INSERT INTO buyer_order (id, round_id, buyer_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?)')
    const line = db.prepare('INSERT INTO order_line (id, order_id, product_id, created_at) VALUES (?, ?, ?, ?)')
    const log = db.prepare(
      `INSERT INTO quantity_log (id, line_id, quantity_delta, tolerance_delta, at, device_id, source) VALUES (?, ?, ?, ?, ?, 'bench', 'entry')`
    )
    const t0 = Date.parse('2026-11-01T08:00:00Z')
    a.buyerIds.forEach((buyerId, b) => {
      const orderId = randomUUID()
      const at = new Date(t0 + b * 60_000).toISOString()
      order.run(orderId, a.roundId, buyerId, at, at)
      for (let k = 0; k < 50; k++) {
        const productId = a.productIds[(b * 7 + k * 10) % a.productIds.length]!
        const lineId = randomUUID()
        line.run(lineId, orderId, productId, at)
        log.run(randomUUID(), lineId, 1 + ((b + k) % 5), (b + k) % 3 === 0 ? 2 : 0, at)
      }
    })
  })()
  const lines = (db.prepare('SELECT count(*) AS n FROM order_line').get() as { n: number }).n
  assert.equal(lines, 100_000, 'the fixture holds 100 000 order lines')
  const raw = db.prepare(
    `SELECT l.product_id, count(*) AS lines, sum(l.quantity) AS q, sum(l.tolerance) AS t
     FROM order_line l JOIN buyer_order o ON o.id = l.order_id WHERE o.round_id = ? GROUP BY l.product_id`
  )
  try {
    return await compare({
      pairs: 30,
      warm: 2,
      ours: async () => {
        const r = await dispatch({ session: a.session }, 'consolidation.get', { roundId: a.roundId })
        if (!r.ok) throw new Error(JSON.stringify(r.error))
      },
      baseline: () => raw.all(a.roundId)
    })
  } finally {
    a.close()
  }
}
