import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

/** Starts `node scripts/web.ts` as `npm run web` does and waits for the printed address (or the exit). */
function startWeb(args: string[], home: string): Promise<{ child: ChildProcess; out: string; code: number | null }> {
  const child = spawn(process.execPath, [join(ROOT, 'scripts', 'web.ts'), '--no-build', ...args], {
    cwd: ROOT,
    env: { ...process.env, PUENTE_HOME: home },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let out = ''
  return new Promise((ok) => {
    const onData = (d: Buffer) => {
      out += d.toString()
      if (/http:\/\/\S+#token=\S+/.test(out)) ok({ child, out, code: null })
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    child.on('exit', (code) => ok({ child, out, code }))
  })
}

describe('npm run web', () => {
  const children: ChildProcess[] = []
  afterEach(() => {
    for (const c of children) c.kill('SIGTERM')
    children.length = 0
  })

  it('opens the given workspace, listens on loopback and prints the address with its token', async () => {
    const home = mkdtempSync(join(tmpdir(), 'puente-web-'))
    const workspace = join(home, 'mine.puente')
    const r = await startWeb(['--workspace', workspace], home)
    children.push(r.child)
    const url = /(http:\/\/127\.0\.0\.1:(\d+)\/#token=([\w-]+))/.exec(r.out)
    expect(url, r.out).not.toBeNull()
    expect(r.out).toContain(workspace)
    const [, , port, token] = url!
    const res = await fetch(`http://127.0.0.1:${port}/api/app.info`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-puente-token': token! },
      body: '{}'
    })
    const body = (await res.json()) as { ok: boolean; result: { workspacePath: string } }
    expect(body.ok).toBe(true)
    expect(body.result.workspacePath).toBe(workspace)
  })

  it('refuses to listen on anything but loopback, and says why', async () => {
    const home = mkdtempSync(join(tmpdir(), 'puente-web-'))
    const r = await startWeb(['--host', '0.0.0.0'], home)
    expect(r.code).toBe(1)
    expect(r.out).toContain('only 127.0.0.1')
  })

  it('refuses a file that is not a workspace with a readable reason', async () => {
    const home = mkdtempSync(join(tmpdir(), 'puente-web-'))
    mkdirSync(home, { recursive: true })
    const file = join(home, 'text.puente')
    writeFileSync(file, 'this is not a database, just some text that is long enough to have a header....................')
    const r = await startWeb(['--workspace', file], home)
    expect(r.code).toBe(1)
    expect(r.out).toContain('not a Puente workspace')
  })
})
