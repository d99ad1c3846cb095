/// <reference lib="dom" />
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import { startHost } from '../../src/host/server.ts'
import { launch } from '../browser/chromium.ts'
import { ensureBuilt } from '../../scripts/ensure-build.ts'
import { bigRound } from './fixture.ts'
import { type Measurement, ROOT } from './lib.ts'

/**
 * orders.list_dom_rows_100k: the most table rows the order list puts in the DOM while showing a round
 * with 100 000 order lines in Chromium, at the top and after jumping to the end (the baseline is the
 * number of lines in the list; the bound is on the rows).
 */
export async function benchOrderListDom(): Promise<Measurement> {
  ensureBuilt(() => undefined)
  const a = await bigRound(50, 2000)
  const db = a.session.requireWorkspace().db
  db.transaction(() => {
    const now = new Date().toISOString()
    const order = db.prepare('INSERT INTO buyer_order (id, round_id, buyer_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?)')
    const line = db.prepare('INSERT INTO order_line (id, order_id, product_id, created_at) VALUES (?, ?, ?, ?)')
    const log = db.prepare(
      `INSERT INTO quantity_log (id, line_id, quantity_delta, tolerance_delta, at, device_id, source) VALUES (?, ?, 1, 0, ?, 'bench', 'entry')`
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
  const host = await startHost({ session: a.session, rendererDir: join(ROOT, 'out', 'renderer') })
  const browser = await launch()
  try {
    const page = await browser.newPage()
    await page.goto(host.url)
    await page.getByRole('heading', { level: 1 }).waitFor()
    await page.evaluate(() => {
      window.location.hash = '#/orders/all'
    })
    const rows = page.locator('.list-scroll tbody tr[data-index], .list-scroll tbody tr')
    await page.waitForFunction(() => document.querySelectorAll('.list-scroll tbody tr').length > 5)
    const counts = [await rows.count()]
    // Jump to the end with the keyboard, as a person would, and wait until the last rows are there.
    await page.locator('.list-scroll tbody tr').first().focus()
    await page.keyboard.press('End')
    await page.waitForFunction(() => {
      const el = document.querySelector('.list-scroll')
      return el !== null && el.scrollTop > 1000
    })
    await page.waitForTimeout(300)
    counts.push(await rows.count())
    const total = (db.prepare('SELECT count(*) AS n FROM order_line').get() as { n: number }).n
    assert.equal(total, 100_000, 'the list shows 100 000 order lines')
    assert.ok(counts.every((c) => c > 0), 'the list showed rows at the top and at the end')
    return { value: Math.max(...counts), baseline: total }
  } finally {
    await browser.close()
    await host.close()
    a.close()
  }
}
