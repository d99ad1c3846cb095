/// <reference lib="dom" />
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import de from '../../src/shared/i18n/de.ts'
import { type RunningApp, missingKeys, screenshot, startApp, watchProblems } from './app.ts'
import { launch } from './chromium.ts'

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
    await page.getByRole('dialog').getByRole('button', { name: de.common.confirm }).click()
    await expect.poll(() => (db().prepare('SELECT status FROM round').get() as { status: string }).status).toBe('closed')
  })

  it('consolidates: cases per product, who gets what, and a visible override with its reason', async () => {
    await page.getByRole('link', { name: de.nav.consolidation }).click()
    await page.getByRole('heading', { level: 1, name: de.consolidation.title }).waitFor()
    // LH-YM500: 25 ordered (+6 tolerance) in cases of 20 → 1 case, 5 cut.
    const row = page.locator('tr', { has: page.getByRole('button', { name: 'LH-YM500', exact: true }) })
    await expect(row.locator('td').allTextContents()).resolves.toEqual(expect.arrayContaining(['25', '6', '1', '20']))
    await row.getByRole('button', { name: 'LH-YM500' }).click()
    const kornblume = page.locator('tr.detail', { hasText: 'Foodcoop Kornblume' })
    await kornblume.getByRole('button', { name: de.consolidation.override, exact: true }).click()
    await page.getByLabel(de.consolidation.granted, { exact: true }).fill('10')
    await page.getByLabel(de.consolidation.reason, { exact: true }).fill('Zwei Beutel an den Weltladen abgegeben')
    await page.getByRole('button', { name: de.settings.save }).click()
    await page.getByRole('status').getByText(de.consolidation.overrideSaved).waitFor()
    await kornblume.getByText(/Zwei Beutel an den Weltladen abgegeben/).waitFor()
    const stored = db()
      .prepare(
        `SELECT ov.granted, ov.reason FROM allocation_override ov JOIN order_line l ON l.id = ov.line_id JOIN buyer_order o ON o.id = l.order_id
         JOIN buyer b ON b.id = o.buyer_id JOIN product p ON p.id = l.product_id WHERE b.name = 'Foodcoop Kornblume' AND p.sku = 'LH-YM500' AND ov.deleted_at IS NULL`
      )
      .get()
    expect(stored).toEqual({ granted: 10, reason: 'Zwei Beutel an den Weltladen abgegeben' })
    await screenshot(page, 'consolidation-override-de')
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
    await first.getByRole('button', { name: de.consolidation.markAs.replace('{{status}}', de.consolidation.poStatus.sent) }).click()
    await first.getByRole('cell', { name: de.consolidation.poStatus.sent }).waitFor()
    await screenshot(page, 'consolidation-purchase-orders-de')
  })

  it('records a short confirmation and tells the groups what changed and why', async () => {
    const first = page.locator('tr', { has: page.getByRole('cell', { name: 'PO-2026-0001' }) })
    await first.getByRole('button', { name: de.consolidation.quantities }).click()
    const supplier = await first.locator('td').nth(1).textContent()
    expect(supplier).toBe('Cooperativa de Trabajo La Hoja Ltda.')
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

  it('ran without missing translations, console errors or CSP violations', async () => {
    expect(await missingKeys(page)).toEqual([])
    expect(problems).toEqual([])
  })
})
