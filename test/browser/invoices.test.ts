/// <reference lib="dom" />
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { unzipSync } from 'fflate'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dispatch } from '../../src/core/api/dispatch.ts'
import de from '../../src/shared/i18n/de.ts'
import { fill, missingKeys, navigate, plain, type RunningApp, screenshot, startApp, textOf, watchProblems } from './app.ts'
import { launch } from './chromium.ts'

const text = textOf

/**
 * The invoices of the demo round in a real browser (German, 1024×700), clicking and typing: deposit
 * requests, a deposit paid, drafts, a refused bulk issue, the bulk issue with its progress, one invoice's
 * figures, its PDF, and its cancellation by a credit note with a new draft.
 *
 * Foodcoop Kornblume's final invoice, by hand from resources/demo: the round prices are the supplier's USD
 * price × 0,92 (the demo's rate) × 1,15 (markup) + 0,20 € (contribution), rounded up to 0,05 €:
 * - CT-DC750 wine: 4,50 × 0,92 × 1,15 + 0,20 = 4,961 → 5,00 € (standard rate, 19 %)
 * - LH-YM1K yerba 1 kg: 3,90 × 0,92 × 1,15 + 0,20 = 4,3262 → 4,35 € (reduced, 7 %)
 * - LH-YM500 yerba 500 g: 2,10 × 0,92 × 1,15 + 0,20 = 2,4218 → 2,45 € (reduced, 7 %)
 * Kornblume ordered 6 bottles, 6 and 12 bags of these (round.json) and gets them all (its other products'
 * cases do not fill, so nothing of them is delivered). Lines: 6 × 5,00 = 30,00 €; 6 × 4,35 = 26,10 €;
 * 12 × 2,45 = 29,40 €. Net 85,50 €; VAT 19 % of 30,00 = 5,70 €; 7 % of 55,50 = 3,885 → 3,89 €; VAT 9,59 €;
 * gross 95,09 €. Less the deposit of 73,00 € paid: 22,09 € due.
 */
describe('the invoices of a round in a real browser', () => {
  let app: RunningApp
  let browser: BrowserContext
  let page: Page
  let problems: string[]

  beforeAll(async () => {
    app = await startApp()
    const session = app.session
    // Setup as a coordinator did it before: the round closed for orders.
    const roundId = session.requireWorkspace().db.prepare('SELECT id FROM round').pluck().get() as string
    expect((await dispatch({ session }, 'rounds.setStatus', { id: roundId, status: 'closed' })).ok).toBe(true)
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
  const numbered = (kind: string) => db().prepare(`SELECT number FROM invoice WHERE kind = ? AND number IS NOT NULL AND deleted_at IS NULL ORDER BY seq`).pluck().all(kind) as string[]
  const noPageScroll = async () => expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true)
  /** Waits for a status line saying `message` (compared as read: no-break spaces as plain ones). */
  const status = (message: string) => expect.poll(async () => plain((await page.getByRole('status').allTextContents()).join(' ')), { timeout: 15_000 }).toContain(plain(message))
  const dialogButton = (name: string) => page.getByRole('dialog').getByRole('button', { name, exact: true })

  it('requests deposits for the round, confirmed as not to be undone', async () => {
    await navigate(page, de.app.navigationToggle, de.nav.invoices, de.invoices.title)
    await page.getByText(de.invoices.none).waitFor()
    await page.getByRole('button', { name: de.invoices.requestDeposits }).click()
    const share = page.getByLabel(de.invoices.sharePercent, { exact: true })
    // The default share comes from the invoice settings (50 %).
    await expect.poll(() => share.inputValue()).toBe('50')
    await page.getByLabel(de.invoices.depositDue, { exact: true }).fill('30.12.2026')
    await page.getByRole('button', { name: de.invoices.depositsSubmit }).click()
    const dialog = page.getByRole('dialog')
    expect(await text(dialog.locator('p'))).toBe(fill(de.invoices.depositsConfirm, { percent: '50' }))
    await dialogButton(de.invoices.depositsConfirmLabel).click()
    await status(fill(de.invoices.depositsIssued_other, { count: 6 }))
    // One request per buyer with orders, numbered in the order of their names.
    expect(numbered('deposit')).toEqual(['AN-2026-00001', 'AN-2026-00002', 'AN-2026-00003', 'AN-2026-00004', 'AN-2026-00005', 'AN-2026-00006'])
    expect(db().prepare("SELECT DISTINCT due_date FROM invoice WHERE kind = 'deposit'").pluck().all()).toEqual(['2026-12-30'])
    await noPageScroll()
  })

  it('records a deposit payment', async () => {
    await page.getByRole('link', { name: `${de.invoiceKinds.deposit} AN-2026-00002 – Foodcoop Kornblume` }).click()
    await page.getByRole('heading', { level: 1, name: fill(de.invoices.kindTitle, { kind: de.invoiceKinds.deposit, number: 'AN-2026-00002' }) }).waitFor()
    await page.getByLabel(de.invoices.paymentAmount, { exact: true }).fill('73,00')
    await page.getByLabel(de.invoices.paymentDate, { exact: true }).fill('05.12.2026')
    await page.getByRole('button', { name: de.invoices.recordPayment }).click()
    await status(fill(de.invoices.paymentRecorded, { amount: '73,00 €' }))
    expect(await text(page.locator('form.payment-form p').first())).toBe(fill(de.invoices.paidSoFar, { paid: '73,00 €', amount: '73,00 €' }))
    expect(db().prepare('SELECT amount_minor AS amount, booked_on AS paidOn FROM payment').all()).toEqual([{ amount: 7300, paidOn: '2026-12-05' }])
  })

  it('creates the drafts of the buyers who got goods', async () => {
    await page.getByRole('link', { name: de.invoices.backToRound }).click()
    await page.getByRole('heading', { level: 1, name: de.invoices.title }).waitFor()
    await page.getByRole('button', { name: de.invoices.prepare }).click()
    await status(fill(de.invoices.prepared_other, { count: 5 }))
    expect(db().prepare("SELECT count(*) FROM invoice WHERE kind = 'invoice' AND status = 'draft' AND deleted_at IS NULL").pluck().get()).toBe(5)
    // Kornblume's draft deducts the deposit paid.
    const row = page.locator('table.invoices tbody tr', { has: page.getByRole('link', { name: `${de.invoiceKinds.invoice} (${de.invoices.draft}) – Foodcoop Kornblume` }) })
    expect(await text(row)).toContain(fill(de.invoices.depositDeducted, { amount: '73,00 €' }))
    expect(await text(row)).toContain('22,09 €')
  })

  it('refuses to issue anything while a buyer has no street, naming the buyer', async () => {
    // The hub's street is removed on its page.
    await page.getByRole('link', { name: 'Verteilknoten Ruhr', exact: true }).first().click()
    await page.getByRole('heading', { level: 1, name: fill(de.invoices.buyerTitle, { buyer: 'Verteilknoten Ruhr' }) }).waitFor()
    await page.getByRole('link', { name: de.invoices.toBuyer }).click()
    await page.getByRole('heading', { level: 1, name: 'Verteilknoten Ruhr' }).waitFor()
    const street = page.getByLabel(de.buyers.street, { exact: true })
    await street.fill('')
    await page.getByRole('button', { name: de.record.save, exact: true }).click()
    await status(de.record.saved)
    await navigate(page, de.app.navigationToggle, de.nav.invoices, de.invoices.title)
    const missing = fill(de.invoiceProblems.buyer_address, { buyer: 'Verteilknoten Ruhr' })
    await page.locator('table.invoices tr.problems').getByText(missing).waitFor()
    await page.getByRole('button', { name: de.invoices.issueAll }).click()
    await dialogButton(de.invoices.issueAllLabel).click()
    await page.getByRole('alert').getByText(fill(de.errors['invoices.not_ready'], { buyer: 'Verteilknoten Ruhr', missing })).waitFor()
    expect(numbered('invoice')).toEqual([])
    expect(db().prepare("SELECT count(*) FROM invoice WHERE kind = 'invoice' AND status = 'issued'").pluck().get()).toBe(0)
    expect(db().prepare("SELECT count(*) FROM invoice_line").pluck().get()).toBe(6)
    // The street back.
    await page.getByRole('link', { name: 'Verteilknoten Ruhr', exact: true }).first().click()
    await page.getByRole('link', { name: de.invoices.toBuyer }).click()
    await page.getByLabel(de.buyers.street, { exact: true }).fill('Alsenstraße 27')
    await page.getByRole('button', { name: de.record.save, exact: true }).click()
    await status(de.record.saved)
  })

  it('issues all drafts with the progress shown, gapless from RE-2026-00001', async () => {
    await page.getByRole('link', { name: fill(de.invoices.buyerInvoices, { buyer: 'Verteilknoten Ruhr' }) }).click()
    await page.getByRole('link', { name: de.invoices.backToRound }).click()
    await page.getByRole('heading', { level: 1, name: de.invoices.title }).waitFor()
    expect(await page.locator('table.invoices tr.problems').count()).toBe(0)
    // Every text the progress bar shows is recorded as it appears.
    await page.evaluate(() => {
      const seen: string[] = []
      ;(window as unknown as { __progress: string[] }).__progress = seen
      new MutationObserver(() => {
        const label = document.querySelector('.job-progress label')?.textContent
        if (label && seen[seen.length - 1] !== label) seen.push(label)
      }).observe(document.body, { subtree: true, childList: true, characterData: true })
    })
    await page.getByRole('button', { name: de.invoices.issueAll }).click()
    expect(await text(page.getByRole('dialog').locator('p'))).toBe(de.invoices.issueAllConfirm)
    await dialogButton(de.invoices.issueAllLabel).click()
    await status(fill(de.invoices.issuedAll_other, { count: 5, first: 'RE-2026-00001', last: 'RE-2026-00005' }))
    const seen = await page.evaluate(() => (window as unknown as { __progress: string[] }).__progress)
    // e.g. Wird gestartet…, Sicherung vor dem Ausstellen…, Rechnung 0 von 5, Rechnung 2 von 5, …, Rechnung 5 von 5
    const counts = [0, 1, 2, 3, 4, 5].map((done) => fill(de.exchange.job.issue, { done, total: 5 }))
    const allowed = [de.exchange.job.starting, de.exchange.job.backupInvoices, ...counts]
    for (const s of seen) expect(allowed).toContain(s)
    expect(seen.some((s) => counts.includes(s))).toBe(true)
    expect(await page.locator('.job-progress').count()).toBe(0)
    // Numbered in the order of the buyers' names, without a gap.
    expect(db().prepare("SELECT number, b.name FROM invoice i JOIN buyer b ON b.id = i.buyer_id WHERE kind = 'invoice' ORDER BY seq").all()).toEqual([
      { number: 'RE-2026-00001', name: 'Cooperativa Germinal' },
      { number: 'RE-2026-00002', name: 'Foodcoop Kornblume' },
      { number: 'RE-2026-00003', name: 'Foodcoop Ottakring' },
      { number: 'RE-2026-00004', name: 'Verteilknoten Ruhr' },
      { number: 'RE-2026-00005', name: 'Weltladen Connewitz' }
    ])
    await noPageScroll()
    await screenshot(page, 'invoices-list-de')
  })

  it('prints the round into one PDF and writes the bookkeeper’s CSV', async () => {
    const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: de.invoices.printAll }).click()])
    expect(pdf.suggestedFilename()).toBe(fill(de.invoices.printFile, { round: 'Winterrunde 2026-27' }))
    expect(readFileSync(await pdf.path()).subarray(0, 5).toString()).toBe('%PDF-')
    await status(fill(de.invoices.printed_other, { count: 11 }))
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: de.invoices.csv }).click()])
    const lines = readFileSync(await csv.path(), 'utf8').replace(/^\uFEFF/, '').trim().split('\r\n')
    expect(lines[0]!.split(';').slice(0, 3)).toEqual([de.invoiceCsv.number, de.invoiceCsv.kind, de.invoiceCsv.date])
    expect(lines.slice(1).map((l) => l.split(';')[0])).toContain('RE-2026-00002')
    // Every document as it was issued, one file each (the invoices with their XML).
    const [zip] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: de.invoices.zip }).click()])
    const names = Object.keys(unzipSync(readFileSync(await zip.path())))
    expect(names).toContain('RE-2026-00002 Foodcoop Kornblume.pdf')
    expect(names).toContain('RE-2026-00002 Foodcoop Kornblume.xml')
    expect(names.filter((n) => n.endsWith('.pdf'))).toHaveLength(11)
    // The pick lists for distribution day: a page per group that gets goods.
    const [pick] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: de.invoices.pickLists }).click()])
    const picked = execFileSync('pdftotext', ['-layout', await pick.path(), '-'], { encoding: 'utf8' })
    expect(picked).toContain(fill(de.pickList.title, { buyer: 'Foodcoop Kornblume' }))
    expect(picked.split('\f').filter((p) => p.trim())).toHaveLength(5)
  })

  it('shows Kornblume’s invoice with the figures computed by hand', async () => {
    await page.getByRole('link', { name: `${de.invoiceKinds.invoice} RE-2026-00002 – Foodcoop Kornblume` }).click()
    await page.getByRole('heading', { level: 1, name: fill(de.invoices.kindTitle, { kind: de.invoiceKinds.invoice, number: 'RE-2026-00002' }) }).waitFor()
    const rows = await page.locator('table.invoice-lines tbody tr').allTextContents()
    expect(rows.map(plain)).toEqual([
      '1Del Contratista Syrah-Bonarda 13.5 % · CT-DC7506 Stk.5,00 €19 %30,00 €',
      '2Mate-Tee mit Stängeln 1 kg · LH-YM1K6 Stk.4,35 €7 %26,10 €',
      '3Mate-Tee mit Stängeln 500 g · LH-YM50012 Stk.2,45 €7 %29,40 €'
    ])
    expect((await page.locator('table.vat-rates tbody tr').allTextContents()).map(plain)).toEqual(['19 %30,00 €5,70 €', '7 %55,50 €3,89 €'])
    const totals = await text(page.locator('dl.invoice-totals'))
    expect(totals).toBe(
      `${de.invoices.totalNet}85,50 €${de.invoices.totalVat}9,59 €${de.invoices.totalGross}95,09 €${de.invoices.prepaid}-73,00 €${de.invoices.dueAmount}22,09 €`
    )
    await page.getByText(de.vatCases.domestic, { exact: true }).waitFor()
    await noPageScroll()
    await screenshot(page, 'invoices-page-de')
  })

  it('downloads its PDF', async () => {
    const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: de.invoices.pdf }).click()])
    expect(file.suggestedFilename()).toMatch(/^RE-2026-00002.*Kornblume.*\.pdf$/)
    const words = execFileSync('pdftotext', ['-layout', await file.path(), '-'], { encoding: 'utf8' })
    expect(words).toContain('RE-2026-00002')
    expect(words).toContain('Foodcoop Kornblume')
  })

  it('cancels it with a credit note and opens the new draft', async () => {
    await page.getByLabel(de.invoices.creditReason, { exact: true }).fill('Falsche Menge berechnet')
    await page.getByRole('button', { name: de.invoices.creditSubmit }).click()
    const dialog = page.getByRole('dialog')
    expect(await text(dialog.locator('p'))).toBe(fill(de.invoices.creditConfirm, { buyer: 'Foodcoop Kornblume' }))
    await dialogButton(de.invoices.credit).click()
    await page.getByRole('heading', { level: 1, name: fill(de.invoices.kindTitle, { kind: de.invoiceKinds.credit_note, number: 'ST-2026-00001' }) }).waitFor()
    await status(fill(de.invoices.credited, { number: 'ST-2026-00001' }))
    await page.getByRole('link', { name: fill(de.invoices.credits, { number: 'RE-2026-00002' }) }).waitFor()
    // It takes back 95,09 € less the 73,00 € deposit the invoice deducted (the new invoice deducts it again): 22,09 €.
    const totals = await text(page.locator('dl.invoice-totals'))
    expect(totals).toContain(`${de.invoices.creditPrepaid}73,00 €`)
    expect(totals).toContain(`${de.invoices.creditTotal}-22,09 €`)
    expect(
      db()
        .prepare("SELECT c.number, o.number AS credits, c.notes FROM invoice c JOIN invoice o ON o.id = c.credits_id WHERE c.kind = 'credit_note'")
        .all()
    ).toEqual([{ number: 'ST-2026-00001', credits: 'RE-2026-00002', notes: 'Falsche Menge berechnet' }])
    await page.getByRole('link', { name: fill(de.invoices.newDraft, { buyer: 'Foodcoop Kornblume' }) }).click()
    await page.getByRole('heading', { level: 1, name: fill(de.invoices.draftTitle, { kind: de.invoiceKinds.invoice, buyer: 'Foodcoop Kornblume' }) }).waitFor()
    await page.getByRole('button', { name: de.invoices.issue, exact: true }).waitFor()
    expect(db().prepare("SELECT count(*) FROM invoice i JOIN buyer b ON b.id = i.buyer_id WHERE b.name = 'Foodcoop Kornblume' AND kind = 'invoice' AND status = 'draft' AND i.deleted_at IS NULL").pluck().get()).toBe(1)
    // The round's list shows the cancelled invoice with its credit note.
    await page.getByRole('link', { name: de.invoices.backToRound }).click()
    await page.getByRole('link', { name: fill(de.invoices.creditedBy, { number: 'ST-2026-00001' }) }).waitFor()
    await noPageScroll()
    expect(await missingKeys(page)).toEqual([])
    expect(problems).toEqual([])
  })
})
