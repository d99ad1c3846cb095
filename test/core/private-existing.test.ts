import { chmodSync, mkdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { tightenExisting } from '../../src/core/common/private.ts'
import { type TempSession, tempSession } from '../support/workspace.ts'

/** Workspaces made by older versions (0644, their backups folder 0755) become private when Puente opens them. */
const mode = (path: string) => statSync(path).mode & 0o777

describe('existing workspaces are tightened', () => {
  let temp: TempSession
  beforeEach(() => {
    temp = tempSession({ prefix: 'puente-tighten-' })
  })
  afterEach(() => temp.dispose())

  it('opening a 0644 workspace makes it, its -wal/-shm, its backups folder and the backups in it private', async () => {
    const ws = await temp.create('alt.puente')
    const path = ws.path
    temp.session.close()
    const backups = join(temp.dir, 'backups')
    mkdirSync(backups, { recursive: true })
    const oldBackup = join(backups, 'alt.puente.2025-01-01.bak')
    writeFileSync(oldBackup, 'an old backup')
    chmodSync(backups, 0o755)
    chmodSync(oldBackup, 0o644)
    chmodSync(path, 0o644)
    expect(mode(path)).toBe(0o644)

    const reopened = await temp.session.open(path, false)
    expect(mode(reopened.path)).toBe(0o600)
    expect(mode(`${path}-wal`)).toBe(0o600)
    expect(mode(`${path}-shm`)).toBe(0o600)
    expect(mode(backups)).toBe(0o700)
    expect(mode(oldBackup)).toBe(0o600)
  })

  it('leaves private files as they are and ignores what is missing', () => {
    const file = join(temp.dir, 'x.puente')
    writeFileSync(file, 'x')
    chmodSync(file, 0o400)
    tightenExisting(file)
    expect(mode(file)).toBe(0o400)
    chmodSync(file, 0o640)
    tightenExisting(file)
    expect(mode(file)).toBe(0o600)
    expect(() => tightenExisting(join(temp.dir, 'missing'))).not.toThrow()
  })
})
