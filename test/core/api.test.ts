import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { dispatch } from '../../src/core/api/dispatch.ts'
import type { Context } from '../../src/core/api/map.ts'
import { Workspace } from '../../src/core/db/workspace.ts'
import { Session } from '../../src/core/app/session.ts'
import type { ApiResponse, ErrorPayload } from '../../src/shared/errors.ts'
import type { AppEvent } from '../../src/shared/events.ts'

const RESOURCES = fileURLToPath(new URL('../../resources', import.meta.url))
const DEMO_NAME = 'Solidarische Importe e.V.'

/** The demo seed as a form would send it (read from the file, not through the code under test). */
function demoInput(): Record<string, unknown> {
  return JSON.parse(readFileSync(join(RESOURCES, 'demo', 'organisation.json'), 'utf8')) as Record<string, unknown>
}

/** The smallest thing the logo check accepts as a PNG: the signature and a few bytes. */
const PNG_DATA_URL = `data:image/png;base64,${Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('not-really-pixels')
]).toString('base64')}`

let appDataDir: string
let session: Session
let events: AppEvent[]
const sessions: Session[] = []

function newSession(): Session {
  const s = new Session({ appDataDir, resourcesDir: RESOURCES })
  sessions.push(s)
  return s
}

function ctx(s: Session = session): Context {
  return { session: s }
}

function failure(res: ApiResponse<unknown>): ErrorPayload & { params: Record<string, unknown> } {
  if (res.ok) throw new Error(`expected a failure, got ${JSON.stringify(res.result)}`)
  return { ...res.error, params: res.error.params ?? {} }
}

function success<T>(res: ApiResponse<unknown>): T {
  if (!res.ok) throw new Error(`expected success, got ${JSON.stringify(res.error)}`)
  return res.result as T
}

const orgRows = (s: Session = session) => s.requireWorkspace().db.prepare('SELECT * FROM organisation').all()
const totalChanges = (s: Session = session) =>
  (s.requireWorkspace().db.prepare('SELECT total_changes() AS n').get() as { n: number }).n

beforeEach(async () => {
  appDataDir = mkdtempSync(join(tmpdir(), 'puente-'))
  session = newSession()
  events = []
  session.on((e) => events.push(e))
  await session.openDemo()
  events.length = 0
})

afterEach(() => {
  for (const s of sessions.splice(0)) s.close()
  vi.restoreAllMocks()
  rmSync(appDataDir, { recursive: true, force: true })
})

describe('dispatch: routing and input checks', () => {
  it('the demo is open and seeded', async () => {
    const info = success<Record<string, unknown>>(await dispatch(ctx(), 'app.info', undefined))
    expect(info).toMatchObject({ isDemo: true, workspacePath: session.demoPath, canPickFiles: false })
    expect(session.demoPath).toBe(join(appDataDir, 'demo', 'Puente-Demo.puente'))
    const org = success<Record<string, unknown>>(await dispatch(ctx(), 'settings.get', undefined))
    expect(org).toMatchObject({
      name: DEMO_NAME,
      iban: 'DE89370400440532013000',
      vatId: 'DE123456788',
      country: 'DE'
    })
  })

  it('an unknown method is refused', async () => {
    const err = failure(await dispatch(ctx(), 'settings.dropEverything', {}))
    expect(err.code).toBe('api.unknown_method')
    expect(err.params).toMatchObject({ method: 'settings.dropEverything' })
    // Inherited object keys are not methods either.
    expect(failure(await dispatch(ctx(), 'toString', undefined)).code).toBe('api.unknown_method')
    expect(failure(await dispatch(ctx(), '__proto__', undefined)).code).toBe('api.unknown_method')
  })

  it('input that is not an object at all is a bad request', async () => {
    expect(failure(await dispatch(ctx(), 'settings.save', 'name=Evil')).code).toBe('api.bad_request')
  })

  it('invalid settings are refused with field codes and nothing changes', async () => {
    const rowsBefore = orgRows()
    const changesBefore = totalChanges()
    const res = await dispatch(ctx(), 'settings.save', {
      ...demoInput(),
      name: '   ',
      country: 'XX',
      iban: 'DE89370400440532013001',
      vatId: 'DE123456789',
      eori: 'DE12345',
      bic: 'COBADEFFXXX',
      email: 'koordination(at)example.org',
      defaultCurrency: 'GBP',
      defaultLanguage: 'fr'
    })
    const err = failure(res)
    expect(err.code).toBe('validation')
    expect(err.params.method).toBe('settings.save')
    expect(err.params.fields).toEqual({
      name: { code: 'required' },
      country: { code: 'country' },
      iban: { code: 'iban_checksum' },
      vatId: { code: 'vat_checksum' },
      eori: { code: 'eori_format' },
      email: { code: 'email' },
      defaultCurrency: { code: 'currency' },
      defaultLanguage: { code: 'language' }
    })
    expect(orgRows()).toEqual(rowsBefore)
    expect(orgRows()).toHaveLength(1)
    expect(totalChanges()).toBe(changesBefore)
    expect(events).toEqual([])
  })

  it('a too long name reports too_long with its maximum', async () => {
    const err = failure(await dispatch(ctx(), 'settings.save', { ...demoInput(), name: 'x'.repeat(201) }))
    expect(err.code).toBe('validation')
    expect(err.params.fields).toEqual({ name: { code: 'too_long', params: { max: 200 } } })
  })

  it('a mutation without an open workspace fails with workspace.none', async () => {
    const bare = newSession()
    const err = failure(await dispatch(ctx(bare), 'settings.save', demoInput()))
    expect(err.code).toBe('workspace.none')
    expect(failure(await dispatch(ctx(bare), 'settings.get', undefined)).code).toBe('workspace.none')
  })
})

describe('settings.save', () => {
  it('a valid save persists, emits changed, and survives closing and reopening', async () => {
    const res = await dispatch(ctx(), 'settings.save', {
      ...demoInput(),
      name: '  Kooperative Südwind  ',
      street: '',
      iban: 'de33 1002 0500 0001 1947 00',
      bic: 'bfsw de33 ber',
      vatId: 'de 136 695 976',
      smallBusiness: true,
      defaultLanguage: 'es',
      logo: PNG_DATA_URL
    })
    const saved = success<Record<string, unknown>>(res)
    expect(saved).toMatchObject({ name: 'Kooperative Südwind', iban: 'DE33100205000001194700' })
    expect(events).toEqual([{ type: 'changed', topics: ['settings'] }])

    const workspaceId = session.requireWorkspace().id
    session.close()

    const next = newSession()
    await next.openDemo()
    expect(next.requireWorkspace().id).toBe(workspaceId)
    const row = next.requireWorkspace().db.prepare('SELECT * FROM organisation').get() as Record<string, unknown>
    expect(row).toMatchObject({
      name: 'Kooperative Südwind',
      street: null,
      postal_code: '10245',
      iban: 'DE33100205000001194700',
      bic: 'BFSWDE33BER',
      vat_id: 'DE136695976',
      small_business: 1,
      default_language: 'es',
      logo_mime: 'image/png'
    })
    expect(next.requireWorkspace().db.prepare('SELECT count(*) AS n FROM organisation').get()).toEqual({ n: 1 })
    const org = success<Record<string, unknown>>(await dispatch(ctx(next), 'settings.get', undefined))
    expect(org).toMatchObject({ name: 'Kooperative Südwind', smallBusiness: true, logo: PNG_DATA_URL })
  })

  it('a mutation that throws after writing rolls everything back and emits nothing', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const db = session.requireWorkspace().db
    // The writer first updates the row, then logs the change: refuse only a change that sets the logo.
    db.exec(`CREATE TRIGGER refuse_logo BEFORE INSERT ON change_log WHEN NEW.tbl = 'organisation' AND json_type(NEW.rows, '$[0][1].logo') IS NOT NULL
             BEGIN SELECT RAISE(ABORT, 'logo refused by test trigger'); END`)
    const rowsBefore = orgRows()
    const changesBefore = totalChanges()
    const logBefore = db.prepare('SELECT count(*) FROM change_log').pluck().get()

    const err = failure(
      await dispatch(ctx(), 'settings.save', { ...demoInput(), name: 'Should Not Stay', city: 'Córdoba', logo: PNG_DATA_URL })
    )
    // The user reads an error id, never the database's words; those are in the error log under that id.
    expect(err).toEqual({ code: 'internal', params: { id: expect.stringMatching(/^[0-9a-f]{8}$/) } })
    expect(readFileSync(join(appDataDir, 'logs', 'puente.log'), 'utf8')).toContain(`error ${String(err.params.id)} in settings.save`)
    // The UPDATE did run (the connection counted its change) …
    expect(totalChanges()).toBeGreaterThan(changesBefore)
    // … and was rolled back with the rest, its messages in the change log too.
    expect(orgRows()).toEqual(rowsBefore)
    expect(db.prepare('SELECT count(*) FROM change_log').pluck().get()).toBe(logBefore)
    expect(db.inTransaction).toBe(false)
    expect(events).toEqual([])

    // The same save goes through once the trigger is gone.
    db.exec('DROP TRIGGER refuse_logo')
    success(await dispatch(ctx(), 'settings.save', { ...demoInput(), name: 'Now It Stays', logo: PNG_DATA_URL }))
    expect((db.prepare('SELECT name FROM organisation').get() as { name: string }).name).toBe('Now It Stays')
  })

  it('a mutation refused by the database on its first write changes nothing', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const db = session.requireWorkspace().db
    db.exec(`CREATE TRIGGER frozen BEFORE UPDATE ON organisation BEGIN SELECT RAISE(ABORT, 'x'); END`)
    const rowsBefore = orgRows()
    const err = failure(await dispatch(ctx(), 'settings.save', { ...demoInput(), name: 'Changed' }))
    expect(err.code).toBe('internal')
    expect(orgRows()).toEqual(rowsBefore)
    expect(events).toEqual([])
  })

  it('an absent logo keeps the stored one; null removes it', async () => {
    success(await dispatch(ctx(), 'settings.save', { ...demoInput(), logo: PNG_DATA_URL }))
    success(await dispatch(ctx(), 'settings.save', { ...demoInput(), name: 'Ohne Logo-Feld' }))
    expect(orgRows()[0]).toMatchObject({ name: 'Ohne Logo-Feld', logo_mime: 'image/png' })
    success(await dispatch(ctx(), 'settings.save', { ...demoInput(), logo: null }))
    expect(orgRows()[0]).toMatchObject({ logo: null, logo_mime: null })
  })

  it('queries emit no events', async () => {
    success(await dispatch(ctx(), 'settings.get', undefined))
    success(await dispatch(ctx(), 'workspace.recent', undefined))
    expect(events).toEqual([])
  })
})

describe('prefs.setLanguage', () => {
  it('persists across a new Session on the same app data folder and refuses fr', async () => {
    expect(success(await dispatch(ctx(), 'prefs.get', undefined))).toEqual({ language: null })
    expect(success(await dispatch(ctx(), 'prefs.setLanguage', { language: 'es' }))).toEqual({ language: 'es' })
    expect(events).toEqual([{ type: 'language', language: 'es' }])

    const stored = JSON.parse(readFileSync(join(appDataDir, 'puente-state.json'), 'utf8')) as { language: unknown }
    expect(stored.language).toBe('es')

    const next = newSession()
    expect(success(await dispatch(ctx(next), 'prefs.get', undefined))).toEqual({ language: 'es' })

    const err = failure(await dispatch(ctx(next), 'prefs.setLanguage', { language: 'fr' }))
    expect(err.code).toBe('validation')
    expect(err.params.fields).toEqual({ language: { code: 'language' } })
    expect(success(await dispatch(ctx(next), 'prefs.get', undefined))).toEqual({ language: 'es' })
    expect(newSession().appData.language).toBe('es')
  })
})

describe('workspace methods', () => {
  it('workspace.openRecent refuses a path that is not on the recent list', async () => {
    const elsewhere = join(appDataDir, 'elsewhere', 'Fremd.puente')
    ;(await Workspace.open(elsewhere, { create: true, deviceId: 'someone-else' })).close()
    const recentBefore = success<unknown[]>(await dispatch(ctx(), 'workspace.recent', undefined))

    const err = failure(await dispatch(ctx(), 'workspace.openRecent', { path: elsewhere }))
    expect(err.code).toBe('workspace.not_found')
    expect(session.requireWorkspace().path).toBe(session.demoPath)
    expect(success(await dispatch(ctx(), 'workspace.recent', undefined))).toEqual(recentBefore)
    expect(events).toEqual([])
  })

  it('workspace.openRecent opens a listed workspace, and forgets one whose file is gone', async () => {
    const other = join(appDataDir, 'work', 'Zweiter.puente')
    await session.open(other, true)
    await session.openDemo()
    const listed = success<{ path: string }[]>(await dispatch(ctx(), 'workspace.recent', undefined)).map((r) => r.path)
    expect(listed).toEqual([session.demoPath, other])

    expect(success(await dispatch(ctx(), 'workspace.openRecent', { path: other }))).toEqual({ opened: true })
    expect(session.requireWorkspace().path).toBe(other)

    await session.openDemo()
    rmSync(other)
    expect(failure(await dispatch(ctx(), 'workspace.openRecent', { path: other })).code).toBe('workspace.not_found')
    const after = success<{ path: string }[]>(await dispatch(ctx(), 'workspace.recent', undefined)).map((r) => r.path)
    expect(after).toEqual([session.demoPath])
  })

  it('workspace.open and workspace.create need a file picker', async () => {
    expect(failure(await dispatch(ctx(), 'workspace.open', undefined)).code).toBe('shell.unsupported')
    expect(failure(await dispatch(ctx(), 'workspace.create', undefined)).code).toBe('shell.unsupported')
    expect(session.requireWorkspace().path).toBe(session.demoPath)
  })

  it('workspace.create with a picker creates and opens the chosen file; a cancelled pick opens nothing', async () => {
    const target = join(appDataDir, 'picked', 'Neu.puente')
    const picking: Context = { session, pickFile: async (purpose) => (purpose === 'create' ? target : null) }
    expect(success(await dispatch(picking, 'workspace.open', undefined))).toEqual({ opened: false })
    expect(session.requireWorkspace().path).toBe(session.demoPath)
    expect(success(await dispatch(picking, 'workspace.create', undefined))).toEqual({ opened: true })
    expect(session.requireWorkspace().path).toBe(target)
    expect(existsSync(target)).toBe(true)
    expect(events).toContainEqual({ type: 'workspace', path: target })
  })

  it('demo.recreate discards a change made to the demo', async () => {
    success(await dispatch(ctx(), 'settings.save', { ...demoInput(), name: 'Geänderte Demo' }))
    const oldId = session.requireWorkspace().id
    expect((orgRows()[0] as { name: string }).name).toBe('Geänderte Demo')

    const res = success<{ path: string }>(await dispatch(ctx(), 'demo.recreate', undefined))
    expect(res.path).toBe(session.demoPath)
    expect(session.requireWorkspace().id).not.toBe(oldId)
    const org = success<Record<string, unknown>>(await dispatch(ctx(), 'settings.get', undefined))
    expect(org.name).toBe(DEMO_NAME)
    expect(orgRows()).toHaveLength(1)
  })

  it('workspace.backup writes a file that opens as a copy of the workspace', async () => {
    success(await dispatch(ctx(), 'settings.save', { ...demoInput(), name: 'Vor der Sicherung' }))
    const { path } = success<{ path: string }>(await dispatch(ctx(), 'workspace.backup', undefined))
    expect(dirname(path)).toBe(join(appDataDir, 'demo', 'backups'))
    expect(path).toMatch(/Puente-Demo-\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2}-\d{3}-manual-[0-9a-f]{6}\.puente$/)
    expect(statSync(path).size).toBeGreaterThan(0)

    const copy = new Database(path, { readonly: true, fileMustExist: true })
    try {
      expect(copy.prepare('SELECT name FROM organisation').all()).toEqual([{ name: 'Vor der Sicherung' }])
      expect(copy.prepare('SELECT id FROM workspace').get()).toEqual({ id: session.requireWorkspace().id })
    } finally {
      copy.close()
    }
  })
})
