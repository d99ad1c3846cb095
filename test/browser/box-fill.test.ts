/// <reference lib="dom" />
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import de from '../../src/shared/i18n/de.ts'
import { type RunningApp, missingKeys, screenshot, startApp, watchProblems, navigate } from './app.ts'
import { launch } from './chromium.ts'

/** Kornblume's quantity of TT-BB500 in the demo round, read straight from the workspace. */
function kornblume(app: RunningApp): number {
  const db = app.session.requireWorkspace().db
  const row = db
    .prepare(
      `SELECT l.quantity FROM order_line l JOIN buyer_order o ON o.id = l.order_id JOIN buyer b ON b.id = o.buyer_id JOIN product p ON p.id = l.product_id
       WHERE b.name = 'Foodcoop Kornblume' AND p.sku = 'TT-BB500' AND l.sub_buyer_id IS NULL`
    )
    .get() as { quantity: number } | undefined
  return row?.quantity ?? 0
}

/** Yesterday at 12:00 in a time zone, as the German date field takes it ("05.12.2026 12:00"). */
function yesterdayNoon(timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date(Date.now() - 86_400_000))
  const get = (type: string) => parts.find((p) => p.type === type)!.value
  return `${get('day')}.${get('month')}.${get('year')} 12:00`
}

describe('the box-fill phase in a real browser (German, 1024×700)', () => {
  let app: RunningApp
  let browser: BrowserContext
  let page: Page
  let problems: string[]

  beforeAll(async () => {
    app = await startApp()
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

  const go = (link: string, heading: string) => navigate(page, de.app.navigationToggle, link, heading)

  const setKornblume = async (quantity: string) => {
    const product = page.getByRole('combobox', { name: de.orders.product })
    await product.fill('tt-bb500')
    await page.getByRole('listbox').getByRole('option').first().waitFor()
    await product.press('Enter')
    // The choice moves the focus to the quantity, which shows the current one.
    const field = page.getByLabel(de.orders.quantity, { exact: true })
    await expect.poll(() => field.evaluate((e) => e === document.activeElement)).toBe(true)
    await field.fill(quantity)
    await field.press('Enter')
  }

  it('a box-fill date in the past, set in the round form, shows in the round summary', async () => {
    // Before the phase: Kornblume orders 7 of TT-BB500 (cases of 20; the Weltladen has 20): 27 in the round.
    await go(de.nav.orders, de.orders.title)
    await page.getByLabel(de.orders.buyer, { exact: true }).selectOption({ label: 'Foodcoop Kornblume' })
    await setKornblume('7')
    await expect.poll(() => kornblume(app)).toBe(7)

    const timeZone = app.session.requireWorkspace().db.prepare(`SELECT time_zone FROM round WHERE status = 'open'`).pluck().get() as string
    await go(de.nav.rounds, de.rounds.title)
    await page.getByRole('button', { name: de.rounds.edit }).click()
    const field = page.getByLabel(de.rounds.boxFillAt, { exact: true })
    // Before the opening: refused at the field, in German.
    await field.fill('01.01.2020 12:00')
    await page.getByRole('button', { name: de.record.save }).click()
    await page.getByText(de.fieldErrors.box_fill_range).first().waitFor()
    await field.fill(yesterdayNoon(timeZone))
    await screenshot(page, 'box-fill-form-de')
    await page.getByRole('button', { name: de.record.save }).click()
    await page.getByText(de.rounds.boxFillNow.split(':').at(-1)!.trim()).waitFor()
    await screenshot(page, 'box-fill-summary-de')
  })

  it('refuses a change that opens a new case, saying why, and takes one that fills the open case', async () => {
    await go(de.nav.orders, de.orders.title)
    await page.getByLabel(de.orders.buyer, { exact: true }).selectOption({ label: 'Foodcoop Kornblume' })
    await page.getByText(de.orders.boxFillNotice).waitFor()
    // 7 → 30 makes 50 in the round: 27 may go up to 40 (13 more) and down to 20 (7 fewer).
    await setKornblume('30')
    const refusal = de.errors['round.box_fill']
      .replace('{{sku}}', 'TT-BB500')
      .replace('{{more, number}}', '13')
      .replace('{{fewer, number}}', '7')
      .replace('{{caseSize, number}}', '20')
      .replace('{{total, number}}', '27')
    await page.getByText(refusal).first().waitFor()
    await screenshot(page, 'box-fill-refused-de')
    expect(kornblume(app)).toBe(7)
    // 7 → 20 fills the second case (40).
    await setKornblume('20')
    await expect.poll(() => kornblume(app)).toBe(20)
    await expect.poll(() => page.getByTestId('missing-TT-BB500').textContent()).toBe('0')
    await screenshot(page, 'box-fill-filled-de')
    expect(await missingKeys(page)).toEqual([])
    expect(problems).toEqual([])
  })
})
