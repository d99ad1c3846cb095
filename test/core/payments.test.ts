import { execFileSync, spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { overdueDocuments } from '../../src/core/payments/payments.ts'
import { api } from '../support/api.ts'
import { CAMT_STATEMENT, CSV_STATEMENT } from '../fixtures/statements.ts'
import { artefactPath } from '../support/artefacts.ts'
import { type TempSession, tempSession } from '../support/workspace.ts'

/**
 * Money in (issue 12): a CAMT.053 statement of the demo's account (test/fixtures/statements.ts,
 * written for this test and valid against the ISO 20022 schema) imported and matched to the demo round's
 * deposit requests. The requests, in the order of the buyers' names (50 %, whole euros): AN-2026-00001
 * Cooperativa Germinal 57,00 €, …00002 Foodcoop Kornblume 73,00 €, …00005 Verteilknoten Ruhr 30,00 €,
 * …00006 Weltladen Connewitz 199,00 €. The statement:
 * - 30,00 € from Verteilknoten Ruhr with the reference RF61AN202600005 (that of AN-2026-00005);
 * - 73,00 € from "Foodcoop Kornblume e.V." with "AN-2026-00002" in the text;
 * - a batch of 57,00 € from "COOPERATIVA GERMINAL SCCL" (no reference: amount and name) and 75,00 € from
 *   a private person (no match);
 * - 12,50 € of bank fees out; a pending entry of 500,00 € (not booked, left out).
 */
describe('bank statements (CAMT.053) and payments', () => {
  let temp: TempSession
  const { call, fail } = api(() => temp.session)
  let roundId: string
  const db = () => temp.session.requireWorkspace().db
  const statement = () => new TextEncoder().encode(CAMT_STATEMENT)
  const paidOn = (number: string) =>
    db().prepare('SELECT coalesce(sum(a.amount_minor), 0) FROM payment_allocation a JOIN invoice i ON i.id = a.invoice_id WHERE i.number = ?').pluck().get(number) as number

  beforeEach(async () => {
    temp = tempSession({ prefix: 'puente-payments-' })
    await temp.session.openDemo()
    roundId = db().prepare('SELECT id FROM round').pluck().get() as string
    await call('rounds.setStatus', { id: roundId, status: 'closed' })
    const deposits = await call('invoices.requestDeposits', { roundId, sharePercent: 50 })
    expect(deposits.issued.map((d) => [d.number, d.buyerName, d.grossMinor])).toContainEqual(['AN-2026-00005', 'Verteilknoten Ruhr', 3000])
  })
  afterEach(() => temp.dispose())

  it('the statement written for the test is a valid CAMT.053.001.08 document', () => {
    const run = spawnSync('xmllint', ['--noout', '--schema', artefactPath('iso20022', 'camt.053.001.08.xsd'), '-'], { encoding: 'utf8', input: CAMT_STATEMENT })
    expect([run.status, run.stderr.trim()]).toEqual([0, '- validates'])
  })

  it('books each transaction once, matches by reference, by number and by amount and name, and leaves the rest in the inbox', async () => {
    const result = await call('payments.importStatement', { fileName: 'kontoauszug.xml', data: statement() })
    expect(result).toEqual({ booked: 5, matched: 3, unmatched: 1, skipped: 0 })
    expect(paidOn('AN-2026-00005')).toBe(3000)
    expect(paidOn('AN-2026-00002')).toBe(7300)
    expect(paidOn('AN-2026-00001')).toBe(5700)
    const payments = await call('payments.list')
    // The one not matched comes first.
    expect(payments[0]).toMatchObject({ counterparty: 'Erika Mustermann', amountMinor: 7500, buyerId: null, allocatedMinor: 0, reference: 'Spende Solifonds' })
    expect(payments.find((p) => p.direction === 'out')).toMatchObject({ amountMinor: 1250, bookedOn: '2026-12-04', reference: 'Kontoführung November' })
    expect(payments.find((p) => p.counterparty === 'Verteilknoten Ruhr')).toMatchObject({ buyerName: 'Verteilknoten Ruhr', documents: ['AN-2026-00005'], counterpartyIban: 'DE33100205000001194700' })

    // The same statement again books nothing.
    const again = await call('payments.importStatement', { fileName: 'kontoauszug.xml', data: statement() })
    expect(again).toEqual({ booked: 0, matched: 0, unmatched: 0, skipped: 5 })
    expect(db().prepare('SELECT count(*) FROM payment').pluck().get()).toBe(5)
    expect(paidOn('AN-2026-00005')).toBe(3000)
  })

  it('matches the rest by hand, and the final invoice deducts what was paid', async () => {
    await call('payments.importStatement', { fileName: 'kontoauszug.xml', data: statement() })
    const donation = (await call('payments.list'))[0]!
    const connewitz = db().prepare("SELECT id FROM buyer WHERE name = 'Weltladen Connewitz'").pluck().get() as string
    const ruhr = db().prepare("SELECT id FROM buyer WHERE name = 'Verteilknoten Ruhr'").pluck().get() as string
    const request = db().prepare("SELECT id FROM invoice WHERE number = 'AN-2026-00006'").pluck().get() as string
    // What can be matched by hand: Connewitz's request is open in full, Ruhr's was paid by the statement.
    expect(await call('payments.openDocuments', { buyerId: connewitz })).toEqual([{ id: request, kind: 'deposit', number: 'AN-2026-00006', currency: 'EUR', openMinor: 19_900 }])
    expect(await call('payments.openDocuments', { buyerId: ruhr })).toEqual([])
    // Not this buyer's document: refused, nothing matched.
    expect((await fail('payments.allocate', { paymentId: donation.id, buyerId: ruhr, invoiceIds: [request] })).code).toBe('payments.not_buyers')
    await call('payments.allocate', { paymentId: donation.id, buyerId: connewitz, invoiceIds: [request] })
    expect(paidOn('AN-2026-00006')).toBe(7500)
    expect((await call('payments.openDocuments', { buyerId: connewitz }))[0]).toMatchObject({ number: 'AN-2026-00006', openMinor: 12_400 })
    expect((await fail('payments.allocate', { paymentId: donation.id, buyerId: connewitz, invoiceIds: [] })).code).toBe('payments.already_matched')

    // Ruhr's final invoice: 4 × 4,35 = 17,40 € + 7 % = 18,62 €, less its 30,00 € paid: 11,38 € back to it.
    await call('invoices.prepareRound', { roundId })
    const draft = (await call('invoices.list', { roundId })).find((r) => r.buyerName === 'Verteilknoten Ruhr' && r.kind === 'invoice')!
    const issued = await call('invoices.issue', { id: draft.id })
    expect([issued.grossMinor, issued.prepaidMinor, issued.dueMinor]).toEqual([1862, 3000, -1138])
    const balances = await call('payments.balances')
    expect(balances.find((b) => b.buyerName === 'Verteilknoten Ruhr')).toMatchObject({ invoicedMinor: 1862, receivedMinor: 3000, balanceMinor: -1138 })
    // Connewitz has no final invoice yet: it was asked its deposit of 199,00 € and paid 75,00 €.
    expect(balances.find((b) => b.buyerName === 'Weltladen Connewitz')).toMatchObject({ invoicedMinor: 19_900, receivedMinor: 7500, balanceMinor: 12_400 })
    // Germinal paid its deposit in full: nothing open, nothing to its credit.
    expect(balances.find((b) => b.buyerName === 'Cooperativa Germinal')).toMatchObject({ invoicedMinor: 5700, receivedMinor: 5700, balanceMinor: 0 })

    // Connewitz's final invoice: 89,40 + 19,60 + 69,00 + 60,00 = 238,00 € at 7 % (16,66) = 254,66 €, less the
    // 75,00 € paid: 179,66 € due — and its deposit request asks for nothing more.
    const connewitzDraft = (await call('invoices.list', { roundId })).find((r) => r.buyerName === 'Weltladen Connewitz' && r.kind === 'invoice')!
    const connewitzInvoice = await call('invoices.issue', { id: connewitzDraft.id })
    expect([connewitzInvoice.grossMinor, connewitzInvoice.dueMinor]).toEqual([25_466, 17_966])
    expect((await call('payments.openDocuments', { buyerId: connewitz })).map((d) => [d.number, d.openMinor])).toEqual([[connewitzInvoice.number, 17_966]])
    expect((await call('payments.balances')).find((b) => b.buyerName === 'Weltladen Connewitz')).toMatchObject({ invoicedMinor: 25_466, receivedMinor: 7500, balanceMinor: 17_966 })

    // Money out: Ruhr's 11,38 € go back to the account it paid from.
    const refunds = await call('payments.refunds')
    expect(refunds.map((r) => [r.buyerName, r.amountMinor, r.iban])).toEqual([['Verteilknoten Ruhr', 1138, 'DE33100205000001194700']])
    const file = await call('payments.refundsFile', { executionDate: '2026-12-10' })
    const xml = Buffer.from(file.dataBase64, 'base64').toString('utf8')
    const run = spawnSync('xmllint', ['--noout', '--schema', artefactPath('iso20022', 'pain.001.001.09.xsd'), '-'], { encoding: 'utf8', input: xml })
    expect(run.status, run.stderr).toBe(0)
    expect(xml).toContain('<NbOfTxs>1</NbOfTxs>')
    expect(xml).toContain('<CtrlSum>11.38</CtrlSum>')
    expect(xml).toContain('<IBAN>DE33100205000001194700</IBAN>')
    expect(xml).toContain('<Nm>Verteilknoten Ruhr</Nm>')
    expect(file.fileName).toBe('Erstattungen 2026-12-10.xml')
  })

  it('lists what is overdue and writes a payment reminder in the buyer’s language with a QR code for the sum', async () => {
    await call('payments.importStatement', { fileName: 'kontoauszug.xml', data: statement() })
    // The deposit requests are due 14 days after today: nothing is overdue yet.
    expect(await call('payments.overdue')).toEqual([])
    // Five weeks on, the requests not paid in full are: Ottakring 75,00 €, Lorraine 43,00 €, Connewitz
    // 199,00 € (Germinal, Kornblume and Ruhr paid theirs with the statement).
    const later = overdueDocuments(temp.session.requireWorkspace(), '2027-01-15')
    expect(later.map((o) => [o.number, o.buyerName, o.openMinor])).toEqual([
      ['AN-2026-00003', 'Foodcoop Ottakring', 7500],
      ['AN-2026-00004', 'Quartierladen Lorraine', 4300],
      ['AN-2026-00006', 'Weltladen Connewitz', 19_900]
    ])
    const connewitz = db().prepare("SELECT id FROM buyer WHERE name = 'Weltladen Connewitz'").pluck().get() as string
    const file = await call('payments.reminderPdf', { buyerId: connewitz })
    const path = join(temp.dir, 'erinnerung.pdf')
    writeFileSync(path, Buffer.from(file.dataBase64, 'base64'))
    const text = execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' }).replace(/[\u00a0\u202f]/g, ' ')
    for (const expected of ['Zahlungserinnerung', 'Weltladen Connewitz', 'Bornaische Straße 18', 'Anzahlungsanforderung', 'AN-2026-00006', 'DE89 3704 0044 0532 0130 00'])
      expect(text).toContain(expected)
    expect(text).toMatch(/Offen insgesamt\s+199,00 EUR/)
    // The QR code asks for the sum, with the numbers as the payment text (EPC069-12).
    execFileSync('pdftoppm', ['-png', '-r', '200', '-f', '1', '-l', '1', path, join(temp.dir, 'page')])
    const qr = execFileSync('zbarimg', ['-q', '--raw', '-Sbinary', join(temp.dir, 'page-1.png')], { encoding: 'utf8' })
    expect(qr.replace(/\n$/, '')).toBe('BCD\n002\n1\nSCT\nCOBADEFFXXX\nSolidarische Importe e.V.\nDE89370400440532013000\nEUR199.00\n\n\nAN-2026-00006')
    // A buyer with nothing open gets no reminder.
    const germinal = db().prepare("SELECT id FROM buyer WHERE name = 'Cooperativa Germinal'").pluck().get() as string
    expect((await fail('payments.reminderPdf', { buyerId: germinal })).code).toBe('payments.nothing_open')
  })

  it('reads a bank’s CSV export (Latin-1, a few lines about the account first) the same way, once', async () => {
    // CSV_STATEMENT (test/fixtures/statements.ts): the same five bookings as the CAMT sample, as a Sparkasse-like
    // export; the reference written in blocks of four ("RF61 AN20 2600 005"); a closing balance line.
    const csv = CSV_STATEMENT
    expect(await call('payments.importStatement', { fileName: 'umsaetze.csv', data: csv })).toEqual({ booked: 5, matched: 3, unmatched: 1, skipped: 0 })
    expect([paidOn('AN-2026-00005'), paidOn('AN-2026-00002'), paidOn('AN-2026-00001')]).toEqual([3000, 7300, 5700])
    const unmatched = (await call('payments.list'))[0]!
    expect(unmatched).toMatchObject({ counterparty: 'Erika Mustermann', amountMinor: 7500, reference: 'Spende Solifonds für Kooperativen', bookedOn: '2026-12-04' })
    expect((await call('payments.list')).find((p) => p.direction === 'out')).toMatchObject({ amountMinor: 1250, reference: 'Kontoführung November' })
    expect(await call('payments.importStatement', { fileName: 'umsaetze.csv', data: csv })).toEqual({ booked: 0, matched: 0, unmatched: 0, skipped: 5 })
  })

  it('refuses a file that is no bank statement, booking nothing', async () => {
    const before = db().prepare('SELECT count(*) FROM payment').pluck().get()
    const layout = await fail('payments.importStatement', { fileName: 'bestellung.csv', data: new TextEncoder().encode('Produkt;Menge\nMate;3\n') })
    expect(layout.code).toBe('payments.csv_layout')
    for (const text of [
      '<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"><CstmrCdtTrfInitn/></Document>',
      '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">&a;</Document>',
      CAMT_STATEMENT.replace('<CdtDbtInd>CRDT</CdtDbtInd>\n        <Sts>', '<Sts>')
    ]) {
      const error = await fail('payments.importStatement', { fileName: 'x.xml', data: new TextEncoder().encode(text) })
      expect(error.code).toBe('payments.not_camt')
    }
    expect(db().prepare('SELECT count(*) FROM payment').pluck().get()).toBe(before)
    expect(db().prepare('SELECT count(*) FROM bank_statement').pluck().get()).toBe(0)
  })
})
