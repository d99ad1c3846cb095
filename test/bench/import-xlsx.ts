import assert from 'node:assert/strict'
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { dispatch } from '../../src/core/api/dispatch.ts'
import { buyerInput, saveBuyer } from '../../src/core/buyers/buyers.ts'
import { productInput, saveProduct } from '../../src/core/catalogue/products.ts'
import { applyCalculatedPrices } from '../../src/core/rounds/rounds.ts'
import { Session } from '../../src/core/app/session.ts'
import { type Comparison, compare, ROOT } from './lib.ts'

const BUYERS = 20
const PRODUCTS = 500

/** A 10,000-line order table (buyer, SKU, quantity, tolerance) as people fill one in Excel. */
async function orderXlsx(buyers: string[], skus: string[], offset: number): Promise<Buffer> {
  const wb = new ExcelJS.Workbook()
  const ws = wb.addWorksheet('Bestellungen')
  ws.addRow(['Käufer', 'Artikelnummer', 'Menge', 'Toleranz'])
  let n = 0
  for (const b of buyers) for (const s of skus) ws.addRow([b, s, ((n++ + offset) % 9) + 1, n % 3])
  return Buffer.from(await wb.xlsx.writeBuffer())
}

/**
 * orders.import_xlsx_10k: importing a 10,000-line order XLSX through the API (`orders.importApply`: the
 * import's reader (fflate + saxes) reads the file, every row is checked against the round and the current
 * orders, and one transaction writes 10,000 quantity-log rows) vs exceljs alone loading the same file.
 * Every import goes into a fresh copy of one workspace (made by the untimed setup) in which the other
 * file has been imported, so every import changes every line and none finds the log rows of earlier
 * runs (each import adds 10,000: after 40 imports into one workspace an import took twice as long).
 * Bound 2×: the import may cost at most as much again as reading the file with exceljs.
 */
export async function benchImportXlsx(): Promise<Comparison> {
  const dir = mkdtempSync(join(tmpdir(), 'puente-bench-import-'))
  const session = new Session({ appDataDir: dir, resourcesDir: join(ROOT, 'resources') })
  try {
    const ws = await session.openDemo()
    const roundId = (ws.db.prepare('SELECT id FROM round').get() as { id: string }).id
    const supplierId = (ws.db.prepare("SELECT id FROM supplier WHERE code = 'LH'").get() as { id: string }).id
    const buyers: string[] = []
    const skus: string[] = []
    ws.db.transaction(() => {
      for (let i = 0; i < PRODUCTS; i++) {
        const sku = `BENCH-${String(i).padStart(4, '0')}`
        saveProduct(ws, productInput.parse({ supplierId, sku, nameEs: `Producto ${i}`, salesUnit: 'bag', caseUnits: '10', price: '2.00', currency: 'USD', vatClass: 'reduced' }))
        skus.push(sku)
      }
      for (let i = 0; i < BUYERS; i++) {
        const name = `Bench-Gruppe ${i}`
        saveBuyer(ws, buyerInput.parse({ name, type: 'group', country: 'DE', language: 'de', taxTreatment: 'domestic', contacts: [] }))
        buyers.push(name)
      }
      applyCalculatedPrices(ws, roundId)
    })()
    const files = [await orderXlsx(buyers, skus, 0), await orderXlsx(buyers, skus, 1)]
    const inputs = files.map((f) => ({ roundId, fileName: 'bestellungen.xlsx', data: f }))
    const preview = await dispatch({ session }, 'orders.importPreview', inputs[0])
    assert.ok(preview.ok && !(preview.result as { blocking: boolean }).blocking, `preview failed: ${JSON.stringify(preview).slice(0, 300)}`)
    const first = await dispatch({ session }, 'orders.importApply', inputs[0])
    assert.ok(first.ok, `apply failed: ${JSON.stringify(first).slice(0, 300)}`)
    const template = join(dir, 'template.puente')
    ws.close()
    copyFileSync(ws.path, template)
    let n = 0
    return await compare({
      pairs: 22,
      warm: 2,
      setup: async (side) => {
        if (side === 'baseline') return null
        const path = join(dir, `run-${n++}.puente`)
        copyFileSync(template, path)
        await session.open(path)
        return path
      },
      teardown: (path) => {
        if (path === null) return
        session.requireWorkspace().close()
        for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true })
      },
      ours: async () => {
        const applied = await dispatch({ session }, 'orders.importApply', inputs[1])
        assert.ok(applied.ok && (applied.result as { applied: number }).applied === BUYERS * PRODUCTS, `apply failed: ${JSON.stringify(applied).slice(0, 300)}`)
      },
      baseline: async () => {
        await new ExcelJS.Workbook().xlsx.load(files[1] as unknown as ArrayBuffer)
      }
    })
  } finally {
    session.close()
    rmSync(dir, { recursive: true, force: true })
  }
}
