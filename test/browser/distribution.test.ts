/// <reference lib="dom" />
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dispatch } from '../../src/core/api/dispatch.ts'
import type { Output } from '../../src/shared/api.ts'
import de from '../../src/shared/i18n/de.ts'
import { fill, missingKeys, navigate, plain, type RunningApp, screenshot, startApp, textOf, watchProblems } from './app.ts'
import { launch } from './chromium.ts'

/**
 * Distribution day in a real browser (German, 1024×700): Foodcoop Kornblume's lines ticked (one with the
 * space key), a missing bag of mate and a note entered, a wrong count refused; the page reloaded and
 * everything still there (saved at once in the workspace, no server beyond this computer); then the credit
 * note the missing bag proposes, created after the confirmation that it cannot be undone.
 *
 * Kornblume's invoice, issued before distribution day (see invoices.test.ts): 6 × 5,00 € wine (19 %:
 * VAT 5,70 €), 6 × 4,35 € mate 1 kg and 12 × 2,45 € mate 500 g (7 %: 55,50 → VAT 3,885 → 3,89 €). One bag
 * of mate 1 kg missing: net 4,35 €; the 7 % VAT comes down from 3,89 to 51,15 × 7 % = 3,5805 → 3,58 €,
 * i.e. by 0,31 €; gross 4,66 €.
 */
describe('distribution day in a real browser', () => {
  let app: RunningApp
  let browser: BrowserContext
  let page: Page
  let problems: string[]
  let invoiceNumber: string

  const db = () => app.session.requireWorkspace().db
  const ok = async (method: Parameters<typeof dispatch>[1], input: unknown) => {
    const r = await dispatch({ session: app.session }, method, input)
    expect(r.ok, JSON.stringify(r)).toBe(true)
    return (r as { result: unknown }).result
  }
  const MATE = 'LH-YM1K · Mate-Tee mit Stängeln 1 kg'
  const WINE = 'CT-DC750 · Del Contratista Syrah-Bonarda 13.5 %'
  const tick = (product: string) => page.getByRole('checkbox', { name: fill(de.distribution.tick, { product, buyer: 'Foodcoop Kornblume' }), exact: true })
  const field = (label: string, product: string) => page.getByLabel(fill(de.distribution.fieldLabel, { field: label, product, buyer: 'Foodcoop Kornblume' }), { exact: true })
  const mateCheck = () =>
    db()
      .prepare(
        `SELECT c.ticked, c.counted, c.missing, c.damaged, c.note FROM distribution_check c JOIN order_line l ON l.id = c.line_id JOIN product p ON p.id = l.product_id
         JOIN buyer_order o ON o.id = l.order_id JOIN buyer b ON b.id = o.buyer_id WHERE p.sku = 'LH-YM1K' AND b.name = 'Foodcoop Kornblume'`
      )
      .get() as { ticked: number; counted: number | null; missing: number; damaged: number; note: string | null } | undefined
  const progress = () => page.getByRole('heading', { level: 2, name: /^Foodcoop Kornblume/ })

  beforeAll(async () => {
    app = await startApp()
    // As the coordinator did before: the round closed for orders, Kornblume's final invoice issued.
    const roundId = db().prepare('SELECT id FROM round').pluck().get() as string
    await ok('rounds.setStatus', { id: roundId, status: 'closed' })
    await ok('invoices.prepareRound', { roundId })
    const draft = db()
      .prepare("SELECT i.id FROM invoice i JOIN buyer b ON b.id = i.buyer_id WHERE b.name = 'Foodcoop Kornblume' AND i.status = 'draft'")
      .pluck()
      .get() as string
    invoiceNumber = ((await ok('invoices.issue', { id: draft })) as { number: string }).number
    expect(invoiceNumber).toMatch(/^RE-/)
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

  it('ticks lines (the space key ticks), takes a missing bag and a note, and refuses more missing than handed out', async () => {
    await navigate(page, de.app.navigationToggle, de.nav.distribution, de.distribution.title)
    await page.getByLabel(de.distribution.buyer, { exact: true }).selectOption({ label: 'Foodcoop Kornblume' })
    expect(plain(await progress().textContent())).toBe(`Foodcoop Kornblume ${fill(de.distribution.progress, { ticked: 0, total: 3 })}`)
    // The keyboard: focus the tick box, space ticks it.
    await tick(MATE).focus()
    await page.keyboard.press('Space')
    await expect.poll(() => mateCheck()?.ticked).toBe(1)
    await tick(WINE).click()
    await expect.poll(async () => plain(await progress().textContent())).toContain(fill(de.distribution.progress, { ticked: 2, total: 3 }))

    await field(de.distribution.missing, MATE).fill('1')
    await page.keyboard.press('Tab')
    await field(de.distribution.counted, MATE).fill('5')
    await field(de.distribution.note, MATE).fill('Ein Beutel fehlte im Karton')
    await page.keyboard.press('Tab')
    await expect.poll(() => mateCheck()).toEqual({ ticked: 1, counted: 5, missing: 1, damaged: 0, note: 'Ein Beutel fehlte im Karton' })

    // 7 damaged of 6 bags: refused in words, nothing stored.
    await field(de.distribution.damaged, MATE).fill('7')
    await page.keyboard.press('Tab')
    await page.getByText(fill(de.fieldErrors.short_max.replace('{{max, number}}', '{{max}}'), { max: 6, unit: 'Beutel' })).waitFor()
    expect(mateCheck()?.damaged).toBe(0)
    await field(de.distribution.damaged, MATE).fill('')
    await page.keyboard.press('Tab')
    await expect.poll(() => page.getByRole('alert').count()).toBe(0)
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true)
    await screenshot(page, 'distribution-de')
  })

  it('still shows every tick, count, missing unit and note after a reload', async () => {
    await page.reload()
    await page.getByRole('heading', { level: 1, name: de.distribution.title }).waitFor()
    await progress().waitFor()
    expect(plain(await progress().textContent())).toContain(fill(de.distribution.progress, { ticked: 2, total: 3 }))
    expect(await tick(MATE).isChecked()).toBe(true)
    expect(await tick(WINE).isChecked()).toBe(true)
    expect(await tick('LH-YM500 · Mate-Tee mit Stängeln 500 g').isChecked()).toBe(false)
    expect(await field(de.distribution.missing, MATE).inputValue()).toBe('1')
    expect(await field(de.distribution.counted, MATE).inputValue()).toBe('5')
    expect(await field(de.distribution.damaged, MATE).inputValue()).toBe('')
    expect(await field(de.distribution.note, MATE).inputValue()).toBe('Ein Beutel fehlte im Karton')
  })

  it('creates the proposed credit note after the confirmation that it cannot be undone', async () => {
    const heading = page.getByRole('heading', { level: 3, name: fill(de.distribution.proposalFor, { buyer: 'Foodcoop Kornblume', number: invoiceNumber }) })
    await heading.waitFor()
    const proposal = page.locator('.proposal')
    const cells = async (selector: string) => (await proposal.locator(selector).allTextContents()).map(plain)
    expect(await cells('tbody td')).toEqual([MATE, fill(de.distribution.shortfallMissing, { quantity: '1 Beutel' }), '1 Beutel', '4,35 €', '7 %', '4,35 €'])
    expect(await cells('tfoot th, tfoot td')).toEqual([de.distribution.net, '4,35 €', de.distribution.vat, '0,31 €', de.distribution.gross, '4,66 €'])
    await page.getByRole('button', { name: fill(de.distribution.createCredit, { buyer: 'Foodcoop Kornblume' }) }).click()
    const dialog = page.getByRole('dialog')
    expect(await textOf(dialog.locator('p'))).toBe(fill(de.invoices.creditConfirm, { buyer: 'Foodcoop Kornblume' }))
    await dialog.getByRole('button', { name: de.invoices.credit, exact: true }).click()
    const creditNumber = await expect
      .poll(() => db().prepare("SELECT number FROM invoice WHERE kind = 'credit_note' AND status = 'issued'").pluck().get() as string | undefined)
      .toMatch(/^ST-/)
      .then(() => db().prepare("SELECT number FROM invoice WHERE kind = 'credit_note' AND status = 'issued'").pluck().get() as string)
    await expect
      .poll(async () => plain((await page.getByRole('status').allTextContents()).join(' ')))
      .toContain(fill(de.distribution.credited, { invoice: invoiceNumber, number: creditNumber }))
    await page.getByText(de.distribution.proposalsNone).waitFor()
    // The new draft leaves the missing bag out: 5 bags of mate 1 kg.
    await page.getByRole('link', { name: fill(de.distribution.openDraft, { buyer: 'Foodcoop Kornblume' }) }).click()
    await expect.poll(async () => plain(await page.locator('main').textContent())).toContain('LH-YM1K')
    const draft = decodeURIComponent(new URL(page.url()).hash.split('/')[2] ?? '')
    expect(db().prepare('SELECT b.name FROM invoice i JOIN buyer b ON b.id = i.buyer_id WHERE i.id = ? AND i.status = ?').pluck().get(draft, 'draft')).toBe('Foodcoop Kornblume')
    const r = (await ok('invoices.get', { id: draft })) as Output<'invoices.get'>
    expect(r.document.lines.filter((l) => l.sku).map((l) => [l.sku, l.quantityMilli])).toEqual([
      ['CT-DC750', 6000],
      ['LH-YM1K', 5000],
      ['LH-YM500', 12_000]
    ])
    expect(await missingKeys(page)).toEqual([])
    expect(problems).toEqual([])
  })
})
