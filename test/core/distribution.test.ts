import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { api } from '../support/api.ts'
import { type TempSession, tempSession } from '../support/workspace.ts'

/**
 * Distribution day (issue 12): the pick lists of the demo round, read back from the PDF. From
 * resources/demo/round.json: the hub Verteilknoten Ruhr ordered for Solikreis Dortmund Nord 3 bags of
 * mate 1 kg with 1 of tolerance, and the tolerance filled a case, so Dortmund gets 4; Bochum's mate 500 g
 * (5 + 2) and the others did not fill a case. Foodcoop Kornblume gets its 6 bottles of Syrah-Bonarda,
 * 6 bags of mate 1 kg and 12 of 500 g.
 */
describe('pick lists', () => {
  let temp: TempSession
  const { call, fail } = api(() => temp.session)
  let roundId: string

  beforeAll(async () => {
    temp = tempSession({ prefix: 'puente-picklist-' })
    await temp.session.openDemo()
    roundId = temp.session.requireWorkspace().db.prepare('SELECT id FROM round').pluck().get() as string
    await call('rounds.setStatus', { id: roundId, status: 'closed' })
  })
  afterAll(() => temp.dispose())

  const text = async (input: { roundId: string; buyerId?: string }) => {
    const file = await call('distribution.pickListPdf', input)
    const path = join(temp.dir, 'pick.pdf')
    writeFileSync(path, Buffer.from(file.dataBase64, 'base64'))
    execFileSync('qpdf', ['--check', path])
    return { name: file.fileName, text: execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' }).replace(/[\u00a0\u202f]/g, ' ') }
  }

  it('prints a page per buyer: what it takes, for whom, how much, with tick boxes and a line to sign', async () => {
    const { name, text: all } = await text({ roundId })
    expect(name).toBe('Packlisten Winterrunde 2026-27.pdf')
    const pages = all.split('\f').filter((p) => p.trim())
    expect(pages.map((p) => /Packliste: (.+)/.exec(p)?.[1]?.trim())).toEqual(['Cooperativa Germinal', 'Foodcoop Kornblume', 'Foodcoop Ottakring', 'Verteilknoten Ruhr', 'Weltladen Connewitz'])
    const ruhr = pages[3]!
    expect(ruhr).toMatch(/LH-YM1K · Mate-Tee mit Stängeln 1 kg\s+Solikreis Dortmund Nord\s+4 Beutel/)
    expect(ruhr).toContain('Positionen: 1')
    expect(ruhr).not.toContain('LH-YM500')
    const kornblume = pages[1]!
    // Each product's line holds its quantity (a long name wraps onto the next line).
    const lineOf = (sku: string) => kornblume.split('\n').find((l) => l.includes(`${sku} · `)) ?? ''
    expect(lineOf('CT-DC750')).toMatch(/Del Contratista Syrah-.*\s6 Flasche$/)
    expect(lineOf('LH-YM1K')).toMatch(/Mate-Tee mit Stängeln 1 kg\s+6 Beutel$/)
    expect(lineOf('LH-YM500')).toMatch(/Mate-Tee mit Stängeln 500 g\s+12 Beutel$/)
    expect(kornblume).toContain('Übergeben am')
  })

  it('prints one buyer’s list alone, and refuses a round where nobody gets anything', async () => {
    const ruhr = temp.session.requireWorkspace().db.prepare("SELECT id FROM buyer WHERE name = 'Verteilknoten Ruhr'").pluck().get() as string
    const { text: one } = await text({ roundId, buyerId: ruhr })
    expect(one).toContain('Packliste: Verteilknoten Ruhr')
    expect(one).not.toContain('Foodcoop Kornblume')
    const bochum = temp.session.requireWorkspace().db.prepare("SELECT id FROM buyer WHERE name = 'Mate-Kollektiv Bochum'").pluck().get() as string
    expect((await fail('distribution.pickListPdf', { roundId, buyerId: bochum })).code).toBe('distribution.nothing')
  })
})

/**
 * Distribution day's tick list and the credit notes it proposes (issue 12, item 4), on the demo round.
 * Foodcoop Kornblume (domestic, DE) gets 6 bottles of Syrah-Bonarda at 5,00 € (19 %), 6 bags of mate 1 kg
 * at 4,35 € and 12 of mate 500 g at 2,45 € (7 %); Verteilknoten Ruhr 4 bags of mate 1 kg (3 ordered + 1
 * from the tolerance) for Solikreis Dortmund Nord.
 *
 * Kornblume's invoice, issued with 12,00 € shipping taxed at 19 % in full (as in invoices.test.ts):
 * 19 %: 30,00 + 12,00 = 42,00 → VAT 7,98; 7 %: 26,10 + 29,40 = 55,50 → 3,885 → 3,89; gross 109,37.
 * At the hub 1 bag of mate 1 kg is missing and 2 bottles are damaged. The proposal credits
 * 1 × 4,35 = 4,35 at 7 % and 2 × 5,00 = 10,00 at 19 %: net 14,35. Its VAT is what the invoice's VAT per
 * rate comes down to: 19 %: 7,98 − (32,00 × 19 % = 6,08) = 1,90; 7 %: 3,89 − (51,15 × 7 % = 3,5805 → 3,58)
 * = 0,31 (not 4,35 × 7 % = 0,3045 → 0,30: the bill really goes down by 0,31); VAT 2,21, gross 16,56.
 * The new draft after the credit: 4 bottles 20,00, 5 bags 21,75, 12 bags 29,40, shipping 12,00:
 * net 83,15, VAT 6,08 + 3,58 = 9,66, gross 92,81 = 109,37 − 16,56.
 */
describe('the tick list and proposed credit notes', () => {
  let temp: TempSession
  const { call, fail } = api(() => temp.session)
  let roundId: string
  const db = () => temp.session.requireWorkspace().db
  const buyerId = (name: string) => db().prepare('SELECT id FROM buyer WHERE name = ?').pluck().get(name) as string
  const checks = () => db().prepare('SELECT * FROM distribution_check ORDER BY id').all()

  beforeEach(async () => {
    temp = tempSession({ prefix: 'puente-ticklist-' })
    await temp.session.openDemo()
    roundId = db().prepare('SELECT id FROM round').pluck().get() as string
    await call('rounds.setStatus', { id: roundId, status: 'closed' })
  })
  afterEach(() => temp.dispose())

  const linesOf = async (buyer: string) => (await call('distribution.checklist', { roundId })).buyers.find((b) => b.name === buyer)!.lines
  const lineOf = async (buyer: string, sku: string) => (await linesOf(buyer)).find((l) => l.sku === sku)!

  it('lists each buyer’s lines with their checks, stores a check at once and refuses a wrong one, changing nothing', async () => {
    const list = await call('distribution.checklist', { roundId })
    expect(list.locked).toBe(false)
    expect(list.buyers.map((b) => [b.name, b.lines.length, b.ticked])).toEqual([
      ['Cooperativa Germinal', expect.any(Number), 0],
      ['Foodcoop Kornblume', 3, 0],
      ['Foodcoop Ottakring', expect.any(Number), 0],
      ['Verteilknoten Ruhr', 1, 0],
      ['Weltladen Connewitz', expect.any(Number), 0]
    ])
    const ruhr = (await linesOf('Verteilknoten Ruhr'))[0]!
    expect([ruhr.sku, ruhr.subBuyer, ruhr.steps, ruhr.unit, ruhr.ticked, ruhr.counted, ruhr.missing, ruhr.damaged, ruhr.note]).toEqual([
      'LH-YM1K',
      'Solikreis Dortmund Nord',
      4,
      'Beutel',
      false,
      null,
      0,
      0,
      null
    ])
    // One buyer alone.
    const one = await call('distribution.checklist', { roundId, buyerId: buyerId('Foodcoop Kornblume') })
    expect(one.buyers.map((b) => b.name)).toEqual(['Foodcoop Kornblume'])

    const mate = await lineOf('Foodcoop Kornblume', 'LH-YM1K')
    await call('distribution.check', { lineId: mate.lineId, ticked: true, counted: 5, missing: 1, damaged: 0, note: '  Ein Beutel fehlte im Karton  ' })
    const stored = await lineOf('Foodcoop Kornblume', 'LH-YM1K')
    expect([stored.ticked, stored.counted, stored.missing, stored.damaged, stored.note]).toEqual([true, 5, 1, 0, 'Ein Beutel fehlte im Karton'])
    expect((await call('distribution.checklist', { roundId })).buyers.find((b) => b.name === 'Foodcoop Kornblume')!.ticked).toBe(1)
    // Changed again: the same row (one per line), the note taken out.
    await call('distribution.check', { lineId: mate.lineId, ticked: false, counted: null, missing: 1, damaged: 1, note: '' })
    expect(db().prepare('SELECT ticked, counted, missing, damaged, note, device_id FROM distribution_check').all()).toEqual([
      { ticked: 0, counted: null, missing: 1, damaged: 1, note: null, device_id: temp.session.requireWorkspace().deviceId }
    ])

    const before = checks()
    const refused = async (input: Record<string, unknown>) => (await fail('distribution.check', { lineId: mate.lineId, ticked: true, counted: 6, missing: 0, damaged: 0, note: null, ...input }))
    // More missing and damaged than the 6 bags handed out.
    const tooMany = await refused({ missing: 4, damaged: 3 })
    expect([tooMany.code, tooMany.params?.fields]).toEqual(['validation', { missing: { code: 'short_max', params: { max: 6, unit: 'Beutel' } } }])
    expect((await refused({ counted: -1 })).params?.fields).toEqual({ counted: { code: 'quantity_negative' } })
    expect((await refused({ missing: 1.5 })).params?.fields).toEqual({ missing: { code: 'integer' } })
    expect((await refused({ note: 'x'.repeat(501) })).params?.fields).toEqual({ note: { code: 'too_long', params: { max: 500 } } })
    expect((await refused({ lineId: '00000000-0000-4000-8000-000000000000' })).code).toBe('record.not_found')
    expect(checks()).toEqual(before)
  })

  it('a draft made after distribution day leaves the missing and damaged units out (tolerance first)', async () => {
    const ruhr = (await linesOf('Verteilknoten Ruhr'))[0]!
    await call('distribution.check', { lineId: ruhr.lineId, ticked: true, counted: 3, missing: 0, damaged: 1, note: 'Ein Beutel aufgerissen' })
    await call('invoices.prepareRound', { roundId })
    const row = (await call('invoices.list', { roundId })).find((r) => r.buyerName === 'Verteilknoten Ruhr' && r.status === 'draft')!
    const d = (await call('invoices.get', { id: row.id })).document
    // 3 × 4,35 = 13,05 € + 7 % (0,9135 → 0,91) = 13,96 €; the tolerance's bag was the one lost.
    expect(d.lines.map((l) => [l.sku, l.quantityMilli, l.netMinor, l.note])).toEqual([['LH-YM1K', 3000, 1305, null]])
    expect(d.grossMinor).toBe(1396)
    // Nothing issued, nothing to credit.
    expect(await call('distribution.proposals', { roundId })).toEqual([])
  })

  it('proposes a credit for what an issued invoice still charges, credits it and the new draft leaves those units out', async () => {
    const kornblume = buyerId('Foodcoop Kornblume')
    await call('invoices.prepareRound', { roundId })
    const draft = (await call('invoices.list', { roundId })).find((r) => r.buyerName === 'Foodcoop Kornblume' && r.status === 'draft')!
    await call('invoices.updateDraft', { id: draft.id, shipping: '12,00', charges: [] })
    const invoice = await call('invoices.issue', { id: draft.id })
    expect(invoice.grossMinor).toBe(10_937)

    const mate = await lineOf('Foodcoop Kornblume', 'LH-YM1K')
    const wine = await lineOf('Foodcoop Kornblume', 'CT-DC750')
    await call('distribution.check', { lineId: mate.lineId, ticked: true, counted: 5, missing: 1, damaged: 0, note: null })
    await call('distribution.check', { lineId: wine.lineId, ticked: true, counted: 6, missing: 0, damaged: 2, note: 'Zwei Flaschen zerbrochen' })
    const [proposal, ...others] = await call('distribution.proposals', { roundId })
    expect(others).toEqual([])
    expect(proposal!.buyerName).toBe('Foodcoop Kornblume')
    expect(proposal!.invoiceNumber).toBe(invoice.number)
    expect(proposal!.lines.map((l) => [l.sku, l.missingMilli, l.damagedMilli, l.creditMilli, l.unitPriceMinor, l.rateBp, l.netMinor])).toEqual([
      ['CT-DC750', 0, 2000, 2000, 500, 1900, 1000],
      ['LH-YM1K', 1000, 0, 1000, 435, 700, 435]
    ])
    expect(proposal!.vatRates).toEqual([
      { rateBp: 1900, netMinor: 1000, vatMinor: 190 },
      { rateBp: 700, netMinor: 435, vatMinor: 31 }
    ])
    expect([proposal!.netMinor, proposal!.vatMinor, proposal!.grossMinor]).toEqual([1435, 221, 1656])

    const { creditNote, draftId } = await call('distribution.proposeCredit', { roundId, buyerId: kornblume })
    expect(creditNote.number).toMatch(/^ST-\d{4}-\d{5}$/)
    expect(creditNote.grossMinor).toBe(10_937)
    const note = await call('invoices.get', { id: creditNote.id })
    expect(note.notes).toBe('Bei der Übergabe fehlend oder beschädigt: CT-DC750 Del Contratista Syrah-Bonarda 13.5 % (2 beschädigt); LH-YM1K Mate-Tee mit Stängeln 1 kg (1 fehlend).')
    const next = await call('invoices.get', { id: draftId })
    expect(next.shippingMinor).toBe(1200)
    expect(next.document.lines.filter((l) => l.sku).map((l) => [l.sku, l.quantityMilli, l.netMinor])).toEqual([
      ['CT-DC750', 4000, 2000],
      ['LH-YM1K', 5000, 2175],
      ['LH-YM500', 12_000, 2940]
    ])
    expect([next.document.netMinor, next.document.vatMinor, next.document.grossMinor]).toEqual([8315, 966, 9281])
    expect(invoice.grossMinor - next.document.grossMinor).toBe(proposal!.grossMinor)
    // Credited, nothing is proposed; nor once the new invoice (without those units) is issued.
    expect(await call('distribution.proposals', { roundId })).toEqual([])
    await call('invoices.issue', { id: draftId })
    expect(await call('distribution.proposals', { roundId })).toEqual([])
    expect((await fail('distribution.proposeCredit', { roundId, buyerId: kornblume })).code).toBe('distribution.no_proposal')
  })

  it('locks the tick list of a closed round, in the core and in the database', async () => {
    const mate = await lineOf('Foodcoop Kornblume', 'LH-YM1K')
    await call('distribution.check', { lineId: mate.lineId, ticked: true, counted: 6, missing: 0, damaged: 0, note: null })
    const ws = temp.session.requireWorkspace()
    ws.db.transaction(() => ws.write.update('round', roundId, { status: 'settled' }))()
    const before = checks()
    expect((await fail('distribution.check', { lineId: mate.lineId, ticked: false, counted: null, missing: 0, damaged: 0, note: null })).code).toBe('round.locked')
    expect((await fail('distribution.proposeCredit', { roundId, buyerId: buyerId('Foodcoop Kornblume') })).code).toBe('round.locked')
    // Whatever code asks, the trigger refuses a change of a closed round's checks.
    expect(() => ws.db.prepare('UPDATE distribution_check SET ticked = 0').run()).toThrow(/round is closed/)
    expect(checks()).toEqual(before)
    expect((await call('distribution.checklist', { roundId })).locked).toBe(true)
  })
})
