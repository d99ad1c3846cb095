/// <reference lib="dom" />
import { execFileSync } from 'node:child_process'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dispatch } from '../../src/core/api/dispatch.ts'
import de from '../../src/shared/i18n/de.ts'
import { fill, missingKeys, navigate, plain, type RunningApp, screenshot, startApp, textOf, watchProblems } from './app.ts'
import { launch } from './chromium.ts'

const text = textOf

/**
 * A shipment of the demo round in a real browser (German, 1024×700), clicking and typing: La Hoja's purchase
 * order (10 bags of yerba mate 1 kg = 1 case of 10,6 kg and 0,030 m³, USD 39,00; 20 bags of 500 g = 1 case of
 * 10,8 kg and 0,032 m³, USD 42,00) goes by sea; goods at the demo's 1 USD = 0,92 EUR: 35,88 € and 38,64 €.
 *
 * The costs, split by hand (largest remainder):
 * - sea freight USD 120,00 = 110,40 € by chargeable weight (W/M: 30 and 32 thousandths) up to the border:
 *   11040 × 30/62 = 5341,94 → 53,42 €; 11040 × 32/62 = 5698,06 → 56,98 €
 * - insurance 15,00 € by value up to the border: 1500 × 3588/7452 = 722,22 → 7,22 €; 777,78 → 7,78 €
 * - trucking to the hub 60,00 € by gross weight (10,6 : 10,8 kg): 2971,96 → 29,72 €; 3028,04 → 30,28 €
 * - the broker's fee 45,00 € by quantity (10 : 20 bags), neither stage: 15,00 € and 30,00 €
 * Duty on yerba mate (0903 00 00) is 0 %. Customs value 35,88 + 53,42 + 7,22 = 96,52 € and 38,64 + 56,98 +
 * 7,78 = 103,40 €; landed 96,52 + 29,72 + 15,00 = 141,24 € (14,12 € a bag) and 103,40 + 30,28 + 30,00 =
 * 163,68 € (8,18 € a bag); together 304,92 €. Import VAT (7 %) is reclaimed, so it is no cost.
 */
describe('a shipment and its landed cost in a real browser', () => {
  let app: RunningApp
  let browser: BrowserContext
  let page: Page
  let problems: string[]

  beforeAll(async () => {
    app = await startApp()
    const session = app.session
    // Setup as a coordinator did it before: the round closed, its purchase orders created and sent.
    const roundId = session.requireWorkspace().db.prepare('SELECT id FROM round').pluck().get() as string
    expect((await dispatch({ session }, 'rounds.setStatus', { id: roundId, status: 'closed' })).ok).toBe(true)
    const created = await dispatch({ session }, 'purchaseOrders.create', { roundId })
    if (!created.ok) throw new Error(created.error.code)
    for (const po of created.result as { id: string }[]) expect((await dispatch({ session }, 'purchaseOrders.setStatus', { id: po.id, status: 'sent' })).ok).toBe(true)
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
  const count = (table: string) => db().prepare(`SELECT count(*) FROM ${table} WHERE deleted_at IS NULL`).pluck().get() as number
  const noPageScroll = async () => expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true)

  it('creates a shipment from one exporter’s purchase orders', async () => {
    await navigate(page, de.app.navigationToggle, de.nav.shipments, de.shipments.title)
    await page.getByText(de.shipments.none).waitFor()
    await page.getByRole('button', { name: de.shipments.new }).click()
    await page.getByLabel(de.shipments.exporter, { exact: true }).selectOption({ label: 'La Hoja' })
    const order = page.getByRole('checkbox', { name: /PO-2026-0001/ })
    expect(await order.isChecked()).toBe(true)
    // Only La Hoja's order is offered.
    expect(await page.getByRole('checkbox', { name: /PO-2026-000[2-6]/ }).count()).toBe(0)
    await page.getByLabel(de.shipments.mode, { exact: true }).selectOption({ label: de.shipmentMode.sea_lcl })
    await page.getByRole('button', { name: de.shipments.create, exact: true }).click()
    await page.getByRole('heading', { level: 1, name: fill(de.shipments.pageTitle, { number: 'SH-2026-001', exporter: 'La Hoja' }) }).waitFor()
    await page.getByRole('status').getByText(fill(de.shipments.created, { number: 'SH-2026-001' })).waitFor()
    const lines = page.locator('form.lines-form tbody tr')
    expect(await lines.count()).toBe(2)
    expect(await page.getByLabel(fill(de.shipments.shippedOf, { sku: 'LH-YM1K' })).inputValue()).toBe('10')
    expect(await page.getByLabel(fill(de.shipments.shippedOf, { sku: 'LH-YM500' })).inputValue()).toBe('20')
    expect(db().prepare('SELECT number, status, mode FROM shipment').all()).toEqual([{ number: 'SH-2026-001', status: 'planned', mode: 'sea_lcl' }])
    await noPageScroll()
  })

  it('moves it to booked on a day, with a note', async () => {
    const status = page.getByLabel(de.shipments.moveTo, { exact: true })
    expect(await status.inputValue()).toBe('booked')
    const day = page.getByLabel(de.shipments.onDay, { exact: true })
    await day.fill('03.12.2026')
    await page.getByLabel(de.shipments.eventNote, { exact: true }).fill('Buchung bei Cargo Sur')
    await page.getByRole('button', { name: fill(de.shipments.record, { status: de.shipmentStatus.booked }) }).click()
    await page.getByRole('status').getByText(fill(de.shipments.moved, { status: de.shipmentStatus.booked })).waitFor()
    const last = page.locator('ol.timeline li').last()
    expect(await text(last)).toBe(`03.12.2026 ${de.shipmentStatus.booked} – Buchung bei Cargo Sur`)
    expect(db().prepare(`SELECT status, on_day AS onDay, note FROM shipment_event ORDER BY created_at DESC LIMIT 1`).get()).toEqual({
      status: 'booked',
      onDay: '2026-12-03',
      note: 'Buchung bei Cargo Sur'
    })
    // The next move offered is departure.
    expect(await status.inputValue()).toBe('departed')
  })

  it('generates the packages and puts the cartons on a pallet', async () => {
    await page.getByRole('button', { name: de.shipments.generatePackages, exact: true }).click()
    await page.getByRole('status').getByText(fill(de.shipments.packagesGenerated, { count: 2 })).waitFor()
    // One carton per case: 10,6 and 10,8 kg; 0,030 and 0,032 m³ → sea W/M = max(0,062 m³, 0,0214 t).
    const totals = page.locator('dl.totals')
    expect(await text(totals)).toContain(`${de.shipments.grossKg}21,4`)
    expect(await text(totals)).toContain(`${de.shipments.chargeable}0,062 W/M`)
    await page.getByRole('checkbox', { name: fill(de.shipments.selectPackage, { marks: 'SH-2026-001/001' }) }).check()
    await page.getByRole('checkbox', { name: fill(de.shipments.selectPackage, { marks: 'SH-2026-001/002' }) }).check()
    await page.getByLabel(de.shipments.heightCm, { exact: true }).fill('110')
    await page.getByRole('button', { name: fill(de.shipments.putOnPallet_other, { count: 2 }) }).click()
    await page.getByRole('status').getByText(fill(de.shipments.palletAdded_other, { marks: 'SH-2026-001/003', count: 2 })).waitFor()
    const pallet = page.locator('tr.pallet')
    expect(await text(pallet)).toContain('120 × 80 × 110')
    // 1,2 × 0,8 × 1,1 = 1,056 m³ travel; 21,4 kg + 25 kg pallet.
    expect(await text(totals)).toContain(`${de.shipments.chargeable}1,056 W/M`)
    expect(db().prepare(`SELECT count(*) FROM package WHERE pallet_id IS NOT NULL AND deleted_at IS NULL`).pluck().get()).toBe(2)
    // Generating again asks first, since the pallet would go: cancelled, it stays.
    await page.getByRole('button', { name: de.shipments.regeneratePackages, exact: true }).click()
    await page.getByRole('dialog').getByRole('button', { name: de.common.cancel }).click()
    expect(count('package')).toBe(3)
    await noPageScroll()
  })

  /** Fills the cost form and waits for the split shown before saving; returns its rows' shares. */
  async function costForm(values: { name: string; provider?: string; amount: string; currency?: string; basis: string; stage: string }) {
    await page.getByRole('button', { name: de.shipments.addCost, exact: true }).click()
    await page.getByLabel(de.shipments.costName, { exact: true }).fill(values.name)
    if (values.provider) await page.getByLabel(de.shipments.provider, { exact: true }).fill(values.provider)
    await page.getByLabel(de.shipments.amount, { exact: true }).fill(values.amount)
    if (values.currency) await page.getByLabel(de.shipments.currency, { exact: true }).selectOption(values.currency)
    await page.getByLabel(de.shipments.basis, { exact: true }).selectOption({ label: values.basis })
    await page.getByLabel(de.shipments.stage, { exact: true }).selectOption({ label: values.stage })
  }

  async function previewShares(): Promise<string[]> {
    const rows = page.locator('section.preview tbody tr')
    await rows.first().waitFor()
    return (await rows.locator('td:last-child').allTextContents()).map(plain)
  }

  async function saveCost(name: string) {
    await page.getByRole('button', { name: de.shipments.saveCost, exact: true }).click()
    await page.getByRole('status').getByText(fill(de.shipments.costSaved, { name })).waitFor()
  }

  it('adds cost lines, each with its split shown before saving', async () => {
    await costForm({ name: 'Seefracht Buenos Aires – Hamburg', provider: 'Cargo Sur', amount: '120', currency: 'USD', basis: de.costBasis.chargeable, stage: de.costStage.to_border })
    await page.locator('section.preview').getByText(/120,00\sUSD = 110,40\s€/).waitFor()
    await expect.poll(previewShares).toEqual(['53,42 €', '56,98 €'])
    // Shown, not saved.
    expect(count('cost_line')).toBe(0)
    await saveCost('Seefracht Buenos Aires – Hamburg')

    await costForm({ name: 'Transportversicherung', amount: '15', basis: de.costBasis.value, stage: de.costStage.to_border })
    await expect.poll(previewShares).toEqual(['7,22 €', '7,78 €'])
    await saveCost('Transportversicherung')

    await costForm({ name: 'Lkw Hamburg – Berlin', amount: '60', basis: de.costBasis.gross_weight, stage: de.costStage.to_destination })
    await expect.poll(previewShares).toEqual(['29,72 €', '30,28 €'])
    await saveCost('Lkw Hamburg – Berlin')

    await costForm({ name: 'Zollagent', amount: '45', basis: de.costBasis.quantity, stage: de.costStage.other })
    await expect.poll(previewShares).toEqual(['15,00 €', '30,00 €'])
    await saveCost('Zollagent')

    expect(db().prepare('SELECT name, currency, amount_minor AS amount, base_minor AS base, basis, stage FROM cost_line ORDER BY created_at').all()).toEqual([
      { name: 'Seefracht Buenos Aires – Hamburg', currency: 'USD', amount: 12000, base: 11040, basis: 'chargeable', stage: 'to_border' },
      { name: 'Transportversicherung', currency: 'EUR', amount: 1500, base: 1500, basis: 'value', stage: 'to_border' },
      { name: 'Lkw Hamburg – Berlin', currency: 'EUR', amount: 6000, base: 6000, basis: 'gross_weight', stage: 'to_destination' },
      { name: 'Zollagent', currency: 'EUR', amount: 4500, base: 4500, basis: 'quantity', stage: 'other' }
    ])
  })

  it('refuses a cost in a currency without a rate, in German, and saves nothing', async () => {
    await costForm({ name: 'Lagergebühr Zürich', amount: '30', currency: 'CHF', basis: de.costBasis.value, stage: de.costStage.other })
    const [before] = de.errors['exchange.no_rate'].split('{{date}}')
    const expected = fill(before!, { from: 'CHF', to: 'EUR' })
    await page.locator('section.preview').getByRole('alert').getByText(expected, { exact: false }).waitFor()
    await page.getByRole('button', { name: de.shipments.saveCost, exact: true }).click()
    await page.locator('form.inline-form fieldset > .message.error').getByText(expected, { exact: false }).waitFor()
    expect(await page.locator('body').textContent()).not.toContain('{{')
    expect(count('cost_line')).toBe(4)
    await page.locator('form.inline-form').getByRole('button', { name: de.common.cancel }).click()
    await expect.poll(() => page.locator('section.preview').count()).toBe(0)
  })

  it('shows the landed cost per line and the chart, and stores the result', async () => {
    const table = page.locator('table.landed-table')
    const row = (sku: string) => table.locator('tbody tr', { hasText: sku })
    await expect.poll(async () => text(table.locator('tfoot tr'))).toContain('304,92 €')
    const ym1k = (await row('LH-YM1K').locator('td').allTextContents()).map(plain)
    // goods, to border, customs value, duty, to hub, VAT base, rate, VAT, other, landed, per unit
    expect(ym1k.slice(0, 6)).toEqual(['35,88 €', '60,64 €', '96,52 €', '0,00 €', '29,72 €', '126,24 €'])
    expect(ym1k[6]).toBe('7 %')
    expect(ym1k.slice(8)).toEqual(['15,00 €', '141,24 €', `14,12 € / ${de.units.bag}`])
    const ym500 = (await row('LH-YM500').locator('td').allTextContents()).map(plain)
    expect([ym500[2], ym500[9], ym500[10]]).toEqual(['103,40 €', '163,68 €', `8,18 € / ${de.units.bag}`])

    // The chart: a picture with its name, a legend and every figure in its description.
    const chart = page.getByRole('img', { name: de.shipments.chartTitle })
    await chart.waitFor()
    const desc = plain(await chart.locator('desc').textContent())
    expect(desc).toContain(fill(de.shipments.chartRow, { product: 'LH-YM1K Mate-Tee mit Stängeln 1 kg', unit: de.units.bag, landed: '14,12 €', round: '4,35 €', cooperative: '3,59 €' }))
    for (const s of ['landed', 'round', 'cooperative'] as const) await page.locator('.landed-chart .legend').getByText(de.shipments.series[s]).waitFor()
    expect(await chart.locator('rect.bar-landed').count()).toBe(2)

    await page.getByText(de.shipments.neverStored).first().waitFor()
    await page.getByRole('button', { name: de.shipments.store, exact: true }).click()
    await page.getByRole('status').getByText(/Einstandskosten gespeichert/).waitFor()
    await page.getByText(/Zuletzt gespeichert:/).first().waitFor()
    expect(db().prepare('SELECT count(*) AS n, sum(landed_minor) AS total FROM landed_cost_line WHERE deleted_at IS NULL').get()).toEqual({ n: 2, total: 30492 })
    await noPageScroll()
    await screenshot(page, 'shipments-page-de')
  })

  it('downloads the customs papers: the invoice and the packing list agree, the broker sheet has the duty', async () => {
    const papers = page.getByRole('button', { name: de.shipmentPapers.invoice })
    await papers.scrollIntoViewIfNeeded()
    const download = async (label: string) => {
      const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: label }).click()])
      return execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', (await file.path())!, '-'], { encoding: 'utf8' }).replace(/[ \t]+/g, ' ')
    }
    const invoice = await download(de.shipmentPapers.invoice)
    expect(invoice).toContain('Commercial invoice / Factura comercial SH-2026-001')
    // Both yerba lines with their 8-digit CN code and origin; the packages and marks of the pallet.
    expect(invoice).toMatch(/LH-YM1K .*0903 00 00 AR/)
    expect(invoice).toMatch(/LH-YM500 .*0903 00 00 AR/)
    const packing = await download(de.shipmentPapers.packing)
    expect(packing).toContain('SH-2026-001/003')
    // The totals agree: the same gross weight on both papers.
    const gross = (text: string) => text.match(/Gross weight \/ Peso bruto:? ?([\d.,]+ kg)/)?.[1]
    expect(gross(invoice)).toBeTruthy()
    expect(gross(packing)).toBe(gross(invoice))
    const broker = await download(de.shipmentPapers.broker)
    expect(broker).toContain('CN 0903 00 00')
  })

  it('lists the shipment with its status and stored landed total, without i18n gaps or console errors', async () => {
    await page.getByRole('link', { name: de.shipments.back }).click()
    const row = page.locator('tbody tr', { hasText: 'SH-2026-001' })
    await row.waitFor()
    const cells = (await row.locator('td').allTextContents()).map(plain)
    expect(cells).toEqual(['SH-2026-001', 'La Hoja', de.shipmentStatus.booked, de.shipmentMode.sea_lcl, '2', '', '304,92 €'])
    await noPageScroll()
    await screenshot(page, 'shipments-list-de')
    expect(await missingKeys(page)).toEqual([])
    expect(problems).toEqual([])
  })

  it('the shipped order shows what is due on the shipped value, and no longer offers going back to draft', async () => {
    await navigate(page, de.app.navigationToggle, de.nav.consolidation, de.consolidation.title)
    const row = page.locator('tr', { hasText: 'PO-2026-0001' })
    await row.getByRole('button', { name: de.consolidation.terms }).click()
    const amounts = page.getByRole('table', { name: fill(de.consolidation.amountsDue, { number: 'PO-2026-0001' }) })
    await amounts.getByRole('columnheader', { name: de.consolidation.amountShipped }).waitFor()
    // Everything was shipped: the shipped column totals what was ordered (one case of 20 at 2,10 + one of 10 at 3,90).
    expect((await amounts.locator('tfoot td').allTextContents()).map(plain)).toEqual(['81,00 USD', '81,00 USD'])
    expect(await row.getByRole('button', { name: de.consolidation.backToDraft }).count()).toBe(0)
    expect(await missingKeys(page)).toEqual([])
  })
})
