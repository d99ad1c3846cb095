/**
 * `npm run web`: Puente in the browser. Builds if needed, opens the given or the demo workspace, serves
 * the UI and the API on 127.0.0.1 and prints the address (with its session key) to open.
 *   --workspace FILE   open or create this workspace instead of the demo
 *   --port N           listen on this port (default: a free one)
 *   --host H           127.0.0.1 (default), ::1 or localhost; nothing else is allowed
 *   --no-build         serve out/renderer as it is
 */
import { parseArgs } from 'node:util'
import { join } from 'node:path'
import { defaultAppDataDir } from '../src/core/app/appdata.ts'
import { Session } from '../src/core/app/session.ts'
import { isLoopback, startHost } from '../src/host/server.ts'
import { AppError } from '../src/shared/errors.ts'
import en from '../src/shared/i18n/en.ts'
import { ensureBuilt, RENDERER_DIR, ROOT } from './ensure-build.ts'

const { values } = parseArgs({
  options: {
    workspace: { type: 'string' },
    port: { type: 'string' },
    host: { type: 'string', default: '127.0.0.1' },
    'no-build': { type: 'boolean', default: false }
  },
  allowPositionals: true
})

function explain(e: unknown): string {
  if (e instanceof AppError) {
    const text = (en.errors as Record<string, string>)[e.code] ?? e.code
    return text.replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(e.params[k] ?? ''))
  }
  return e instanceof Error ? e.message : String(e)
}

try {
  if (!isLoopback(values.host)) throw new Error(`Refusing to listen on ${values.host}: only 127.0.0.1, ::1 or localhost.`)
  const port = values.port === undefined ? 0 : Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`Not a port number: ${values.port}`)
  if (!values['no-build']) ensureBuilt()
  const session = new Session({ appDataDir: defaultAppDataDir(), resourcesDir: join(ROOT, 'resources') })
  if (values.workspace) await session.open(values.workspace, true)
  else await session.openDemo()
  const host = await startHost({ session, rendererDir: RENDERER_DIR, host: values.host, port })
  console.log(`Puente is running with ${session.workspace?.path}`)
  console.log(`Open this address in your browser: ${host.url}`)
  console.log('Press Ctrl+C to stop.')
  const stop = () => {
    void host.close().then(() => {
      session.close()
      process.exit(0)
    })
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
} catch (e) {
  console.error(`Puente could not start: ${explain(e)}`)
  process.exit(1)
}
