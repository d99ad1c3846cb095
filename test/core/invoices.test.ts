import { createHash } from 'node:crypto'
import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { unzipSync } from 'fflate'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { stamp } from '../../src/core/common/env.ts'
import { issueInvoice } from '../../src/core/invoices/invoices.ts'
import { invoicePrinter } from '../../src/core/invoices/printer.ts'
import { api } from '../support/api.ts'
import { validateEinvoices } from '../support/einvoice.ts'
import { RESOURCES, type TempSession, tempSession } from '../support/workspace.ts'

/**
 * Invoices of the demo round through the API (issue 11). The demo's figures, worked out by hand:
 *
 * - Foodcoop Kornblume (domestic, DE) receives 6 × Syrah-Bonarda 5,00 € (19 %) = 30,00 €, 6 × mate 1 kg
 *   4,35 € = 26,10 € and 12 × mate 500 g 2,45 € = 29,40 € (7 %). With a shipping charge of 12,00 €:
 *   - taxed in full at 19 %: 42,00 → VAT 7,98; 7 %: 55,50 → 3,885 → 3,89; net 97,50, VAT 11,87, gross 109,37;
 *   - split by the goods' net 30,00 : 55,50: 12,00 × 30/85,5 = 4,2105 → 4,21 and 7,7894 → 7,79 (largest
 *     remainder); 19 %: 34,21 → 6,4999 → 6,50; 7 %: 63,29 → 4,4303 → 4,43; VAT 10,93, gross 108,43.
 * - Verteilknoten Ruhr ordered 12 × 2,15 + 3 × 4,35 + 5 × 2,45 + 6 × 1,00 = 57,10 € net, all at 7 %: gross
 *   61,10 €; a 50 % deposit is 30,55 → 30,00 € (whole euros, rounded down). It receives 3 + 1 (tolerance)
 *   bags of mate 1 kg: 4 × 4,35 = 17,40 € + 7 % (1,218 → 1,22) = 18,62 €. With the 30,00 € deposit paid the
 *   invoice shows a refund of 11,38 €.
 * - Foodcoop Ottakring (Austria, a business with a VAT ID): intra-EU, 0 %: 25,50 + 27,90 + 51,00 = 104,40 €.
 */
describe('invoices of the demo round', () => {
  let temp: TempSession
  const { call, fail } = api(() => temp.session)
  let roundId: string
  const db = () => temp.session.requireWorkspace().db
  const byBuyer = async (name: string) => {
    const rows = await call('invoices.list', { roundId })
    const row = rows.find((r) => r.buyerName === name && r.kind === 'invoice' && r.status === 'draft')
    expect(row, name).toBeTruthy()
    return call('invoices.get', { id: row!.id })
  }

  beforeEach(async () => {
    temp = tempSession({ prefix: 'puente-invoices-' })
    await temp.session.openDemo()
    roundId = db().prepare('SELECT id FROM round').pluck().get() as string
    await call('rounds.setStatus', { id: roundId, status: 'closed' })
  })
  afterEach(() => temp.dispose())

  it('taxes shipping at 19 % in full or split by the goods’ rates, to the cent', async () => {
    await call('invoices.prepareRound', { roundId })
    const draft = await byBuyer('Foodcoop Kornblume')
    expect(draft.vatCase).toBe('domestic')
    await call('invoices.updateDraft', { id: draft.id, shipping: '12,00', charges: [] })
    let d = (await call('invoices.get', { id: draft.id })).document
    expect(d.vatRates.map((r) => [r.rateBp, r.netMinor, r.vatMinor])).toEqual([
      [1900, 4200, 798],
      [700, 5550, 389]
    ])
    expect([d.netMinor, d.vatMinor, d.grossMinor]).toEqual([9750, 1187, 10937])

    await call('invoices.saveSettings', { shippingVat: 'split', depositPercent: 50, paymentDays: 14 })
    d = (await call('invoices.get', { id: draft.id })).document
    expect(d.lines.filter((l) => l.sku === null).map((l) => [l.netMinor, l.rateBp])).toEqual([
      [421, 1900],
      [779, 700]
    ])
    expect(d.vatRates.map((r) => [r.rateBp, r.netMinor, r.vatMinor])).toEqual([
      [1900, 3421, 650],
      [700, 6329, 443]
    ])
    expect(d.grossMinor).toBe(10_843)
  })

  it('requests deposits in whole euros, deducts the one paid and shows a refund', async () => {
    const deposits = await call('invoices.requestDeposits', { roundId, sharePercent: 50 })
    const ruhr = deposits.issued.find((r) => r.buyerName === 'Verteilknoten Ruhr')!
    expect(ruhr.number).toMatch(/^AN-\d{4}-\d{5}$/)
    expect(ruhr.dueMinor).toBe(3000)
    // Asking again leaves everyone who has one out.
    expect((await call('invoices.requestDeposits', { roundId, sharePercent: 50 })).issued).toEqual([])
    await call('invoices.recordDeposit', { invoiceId: ruhr.id, amount: '30', paidOn: '2026-12-01' })
    await call('invoices.prepareRound', { roundId })
    const draft = await byBuyer('Verteilknoten Ruhr')
    expect(draft.document.lines.map((l) => [l.sku, l.quantityMilli, l.netMinor, l.note])).toEqual([['LH-YM1K', 4000, 1740, '3 bestellt + 1 aus der Toleranz']])
    expect([draft.document.grossMinor, draft.document.prepaidMinor, draft.document.dueMinor]).toEqual([1862, 3000, -1138])
    expect(draft.document.dueDate).toBeNull()
    const issued = await call('invoices.issue', { id: draft.id })
    expect(issued.dueMinor).toBe(-1138)
    // Cancelled, the deposit deducted goes back with it: the credit note takes back 18,62 − 30,00 = −11,38,
    // and the new invoice deducts the 30,00 again, so the buyer's balance counts the deposit once.
    const { creditNote, draftId } = await call('invoices.credit', { id: issued.id, reason: 'Probe' })
    expect([creditNote.grossMinor, creditNote.prepaidMinor, creditNote.dueMinor]).toEqual([1862, 3000, -1138])
    const again = await call('invoices.get', { id: draftId })
    expect([again.document.prepaidMinor, again.document.dueMinor]).toEqual([3000, -1138])
    // A payment beyond what is open on the request is refused, and nothing is recorded.
    const tooMuch = await fail('invoices.recordDeposit', { invoiceId: ruhr.id, amount: '1', paidOn: '2026-12-02' })
    expect([tooMuch.code, tooMuch.params]).toEqual(['invoices.payment_too_large', { amount: '1,00\u00a0€', open: '0,00\u00a0€' }])
    expect(db().prepare('SELECT count(*) FROM payment').pluck().get()).toBe(1)
  })

  it('takes the VAT rate in force on the day of supply, and refuses a class without one', async () => {
    await call('invoices.prepareRound', { roundId })
    const draft = await byBuyer('Verteilknoten Ruhr')
    const ws = temp.session.requireWorkspace()
    const reduced = db().prepare("SELECT id FROM vat_rate WHERE country = 'DE' AND class = 'reduced' AND deleted_at IS NULL").pluck().get() as string
    // Suppose the reduced rate went to 9 % from 2027: a supply on 5 January 2027 is taxed at 9 %.
    ws.db.transaction(() => {
      ws.write.update('vat_rate', reduced, { valid_to: '2027-01-01' })
      ws.write.insert('vat_rate', { id: ws.env.uuid(), country: 'DE', class: 'reduced', rate_bp: 900, valid_from: '2027-01-01' })
    })()
    await call('invoices.updateDraft', { id: draft.id, shipping: '0', charges: [], deliveryDate: '2027-01-05' })
    let d = (await call('invoices.get', { id: draft.id })).document
    // 17,40 at 9 % = 1,566 → 1,57.
    expect(d.vatRates.map((r) => [r.rateBp, r.netMinor, r.vatMinor])).toEqual([[900, 1740, 157]])
    await call('invoices.updateDraft', { id: draft.id, shipping: '0', charges: [], deliveryDate: '2026-12-01' })
    d = (await call('invoices.get', { id: draft.id })).document
    expect(d.vatRates.map((r) => [r.rateBp, r.vatMinor])).toEqual([[700, 122]])
    // Without any reduced rate in force, issuing is refused, naming the class.
    ws.db.transaction(() => ws.write.update('vat_rate', reduced, { valid_from: '2026-12-02' }))()
    const error = await fail('invoices.issue', { id: draft.id })
    expect(error.code).toBe('invoices.not_ready')
    expect(String(error.params?.missing)).toBe('Für DE ist am 2026-12-01 kein Umsatzsteuersatz hinterlegt: Ermäßigter Satz (Einstellungen → Referenzdaten).')
  })

  it('refuses a 0 % case that does not fit the addresses: intra-EU to a German VAT ID, export inside the EU', async () => {
    await call('invoices.prepareRound', { roundId })
    const ottakring = await byBuyer('Foodcoop Ottakring')
    const kornblume = await byBuyer('Foodcoop Kornblume')
    const ws = temp.session.requireWorkspace()
    ws.db.transaction(() => {
      ws.write.update('buyer', ottakring.buyerId, { vat_id: 'DE136695976' })
      ws.write.update('buyer', kornblume.buyerId, { tax_treatment: 'export' })
    })()
    expect((await call('invoices.get', { id: ottakring.id })).problems).toEqual([{ code: 'buyer_vat_country', params: { buyer: 'Foodcoop Ottakring' } }])
    expect((await call('invoices.get', { id: kornblume.id })).problems).toEqual([{ code: 'export_in_eu', params: { buyer: 'Foodcoop Kornblume' } }])
    expect((await fail('invoices.issue', { id: ottakring.id })).code).toBe('invoices.not_ready')
    expect(db().prepare('SELECT count(*) FROM issued_number').pluck().get()).toBe(0)
  })

  it('a consumer in Austria pays German VAT under the threshold, unless last year’s supplies passed it', async () => {
    await call('invoices.prepareRound', { roundId })
    const ottakring = await byBuyer('Foodcoop Ottakring')
    const ws = temp.session.requireWorkspace()
    ws.db.transaction(() => ws.write.update('buyer', ottakring.buyerId, { vat_id: null, tax_treatment: 'eu_consumer' }))()
    const before = await call('invoices.get', { id: ottakring.id })
    expect([before.vatCase, before.problems, before.distanceSelling?.level]).toEqual(['eu_consumer', [], 'ok'])
    // Last year: 10.000,01 € to consumers elsewhere in the EU (an invoice of then to another buyer, as stored).
    const other = db().prepare("SELECT id FROM buyer WHERE name = 'Quartierladen Lorraine'").pluck().get() as string
    const lastYear = String(Number(new Date().toISOString().slice(0, 4)) - 1)
    db()
      .prepare(
        `INSERT INTO invoice (id, kind, status, round_id, buyer_id, number, seq, issue_date, currency, vat_case, net_minor, document, hash, created_at, updated_at)
         VALUES ('00000000-0000-4000-8000-00000000a001', 'invoice', 'issued', ?, ?, ?, 999999, ?, 'EUR', 'eu_consumer', 1000001, '{}', 'x', ?, ?)`
      )
      .run(roundId, other, `RE-${lastYear}-99999`, `${lastYear}-06-01`, `${lastYear}-06-01T10:00:00Z`, `${lastYear}-06-01T10:00:00Z`)
    expect((await call('invoices.get', { id: ottakring.id })).problems).toEqual([{ code: 'distance_over_last_year', params: { buyer: 'Foodcoop Ottakring', year: lastYear } }])
    expect((await fail('invoices.issue', { id: ottakring.id })).code).toBe('invoices.not_ready')
  })

  it('issues intra-EU at 0 % with both VAT IDs and its note; refuses a buyer without a valid VAT ID, numbering nothing', async () => {
    await call('invoices.prepareRound', { roundId })
    const draft = await byBuyer('Foodcoop Ottakring')
    expect(draft.vatCase).toBe('intra_eu')
    expect(draft.document.vatRates.map((r) => [r.category, r.rateBp, r.netMinor, r.vatMinor])).toEqual([['K', 0, 10_440, 0]])
    expect(draft.document.legalNote).toContain('§ 6a UStG')
    expect(draft.document.legalNote).toContain(draft.document.buyer.vatId!)

    // The VAT ID is taken away behind the form's back (the form would refuse it): issuing must refuse.
    const buyerId = draft.buyerId
    const ws = temp.session.requireWorkspace()
    ws.db.transaction(() => ws.write.update('buyer', buyerId, { vat_id: null }))()
    const numbered = () => db().prepare('SELECT count(*) FROM issued_number').pluck().get() as number
    const before = numbered()
    const error = await fail('invoices.issue', { id: draft.id })
    expect(error.code).toBe('invoices.not_ready')
    expect(String(error.params?.missing)).toContain('Foodcoop Ottakring ist als Unternehmen in der EU eingetragen, hat aber keine gültige USt-IdNr.')
    expect(numbered()).toBe(before)
    expect(db().prepare("SELECT count(*) FROM invoice WHERE status = 'issued'").pluck().get()).toBe(0)
  })

  it('refuses a buyer without address and an organisation without IBAN or tax number, naming what is missing', async () => {
    await call('invoices.prepareRound', { roundId })
    const draft = await byBuyer('Foodcoop Kornblume')
    const ws = temp.session.requireWorkspace()
    const orgId = db().prepare('SELECT id FROM organisation').pluck().get() as string
    ws.db.transaction(() => {
      ws.write.update('buyer', draft.buyerId, { street: null })
      ws.write.update('organisation', orgId, { iban: null, vat_id: null, tax_number: null })
    })()
    const error = await fail('invoices.issue', { id: draft.id })
    expect(error.code).toBe('invoices.not_ready')
    const missing = String(error.params?.missing)
    expect(missing).toContain('Bei Foodcoop Kornblume fehlt die vollständige Anschrift')
    expect(missing).toContain('Die IBAN der Organisation fehlt')
    expect(missing).toContain('USt-IdNr. oder eine Steuernummer')
    expect(db().prepare('SELECT count(*) FROM issued_number').pluck().get()).toBe(0)
    // The same through the bulk job: nothing issued, nothing numbered.
    const bulk = await fail('invoices.issueRound', { roundId })
    expect(bulk.code).toBe('invoices.not_ready')
    expect(db().prepare("SELECT count(*) FROM invoice WHERE status = 'issued'").pluck().get()).toBe(0)
  })

  it('never changes an issued invoice: SQLite refuses UPDATE and DELETE of it, its lines and its files', async () => {
    await call('invoices.prepareRound', { roundId })
    const draft = await byBuyer('Foodcoop Kornblume')
    const issued = await call('invoices.issue', { id: draft.id })
    expect(issued.number).toMatch(/^RE-\d{4}-00001$/)
    const raw = db()
    expect(() => raw.prepare('UPDATE invoice SET gross_minor = 1 WHERE id = ?').run(issued.id)).toThrow(/immutable/)
    expect(() => raw.prepare('UPDATE invoice SET deleted_at = ? WHERE id = ?').run('2026-12-06', issued.id)).toThrow(/immutable/)
    expect(() => raw.prepare('DELETE FROM invoice WHERE id = ?').run(issued.id)).toThrow(/immutable/)
    expect(() => raw.prepare('UPDATE invoice_line SET net_minor = 1 WHERE invoice_id = ?').run(issued.id)).toThrow(/immutable/)
    expect(() => raw.prepare('DELETE FROM invoice_line WHERE invoice_id = ?').run(issued.id)).toThrow(/immutable/)
    expect(() =>
      raw
        .prepare("INSERT INTO invoice_line (id, invoice_id, position, kind, description, quantity_milli, unit_price_minor, net_minor, vat_category, rate_bp, created_at, updated_at) VALUES ('x', ?, 99, 'charge', 'x', 1000, 1, 1, 'S', 1900, 'x', 'x')")
        .run(issued.id)
    ).toThrow(/immutable/)
    expect(() => raw.prepare('UPDATE invoice_file SET xml = NULL WHERE invoice_id = ?').run(issued.id)).toThrow(/immutable/)
    expect(() => raw.prepare('DELETE FROM invoice_file WHERE invoice_id = ?').run(issued.id)).toThrow(/immutable/)
    expect((await fail('invoices.updateDraft', { id: issued.id, shipping: '1', charges: [] })).code).toBe('invoices.already_issued')
    expect((await fail('invoices.deleteDraft', { id: issued.id })).code).toBe('invoices.already_issued')
    // The stored files are the ones issued: the XML is the invoice's, the PDF names its number.
    const file = raw.prepare('SELECT pdf, xml, sha256 FROM invoice_file WHERE invoice_id = ?').get(issued.id) as { pdf: Buffer; xml: string; sha256: string }
    expect(createHash('sha256').update(file.pdf).digest('hex')).toBe(file.sha256)
    expect(file.xml).toContain(`<ram:ID>${issued.number}</ram:ID>`)
    expect(file.xml).toContain('<ram:GrandTotalAmount>95.09</ram:GrandTotalAmount>')
    const pdfPath = join(temp.dir, 'issued.pdf')
    writeFileSync(pdfPath, file.pdf)
    expect(execFileSync('pdftotext', ['-layout', pdfPath, '-'], { encoding: 'utf8' })).toContain(issued.number!)
  })

  it('credits an issued invoice with its own series, referring to it, and opens a new draft', async () => {
    await call('invoices.prepareRound', { roundId })
    const draft = await byBuyer('Foodcoop Kornblume')
    const issued = await call('invoices.issue', { id: draft.id })
    const { creditNote, draftId } = await call('invoices.credit', { id: issued.id, reason: 'Falsche Menge' })
    expect(creditNote.number).toMatch(/^ST-\d{4}-00001$/)
    expect(creditNote.kind).toBe('credit_note')
    expect(creditNote.grossMinor).toBe(9509)
    expect(creditNote.credits).toEqual({ id: issued.id, number: issued.number })
    const credit = await call('invoices.get', { id: creditNote.id })
    expect(credit.document.precedingInvoice).toEqual({ number: issued.number, issueDate: issued.issueDate })
    expect(credit.document.notes).toContain(`Storno der Rechnung ${issued.number}`)
    expect((await call('invoices.get', { id: issued.id })).creditedBy).toEqual({ id: creditNote.id, number: creditNote.number })
    expect((await fail('invoices.credit', { id: issued.id, reason: 'noch einmal' })).code).toBe('invoices.already_credited')
    const again = await call('invoices.get', { id: draftId })
    expect([again.status, again.problems]).toEqual(['draft', []])
    const second = await call('invoices.issue', { id: draftId })
    expect(second.number).toMatch(/-00002$/)
  })

  it('issues the round in bulk (a worker job), gives the bookkeeper a CSV and every document in a ZIP', async () => {
    const deposits = await call('invoices.requestDeposits', { roundId, sharePercent: 50 })
    const ruhr = deposits.issued.find((r) => r.buyerName === 'Verteilknoten Ruhr')!
    await call('invoices.recordDeposit', { invoiceId: ruhr.id, amount: '30,00', paidOn: '2026-12-01' })
    const { issued } = await call('invoices.issueRound', { roundId })
    expect(issued.map((i) => i.buyerName)).toEqual(['Cooperativa Germinal', 'Foodcoop Kornblume', 'Foodcoop Ottakring', 'Verteilknoten Ruhr', 'Weltladen Connewitz'])
    expect(issued.map((i) => i.number!.slice(-5))).toEqual(['00001', '00002', '00003', '00004', '00005'])
    // Nothing left to issue: a second run issues nothing and numbers nothing.
    expect((await call('invoices.issueRound', { roundId })).issued).toEqual([])

    const csv = await call('invoices.exportCsv', { roundId })
    const text = Buffer.from(csv.dataBase64, 'base64').toString('utf8')
    const lines = text.replace(/^\uFEFF/, '').trim().split('\r\n')
    expect(lines[0]).toBe('Nummer;Art;Datum;Empfänger;USt-IdNr.;Steuerfall;Netto 19 %;USt 19 %;Netto 7 %;USt 7 %;Netto steuerfrei;Netto;USt;Brutto;Anzahlung;Saldo;Währung'.replace(/ %/g, '\u00a0%'))
    const kornblume = lines.find((l) => l.includes('Foodcoop Kornblume') && l.startsWith('RE-'))!.split(';')
    // 30,00 at 19 % (VAT 5,70) and 55,50 at 7 % (3,89): 85,50 + 9,59 = 95,09, no deposit paid.
    expect(kornblume.slice(6)).toEqual(['30,00', '5,70', '55,50', '3,89', '0,00', '85,50', '9,59', '95,09', '0,00', '95,09', 'EUR'])
    const ruhrLine = lines.find((l) => l.includes('Verteilknoten Ruhr') && l.startsWith('RE-'))!.split(';')
    expect(ruhrLine.slice(-4)).toEqual(['18,62', '30,00', '-11,38', 'EUR'])

    // Every XML the app issued for the round (domestic, intra-EU, a refund) and a credit note passes the
    // official schema and the EN 16931 rules.
    await call('invoices.credit', { id: issued[1]!.id, reason: 'Probe' })
    const xmls = db().prepare("SELECT i.number, f.xml FROM invoice i JOIN invoice_file f ON f.invoice_id = i.id WHERE f.xml IS NOT NULL").all() as { number: string; xml: string }[]
    expect(xmls).toHaveLength(6)
    const reports = validateEinvoices(Object.fromEntries(xmls.map((x) => [x.number, x.xml])))
    for (const [number, r] of Object.entries(reports)) {
      expect([number, r.xsdValid, r.fatal]).toEqual([number, true, []])
      expect(r.firedRules, number).toBeGreaterThan(50)
    }

    const zip = unzipSync(Buffer.from((await call('invoices.exportZip', { roundId })).dataBase64, 'base64'))
    const names = Object.keys(zip)
    // 6 deposit requests (PDF only), 5 invoices and a credit note (PDF and XML).
    expect(names.filter((n) => n.endsWith('.pdf'))).toHaveLength(12)
    expect(names.filter((n) => n.endsWith('.xml'))).toHaveLength(6)
    expect(names.some((n) => n.startsWith(issued[1]!.number!) && n.endsWith('Foodcoop Kornblume.pdf'))).toBe(true)
  })

  it('gives a buyer who asks for it an XRechnung, which needs its buyer reference', async () => {
    await call('invoices.prepareRound', { roundId })
    const draft = await byBuyer('Weltladen Connewitz')
    const buyer = await call('buyers.get', { id: draft.buyerId })
    const saved = {
      id: buyer.id,
      name: buyer.name,
      type: 'shop' as const,
      street: buyer.street,
      postalCode: buyer.postalCode,
      city: buyer.city,
      country: 'DE' as const,
      language: 'de' as const,
      vatId: buyer.vatId,
      taxTreatment: 'domestic' as const
    }
    expect([buyer.type, buyer.country, buyer.language, buyer.taxTreatment]).toEqual(['shop', 'DE', 'de', 'domestic'])
    const refused = await fail('buyers.save', { ...saved, einvoiceProfile: 'xrechnung', buyerReference: '' })
    expect(refused.params?.fields).toMatchObject({ buyerReference: { code: 'required' } })
    await call('buyers.save', { ...saved, einvoiceProfile: 'xrechnung', buyerReference: '04011000-12345-67' })
    // An XRechnung goes to the buyer's electronic address: without an e-mail among its contacts it is refused.
    const noAddress = await fail('invoices.issue', { id: draft.id })
    expect(String(noAddress.params?.missing)).toContain('keine E-Mail-Adresse')
    await call('buyers.save', { ...saved, einvoiceProfile: 'xrechnung', buyerReference: '04011000-12345-67', contacts: [{ name: 'Kasse', email: 'kasse@weltladen.example' }] })
    const issued = await call('invoices.issue', { id: draft.id })
    const xml = db().prepare('SELECT xml FROM invoice_file WHERE invoice_id = ?').pluck().get(issued.id) as string
    expect(xml).toContain('urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0')
    expect(xml).toContain('<ram:BuyerReference>04011000-12345-67</ram:BuyerReference>')
    expect(xml).toContain('<ram:URIID schemeID="EM">kasse@weltladen.example</ram:URIID>')
  })

  it('numbers 1,000 documents gaplessly and uniquely, with rolled-back issues in between, and chains their hashes', async () => {
    await call('invoices.prepareRound', { roundId })
    const ws = temp.session.requireWorkspace()
    const printer = invoicePrinter(RESOURCES, () => stamp(ws.env))
    let id = (await byBuyer('Verteilknoten Ruhr')).id
    let documents = 0
    for (let i = 0; documents < 1000; i++) {
      if (i % 7 === 3) {
        // An issue that fails after taking its number: the transaction rolls back and gives it back.
        expect(() =>
          ws.db.transaction(() => {
            issueInvoice(ws, id, printer, 'de')
            throw new Error('power cut')
          })()
        ).toThrow('power cut')
        continue
      }
      const issued = ws.db.transaction(() => issueInvoice(ws, id, printer, 'de'))()
      documents++
      const credited = await call('invoices.credit', { id: issued.id, reason: `Probe ${i}` })
      documents++
      id = credited.draftId
    }
    const numbers = (kind: string) => db().prepare(`SELECT number FROM invoice WHERE kind = ? AND status = 'issued' ORDER BY seq`).pluck().all(kind) as string[]
    for (const kind of ['invoice', 'credit_note']) {
      const list = numbers(kind)
      expect(list).toHaveLength(500)
      expect(new Set(list).size).toBe(500)
      expect(list.map((n) => Number(n.slice(-5)))).toEqual(Array.from({ length: 500 }, (_, i) => i + 1))
    }
    expect(db().prepare('SELECT count(*) FROM issued_number WHERE series IN (?, ?)').pluck().get('invoice', 'credit_note')).toBe(1000)
    // The hash chain: each document's hash covers the previous one's, its number, day, XML and PDF.
    const rows = db().prepare("SELECT i.number, i.issue_date, i.prev_hash, i.hash, f.xml, f.pdf FROM invoice i JOIN invoice_file f ON f.invoice_id = i.id WHERE i.status = 'issued' ORDER BY i.seq").all() as {
      number: string
      issue_date: string
      prev_hash: string | null
      hash: string
      xml: string | null
      pdf: Buffer
    }[]
    const sha = (d: string | Buffer) => createHash('sha256').update(d).digest('hex')
    let prev = ''
    for (const r of rows) {
      expect(r.prev_hash ?? '').toBe(prev)
      expect(r.hash).toBe(sha([prev, r.number, r.issue_date, sha(r.xml ?? ''), sha(r.pdf)].join('\n')))
      prev = r.hash
    }
  }, 240_000)
})
