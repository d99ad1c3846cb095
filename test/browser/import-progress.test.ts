/// <reference lib="dom" />
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buyerInput, saveBuyer } from '../../src/core/buyers/buyers.ts'
import { productInput, saveProduct } from '../../src/core/catalogue/products.ts'
import { applyCalculatedPrices } from '../../src/core/rounds/rounds.ts'
import de from '../../src/shared/i18n/de.ts'
import { fill, missingKeys, type RunningApp, screenshot, startApp, watchProblems } from './app.ts'
import { launch } from './chromium.ts'

const thousands = (n: number) => new Intl.NumberFormat('de-DE').format(n)

describe('a big order import in the browser, at 1024×700 in German: progress bar and stop', () => {
  let app: RunningApp
  let browser: BrowserContext
  let page: Page
  let problems: string[]
  let csv: Buffer
  const db = () => app.session.requireWorkspace().db
  const n = (sql: string) => db().prepare(sql).pluck().get() as number
  /** Everything an order import writes, and the change log recording every write. */
  const state = () => ({
    orders: n('SELECT count(*) FROM buyer_order'),
    lines: n('SELECT count(*) FROM order_line'),
    log: n('SELECT count(*) FROM quantity_log'),
    changes: n('SELECT count(*) FROM change_log')
  })

  beforeAll(async () => {
    app = await startApp()
    // 50 groups × 2,000 products of the LH cooperative, priced in the demo round: 100,000 order lines.
    const ws = app.session.requireWorkspace()
    const roundId = db().prepare('SELECT id FROM round').pluck().get() as string
    const supplierId = db().prepare("SELECT id FROM supplier WHERE code = 'LH'").pluck().get() as string
    const parts = ['Abnehmer;Art.-Nr.;Menge;Toleranz']
    db().transaction(() => {
      const skus: string[] = []
      for (let i = 0; i < 2000; i++) {
        const sku = `BIG-${String(i).padStart(4, '0')}`
        saveProduct(ws, productInput.parse({ supplierId, sku, nameEs: `Producto ${i}`, salesUnit: 'piece', caseUnits: '10', price: '1.00', currency: 'USD', vatClass: 'standard' }))
        skus.push(sku)
      }
      for (let b = 0; b < 50; b++) {
        const name = `Gruppe ${String(b).padStart(2, '0')}`
        saveBuyer(ws, buyerInput.parse({ name, type: 'group', country: 'DE', language: 'de', taxTreatment: 'domestic', contacts: [] }))
        for (const [i, sku] of skus.entries()) parts.push(`${name};${sku};${(i % 7) + 1};0`)
      }
      applyCalculatedPrices(ws, roundId)
    })()
    csv = Buffer.from(parts.join('\r\n') + '\r\n', 'utf8')
    browser = await launch({ locale: 'de-DE', viewport: { width: 1024, height: 700 } })
    page = await browser.newPage()
    problems = watchProblems(page)
    await page.goto(app.host.url)
    await page.getByRole('heading', { level: 1 }).first().waitFor()
    await page.goto(page.url().replace(/#.*$/, '') + '#/orders/import')
    await page.getByRole('heading', { level: 1, name: de.exchange.ordersTitle }).waitFor()
  }, 180_000)

  afterAll(async () => {
    await browser?.close()
    await app?.close()
  })

  it('shows the rows being checked, then stops the apply on request without writing anything', async () => {
    const before = state()
    await page.locator('input[type=file]').setInputFiles({ name: 'bestellungen.csv', mimeType: 'text/csv', buffer: csv })
    // While the file is checked: a bar with the rows checked so far and a button to stop.
    const bar = page.locator('.job-progress')
    await bar.getByText(/^Zeilen geprüft: [\d.]+ von 100\.000$/).waitFor({ timeout: 30_000 })
    await expect(bar.getByRole('button', { name: de.exchange.job.stopCheck }).isVisible()).resolves.toBe(true)
    const progress = bar.locator('progress')
    await expect(progress.getAttribute('max')).resolves.toBe('100000')
    await screenshot(page, 'import-progress-check-de')
    // The preview of all 100,000 rows, then Apply: the bar again, now with the import's stop button.
    await page.getByText(fill(de.exchange.ordersSummary, { rows: thousands(100_000), ok: thousands(100_000), unchanged: 0, errors: 0, buyers: 50 })).waitFor({ timeout: 60_000 })
    await expect(bar.count()).resolves.toBe(0)
    expect(state()).toEqual(before)
    await page.getByRole('button', { name: de.exchange.apply, exact: true }).click()
    const stop = bar.getByRole('button', { name: de.exchange.job.stopImport })
    await stop.waitFor({ timeout: 30_000 })
    // Once it is checking or writing, inside its transaction.
    await bar.getByText(/^(Zeilen geprüft: .*|Wird gespeichert…)$/).waitFor({ timeout: 30_000 })
    await screenshot(page, 'import-progress-apply-de')
    await stop.click()
    await page.getByRole('status').getByText(de.exchange.cancelled).waitFor({ timeout: 30_000 })
    await expect(bar.count()).resolves.toBe(0)
    // Nothing written, not even partly; the preview stays and can be applied later.
    expect(state()).toEqual(before)
    await expect(page.getByRole('button', { name: de.exchange.apply, exact: true }).isEnabled()).resolves.toBe(true)
    await screenshot(page, 'import-progress-stopped-de')
  }, 180_000)

  it('ran without missing translations, console errors or CSP violations', async () => {
    expect(await missingKeys(page)).toEqual([])
    expect(problems).toEqual([])
  })
})
