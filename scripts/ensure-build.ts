import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = fileURLToPath(new URL('..', import.meta.url))
export const RENDERER_DIR = join(ROOT, 'out', 'renderer')

function newest(dir: string): number {
  let t = 0
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name)
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs)
  }
  return t
}

/** Builds the app with electron-vite when out/ is missing or older than the sources. */
export function ensureBuilt(log: (s: string) => void = console.log): void {
  const index = join(RENDERER_DIR, 'index.html')
  const sources = Math.max(newest(join(ROOT, 'src')), statSync(join(ROOT, 'electron.vite.config.ts')).mtimeMs)
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return
  log('Building Puente (electron-vite build)…')
  const bin = join(ROOT, 'node_modules', '.bin', process.platform === 'win32' ? 'electron-vite.cmd' : 'electron-vite')
  const r = spawnSync(bin, ['build'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'], shell: process.platform === 'win32' })
  if (r.status !== 0) throw new Error(`electron-vite build failed (exit ${r.status})`)
}
