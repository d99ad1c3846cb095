/// <reference lib="dom" />
import { createReadStream, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { extname, join, normalize } from 'node:path'
import react from '@vitejs/plugin-react'
import { build } from 'vite'
import { ensureBuilt } from '../../scripts/ensure-build.ts'
import { startApp } from '../browser/app.ts'
import { launch } from '../browser/chromium.ts'
import { type Comparison, compare, ROOT } from './lib.ts'

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' }

/** Serves a folder on 127.0.0.1, for the baseline page. */
async function serve(dir: string): Promise<{ url: string; close: () => void }> {
  const server = createServer((req, res) => {
    const rel = req.url === '/' ? 'index.html' : (req.url ?? '').split('?')[0]!.replace(/^\/+/, '')
    const file = normalize(join(dir, rel))
    if (!file.startsWith(dir) || !existsSync(file)) {
      res.writeHead(404)
      return void res.end()
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' })
    createReadStream(file).pipe(res)
  })
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, close: () => server.close() }
}

/**
 * ui.first_paint: the app's first contentful paint in Chromium vs a blank Vite + React page, each pair
 * one load of either page in the same browser; the times are the paint times Chromium reports.
 */
export async function benchFirstPaint(): Promise<Comparison> {
  ensureBuilt(() => undefined)
  const blankOut = mkdtempSync(join(tmpdir(), 'puente-blank-'))
  // The baseline: the smallest Vite + React page that paints a heading. Written inside the project so
  // that react resolves from its node_modules.
  const blankRoot = join(ROOT, 'node_modules', '.cache', 'puente-bench-blank')
  mkdirSync(join(blankRoot, 'src'), { recursive: true })
  writeFileSync(
    join(blankRoot, 'index.html'),
    '<!doctype html><html lang="en"><head><meta charset="UTF-8" /><title>Blank</title></head>' +
      '<body><div id="root"></div><script type="module" src="./src/main.tsx"></script></body></html>'
  )
  writeFileSync(
    join(blankRoot, 'src', 'main.tsx'),
    "import { createRoot } from 'react-dom/client'\ncreateRoot(document.getElementById('root')!).render(<h1>Hello</h1>)\n"
  )
  await build({
    root: blankRoot,
    base: './',
    logLevel: 'silent',
    configFile: false,
    plugins: [react()],
    build: { outDir: blankOut, emptyOutDir: true }
  })
  const blank = await serve(blankOut)
  const app = await startApp()
  const browser = await launch()
  const fcp = async (url: string, ready: string): Promise<number> => {
    const page = await browser.newPage()
    await page.goto(url)
    await page.locator(ready).first().waitFor()
    const t = await page.evaluate(
      () =>
        new Promise<number>((ok) => {
          const find = () => performance.getEntriesByName('first-contentful-paint')[0]?.startTime
          const now = find()
          if (now !== undefined) return ok(now)
          new PerformanceObserver(() => {
            const v = find()
            if (v !== undefined) ok(v)
          }).observe({ type: 'paint', buffered: true })
        })
    )
    await page.close()
    return t
  }
  try {
    return await compare({
      pairs: 22,
      warm: 2,
      reported: true,
      ours: () => fcp(app.host.url, 'h1'),
      baseline: () => fcp(blank.url, 'h1')
    })
  } finally {
    await browser.close()
    await app.close()
    blank.close()
  }
}
