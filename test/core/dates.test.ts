import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { dispatch } from '../../src/core/api/dispatch.ts'
import { isDate, parseDate, parseLocalDateTime } from '../../src/shared/dates.ts'
import { type TempSession, tempSession } from '../support/workspace.ts'

describe('the one strict date parser', () => {
  it('takes calendar days that exist, and only those', () => {
    for (const ok of ['2026-02-28', '2024-02-29', '2000-02-29', '2026-12-31', '0001-01-01', ' 2026-03-01 '])
      expect(parseDate(ok), ok).toBe(ok.trim())
    for (const bad of ['2026-02-30', '2026-02-29', '1900-02-29', '2026-04-31', '2026-13-01', '2026-00-10', '2026-01-00', '2026-1-5', '26-01-05', '2026/01/05', '2026-01-05T00:00', '', 'heute'])
      expect(parseDate(bad), bad).toBeNull()
    expect(isDate('2026-02-30')).toBe(false)
  })

  it('takes wall-clock times that exist, and only those', () => {
    expect(parseLocalDateTime('2026-12-05T18:00')).toEqual({ year: 2026, month: 12, day: 5, hour: 18, minute: 0 })
    expect(parseLocalDateTime('2026-12-05 23:59')).toEqual({ year: 2026, month: 12, day: 5, hour: 23, minute: 59 })
    for (const bad of ['2026-02-30T10:00', '2026-12-05T24:00', '2026-12-05T10:60', '2026-12-05', '2026-12-05T10:00:00']) expect(parseLocalDateTime(bad), bad).toBeNull()
  })
})

describe('every date field of the API refuses a day that does not exist', () => {
  let temp: TempSession
  beforeEach(async () => {
    temp = tempSession({ prefix: 'puente-dates-' })
    await temp.session.openDemo()
  })
  afterEach(() => temp.dispose())

  const fieldCode = async (method: string, input: unknown, field: string) => {
    const r = await dispatch({ session: temp.session }, method, input)
    if (r.ok) return 'accepted'
    const fields = r.error.params?.fields as Record<string, { code: string }> | undefined
    return fields?.[field]?.code ?? r.error.code
  }

  it('VAT and exchange rates, rounds, products and purchase-order terms', async () => {
    // Before: 2026-02-30 was read as 2 March by Date.parse.
    expect(await fieldCode('reference.saveVatRate', { country: 'DE', class: 'standard', rate: '19', validFrom: '2026-02-30' }, 'validFrom')).toBe('date')
    expect(await fieldCode('reference.saveExchangeRate', { base: 'USD', quote: 'EUR', rate: '0,93', validOn: '2026-02-30' }, 'validOn')).toBe('date')
    const round = { name: 'Herbst', opensAt: '2026-09-01T09:00', closesAt: '2026-09-30T18:00', timeZone: 'Europe/Berlin', currency: 'EUR' }
    expect(await fieldCode('rounds.save', { ...round, rateDate: '2026-02-30' }, 'rateDate')).toBe('date')
    expect(await fieldCode('rounds.save', { ...round, closesAt: '2026-09-31T18:00' }, 'closesAt')).toBe('datetime')
    const supplierId = (temp.session.requireWorkspace().db.prepare(`SELECT id FROM supplier WHERE code = 'LH'`).pluck().get() as string)
    const product = { supplierId, sku: 'LH-NEW', nameEs: 'Nuevo', salesUnit: 'bag', caseUnits: '10', price: '1', currency: 'USD', vatClass: 'reduced' }
    expect(await fieldCode('products.save', { ...product, availableFrom: '2026-02-30' }, 'availableFrom')).toBe('date')
    const s = temp.session
    const roundId = (s.requireWorkspace().db.prepare('SELECT id FROM round').pluck().get() as string)
    expect((await dispatch({ session: s }, 'rounds.setStatus', { id: roundId, status: 'closed' })).ok).toBe(true)
    const created = await dispatch({ session: s }, 'purchaseOrders.create', { roundId, shipDate: '2026-11-31' })
    expect(created.ok ? 'accepted' : (created.error.params?.fields as Record<string, { code: string }>).shipDate!.code).toBe('date')
    const ok = await dispatch({ session: s }, 'purchaseOrders.create', { roundId })
    expect(ok.ok).toBe(true)
    const poId = s.requireWorkspace().db.prepare('SELECT id FROM purchase_order LIMIT 1').pluck().get() as string
    // The same terms with a day that exists are taken: only the date is refused below.
    expect(await fieldCode('purchaseOrders.update', { id: poId, language: 'es', terms: [{ label: 'on_order', sharePercent: 100, dueDate: '2026-02-28' }] }, 'terms.0.dueDate')).toBe('accepted')
    expect(await fieldCode('purchaseOrders.update', { id: poId, language: 'es', terms: [{ label: 'on_order', sharePercent: 100, dueDate: '2026-02-31' }] }, 'terms.0.dueDate')).toBe('date')
    // The same days, when they exist, are taken.
    expect(await fieldCode('reference.saveVatRate', { country: 'DE', class: 'standard', rate: '19', validFrom: '2026-02-28' }, 'validFrom')).toBe('accepted')
    expect(await fieldCode('rounds.save', { ...round, rateDate: '2026-02-28' }, 'rateDate')).toBe('accepted')
  })
})
