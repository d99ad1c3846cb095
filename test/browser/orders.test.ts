/// <reference lib="dom" />
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import de from '../../src/shared/i18n/de.ts'
import es from '../../src/shared/i18n/es.ts'
import { type RunningApp, missingKeys, screenshot, startApp, watchProblems } from './app.ts'
import { launch } from './chromium.ts'

/** The quantity a buyer has of a SKU in the demo round, read straight from the workspace. */
function ordered(app: RunningApp, buyerName: string, sku: string): { quantity: number; tolerance: number; logRows: number } {
  const db = app.session.requireWorkspace().db
  const row = db
    .prepare(
      `SELECT l.quantity, l.tolerance, (SELECT count(*) FROM quantity_log q WHERE q.line_id = l.id) AS logRows
       FROM order_line l JOIN buyer_order o ON o.id = l.order_id JOIN buyer b ON b.id = o.buyer_id JOIN product p ON p.id = l.product_id
       WHERE b.name = ? AND p.sku = ? AND l.sub_buyer_id IS NULL`
    )
    .get(buyerName, sku) as { quantity: number; tolerance: number; logRows: number } | undefined
  return row ?? { quantity: 0, tolerance: 0, logRows: 0 }
}

describe('order entry in a real browser', () => {
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
    await page.getByRole('link', { name: de.nav.orders }).click()
    await page.getByRole('heading', { level: 1, name: de.orders.title }).waitFor()
  })

  afterAll(async () => {
    await browser?.close()
    await app?.close()
  })

  it('takes an order by keyboard alone: SKU, arrow keys, quantity, Enter', async () => {
    await page.getByLabel(de.orders.buyer, { exact: true }).selectOption({ label: 'Foodcoop Kornblume' })
    const before = ordered(app, 'Foodcoop Kornblume', 'TT-BB500')
    expect(before.quantity).toBe(0)
    const product = page.getByRole('combobox', { name: de.orders.product })
    await product.focus()
    await page.keyboard.type('TT-BB')
    await page.getByRole('listbox').waitFor()
    await screenshot(page, 'orders-suggestions-de')
    // TT-BB1K comes first, TT-BB500 second: down, up, down lands on the second.
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('ArrowUp')
    await page.keyboard.press('ArrowDown')
    await expect(page.getByRole('listbox').getByRole('option', { selected: true }).textContent()).resolves.toContain('TT-BB500')
    await page.keyboard.press('Enter')
    // Focus moved to the quantity; the case figure for the chosen product is shown.
    await expect(page.evaluate(() => (document.activeElement as HTMLInputElement).id)).resolves.toMatch(/-qty$/)
    await page.getByText(de.orders.caseInfo.split('{{')[0]!).waitFor()
    await page.keyboard.type('7')
    await page.keyboard.press('Enter')
    await page.getByRole('cell', { name: 'TT-BB500' }).first().waitFor()
    const after = ordered(app, 'Foodcoop Kornblume', 'TT-BB500')
    expect(after).toEqual({ quantity: 7, tolerance: 0, logRows: 1 })
    // Focus is back on the product field for the next line.
    await expect(page.evaluate(() => (document.activeElement as HTMLElement).getAttribute('role'))).resolves.toBe('combobox')
    await screenshot(page, 'orders-entered-de')
  })

  it('updates the units missing to a full case across the round as quantities change', async () => {
    // TT-BB500 comes in cases of 20; the Weltladen already ordered 20 of it in the demo, Kornblume 7: 27 → 13 missing.
    const cell = page.getByTestId('missing-TT-BB500')
    await expect(cell.textContent()).resolves.toBe('13')
    const product = page.getByRole('combobox', { name: de.orders.product })
    await product.fill('tt-bb500')
    await product.press('Enter')
    await page.keyboard.press('Control+a')
    // 13 more (7 → 20) fill the second case: 20 + 20 = 40.
    await page.keyboard.type('20')
    await page.keyboard.press('Enter')
    await expect.poll(() => cell.textContent()).toBe('0')
    const line = ordered(app, 'Foodcoop Kornblume', 'TT-BB500')
    expect(line).toEqual({ quantity: 20, tolerance: 0, logRows: 2 })
  })

  it('shows live totals in the round currency', async () => {
    const total = await page.getByTestId('order-total').textContent()
    const db = app.session.requireWorkspace().db
    const expected = db
      .prepare(
        `SELECT sum(l.quantity * rp.price_minor) AS t FROM order_line l JOIN buyer_order o ON o.id = l.order_id JOIN buyer b ON b.id = o.buyer_id
         JOIN round_product rp ON rp.round_id = o.round_id AND rp.product_id = l.product_id WHERE b.name = 'Foodcoop Kornblume'`
      )
      .get() as { t: number }
    const euros = new Intl.NumberFormat('de-DE', { style: 'currency', currency: 'EUR' }).format(expected.t / 100)
    expect(total).toBe(euros)
  })

  it('refuses a blocked product and orders after the round is closed, with the translated reason', async () => {
    const db = app.session.requireWorkspace().db
    const logBefore = (db.prepare('SELECT count(*) AS n FROM quantity_log').get() as { n: number }).n
    // Blocked products are not even offered.
    const product = page.getByRole('combobox', { name: de.orders.product })
    await product.fill('AP-MI')
    await expect(page.getByRole('listbox').getByRole('option').count()).resolves.toBe(0)
    // Close the round behind the form's back: the next entry is refused in German, then in Spanish.
    db.prepare(`UPDATE round SET status = 'closed'`).run()
    await product.fill('LH-YM500')
    await product.press('Enter')
    await page.keyboard.type('3')
    await page.keyboard.press('Enter')
    await page.getByText(de.errors['round.closed']).first().waitFor()
    await page.getByLabel(de.language.label, { exact: true }).selectOption('es')
    await page.getByRole('heading', { level: 1, name: es.orders.title }).waitFor()
    await screenshot(page, 'orders-closed-es')
    expect((db.prepare('SELECT count(*) AS n FROM quantity_log').get() as { n: number }).n).toBe(logBefore)
    db.prepare(`UPDATE round SET status = 'open'`).run()
    await page.getByLabel(es.language.label, { exact: true }).selectOption('de')
  })

  it('lists every order line of the round, searchable, and opens a buyer’s order from a line', async () => {
    await page.getByRole('link', { name: de.orders.allLines }).click()
    await page.getByRole('heading', { level: 1, name: de.orders.allLines }).waitFor()
    const lines = (app.session.requireWorkspace().db.prepare('SELECT count(*) AS n FROM order_line WHERE quantity > 0 OR tolerance > 0').get() as { n: number }).n
    await page.getByRole('status').getByText(new RegExp(`\\b${lines}\\b`)).waitFor()
    await page.getByLabel(de.list.search, { exact: true }).fill('Ottakring')
    await expect.poll(() => page.locator('.list-scroll tbody tr').count()).toBe(4)
    await screenshot(page, 'orders-all-lines-de')
    await page.locator('.list-scroll tbody tr').first().focus()
    await page.keyboard.press('Enter')
    await page.getByRole('heading', { level: 1, name: de.orders.title }).waitFor()
    await expect(page.getByLabel(de.orders.buyer, { exact: true }).locator('option:checked').textContent()).resolves.toBe('Foodcoop Ottakring')
  })

  it('ran without missing translations, console errors or CSP violations', async () => {
    expect(await missingKeys(page)).toEqual([])
    expect(problems).toEqual([])
  })
})
