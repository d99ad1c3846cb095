import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
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
