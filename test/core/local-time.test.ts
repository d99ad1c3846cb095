import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { instantFromLocal, localFromInstant } from '../../src/renderer/src/ui/format.ts'

// A date field holds a wall-clock time in the computer's time zone; the API takes instants. Berlin has summer time.
describe('a date field’s wall-clock time and the instant the API takes', () => {
  const zone = process.env.TZ
  beforeAll(() => {
    process.env.TZ = 'Europe/Berlin'
  })
  afterAll(() => {
    if (zone === undefined) delete process.env.TZ
    else process.env.TZ = zone
  })

  it('reads a time in winter and in summer with the zone’s offset of that day', () => {
    expect(instantFromLocal('2026-12-06T09:30')).toBe('2026-12-06T08:30:00.000Z')
    expect(instantFromLocal('2026-07-01T09:30')).toBe('2026-07-01T07:30:00.000Z')
    expect(instantFromLocal('2026-07-01 09:30')).toBe('2026-07-01T07:30:00.000Z')
  })

  it('shows an instant as the wall-clock time the field holds, whole minutes', () => {
    expect(localFromInstant('2026-12-06T08:30:59.999Z')).toBe('2026-12-06T09:30')
    expect(localFromInstant('2026-07-01T22:05:00.000Z')).toBe('2026-07-02T00:05')
    expect(localFromInstant(new Date('2027-01-01T00:00:00Z'))).toBe('2027-01-01T01:00')
  })

  it('refuses what is no time: a day that does not exist, text, and the hour the clock skips', () => {
    expect(instantFromLocal('2026-02-30T10:00')).toBeNull()
    expect(instantFromLocal('2026-12-06T24:00')).toBeNull()
    expect(instantFromLocal('06.12.2026 09:30')).toBeNull()
    expect(instantFromLocal('')).toBeNull()
    // On 29 March 2026 Berlin's clocks go from 02:00 to 03:00: 02:30 never happens there.
    expect(instantFromLocal('2026-03-29T02:30')).toBeNull()
    expect(instantFromLocal('2026-03-29T03:30')).toBe('2026-03-29T01:30:00.000Z')
  })
})
