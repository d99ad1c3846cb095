import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import type { Env } from '../../src/core/common/env.ts'
import { fixedIds, frozenEnv } from '../support/env.ts'
import { freshWorkspace, RESOURCES, tempSession } from '../support/workspace.ts'

/** The tests' own helpers (test/support/) do what they promise. */

describe('fixedIds', () => {
  it('counts from 1 in the layout the tests have always asserted, one count per source', () => {
    const ids = fixedIds()
    expect([ids(), ids(), ids()]).toEqual([
      '00000000-0000-4000-8000-000000000001',
      '00000000-0000-4000-8000-000000000002',
      '00000000-0000-4000-8000-000000000003'
    ])
    expect(fixedIds()()).toBe('00000000-0000-4000-8000-000000000001')
    expect(fixedIds('0000abcd')()).toBe('0000abcd-0000-4000-8000-000000000001')
  })

  it('gives valid UUIDs (z.uuid()) whose string order is the order they were made in', () => {
    const ids = fixedIds()
    const made = Array.from({ length: 1200 }, () => ids())
    for (const id of made) expect(z.uuid().safeParse(id).success, id).toBe(true)
    expect([...made].sort()).toEqual(made)
    expect(new Set(made).size).toBe(made.length)
  })

  it('refuses a prefix that would not make a UUID', () => {
    for (const bad of ['', 'abc', '0000ABCD', 'device-a', '000000000']) expect(() => fixedIds(bad)).toThrow(/8 lowercase hex digits/)
  })
})

describe('frozenEnv', () => {
  it('is frozen by default: every reading is the same instant, as a new Date each time', () => {
    const env = frozenEnv('2026-03-04T05:06:07.089Z')
    const a = env.now()
    a.setFullYear(1999)
    expect([env.now().toISOString(), env.now().toISOString()]).toEqual(['2026-03-04T05:06:07.089Z', '2026-03-04T05:06:07.089Z'])
    expect(env.uuid()).toBe('00000000-0000-4000-8000-000000000001')
  })

  it('with a step, reads the start first and moves on by the step per reading', () => {
    const env = frozenEnv('2026-03-01T09:00:01Z', { step: 1000 })
    expect([1, 2, 3].map(() => env.now().toISOString())).toEqual([
      '2026-03-01T09:00:01.000Z',
      '2026-03-01T09:00:02.000Z',
      '2026-03-01T09:00:03.000Z'
    ])
    expect(frozenEnv('2026-03-01T10:00:00+01:00').now().toISOString()).toBe('2026-03-01T09:00:00.000Z')
  })

  it('gives the same readings and ids as the hand-written envs it replaced', () => {
    const steppingEnv = (): Env => {
      let t = Date.parse('2026-03-01T09:00:00Z')
      let id = 0
      return {
        now: () => new Date((t += 1000)),
        uuid: () => `00000000-0000-4000-8000-${String(++id).padStart(12, '0')}`
      }
    }
    const fixedEnv = (iso = '2026-03-04T05:06:07.089Z'): Env => {
      let n = 0
      return { now: () => new Date(iso), uuid: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}` }
    }
    const trace = (env: Env) => Array.from({ length: 50 }, (_, i) => (i % 3 === 0 ? env.uuid() : env.now().toISOString()))
    expect(trace(frozenEnv('2026-03-01T09:00:01Z', { step: 1000 }))).toEqual(trace(steppingEnv()))
    expect(trace(frozenEnv('2026-03-04T05:06:07.089Z'))).toEqual(trace(fixedEnv()))
  })

  it('takes its ids from the source it is given', () => {
    const env = frozenEnv('2026-01-01T00:00:00Z', { uuid: fixedIds('ffffffff') })
    expect(env.uuid()).toBe('ffffffff-0000-4000-8000-000000000001')
  })

  it('refuses an instant without a zone (it would depend on the machine) and a bad step', () => {
    for (const bad of ['2026-03-04T05:06:07', '2026-03-04', 'yesterday', '2026-02-30T00:00:00Z', '2026-03-04T24:00:00Z', '2026-03-04T05:06:07+25:00'])
      expect(() => frozenEnv(bad), bad).toThrow(/ISO instant with a zone/)
    expect(() => frozenEnv('2026-03-04T05:06:07Z', { step: -1 })).toThrow(/step/)
    expect(() => frozenEnv('2026-03-04T05:06:07Z', { step: 0.5 })).toThrow(/step/)
  })
})

describe('tempSession', () => {
  it('runs a Session on a fresh temp folder with the given env; create() opens a new workspace file there', async () => {
    const t = tempSession({ env: frozenEnv('2026-03-04T05:06:07.089Z') })
    try {
      expect(t.appDataDir).toBe(join(t.dir, 'home'))
      expect(t.session.resourcesDir).toBe(RESOURCES)
      expect(existsSync(join(RESOURCES, 'demo', 'organisation.json'))).toBe(true)
      // The device id is the env's first id (the session's per-user data is made first).
      expect(t.session.appData.deviceId).toBe('00000000-0000-4000-8000-000000000001')
      const ws = await t.create('x.puente')
      expect(ws.path).toBe(join(t.dir, 'x.puente'))
      expect(t.session.workspace).toBe(ws)
      expect(ws.id).toBe('00000000-0000-4000-8000-000000000002')
      expect(ws.createdAt).toBe('2026-03-04T05:06:07.089Z')
      const state = JSON.parse(readFileSync(join(t.appDataDir, 'puente-state.json'), 'utf8')) as { deviceId: string }
      expect(state.deviceId).toBe('00000000-0000-4000-8000-000000000001')
    } finally {
      t.dispose()
    }
    expect(existsSync(t.dir)).toBe(false)
    expect(t.session.workspace).toBeNull()
  })
})

describe('freshWorkspace', () => {
  it('creates a workspace file in a fresh temp folder with the given device id and env; dispose removes it', async () => {
    const f = await freshWorkspace({ deviceId: 'device-test', env: frozenEnv('2026-03-04T05:06:07.089Z'), name: 'w.puente' })
    expect(f.path).toBe(join(f.dir, 'w.puente'))
    expect(f.ws.path).toBe(f.path)
    expect(f.ws.db.prepare('SELECT id, created_at, created_by_device FROM workspace').get()).toEqual({
      id: '00000000-0000-4000-8000-000000000001',
      created_at: '2026-03-04T05:06:07.089Z',
      created_by_device: 'device-test'
    })
    f.dispose()
    expect(f.ws.db.open).toBe(false)
    expect(existsSync(dirname(f.path))).toBe(false)
  })
})
