/// <reference lib="dom" />
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dispatch } from '../../src/core/api/dispatch.ts'
import de from '../../src/shared/i18n/de.ts'
import { CAMT_STATEMENT } from '../fixtures/statements.ts'
import { fill, missingKeys, navigate, plain, type RunningApp, screenshot, startApp, textOf, watchProblems } from './app.ts'
import { launch } from './chromium.ts'

const text = textOf

/**
 * The payments screens in a real browser (German, 1024×700), clicking and typing: the demo round closed
 * and its deposit requests issued (50 %, as the core test does), then the statement
 * test/fixtures/statements.ts's CAMT statement imported through the file input, the donation nobody could be
 * found for matched by hand, the balances, the same statement again, a file that is not a statement,
 * and the refund of Verteilknoten Ruhr's credit as a SEPA transfer file.
 *
 * The deposit requests (test/core/payments.test.ts): AN-2026-00001 Cooperativa Germinal 57,00 €,
 * …00002 Foodcoop Kornblume 73,00 €, …00005 Verteilknoten Ruhr 30,00 €, …00006 Weltladen Connewitz
 * 199,00 €. The statement pays Germinal's, Kornblume's and Ruhr's in full; Erika Mustermann's 75,00 €
 * ("Spende Solifonds") are matched here to Connewitz's request. Balances by hand, before any final invoice:
 * - Germinal: asked 57,00, received 57,00 → settled; Kornblume: 73,00 / 73,00 → settled;
 * - Ruhr: 30,00 / 30,00 → settled; Connewitz: 199,00 − 75,00 → owes 124,00 €.
 * Ruhr's final invoice (4 × 4,35 = 17,40 € + 7 % VAT 1,22 € = 18,62 €) then asks 18,62 € against the 30,00 €
 * it paid: 11,38 € to its credit, refunded to the account it paid from (DE33 1002 0500 0001 1947 00).
 */
describe('the payments screens in a real browser', () => {
  let app: RunningApp
  let browser: BrowserContext
  let page: Page
  let problems: string[]
  let roundId: string

  beforeAll(async () => {
    app = await startApp()
    const session = app.session
    roundId = session.requireWorkspace().db.prepare('SELECT id FROM round').pluck().get() as string
    expect((await dispatch({ session }, 'rounds.setStatus', { id: roundId, status: 'closed' })).ok).toBe(true)
    const deposits = await dispatch({ session }, 'invoices.requestDeposits', { roundId, sharePercent: 50 })
    expect(deposits.ok).toBe(true)
    browser = await launch({ locale: 'de-DE', viewport: { width: 1024, height: 700 } })
    page = await browser.newPage()
    problems = watchProblems(page)
    await page.goto(app.host.url)
    await page.getByRole('heading', { level: 1 }).waitFor()
  })

  afterAll(async () => {
    await browser?.close()
    await app?.close()
  })

  const db = () => app.session.requireWorkspace().db
  const count = (table: string) => db().prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number
  const paidOn = (number: string) =>
    db().prepare('SELECT coalesce(sum(a.amount_minor), 0) FROM payment_allocation a JOIN invoice i ON i.id = a.invoice_id WHERE i.number = ? AND a.deleted_at IS NULL').pluck().get(number) as number
  const noPageScroll = async () => expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true)
  /** Waits for a status line saying `message` (compared as read: no-break spaces as plain ones). */
  const status = (message: string) => expect.poll(async () => plain((await page.getByRole('status').allTextContents()).join(' ')), { timeout: 15_000 }).toContain(plain(message))
  const alert = (message: string) => expect.poll(async () => plain((await page.getByRole('alert').allTextContents()).join(' ')), { timeout: 15_000 }).toContain(plain(message))
  // The statement as the user's file picker hands it over: a file with a name.
  const statementFile = { name: 'kontoauszug.xml', mimeType: 'application/xml', buffer: Buffer.from(CAMT_STATEMENT, 'utf8') }
  const rowsOf = async (table: string) => (await page.locator(`table.${table} tbody tr`).allTextContents()).map(plain)

  it('imports the bank statement through the file input and lists the donation nobody was found for first', async () => {
    await navigate(page, de.app.navigationToggle, de.nav.payments, de.payments.inboxTitle)
    await page.getByText(de.payments.none).waitFor()
    await page.getByLabel(de.payments.import).setInputFiles(statementFile)
    await status(fill(de.payments.imported_other, { count: 5, matched: 3, unmatched: 1, skipped: 0 }))
    expect(count('payment')).toBe(5)
    expect([paidOn('AN-2026-00001'), paidOn('AN-2026-00002'), paidOn('AN-2026-00005'), paidOn('AN-2026-00006')]).toEqual([5700, 7300, 3000, 0])
    await page.getByText(fill(de.payments.openCount_one, { count: 1 })).waitFor()
    // The open one first and marked; then the newest.
    const rows = await rowsOf('payments')
    expect(rows).toHaveLength(5)
    expect(rows[0]).toBe(`04.12.2026${de.payments.in}75,00 €Erika MustermannSpende Solifonds${de.payments.open}${de.payments.match}`)
    expect(await page.locator('table.payments tbody tr').first().getAttribute('class')).toBe('unmatched')
    expect(await page.locator('table.payments tbody tr.unmatched').count()).toBe(1)
    expect(rows).toContain(`02.12.2026${de.payments.in}30,00 €Verteilknoten RuhrDE33100205000001194700RF61AN202600005Verteilknoten RuhrAN-2026-00005`)
    expect(rows).toContain(`03.12.2026${de.payments.in}73,00 €Foodcoop Kornblume e.V.Anzahlung AN-2026-00002 WinterrundeFoodcoop KornblumeAN-2026-00002`)
    expect(rows).toContain(`04.12.2026${de.payments.out}-12,50 €${de.payments.noName}Kontoführung November${de.payments.notBuyer}`)
    await noPageScroll()
    await screenshot(page, 'payments-inbox-de')
  })

  it('matches the donation by hand to Weltladen Connewitz’s deposit request, from the keyboard', async () => {
    const open = page.locator('tr.unmatched').getByRole('button', { name: de.payments.match })
    // Escape closes the dialog without a change, and focus goes back to the button.
    await open.focus()
    await page.keyboard.press('Enter')
    const dialog = page.getByRole('dialog', { name: de.payments.matchTitle })
    await dialog.waitFor()
    expect(await text(dialog.locator('p').first())).toBe(
      `${fill(de.payments.matchWhat, { amount: '75,00 €', day: '04.12.2026', name: 'Erika Mustermann' })}${fill(de.payments.matchReference, { reference: 'Spende Solifonds' })}`
    )
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'hidden' })
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe(de.payments.match)

    await page.keyboard.press('Enter')
    await dialog.waitFor()
    // Nobody chosen yet (the payer's name is no buyer's): matching asks who paid.
    const buyer = dialog.getByLabel(de.payments.buyer, { exact: true })
    expect(await buyer.inputValue()).toBe('')
    await dialog.getByRole('button', { name: de.payments.matchSubmit, exact: true }).click()
    await dialog.getByText(de.payments.chooseBuyer).waitFor()
    // Ruhr paid its request: nothing of it is open.
    await buyer.selectOption({ label: 'Verteilknoten Ruhr' })
    await dialog.getByText(fill(de.payments.nothingOpen, { buyer: 'Verteilknoten Ruhr' })).waitFor()
    await buyer.selectOption({ label: 'Weltladen Connewitz' })
    const request = dialog.getByRole('checkbox', { name: /AN-2026-00006/ })
    await request.waitFor()
    expect(plain(await dialog.locator('fieldset.open-documents label').textContent())).toBe(
      `AN-2026-00006${de.invoiceKinds.deposit}${fill(de.payments.openAmount, { amount: '199,00 €' })}`
    )
    expect(await request.isChecked()).toBe(true)
    await screenshot(page, 'payments-match-de')
    await dialog.getByRole('button', { name: de.payments.matchSubmit, exact: true }).click()
    await status(fill(de.payments.matched, { amount: '75,00 €', buyer: 'Weltladen Connewitz', numbers: 'AN-2026-00006' }))
    await dialog.waitFor({ state: 'hidden' })
    expect(paidOn('AN-2026-00006')).toBe(7500)
    await page.getByText(de.payments.allMatched).waitFor()
    expect(await page.locator('table.payments tbody tr.unmatched').count()).toBe(0)
    expect(await rowsOf('payments')).toContain(`04.12.2026${de.payments.in}75,00 €Erika MustermannSpende SolifondsWeltladen ConnewitzAN-2026-00006`)
  })

  it('shows each buyer’s balance in words, as computed by hand', async () => {
    await page.getByRole('navigation', { name: de.payments.sections }).getByRole('link', { name: de.payments.tab.balances }).click()
    await page.getByRole('heading', { level: 1, name: de.payments.balancesTitle }).waitFor()
    await page.locator('table.balances tbody tr').first().waitFor()
    const rows = await rowsOf('balances')
    expect(rows).toContain(`Cooperativa Germinal57,00 €57,00 €0,00 €${de.payments.settled}`)
    expect(rows).toContain(`Foodcoop Kornblume73,00 €73,00 €0,00 €${de.payments.settled}`)
    expect(rows).toContain(`Verteilknoten Ruhr30,00 €30,00 €0,00 €${de.payments.settled}`)
    expect(rows).toContain(`Weltladen Connewitz199,00 €75,00 €0,00 €${fill(de.payments.owes, { amount: '124,00 €' })}${de.payments.reminder}`)
    // The buyers who paid nothing owe their whole request.
    for (const name of ['Foodcoop Ottakring', 'Quartierladen Lorraine']) {
      const gross = db().prepare("SELECT gross_minor FROM invoice i JOIN buyer b ON b.id = i.buyer_id WHERE b.name = ? AND kind = 'deposit'").pluck().get(name) as number
      const euros = `${gross / 100},00 €`
      expect(gross % 100).toBe(0)
      expect(rows).toContain(`${name}${euros}0,00 €0,00 €${fill(de.payments.owes, { amount: euros })}${de.payments.reminder}`)
    }
    // Nothing is past its due day yet (the requests are due in 14 days).
    await page.getByText(de.payments.overdueNone).waitFor()
    // A payment reminder for Connewitz: its open request and the sum, in German.
    const [reminder] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: fill(de.payments.reminderFor, { buyer: 'Weltladen Connewitz' }) }).click()
    ])
    const text = execFileSync('pdftotext', ['-layout', await reminder.path(), '-'], { encoding: 'utf8' }).replace(/[\u00a0\u202f]/g, ' ')
    expect(text).toContain(de.reminderPdf.title)
    expect(text).toContain('AN-2026-00006')
    expect(text).toMatch(/Offen insgesamt\s+124,00 EUR/)
    await noPageScroll()
    await screenshot(page, 'payments-balances-de')
  })

  it('books nothing twice when the same statement is imported again', async () => {
    await page.getByRole('navigation', { name: de.payments.sections }).getByRole('link', { name: de.payments.tab.inbox }).click()
    await page.getByRole('heading', { level: 1, name: de.payments.inboxTitle }).waitFor()
    await page.getByLabel(de.payments.import).setInputFiles(statementFile)
    await status(fill(de.payments.imported_other, { count: 0, matched: 0, unmatched: 0, skipped: 5 }))
    await status('0 Buchungen übernommen, 0 zugeordnet, 0 offen, 5 schon vorhanden')
    expect(count('payment')).toBe(5)
    expect(paidOn('AN-2026-00005')).toBe(3000)
    expect(await rowsOf('payments')).toHaveLength(5)
  })

  it('refuses a file that is no bank statement with the translated message, booking nothing', async () => {
    const before = { payments: count('payment'), statements: count('bank_statement'), allocations: count('payment_allocation') }
    await page.getByLabel(de.payments.import).setInputFiles({ name: 'bestellung.csv', mimeType: 'text/csv', buffer: Buffer.from('Produkt;Menge\nMate;3\n') })
    await alert(de.errors['payments.csv_layout'])
    expect({ payments: count('payment'), statements: count('bank_statement'), allocations: count('payment_allocation') }).toEqual(before)
    expect(await page.getByRole('status').count()).toBe(0)
  })

  it('refunds Verteilknoten Ruhr’s credit after its final invoice, as a SEPA transfer file', async () => {
    await page.getByRole('navigation', { name: de.payments.sections }).getByRole('link', { name: de.payments.tab.refunds }).click()
    await page.getByRole('heading', { level: 1, name: de.payments.refundsTitle }).waitFor()
    // Nobody has money to their credit yet: the file is refused, in words.
    await page.getByText(de.payments.refundsNone).waitFor()
    await page.getByRole('button', { name: de.payments.refundsFile }).click()
    await alert(de.errors['payments.no_refunds'])

    // Ruhr's final invoice is issued (as the invoices screen would).
    const session = app.session
    expect((await dispatch({ session }, 'invoices.prepareRound', { roundId })).ok).toBe(true)
    const draft = db().prepare("SELECT i.id FROM invoice i JOIN buyer b ON b.id = i.buyer_id WHERE b.name = 'Verteilknoten Ruhr' AND kind = 'invoice' AND status = 'draft'").pluck().get() as string
    const issued = await dispatch({ session }, 'invoices.issue', { id: draft })
    expect(issued.ok).toBe(true)

    await page.locator('table.refunds').waitFor()
    expect(await rowsOf('refunds')).toEqual(['Verteilknoten Ruhr11,38 €DE33 1002 0500 0001 1947 00'])
    const day = page.getByLabel(de.payments.executionDate, { exact: true })
    await day.fill('10.12.2026')
    const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: de.payments.refundsFile }).click()])
    expect(file.suggestedFilename()).toBe('Erstattungen 2026-12-10.xml')
    const xml = readFileSync(await file.path(), 'utf8')
    expect(xml).toContain('<CtrlSum>11.38</CtrlSum>')
    expect(xml).toContain('<IBAN>DE33100205000001194700</IBAN>')
    expect(xml.replace(/\s+/g, '')).toContain('<ReqdExctnDt><Dt>2026-12-10</Dt></ReqdExctnDt>')
    await status(fill(de.payments.refundsDownloaded_one, { count: 1, total: '11,38 €' }))
    await noPageScroll()

    // The balances say the same in words.
    await page.getByRole('navigation', { name: de.payments.sections }).getByRole('link', { name: de.payments.tab.balances }).click()
    await page.getByRole('heading', { level: 1, name: de.payments.balancesTitle }).waitFor()
    await expect.poll(() => rowsOf('balances')).toContain(`Verteilknoten Ruhr18,62 €30,00 €0,00 €${fill(de.payments.inCredit, { amount: '11,38 €' })}`)
    expect(await missingKeys(page)).toEqual([])
    expect(problems).toEqual([])
  })
})
