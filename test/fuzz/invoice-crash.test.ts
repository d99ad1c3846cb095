import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { copyFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dispatch } from '../../src/core/api/dispatch.ts'
import { Workspace } from '../../src/core/db/workspace.ts'
import { RESOURCES, type TempSession, tempSession } from '../support/workspace.ts'
import { fuzzSeed, Rng } from './inputs.ts'

/**
 * kill -9 during bulk issuing (issue 11): a child process issues the demo round's invoices in bulk, credits
 * them and issues again, and is killed with SIGKILL at a random moment. Opened afterwards, the workspace
 * holds no half-issued invoice (every issued one has its number, lines, PDF, XML and hash) and no gap in
 * any series; the hash chain is whole.
 */
const TRIALS = Number(process.env.PUENTE_CRASH_TRIALS ?? 3)
const SEED = fuzzSeed()
const WRITER = fileURLToPath(new URL('./invoice-writer.ts', import.meta.url))

let temp: TempSession
let path: string
beforeAll(async () => {
  temp = tempSession({ prefix: 'puente-invoice-crash-' })
  const demo = await temp.session.openDemo()
  const roundId = demo.db.prepare('SELECT id FROM round').pluck().get() as string
  const closed = await dispatch({ session: temp.session }, 'rounds.setStatus', { id: roundId, status: 'closed' })
  expect(closed.ok).toBe(true)
  temp.session.close()
  path = join(temp.dir, 'invoices.puente')
  copyFileSync(demo.path, path)
}, 60_000)
afterAll(() => temp.dispose())

function runAndKill(afterMs: number): Promise<{ lines: string[]; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRITER, path, join(temp.dir, 'writer-home'), RESOURCES], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    let timer: NodeJS.Timeout | null = null
    const guard = setTimeout(() => child.kill('SIGKILL'), 90_000)
    child.stdout.setEncoding('utf8')
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk
      if (stdout.includes('ready\n')) timer ??= setTimeout(() => child.kill('SIGKILL'), afterMs)
    })
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', reject)
    child.on('close', (_code, signal) => {
      clearTimeout(guard)
      if (timer) clearTimeout(timer)
      resolve({ lines: stdout.split('\n').filter(Boolean), signal, stderr })
    })
  })
}

const sha = (d: string | Buffer) => createHash('sha256').update(d).digest('hex')

describe('kill -9 during bulk issuing', () => {
  it(`${TRIALS} kills: no half-issued invoice, no gap, the hash chain whole`, async () => {
    const rng = new Rng(SEED)
    let bulks = 0
    for (let t = 0; t < TRIALS; t++) {
      const trial = await runAndKill(rng.int(300, 2500))
      expect(trial.signal, `trial ${t}: ${trial.stderr.slice(0, 2000)}`).toBe('SIGKILL')
      bulks += trial.lines.filter((l) => l.startsWith('issued ')).length
      const ws = await Workspace.open(path, { deviceId: 'invoice-crash-reader' })
      try {
        expect(ws.db.pragma('integrity_check', { simple: true })).toBe('ok')
        const issued = ws.db
          .prepare(
            `SELECT i.id, i.kind, i.number, i.seq, i.issue_date, i.prev_hash, i.hash, f.pdf, f.xml, (SELECT count(*) FROM invoice_line l WHERE l.invoice_id = i.id) AS lines
             FROM invoice i LEFT JOIN invoice_file f ON f.invoice_id = i.id WHERE i.status = 'issued' ORDER BY i.seq`
          )
          .all() as { id: string; kind: string; number: string; seq: number; issue_date: string; prev_hash: string | null; hash: string; pdf: Buffer | null; xml: string | null; lines: number }[]
        // Whole documents only.
        for (const i of issued) {
          expect(i.pdf, i.number).not.toBeNull()
          expect(i.xml, i.number).toContain(`<ram:ID>${i.number}</ram:ID>`)
          expect(i.lines, i.number).toBeGreaterThan(0)
        }
        // No gap, no double, in any series; every number registered belongs to an issued document.
        for (const kind of ['invoice', 'credit_note']) {
          const numbers = issued.filter((i) => i.kind === kind).map((i) => Number(i.number.slice(-5)))
          expect(numbers, kind).toEqual(Array.from({ length: numbers.length }, (_, k) => k + 1))
          const registered = ws.db.prepare('SELECT document_id FROM issued_number WHERE series = ?').pluck().all(kind) as string[]
          expect(new Set(registered)).toEqual(new Set(issued.filter((i) => i.kind === kind).map((i) => i.id)))
        }
        expect(issued.map((i) => i.seq)).toEqual(issued.map((_, k) => k + 1))
        let prev = ''
        for (const i of issued) {
          expect(i.prev_hash ?? '').toBe(prev)
          expect(i.hash).toBe(sha([prev, i.number, i.issue_date, sha(i.xml ?? ''), sha(i.pdf!)].join('\n')))
          prev = i.hash
        }
      } finally {
        ws.close()
      }
    }
    expect(bulks).toBeGreaterThan(0)
  }, 300_000)
})
