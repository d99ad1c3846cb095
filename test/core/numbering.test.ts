import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { formatProblem, peekNumber, render, setDevicePrefix, setSeriesFormat, takeNumber } from '../../src/core/db/numbering.ts'
import { Workspace } from '../../src/core/db/workspace.ts'
import { AppError } from '../../src/shared/errors.ts'
import { tempDir } from '../support/workspace.ts'

const LAPTOP_A = 'aaaaaaaa-0000-4000-8000-00000000000a'
const LAPTOP_B = 'bbbbbbbb-0000-4000-8000-00000000000b'
const LAPTOP_C = 'cccccccc-0000-4000-8000-00000000000c'

let dir: string
const open: Workspace[] = []
async function workspace(name: string, deviceId: string, create = false): Promise<Workspace> {
  const ws = await Workspace.open(join(dir, name), { create, deviceId })
  open.push(ws)
  return ws
}
beforeEach(() => {
  dir = tempDir('puente-numbers-')
})
afterEach(() => {
  for (const ws of open.splice(0)) ws.close()
})

/** Takes one number in its own transaction, the way a document is issued. */
function issue(ws: Workspace, day = '2026-12-06'): string {
  return ws.db.transaction(() => takeNumber(ws, 'purchase_order', ws.env.uuid(), day))()
}

describe('formats', () => {
  it('renders the year, the zero-padded count and the device prefix', () => {
    expect(render('PO-{yyyy}-{nnnn}', { day: '2026-03-01', prefix: '', n: 7 })).toBe('PO-2026-0007')
    expect(render('PO-{yyyy}-{nnnn}', { day: '2026-03-01', prefix: 'B', n: 7 })).toBe('PO-2026-B0007')
    expect(render('RE-{yy}/{prefix}-{nnnnn}', { day: '2027-01-02', prefix: 'C', n: 12 })).toBe('RE-27/C-00012')
    // The count grows past its digits rather than wrapping.
    expect(render('{nn}', { day: '2026-01-01', prefix: '', n: 1234 })).toBe('1234')
  })

  it('accepts exactly one number part and plain characters', () => {
    for (const ok of ['PO-{yyyy}-{nnnn}', 'RE-{yyyy}-{nnnnn}', '{prefix}{n}', 'GS {yy}/{nnn}', 'Nr. #{nnnnnnnnnn}']) expect(formatProblem(ok), ok).toBeNull()
    for (const bad of ['PO-{yyyy}', '{nnnn}-{nn}', 'PO-{yyyy}-{nnnnnnnnnnn}', 'PO-{yyy}-{nnnn}', 'PO;{nnnn}', '{prefix}{prefix}{n}', '{yyyy}{yy}{n}', '', 'x'.repeat(61) + '{n}'])
      expect(formatProblem(bad), bad).toBe('number_format')
  })
})

describe('taking numbers', () => {
  it('10,000 numbers taken by two threads at once on one file, some rolled back: gapless and unique', async () => {
    const a = await workspace('w.puente', LAPTOP_A, true)
    const gate = new SharedArrayBuffer(4)
    let ready = 0
    const run = (seed: number) =>
      new Promise<{ committed: string[]; rolledBack: number }>((done, fail) => {
        const worker = new Worker(new URL('./numbering-worker.ts', import.meta.url), { workerData: { path: a.path, deviceId: LAPTOP_A, count: 5000, seed, gate } })
        worker.on('message', (m: 'ready' | { committed: string[]; rolledBack: number }) => {
          if (m !== 'ready') return done(m)
          // Once both are ready, open the gate for both at once.
          if (++ready === 2) {
            Atomics.store(new Int32Array(gate), 0, 1)
            Atomics.notify(new Int32Array(gate), 0)
          }
        })
        worker.once('error', fail)
      })
    const [one, two] = await Promise.all([run(42), run(4242)])
    // Both threads ran at once against the file, each through all its 5,000 transactions (SQLite lets one
    // write at a time and does not take turns fairly, so how their numbers interleave varies from run
    // to run); about a fifth were rolled back.
    expect(one.committed.length + one.rolledBack).toBe(5000)
    expect(two.committed.length + two.rolledBack).toBe(5000)
    expect(one.rolledBack + two.rolledBack).toBeGreaterThan(1500)
    // Gapless and unique: together exactly PO-2026-0001 … PO-2026-N.
    const all = [...one.committed, ...two.committed].sort()
    expect(all).toEqual(Array.from({ length: all.length }, (_, i) => `PO-2026-${String(i + 1).padStart(4, '0')}`))
    // The register holds those numbers, nothing of the rolled-back ones.
    expect(a.db.prepare(`SELECT number FROM issued_number WHERE series = 'purchase_order' ORDER BY number`).pluck().all()).toEqual(all)
    expect(peekNumber(a, 'purchase_order', '2026-12-06')).toBe(`PO-2026-${String(all.length + 1).padStart(4, '0')}`)
  })

  it('counts per year, and the first number of a new year is 1 again', async () => {
    const ws = await workspace('y.puente', LAPTOP_A, true)
    expect([issue(ws, '2026-12-31'), issue(ws, '2026-12-31'), issue(ws, '2027-01-01'), issue(ws, '2026-12-31')]).toEqual([
      'PO-2026-0001',
      'PO-2026-0002',
      'PO-2027-0001',
      'PO-2026-0003'
    ])
  })

  it('two laptops working on copies of one workspace never issue the same number', async () => {
    const a = await workspace('a.puente', LAPTOP_A, true)
    expect(issue(a)).toBe('PO-2026-0001')
    // The file is copied to two other laptops; each gets its own prefix the first time it numbers.
    await a.backupTo(join(dir, 'b.puente'))
    await a.backupTo(join(dir, 'c.puente'))
    const b = await workspace('b.puente', LAPTOP_B)
    const c = await workspace('c.puente', LAPTOP_C)
    c.db.transaction(() => setDevicePrefix(c, LAPTOP_C, 'C'))()
    const all: string[] = []
    for (let i = 0; i < 300; i++) all.push(issue(a), issue(b), issue(c))
    expect(new Set(all).size).toBe(900)
    expect(all.slice(0, 3)).toEqual(['PO-2026-0002', 'PO-2026-B0001', 'PO-2026-C0001'])
    expect(all.slice(-3)).toEqual(['PO-2026-0301', 'PO-2026-B0300', 'PO-2026-C0300'])
    // Each laptop keeps the others' registrations it knew of, and its own.
    expect(b.db.prepare('SELECT id, prefix FROM device ORDER BY prefix').all()).toEqual([
      { id: LAPTOP_A, prefix: '' },
      { id: LAPTOP_B, prefix: 'B' }
    ])
  })

  it('a prefix another laptop uses is refused; a wrong one too', async () => {
    const a = await workspace('p.puente', LAPTOP_A, true)
    issue(a)
    const refused = (prefix: string) => {
      try {
        a.db.transaction(() => setDevicePrefix(a, LAPTOP_B, prefix))()
      } catch (e) {
        return e instanceof AppError ? (e.params.fields as Record<string, { code: string }>).prefix!.code : String(e)
      }
      return 'accepted'
    }
    expect(refused('')).toBe('prefix_taken')
    expect(refused('b')).toBe('prefix')
    expect(refused('ABCD')).toBe('prefix')
    expect(refused('B')).toBe('accepted')
  })

  it('a changed format applies to the next number, and goes on past numbers it would give again', async () => {
    const ws = await workspace('f.puente', LAPTOP_A, true)
    expect(issue(ws)).toBe('PO-2026-0001')
    ws.db.transaction(() => setSeriesFormat(ws, 'purchase_order', 'BE/{yy}/{nnn}'))()
    expect(issue(ws)).toBe('BE/26/002')
    ws.db.transaction(() => setSeriesFormat(ws, 'purchase_order', 'PO-{yyyy}-{nnnn}'))()
    expect(issue(ws)).toBe('PO-2026-0003')
    // Without the year the count starts again at 1, where PO-2026-0001 and -0003 were issued already.
    ws.db.transaction(() => setSeriesFormat(ws, 'purchase_order', 'PO-2026-{nnnn}'))()
    expect(peekNumber(ws, 'purchase_order', '2026-12-06')).toBe('PO-2026-0002')
    expect([issue(ws), issue(ws), issue(ws)]).toEqual(['PO-2026-0002', 'PO-2026-0004', 'PO-2026-0005'])
    const all = ws.db.prepare('SELECT number FROM issued_number').pluck().all() as string[]
    expect(new Set(all).size).toBe(all.length)
    expect(() => ws.db.transaction(() => setSeriesFormat(ws, 'purchase_order', 'PO-{yyyy}'))()).toThrow(AppError)
  })

  it('a laptop that replaces another takes over its prefix and goes on with its count; the old one, back, numbers anew', async () => {
    const a = await workspace('r.puente', LAPTOP_A, true)
    expect([issue(a), issue(a)]).toEqual(['PO-2026-0001', 'PO-2026-0002'])
    await a.backupTo(join(dir, 'restored.puente'))
    const b = await workspace('restored.puente', LAPTOP_B)
    // Without taking over, the prefix of the first laptop is refused; taken over, the count goes on.
    expect(() => b.db.transaction(() => setDevicePrefix(b, LAPTOP_B, ''))()).toThrow(AppError)
    b.db.transaction(() => setDevicePrefix(b, LAPTOP_B, '', true))()
    expect(issue(b)).toBe('PO-2026-0003')
    // The replaced laptop, should it number in this workspace again, gets a letter of its own.
    const again = await workspace('restored.puente', LAPTOP_A)
    expect(issue(again)).toBe('PO-2026-B0001')
    expect(b.db.prepare('SELECT id, prefix, deleted_at IS NOT NULL AS replaced FROM device ORDER BY prefix').all()).toEqual([
      { id: LAPTOP_B, prefix: '', replaced: 0 },
      { id: LAPTOP_A, prefix: 'B', replaced: 0 }
    ])
  })

  it('issued numbers cannot be changed or removed, even by hand in SQL', async () => {
    const ws = await workspace('i.puente', LAPTOP_A, true)
    const n = issue(ws)
    expect(() => ws.db.prepare(`UPDATE issued_number SET number = 'PO-2026-9999' WHERE number = ?`).run(n)).toThrow(/immutable/)
    expect(() => ws.db.prepare(`DELETE FROM issued_number WHERE number = ?`).run(n)).toThrow(/immutable/)
    const doc = ws.db.prepare('SELECT document_id FROM issued_number WHERE number = ?').pluck().get(n)
    expect(() =>
      ws.db.prepare(`INSERT INTO issued_number (series, number, document_id, device_id, issued_at) VALUES ('purchase_order', ?, ?, 'x', 'y')`).run(n, doc)
    ).toThrow(/UNIQUE/)
  })

  it('is taken only inside the transaction that issues the document', async () => {
    const ws = await workspace('t.puente', LAPTOP_A, true)
    expect(() => takeNumber(ws, 'purchase_order', ws.env.uuid())).toThrow(/inside the transaction/)
  })
})
