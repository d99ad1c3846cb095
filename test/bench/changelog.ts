import assert from 'node:assert/strict'
import type Database from 'better-sqlite3'
import { buyerInput, saveBuyer } from '../../src/core/buyers/buyers.ts'
import { productInput, saveProduct } from '../../src/core/catalogue/products.ts'
import { applyEntries, changeCount, type Entry, readEntries } from '../../src/core/db/changelog.ts'
import { loggedTables, tableInfo } from '../../src/core/db/tables.ts'
import { setLinesInput, setOrderLines } from '../../src/core/orders/orders.ts'
import { applyCalculatedPrices, roundInput, saveRound, setRoundStatus } from '../../src/core/rounds/rounds.ts'
import { saveSupplier, supplierInput } from '../../src/core/catalogue/suppliers.ts'
import { emptyWorkspace } from './fixture.ts'
import { type Comparison, compare } from './lib.ts'

interface Recorded {
  entries: Entry[]
  /** Every logged table's rows after the writes, as the direct inserts write them. */
  rows: { table: string; columns: string[]; values: unknown[][] }[]
  messages: number
}

/**
 * A workspace's history as a coordinator makes it, written through the API's functions (so through the
 * writer): 3,000 buyers and 400 products saved one by one, a round, 6,400 order lines entered for sixteen
 * buyers in bulk, and 1,000 prices changed one by one — about 100,000 change-log messages.
 */
async function record(): Promise<Recorded> {
  const w = await emptyWorkspace()
  try {
    const ws = w.ws
    ws.db.transaction(() => {
      const supplier = saveSupplier(ws, supplierInput.parse({ name: 'Cooperativa de Prueba', country: 'AR', contacts: [{ name: 'Ana', email: 'ana@example.org' }] }))
      const products = Array.from({ length: 400 }, (_, i) =>
        saveProduct(
          ws,
          productInput.parse({ supplierId: supplier.id, sku: `P-${i}`, nameEs: `Producto ${i}`, nameDe: `Produkt ${i}`, salesUnit: 'bag', caseUnits: '10', price: '2.50', currency: 'EUR', vatClass: 'reduced', hsCode: '090300' })
        )
      )
      const buyers = Array.from({ length: 3000 }, (_, i) =>
        saveBuyer(ws, buyerInput.parse({ name: `Gruppe ${i}`, type: 'group', country: 'DE', language: 'de', taxTreatment: 'domestic', city: 'Leipzig', street: `Straße ${i}`, postalCode: '04109', contacts: [] }))
      )
      const now = Date.now()
      const local = (ms: number) => new Date(ms).toISOString().slice(0, 16)
      const round = saveRound(
        ws,
        roundInput.parse({ name: 'Bench', opensAt: local(now - 86_400_000), closesAt: local(now + 30 * 86_400_000), timeZone: 'UTC', currency: 'EUR', supplierIds: [supplier.id] })
      )
      applyCalculatedPrices(ws, round.id)
      setRoundStatus(ws, round.id, 'open')
      for (const b of buyers.slice(0, 16))
        setOrderLines(ws, setLinesInput.parse({ roundId: round.id, buyerId: b.id, lines: products.map((p, i) => ({ productId: p.id, quantity: 1 + (i % 5), tolerance: i % 2 })) }), 'entry', ws.deviceId)
      for (let i = 0; i < 1000; i++) {
        const p = products[i % products.length]!
        saveProduct(ws, productInput.parse({ id: p.id, supplierId: supplier.id, sku: p.sku, nameEs: p.nameEs, nameDe: p.nameDe, salesUnit: 'bag', caseUnits: '10', price: `2.${50 + (i % 40)}`, currency: 'EUR', vatClass: 'reduced', hsCode: '090300' }))
      }
    })()
    const rows = loggedTables(ws.db).map((table) => {
      const info = tableInfo(ws.db, table)
      return { table, columns: info.columns, values: ws.db.prepare(`SELECT * FROM ${table}`).raw().all() as unknown[][] }
    })
    return { entries: readEntries(ws.db), rows, messages: changeCount(ws.db) }
  } finally {
    w.close()
  }
}

/** The same rows, straight into the tables with prepared inserts (rows the new workspace has already are replaced). */
function insertDirectly(db: Database.Database, rows: Recorded['rows']): void {
  db.transaction(() => {
    for (const t of rows) {
      if (!t.values.length) continue
      const insert = db.prepare(`INSERT OR REPLACE INTO ${t.table} (${t.columns.join(', ')}) VALUES (${t.columns.map(() => '?').join(', ')})`)
      for (const v of t.values) insert.run(...v)
    }
  })()
}

/**
 * changelog.replay_100k: replaying a workspace's change log of about 100,000 messages into an empty
 * workspace (every row inserted or updated, every entry logged again with its stamp, the merkle leaves)
 * vs inserting the rows it ends with directly. Both start from a new empty workspace (untimed). Bound 3×.
 */
export async function benchChangelogReplay(): Promise<Comparison> {
  const recorded = await record()
  assert.ok(recorded.messages >= 90_000 && recorded.messages <= 130_000, `about 100,000 messages: ${recorded.messages}`)
  if (process.env.BENCH_PAIRS) console.log(`  ${recorded.messages} messages in ${recorded.entries.length} entries`)
  return compare({
    pairs: 10,
    warm: 1,
    setup: () => emptyWorkspace(),
    teardown: (w) => w.close(),
    ours: (w) => {
      w.ws.db.transaction(() => applyEntries(w.ws.db, w.ws.clock, recorded.entries))()
    },
    baseline: (w) => insertDirectly(w.ws.db, recorded.rows)
  })
}
