/// <reference lib="dom" />
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import de from '../../src/shared/i18n/de.ts'
import { type RunningApp, missingKeys, screenshot, startApp, watchProblems } from './app.ts'
import { launch } from './chromium.ts'

/** A downloaded PDF's text in reading order, whitespace collapsed. */
const pdfText = (path: string) =>
  execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', path, '-'], { encoding: 'utf8' })
    .replace(/[\u00a0\u202f]/g, ' ')
    .replace(/\s+/g, ' ')

describe('consolidation in a real browser', () => {
  let app: RunningApp
  let browser: BrowserContext
  let page: Page
  let problems: string[]

  beforeAll(async () => {
    app = await startApp()
    browser = await launch({ locale: 'de-DE' })
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

  it('closes the demo round on the rounds page after asking', async () => {
    await page.getByRole('link', { name: de.nav.rounds }).click()
    await page.getByRole('heading', { level: 1, name: de.rounds.title }).waitFor()
    await page.getByRole('button', { name: de.rounds.moveTo.replace('{{status}}', de.roundStatus.closed) }).click()
    await page.getByRole('dialog').getByRole('button', { name: de.rounds.moveTo.replace('{{status}}', de.roundStatus.closed) }).click()
    await expect.poll(() => (db().prepare('SELECT status FROM round').get() as { status: string }).status).toBe('closed')
  })

  it('consolidates: cases per product, who gets what, and a visible override with its reason', async () => {
    await page.getByRole('link', { name: de.nav.consolidation }).click()
    await page.getByRole('heading', { level: 1, name: de.consolidation.title }).waitFor()
    // LH-YM500: 25 ordered (+6 tolerance) in cases of 20 → 1 case, 5 cut.
    const row = page.locator('tr', { has: page.getByRole('button', { name: 'LH-YM500', exact: true }) })
    // allTextContents does not wait: the row must be there first.
    await row.waitFor()
    await expect(row.locator('td').allTextContents()).resolves.toEqual(expect.arrayContaining(['25', '6', '1', '20']))
    await row.getByRole('button', { name: 'LH-YM500' }).click()
    const kornblume = page.locator('tr.detail', { hasText: 'Foodcoop Kornblume' })
    await kornblume.getByRole('button', { name: de.consolidation.override, exact: true }).click()
    await page.getByLabel(de.consolidation.granted, { exact: true }).fill('10')
    await page.getByLabel(de.consolidation.reason, { exact: true }).fill('Zwei Beutel an den Weltladen abgegeben')
    await page.getByRole('button', { name: de.settings.save }).click()
    await page.getByRole('status').getByText(de.consolidation.overrideSaved).waitFor()
    // (In what the line gets, and again in why.)
    await kornblume.getByText(/Zwei Beutel an den Weltladen abgegeben/).first().waitFor()
    const stored = db()
      .prepare(
        `SELECT ov.granted, ov.reason FROM allocation_override ov JOIN order_line l ON l.id = ov.line_id JOIN buyer_order o ON o.id = l.order_id
         JOIN buyer b ON b.id = o.buyer_id JOIN product p ON p.id = l.product_id WHERE b.name = 'Foodcoop Kornblume' AND p.sku = 'LH-YM500' AND ov.deleted_at IS NULL`
      )
      .get()
    expect(stored).toEqual({ granted: 10, reason: 'Zwei Beutel an den Weltladen abgegeben' })
    await screenshot(page, 'consolidation-override-de')
  })

  it('gives one product its own rounding, shows it on the row, and goes back to the round’s', async () => {
    // LH-YM500 is still open: 25 ordered in cases of 20, the leftover 5 is 25 % of a case.
    const row = page.locator('tr', { has: page.getByRole('button', { name: 'LH-YM500', exact: true }) })
    const cell = (i: number) => row.locator('td').nth(i).textContent()
    const stored = () => db().prepare(`SELECT rp.rounding_policy AS policy, rp.threshold_bp AS bp FROM round_product rp JOIN product p ON p.id = rp.product_id WHERE p.sku = 'LH-YM500'`).get()
    const choice = page.getByLabel(de.consolidation.productPolicy.replace('{{sku}}', 'LH-YM500'), { exact: true })
    expect(await choice.inputValue()).toBe('')
    expect(await choice.locator('option:checked').textContent()).toBe(
      de.consolidation.inheritPolicy.replace('{{policy}}', de.consolidation.policyShort.tolerance_fill)
    )
    const before = stored()

    // By keyboard: choose the threshold, Tab to its percentage, type, Enter. 150 % is refused.
    await choice.focus()
    await choice.selectOption('threshold')
    const percent = page.getByLabel(de.consolidation.thresholdPercent, { exact: true })
    await page.keyboard.press('Tab')
    await expect.poll(() => percent.evaluate((el) => el === document.activeElement)).toBe(true)
    await page.keyboard.press('Control+A')
    await page.keyboard.type('150')
    await page.keyboard.press('Enter')
    await page.getByText(de.fieldErrors.percent).waitFor()
    expect(await percent.getAttribute('aria-invalid')).toBe('true')
    expect(stored()).toEqual(before)
    expect(await cell(4)).toBe('1')

    await percent.fill('20')
    await page.keyboard.press('Enter')
    const policy = de.consolidation.policyShort.threshold.replace('{{percent}}', '20')
    await page.getByRole('status').getByText(de.consolidation.policySaved.replace('{{sku}}', 'LH-YM500').replace('{{policy}}', policy)).waitFor()
    // 25 % ≥ 20 %: two cases, 40 units; 15 go to stock (25 ordered, 6 tolerance, Kornblume held at 10 by the
    // override above: 10 + 8 + 7 handed out). The row says the product rounds on its own.
    await row.getByText(de.consolidation.ownPolicy.replace('{{policy}}', policy), { exact: true }).waitFor()
    expect([await cell(4), await cell(5), await cell(8)]).toEqual(['2', '40', '15'])
    expect(stored()).toEqual({ policy: 'threshold', bp: 2000 })
    await screenshot(page, 'consolidation-product-policy-de')

    await page.getByRole('button', { name: de.consolidation.resetPolicy }).click()
    await page.getByRole('status').getByText(de.consolidation.policyReset.replace('{{sku}}', 'LH-YM500')).waitFor()
    await expect.poll(() => row.locator('.badge').count()).toBe(0)
    expect([await cell(4), await cell(5)]).toEqual(['1', '20'])
    expect(await choice.inputValue()).toBe('')
    expect(stored()).toEqual({ policy: null, bp: null })
  })

  it('sets the whole round to round up from 25 % by keyboard, refusing 150 %, and the products follow it', async () => {
    // LH-YM500 (still open): 25 ordered in cases of 20, the leftover 5 is exactly 25 % of a case.
    const row = page.locator('tr', { has: page.getByRole('button', { name: 'LH-YM500', exact: true }) })
    const cell = (i: number) => row.locator('td').nth(i).textContent()
    const stored = () => db().prepare('SELECT rounding_policy AS policy, threshold_bp AS bp, cut_strategy AS cut, updated_at AS at FROM round').get()
    const before = stored()
    expect(before).toMatchObject({ policy: 'tolerance_fill', bp: 5000, cut: 'first_come' })
    const choice = page.getByLabel(de.consolidation.policy, { exact: true })
    const form = page.locator('form', { has: choice })
    const percent = page.getByLabel(de.consolidation.roundThresholdPercent, { exact: true })
    expect(await percent.count()).toBe(0)

    // By keyboard: the next policy down is the threshold; its percentage field follows, showing the stored 50.
    await choice.focus()
    await page.keyboard.press('ArrowDown')
    await expect.poll(() => choice.inputValue()).toBe('threshold')
    await form.getByText(de.record.unsaved).waitFor()
    await page.keyboard.press('Tab')
    await expect.poll(() => percent.evaluate((el) => el === document.activeElement)).toBe(true)
    expect(await percent.inputValue()).toBe('50')
    await page.keyboard.press('Control+A')
    await page.keyboard.type('150')
    await page.keyboard.press('Enter')
    await form.getByText(de.fieldErrors.percent).waitFor()
    expect(await percent.getAttribute('aria-invalid')).toBe('true')
    expect(stored()).toEqual(before)
    expect(await cell(4)).toBe('1')

    await page.keyboard.press('Control+A')
    await page.keyboard.type('25')
    await page.keyboard.press('Enter')
    const policy = de.consolidation.policyShort.threshold.replace('{{percent}}', '25')
    await page
      .getByRole('status')
      .getByText(de.consolidation.roundPolicySaved.replace('{{policy}}', policy).replace('{{cut}}', de.consolidation.cuts.first_come).replace('{{extras}}', de.consolidation.extras.tolerance))
      .waitFor()
    expect(stored()).toMatchObject({ policy: 'threshold', bp: 2500, cut: 'first_come' })
    // 25 % ≥ 25 %: two cases, 40 units. The product's own choice names the round's percentage.
    await expect.poll(() => cell(4)).toBe('2')
    expect(await cell(5)).toBe('40')
    const productChoice = page.getByLabel(de.consolidation.productPolicy.replace('{{sku}}', 'LH-YM500'), { exact: true })
    await expect.poll(() => productChoice.locator('option:checked').textContent()).toBe(de.consolidation.inheritPolicy.replace('{{policy}}', policy))
    expect(await percent.getAttribute('aria-invalid')).toBe('false')
    expect(await form.getByText(de.record.unsaved).count()).toBe(0)
    await screenshot(page, 'consolidation-round-policy-de')

    // Back to filling cases by tolerance, for the steps after this one; the 25 % stays stored with the round.
    await choice.selectOption('tolerance_fill')
    expect(await percent.count()).toBe(0)
    await form.getByRole('button', { name: de.consolidation.applyPolicy }).click()
    await page.getByRole('status').getByText(de.consolidation.roundPolicySaved.replace('{{policy}}', de.consolidation.policyShort.tolerance_fill).replace('{{cut}}', de.consolidation.cuts.first_come).replace('{{extras}}', de.consolidation.extras.tolerance)).waitFor()
    expect(stored()).toMatchObject({ policy: 'tolerance_fill', bp: 2500, cut: 'first_come' })
    await expect.poll(() => cell(4)).toBe('1')
    await choice.selectOption('threshold')
    expect(await percent.inputValue()).toBe('25')
    await choice.selectOption('tolerance_fill')
  })

  it('generates the purchase orders, numbered, one per cooperative with cases', async () => {
    await page.getByRole('button', { name: de.consolidation.createPurchaseOrders }).click()
    await page.getByRole('cell', { name: 'PO-2026-0001' }).waitFor()
    const rows = db().prepare('SELECT number, status FROM purchase_order ORDER BY number').all() as { number: string; status: string }[]
    const suppliersWithCases = db()
      .prepare(`SELECT count(DISTINCT p.supplier_id) AS n FROM purchase_order_line l JOIN product p ON p.id = l.product_id`)
      .get() as { n: number }
    expect(rows.length).toBe(suppliersWithCases.n)
    expect(rows.every((r, i) => r.number === `PO-2026-${String(i + 1).padStart(4, '0')}` && r.status === 'draft')).toBe(true)
    const first = page.locator('tr', { has: page.getByRole('cell', { name: 'PO-2026-0001' }) })
    // The table tells the cooperatives apart by their short names; the documents keep the legal name.
    expect(await first.locator('td').nth(1).textContent()).toBe('La Hoja')
    const markSent = first.getByRole('button', { name: de.consolidation.markAs.replace('{{status}}', de.consolidation.poStatus.sent) })
    const status = () => (db().prepare(`SELECT status, document_at AS doc FROM purchase_order WHERE number = 'PO-2026-0001'`).get() as { status: string; doc: string | null })

    // No document yet: sending it asks first, and Cancel keeps it a draft.
    await markSent.click()
    const dialog = page.getByRole('dialog')
    await dialog
      .getByText(de.consolidation.confirmSendWithoutDocument.replace('{{number}}', 'PO-2026-0001').replace('{{supplier}}', 'Cooperativa de Trabajo La Hoja Ltda.'))
      .waitFor()
    await screenshot(page, 'consolidation-po-send-unmade-de')
    await dialog.getByRole('button', { name: de.common.cancel }).click()
    await dialog.waitFor({ state: 'hidden' })
    expect(status()).toEqual({ status: 'draft', doc: null })

    // The row's documents: the order as PDF, read back.
    await first.getByRole('button', { name: de.consolidation.documents, exact: true }).click()
    const docs = page.getByRole('group', { name: de.consolidation.documentsOf.replace('{{number}}', 'PO-2026-0001') })
    const [pdf] = await Promise.all([page.waitForEvent('download'), docs.getByRole('button', { name: de.consolidation.orderPdf }).click()])
    expect(pdf.suggestedFilename()).toBe('Orden de compra PO-2026-0001 Cooperativa de Trabajo La Hoja Ltda..pdf')
    const text = pdfText((await pdf.path())!)
    expect(text).toContain('Orden de compra PO-2026-0001')
    expect(text).toContain('Cooperativa de Trabajo La Hoja Ltda.')
    expect(text).toMatch(/LH-YM500 .* USD/)
    expect(text).not.toContain('$')
    await docs.getByRole('status').getByText(de.consolidation.documentSaved.replace('{{file}}', pdf.suggestedFilename())).waitFor()
    await expect.poll(() => status().doc).not.toBeNull()
    await screenshot(page, 'consolidation-po-documents-de')

    // With its document made, it is sent without asking.
    await markSent.click()
    await first.getByRole('cell', { name: de.consolidation.poStatus.sent }).waitFor()
    expect(await dialog.isVisible()).toBe(false)
    await first.getByRole('button', { name: de.consolidation.documents, exact: true }).click()
    await screenshot(page, 'consolidation-purchase-orders-de')
  })

  it('changes the language and payment terms of a draft purchase order; a sent one stays as it is', async () => {
    const second = page.locator('tr', { has: page.getByRole('cell', { name: 'PO-2026-0002' }) })
    const termsButton = second.getByRole('button', { name: de.consolidation.terms })
    await termsButton.click()
    expect(await termsButton.getAttribute('aria-expanded')).toBe('true')
    const panel = page.locator('form', { hasText: de.consolidation.termsOf.replace('{{number}}', 'PO-2026-0002') })
    const po = () =>
      db().prepare(`SELECT id, language FROM purchase_order WHERE number = 'PO-2026-0002'`).get() as { id: string; language: string }
    const dues = () =>
      db().prepare('SELECT share_bp AS bp, amount_minor AS amount, due_date AS due FROM payment_due WHERE purchase_order_id = ? ORDER BY position').all(po().id) as {
        bp: number
        amount: number
        due: string | null
      }[]
    const before = dues()
    expect(before.map((d) => d.bp)).toEqual([6000, 4000])
    const payment = (n: number) => panel.getByRole('group', { name: de.consolidation.termNumber.replace('{{n}}', String(n)) })
    // The keyboard lands in the form that opened.
    const language = panel.getByLabel(de.consolidation.poLanguage, { exact: true })
    await expect.poll(() => language.evaluate((el) => el === document.activeElement)).toBe(true)
    await language.selectOption('en')
    await payment(1).getByLabel(de.consolidation.termShare, { exact: true }).fill('30')
    await payment(2).getByLabel(de.consolidation.termShare, { exact: true }).fill('60')
    await panel.getByText(de.consolidation.shareTotal.replace('{{sum}}', '90')).waitFor()

    // 30 + 60 is refused, with the reason, and nothing is written.
    await panel.getByRole('button', { name: de.record.save }).click()
    await panel.getByText(de.fieldErrors.share_sum.replaceAll('{{sum}}', '90')).waitFor()
    expect(dues()).toEqual(before)
    expect(po().language).toBe('es')

    await payment(2).getByLabel(de.consolidation.termShare, { exact: true }).fill('70')
    await payment(1).getByLabel(de.consolidation.termDue, { exact: true }).fill('15.04.2026')
    await panel.getByRole('button', { name: de.record.save }).click()
    await panel.getByRole('status').getByText(de.consolidation.termsSaved.replace('{{number}}', 'PO-2026-0002')).waitFor()
    const after = dues()
    const total = (db().prepare('SELECT sum(units * unit_price_minor) AS t FROM purchase_order_line WHERE purchase_order_id = ?').get(po().id) as { t: number }).t
    expect(after.map((d) => [d.bp, d.due])).toEqual([
      [3000, '2026-04-15'],
      [7000, null]
    ])
    expect(after[0]!.amount + after[1]!.amount).toBe(total)
    expect(Math.abs(after[0]!.amount * 100 - total * 30)).toBeLessThan(100)
    expect(po().language).toBe('en')

    // What the coordinator sees: the order's language in the list, the amounts due to the cent.
    await second.getByRole('cell', { name: de.language.en, exact: true }).waitFor()
    const currency = (db().prepare('SELECT currency FROM purchase_order WHERE id = ?').get(po().id) as { currency: string }).currency
    const money = (minor: number) =>
      page.evaluate(([m, c]) => new Intl.NumberFormat('de', { style: 'currency', currency: c as string }).format((m as number) / 100), [minor, currency])
    const share = (p: number) => page.evaluate((x) => new Intl.NumberFormat('de', { style: 'percent' }).format(x), p)
    const amounts = panel.getByRole('table', { name: de.consolidation.amountsDue.replace('{{number}}', 'PO-2026-0002') })
    await expect
      .poll(() => amounts.locator('tbody tr').evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent))))
      .toEqual([
        [de.consolidation.termLabels.before_shipping, await share(0.3), '15.04.2026', await money(after[0]!.amount)],
        [de.consolidation.termLabels.after_arrival, await share(0.7), '', await money(after[1]!.amount)]
      ])
    expect(await amounts.locator('tfoot td').textContent()).toBe(await money(total))
    await screenshot(page, 'consolidation-po-terms-de')

    // PO-2026-0001 was sent: it shows its terms, but offers nothing to change.
    const first = page.locator('tr', { has: page.getByRole('cell', { name: 'PO-2026-0001' }) })
    await first.getByRole('button', { name: de.consolidation.terms }).click()
    await page.getByText(de.consolidation.notDraft.replace('{{number}}', 'PO-2026-0001')).waitFor()
    expect(await page.getByRole('button', { name: de.record.save }).count()).toBe(0)
    await first.getByRole('button', { name: de.consolidation.terms }).click()
  })

  it('sets a sent purchase order back to draft after asking, and then its language and terms can be corrected', async () => {
    const first = page.locator('tr', { has: page.getByRole('cell', { name: 'PO-2026-0001' }) })
    const second = page.locator('tr', { has: page.getByRole('cell', { name: 'PO-2026-0002' }) })
    const po = () =>
      db().prepare(`SELECT id, status, language, updated_at AS at FROM purchase_order WHERE number = 'PO-2026-0001'`).get() as {
        id: string
        status: string
        language: string
        at: string
      }
    const dues = () => db().prepare('SELECT label, share_bp AS bp FROM payment_due WHERE purchase_order_id = ? ORDER BY position').all(po().id)
    const before = po()
    expect(before.status).toBe('sent')
    // Only a sent order offers it: PO-2026-0002 is still a draft.
    expect(await second.getByRole('button', { name: de.consolidation.backToDraft }).count()).toBe(0)
    const back = first.getByRole('button', { name: de.consolidation.backToDraft })
    const dialog = page.getByRole('dialog')
    const question = de.consolidation.confirmBackToDraft.replace('{{number}}', 'PO-2026-0001').replace('{{supplier}}', 'Cooperativa de Trabajo La Hoja Ltda.')

    // Cancel keeps it sent: focus starts on Cancel, Enter takes it.
    await back.click()
    await dialog.getByText(question).waitFor()
    await screenshot(page, 'consolidation-po-back-to-draft-confirm-de')
    await expect.poll(() => dialog.getByRole('button', { name: de.common.cancel }).evaluate((el) => el === document.activeElement)).toBe(true)
    await page.keyboard.press('Enter')
    await dialog.waitFor({ state: 'hidden' })
    expect(po()).toEqual(before)
    await first.getByRole('cell', { name: de.consolidation.poStatus.sent, exact: true }).waitFor()

    // Confirmed: a draft again, and its language and payment terms open with the keyboard in them.
    await back.click()
    await dialog.getByRole('button', { name: de.consolidation.backToDraft, exact: true }).click()
    await page.getByRole('status').getByText(de.consolidation.backToDraftDone.replace('{{number}}', 'PO-2026-0001')).waitFor()
    expect(po().status).toBe('draft')
    await first.getByRole('cell', { name: de.consolidation.poStatus.draft, exact: true }).waitFor()
    expect(await back.count()).toBe(0)
    const panel = page.locator('form', { hasText: de.consolidation.termsOf.replace('{{number}}', 'PO-2026-0001') })
    const language = panel.getByLabel(de.consolidation.poLanguage, { exact: true })
    await expect.poll(() => language.evaluate((el) => el === document.activeElement)).toBe(true)
    expect(await first.getByRole('button', { name: de.consolidation.terms }).getAttribute('aria-expanded')).toBe('true')
    await language.selectOption('de')
    const payment = (n: number) => panel.getByRole('group', { name: de.consolidation.termNumber.replace('{{n}}', String(n)) })
    await payment(1).getByLabel(de.consolidation.termShare, { exact: true }).fill('50')
    await payment(2).getByLabel(de.consolidation.termShare, { exact: true }).fill('50')
    await panel.getByRole('button', { name: de.record.save }).click()
    await panel.getByRole('status').getByText(de.consolidation.termsSaved.replace('{{number}}', 'PO-2026-0001')).waitFor()
    expect(po()).toMatchObject({ status: 'draft', language: 'de' })
    expect(dues()).toEqual([
      { label: 'before_shipping', bp: 5000 },
      { label: 'after_arrival', bp: 5000 }
    ])
    await first.getByRole('cell', { name: de.language.de, exact: true }).waitFor()
    await screenshot(page, 'consolidation-po-back-to-draft-de')

    // Corrected, it goes out again.
    await first.getByRole('button', { name: de.consolidation.markAs.replace('{{status}}', de.consolidation.poStatus.sent) }).click()
    await first.getByRole('cell', { name: de.consolidation.poStatus.sent, exact: true }).waitFor()
    expect(po().status).toBe('sent')
    await page.getByText(de.consolidation.notDraft.replace('{{number}}', 'PO-2026-0001')).waitFor()
    await first.getByRole('button', { name: de.consolidation.terms }).click()
  })

  it('records a short confirmation and tells the groups what changed and why', async () => {
    const first = page.locator('tr', { has: page.getByRole('cell', { name: 'PO-2026-0001' }) })
    await first.getByRole('button', { name: de.consolidation.quantities }).click()
    const supplier = await first.locator('td').nth(1).textContent()
    expect(supplier).toBe('La Hoja')
    await page.getByLabel(`${de.consolidation.confirmed} LH-YM500`, { exact: true }).fill('10')
    await page.getByRole('button', { name: de.settings.save }).click()
    await page.getByRole('status').getByText(de.consolidation.quantitiesSaved).waitFor()
    const confirmed = db()
      .prepare(`SELECT l.confirmed_units AS c FROM purchase_order_line l JOIN product p ON p.id = l.product_id WHERE p.sku = 'LH-YM500'`)
      .get() as { c: number }
    expect(confirmed.c).toBe(10)
    await page.getByLabel(de.consolidation.stage, { exact: true }).selectOption('confirmed')
    await page.getByRole('heading', { name: de.consolidation.changes }).waitFor()
    await page.getByText(de.changeReasons.short_delivery).first().waitFor()
    await screenshot(page, 'consolidation-changes-de')
  })

  it('downloads a group’s change notice from the purchase order’s row and reads it back', async () => {
    // Stage "confirmed" (set above): the groups whose LH-YM500 the short confirmation cut.
    const first = page.locator('tr', { has: page.getByRole('cell', { name: 'PO-2026-0001' }) })
    await first.getByRole('button', { name: de.consolidation.documents, exact: true }).click()
    const docs = page.getByRole('group', { name: de.consolidation.documentsOf.replace('{{number}}', 'PO-2026-0001') })
    const pdfButton = docs.getByRole('button', { name: de.consolidation.noticePdfFor.replace('{{buyer}}', 'Foodcoop Kornblume') })
    await pdfButton.waitFor()
    await screenshot(page, 'consolidation-po-notices-de')
    const [pdf] = await Promise.all([page.waitForEvent('download'), pdfButton.click()])
    expect(pdf.suggestedFilename()).toMatch(/^Änderungen .*Foodcoop Kornblume\.pdf$/)
    const text = pdfText((await pdf.path())!)
    expect(text).toContain('Foodcoop Kornblume')
    expect(text).toContain(de.changeNotice.title)
    expect(text).toContain(de.changeNotice.intro.confirmed)
    expect(text).toContain('LH-YM500')
    // One group's notice: nobody else's name in it.
    const others = db().prepare(`SELECT name FROM buyer WHERE name <> 'Foodcoop Kornblume'`).pluck().all() as string[]
    for (const name of others) expect(text).not.toContain(name)
    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      docs.getByRole('button', { name: de.consolidation.noticeCsvFor.replace('{{buyer}}', 'Foodcoop Kornblume') }).click()
    ])
    expect(csv.suggestedFilename()).toMatch(/\.csv$/)
    expect(readFileSync((await csv.path())!, 'utf8')).toContain('LH-YM500')
  })

  it('labels the columns of an opened product’s lines and lists them in the order the cut uses', async () => {
    const row = page.locator('tr', { has: page.getByRole('button', { name: 'LH-YM500', exact: true }) })
    // (Still open from the steps above.)
    if ((await row.getByRole('button', { name: 'LH-YM500' }).getAttribute('aria-expanded')) !== 'true') await row.getByRole('button', { name: 'LH-YM500' }).click()
    const head = page.locator('tr.detail-head')
    await head.waitFor()
    expect(await head.locator('th').allTextContents()).toEqual([
      de.consolidation.lineBuyer,
      de.consolidation.lineOrdered,
      de.consolidation.lineTolerance,
      de.consolidation.lineGets,
      de.consolidation.lineWhy
    ])
    // First come: the order in which the groups' first LH-YM500 lines came in.
    const expected = db()
      .prepare(
        `SELECT b.name FROM order_line l JOIN buyer_order o ON o.id = l.order_id JOIN buyer b ON b.id = o.buyer_id JOIN product p ON p.id = l.product_id
         WHERE p.sku = 'LH-YM500' AND (l.quantity > 0 OR l.tolerance > 0) ORDER BY coalesce(l.first_at, l.created_at), l.id`
      )
      .pluck()
      .all() as string[]
    await expect.poll(() => page.locator('tr.line-row').evaluateAll((rows) => rows.map((r) => r.querySelectorAll('td')[1]?.textContent?.split(' · ')[0]))).toEqual(expected)
    await screenshot(page, 'consolidation-lines-de')
    await row.getByRole('button', { name: 'LH-YM500' }).click()
  })

  it('shows which units of a line came from its tolerance', async () => {
    // LH-YM1K: 9 ordered + 1 tolerance in cases of 10 → one case; Solikreis Dortmund Nord (3 + 1) gets 4 = 3 ordered + 1 tolerance.
    const row = page.locator('tr', { has: page.getByRole('button', { name: 'LH-YM1K', exact: true }) })
    await row.getByRole('button', { name: 'LH-YM1K' }).click()
    const line = page.locator('tr.line-row', { hasText: 'Solikreis Dortmund Nord' })
    await line.getByText('4 (3 + 1 Toleranz)', { exact: true }).waitFor()
    await row.getByRole('button', { name: 'LH-YM1K' }).click()
  })

  it('ran without missing translations, console errors or CSP violations', async () => {
    expect(await missingKeys(page)).toEqual([])
    expect(problems).toEqual([])
  })
})
