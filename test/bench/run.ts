/**
 * `npm run bench`: every benchmark, each measured against its baseline in the same run (alternately,
 * pair by pair: see `compare` in lib.ts). Prints one line per figure as it is measured, then all of them
 * in one table, and writes them to bench-results.json. Exits non-zero when a figure misses its bound.
 * `npm run bench -- orders.write_10k po.pdf_500_lines` runs only those.
 */
import assert from 'node:assert/strict'
import { benchChangelogReplay } from './changelog.ts'
import { benchConsolidation100k } from './consolidation.ts'
import { benchDurableCommit } from './durable.ts'
import { benchFirstPaint } from './first-paint.ts'
import { benchImportXlsx } from './import-xlsx.ts'
import { benchInvoicePdf500, benchInvoicePdf500VsChromium, benchInvoicesBulkMemory } from './invoices.ts'
import { type Comparison, type Figure, figure, type Measurement, print, save, table } from './lib.ts'
import { benchOrderListDom } from './orders-dom.ts'
import { benchCamt10k } from './payments.ts'
import { benchSearch100k, benchWrite10k } from './orders.ts'
import { benchPoPdf, benchPoPdfSize } from './po-pdf.ts'
import { benchCustomsPapers1k, benchLandedCost5k } from './shipments.ts'
import { benchWorkspaceCreate, benchWorkspaceOpen } from './workspace-open.ts'

interface Bench {
  name: string
  unit: string
  /** For a comparison the largest median ratio allowed; for a measurement the largest value. */
  bound: number | null
  run: () => Promise<Comparison | Measurement>
}

/** Every figure, in the order they run. A new figure is one more line here. */
const BENCHES: Bench[] = [
  { name: 'workspace.open', unit: 'ms', bound: 5, run: benchWorkspaceOpen },
  { name: 'workspace.create', unit: 'ms', bound: 5, run: benchWorkspaceCreate },
  { name: 'workspace.durable_commit', unit: 'ms', bound: null, run: benchDurableCommit },
  { name: 'ui.first_paint', unit: 'ms', bound: 2, run: benchFirstPaint },
  { name: 'orders.write_10k', unit: 'ms', bound: 3, run: benchWrite10k },
  { name: 'orders.search_100k', unit: 'ms', bound: 2, run: benchSearch100k },
  { name: 'orders.list_dom_rows_100k', unit: 'rows', bound: 200, run: benchOrderListDom },
  { name: 'consolidation.100k', unit: 'ms', bound: 3, run: benchConsolidation100k },
  { name: 'orders.import_xlsx_10k', unit: 'ms', bound: 2, run: benchImportXlsx },
  { name: 'po.pdf_500_lines', unit: 'ms', bound: 3, run: benchPoPdf },
  { name: 'po.pdf_500_lines_size', unit: 'bytes', bound: null, run: benchPoPdfSize },
  { name: 'invoices.pdf_500', unit: 'ms', bound: 3, run: benchInvoicePdf500 },
  { name: 'invoices.pdf_500_vs_chromium', unit: 'ms', bound: 0.1, run: benchInvoicePdf500VsChromium },
  { name: 'invoices.bulk_memory_500', unit: 'MB', bound: 200, run: async () => benchInvoicesBulkMemory() },
  { name: 'payments.camt_10k', unit: 'ms', bound: 2, run: benchCamt10k },
  { name: 'landed_cost.5k_lines', unit: 'ms', bound: 3, run: benchLandedCost5k },
  { name: 'customs.papers_1k_lines', unit: 'ms', bound: 3, run: benchCustomsPapers1k },
  { name: 'changelog.replay_100k', unit: 'ms', bound: 3, run: benchChangelogReplay }
]

const only = process.argv.slice(2)
for (const name of only) assert.ok(BENCHES.some((b) => b.name === name), `no benchmark named ${name}: ${BENCHES.map((b) => b.name).join(', ')}`)
const figures: Figure[] = []
const started = performance.now()
for (const b of BENCHES) {
  if (only.length && !only.includes(b.name)) continue
  const t0 = performance.now()
  const f = figure(b.name, b.unit, b.bound, await b.run())
  print(f, performance.now() - t0)
  figures.push(f)
}
save(figures)
const failed = figures.filter((f) => !f.ok)
console.log(`\n${table(figures)}\n`)
console.log(
  `${figures.length - failed.length} of ${figures.length} figures within their bounds in ${Math.round((performance.now() - started) / 1000)} s; written to bench-results.json`
)
process.exit(failed.length ? 1 : 0)
