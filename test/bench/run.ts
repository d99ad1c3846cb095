/**
 * `npm run bench`: every benchmark, each measured against its baseline in the same run. Prints one line
 * per figure and writes them to bench-results.json. Exits non-zero when a figure misses its bound.
 */
import assert from 'node:assert/strict'
import { benchFirstPaint } from './first-paint.ts'
import { type Figure, print, save } from './lib.ts'
import { benchConsolidation100k } from './consolidation.ts'
import { benchImportXlsx } from './import-xlsx.ts'
import { benchPoPdf } from './po-pdf.ts'
import { benchOrderListDom } from './orders-dom.ts'
import { benchSearch100k, benchWrite10k } from './orders.ts'
import { benchWorkspaceCreate, benchWorkspaceOpen } from './workspace-open.ts'

const benches: [string, () => Promise<Figure | Figure[]>][] = [
  ['workspace.open', benchWorkspaceOpen],
  ['workspace.create', benchWorkspaceCreate],
  ['ui.first_paint', benchFirstPaint],
  ['orders.write_10k', benchWrite10k],
  ['orders.search_100k', benchSearch100k],
  ['orders.list_dom_rows_100k', benchOrderListDom],
  ['consolidation.100k', benchConsolidation100k],
  ['orders.import_xlsx_10k', benchImportXlsx],
  ['po.pdf_500_lines', benchPoPdf]
]

const only = process.argv.slice(2)
for (const name of only) assert.ok(benches.some(([n]) => n === name), `no benchmark named ${name}: ${benches.map(([n]) => n).join(', ')}`)
const figures: Figure[] = []
for (const [name, run] of benches) {
  if (only.length && !only.includes(name)) continue
  for (const f of [await run()].flat()) {
    print(f)
    figures.push(f)
  }
}
save(figures)
const failed = figures.filter((f) => !f.ok)
console.log(`${figures.length - failed.length} of ${figures.length} figures within their bounds; written to bench-results.json`)
process.exit(failed.length ? 1 : 0)
