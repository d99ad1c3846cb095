/**
 * The writer the crash test kills: opens a workspace as the app does (a Session) and writes through the
 * API in a loop, new cooperatives and renames of earlier ones, each its own committed mutation. After a
 * commit it acknowledges the write on stdout (synchronously, so an acknowledged write is one the API has
 * answered): `new <n> <id>` or `rename <id> <version>`. Runs until it is killed.
 * Usage: node crash-writer.ts <workspace> <app data folder> <resources folder> <seed>
 */
import assert from 'node:assert/strict'
import { writeSync } from 'node:fs'
import { dispatch } from '../../src/core/api/dispatch.ts'
import { Session } from '../../src/core/app/session.ts'

const [path, appDataDir, resourcesDir, seedArg] = process.argv.slice(2)
assert.ok(path && appDataDir && resourcesDir, 'usage: crash-writer.ts <workspace> <app data> <resources> <seed>')
let state = Number(seedArg ?? 1) >>> 0 || 1
const random = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32)

const session = new Session({ appDataDir, resourcesDir })
await session.open(path, false)
const ctx = { session }
const out = (line: string) => writeSync(1, `${line}\n`)
out('ready')

const ids: string[] = []
const versions = new Map<string, number>()
for (let n = 0; ; n++) {
  if (ids.length > 0 && random() < 0.4) {
    const id = ids[Math.floor(random() * ids.length)]!
    const version = (versions.get(id) ?? 0) + 1
    const r = await dispatch(ctx, 'suppliers.save', { id, name: `Crash ${id.slice(0, 8)} v${version}`, country: 'AR' })
    assert.ok(r.ok, `rename refused: ${r.ok ? '' : JSON.stringify(r.error)}`)
    versions.set(id, version)
    out(`rename ${id} ${version}`)
  } else {
    const r = await dispatch(ctx, 'suppliers.save', { name: `Crash new ${process.pid} ${n}`, country: 'AR', notes: 'x'.repeat(Math.floor(random() * 2000)) })
    assert.ok(r.ok, `insert refused: ${r.ok ? '' : JSON.stringify(r.error)}`)
    const id = (r.result as { id: string }).id
    ids.push(id)
    out(`new ${n} ${id}`)
  }
}
