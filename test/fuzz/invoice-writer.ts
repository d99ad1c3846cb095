/**
 * The bulk issuer the invoice crash test kills: opens a workspace as the app does (a Session) and issues
 * a round's invoices in bulk (the `invoices.issueRound` job, in durable transactions of whole invoices: one, or a batch
 * whose PDFs are rendered on several cores), credits
 * every invoice left open (each credit note opens a new draft, also after an earlier kill) and issues
 * again, until it is killed. After each bulk issue it writes `issued <count>` on stdout.
 * Usage: node invoice-writer.ts <workspace> <app data folder> <resources folder>
 */
import assert from 'node:assert/strict'
import { writeSync } from 'node:fs'
import { dispatch } from '../../src/core/api/dispatch.ts'
import { Session } from '../../src/core/app/session.ts'

const [path, appDataDir, resourcesDir] = process.argv.slice(2)
assert.ok(path && appDataDir && resourcesDir, 'usage: invoice-writer.ts <workspace> <app data> <resources>')

const session = new Session({ appDataDir, resourcesDir })
await session.open(path, false)
const ctx = { session }
const out = (line: string) => writeSync(1, `${line}\n`)
const roundId = session.requireWorkspace().db.prepare('SELECT id FROM round').pluck().get() as string
out('ready')
const open = () =>
  session
    .requireWorkspace()
    .db.prepare(
      "SELECT id FROM invoice i WHERE kind = 'invoice' AND status = 'issued' AND NOT EXISTS (SELECT 1 FROM invoice c WHERE c.credits_id = i.id AND c.status = 'issued')"
    )
    .pluck()
    .all() as string[]
for (;;) {
  // Invoices a kill left issued and not yet credited are credited first (each credit opens a new draft).
  for (const id of open()) {
    const c = await dispatch(ctx, 'invoices.credit', { id, reason: 'Probe' })
    assert.ok(c.ok, `credit refused: ${c.ok ? '' : JSON.stringify(c.error)}`)
  }
  const r = await dispatch(ctx, 'invoices.issueRound', { roundId })
  assert.ok(r.ok, `bulk issue refused: ${r.ok ? '' : JSON.stringify(r.error)}`)
  const issued = (r.result as { issued: { id: string }[] }).issued
  assert.ok(issued.length > 0, 'the bulk issue issued nothing')
  out(`issued ${issued.length}`)
}
