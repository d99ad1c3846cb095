/// <reference lib="dom" />
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dispatch } from '../../src/core/api/dispatch.ts'
import type { OrderImportPreview } from '../../src/core/orders/orderImport.ts'
import de from '../../src/shared/i18n/de.ts'
import es from '../../src/shared/i18n/es.ts'
import { type RunningApp, missingKeys, SCREENSHOTS, screenshot, startApp, watchProblems } from './app.ts'
import { launch } from './chromium.ts'

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

interface AxeViolation {
  id: string
  impact: string | null
  help: string
  nodes: { target: string[] }[]
}

/** Serious and critical axe-core violations of the page as it is now. */
async function axe(page: Page): Promise<string[]> {
  await page.evaluate(axeSource)
  const result = await page.evaluate(async () => {
    const w = window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: AxeViolation[] }> } }
    return w.axe.run(document, { resultTypes: ['violations'] })
  })
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((x) => `${x.id} (${x.impact}): ${x.help} @ ${x.nodes.map((n) => n.target.join(' ')).join(', ')}`)
}

/** A translation with its {{variables}} filled in. */
function fill(text: string, values: Record<string, string | number>): string {
  return text.replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(values[k]))
}

const BUYER = 'Foodcoop Kornblume'
const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

describe('order forms, order import and price lists in a real browser', () => {
  let app: RunningApp
  let browser: BrowserContext
  let page: Page
  let problems: string[]
  let filledForm: Buffer
  const db = () => app.session.requireWorkspace().db
  const one = <T>(sql: string, ...params: unknown[]) => db().prepare(sql).get(...params) as T

  /** What Kornblume has of a SKU now, and the import entries in its log. */
  function line(sku: string) {
    return (
      one<{ quantity: number; tolerance: number; imports: number } | undefined>(
        `SELECT l.quantity, l.tolerance, (SELECT count(*) FROM quantity_log q WHERE q.line_id = l.id AND q.source = 'import') AS imports
         FROM order_line l JOIN buyer_order o ON o.id = l.order_id JOIN buyer b ON b.id = o.buyer_id JOIN product p ON p.id = l.product_id
         WHERE b.name = ? AND p.sku = ? AND l.sub_buyer_id IS NULL`,
        BUYER,
        sku
      ) ?? { quantity: 0, tolerance: 0, imports: 0 }
    )
  }

  /** Everything an order import could touch. */
  const orderState = () => ({
    log: one<{ n: number }>('SELECT count(*) AS n FROM quantity_log').n,
    lines: db().prepare('SELECT id, quantity, tolerance FROM order_line ORDER BY id').all(),
    changes: one<{ n: number }>('SELECT total_changes() AS n').n
  })

  async function open(hash: string) {
    await page.goto(page.url().replace(/#.*$/, '') + hash)
    await page.getByRole('heading', { level: 1 }).first().waitFor()
  }

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

  it('downloads the buyer’s order form as XLSX and PDF and the round’s matrix from the order entry', async () => {
    await page.getByLabel(de.orders.buyer, { exact: true }).selectOption({ label: BUYER })
    await page.getByRole('group', { name: fill(de.exchange.forBuyer, { buyer: BUYER }) }).waitFor()
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: de.exchange.formXlsx }).click()])
    expect(xlsx.suggestedFilename()).toMatch(/Kornblume.*\.xlsx$/)
    const bytes = readFileSync((await xlsx.path())!)
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK')
    await page.getByRole('status').getByText(fill(de.exchange.ready, { fileName: xlsx.suggestedFilename() })).waitFor()
    await screenshot(page, 'exchange-order-files-de')
    expect(await axe(page)).toEqual([])

    // LH-YM1K 6 → 10 (a line Kornblume has), TT-BB500 0 → 7 (a new one), as a person would fill it in Excel.
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(bytes as unknown as ArrayBuffer)
    const sheet = wb.worksheets.find((s) => s.state === 'visible')!
    const wanted: Record<string, number> = { 'LH-YM1K': 10, 'TT-BB500': 7 }
    const seen: string[] = []
    sheet.eachRow((row) => {
      const q = wanted[row.getCell(1).text]
      if (q === undefined) return
      row.getCell(6).value = q
      seen.push(row.getCell(1).text)
    })
    expect(seen.sort()).toEqual(['LH-YM1K', 'TT-BB500'])
    filledForm = Buffer.from(await wb.xlsx.writeBuffer())

    const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: de.exchange.formPdf }).click()])
    expect(pdf.suggestedFilename()).toMatch(/\.pdf$/)
    expect(readFileSync((await pdf.path())!).subarray(0, 5).toString('latin1')).toBe('%PDF-')
    const [matrix] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: de.exchange.matrixXlsx }).click()])
    expect(matrix.suggestedFilename()).toMatch(/\.xlsx$/)
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: de.exchange.matrixCsv }).click()])
    expect(csv.suggestedFilename()).toMatch(/\.csv$/)
    expect(readFileSync((await csv.path())!, 'utf8')).toContain(BUYER)
  })

  it('previews the filled form with its changed rows and applies them through the order log', async () => {
    const before = { ym1k: line('LH-YM1K'), bb500: line('TT-BB500') }
    expect(before).toEqual({ ym1k: { quantity: 6, tolerance: 0, imports: 0 }, bb500: { quantity: 0, tolerance: 0, imports: 0 } })
    await page.getByRole('link', { name: de.exchange.importForms }).click()
    await page.getByRole('heading', { level: 1, name: de.exchange.ordersTitle }).waitFor()
    await expect(page.getByRole('navigation', { name: de.orders.sections }).getByRole('link', { name: de.exchange.importTab }).getAttribute('aria-current')).resolves.toBe('page')

    await page.locator('input[type=file]').setInputFiles({ name: 'Bestellformular Kornblume.xlsx', mimeType: XLSX_MIME, buffer: filledForm })
    // The summary the core computes for the same file, as the page must show it.
    const roundId = one<{ id: string }>('SELECT id FROM round').id
    const res = await dispatch({ session: app.session }, 'orders.importPreview', { roundId, fileName: 'f.xlsx', data: filledForm })
    if (!res.ok) throw new Error(JSON.stringify(res.error))
    const s = (res.result as OrderImportPreview).summary
    expect(s).toMatchObject({ ok: 2, errors: 0, buyers: 1 })
    await page.getByText(fill(de.exchange.ordersSummary, s)).waitFor()
    await page.getByText(de.exchange.kindForm, { exact: false }).waitFor()
    const changed = page.locator('table.import-rows tbody tr.change')
    await expect.poll(() => changed.count()).toBe(2)
    // Changes come before the unchanged rows, each with what the order holds now.
    await expect(changed.nth(0).textContent()).resolves.toContain('LH-YM1K')
    await expect(changed.nth(0).textContent()).resolves.toContain(fill(de.exchange.was, { value: 6 }))
    await expect(changed.nth(1).textContent()).resolves.toContain('TT-BB500')
    await expect(page.locator('table.import-rows tbody tr.problem').count()).resolves.toBe(0)
    // Nothing is written by the preview.
    expect(line('LH-YM1K')).toEqual(before.ym1k)
    await screenshot(page, 'exchange-import-preview-de')
    expect(await axe(page)).toEqual([])

    const apply = page.getByRole('button', { name: de.exchange.apply, exact: true })
    await expect(apply.isEnabled()).resolves.toBe(true)
    await apply.focus()
    await page.keyboard.press('Enter')
    await page.getByRole('status').getByText(fill(de.exchange.ordersApplied, { applied: 2, orders: 1, unchanged: s.unchanged })).waitFor()
    expect(line('LH-YM1K')).toEqual({ quantity: 10, tolerance: 0, imports: 1 })
    expect(line('TT-BB500')).toEqual({ quantity: 7, tolerance: 0, imports: 1 })
    await expect(page.locator('table.import-rows').count()).resolves.toBe(0)
    await screenshot(page, 'exchange-import-applied-de')
  })

  it('shows the problems of a broken CSV in German, keeps Apply disabled and writes nothing', async () => {
    const before = orderState()
    const csv = ['Abnehmer;Art.-Nr.;Menge', `${BUYER};XX-GIBTS-NICHT;3`, `${BUYER};LH-YM500;drei`, `${BUYER};CT-DC750;8`].join('\r\n')
    await page.locator('input[type=file]').setInputFiles({ name: 'bestellung.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') })
    await page.getByText(fill(de.importErrors.unknown_sku, { sku: 'XX-GIBTS-NICHT' })).waitFor()
    const notNumber = fill(de.exchange.fieldProblem, { field: de.exchange.quantity, message: fill(de.importErrors.not_number, { value: 'drei' }) })
    await page.getByText(notNumber).waitFor()
    // The rows with problems come first and stand out.
    const rows = page.locator('table.import-rows tbody tr')
    await expect(rows.nth(0).getAttribute('class')).resolves.toBe('problem')
    await expect(rows.nth(1).getAttribute('class')).resolves.toBe('problem')
    await expect(rows.nth(2).textContent()).resolves.toContain('CT-DC750')
    const apply = page.getByRole('button', { name: de.exchange.apply, exact: true })
    await expect(apply.isDisabled()).resolves.toBe(true)
    const reason = fill(de.exchange.blockedReason, { n: 2 })
    await page.getByText(reason).waitFor()
    await expect(apply.getAttribute('aria-describedby')).resolves.toBeTruthy()
    // Only the rows with problems.
    await page.getByLabel(de.exchange.show, { exact: true }).selectOption('problems')
    await expect.poll(() => rows.count()).toBe(2)
    await screenshot(page, 'exchange-import-problems-de')
    expect(await axe(page)).toEqual([])
    await page.emulateMedia({ colorScheme: 'dark' })
    expect(await axe(page)).toEqual([])
    await screenshot(page, 'exchange-import-problems-dark-de')
    await page.emulateMedia({ colorScheme: 'light' })
    // Even a click on the disabled button changes nothing; Cancel forgets the file.
    await apply.click({ force: true })
    await page.getByRole('button', { name: de.exchange.cancel, exact: true }).click()
    await page.getByRole('status').getByText(de.exchange.cancelled).waitFor()
    expect(orderState()).toEqual(before)
  })

  it('previews a file of 10,000 rows quickly, listing only the first rows', async () => {
    const before = orderState()
    const skus = (
      db()
        .prepare('SELECT p.sku FROM round_product rp JOIN product p ON p.id = rp.product_id WHERE rp.price_minor IS NOT NULL AND coalesce(rp.blocked, 0) = 0 ORDER BY p.sku')
        .all() as { sku: string }[]
    ).map((r) => r.sku)
    // Each SKU once is fine; every repetition is a duplicate line, a problem.
    const rows = Array.from({ length: 10_000 }, (_, i) => `${BUYER};${skus[i % skus.length]};${i % 20}`)
    const csv = ['Abnehmer;Art.-Nr.;Menge', ...rows].join('\n')
    const started = Date.now()
    await page.locator('input[type=file]').setInputFiles({ name: 'gross.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') })
    await page.getByText(fill(de.exchange.shownFirst, { shown: 300, total: '10.000' })).waitFor()
    const elapsed = Date.now() - started
    expect(elapsed).toBeLessThan(15_000)
    await expect(page.locator('table.import-rows tbody tr').count()).resolves.toBe(300)
    await page.getByText(fill(de.exchange.blockedReason, { n: new Intl.NumberFormat('de-DE').format(10_000 - skus.length) })).waitFor()
    // The same preview in Spanish, as the language is switched.
    await page.locator('#ui-language').selectOption('es')
    await page.getByText(fill(es.exchange.shownFirst, { shown: 300, total: '10.000' })).waitFor()
    // The preview is checked again for the product names in Spanish.
    const spanish = one<{ name: string }>("SELECT name_es AS name FROM product WHERE sku = 'TT-BB500'").name
    await page.locator('table.import-rows').getByText(spanish).first().waitFor()
    // The page is 300 rows long: the top and the note under the table, as on screen.
    await page.evaluate(() => window.scrollTo(0, 0))
    await page.screenshot({ path: join(SCREENSHOTS, 'exchange-import-10k-top-es.png') })
    await page.getByText(fill(es.exchange.shownFirst, { shown: 300, total: '10.000' })).scrollIntoViewIfNeeded()
    await page.screenshot({ path: join(SCREENSHOTS, 'exchange-import-10k-end-es.png') })
    await page.locator('#ui-language').selectOption('de')
    await page.getByRole('heading', { level: 1, name: de.exchange.ordersTitle }).waitFor()
    await page.getByRole('button', { name: de.exchange.cancel, exact: true }).click()
    await page.getByRole('status').getByText(de.exchange.cancelled).waitFor()
    expect(orderState()).toEqual(before)
  })

  it('imports a cooperative’s price list: columns mapped as suggested, one changed price previewed and applied', async () => {
    const supplier = one<{ id: string; name: string }>("SELECT id, name FROM supplier WHERE code = 'LH'")
    const price = () => one<{ p: number }>("SELECT price_minor AS p FROM product WHERE sku = 'LH-YM500'").p
    expect(price()).toBe(210)
    await open(`#/catalogue/suppliers/${supplier.id}`)
    await page.getByRole('link', { name: de.exchange.priceList }).waitFor()
    await page.screenshot({ path: join(SCREENSHOTS, 'exchange-supplier-link-de.png') })
    await page.getByRole('link', { name: de.exchange.priceList }).click()
    await page.getByRole('heading', { level: 1, name: fill(de.exchange.priceListTitle, { supplier: supplier.name }) }).waitFor()
    const list = ['Código;Nombre;Precio;Moneda', 'LH-YM500;Yerba mate con palo 500 g;2,30;USD', 'LH-YM1K;Yerba mate con palo 1 kg;3,90;USD'].join('\r\n')
    await page.locator('input[type=file]').setInputFiles({ name: 'lista de precios.csv', mimeType: 'text/csv', buffer: Buffer.from(list, 'utf8') })
    const summary = (update: number, unchanged: number) => fill(de.exchange.catalogueSummary, { rows: 2, insert: 0, update, unchanged, errors: 0 })
    await page.getByText(summary(1, 1)).waitFor()
    // The suggested mapping fills the selects; the change is shown in German notation.
    await expect(page.getByLabel(de.products.price, { exact: true }).inputValue()).resolves.toBe('2')
    await expect(page.getByLabel(de.products.sku, { exact: true }).inputValue()).resolves.toBe('0')
    await expect(page.getByLabel(de.products.nameDe, { exact: true }).inputValue()).resolves.toBe('')
    await page.getByText(fill(de.exchange.change, { field: de.products.price, from: '2,10', to: '2,30' })).waitFor()
    await screenshot(page, 'exchange-pricelist-preview-de')
    expect(await axe(page)).toEqual([])

    // Without the price column nothing would change: Apply says so; then back to the suggestion.
    await page.getByLabel(de.products.price, { exact: true }).selectOption('')
    await page.getByText(summary(0, 2)).waitFor()
    await page.getByText(de.exchange.nothingToApply).waitFor()
    await expect(page.getByRole('button', { name: de.exchange.apply, exact: true }).isDisabled()).resolves.toBe(true)
    await page.getByLabel(de.products.price, { exact: true }).selectOption('2')
    await page.getByText(summary(1, 1)).waitFor()
    expect(price()).toBe(210)

    await page.getByRole('button', { name: de.exchange.apply, exact: true }).click()
    await page.getByRole('status').getByText(fill(de.exchange.catalogueApplied, { inserted: 0, updated: 1, unchanged: 1 })).waitFor()
    expect(price()).toBe(230)
    await screenshot(page, 'exchange-pricelist-applied-de')
  })

  it('sets the values for new products in the preview with the keyboard; a bad case size is refused next to its field', async () => {
    const supplier = one<{ id: string; name: string }>("SELECT id, name FROM supplier WHERE code = 'LH'")
    const created = () => one<Record<string, unknown> | undefined>("SELECT sales_unit, case_milli, vat_class, currency FROM product WHERE sku = 'LH-TE20'")
    await open(`#/catalogue/suppliers/${supplier.id}/import`)
    await page.getByRole('heading', { level: 1, name: fill(de.exchange.priceListTitle, { supplier: supplier.name }) }).waitFor()
    // A new SKU, and no column for unit, case size or VAT class.
    const list = ['Código;Nombre;Precio;Moneda', 'LH-TE20;Té de yerba, 20 saquitos;1,50;USD', 'LH-YM1K;Yerba mate con palo 1 kg;3,90;USD'].join('\r\n')
    await page.locator('input[type=file]').setInputFiles({ name: 'té.csv', mimeType: 'text/csv', buffer: Buffer.from(list, 'utf8') })
    const summary = fill(de.exchange.catalogueSummary, { rows: 2, insert: 1, update: 0, unchanged: 1, errors: 0 })
    await page.getByText(summary).waitFor()
    const defaults = page.getByRole('group', { name: de.exchange.defaultsTitle })
    const unit = defaults.getByLabel(de.products.salesUnit, { exact: true })
    const caseUnits = defaults.getByLabel(de.products.caseUnits, { exact: true })
    const vat = defaults.getByLabel(de.products.vatClass, { exact: true })
    // What the core suggests: piece, cases of 1, the standard rate, the cooperative's currency.
    await expect(unit.inputValue()).resolves.toBe('piece')
    await expect(caseUnits.inputValue()).resolves.toBe('1')
    await expect(vat.inputValue()).resolves.toBe('standard')
    await expect(defaults.getByLabel(de.products.currency, { exact: true }).inputValue()).resolves.toBe('USD')
    const row = page.getByRole('row', { name: /LH-TE20/ })
    await row.getByText(fill(de.exchange.newValue, { field: de.products.salesUnit, to: de.units.piece })).waitFor()

    // By keyboard: from the unit to the case size (Tab), typed, Enter; the VAT class by its first letters.
    await unit.focus()
    await page.keyboard.type(de.units.pack)
    await row.getByText(fill(de.exchange.newValue, { field: de.products.salesUnit, to: de.units.pack })).waitFor()
    await page.keyboard.press('Tab')
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('defaults.caseUnits')
    await page.keyboard.press('Control+a')
    await page.keyboard.type('0')
    await page.keyboard.press('Enter')
    // Refused next to the field; the preview stays as it was, and Apply waits.
    await defaults.getByText(de.fieldErrors.positive).waitFor()
    await expect(caseUnits.getAttribute('aria-invalid')).resolves.toBe('true')
    const apply = page.getByRole('button', { name: de.exchange.apply, exact: true })
    await page.getByText(de.exchange.defaultsRefused).waitFor()
    await expect(apply.isDisabled()).resolves.toBe(true)
    await screenshot(page, 'exchange-pricelist-defaults-refused-de')
    await page.keyboard.press('Control+a')
    await page.keyboard.type('12,5')
    await page.keyboard.press('Enter')
    await row.getByText(fill(de.exchange.newValue, { field: de.products.caseUnits, to: '12,5' })).waitFor()
    await expect(defaults.getByText(de.fieldErrors.positive).count()).resolves.toBe(0)
    await vat.focus()
    await page.keyboard.type(de.vatClass.reduced.slice(0, 3))
    await row.getByText(fill(de.exchange.newValue, { field: de.products.vatClass, to: de.vatClass.reduced })).waitFor()
    // The existing product is not touched by them.
    await page.getByText(summary).waitFor()
    await screenshot(page, 'exchange-pricelist-defaults-de')
    expect(await axe(page)).toEqual([])
    expect(created()).toBeUndefined()

    await expect(apply.isDisabled()).resolves.toBe(false)
    await apply.click()
    await page.getByRole('status').getByText(fill(de.exchange.catalogueApplied, { inserted: 1, updated: 0, unchanged: 1 })).waitFor()
    expect(created()).toEqual({ sales_unit: 'pack', case_milli: 12500, vat_class: 'reduced', currency: 'USD' })
  })

  it('ran without missing translations, console errors or CSP violations', async () => {
    expect(await missingKeys(page)).toEqual([])
    expect(problems).toEqual([])
  })
})
