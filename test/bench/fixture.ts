import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Session } from '../../src/core/app/session.ts'
import type { Workspace } from '../../src/core/db/workspace.ts'
import { ROOT } from './lib.ts'

export interface EmptyWorkspace {
  /** A session (for `dispatch`) with the workspace open. */
  session: Session
  ws: Workspace
  /** Closes the session and removes the workspace's folder. */
  close: () => void
}

/**
 * A new, empty workspace (every migration applied, no data) in a folder of its own: the per-run setup of
 * a benchmark that writes, e.g. `compare({ setup: () => emptyWorkspace(), teardown: (w) => w.close(), … })`.
 */
export async function emptyWorkspace(): Promise<EmptyWorkspace> {
  const dir = mkdtempSync(join(tmpdir(), 'puente-bench-'))
  const session = new Session({ appDataDir: join(dir, 'home'), resourcesDir: join(ROOT, 'resources') })
  const ws = await session.open(join(dir, 'bench.puente'), true)
  const close = () => {
    session.close()
    rmSync(dir, { recursive: true, force: true })
  }
  return { session, ws, close }
}

export interface BigRound {
  session: Session
  roundId: string
  productIds: string[]
  buyerIds: string[]
  /** Closes the session and removes the workspace's folder. */
  close: () => void
}

/**
 * A workspace with `products` products of one supplier, `buyers` buyers and an open, priced EUR round
 * over them, written with plain SQL (the fixture is not what is measured).
 */
export async function bigRound(products: number, buyers: number): Promise<BigRound> {
  const { session, ws, close } = await emptyWorkspace()
  const now = new Date().toISOString()
  const later = new Date(Date.now() + 30 * 86_400_000).toISOString()
  const roundId = '10000000-0000-4000-8000-000000000000'
  const supplierId = '20000000-0000-4000-8000-000000000000'
  const productIds: string[] = []
  const buyerIds: string[] = []
  const words = ['Mate', 'Vino', 'Aceite', 'Miel', 'Chocolate', 'Alfajor', 'Toalla', 'Libro', 'Cartera', 'Baldosa']
  ws.db.transaction(() => {
    ws.db
      .prepare(`INSERT INTO supplier (id, name, country, created_at, updated_at) VALUES (?, 'Cooperativa de Prueba', 'AR', ?, ?)`)
      .run(supplierId, now, now)
    const p = ws.db.prepare(
      `INSERT INTO product (id, supplier_id, sku, name_es, name_en, sales_unit, case_milli, price_minor, currency, vat_class, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, 'piece', 12000, 250, 'EUR', 'reduced', ?, ?)`
    )
    for (let i = 0; i < products; i++) {
      const id = `30000000-0000-4000-8000-${String(i).padStart(12, '0')}`
      productIds.push(id)
      const w = words[i % words.length]!
      p.run(id, supplierId, `SKU-${String(i).padStart(5, '0')}`, `${w} ${i}`, `${w} ${i}`, now, now)
    }
    const b = ws.db.prepare(
      `INSERT INTO buyer (id, name, type, country, language, tax_treatment, created_at, updated_at) VALUES (?, ?, 'group', 'DE', 'de', 'domestic', ?, ?)`
    )
    for (let i = 0; i < buyers; i++) {
      const id = `40000000-0000-4000-8000-${String(i).padStart(12, '0')}`
      buyerIds.push(id)
      b.run(id, `Foodcoop ${i} ${words[i % words.length]}-Kollektiv`, now, now)
    }
    ws.db
      .prepare(
        `INSERT INTO round (id, name, opens_at, closes_at, time_zone, status, currency, created_at, updated_at)
         VALUES (?, 'Benchmark', ?, ?, 'Europe/Berlin', 'open', 'EUR', ?, ?)`
      )
      .run(roundId, now, later, now, now)
    ws.db.prepare('INSERT INTO round_supplier (round_id, supplier_id, created_at) VALUES (?, ?, ?)').run(roundId, supplierId, now)
    const rp = ws.db.prepare(
      'INSERT INTO round_product (id, round_id, product_id, price_minor, created_at, updated_at) VALUES (?, ?, ?, 300, ?, ?)'
    )
    productIds.forEach((pid, i) => rp.run(`50000000-0000-4000-8000-${String(i).padStart(12, '0')}`, roundId, pid, now, now))
  })()
  assert.equal((ws.db.prepare('SELECT count(*) AS n FROM product').get() as { n: number }).n, products)
  assert.equal((ws.db.prepare('SELECT count(*) AS n FROM buyer').get() as { n: number }).n, buyers)
  return { session, roundId, productIds, buyerIds, close }
}
