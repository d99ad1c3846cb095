import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { methods } from '../../src/core/api/map.ts'
import { api } from '../support/api.ts'
import { type TempSession, tempSession } from '../support/workspace.ts'

/** PRAGMA synchronous values. */
const NORMAL = 1
const FULL = 2

let temp: TempSession
const { call } = api(() => temp.session)

beforeEach(async () => {
  temp = tempSession({ prefix: 'puente-durable-' })
  await temp.session.openDemo()
})
afterEach(() => temp.dispose())

/**
 * Records the connection's `synchronous` setting at the moment a row is written to `table`, inside the
 * transaction of the commit that writes it (a temporary trigger on this connection calls back).
 */
function watchSynchronous(table: string): number[] {
  const db = temp.session.requireWorkspace().db
  const seen: number[] = []
  db.function(`seen_synchronous_${table}`, (v: unknown) => {
    seen.push(Number(v))
    return null
  })
  db.exec(`CREATE TEMP TRIGGER watch_${table} AFTER INSERT ON main.${table} BEGIN SELECT seen_synchronous_${table}((SELECT synchronous FROM pragma_synchronous)); END`)
  return seen
}

describe('durable commits (numbers, payments)', () => {
  it('the workspace runs with synchronous=NORMAL (WAL mode)', () => {
    const db = temp.session.requireWorkspace().db
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(db.pragma('synchronous', { simple: true })).toBe(NORMAL)
  })

  it('issuing purchase-order numbers commits with synchronous=FULL; an ordinary commit with NORMAL; NORMAL again afterwards', async () => {
    const ws = temp.session.requireWorkspace()
    const numbers = watchSynchronous('issued_number')
    const ordinary = watchSynchronous('supplier')
    await call('suppliers.save', { name: 'Cooperativa La Prueba', country: 'AR', code: 'LP', contacts: [] })
    expect(ordinary).toEqual([NORMAL])

    const round = ws.db.prepare('SELECT id FROM round ORDER BY created_at LIMIT 1').pluck().get() as string
    await call('rounds.setStatus', { id: round, status: 'closed' })
    await call('consolidation.run', { roundId: round, stage: 'planned' })
    const orders = await call('purchaseOrders.create', { roundId: round, incoterm: 'FCA', incotermPlace: 'Buenos Aires' })
    expect(orders.length).toBeGreaterThan(0)
    expect(ordinary).toEqual([NORMAL])
    // One issued number per purchase order, each written while the setting was FULL.
    expect(numbers).toEqual(orders.map(() => FULL))
    expect(ws.db.pragma('synchronous', { simple: true })).toBe(NORMAL)
  })

  it('a durable commit that fails still sets NORMAL back', () => {
    const ws = temp.session.requireWorkspace()
    expect(() =>
      ws.durably(() =>
        ws.db.transaction(() => {
          expect(ws.db.pragma('synchronous', { simple: true })).toBe(FULL)
          throw new Error('refused')
        })()
      )
    ).toThrow('refused')
    expect(ws.db.pragma('synchronous', { simple: true })).toBe(NORMAL)
    // The setting cannot change inside a transaction: a durable commit must start outside one.
    expect(() => ws.db.transaction(() => ws.durably(() => 1))()).toThrow(/outside any transaction/)
  })

  it('the methods marked durable are the ones that issue numbers', () => {
    const durable = Object.entries(methods)
      .filter(([, m]) => m.durable)
      .map(([name]) => name)
    expect(durable).toEqual(['purchaseOrders.create', 'supplierPayments.record', 'shipments.create', 'invoices.issue', 'invoices.credit', 'invoices.requestDeposits', 'invoices.recordDeposit', 'payments.allocate', 'payments.record', 'distribution.proposeCredit', 'closing.close', 'closing.reopen'])
    const bulk = Object.fromEntries(Object.entries(methods).filter(([, m]) => m.backupBefore).map(([name, m]) => [name, m.backupBefore]))
    expect(bulk).toEqual({ 'catalogue.importApply': 'import', 'orders.importApply': 'import', 'consolidation.run': 'consolidation', 'invoices.issueRound': 'invoices', 'payments.importStatement': 'import' })
  })
})
