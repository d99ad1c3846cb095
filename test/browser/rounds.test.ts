/// <reference lib="dom" />
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import de from '../../src/shared/i18n/de.ts'
import { type RunningApp, missingKeys, screenshot, startApp, watchProblems, navigate } from './app.ts'
import { launch } from './chromium.ts'

/** The rounds page at 1024×700 in German: time zone, a past round, opening refused without prices, the price breakdown. */
describe('rounds in a real browser', () => {
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

  const db = () => app.session.requireWorkspace().db
  const roundsPage = () => navigate(page, de.app.navigationToggle, de.nav.rounds, de.rounds.title)
  const newRound = async () => {
    await page.getByRole('button', { name: de.rounds.new, exact: true }).click()
    await page.getByRole('group', { name: de.rounds.new }).waitFor()
  }
  const timeZone = () => page.getByLabel(de.rounds.timeZone)
  const status = (name: string) => (db().prepare('SELECT status FROM round WHERE name = ?').pluck().get(name) as string | undefined) ?? null
  const openStep = () => page.getByRole('button', { name: de.rounds.moveTo.replace('{{status}}', de.roundStatus.open) })

  it("a new round's time zone is the organisation's (Europe/Berlin), not the browser's", async () => {
    await roundsPage()
    await newRound()
    await expect.poll(() => timeZone().inputValue()).toBe('Europe/Berlin')
    // The form says which fields to check, and what is wrong with them.
    await page.getByRole('button', { name: de.record.save }).click()
    await page.getByRole('alert').filter({ hasText: de.record.invalid.replace('{{count}}', '1') }).waitFor()
    await expect(page.getByLabel(de.rounds.name, { exact: true }).getAttribute('aria-invalid')).resolves.toBe('true')
    await page.getByText(de.fieldErrors.required).waitFor()
    await page.getByRole('button', { name: de.common.cancel }).click()
  })

  it('records a round that took place on paper: past dates, straight to closed, its zone shown when editing', async () => {
    await newRound()
    await page.getByLabel(de.rounds.name, { exact: true }).fill('Herbst 2025 (Papier)')
    await page.getByLabel(de.rounds.past).check()
    await page.getByLabel(de.rounds.opensAt, { exact: true }).fill('01.10.2025 09:00')
    await page.getByLabel(de.rounds.closesAt, { exact: true }).fill('20.10.2025 18:00')
    await timeZone().selectOption('America/Sao_Paulo')
    await page.getByLabel('Cooperativa Chilavert Artes Gráficas Ltda.').check()
    await page.getByRole('button', { name: de.record.save }).click()
    await page.getByText(de.rounds.recordedNote).waitFor()
    expect(status('Herbst 2025 (Papier)')).toBe('closed')
    expect(db().prepare(`SELECT closes_at FROM round WHERE name = 'Herbst 2025 (Papier)'`).pluck().get()).toBe('2025-10-20T21:00:00.000Z')
    await page.getByRole('button', { name: de.rounds.edit, exact: true }).click()
    await expect.poll(() => timeZone().inputValue()).toBe('America/Sao_Paulo')
    await expect(page.getByLabel(de.rounds.closesAt, { exact: true }).inputValue()).resolves.toBe('20.10.2025 18:00')
    await page.getByRole('button', { name: de.common.cancel }).click()
  })

  it('does not open a round while products have no price, and says which', async () => {
    await newRound()
    await page.getByLabel(de.rounds.name, { exact: true }).fill('Frühjahr 2027')
    await page.getByLabel('Cooperativa Chilavert Artes Gráficas Ltda.').check()
    await page.getByRole('button', { name: de.record.save }).click()
    await openStep().waitFor()
    const skus = db()
      .prepare(`SELECT p.sku FROM product p JOIN supplier s ON s.id = p.supplier_id WHERE s.name LIKE '%Chilavert%' AND p.deleted_at IS NULL AND p.archived_at IS NULL ORDER BY p.sku`)
      .pluck()
      .all() as string[]
    expect(skus.length).toBeGreaterThan(1)
    await openStep().click()
    const dialog = page.getByRole('dialog')
    await dialog.getByText(de.rounds.confirm.draft_open.split('{{deadline}}')[0]!).waitFor()
    await dialog.getByRole('button', { name: de.rounds.moveTo.replace('{{status}}', de.roundStatus.open) }).click()
    const refused = page.getByRole('alert').filter({ hasText: (skus.length === 1 ? de.errors['round.unpriced_one'] : de.errors['round.unpriced']).split(':')[0]!.replace('{{count}}', String(skus.length)) })
    await refused.waitFor()
    for (const sku of skus.slice(0, 10)) await expect(refused.textContent()).resolves.toContain(sku)
    // Each such product is marked in the price list.
    await expect(page.locator('tr.unpriced').count()).resolves.toBe(skus.length)
    await expect(page.locator('tr.unpriced .badge.danger', { hasText: de.rounds.noPrice }).count()).resolves.toBe(skus.length)
    await screenshot(page, 'rounds-unpriced-de')
    expect(status('Frühjahr 2027')).toBe('draft')

    await page.getByRole('button', { name: de.rounds.calculate }).click()
    await page.getByRole('status').filter({ hasText: de.rounds.priced.replace('{{count}}', String(skus.length)) }).waitFor()
    await openStep().click()
    await dialog.getByRole('button', { name: de.rounds.moveTo.replace('{{status}}', de.roundStatus.open) }).click()
    await expect.poll(() => status('Frühjahr 2027')).toBe('open')
  })

  it("shows how each price is made up, with the product's solidarity contribution", async () => {
    // The contribution is entered on the product's page: 0,10 USD per bag.
    const id = db().prepare(`SELECT id FROM product WHERE sku = 'LH-YM500'`).pluck().get() as string
    await page.evaluate((id) => {
      window.location.hash = `#/catalogue/products/${id}`
    }, id)
    await page.getByLabel(de.products.solidarity).fill('0,10')
    await page.getByRole('button', { name: de.record.save }).click()
    await expect.poll(() => db().prepare(`SELECT solidarity_minor FROM product WHERE id = ?`).pluck().get(id)).toBe(10)

    await roundsPage()
    await page.getByLabel(de.rounds.choose, { exact: true }).selectOption({ label: `Winterrunde 2026/27 · ${de.roundStatus.open}` })
    // Closing asks what it means, and is no danger: it can be undone.
    await page.getByRole('button', { name: de.rounds.moveTo.replace('{{status}}', de.roundStatus.closed) }).click()
    const dialog = page.getByRole('dialog')
    await dialog.getByText(de.rounds.confirm.open_closed).waitFor()
    await expect(dialog.getByRole('button', { name: de.rounds.moveTo.replace('{{status}}', de.roundStatus.closed) }).getAttribute('class')).resolves.toBe('primary')
    await dialog.getByRole('button', { name: de.common.cancel }).click()
    await page.getByRole('button', { name: de.rounds.showParts }).click()
    const row = page.locator('table.price-parts tr', { hasText: 'LH-YM500' })
    await row.waitFor()
    // 2,10 USD × 0,92 = 1,93 €; + 15 % = 0,29 €; + 0,20 € logistics; + 0,10 USD × 0,92 = 0,09 €; 2,5138 € up to 0,05 → 2,55 €, rounding 0,04 €.
    const cells = (await row.locator('td').allInnerTexts()).map((s) => s.replace(/\s+/g, ' ').trim())
    expect(cells.slice(1)).toEqual(['2,10 USD × 0,92', '1,93', '0,29', '0,20', '0,09 0,10 USD', '0,04', '2,55'])
    await expect(page.locator('table.price-parts caption').textContent()).resolves.toBe(de.rounds.partsCaption.replace('{{currency}}', 'EUR'))
    // Readable at 1024×700: the breakdown does not scroll sideways.
    const wrap = await page.locator('#round-price-parts').evaluate((e) => ({ scroll: e.scrollWidth, client: e.clientWidth }))
    expect(wrap.scroll).toBeLessThanOrEqual(wrap.client)
    await screenshot(page, 'rounds-price-parts-de')
    // Block reasons of the demo are vocabulary, shown in German.
    await expect(page.getByText(de.blockReasons.veterinary_certificate).count()).resolves.toBe(3)
  })

  it('leaves no console errors and asks for no missing texts', async () => {
    expect(problems).toEqual([])
    expect(await missingKeys(page)).toEqual([])
  })
})
