import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Workspace } from '../../src/core/db/workspace.ts'
import { RESOURCES, type TempSession, tempSession } from '../support/workspace.ts'
import { fuzzSeed, Rng } from './inputs.ts'

/**
 * kill -9 during writes: a child Node process writes through the API in a loop (crash-writer.ts) and
 * acknowledges each committed write; it is killed with SIGKILL at a random moment, then the workspace is
 * opened as the app opens it. `PRAGMA integrity_check` must pass and no acknowledged write may be lost
 * (a new cooperative is there; a rename is there or a later one). PUENTE_CRASH_TRIALS sets the number of
 * kills (6 in CI), PUENTE_FUZZ_SEED the moments.
 */
const TRIALS = Number(process.env.PUENTE_CRASH_TRIALS ?? 6)
const SEED = fuzzSeed()
const WRITER = fileURLToPath(new URL('./crash-writer.ts', import.meta.url))

let temp: TempSession
let path: string
beforeAll(async () => {
  temp = tempSession({ prefix: 'puente-crash-' })
  path = (await temp.create('crash.puente')).path
  temp.session.close()
})
afterAll(() => temp.dispose())

interface Trial {
  acked: string[]
  signal: NodeJS.Signals | null
  code: number | null
  stderr: string
}

/** Starts the writer, kills it `afterMs` after it is ready, and returns the lines it acknowledged. */
function runAndKill(afterMs: number, seed: number): Promise<Trial> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRITER, path, join(temp.dir, 'writer-home'), RESOURCES, String(seed)], { stdio: ['ignore', 'pipe', 'pipe'] })
    let buffered = ''
    let stderr = ''
    const acked: string[] = []
    let timer: NodeJS.Timeout | null = null
    const guard = setTimeout(() => child.kill('SIGKILL'), 60_000)
    child.stdout.setEncoding('utf8')
    child.stdout.on('data', (chunk: string) => {
      buffered += chunk
      let nl: number
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl)
        buffered = buffered.slice(nl + 1)
        if (line === 'ready') timer ??= setTimeout(() => child.kill('SIGKILL'), afterMs)
        else acked.push(line)
      }
    })
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearTimeout(guard)
      if (timer) clearTimeout(timer)
      resolve({ acked, signal, code, stderr })
    })
  })
}

describe('kill -9 during writes', () => {
  it(`${TRIALS} kills: the file stays intact and keeps every acknowledged write`, async () => {
    const rng = new Rng(SEED)
    const expectedNames = new Map<string, number>() // id → the last acknowledged version (0: as created)
    let total = 0
    for (let t = 0; t < TRIALS; t++) {
      const afterMs = rng.int(20, 900)
      const trial = await runAndKill(afterMs, rng.int(1, 2 ** 30))
      expect(trial.signal, `trial ${t}: the writer ended on its own (${trial.code}): ${trial.stderr.slice(0, 2000)}`).toBe('SIGKILL')
      for (const line of trial.acked) {
        const [kind, a, b] = line.split(' ')
        if (kind === 'new') expectedNames.set(b!, 0)
        else if (kind === 'rename') expectedNames.set(a!, Number(b))
        else throw new Error(`unexpected line ${line}`)
      }
      total += trial.acked.length

      const ws = await Workspace.open(path, { deviceId: 'crash-test-reader' })
      try {
        expect(ws.db.pragma('integrity_check', { simple: true }), `seed ${SEED}, trial ${t}`).toBe('ok')
        expect(ws.db.pragma('foreign_key_check')).toEqual([])
        const rows = new Map(
          (ws.db.prepare('SELECT id, name FROM supplier').all() as { id: string; name: string }[]).map((r) => [r.id, r.name])
        )
        for (const [id, version] of expectedNames) {
          const name = rows.get(id)
          expect(name, `seed ${SEED}, trial ${t}: acknowledged cooperative ${id} is lost`).toBeDefined()
          const stored = /v(\d+)$/.exec(name ?? '')
          // A rename acknowledged is there, or a later one that committed before the kill.
          expect(stored ? Number(stored[1]) : 0, `seed ${SEED}, trial ${t}: ${id} lost a rename`).toBeGreaterThanOrEqual(version)
        }
        // The change log holds a row for every write it answered.
        expect(ws.db.prepare(`SELECT count(*) FROM change_log`).pluck().get() as number).toBeGreaterThanOrEqual(expectedNames.size)
      } finally {
        ws.close()
      }
    }
    console.log(`[crash] seed ${SEED}: ${TRIALS} kills, ${total} acknowledged writes, all kept`)
    expect(total).toBeGreaterThan(TRIALS)
  }, 240_000)
})
