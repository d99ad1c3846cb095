import { chmodSync, copyFileSync, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { dispatch } from '../../src/core/api/dispatch.ts'
import { AppData } from '../../src/core/app/appdata.ts'
import { systemEnv } from '../../src/core/common/env.ts'
import { fixturePath } from '../support/fixtures.ts'
import { type TempSession, tempSession } from '../support/workspace.ts'

/**
 * Workspaces, backups, migration copies and the app's state hold IBANs and contacts: the files are
 * 0600 and the app's folders 0700, whatever the process's umask would give (CI runs on Linux).
 */
const mode = (path: string) => statSync(path).mode & 0o777

function expectPrivateDb(path: string): void {
  expect(mode(path), path).toBe(0o600)
  for (const side of ['-wal', '-shm', '-journal']) if (existsSync(path + side)) expect(mode(path + side), path + side).toBe(0o600)
}

describe('private files', () => {
  let temp: TempSession

  beforeEach(() => {
    temp = tempSession({ prefix: 'puente-private-' })
  })
  afterEach(() => temp.dispose())

  it('runs where a file made without a mode is readable by others (so the modes below are the app’s doing)', () => {
    const control = join(temp.dir, 'control.txt')
    writeFileSync(control, 'x')
    expect(process.platform).not.toBe('win32')
    expect(mode(control) & 0o044).not.toBe(0)
  })

  it('a new workspace is 0600 with its -wal and -shm, in a new folder made 0700', async () => {
    const ws = await temp.session.open(join(temp.dir, 'Verein', 'Archiv', 'neu.puente'), true)
    expect(existsSync(`${ws.path}-wal`)).toBe(true)
    expect(existsSync(`${ws.path}-shm`)).toBe(true)
    expectPrivateDb(ws.path)
    expect(mode(join(temp.dir, 'Verein', 'Archiv'))).toBe(0o700)
    expect(mode(join(temp.dir, 'Verein'))).toBe(0o700)
    // Writing afterwards keeps the modes (SQLite reuses the files).
    ws.db.prepare('SELECT count(*) FROM workspace').get()
    ws.close()
    expectPrivateDb(ws.path)
  })

  it('a workspace in an existing folder of the user leaves that folder as it is', async () => {
    const docs = join(temp.dir, 'Dokumente')
    mkdirSync(docs)
    chmodSync(docs, 0o755)
    const ws = await temp.session.open(join(docs, 'verein.puente'), true)
    expectPrivateDb(ws.path)
    expect(mode(docs)).toBe(0o755)
  })

  it('"back up now" writes a 0600 file into a 0700 backups folder, also one an older version made 0755', async () => {
    const ws = await temp.create('verein.puente')
    const first = await dispatch({ session: temp.session }, 'workspace.backup', undefined)
    if (!first.ok) throw new Error(JSON.stringify(first.error))
    const path = (first.result as { path: string }).path
    expect(dirname(path)).toBe(join(temp.dir, 'backups'))
    expectPrivateDb(path)
    expect(mode(dirname(path))).toBe(0o700)

    chmodSync(dirname(path), 0o755)
    const again = await ws.backupTo(join(temp.dir, 'backups', 'again.puente'))
    expectPrivateDb(again)
    expect(mode(dirname(path))).toBe(0o700)
    // An existing target file with a loose mode is overwritten as a private one.
    const loose = join(temp.dir, 'backups', 'loose.puente')
    writeFileSync(loose, '')
    chmodSync(loose, 0o644)
    expectPrivateDb(await ws.backupTo(loose))
  })

  it('migrating an old workspace keeps the copy taken before it private', async () => {
    const path = join(temp.dir, 'alt.puente')
    copyFileSync(fixturePath('workspace-v4.puente'), path)
    chmodSync(path, 0o600)
    const ws = await temp.session.open(path)
    expect(ws.migrationBackup).not.toBeNull()
    expect(ws.migrationBackup!.endsWith('.bak')).toBe(true)
    expectPrivateDb(ws.migrationBackup!)
    expectPrivateDb(path)
  })

  it('the app state file is 0600 in a 0700 folder, also when an older version made them 0644/0755', () => {
    const home = temp.appDataDir
    const state = join(home, 'puente-state.json')
    expect(mode(home)).toBe(0o700)
    expect(mode(state)).toBe(0o600)
    temp.session.appData.setLanguage('es')
    expect(mode(state)).toBe(0o600)

    // As an older version left it, with a .tmp from a crash.
    chmodSync(home, 0o755)
    chmodSync(state, 0o644)
    writeFileSync(`${state}.tmp`, '{}')
    chmodSync(`${state}.tmp`, 0o644)
    const again = new AppData(home, systemEnv)
    expect(again.language).toBe('es')
    expect(mode(home)).toBe(0o700)
    expect(mode(state)).toBe(0o600)
    again.addRecent(join(temp.dir, 'x.puente'))
    expect(mode(state)).toBe(0o600)

    // A damaged state file is kept aside, private too.
    writeFileSync(state, 'not json')
    chmodSync(state, 0o644)
    new AppData(home, systemEnv)
    expect(mode(`${state}.damaged`)).toBe(0o600)
    expect(mode(state)).toBe(0o600)
  })

  it('the demo workspace is 0600 in a 0700 demo folder, also one an older version made 0755', async () => {
    const ws = await temp.session.openDemo()
    expectPrivateDb(ws.path)
    expect(mode(dirname(ws.path))).toBe(0o700)
    temp.session.close()
    chmodSync(dirname(ws.path), 0o755)
    const fresh = await temp.session.openDemo(true)
    expectPrivateDb(fresh.path)
    expect(mode(dirname(fresh.path))).toBe(0o700)
  })
})
