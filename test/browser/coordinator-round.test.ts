/// <reference lib="dom" />
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import de from '../../src/shared/i18n/de.ts'
import { type RunningApp, missingKeys, screenshot, startApp, watchProblems, navigate } from './app.ts'
import { launch } from './chromium.ts'

/**
 * A coordinator's whole round, as someone new to Puente does it: by clicking and typing only, in German,
 * on a 13" screen (1024×700). The test reads the workspace only to check what the screens did.
 */

const ROUND = 'Frühjahrsrunde 2027'
const pad = (n: number) => String(n).padStart(2, '0')
/** A moment as a German types it: 04.12.2026 10:00 (the browser and this process share the time zone). */
const germanTime = (d: Date) => `${pad(d.getDate())}.${pad(d.getMonth() + 1)}.${d.getFullYear()} ${pad(d.getHours())}:${pad(d.getMinutes())}`
/** A PDF's text: laid out as on the page (rows of a table on one line), or in reading order (`raw`). */
const pdfText = (path: string, mode: '-layout' | '-raw' = '-layout') => execFileSync('pdftotext', [mode, '-enc', 'UTF-8', path, '-'], { encoding: 'utf8' })

describe('a coordinator runs a round from the catalogue to the purchase order, in German, at 1024×700', () => {
  let app: RunningApp
  let browser: BrowserContext
  let page: Page
  let problems: string[]
  const db = () => app.session.requireWorkspace().db
  const round = () => db().prepare('SELECT id, status FROM round WHERE name = ?').get(ROUND) as { id: string; status: string } | undefined

  const go = (link: string, heading: string) => navigate(page, de.app.navigationToggle, link, heading)

  /** Types a buyer's order into the fast entry: SKU, Enter, quantity, Enter, for each line. */
  async function enter(buyer: string, lines: [sku: string, quantity: number][]) {
    await page.getByLabel(de.orders.buyer, { exact: true }).selectOption({ label: buyer })
    // The buyer's order is shown (its file downloads name the buyer) before typing.
    await page.getByText(de.exchange.forBuyer.replace('{{buyer}}', buyer)).waitFor()
    const product = page.getByRole('combobox', { name: de.orders.product })
    for (const [sku, quantity] of lines) {
      await product.fill(sku)
      await page.getByRole('listbox').getByRole('option').first().waitFor()
      await product.press('Enter')
      await page.keyboard.type(String(quantity))
      await page.keyboard.press('Enter')
      await page.getByRole('cell', { name: sku, exact: true }).first().waitFor()
    }
  }

  /** What each buyer has of a SKU in the new round: [received time, quantity]. */
  const ordered = (sku: string) =>
    db()
      .prepare(
        `SELECT b.name, l.quantity FROM order_line l JOIN buyer_order o ON o.id = l.order_id JOIN buyer b ON b.id = o.buyer_id
         JOIN product p ON p.id = l.product_id JOIN round r ON r.id = o.round_id WHERE r.name = ? AND p.sku = ? ORDER BY b.name`
      )
      .raw()
      .all(ROUND, sku)

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

  it('creates a round for La Hoja that began a week ago, calculates its prices and opens it after a question that says what happens', async () => {
    await go(de.nav.rounds, de.rounds.title)
    await page.getByRole('button', { name: de.rounds.new, exact: true }).click()
    await page.getByLabel(de.rounds.name, { exact: true }).fill(ROUND)
    // The deadline's zone is the organisation's, not the browser's (which runs in UTC here).
    await expect(page.getByLabel(de.rounds.timeZone, { exact: true }).inputValue()).resolves.toBe('Europe/Berlin')
    const weekAgo = new Date(Date.now() - 7 * 86_400_000)
    weekAgo.setHours(9, 0, 0, 0)
    await page.getByLabel(de.rounds.opensAt, { exact: true }).fill(germanTime(weekAgo))
    await page.getByLabel(de.rounds.markupPercent, { exact: true }).fill('10')
    await page.getByLabel('Cooperativa de Trabajo La Hoja Ltda.').check()
    await page.getByRole('button', { name: de.settings.save, exact: true }).click()
    await expect.poll(() => round()?.status).toBe('draft')

    // Opening before the prices are there is refused and names the products.
    const open = de.rounds.moveTo.replace('{{status}}', de.roundStatus.open)
    await page.getByRole('button', { name: open }).click()
    await page.getByRole('dialog').getByRole('button', { name: open }).click()
    await page.getByRole('alert').filter({ hasText: 'LH-YM500' }).waitFor()
    expect(round()?.status).toBe('draft')

    await page.getByRole('button', { name: de.rounds.calculate }).click()
    await page.getByRole('status').filter({ hasText: de.rounds.priced.replace('{{count}}', '5') }).waitFor()
    // 2,10 USD × 0,92 = 1,932 €, + 10 % = 2,1252 €, up to 0,05 → 2,15 €.
    await page.getByRole('row', { name: /LH-YM500/ }).getByText('2,15 €').first().waitFor()
    await screenshot(page, 'round-walk-1-prices-de')

    await page.getByRole('button', { name: open }).click()
    const dialog = page.getByRole('dialog')
    await dialog.getByText(de.rounds.confirm.draft_open.split('{{deadline}}')[0]!).waitFor()
    // Opening destroys nothing: its button is not red.
    await expect(dialog.getByRole('button', { name: open }).getAttribute('class')).resolves.toBe('primary')
    await dialog.getByRole('button', { name: open }).click()
    await expect.poll(() => round()?.status).toBe('open')
  })

  it('takes the orders of three groups, one of them from paper with the time it was received', async () => {
    await go(de.nav.orders, de.orders.title)
    // Two rounds are open (the demo's and this one): the user picks this one. (Which one comes first
    // depends on the time of day: the demo's deadline is two weeks from now, this one's 18:00 that day.)
    const roundSelect = page.getByLabel(de.orders.round, { exact: true })
    await roundSelect.selectOption({ label: `${ROUND} (${de.roundStatus.open})` })
    await expect(roundSelect.locator('option:checked').textContent()).resolves.toBe(`${ROUND} (${de.roundStatus.open})`)
    await enter('Foodcoop Kornblume', [
      ['LH-YM500', 15],
      ['LH-YM1K', 10]
    ])
    await enter('Weltladen Connewitz', [['LH-YM500', 10]])
    // Ottakring's order came by post two days ago; it is typed in last.
    await page.getByLabel(de.orders.buyer, { exact: true }).selectOption({ label: 'Foodcoop Ottakring' })
    const received = new Date(Date.now() - 2 * 86_400_000)
    received.setHours(10, 0, 0, 0)
    const when = page.getByLabel(de.orders.receivedAt, { exact: true })
    await when.fill(germanTime(received))
    await when.press('Tab')
    await enter('Foodcoop Ottakring', [['LH-YM500', 10]])
    await screenshot(page, 'round-walk-2-paper-order-de')
    expect(ordered('LH-YM500')).toEqual([
      ['Foodcoop Kornblume', 15],
      ['Foodcoop Ottakring', 10],
      ['Weltladen Connewitz', 10]
    ])
    const ottakring = db()
      .prepare(`SELECT o.ordered_at FROM buyer_order o JOIN buyer b ON b.id = o.buyer_id JOIN round r ON r.id = o.round_id WHERE r.name = ? AND b.name = 'Foodcoop Ottakring'`)
      .pluck()
      .get(ROUND) as string
    expect(new Date(ottakring).getTime()).toBe(received.getTime())
  })

  it('closes the round after saying that groups can no longer change their orders', async () => {
    await go(de.nav.rounds, de.rounds.title)
    await page.getByLabel(de.rounds.choose, { exact: true }).selectOption({ label: `${ROUND} · ${de.roundStatus.open}` })
    const close = de.rounds.moveTo.replace('{{status}}', de.roundStatus.closed)
    await page.getByRole('button', { name: close }).click()
    await page.getByRole('dialog').getByText(de.rounds.confirm.open_closed).waitFor()
    await page.getByRole('dialog').getByRole('button', { name: close }).click()
    await expect.poll(() => round()?.status).toBe('closed')
  })

  it('consolidates: one case of yerba, the paper order first in the cut, the reason per group', async () => {
    await go(de.nav.consolidation, de.consolidation.title)
    await expect(page.getByLabel(de.orders.round, { exact: true }).locator('option:checked').textContent()).resolves.toBe(`${ROUND} (${de.roundStatus.closed})`)
    // 35 ordered in cases of 20, no tolerance: one case; 15 cut.
    const row = page.locator('tr', { has: page.getByRole('button', { name: 'LH-YM500', exact: true }) })
    await row.waitFor()
    await row.getByRole('button', { name: 'LH-YM500' }).click()
    const lines = page.locator('tr.detail')
    await lines.first().waitFor()
    // Each group's cells: name, ordered, tolerance, gets, why.
    const cells = await lines.evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].map((c) => (c.textContent ?? '').trim()).filter(Boolean)))
    const groups = cells.filter((c) => c.length >= 5).map((c) => c.slice(0, 4))
    // First come by the time each order was received: Ottakring (paper, two days ago) gets its 10, then
    // Kornblume 10 of its 15, and Weltladen, whose order came in last, none.
    expect(groups).toEqual([
      ['Foodcoop Ottakring', '10', '0', '10'],
      ['Foodcoop Kornblume', '15', '0', '10'],
      ['Weltladen Connewitz', '10', '0', '0']
    ])
    await page.locator('tr.detail', { hasText: 'Weltladen Connewitz' }).getByText(de.changeReasons.case_not_full).waitFor()
    await screenshot(page, 'round-walk-3-consolidation-de')
  })

  it('creates the purchase order, downloads its PDF and reads it back', async () => {
    await page.getByRole('button', { name: de.consolidation.createPurchaseOrders }).click()
    await page.getByRole('status').getByText(de.consolidation.created_one).waitFor()
    const number = db().prepare('SELECT number FROM purchase_order po JOIN round r ON r.id = po.round_id WHERE r.name = ?').pluck().get(ROUND) as string
    expect(number).toMatch(/^PO-\d{4}-\d{4}$/)
    const row = page.locator('tr', { has: page.getByRole('cell', { name: number }) })
    await row.getByRole('button', { name: de.consolidation.documents, exact: true }).click()
    const docs = page.getByRole('group', { name: de.consolidation.documentsOf.replace('{{number}}', number) })
    const [pdf] = await Promise.all([page.waitForEvent('download'), docs.getByRole('button', { name: de.consolidation.orderPdf }).click()])
    const text = pdfText((await pdf.path())!)
    expect(text).toContain(`Orden de compra ${number}`)
    expect(text).toContain('Cooperativa de Trabajo La Hoja Ltda.')
    // One case of 20 bags at 2,10 USD and one of 10 at 3,90: 42,00 + 39,00 = 81,00 USD.
    expect(text).toMatch(/LH-YM500\s.*\s1\s+20\s+2,10\s+USD\s+42,00/)
    expect(text).toMatch(/LH-YM1K\s.*\s1\s+10\s+3,90\s+USD\s+39,00/)
    expect(text).toContain('USD 81,00')
    expect(text).not.toContain('$')
    await screenshot(page, 'round-walk-4-purchase-order-de')

    // Weltladen's change notice: in German, its line and why.
    const [notice] = await Promise.all([
      page.waitForEvent('download'),
      docs.getByRole('button', { name: de.consolidation.noticePdfFor.replace('{{buyer}}', 'Weltladen Connewitz') }).click()
    ])
    const noticeText = pdfText((await notice.path())!, '-raw').replace(/\s+/g, ' ')
    expect(noticeText).toContain('Weltladen Connewitz')
    expect(noticeText).toContain(de.changeNotice.title)
    expect(noticeText).toContain('LH-YM500')
    expect(noticeText).toContain(de.changeReasons.case_not_full)
    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      docs.getByRole('button', { name: de.consolidation.noticeCsvFor.replace('{{buyer}}', 'Weltladen Connewitz') }).click()
    ])
    expect(readFileSync((await csv.path())!, 'utf8')).toContain('LH-YM500')
  })

  it('ran without missing translations, console errors or CSP violations', async () => {
    expect(await missingKeys(page)).toEqual([])
    expect(problems).toEqual([])
  })
})
