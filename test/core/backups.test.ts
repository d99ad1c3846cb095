import { copyFileSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Env } from '../../src/core/common/env.ts'
import { backupProblem, listBackups, rowCounts } from '../../src/core/db/backups.ts'
import type { Input } from '../../src/shared/api.ts'
import type { AppEvent } from '../../src/shared/events.ts'
import { api } from '../support/api.ts'
import { fixedIds } from '../support/env.ts'
import { type TempSession, tempSession } from '../support/workspace.ts'

/** A clock the test moves by hand (the core's injectable Env), with fixed ids. */
function movableClock(iso: string): { env: Env; set(iso: string): void } {
  let now = Date.parse(iso)
  return { env: { now: () => new Date(now), uuid: fixedIds() }, set: (next) => (now = Date.parse(next)) }
}

/** Opens a file with plain better-sqlite3, read-only, to look at what is really on disk. */
function look<T>(path: string, fn: (db: Database.Database) => T): T {
  const db = new Database(path, { readonly: true, fileMustExist: true })
  try {
    return fn(db)
  } finally {
    db.close()
  }
}

const orgName = (path: string) => look(path, (db) => db.prepare('SELECT name FROM organisation').pluck().get() as string | undefined)

let temp: TempSession
let clock: ReturnType<typeof movableClock>
const { call, fail } = api(() => temp.session)
const backupsOf = () => listBackups(temp.session.requireWorkspace().path)
const folder = () => join(temp.dir, 'backups')

beforeEach(() => {
  clock = movableClock('2026-03-02T08:00:00.000Z')
  temp = tempSession({ prefix: 'puente-backups-', env: clock.env })
})
afterEach(() => temp.dispose())

describe('the backup on open', () => {
  it('is taken when an existing workspace is opened, at most once a (UTC) day; a new file gets none', async () => {
    const ws = await temp.create('verein.puente')
    const path = ws.path
    expect(existsSync(folder())).toBe(false)

    clock.set('2026-03-02T09:15:00.123Z')
    await temp.session.open(path)
    expect(backupsOf().map((b) => [b.takenAt, b.reason, b.verified])).toEqual([['2026-03-02T09:15:00.123Z', 'open', true]])
    expect(backupsOf()[0]!.file).toMatch(/^verein-2026-03-02_09-15-00-123-open-[0-9a-f]{6}\.puente$/)

    clock.set('2026-03-02T23:59:59.999Z')
    await temp.session.open(path)
    expect(backupsOf()).toHaveLength(1)

    clock.set('2026-03-03T00:00:00.000Z')
    await temp.session.open(path)
    expect(backupsOf().map((b) => b.takenAt)).toEqual(['2026-03-03T00:00:00.000Z', '2026-03-02T09:15:00.123Z'])
    // Each is a copy of this workspace, private like the workspace.
    for (const b of backupsOf()) {
      const file = join(folder(), b.file)
      expect(look(file, (db) => db.prepare('SELECT id FROM workspace').pluck().get())).toBe(temp.session.requireWorkspace().id)
      expect(statSync(file).mode & 0o777).toBe(0o600)
      expect(b.size).toBe(statSync(file).size)
    }
    expect(statSync(folder()).mode & 0o777).toBe(0o700)
    // Nothing but the backups is left in the folder (no temporary files).
    expect(readdirSync(folder()).sort()).toEqual(backupsOf().map((b) => b.file).sort())
  })
})

describe('the backup before a bulk operation', () => {
  beforeEach(async () => {
    await temp.session.openDemo()
  })

  it('a price-list import: a verified backup holding the state before the import (no second copy of an unchanged state)', async () => {
    const before = backupsOf()
    const supplierId = temp.session.requireWorkspace().db.prepare(`SELECT id FROM supplier WHERE code = 'LH'`).pluck().get() as string
    const list = (sku: string) => `Código;Nombre;Precio;Moneda;Unidades por caja;Unidad\r\n${sku};Yerba nueva 1 kg;3,10;USD;10;bolsa\r\n`
    const sku = (path: string, code: string) => look(path, (db) => db.prepare(`SELECT count(*) FROM product WHERE sku = ?`).pluck().get(code))
    // Right after opening, nothing was written since the backup on open: that backup holds the state before
    // the import, and no identical second copy is written.
    clock.set('2026-03-02T10:00:00.000Z')
    await call('catalogue.importApply', { supplierId, fileName: 'lista.csv', data: Buffer.from(list('LH-NEW1')) })
    expect(before.map((b) => b.reason)).toEqual(['open'])
    expect(backupsOf()).toEqual(before)
    expect(sku(join(temp.appDataDir, 'demo', 'backups', before[0]!.file), 'LH-NEW1')).toBe(0)
    expect(sku(temp.session.requireWorkspace().path, 'LH-NEW1')).toBe(1)

    // The next import finds the data changed since: it takes its own verified backup, which holds LH-NEW1
    // but not LH-NEW2 (the same day: the newer one stands for the day in the rotation).
    clock.set('2026-03-02T10:30:00.000Z')
    await call('catalogue.importApply', { supplierId, fileName: 'lista.csv', data: Buffer.from(list('LH-NEW2')) })
    expect(backupsOf().map((b) => [b.takenAt, b.reason, b.verified])).toEqual([['2026-03-02T10:30:00.000Z', 'import', true]])
    const made = join(temp.appDataDir, 'demo', 'backups', backupsOf()[0]!.file)
    expect([sku(made, 'LH-NEW1'), sku(made, 'LH-NEW2')]).toEqual([1, 0])
    expect(sku(temp.session.requireWorkspace().path, 'LH-NEW2')).toBe(1)
  })

  it('an order import and a consolidation run take one each; a call refused for its input takes none', async () => {
    const ws = temp.session.requireWorkspace()
    const round = ws.db.prepare('SELECT id FROM round ORDER BY created_at LIMIT 1').pluck().get() as string
    await fail('orders.importApply', { roundId: 'not-a-uuid', fileName: 'x.csv', data: Buffer.alloc(0) })
    expect(backupsOf().filter((b) => b.reason !== 'open')).toEqual([])

    clock.set('2026-03-02T11:00:00.000Z')
    const csv = 'Käufer;Art.-Nr.;Menge;Toleranz\r\nWeltladen Connewitz;LH-YM500;5;1\r\n'
    await call('orders.importApply', { roundId: round, fileName: 'bestellung.csv', data: Buffer.from(csv) })
    await call('rounds.setStatus', { id: round, status: 'closed' })
    clock.set('2026-03-02T12:00:00.000Z')
    const events: AppEvent[] = []
    const off = temp.session.on((e) => events.push(e))
    await call('consolidation.run', { roundId: round, stage: 'planned' })
    off()
    expect(events).toContainEqual({ type: 'changed', topics: ['backups'] })
    // The newest backup of the day stands for the day in the rotation: the import's went with the consolidation's.
    expect(backupsOf().map((b) => [b.takenAt, b.reason])).toEqual([['2026-03-02T12:00:00.000Z', 'consolidation']])
    const allocations = (path: string) => look(path, (db) => db.prepare('SELECT count(*) FROM allocation').pluck().get())
    expect(allocations(join(temp.appDataDir, 'demo', 'backups', backupsOf()[0]!.file))).toBe(0)
    expect(allocations(ws.path)).toBeGreaterThan(0)
  })
})

describe('rotation', () => {
  it('over a year of daily backups keeps exactly 7 daily, 4 weekly and 12 monthly; a backup by hand and other files stay', async () => {
    const ws = await temp.create('jahr.puente')
    clock.set('2025-12-31T07:00:00.000Z')
    const manual = basename(await temp.session.backupNow())
    writeFileSync(join(folder(), 'notizen.txt'), 'meine Datei')
    writeFileSync(join(folder(), 'jahr-2026-01-01_00-00-00-000-open-zzzzzz.puente'), 'not quite our name')
    for (let day = Date.parse('2026-01-01T10:00:00.000Z'); day <= Date.parse('2026-12-31T10:00:00.000Z'); day += 86_400_000) {
      clock.set(new Date(day).toISOString())
      temp.session.autoBackup('open')
    }
    expect(ws.path).toBe(temp.session.requireWorkspace().path)
    const automatic = backupsOf()
      .filter((b) => b.reason === 'open')
      .map((b) => b.takenAt.slice(0, 10))
    expect(automatic).toEqual([
      // Daily: the 7 newest days.
      '2026-12-31', '2026-12-30', '2026-12-29', '2026-12-28', '2026-12-27', '2026-12-26', '2026-12-25',
      // Weekly (ISO weeks, newest of each): 28.12.–3.1. has the 31st, 21.–27.12. the 27th; then these two.
      '2026-12-20', '2026-12-13',
      // Monthly: the newest of each of the 12 newest months (December's is the 31st).
      '2026-11-30', '2026-10-31', '2026-09-30', '2026-08-31', '2026-07-31', '2026-06-30',
      '2026-05-31', '2026-04-30', '2026-03-31', '2026-02-28', '2026-01-31'
    ])
    expect(readdirSync(folder()).sort()).toEqual(
      [...backupsOf().filter((b) => b.reason === 'open').map((b) => b.file), manual, 'notizen.txt', 'jahr-2026-01-01_00-00-00-000-open-zzzzzz.puente'].sort()
    )
  }, 120_000)
})

describe('writing a backup', () => {
  it('never collides: twenty backups in the same millisecond are twenty files, each verified', async () => {
    await temp.create('eng.puente')
    const paths: string[] = []
    for (let i = 0; i < 20; i++) paths.push(await temp.session.backupNow())
    expect(new Set(paths).size).toBe(20)
    expect(backupsOf().map((b) => b.takenAt)).toEqual(Array(20).fill('2026-03-02T08:00:00.000Z'))
    const id = temp.session.requireWorkspace().id
    for (const p of paths) expect(backupProblem(p, { id })).toBeNull()
  })

  it('verification catches a damaged copy, a copy missing a row and a copy of another workspace', async () => {
    await temp.session.openDemo()
    const ws = temp.session.requireWorkspace()
    const good = await temp.session.backupNow()
    const counts = rowCounts(ws.db)
    expect(counts['product']).toBeGreaterThan(0)
    expect(backupProblem(good, { id: ws.id, counts })).toBeNull()

    // Garbage over one page in the middle of the file.
    const damaged = join(temp.dir, 'damaged.puente')
    const bytes = readFileSync(good)
    const pageSize = bytes.readUInt16BE(16)
    const page = Math.floor(bytes.length / pageSize / 2)
    bytes.fill(0xa5, page * pageSize, (page + 1) * pageSize)
    writeFileSync(damaged, bytes)
    expect(backupProblem(damaged, { id: ws.id, counts })).toMatch(/integrity_check|malformed/)

    const short = join(temp.dir, 'short.puente')
    copyFileSync(good, short)
    const raw = new Database(short)
    raw.pragma('foreign_keys = OFF')
    raw.exec(`DELETE FROM product WHERE rowid = (SELECT min(rowid) FROM product)`)
    raw.close()
    expect(backupProblem(short, { id: ws.id, counts })).toBe(`table product: ${counts['product']! - 1} rows, expected ${counts['product']}`)
    expect(backupProblem(good, { id: '00000000-0000-4000-8000-00000000beef' })).toMatch(/^workspace id /)
  })
})

describe('restoring a backup', () => {
  it('backs up the current state first, puts the backup in place and reopens it', async () => {
    await temp.session.openDemo()
    const ws = temp.session.requireWorkspace()
    const org = await call('settings.get')
    await call('settings.save', { ...org, name: 'Stand vom Montag' } as Input<'settings.save'>)
    clock.set('2026-03-02T09:00:00.000Z')
    const monday = basename(await temp.session.backupNow())
    clock.set('2026-03-02T10:00:00.000Z')
    await call('settings.save', { ...org, name: 'Stand vom Dienstag' } as Input<'settings.save'>)

    const events: AppEvent[] = []
    temp.session.on((e) => events.push(e))
    const done = await call('workspace.restore', { file: monday })

    expect(done.file).toBe(monday)
    expect(done.safety).toMatch(/^Puente-Demo-2026-03-02_10-00-00-000-restore-[0-9a-f]{6}\.puente$/)
    expect((await call('settings.get')).name).toBe('Stand vom Montag')
    expect(temp.session.requireWorkspace()).not.toBe(ws)
    expect(temp.session.requireWorkspace().id).toBe(ws.id)
    expect(events).toContainEqual({ type: 'workspace', path: ws.path })
    // The state before the restore is kept, and can itself be restored.
    const safety = join(temp.appDataDir, 'demo', 'backups', done.safety)
    expect(orgName(safety)).toBe('Stand vom Dienstag')
    await call('workspace.restore', { file: done.safety })
    expect((await call('settings.get')).name).toBe('Stand vom Dienstag')
    // No temporary file is left beside the workspace.
    expect(readdirSync(join(temp.appDataDir, 'demo')).filter((f) => f.startsWith('.'))).toEqual([])
  })

  it("restores the day's backup on open: the backup of the current state does not rotate it away first", async () => {
    await temp.session.openDemo()
    const [onOpen] = backupsOf()
    expect(onOpen).toMatchObject({ reason: 'open', takenAt: '2026-03-02T08:00:00.000Z' })
    const org = await call('settings.get')
    clock.set('2026-03-02T15:00:00.000Z')
    await call('settings.save', { ...org, name: 'Später am Tag' } as Input<'settings.save'>)
    await call('workspace.restore', { file: onOpen!.file })
    expect((await call('settings.get')).name).toBe(org.name)
    expect(backupsOf().map((b) => b.reason)).toEqual(['restore', 'open'])
  })

  it('a damaged backup, one of another workspace or an unknown name is refused and the workspace stays as it was', async () => {
    await temp.session.openDemo()
    const ws = temp.session.requireWorkspace()
    const backup = await temp.session.backupNow()
    const bytes = readFileSync(backup)
    const pageSize = bytes.readUInt16BE(16)
    bytes.fill(0x5a, 2 * pageSize, 3 * pageSize)
    writeFileSync(backup, bytes)
    const before = backupsOf().length

    const refused = await fail('workspace.restore', { file: basename(backup) })
    expect(refused.code).toBe('backup.invalid')
    expect(refused.params).toMatchObject({ file: basename(backup) })
    expect(temp.session.requireWorkspace()).toBe(ws)
    expect(ws.db.open).toBe(true)
    // Refused before anything was done: no backup of the current state either.
    expect(backupsOf()).toHaveLength(before)

    for (const file of ['../Puente-Demo.puente', 'nothing.puente', 'notizen.txt']) {
      expect((await fail('workspace.restore', { file })).code).toBe('backup.not_found')
    }
  })
})
