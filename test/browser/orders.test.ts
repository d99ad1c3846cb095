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
    // Picked again, the product says no case is left to fill (not "0 more are needed").
    await product.fill('tt-bb500')
    await product.press('Enter')
    await page.getByRole('status').filter({ hasText: de.orders.caseInfoFilled.split('}}').at(-1)! }).waitFor()
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

  it('edits the order in the grid: cells save on Enter (moving down) or on leaving, remove with undo, all products of the round', async () => {
    await page.getByLabel(de.orders.showAll).check()
    const cell = (label: string, sku: string) => page.getByLabel(label.replace('{{sku}}', sku), { exact: true })
    await cell(de.orders.quantityOf, 'TT-BB500').fill('25')
    await page.keyboard.press('Enter')
    await expect.poll(() => ordered(app, 'Foodcoop Kornblume', 'TT-BB500').quantity).toBe(25)
    // Enter moved down to the quantity of the next product; typing there and leaving the cell saves it.
    const next = await page.evaluate(() => {
      const el = document.activeElement as HTMLInputElement
      return { col: el.dataset.col, above: el.closest('tr')?.previousElementSibling?.querySelector('td')?.textContent, sku: el.closest('tr')?.querySelector('td')?.textContent }
    })
    expect(next).toMatchObject({ col: 'quantity', above: 'TT-BB500' })
    const before = ordered(app, 'Foodcoop Kornblume', next.sku!).quantity
    await page.keyboard.type(String(before + 4))
    await page.keyboard.press('Tab')
    await expect.poll(() => ordered(app, 'Foodcoop Kornblume', next.sku!).quantity).toBe(before + 4)
    await cell(de.orders.toleranceOf, 'TT-BB500').fill('3')
    await page.keyboard.press('Tab')
    await expect.poll(() => ordered(app, 'Foodcoop Kornblume', 'TT-BB500').tolerance).toBe(3)
    await screenshot(page, 'orders-grid-de')

    // Remove sets the line to 0 (one more log row, nothing overwritten); Undo brings it back.
    await page.getByRole('button', { name: de.orders.removeLabel.replace('{{sku}}', 'TT-BB500'), exact: true }).click()
    await page.getByText(de.orders.removed.replace('{{sku}}', 'TT-BB500')).waitFor()
    await expect.poll(() => ordered(app, 'Foodcoop Kornblume', 'TT-BB500')).toEqual({ quantity: 0, tolerance: 0, logRows: 5 })
    await page.getByRole('button', { name: de.orders.undo, exact: true }).click()
    await expect.poll(() => ordered(app, 'Foodcoop Kornblume', 'TT-BB500')).toEqual({ quantity: 25, tolerance: 3, logRows: 6 })
    // The log is written before the answer reaches the page: wait for the cell to show it.
    await expect.poll(() => cell(de.orders.quantityOf, 'TT-BB500').inputValue()).toBe('25')
  })

  it('checks quantities as they are typed by the rule the core uses, with messages that name the unit and no raw placeholder', async () => {
    const db = app.session.requireWorkspace().db
    const logBefore = (db.prepare('SELECT count(*) AS n FROM quantity_log').get() as { n: number }).n
    const malbec = page.getByLabel(de.orders.quantityOf.replace('{{sku}}', 'LR-MA750'), { exact: true })
    const messages: [string, string][] = [
      ['1,5', de.fieldErrors.quantity_whole.replace('$t(units.{{unit}})', de.units.bottle)],
      ['-2', de.fieldErrors.quantity_negative],
      ['1e12', de.fieldErrors.quantity_max.replace('{{max, number}}', '1.000.000')],
      ['zwei', de.fieldErrors.number]
    ]
    for (const [typed, message] of messages) {
      await malbec.fill(typed)
      await malbec.press('Tab')
      await expect(page.getByRole('alert').filter({ hasText: message }).count()).resolves.toBe(1)
      expect(await page.locator('main, body').first().innerText()).not.toMatch(/\{\{|\$t\(/)
    }
    expect(messages[0]![1]).toBe('Nur ganze Einheiten: Dieses Produkt wird pro Flasche verkauft.')
    await malbec.focus()
    await page.keyboard.press('Escape')
    // The fast entry says the same.
    const product = page.getByRole('combobox', { name: de.orders.product })
    await product.fill('LR-MA750')
    await product.press('Enter')
    await page.keyboard.type('2,5')
    await page.keyboard.press('Enter')
    await page.getByRole('alert').filter({ hasText: messages[0]![1] }).first().waitFor()
    // And in Spanish, with the unit in Spanish.
    await page.getByLabel(de.language.label, { exact: true }).selectOption('es')
    await page.getByRole('heading', { level: 1, name: es.orders.title }).waitFor()
    const malbecEs = page.getByLabel(es.orders.quantityOf.replace('{{sku}}', 'LR-MA750'), { exact: true })
    await malbecEs.fill('1.5')
    await malbecEs.press('Tab')
    await page.getByRole('alert').filter({ hasText: 'Solo unidades enteras: este producto se vende por botella.' }).waitFor()
    expect(await page.locator('body').innerText()).not.toMatch(/\{\{|\$t\(/)
    await screenshot(page, 'orders-quantity-messages-es')
    await malbecEs.focus()
    await page.keyboard.press('Escape')
    await page.getByLabel(es.language.label, { exact: true }).selectOption('de')
    await page.getByRole('heading', { level: 1, name: de.orders.title }).waitFor()
    expect((db.prepare('SELECT count(*) AS n FROM quantity_log').get() as { n: number }).n).toBe(logBefore)
    await page.getByLabel(de.orders.showAll).uncheck()
  })

  it('takes a paper order with the time it was received, and changes an order’s received time with a reason', async () => {
    const db = app.session.requireWorkspace().db
    const p = (n: number) => String(n).padStart(2, '0')
    /** A time some hours back, whole minutes, as a German user types it and as the core stores it. */
    const hoursAgo = (h: number) => {
      const d = new Date(Date.now() - h * 3_600_000)
      d.setSeconds(0, 0)
      return { typed: `${p(d.getDate())}.${p(d.getMonth() + 1)}.${d.getFullYear()} ${p(d.getHours())}:${p(d.getMinutes())}`, iso: d.toISOString() }
    }
    await page.getByLabel(de.orders.buyer, { exact: true }).selectOption({ label: 'Weltladen Connewitz' })
    const received = page.getByLabel(de.orders.receivedAt, { exact: true })
    // A time in the future is refused with the core's translated reason.
    const tomorrow = new Date(Date.now() + 86_400_000)
    await received.fill(`${p(tomorrow.getDate())}.${p(tomorrow.getMonth() + 1)}.${tomorrow.getFullYear()} 10:00`)
    const product = page.getByRole('combobox', { name: de.orders.product })
    await product.fill('TT-SU500')
    await product.press('Enter')
    await page.keyboard.type('2')
    await page.keyboard.press('Enter')
    // The refusal shows at the received time's field (the form kit's date field, whose error describes its input).
    await page.locator('.field.invalid', { has: received }).getByText(de.fieldErrors.received_future).waitFor()
    expect(await received.getAttribute('aria-invalid')).toBe('true')
    expect(ordered(app, 'Weltladen Connewitz', 'TT-SU500').quantity).toBe(0)

    const two = hoursAgo(2)
    await received.fill(two.typed)
    await page.keyboard.press('Tab')
    await page.getByText(de.orders.receivedHintSet.split('{{')[0]!).waitFor()
    await product.fill('TT-SU500')
    await product.press('Enter')
    await page.keyboard.type('2')
    await page.keyboard.press('Enter')
    await expect.poll(() => ordered(app, 'Weltladen Connewitz', 'TT-SU500').quantity).toBe(2)
    const order = () =>
      db.prepare(`SELECT o.id, o.ordered_at AS orderedAt FROM buyer_order o JOIN buyer b ON b.id = o.buyer_id WHERE b.name = 'Weltladen Connewitz'`).get() as { id: string; orderedAt: string }
    const logged = db
      .prepare(
        `SELECT q.received_at FROM quantity_log q JOIN order_line l ON l.id = q.line_id JOIN product pr ON pr.id = l.product_id
         WHERE l.order_id = ? AND pr.sku = 'TT-SU500'`
      )
      .pluck()
      .get(order().id)
    expect(logged).toBe(two.iso)
    expect(order().orderedAt).toBe(two.iso)
    await page.getByTestId('order-received').filter({ hasText: two.typed.slice(-5) }).waitFor()

    // Change it: without a reason the dialog says what is missing and nothing is kept.
    await page.getByRole('button', { name: de.orders.changeReceived }).click()
    const dialog = page.getByRole('dialog', { name: de.orders.changeReceivedTitle.replace('{{buyer}}', 'Weltladen Connewitz') })
    await dialog.waitFor()
    const three = hoursAgo(3)
    await dialog.getByLabel(de.orders.receivedAt, { exact: true }).fill(three.typed)
    await dialog.getByRole('button', { name: de.orders.saveReceived }).click()
    await dialog.getByRole('alert').filter({ hasText: de.fieldErrors.required }).waitFor()
    expect(db.prepare('SELECT count(*) FROM order_received_change').pluck().get()).toBe(0)
    await dialog.getByLabel(de.orders.receivedReason, { exact: true }).fill('Brief kam schon am Vormittag')
    await screenshot(page, 'orders-received-dialog-de')
    await dialog.getByRole('button', { name: de.orders.saveReceived }).click()
    await page.getByText(de.orders.receivedSaved).waitFor()
    expect(db.prepare('SELECT from_at, to_at, reason FROM order_received_change WHERE order_id = ?').raw().all(order().id)).toEqual([
      [two.iso, three.iso, 'Brief kam schon am Vormittag']
    ])
    expect(order().orderedAt).toBe(three.iso)
    await page.getByTestId('order-received').filter({ hasText: three.typed.slice(-5) }).waitFor()
    await page.getByText(de.orders.receivedChangedNote.replace('{{reason}}', 'Brief kam schon am Vormittag')).waitFor()
    await page.getByRole('button', { name: de.orders.receivedNow, exact: true }).click()
    await screenshot(page, 'orders-received-de')
  })

  it('lists every order line of the round, searchable, and opens a buyer’s order from a line', async () => {
    await page.getByRole('link', { name: de.orders.allLines }).click()
    await page.getByRole('heading', { level: 1, name: de.orders.allLines }).waitFor()
    const lines = (app.session.requireWorkspace().db.prepare('SELECT count(*) AS n FROM order_line WHERE quantity > 0 OR tolerance > 0').get() as { n: number }).n
    await page.getByRole('status').getByText(new RegExp(`\\b${lines}\\b`)).waitFor()
    await page.getByRole('columnheader', { name: de.orders.received }).waitFor()
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
