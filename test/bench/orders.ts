import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { dispatch } from '../../src/core/api/dispatch.ts'
import { bigRound } from './fixture.ts'
import { type Comparison, compare } from './lib.ts'

/**
 * orders.write_10k: 10 000 order lines (20 buyers × 500 products) through the API, validated and logged,
 * vs raw prepared inserts of the same rows (order, line, log entry) in one transaction. Each run writes
 * into a fresh workspace of its own, made (untimed) by setup.
 */
export async function benchWrite10k(): Promise<Comparison> {
  return compare({
    pairs: 22,
    warm: 1,
    setup: () => bigRound(500, 20),
    teardown: (a) => a.close(),
    ours: async (a) => {
      for (const buyerId of a.buyerIds) {
        const res = await dispatch({ session: a.session }, 'orders.setLines', {
          roundId: a.roundId,
          buyerId,
          lines: a.productIds.map((productId, i) => ({ productId, quantity: 1 + (i % 7), tolerance: i % 3 }))
        })
        assert.ok(res.ok, JSON.stringify(res))
      }
    },
    baseline: (b) => {
      const db = b.session.requireWorkspace().db
      db.transaction(() => {
        const now = new Date().toISOString()
        const order = db.prepare('INSERT INTO buyer_order (id, round_id, buyer_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?)')
        const line = db.prepare('INSERT INTO order_line (id, order_id, product_id, created_at) VALUES (?, ?, ?, ?)')
        const log = db.prepare(
          `INSERT INTO quantity_log (id, line_id, quantity_delta, tolerance_delta, at, device_id, source) VALUES (?, ?, ?, ?, ?, 'bench', 'entry')`
        )
        for (const buyerId of b.buyerIds) {
          const orderId = randomUUID()
          order.run(orderId, b.roundId, buyerId, now, now)
          b.productIds.forEach((productId, i) => {
            const lineId = randomUUID()
            line.run(lineId, orderId, productId, now)
            log.run(randomUUID(), lineId, 1 + (i % 7), i % 3 || 0, now)
          })
        }
      })()
    }
  })
}

/**
 * orders.search_100k: a search in a round's 100 000-line order list (2 000 buyers × 50 products) through
 * the API (validation, paging, total count) vs the raw SQL query that returns the same first page. One
 * run is five searches.
 */
export async function benchSearch100k(): Promise<Comparison> {
  const a = await bigRound(50, 2000)
  try {
    const db = a.session.requireWorkspace().db
    db.transaction(() => {
      const now = new Date().toISOString()
      const order = db.prepare('INSERT INTO buyer_order (id, round_id, buyer_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?)')
      const line = db.prepare('INSERT INTO order_line (id, order_id, product_id, created_at) VALUES (?, ?, ?, ?)')
      const log = db.prepare(
        `INSERT INTO quantity_log (id, line_id, quantity_delta, tolerance_delta, at, device_id, source) VALUES (?, ?, 2, 0, ?, 'bench', 'entry')`
      )
      for (const buyerId of a.buyerIds) {
        const orderId = randomUUID()
        order.run(orderId, a.roundId, buyerId, now, now)
        for (const productId of a.productIds) {
          const lineId = randomUUID()
          line.run(lineId, orderId, productId, now)
          log.run(randomUUID(), lineId, now)
        }
      }
    })()
    const terms = ['miel', 'Kollektiv 7', 'SKU-0004', 'Foodcoop 19', 'aceite 3']
    const rawSql = db.prepare(
      `SELECT l.id, b.name, p.sku, p.name_es, l.quantity, l.tolerance, rp.price_minor
       FROM order_line l JOIN buyer_order o ON o.id = l.order_id JOIN buyer b ON b.id = o.buyer_id
       JOIN product p ON p.id = l.product_id LEFT JOIN buyer sb ON sb.id = l.sub_buyer_id
       LEFT JOIN round_product rp ON rp.round_id = o.round_id AND rp.product_id = l.product_id
       WHERE o.round_id = ? AND (b.name LIKE ? OR sb.name LIKE ? OR p.sku LIKE ? OR p.name_es LIKE ? OR p.name_de LIKE ? OR p.name_en LIKE ?)
       ORDER BY b.name COLLATE NOCASE LIMIT 200`
    )
    return await compare({
      pairs: 22,
      warm: 2,
      ours: async () => {
        for (const search of terms) {
          const r = await dispatch({ session: a.session }, 'orders.list', { roundId: a.roundId, search, limit: 200 })
          assert.ok(r.ok, JSON.stringify(r))
        }
      },
      baseline: () => {
        for (const term of terms) {
          const like = `%${term}%`
          rawSql.all(a.roundId, like, like, like, like, like, like)
        }
      }
    })
  } finally {
    a.close()
  }
}
