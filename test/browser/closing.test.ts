/// <reference lib="dom" />
import { execFileSync } from 'node:child_process'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dispatch } from '../../src/core/api/dispatch.ts'
import de from '../../src/shared/i18n/de.ts'
import es from '../../src/shared/i18n/es.ts'
import { CAMT_STATEMENT } from '../fixtures/statements.ts'
import { fill, missingKeys, navigate, plain, type RunningApp, screenshot, startApp, watchProblems } from './app.ts'
import { launch } from './chromium.ts'

/**
 * The end of a round in a real browser (German, 1024×700): the demo round taken through the API to where
 * the coordinator's work at the end starts (deposit requests; every purchase order sent, shipped with its
 * landed cost stored and received; the final invoices issued; every exporter but La Hoja paid), then by
 * hand: the bank statement imported, the payment nobody was found for matched, La Hoja's order paid in
 * dollars with the euros it cost, the round closed (it warns of the groups still owing), the report read,
 * the lock tried, and the round reopened with a reason.
 *
 * Two yerba mates of La Hoja carry a solidarity contribution (1 kg: 0,30 €, 500 g: 0,10 € a bag), set
 * after the round was priced. The figures the screen and the report show are checked against sums the
 * test takes from the database itself (invoice lines, landed cost lines, payments), not against the
 * closing's own computation.
 */
describe('closing a round in a real browser', () => {
  let app: RunningApp
  let browser: BrowserContext
  let page: Page
  let problems: string[]
  let roundId: string
  const db = () => app.session.requireWorkspace().db
  const one = <T,>(sql: string, ...params: unknown[]) => db().prepare(sql).pluck().get(...params) as T
  const euro = (minor: number) => new Intl.NumberFormat('de-DE', { style: 'currency', currency: 'EUR' }).format(minor / 100)
  const status = (message: string) => expect.poll(async () => plain((await page.getByRole('status').allTextContents()).join(' ')), { timeout: 15_000 }).toContain(plain(message))
  const noPageScroll = async () => expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true)
  let laHoja: string

  const ok = async (method: Parameters<typeof dispatch>[1], input: unknown) => {
    const r = await dispatch({ session: app.session }, method, input)
    expect(r.ok, `${method}: ${JSON.stringify(r.ok ? '' : r.error)}`).toBe(true)
    return (r as { result: unknown }).result as never
  }

  /** After the deposits came in: ordered, shipped, landed, received, invoiced, every exporter but La Hoja paid. */
  async function toInvoiced() {
    const orders = (await ok('purchaseOrders.create', { roundId })) as { id: string; supplierShortName: string }[]
    for (const po of orders) await ok('purchaseOrders.setStatus', { id: po.id, status: 'sent' })
    await ok('rounds.setStatus', { id: roundId, status: 'ordered' })
    for (const po of orders) {
      const shipment = (await ok('shipments.create', { roundId, purchaseOrderIds: [po.id], mode: 'sea_lcl' })) as { id: string }
      await ok('landedCost.saveCost', { shipmentId: shipment.id, name: 'Seefracht', amount: '10', currency: 'EUR', basis: 'value', stage: 'to_border' })
      await ok('landedCost.store', { shipmentId: shipment.id })
      const doc = (await ok('purchaseOrders.get', { id: po.id })) as { lines: { productId: string; units: number }[] }
      await ok('purchaseOrders.recordQuantities', { purchaseOrderId: po.id, lines: doc.lines.map((l) => ({ productId: l.productId, receivedUnits: l.units })) })
    }
    await ok('rounds.setStatus', { id: roundId, status: 'received' })
    await ok('consolidation.run', { roundId, stage: 'received' })
    await ok('invoices.prepareRound', { roundId })
    for (const id of db().prepare("SELECT id FROM invoice WHERE kind = 'invoice' AND status = 'draft'").pluck().all()) await ok('invoices.issue', { id })
    await ok('rounds.setStatus', { id: roundId, status: 'invoiced' })
    // Every exporter but La Hoja paid, in the order's currency, with what it cost in euros (here: the customs value).
    const accounts = (await ok('supplierPayments.list', { roundId })) as { purchaseOrderId: string; supplierName: string; currency: string; dueMinor: number; digits: number }[]
    for (const a of accounts) {
      if (a.supplierName === 'La Hoja') {
        laHoja = a.purchaseOrderId
        continue
      }
      const goods = one<number>(
        `SELECT sum(lc.goods_minor) FROM landed_cost_line lc JOIN shipment_line sl ON sl.id = lc.shipment_line_id
         JOIN purchase_order_line pol ON pol.id = sl.purchase_order_line_id WHERE pol.purchase_order_id = ? AND lc.deleted_at IS NULL`,
        a.purchaseOrderId
      )
      const amount = (a.dueMinor / 10 ** a.digits).toFixed(a.digits)
      await ok('supplierPayments.record', { purchaseOrderId: a.purchaseOrderId, paidOn: '2026-12-01', amount, baseAmount: (goods / 100).toFixed(2) })
    }
  }

  beforeAll(async () => {
    app = await startApp()
    const session = app.session
    roundId = one<string>('SELECT id FROM round')
    const ws = session.requireWorkspace()
    ws.db.transaction(() => {
      ws.write.update('product', one<string>("SELECT id FROM product WHERE sku = 'LH-YM1K'"), { solidarity_minor: 30, solidarity_currency: 'EUR' })
      ws.write.update('product', one<string>("SELECT id FROM product WHERE sku = 'LH-YM500'"), { solidarity_minor: 10, solidarity_currency: 'EUR' })
    })()
    await ok('rounds.setStatus', { id: roundId, status: 'closed' })
    await ok('invoices.requestDeposits', { roundId, sharePercent: 50 })
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

  it('imports the statement and matches the payment nobody was found for by hand', async () => {
    await navigate(page, de.app.navigationToggle, de.nav.payments, de.payments.inboxTitle)
    await page.getByLabel(de.payments.import).setInputFiles({ name: 'kontoauszug.xml', mimeType: 'application/xml', buffer: Buffer.from(CAMT_STATEMENT, 'utf8') })
    await status(fill(de.payments.imported_other, { count: 5, matched: 3, unmatched: 1, skipped: 0 }))
    await page.locator('tr.unmatched').getByRole('button', { name: de.payments.match }).click()
    const dialog = page.getByRole('dialog', { name: de.payments.matchTitle })
    await dialog.getByLabel(de.payments.buyer, { exact: true }).selectOption({ label: 'Weltladen Connewitz' })
    await dialog.getByRole('checkbox', { name: /AN-2026-00006/ }).waitFor()
    await dialog.getByRole('button', { name: de.payments.matchSubmit, exact: true }).click()
    await dialog.waitFor({ state: 'hidden' })
    await page.getByText(de.payments.allMatched).waitFor()
    expect(one<number>("SELECT count(*) FROM payment WHERE direction = 'in' AND buyer_id IS NULL")).toBe(0)
  })

  it('pays La Hoja in dollars with the euros it cost; a wrong amount is refused in words', async () => {
    await toInvoiced()
    await page.getByRole('navigation', { name: de.payments.sections }).getByRole('link', { name: de.payments.tab.exporter }).click()
    await page.getByRole('heading', { level: 1, name: de.exporter.title }).waitFor()
    const number = one<string>('SELECT number FROM purchase_order WHERE id = ?', laHoja)
    const form = page.getByRole('form', { name: fill(de.exporter.formFor, { number }) })
    await form.getByLabel(de.exporter.paidOn, { exact: true }).fill('05.12.2026')
    await form.getByLabel(fill(de.exporter.amount, { currency: 'USD' }), { exact: true }).fill('81,00')
    // Without the euros it cost: asked for, nothing booked.
    await form.getByRole('button', { name: de.exporter.record }).click()
    await form.getByText(de.fieldErrors.required).waitFor()
    expect(one<number>('SELECT count(*) FROM supplier_payment WHERE purchase_order_id = ?', laHoja)).toBe(0)
    await form.getByLabel(fill(de.exporter.baseAmount, { currency: 'EUR' }), { exact: true }).fill('75,00')
    await form.getByRole('button', { name: de.exporter.record }).click()
    await status(fill(de.exporter.recorded, { amount: '81,00 USD', number }))
    expect(one<number>('SELECT base_minor FROM supplier_payment WHERE purchase_order_id = ? AND deleted_at IS NULL', laHoja)).toBe(7500)
    await page.getByText(new RegExp(`^${de.exporter.paidInFull.split(' (')[0]}`)).first().waitFor()
    await noPageScroll()
    await screenshot(page, 'closing-exporter-de')
  })

  it('records a cash payment at the hub by hand: it settles the group’s invoice', async () => {
    await page.getByRole('navigation', { name: de.payments.sections }).getByRole('link', { name: de.payments.tab.balances }).click()
    await page.getByRole('heading', { level: 1, name: de.payments.balancesTitle }).waitFor()
    await page.getByRole('button', { name: de.payments.recordOpen }).click()
    const form = page.getByRole('form', { name: de.payments.recordTitle })
    const due = one<number>("SELECT i.due_minor FROM invoice i JOIN buyer b ON b.id = i.buyer_id WHERE b.name = 'Foodcoop Ottakring' AND i.kind = 'invoice' AND i.status = 'issued'")
    const amount = euro(due).replace(/\s*€$/, '').trim()
    await form.getByLabel(de.payments.buyer, { exact: true }).selectOption({ label: 'Foodcoop Ottakring' })
    await form.getByLabel(de.payments.recordAmount, { exact: true }).fill(amount)
    await form.getByLabel(de.payments.recordDay, { exact: true }).fill('06.12.2026')
    await form.getByRole('button', { name: de.payments.recordSubmit }).click()
    await status(fill(de.payments.recordedIn, { amount, buyer: 'Foodcoop Ottakring' }))
    expect(one<string>("SELECT p.method FROM payment p JOIN buyer b ON b.id = p.buyer_id WHERE b.name = 'Foodcoop Ottakring'")).toBe('cash')
    const row = plain(await page.locator('table.balances tbody tr', { hasText: 'Foodcoop Ottakring' }).textContent())
    expect(row).toContain(de.payments.settled)
  })

  it('closes the round after a warning, with the figures the database adds up to', async () => {
    await navigate(page, de.app.navigationToggle, de.nav.closing, de.closing.title)
    await page.locator('table.closing-statement').waitFor()
    // What the database says, summed here.
    const goods = one<number>(
      `SELECT sum(l.net_minor) FROM invoice_line l JOIN invoice i ON i.id = l.invoice_id WHERE i.round_id = ? AND i.status = 'issued' AND i.kind = 'invoice' AND l.kind = 'goods'`,
      roundId
    )
    const landed = one<number>('SELECT sum(landed_minor) FROM landed_cost_line WHERE deleted_at IS NULL')
    const laHojaGoods = one<number>(
      `SELECT sum(lc.goods_minor) FROM landed_cost_line lc JOIN shipment_line sl ON sl.id = lc.shipment_line_id
       JOIN purchase_order_line pol ON pol.id = sl.purchase_order_line_id WHERE pol.purchase_order_id = ?`,
      laHoja
    )
    const exchange = laHojaGoods - 7500
    const delivered = (sku: string) =>
      one<number>(
        `SELECT coalesce(sum(l.quantity_milli), 0) FROM invoice_line l JOIN invoice i ON i.id = l.invoice_id JOIN product p ON p.id = l.product_id
         WHERE i.round_id = ? AND i.status = 'issued' AND i.kind = 'invoice' AND p.sku = ?`,
        roundId,
        sku
      ) / 1000
    const contributions = delivered('LH-YM1K') * 30 + delivered('LH-YM500') * 10
    const stock = one<number>('SELECT count(*) FROM stock_movement')
    expect(stock).toBe(0)
    const result = goods - landed + exchange
    const rows = (await page.locator('table.closing-statement tr').allTextContents()).map(plain)
    expect(rows).toEqual([
      `${de.closing.goodsNet}${euro(goods)}`,
      `${de.closing.stockValue}+ ${euro(0)}`,
      `${de.closing.landed}− ${euro(landed)}`,
      `${de.closing.exchangeDifference}${exchange < 0 ? `− ${euro(-exchange)}` : `+ ${euro(exchange)}`}`,
      `${de.closing.result}${euro(result)}`,
      `${de.closing.contributions}− ${euro(contributions)}`,
      `${de.closing.reserve}${euro(result - contributions)}`
    ].map(plain))
    const coop = plain(await page.locator('table.closing-cooperatives tbody tr', { hasText: 'La Hoja' }).textContent())
    expect(coop).toContain(plain(euro(contributions)))
    expect(coop).toContain(plain(de.closing.noBank))
    // The groups still owe the rest of their invoices: a warning, and closing asks first.
    await page.getByRole('note').getByText(/Gruppen haben noch offene Beträge/).waitFor()
    await noPageScroll()
    await screenshot(page, 'closing-preview-de')
    await page.getByRole('button', { name: de.closing.close, exact: true }).click()
    const confirm = page.getByRole('dialog', { name: fill(de.closing.confirmTitle, { round: 'Winterrunde 2026/27' }) })
    await confirm.waitFor()
    expect(plain(await confirm.textContent())).toContain(plain(fill(de.closing.confirmText, { contributions: euro(contributions), reserve: euro(result - contributions) })))
    await confirm.getByRole('button', { name: de.closing.close }).click()
    await status(de.closing.closed)
    expect(one<string>('SELECT status FROM round WHERE id = ?', roundId)).toBe('settled')
    expect(one<number>('SELECT reserve_minor FROM round_closing WHERE deleted_at IS NULL')).toBe(result - contributions)
    await page.locator('.closed-note').waitFor()
    await screenshot(page, 'closing-closed-de')
  })

  it('gives the report as PDF, in German, with the result, the contributions and the reserve', async () => {
    const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: de.closing.reportPdf }).click()])
    expect(file.suggestedFilename()).toMatch(/\.pdf$/)
    const text = execFileSync('pdftotext', ['-layout', await file.path(), '-'], { encoding: 'utf8' }).replace(/[\u00a0\u202f]/g, ' ')
    expect(text).toContain('Winterrunde 2026/27')
    expect(text).toContain('La Hoja')
    const reserve = one<number>('SELECT reserve_minor FROM round_closing WHERE deleted_at IS NULL')
    expect(text).toContain(plain(euro(reserve)).replace(' €', ''))
    expect(text).not.toContain(de.closingReport.preview)
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: de.closing.reportCsv }).click()])
    expect(csv.suggestedFilename()).toMatch(/\.csv$/)
    // No cooperative of the demo has an IBAN: the transfer file is refused in words, the rest is paid by hand.
    await page.getByLabel(de.closing.transfersDay, { exact: true }).fill('10.12.2026')
    await page.getByRole('button', { name: de.closing.transfersFile }).click()
    await expect.poll(async () => plain((await page.getByRole('alert').allTextContents()).join(' '))).toContain(plain(fill(de.errors['closing.no_transfers'], { round: 'Winterrunde 2026/27' })))
  })

  it('is locked: an exporter payment is refused in words; the status steps lead to the closing page', async () => {
    const number = one<string>('SELECT number FROM purchase_order WHERE id = ?', laHoja)
    const before = one<number>('SELECT count(*) FROM supplier_payment')
    const r = await dispatch({ session: app.session }, 'supplierPayments.record', { purchaseOrderId: laHoja, paidOn: '2026-12-06', amount: '1', baseAmount: '1' })
    expect(r.ok ? '' : r.error.code).toBe('round.locked')
    expect(one<number>('SELECT count(*) FROM supplier_payment')).toBe(before)
    expect(number).toMatch(/^PO-/)
    await navigate(page, de.app.navigationToggle, de.nav.rounds, de.rounds.title)
    await page.getByRole('link', { name: de.rounds.toClosingClosed }).click()
    await page.getByRole('heading', { level: 1, name: de.closing.title }).waitFor()
  })

  it('reopens only with a reason, kept in the history', async () => {
    await page.getByRole('button', { name: de.closing.reopen }).click()
    await page.getByRole('button', { name: de.closing.reopenSubmit, exact: true }).click()
    await page.getByText(de.fieldErrors.required).waitFor()
    expect(one<string>('SELECT status FROM round WHERE id = ?', roundId)).toBe('settled')
    await page.getByLabel(de.closing.reason, { exact: true }).fill('Frachtrechnung kam nachträglich')
    await page.getByRole('button', { name: de.closing.reopenSubmit, exact: true }).click()
    await status(de.closing.reopened)
    expect(one<string>('SELECT status FROM round WHERE id = ?', roundId)).toBe('invoiced')
    const history = plain(await page.locator('.closing-history').textContent())
    expect(history).toContain(`${de.closing.event.reopen} – Frachtrechnung kam nachträglich`)
    expect(history).toContain(de.closing.event.close)
    expect(await missingKeys(page)).toEqual([])
    expect(problems).toEqual([])
  })

  it('reads well in Spanish too', async () => {
    await page.locator('#ui-language').selectOption('es')
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('es')
    await navigate(page, es.app.navigationToggle, es.nav.closing, es.closing.title)
    await page.locator('table.closing-statement').waitFor()
    expect(plain(await page.locator('table.closing-statement').textContent())).toContain(plain(es.closing.goodsNet))
    await noPageScroll()
    await screenshot(page, 'closing-preview-es')
    expect(await missingKeys(page)).toEqual([])
  })
})
