/// <reference lib="dom" />
import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import de from '../../src/shared/i18n/de.ts'
import en from '../../src/shared/i18n/en.ts'
import es from '../../src/shared/i18n/es.ts'
import { type RunningApp, missingKeys, screenshot, startApp, watchProblems } from './app.ts'
import { launch } from './chromium.ts'

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')
const texts = { de, es, en }
type Lang = keyof typeof texts

interface AxeViolation {
  id: string
  impact: string | null
  help: string
  nodes: { target: string[] }[]
}

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

/** A translation as a pattern, any value standing for its {{variables}}. */
function pattern(text: string): RegExp {
  return new RegExp(text.split(/\{\{\w+\}\}/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.+'))
}

describe('catalogue and buyers in a real browser', () => {
  let app: RunningApp
  let browser: BrowserContext
  let page: Page
  let problems: string[]
  const db = () => app.session.requireWorkspace().db
  const count = (sql: string, ...params: unknown[]) => (db().prepare(sql).get(...params) as { n: number }).n

  /** Opens a page of the app afresh (a reload, so lists start with their default search and filter). */
  async function open(hash: string) {
    await page.goto(page.url().replace(/#.*$/, '') + hash)
    await page.reload()
    await page.getByRole('heading', { level: 1 }).waitFor()
  }

  async function setLanguage(lang: Lang) {
    const current = (await page.locator('html').getAttribute('lang')) as Lang
    if (current === lang) return
    await page.locator('#ui-language').selectOption(lang)
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe(lang)
  }

  /** The list's row count line ("12 Einträge"). */
  const countLine = (t: typeof de, n: number, locale = 'de') =>
    fill(n === 1 ? t.list.count_one : t.list.count_other, { total: new Intl.NumberFormat(locale).format(n) })

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

  it('lists the demo suppliers, sorted by name, with sortable headers', async () => {
    await open('#/catalogue')
    await page.getByRole('heading', { level: 1, name: de.suppliers.title }).waitFor()
    await page.getByRole('status').getByText(countLine(de, 13)).waitFor()
    const table = page.getByRole('table', { name: de.suppliers.title })
    const nameHeader = table.getByRole('columnheader', { name: de.suppliers.name })
    await expect(nameHeader.getAttribute('aria-sort')).resolves.toBe('ascending')
    await nameHeader.getByRole('button').click()
    await expect.poll(() => nameHeader.getAttribute('aria-sort')).toBe('descending')
    // Sorted by the short name the list shows first, the legal name after it.
    const last = db().prepare('SELECT name, short_name AS short FROM supplier ORDER BY coalesce(short_name, name) COLLATE NOCASE DESC LIMIT 1').get() as { name: string; short: string }
    await expect.poll(() => table.locator('tbody tr[data-index="0"] td').first().textContent()).toBe(`${last.short} · ${last.name}`)
    await screenshot(page, 'suppliers-de')
  })

  it('refuses a supplier with an invalid CUIT, translated next to the field (de, es), and saves nothing', async () => {
    const before = count('SELECT count(*) AS n FROM supplier')
    await open('#/catalogue/suppliers/new')
    await page.getByRole('heading', { level: 1, name: de.suppliers.newTitle }).waitFor()
    await page.getByLabel(de.suppliers.name, { exact: true }).fill('Cooperativa de Prueba Ltda.')
    const cuit = page.getByLabel(de.suppliers.cuit, { exact: true })
    await cuit.fill('20-12345678-7')
    await page.getByRole('button', { name: de.record.save }).click()
    await page.getByText(de.fieldErrors.cuit_checksum).waitFor()
    await expect(cuit.getAttribute('aria-invalid')).resolves.toBe('true')
    const describedBy = (await cuit.getAttribute('aria-describedby')) ?? ''
    const described = await Promise.all(describedBy.split(' ').map((id) => page.locator(`[id="${id}"]`).textContent()))
    expect(described).toContain(de.fieldErrors.cuit_checksum)
    expect(described).toContain(de.suppliers.cuitHint)
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('cuit')
    await page.getByText(fill(de.record.invalid, { count: 1 })).waitFor()
    expect(count('SELECT count(*) AS n FROM supplier')).toBe(before)
    await screenshot(page, 'supplier-invalid-cuit-de')

    await setLanguage('es')
    await page.getByRole('button', { name: es.record.save }).click()
    await page.getByText(es.fieldErrors.cuit_checksum).waitFor()
    await page.getByLabel(es.suppliers.cuit, { exact: true }).waitFor()
    expect(count('SELECT count(*) AS n FROM supplier')).toBe(before)
    await screenshot(page, 'supplier-invalid-cuit-es')
    await setLanguage('de')
  })

  it('saves a supplier with a valid CUIT; it appears in the list and is found by search', async () => {
    await page.getByLabel(de.suppliers.cuit, { exact: true }).fill('30-71234567-1')
    await page.getByLabel(de.suppliers.city, { exact: true }).fill('Rosario')
    await page.getByRole('button', { name: de.contacts.add }).click()
    await page.getByRole('group', { name: fill(de.contacts.number, { n: 1 }) }).getByLabel(de.contacts.name).fill('Ana Gómez')
    await page.getByRole('group', { name: fill(de.contacts.number, { n: 1 }) }).getByLabel(de.contacts.email).fill('ana@prueba.example')
    await page.getByRole('button', { name: de.record.save }).click()
    await page.getByRole('status').getByText(de.record.saved).waitFor()
    await page.getByRole('heading', { level: 1, name: 'Cooperativa de Prueba Ltda.' }).waitFor()
    const row = db().prepare("SELECT id, cuit, city FROM supplier WHERE name = 'Cooperativa de Prueba Ltda.'").get() as Record<string, string>
    expect(row).toMatchObject({ cuit: '30-71234567-1', city: 'Rosario' })
    expect(page.url()).toContain(`#/catalogue/suppliers/${row.id}`)
    expect(count('SELECT count(*) AS n FROM contact WHERE supplier_id = ? AND deleted_at IS NULL', row.id)).toBe(1)

    await page.getByRole('link', { name: de.suppliers.back }).click()
    await page.getByRole('heading', { level: 1, name: de.suppliers.title }).waitFor()
    await page.getByRole('status').getByText(countLine(de, 14)).waitFor()
    await page.getByLabel(de.list.search, { exact: true }).fill('Prueba')
    await page.getByRole('status').getByText(countLine(de, 1)).waitFor()
    await page.getByRole('table').getByRole('cell', { name: 'Cooperativa de Prueba Ltda.' }).waitFor()
    await screenshot(page, 'suppliers-search-de')
  })

  it('archiving hides the supplier from the default list; the archived filter shows it', async () => {
    await page.getByRole('table').getByRole('cell', { name: 'Cooperativa de Prueba Ltda.' }).click()
    await page.getByRole('heading', { level: 1, name: 'Cooperativa de Prueba Ltda.' }).waitFor()
    await page.getByRole('button', { name: de.record.archive }).click()
    await page.getByRole('status').getByText(de.record.archivedNow).waitFor()
    await page.getByRole('button', { name: de.record.restore }).waitFor()
    expect(count("SELECT count(*) AS n FROM supplier WHERE name = 'Cooperativa de Prueba Ltda.' AND archived_at IS NOT NULL")).toBe(1)

    await page.getByRole('link', { name: de.suppliers.back }).click()
    // The list remembers the search; the archived supplier is gone from the active ones.
    await expect(page.getByLabel(de.list.search, { exact: true }).inputValue()).resolves.toBe('Prueba')
    await page.getByRole('status').getByText(countLine(de, 0)).waitFor()
    await page.getByText(de.list.empty).waitFor()
    await page.getByLabel(de.list.show, { exact: true }).selectOption('archived')
    await page.getByRole('status').getByText(countLine(de, 1)).waitFor()
    await page.getByRole('table').getByRole('cell', { name: 'Cooperativa de Prueba Ltda.' }).waitFor()
    await page.getByRole('table').getByText(de.list.archivedBadge).waitFor()
    await screenshot(page, 'suppliers-archived-de')
    await page.getByLabel(de.list.show, { exact: true }).selectOption('all')
    await page.getByRole('status').getByText(countLine(de, 1)).waitFor()
  })

  it('refuses to delete a supplier that has products, with the translated in-use message', async () => {
    await open('#/catalogue/suppliers')
    await page.getByLabel(de.list.search, { exact: true }).fill('La Hoja')
    await page.getByRole('status').getByText(countLine(de, 1)).waitFor()
    await page.getByRole('table').getByRole('cell', { name: 'Cooperativa de Trabajo La Hoja Ltda.' }).click()
    await page.getByRole('heading', { level: 1, name: 'Cooperativa de Trabajo La Hoja Ltda.' }).waitFor()
    await page.getByRole('button', { name: de.record.delete }).click()
    const dialog = page.getByRole('dialog')
    await dialog.getByText(fill(de.suppliers.deleteConfirm, { name: 'Cooperativa de Trabajo La Hoja Ltda.' })).waitFor()
    await dialog.getByRole('button', { name: de.record.delete, exact: true }).click()
    await page.getByRole('alert').getByText(pattern(de.errors['record.in_use'])).waitFor()
    // The message suggests archiving, and offers it right there.
    await page.getByRole('button', { name: de.record.archiveInstead }).waitFor()
    expect(count("SELECT count(*) AS n FROM supplier WHERE name = 'Cooperativa de Trabajo La Hoja Ltda.'")).toBe(1)
    await screenshot(page, 'supplier-in-use-de')

    await setLanguage('es')
    await page.getByRole('button', { name: es.record.delete }).click()
    await dialog.getByRole('button', { name: es.record.delete, exact: true }).click()
    await page.getByRole('alert').getByText(pattern(es.errors['record.in_use'])).waitFor()
    await setLanguage('de')
  })

  it('shows a supplier’s products: the products list filtered by supplier', async () => {
    const supplier = db().prepare("SELECT id FROM supplier WHERE name = 'Cooperativa de Trabajo La Hoja Ltda.'").get() as { id: string }
    const n = count('SELECT count(*) AS n FROM product WHERE supplier_id = ? AND archived_at IS NULL AND deleted_at IS NULL', supplier.id)
    expect(n).toBeGreaterThan(1)
    await page.getByRole('link', { name: pattern(de.suppliers.showProducts) }).click()
    await page.getByRole('heading', { level: 1, name: de.products.title }).waitFor()
    await page.getByRole('status').getByText(countLine(de, n)).waitFor()
    await expect(page.getByLabel(de.products.supplierFilter, { exact: true }).inputValue()).resolves.toBe(supplier.id)
    const suppliers = await page.locator('table.list tbody tr[data-index] td:nth-child(3)').allTextContents()
    expect(suppliers.length).toBe(n)
    expect(new Set(suppliers)).toEqual(new Set(['La Hoja']))
    // Names in the UI language, prices through Intl, flags as translated badges.
    await page.getByRole('cell', { name: 'Mate-Tee mit Stängeln 500 g' }).waitFor()
    await page.getByRole('cell', { name: '2,10 USD' }).first().waitFor()
    await screenshot(page, 'products-filtered-de')

    await page.getByLabel(de.products.supplierFilter, { exact: true }).selectOption({ label: de.products.allSuppliers })
    await page.getByRole('status').getByText(countLine(de, 46)).waitFor()
    await page.getByLabel(de.list.search, { exact: true }).fill('Malbec')
    await page.getByRole('table').getByText(de.flags.alcohol).first().waitFor()
  })

  it('picks an exporter of record for a cooperative; after a reload it is saved, named on both sides and listed', async () => {
    const supplier = (code: string) => db().prepare('SELECT id, name, short_name AS shortName FROM supplier WHERE code = ?').get(code) as Record<string, string>
    const stored = (code: string) =>
      db().prepare('SELECT exporter_of_record AS flagged, exporter_id AS exporterId FROM supplier WHERE code = ?').get(code) as Record<string, unknown>
    const lh = supplier('LH')
    const tt = supplier('TT')
    // La Hoja does its export papers itself.
    await open(`#/catalogue/suppliers/${lh.id}`)
    await page.getByLabel(de.suppliers.exporterOfRecord, { exact: true }).check()
    await page.getByRole('button', { name: de.record.save }).click()
    await page.getByRole('status').getByText(de.record.saved).waitFor()
    expect(stored('LH')).toEqual({ flagged: 1, exporterId: null })

    // Río Paraná ships through it: offered are only the suppliers that export themselves; chosen by keyboard.
    await open(`#/catalogue/suppliers/${tt.id}`)
    const exporter = page.getByLabel(de.suppliers.exporterId, { exact: true })
    await expect(exporter.inputValue()).resolves.toBe('')
    await expect.poll(() => exporter.locator('option').allTextContents()).toEqual([de.suppliers.noExporter, lh.name])
    await exporter.focus()
    await page.keyboard.type(lh.name!.slice(0, 14))
    await expect(exporter.inputValue()).resolves.toBe(lh.id)
    // And a minimum order value, in the currency of its prices, held back below it.
    await expect(page.getByLabel(de.suppliers.minOrderCurrency, { exact: true }).inputValue()).resolves.toBe('USD')
    await page.getByLabel(de.suppliers.minOrderValue, { exact: true }).fill('1.250,50')
    await page.getByLabel(de.suppliers.minOrderAction, { exact: true }).selectOption({ label: de.minOrderAction.hold })
    await page.keyboard.press('Control+s')
    await page.getByRole('status').getByText(de.record.saved).waitFor()
    expect(stored('TT')).toEqual({ flagged: 0, exporterId: lh.id })
    expect(db().prepare("SELECT min_order_minor AS m, min_order_currency AS c, min_order_action AS a FROM supplier WHERE code = 'TT'").get()).toEqual({
      m: 125050,
      c: 'USD',
      a: 'hold'
    })

    await open(`#/catalogue/suppliers/${tt.id}`)
    await page.getByRole('heading', { level: 1, name: tt.name }).waitFor()
    await expect.poll(() => page.getByLabel(de.suppliers.exporterId, { exact: true }).inputValue()).toBe(lh.id)
    await expect(page.getByLabel(de.suppliers.minOrderValue, { exact: true }).inputValue()).resolves.toBe('1250,50')
    const shipsThrough = page.locator('p', { hasText: de.suppliers.shipsThrough }).getByRole('link', { name: lh.name, exact: true })
    await shipsThrough.waitFor()
    await screenshot(page, 'supplier-exporter-de')

    // The exporter names the cooperatives that ship through it, and stays marked while they do.
    await shipsThrough.click()
    await page.getByRole('heading', { level: 1, name: lh.name }).waitFor()
    await page.getByRole('region', { name: de.suppliers.exportsFor }).getByRole('link', { name: tt.name }).waitFor()
    const flag = page.getByLabel(de.suppliers.exporterOfRecord, { exact: true })
    await flag.uncheck()
    await page.getByRole('button', { name: de.record.save }).click()
    await page.getByText(de.fieldErrors.exporter_in_use).waitFor()
    await expect(flag.getAttribute('aria-invalid')).resolves.toBe('true')
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('exporterOfRecord')
    expect(stored('LH')).toEqual({ flagged: 1, exporterId: null })
    // The cooperatives stay listed while the box is unticked, so that one sees why.
    await page.getByRole('region', { name: de.suppliers.exportsFor }).getByRole('link', { name: tt.name }).waitFor()
    await screenshot(page, 'supplier-exporter-in-use-de')
    expect(await axe(page)).toEqual([])

    // The list says how each one exports.
    await open('#/catalogue/suppliers')
    await page.getByLabel(de.list.search, { exact: true }).fill(tt.shortName!)
    await page.getByRole('table').getByRole('cell', { name: fill(de.suppliers.via, { name: lh.shortName! }) }).waitFor()
    await page.getByLabel(de.list.search, { exact: true }).fill('')
  })

  it('edits a product: decimals in the locale, translated selects, field errors', async () => {
    await open('#/catalogue/products')
    await page.getByLabel(de.list.search, { exact: true }).fill('LH-YM500')
    await page.getByRole('status').getByText(countLine(de, 1)).waitFor()
    await page.getByRole('cell', { name: 'LH-YM500' }).click()
    await page.getByRole('heading', { level: 1, name: /LH-YM500/ }).waitFor()
    await expect(page.getByLabel(de.products.price, { exact: true }).inputValue()).resolves.toBe('2,10')
    await expect(page.getByLabel(de.products.caseUnits, { exact: true }).inputValue()).resolves.toBe('20')
    await expect(page.getByLabel(de.products.salesUnit, { exact: true }).locator('option:checked').textContent()).resolves.toBe(de.units.bag)
    await page.getByLabel(de.products.caseUnits, { exact: true }).fill('12,5')
    await page.getByLabel(de.products.price, { exact: true }).fill('2,35')
    await page.getByLabel(de.products.hsCode, { exact: true }).fill('12')
    await page.getByRole('button', { name: de.record.save }).click()
    await page.getByText(de.fieldErrors.hs_code).waitFor()
    await page.getByLabel(de.products.hsCode, { exact: true }).fill('0903.00')
    await page.getByLabel(de.products.minOrderAction, { exact: true }).selectOption({ label: de.minOrderAction.hold })
    await page.keyboard.press('Control+s')
    await page.getByRole('status').getByText(de.record.saved).waitFor()
    const p = db().prepare("SELECT case_milli AS c, price_minor AS p, hs_code AS h, min_order_action AS a FROM product WHERE sku = 'LH-YM500'").get()
    expect(p).toEqual({ c: 12500, p: 235, h: '090300', a: 'hold' })
    await screenshot(page, 'product-form-de')
  })

  it('shows a buyer assigned to the hub among the hub’s members', async () => {
    await open('#/buyers/new')
    await page.getByRole('heading', { level: 1, name: de.buyers.newTitle }).waitFor()
    await page.getByLabel(de.buyers.name, { exact: true }).fill('Foodcoop Hattingen')
    await page.getByLabel(de.buyers.city, { exact: true }).fill('Hattingen')
    await page.getByLabel(de.buyers.hubId, { exact: true }).selectOption({ label: 'Verteilknoten Ruhr' })
    await page.getByRole('button', { name: de.record.save }).click()
    await page.getByRole('status').getByText(de.record.saved).waitFor()
    await page.getByText(de.buyers.memberOf).waitFor()
    await page.getByRole('link', { name: 'Verteilknoten Ruhr' }).click()
    await page.getByRole('heading', { level: 1, name: 'Verteilknoten Ruhr' }).waitFor()
    const members = page.getByRole('region', { name: de.buyers.members })
    await members.getByRole('link', { name: 'Foodcoop Hattingen' }).waitFor()
    await members.getByRole('link', { name: 'Mate-Kollektiv Bochum' }).waitFor()
    await screenshot(page, 'buyer-hub-de')

    await page.getByRole('link', { name: de.buyers.back }).click()
    await page.getByLabel(de.list.search, { exact: true }).fill('Ruhr')
    // The hub and its three members (found by the hub's name).
    await page.getByRole('status').getByText(countLine(de, 4)).waitFor()
    await screenshot(page, 'buyers-de')
  })

  it('is usable with the keyboard alone: search, ArrowDown, Enter opens the form', async () => {
    await open('#/catalogue/suppliers')
    let found = false
    for (let i = 0; i < 40 && !found; i++) {
      await page.keyboard.press('Tab')
      found = await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.type === 'search')
    }
    expect(found).toBe(true)
    await page.keyboard.type('Chilavert')
    await page.getByRole('status').getByText(countLine(de, 1)).waitFor()
    await page.keyboard.press('ArrowDown')
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-rowindex'))).toBe('2')
    await page.keyboard.press('Enter')
    await page.getByRole('heading', { level: 1, name: 'Cooperativa Chilavert Artes Gráficas Ltda.' }).waitFor()

    // Arrow keys move from row to row, Tab lands on the row last used.
    await page.getByRole('link', { name: de.suppliers.back }).click()
    const search = page.getByLabel(de.list.search, { exact: true })
    await search.fill('')
    // 14 suppliers, one of them archived.
    await page.getByRole('status').getByText(countLine(de, 13)).waitFor()
    await search.focus()
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('ArrowDown')
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-rowindex'))).toBe('4')
    await page.keyboard.press('ArrowUp')
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-rowindex'))).toBe('3')
    await page.keyboard.press('End')
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-rowindex'))).toBe('14')
    // The list shows the short name; the legal name (the form's heading) is the cell's tooltip.
    const name = await page.evaluate(() => document.activeElement?.querySelector('td [title]')?.getAttribute('title'))
    await page.keyboard.press('Enter')
    await page.getByRole('heading', { level: 1, name: name! }).waitFor()
  })

  it('keeps the reference data: VAT rates (add, edit, delete after asking) and exchange rates', async () => {
    await open('#/catalogue/reference')
    await page.getByRole('heading', { level: 1, name: de.reference.title }).waitFor()
    const vat = page.getByRole('region', { name: de.reference.vatRates })
    await vat.getByRole('cell', { name: '19 %' }).waitFor()
    await vat.getByRole('button', { name: de.reference.addVatRate }).click()
    await vat.getByLabel(de.reference.country, { exact: true }).selectOption('FR')
    await vat.getByLabel(de.reference.rate, { exact: true }).fill('5,5')
    await vat.getByLabel(de.reference.validFrom, { exact: true }).fill('2014-01-01')
    await vat.getByLabel(de.reference.class, { exact: true }).selectOption('reduced')
    await vat.getByRole('button', { name: de.record.save }).click()
    await page.getByRole('status').getByText(de.reference.saved).waitFor()
    await vat.getByRole('cell', { name: '5,5 %' }).waitFor()
    // The form closed and the focus is back on the button that opened it.
    await expect(vat.getByRole('button', { name: de.reference.addVatRate }).evaluate((b) => b === document.activeElement)).resolves.toBe(true)
    expect(count("SELECT count(*) AS n FROM vat_rate WHERE country = 'FR' AND rate_bp = 550 AND deleted_at IS NULL")).toBe(1)

    await vat.getByRole('button', { name: new RegExp(`^${de.reference.edit}: Frankreich`) }).click()
    await vat.getByLabel(de.reference.rate, { exact: true }).fill('5,6')
    await vat.getByRole('button', { name: de.record.save }).click()
    await vat.getByRole('cell', { name: '5,6 %' }).waitFor()

    await vat.getByRole('button', { name: new RegExp(`^${de.reference.delete}: Frankreich`) }).click()
    await page.getByRole('dialog').getByRole('button', { name: de.common.cancel }).click()
    expect(count("SELECT count(*) AS n FROM vat_rate WHERE country = 'FR' AND deleted_at IS NULL")).toBe(1)
    await vat.getByRole('button', { name: new RegExp(`^${de.reference.delete}: Frankreich`) }).click()
    await page.getByRole('dialog').getByRole('button', { name: de.reference.delete, exact: true }).click()
    await page.getByRole('status').getByText(de.reference.deleted).waitFor()
    expect(count("SELECT count(*) AS n FROM vat_rate WHERE country = 'FR' AND deleted_at IS NULL")).toBe(0)

    const fx = page.getByRole('region', { name: de.reference.exchangeRates })
    await fx.getByRole('button', { name: de.reference.addExchangeRate }).click()
    await fx.getByLabel(de.reference.base, { exact: true }).selectOption('USD')
    await fx.getByLabel(de.reference.quote, { exact: true }).selectOption('EUR')
    await fx.getByLabel(de.reference.exchangeRate, { exact: true }).fill('0,9234')
    await fx.getByLabel(de.reference.validOn, { exact: true }).fill('2031-05-02')
    await fx.getByLabel(de.reference.source, { exact: true }).fill('EZB')
    await fx.getByRole('button', { name: de.record.save }).click()
    await fx.getByRole('cell', { name: '0,9234' }).waitFor()
    expect(count("SELECT count(*) AS n FROM exchange_rate WHERE rate_e8 = 92340000 AND valid_on = '2031-05-02' AND deleted_at IS NULL")).toBe(1)
    await screenshot(page, 'reference-de')
    await fx.getByRole('button', { name: new RegExp(`^${de.reference.delete}: USD/EUR`) }).first().click()
    await page.getByRole('dialog').getByRole('button', { name: de.reference.delete, exact: true }).click()
    await page.getByRole('status').getByText(de.reference.deleted).waitFor()
    expect(count("SELECT count(*) AS n FROM exchange_rate WHERE valid_on = '2031-05-02' AND deleted_at IS NULL")).toBe(0)
  })

  it('has no serious or critical accessibility violations on lists and forms (axe-core), light and dark', async () => {
    const hub = (db().prepare("SELECT id FROM buyer WHERE name = 'Verteilknoten Ruhr'").get() as { id: string }).id
    const product = (db().prepare("SELECT id FROM product WHERE sku = 'LH-YM500'").get() as { id: string }).id
    const pages = [
      '#/catalogue/suppliers',
      '#/catalogue/suppliers/new',
      '#/catalogue/products',
      `#/catalogue/products/${product}`,
      '#/catalogue/reference',
      '#/buyers',
      `#/buyers/${hub}`,
      '#/buyers/new'
    ]
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme })
      for (const hash of pages) {
        await open(hash)
        await page.locator('main').getByText(/\S/).first().waitFor()
        if (hash.endsWith('/new')) {
          // With field errors showing.
          await page.getByRole('button', { name: de.record.save }).click()
          await page.getByText(fill(de.record.invalid, { count: 1 })).waitFor()
          await page.getByRole('button', { name: de.contacts.add }).click()
        }
        if (hash.includes('reference')) await page.getByRole('button', { name: de.reference.addVatRate }).click()
        if (['#/catalogue/suppliers', '#/catalogue/products', '#/buyers'].includes(hash))
          await page.locator('table.list tbody tr[data-index="0"] td').first().waitFor()
        expect(await axe(page), `${hash} (${scheme})`).toEqual([])
      }
      await open('#/catalogue/products')
      await page.locator('table.list tbody tr[data-index="0"] td').first().waitFor()
      await screenshot(page, `products-${scheme}`)
      await open('#/catalogue/suppliers/new')
      await page.getByRole('button', { name: de.record.save }).click()
      await page.getByText(fill(de.record.invalid, { count: 1 })).waitFor()
      await screenshot(page, `supplier-new-errors-${scheme}`)
    }
    await page.emulateMedia({ colorScheme: 'light' })
  })

  it('shows every list and form translated in de, es and en', async () => {
    const hub = (db().prepare("SELECT id FROM buyer WHERE name = 'Verteilknoten Ruhr'").get() as { id: string }).id
    const supplier = (db().prepare("SELECT id FROM supplier WHERE code = 'LH'").get() as { id: string }).id
    const product = (db().prepare("SELECT id FROM product WHERE sku = 'LR-MA750'").get() as { id: string }).id
    for (const lang of ['de', 'es', 'en'] as const) {
      const t = texts[lang]
      await setLanguage(lang)
      await open('#/catalogue/suppliers')
      await page.getByRole('heading', { level: 1, name: t.suppliers.title }).waitFor()
      await page.getByRole('navigation', { name: t.catalogue.sections }).getByRole('link', { name: t.catalogue.products }).waitFor()
      await page.locator('table.list tbody tr[data-index="0"] td').first().waitFor()
      await screenshot(page, `suppliers-${lang}`)
      await open(`#/catalogue/suppliers/${supplier}`)
      await page.getByLabel(t.suppliers.cuit, { exact: true }).waitFor()
      await screenshot(page, `supplier-form-${lang}`)
      await open('#/catalogue/products')
      await page.getByRole('heading', { level: 1, name: t.products.title }).waitFor()
      await page.locator('table.list tbody tr[data-index="0"] td').first().waitFor()
      await screenshot(page, `products-${lang}`)
      await open(`#/catalogue/products/${product}`)
      await page.getByLabel(t.products.vatClass, { exact: true }).waitFor()
      await screenshot(page, `product-form-${lang}`)
      await open('#/catalogue/reference')
      await page.getByRole('heading', { level: 1, name: t.reference.title }).waitFor()
      await screenshot(page, `reference-${lang}`)
      await open('#/buyers')
      await page.getByRole('heading', { level: 1, name: t.buyers.title }).waitFor()
      await page.locator('table.list tbody tr[data-index="0"] td').first().waitFor()
      await page.getByRole('table').getByText(t.buyerType.hub).first().waitFor()
      await screenshot(page, `buyers-${lang}`)
      await open(`#/buyers/${hub}`)
      await page.getByRole('heading', { level: 2, name: t.buyers.members }).waitFor()
      await screenshot(page, `buyer-form-${lang}`)
    }
    await setLanguage('de')
    expect(await missingKeys(page)).toEqual([])
  })

  it('renders only the visible rows of 100 000 products and scrolls to the last one', async () => {
    const supplier = (db().prepare("SELECT id FROM supplier WHERE code = 'LH'").get() as { id: string }).id
    const insert = db().prepare(
      `INSERT INTO product (id, supplier_id, sku, name_es, name_en, sales_unit, case_milli, price_minor, currency, vat_class, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, 'bag', 10000, ?, 'USD', 'reduced', '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z')`
    )
    db().transaction(() => {
      for (let i = 1; i <= 100_000; i++) {
        const n = String(i).padStart(6, '0')
        insert.run(randomUUID(), supplier, `ZZ-${n}`, `Producto de prueba ${n}`, `Test product ${n}`, 100 + (i % 900))
      }
    })()
    const total = count('SELECT count(*) AS n FROM product WHERE deleted_at IS NULL AND archived_at IS NULL')
    expect(total).toBe(100_046)
    const lastSku = (db().prepare('SELECT sku FROM product WHERE deleted_at IS NULL AND archived_at IS NULL ORDER BY sku DESC LIMIT 1').get() as { sku: string }).sku
    expect(lastSku).toBe('ZZ-100000')

    await open('#/catalogue/products')
    await page.getByRole('status').getByText(countLine(de, total)).waitFor()
    await page.locator('table.list tbody tr[data-index="0"] td').first().waitFor()
    const table = page.getByRole('table', { name: de.products.title })
    await expect(table.getAttribute('aria-rowcount')).resolves.toBe(String(total + 1))
    const rows = () => page.locator('table.list tr').count()
    expect(await rows()).toBeLessThanOrEqual(200)
    expect(await rows()).toBeGreaterThan(5)

    await page.locator('.list-scroll').evaluate((el) => el.scrollTo({ top: el.scrollHeight }))
    await table.getByRole('cell', { name: lastSku, exact: true }).waitFor()
    expect(await rows()).toBeLessThanOrEqual(200)
    const lastIndex = await table.locator('tbody tr[data-index]').last().getAttribute('aria-rowindex')
    expect(lastIndex).toBe(String(total + 1))
    await screenshot(page, 'products-100k-end-de')

    // The middle, found with the keyboard: Home goes back to the top.
    await table.getByRole('row', { name: new RegExp(lastSku) }).focus()
    await page.keyboard.press('Home')
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-rowindex'))).toBe('2')
    expect(await rows()).toBeLessThanOrEqual(200)
    await page.locator('.list-scroll').evaluate((el) => el.scrollTo({ top: el.scrollHeight / 2 }))
    await table.getByRole('cell', { name: /^ZZ-05\d{4}$/ }).first().waitFor()
    expect(await rows()).toBeLessThanOrEqual(200)
  })

  it('ran without console errors or CSP violations', () => {
    expect(problems).toEqual([])
  })
})
