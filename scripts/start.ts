/**
 * `npm start`: the desktop app when the Electron binary is there (`electron-vite preview` builds and
 * runs it); otherwise one attempt to download it, and if that fails the same app in the browser
 * (`scripts/web.ts`). Arguments are passed on, e.g. `npm start -- --workspace=Einkauf.puente`.
 *
 * Never `require('electron')` here: with the binary missing, that starts a download of its own.
 */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const electronDir = join(root, 'node_modules', 'electron')
const INSTALL_TIMEOUT_MS = 60_000

/** Whether Electron's binary is installed: path.txt names it, and it exists under dist/. */
export function electronBinary(dir: string = electronDir): string | null {
  const pathFile = join(dir, 'path.txt')
  if (!existsSync(pathFile)) return null
  const relative = readFileSync(pathFile, 'utf8').trim()
  if (!relative) return null
  const binary = join(dir, 'dist', relative)
  return existsSync(binary) ? binary : null
}

/** One attempt at Electron's own download (it gives up after the timeout). */
function tryInstallElectron(): boolean {
  const install = join(electronDir, 'install.js')
  if (!existsSync(install)) return false
  console.log('The Electron binary is missing; trying to download it once …')
  const r = spawnSync(process.execPath, [install], { cwd: electronDir, stdio: 'inherit', timeout: INSTALL_TIMEOUT_MS })
  return r.status === 0 && electronBinary() !== null
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

function main(): void {
  const args = process.argv.slice(2)
  if (electronBinary() || tryInstallElectron()) {
    run(process.execPath, [electronViteCli(), 'preview', ...(args.length ? ['--', ...args] : [])])
    return
  }
  console.log(
    [
      '',
      'The Electron binary could not be downloaded on this machine, so the desktop window cannot open.',
      'Puente runs the same app in your browser instead: that is what `npm run web` does.',
      'Starting it now …',
      ''
    ].join('\n')
  )
  run(process.execPath, [join(root, 'scripts', 'web.ts'), ...args])
}

if (import.meta.main) main()
