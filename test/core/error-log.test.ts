import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { dispatch } from '../../src/core/api/dispatch.ts'
import { LOG_KEEP, LOG_MAX_BYTES } from '../../src/core/app/log.ts'
import type { Session } from '../../src/core/app/session.ts'
import { MAX_UPLOAD_BYTES } from '../../src/shared/errors.ts'
import { api } from '../support/api.ts'
import { frozenEnv } from '../support/env.ts'
import { type TempSession, tempSession } from '../support/workspace.ts'

let temp: TempSession
let session: Session
const { call } = api(() => session)

beforeEach(async () => {
  temp = tempSession({ prefix: 'puente-errlog-', env: frozenEnv('2026-03-04T05:06:07.089Z') })
  session = temp.session
  await session.openDemo()
  vi.spyOn(console, 'error').mockImplementation(() => undefined)
})

afterEach(() => {
  vi.restoreAllMocks()
  temp.dispose()
})

const logDir = () => join(temp.appDataDir, 'logs')
const logFile = (n = 0) => join(logDir(), n ? `puente.log.${n}` : 'puente.log')
const mode = (path: string) => statSync(path).mode & 0o777

/** A supplier as a form sends it, with the private details the log must never hold. */
const IBAN = 'DE89370400440532013000'
const EMAIL = 'tesoreria@cooperativa-ejemplo.org.ar'
const supplier = () => ({
  name: 'Cooperativa de Prueba',
  country: 'AR',
  iban: IBAN,
  contacts: [{ name: 'Ana Torres', email: EMAIL }]
})

/** Makes saving a supplier fail inside its transaction, as an unexpected fault would (the database's words). */
function breakSupplierSaves(): void {
  session
    .requireWorkspace()
    .db.exec(`CREATE TRIGGER test_fault BEFORE INSERT ON supplier BEGIN SELECT RAISE(ABORT, 'no such column: supplier.secret_test_fault'); END`)
}

async function internalError(): Promise<string> {
  const r = await dispatch({ session }, 'suppliers.save', supplier())
  if (r.ok) throw new Error('the save should have failed')
  expect(r.error.code).toBe('internal')
  // Only the id reaches the user: no SQL, no stack.
  expect(Object.keys(r.error.params ?? {})).toEqual(['id'])
  const id = String(r.error.params?.id)
  expect(id).toMatch(/^[0-9a-f]{8}$/)
  return id
}

describe('internal errors', () => {
  it('give the user an error id; the log holds that id with the time, the method, the message and the stack, never the input', async () => {
    breakSupplierSaves()
    const id = await internalError()
    const log = readFileSync(logFile(), 'utf8')
    expect(log).toContain(`[2026-03-04T05:06:07.089Z] error ${id} in suppliers.save`)
    expect(log).toContain('message: SqliteError: no such column: supplier.secret_test_fault')
    // The stack, indented under the message: where in the code it happened.
    expect(log).toMatch(/\nmessage: SqliteError: no such column[^\n]*\n {6}at Writer\./)
    expect(log).toMatch(/at saveSupplier \(.*src\/core\/catalogue\/suppliers\.ts:\d+:\d+\)/)
    // What was sent stays out: the IBAN, the contact, the supplier's name.
    expect(log).not.toContain(IBAN)
    expect(log).not.toContain(EMAIL)
    expect(log).not.toContain('Cooperativa de Prueba')
    // Nothing was written.
    expect(session.requireWorkspace().db.prepare("SELECT count(*) FROM supplier WHERE name = 'Cooperativa de Prueba'").pluck().get()).toBe(0)
  })

  it('logs to a file only its owner reads (0600) in a folder only its owner opens (0700)', async () => {
    breakSupplierSaves()
    await internalError()
    expect(mode(logFile())).toBe(0o600)
    expect(mode(logDir())).toBe(0o700)
  })

  it('two errors get two ids, both in the log, newest last', async () => {
    breakSupplierSaves()
    const a = await internalError()
    const b = await internalError()
    expect(a).not.toBe(b)
    const log = readFileSync(logFile(), 'utf8')
    expect(log.indexOf(`error ${a} `)).toBeGreaterThanOrEqual(0)
    expect(log.indexOf(`error ${b} `)).toBeGreaterThan(log.indexOf(`error ${a} `))
  })

  it('rotates the log at 1 MB and keeps 3 old files, each 0600', async () => {
    expect(LOG_MAX_BYTES).toBe(1024 * 1024)
    expect(LOG_KEEP).toBe(3)
    breakSupplierSaves()
    const first = await internalError()
    const ids = [first]
    // Five times: fill the current file to just under 1 MB, then one more error does not fit.
    for (let round = 1; round <= 5; round++) {
      const current = readFileSync(logFile(), 'utf8')
      writeFileSync(logFile(), current + `filler ${round}\n`.padEnd(LOG_MAX_BYTES - Buffer.byteLength(current) - 10, '.') + '\n')
      ids.push(await internalError())
      // The new entry starts a fresh file; the full one became puente.log.1.
      const now = readFileSync(logFile(), 'utf8')
      expect(now.startsWith(`[2026-03-04T05:06:07.089Z] error ${ids.at(-1)} in suppliers.save`)).toBe(true)
      expect(readFileSync(logFile(1), 'utf8')).toContain(`filler ${round}`)
      expect(statSync(logFile(1)).size).toBeLessThanOrEqual(LOG_MAX_BYTES)
    }
    // Three old files, the oldest ones dropped: .1 holds filler 5, .2 filler 4, .3 filler 3.
    expect([1, 2, 3].map((n) => /filler (\d)/.exec(readFileSync(logFile(n), 'utf8'))?.[1])).toEqual(['5', '4', '3'])
    expect(existsSync(logFile(4))).toBe(false)
    for (const n of [0, 1, 2, 3]) expect(mode(logFile(n))).toBe(0o600)
    // The first error's entry went with the dropped files.
    const all = [0, 1, 2, 3].map((n) => readFileSync(logFile(n), 'utf8')).join('')
    expect(all).not.toContain(first)
    expect(all).toContain(ids.at(-1))
  })

  it('app.log shows the newest entries, app.logFile gives the whole log as a text file', async () => {
    expect(await call('app.log')).toEqual({ text: '', truncated: false, path: logFile() })
    breakSupplierSaves()
    const id = await internalError()
    expect((await call('app.log')).text).toContain(`error ${id} in suppliers.save`)
    const file = await call('app.logFile')
    expect(file).toMatchObject({ fileName: 'puente-log-2026-03-04.txt', mime: 'text/plain;charset=utf-8' })
    expect(Buffer.from(file.dataBase64, 'base64').toString('utf8')).toBe(readFileSync(logFile(), 'utf8'))
  })

  it('app.log stops at 64 KB of the newest entries, cut where an entry starts', async () => {
    breakSupplierSaves()
    const ids: string[] = []
    for (let i = 0; i < 3; i++) ids.push(await internalError())
    const entry = readFileSync(logFile(), 'utf8').length / 3
    writeFileSync(logFile(), `${'x'.repeat(70 * 1024)}\n${readFileSync(logFile(), 'utf8')}`)
    const shown = await call('app.log')
    expect(shown.truncated).toBe(true)
    expect(shown.text.startsWith(`[2026-03-04T05:06:07.089Z] error ${ids[0]}`)).toBe(true)
    expect(shown.text.length).toBeLessThan(3 * entry + 10)
  })
})

describe('a file above the upload limit, outside the browser host (Electron)', () => {
  it('refuses the whole call with api.too_large naming the limit in MB, as the host does', async () => {
    const supplierId = session.requireWorkspace().db.prepare("SELECT id FROM supplier WHERE code = 'CT'").pluck().get() as string
    const r = await dispatch({ session }, 'catalogue.importPreview', { supplierId, fileName: 'gross.csv', data: new Uint8Array(MAX_UPLOAD_BYTES + 1) })
    expect(r).toEqual({ ok: false, error: { code: 'api.too_large', params: { maxMb: 16 } } })
    // Nothing unexpected happened: no log.
    expect(existsSync(logFile())).toBe(false)
  })
})
