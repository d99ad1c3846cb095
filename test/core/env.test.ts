import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { systemEnv, uuidv7 } from '../../src/core/common/env.ts'

describe('keys: version 7 UUIDs', () => {
  it('have the RFC 9562 layout, with the time in the first 48 bits', () => {
    const ms = Date.UTC(2026, 10, 25, 9, 30, 0, 123)
    const id = uuidv7(ms)
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBe(ms)
    // The API's own schema accepts them.
    expect(z.uuid().safeParse(id).success).toBe(true)
    expect(z.uuid().safeParse(systemEnv.uuid()).success).toBe(true)
  })

  it('sort by the time they were made and do not repeat', () => {
    const start = Date.UTC(2026, 0, 1)
    const ids = Array.from({ length: 1000 }, (_, i) => uuidv7(start + i * 7))
    expect([...ids].sort()).toEqual(ids)
    const many = new Set(Array.from({ length: 20_000 }, () => uuidv7(start)))
    expect(many.size).toBe(20_000)
  })
})
