/**
 * `npm start`: the desktop app when the Electron binary is there (`electron-vite preview` builds and
 * runs it); otherwise one attempt to download it, and if that fails the same app in the browser
 * (`scripts/web.ts`). Arguments are passed on, e.g. `npm start -- --workspace=Einkauf.puente`.
 *
 * A failed download is remembered in the per-user folder (`electron-download.json` in $PUENTE_HOME or
 * ~/.config/Puente), with its reason and date, so later starts go straight to the browser and say why
 * in one line; `npm start -- --retry-electron` tries the download again. A new Electron version (after
 * `npm install`) is tried once on its own.
 *
 * Never `require('electron')` here: with the binary missing, that starts a download of its own.
 * PUENTE_ELECTRON_DIR names another Electron package folder (the tests use a copy, so the real one is
 * never touched).
 */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { defaultAppDataDir } from '../src/core/app/appdata.ts'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const INSTALL_TIMEOUT_MS = 60_000
const PROBE_TIMEOUT_MS = 8_000
export const RETRY_FLAG = '--retry-electron'
export const FAILURE_FILE = 'electron-download.json'
const DEFAULT_MIRROR = 'https://github.com/electron/electron/releases/download/'

export function electronDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.PUENTE_ELECTRON_DIR ? resolve(env.PUENTE_ELECTRON_DIR) : join(root, 'node_modules', 'electron')
}

/** Whether Electron's binary is installed: path.txt names it, and it exists under dist/. */
export function electronBinary(dir: string = electronDir()): string | null {
  const pathFile = join(dir, 'path.txt')
  if (!existsSync(pathFile)) return null
  const relative = readFileSync(pathFile, 'utf8').trim()
  if (!relative) return null
  const binary = join(dir, 'dist', relative)
  return existsSync(binary) ? binary : null
}

export function electronVersion(dir: string = electronDir()): string {
  try {
    return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version?: string }).version ?? ''
  } catch {
    return ''
  }
}

/** A download that failed: when, why, and for which Electron version. */
export interface DownloadFailure {
  date: string
  reason: string
  electronVersion: string
}

/** The remembered failure for this Electron version, or null (none, unreadable, or another version). */
export function readFailure(home: string, version: string): DownloadFailure | null {
  try {
    const f = JSON.parse(readFileSync(join(home, FAILURE_FILE), 'utf8')) as Partial<DownloadFailure>
    if (typeof f.date !== 'string' || typeof f.reason !== 'string' || f.electronVersion !== version) return null
    return { date: f.date, reason: f.reason, electronVersion: version }
  } catch {
    return null
  }
}

export function recordFailure(home: string, failure: DownloadFailure): void {
  mkdirSync(home, { recursive: true })
  writeFileSync(join(home, FAILURE_FILE), JSON.stringify(failure, null, 2) + '\n')
}

export function clearFailure(home: string): void {
  rmSync(join(home, FAILURE_FILE), { force: true })
}

export type Plan = 'electron' | 'download' | 'browser'

/** The binary is there: run it. Else download, unless a failure is remembered and no retry was asked for. */
export function plan(state: { binary: boolean; failure: DownloadFailure | null; retry: boolean }): Plan {
  if (state.binary) return 'electron'
  if (state.failure && !state.retry) return 'browser'
  return 'download'
}

/** The one line `npm start` prints before opening the browser instead. */
export function failureLine(failure: DownloadFailure, remembered: boolean): string {
  const when = remembered ? ` on ${failure.date.slice(0, 10)}` : ''
  return `Electron could not be fetched${when} (${failure.reason}), so Puente opens in your browser instead; \`npm start -- ${RETRY_FLAG}\` tries the download again.`
}

/** Where @electron/get downloads from (its own order of settings). */
export function mirrorOf(env: NodeJS.ProcessEnv): string {
  return env.ELECTRON_MIRROR || env.npm_config_electron_mirror || env.NPM_CONFIG_ELECTRON_MIRROR || env.electron_mirror || DEFAULT_MIRROR
}

/** Why a server cannot be reached, in words: the error's cause code, else its message. */
export function networkReason(host: string, error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause
  const code = cause?.code ?? (error as { code?: string })?.code ?? (error as { name?: string })?.name
  switch (code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `no internet connection: ${host} could not be looked up`
    case 'ECONNREFUSED':
      return `${host} refused the connection`
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'TimeoutError':
    case 'AbortError':
      return `${host} did not answer`
    case 'ENETUNREACH':
    case 'EHOSTUNREACH':
      return `no network route to ${host}`
    case 'ECONNRESET':
      return `the connection to ${host} was cut off`
    default:
      return cause?.message ?? (error instanceof Error ? error.message : String(error))
  }
}

/** Whether the download server answers at all; the reason when it does not. */
async function probe(mirror: string): Promise<string | null> {
  let url: URL
  try {
    url = new URL(mirror)
  } catch {
    return `the download address ${mirror} is not valid`
  }
  try {
    await fetch(url.origin, { method: 'HEAD', redirect: 'manual', signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) })
    return null
  } catch (e) {
    return networkReason(url.host, e)
  }
}

/** The last line of the installer's output that says what went wrong. */
function installerReason(output: string): string | null {
  const lines = output.split('\n').map((l) => l.trim()).filter(Boolean)
  const line = lines.filter((l) => !l.startsWith('at ')).at(-1)
  // A mirror address may carry a user and password (https://user:pass@host/): never print or keep them.
  return line ? line.replace(/\/\/[^/@\s]+@/g, '//').slice(0, 200) : null
}

/** One attempt at Electron's own download (it gives up after the timeout); the reason when it fails. */
export async function tryInstallElectron(dir: string, env: NodeJS.ProcessEnv = process.env): Promise<string | null> {
  const install = join(dir, 'install.js')
  if (!existsSync(install)) return 'the electron package is not installed (run npm install)'
  const r = spawnSync(process.execPath, [install], { cwd: dir, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: INSTALL_TIMEOUT_MS })
  if (r.status === 0 && electronBinary(dir) !== null) return null
  const timedOut = r.error && (r.error as { code?: string }).code === 'ETIMEDOUT'
  // The installer says little ("fetch failed"): asking the server once more names the cause.
  const unreachable = await probe(mirrorOf(env))
  if (unreachable) return unreachable
  if (timedOut) return `the download took longer than ${INSTALL_TIMEOUT_MS / 1000} s`
  return installerReason(`${r.stdout ?? ''}\n${r.stderr ?? ''}`) ?? `the installer ended with code ${r.status}`
}

/** Runs a child with this terminal and ends with its exit code. */
function run(command: string, args: string[]): void {
  const child = spawn(command, args, { cwd: root, stdio: 'inherit' })
  // Ctrl+C reaches the child too (same terminal); wait for it to finish rather than dying first.
  const ignore = () => {}
  process.on('SIGINT', ignore)
  process.on('SIGTERM', () => child.kill('SIGTERM'))
  child.on('error', (e) => {
    console.error(`Could not start ${command}: ${e.message}`)
    process.exit(1)
  })
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
}

/** electron-vite's own command-line script, run with this Node (the system one may be too old). */
function electronViteCli(): string {
  const pkg = JSON.parse(readFileSync(join(root, 'node_modules', 'electron-vite', 'package.json'), 'utf8')) as {
    bin?: string | Record<string, string>
  }
  const bin = typeof pkg.bin === 'string' ? pkg.bin : (pkg.bin?.['electron-vite'] ?? 'bin/electron-vite.js')
  return join(root, 'node_modules', 'electron-vite', bin)
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2)
  const retry = argv.includes(RETRY_FLAG)
  const args = argv.filter((a) => a !== RETRY_FLAG)
  const home = defaultAppDataDir()
  const dir = electronDir()
  const version = electronVersion(dir)
  let failure = readFailure(home, version)
  const next = plan({ binary: electronBinary(dir) !== null, failure, retry })
  const desktop = () => run(process.execPath, [electronViteCli(), 'preview', ...(args.length ? ['--', ...args] : [])])

  if (next === 'electron') return desktop()
  if (next === 'download') {
    console.log(`The Electron binary is missing; trying to download it once${retry ? ' more' : ''} …`)
    const reason = await tryInstallElectron(dir)
    if (reason === null) {
      clearFailure(home)
      return desktop()
    }
    failure = { date: new Date().toISOString(), reason, electronVersion: version }
    recordFailure(home, failure)
    console.log(failureLine(failure, false))
  } else console.log(failureLine(failure!, true))
  run(process.execPath, [join(root, 'scripts', 'web.ts'), ...args])
}

if (import.meta.main) await main()
