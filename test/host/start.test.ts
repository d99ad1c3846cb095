import { type ChildProcess, spawn } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { FAILURE_FILE, failureLine, networkReason, plan, readFailure, recordFailure } from '../../scripts/start.ts'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const REAL_ELECTRON = join(ROOT, 'node_modules', 'electron')

/**
 * A copy of the electron package without its binary: its real installer runs, with @electron/get found
 * through NODE_PATH, and can never write into node_modules.
 */
function electronCopy(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'puente-electron-')), 'electron')
  mkdirSync(dir)
  for (const f of ['install.js', 'package.json', 'checksums.json']) copyFileSync(join(REAL_ELECTRON, f), join(dir, f))
  return dir
}

/** A local port nobody listens on (a port that was free a moment ago): connections are refused at once. */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
  const port = (server.address() as { port: number }).port
  await new Promise((ok) => server.close(ok))
  return port
}

interface Run {
  child: ChildProcess
  out: string
  code: number | null
}

/**
 * `node scripts/start.ts` as `npm start` runs it, offline: downloads go to a closed port. Resolves once
 * the browser host prints its address (or the script ends); never waits longer than 40 s.
 */
function start(home: string, electron: string, port: number, args: string[] = []): Promise<Run> {
  const child = spawn(process.execPath, [join(ROOT, 'scripts', 'start.ts'), ...args, '--no-build'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PUENTE_HOME: home,
      PUENTE_ELECTRON_DIR: electron,
      NODE_PATH: join(ROOT, 'node_modules'),
      ELECTRON_MIRROR: `http://127.0.0.1:${port}/`,
      electron_config_cache: join(home, 'electron-cache')
    },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let out = ''
  return new Promise((ok) => {
    const timer = setTimeout(() => ok({ child, out: out + '\n(timed out)', code: null }), 40_000)
    const onData = (d: Buffer) => {
      out += d.toString()
      if (/http:\/\/\S+#token=\S+/.test(out)) {
        clearTimeout(timer)
        ok({ child, out, code: null })
      }
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    child.on('exit', (code) => {
      clearTimeout(timer)
      ok({ child, out, code })
    })
  })
}

describe('npm start without internet', () => {
  const children: ChildProcess[] = []
  const dirs: string[] = []
  afterEach(() => {
    for (const c of children) c.kill('SIGTERM')
    children.length = 0
    for (const d of dirs) rmSync(d, { recursive: true, force: true })
    dirs.length = 0
  })

  it('says in one line that Electron could not be fetched and why, opens the browser host, and does not try again next time', async () => {
    const home = mkdtempSync(join(tmpdir(), 'puente-start-'))
    const electron = electronCopy()
    dirs.push(home, join(electron, '..'))
    const port = await closedPort()
    const refused = `127.0.0.1:${port} refused the connection`

    const first = await start(home, electron, port)
    children.push(first.child)
    expect(first.out, first.out).toMatch(/http:\/\/127\.0\.0\.1:\d+\/#token=/)
    const firstLines = first.out.split('\n').filter((l) => l.includes('Electron could not be fetched'))
    expect(firstLines).toEqual([
      `Electron could not be fetched (${refused}), so Puente opens in your browser instead; \`npm start -- --retry-electron\` tries the download again.`
    ])
    expect(first.out).toContain('trying to download it once')
    const remembered = JSON.parse(readFileSync(join(home, FAILURE_FILE), 'utf8')) as { reason: string; date: string; electronVersion: string }
    expect(remembered.reason).toBe(refused)
    expect(remembered.electronVersion).toBe((JSON.parse(readFileSync(join(REAL_ELECTRON, 'package.json'), 'utf8')) as { version: string }).version)
    first.child.kill('SIGTERM')

    // The second start does not try the download again: it says why at once, with the date.
    const second = await start(home, electron, port)
    children.push(second.child)
    expect(second.out, second.out).toMatch(/http:\/\/127\.0\.0\.1:\d+\/#token=/)
    expect(second.out).not.toContain('trying to download')
    const today = remembered.date.slice(0, 10)
    expect(second.out.split('\n').filter((l) => l.includes('Electron could not be fetched'))).toEqual([
      `Electron could not be fetched on ${today} (${refused}), so Puente opens in your browser instead; \`npm start -- --retry-electron\` tries the download again.`
    ])
    second.child.kill('SIGTERM')

    // --retry-electron tries again (and is not passed on to the browser host, which would refuse it).
    const third = await start(home, electron, port, ['--retry-electron'])
    children.push(third.child)
    expect(third.out, third.out).toContain('trying to download it once more')
    expect(third.out).toMatch(/http:\/\/127\.0\.0\.1:\d+\/#token=/)
    expect(existsSync(join(electron, 'dist'))).toBe(false)
  }, 60_000)

  it('decides: the binary runs, a remembered failure opens the browser, a retry or a new version downloads', () => {
    const failure = { date: '2026-12-01T10:00:00.000Z', reason: 'no internet connection: github.com could not be looked up', electronVersion: '45.4.1' }
    expect(plan({ binary: true, failure, retry: false })).toBe('electron')
    expect(plan({ binary: false, failure: null, retry: false })).toBe('download')
    expect(plan({ binary: false, failure, retry: false })).toBe('browser')
    expect(plan({ binary: false, failure, retry: true })).toBe('download')

    const home = mkdtempSync(join(tmpdir(), 'puente-start-'))
    dirs.push(home)
    expect(readFailure(home, '45.4.1')).toBeNull()
    recordFailure(home, failure)
    expect(readFailure(home, '45.4.1')).toEqual(failure)
    expect(readFailure(home, '46.0.0')).toBeNull()
    expect(failureLine(failure, true)).toBe(
      'Electron could not be fetched on 2026-12-01 (no internet connection: github.com could not be looked up), so Puente opens in your browser instead; `npm start -- --retry-electron` tries the download again.'
    )
  })

  it('names the network problem', () => {
    const failed = (code: string) => Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error(code), { code }) })
    expect(networkReason('github.com', failed('ENOTFOUND'))).toBe('no internet connection: github.com could not be looked up')
    expect(networkReason('github.com', failed('EAI_AGAIN'))).toBe('no internet connection: github.com could not be looked up')
    expect(networkReason('github.com', failed('ETIMEDOUT'))).toBe('github.com did not answer')
    expect(networkReason('github.com', Object.assign(new Error('timeout'), { name: 'TimeoutError' }))).toBe('github.com did not answer')
  })
})
