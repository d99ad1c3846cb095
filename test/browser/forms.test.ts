/// <reference lib="dom" />
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import de from '../../src/shared/i18n/de.ts'
import es from '../../src/shared/i18n/es.ts'
import { fill, missingKeys, type RunningApp, screenshot, startApp, watchProblems } from './app.ts'
import { launch } from './chromium.ts'

describe('forms: one wave of errors, dates in the UI language', () => {
  let app: RunningApp
  let browser: BrowserContext
  let page: Page
  let problems: string[]
  const db = () => app.session.requireWorkspace().db

  async function open(hash: string) {
    await page.goto(page.url().replace(/#.*$/, '') + hash)
    await page.reload()
    await page.getByRole('heading', { level: 1 }).waitFor()
  }

  async function setLanguage(lang: 'de' | 'es') {
    if ((await page.locator('html').getAttribute('lang')) === lang) return
    await page.locator('#ui-language').selectOption(lang)
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe(lang)
  }

  const invalid = (name: string) => page.locator(`[name="${name}"]`).getAttribute('aria-invalid')
  /** No text on the page shows an unfilled {{placeholder}}. */
  const rawPlaceholders = () => page.evaluate(() => document.body.innerText.match(/\{\{[^}]*\}\}/g) ?? [])

  beforeAll(async () => {
    app = await startApp()
    browser = await launch({ locale: 'de-DE', viewport: { width: 1024, height: 700 } })
    page = await browser.newPage()
    problems = watchProblems(page)
    await page.goto(app.host.url)
    await page.getByRole('heading', { level: 1 }).waitFor()
    await setLanguage('de')
  })

  afterAll(async () => {
    await browser?.close()
    await app?.close()
  })

  it('a new supplier with three bad fields: all three marked at once, with what is wrong, under the banner', async () => {
    await open('#/catalogue/suppliers/new')
    await page.locator('[name="name"]').fill('Cooperativa de Prueba')
    await page.locator('[name="code"]').fill('LH')
    await page.locator('[name="postalCode"]').fill('1425🏠')
    await page.locator('[name="minOrderValue"]').fill('-5')
    const before = db().prepare('SELECT count(*) AS n FROM supplier').get()
    await page.getByRole('button', { name: de.record.save, exact: true }).click()
    await page.getByText(fill(de.record.invalid, { count: 3 })).waitFor()
    for (const name of ['code', 'postalCode', 'minOrderValue']) await expect(invalid(name), name).resolves.toBe('true')
    await page.getByText(de.fieldErrors.duplicate).waitFor()
    await page.getByText(de.fieldErrors.postal_code).waitFor()
    // The limit is named: "must be 0 or more".
    await page.getByText('Muss 0 oder mehr sein.').waitFor()
    await expect(rawPlaceholders()).resolves.toEqual([])
    expect(db().prepare('SELECT count(*) AS n FROM supplier').get()).toEqual(before)
    await screenshot(page, 'forms-supplier-errors-de')
  })

  it('a buyer: a postal code of the wrong country and a too large amount say their limits in Spanish', async () => {
    await setLanguage('es')
    await open('#/buyers/new')
    await page.locator('[name="name"]').fill('Grupo de Prueba')
    await page.locator('[name="postalCode"]').fill('1011')
    await page.locator('[name="vatId"]').fill('XX123')
    await page.getByRole('button', { name: es.record.save, exact: true }).click()
    await page.getByText(fill(es.record.invalid, { count: 2 })).waitFor()
    for (const name of ['postalCode', 'vatId']) await expect(invalid(name), name).resolves.toBe('true')
    await page.getByText(fill(es.fieldErrors.postal_code_country, { example: '10115' })).waitFor()
    await expect(rawPlaceholders()).resolves.toEqual([])
    await screenshot(page, 'forms-buyer-errors-es')

    await open('#/catalogue/suppliers/new')
    await page.locator('[name="name"]').fill('Cooperativa Grande')
    await page.locator('[name="minOrderValue"]').fill('200.000.000')
    await page.getByRole('button', { name: es.record.save, exact: true }).click()
    // At most 100,000,000 in the Spanish way of writing numbers.
    await page.getByText('Como máximo 100.000.000.').waitFor()
    await expect(rawPlaceholders()).resolves.toEqual([])
  })

  it('a date field refuses 31.02.2027 in German and takes 31/03/2027 in Spanish', async () => {
    await setLanguage('de')
    await open('#/catalogue/reference')
    await page.getByRole('button', { name: de.reference.addExchangeRate }).click()
    const day = page.getByLabel(de.reference.validOn, { exact: true })
    await expect(day.getAttribute('placeholder')).resolves.toBe('TT.MM.JJJJ')
    await page.locator('[name="rate"]').fill('0,93')
    await day.fill('31.02.2027')
    await day.blur()
    // Said at once, before saving: there is no 31 February.
    await page.getByText(de.fieldErrors.date).waitFor()
    await page.getByRole('button', { name: de.record.save, exact: true }).click()
    await page.getByText(fill(de.record.invalid, { count: 1 })).waitFor()
    await expect(invalid('validOn')).resolves.toBe('true')
    await expect(page.getByText(de.fieldErrors.date).count()).resolves.toBe(1)
    expect(db().prepare("SELECT count(*) AS n FROM exchange_rate WHERE valid_on LIKE '2027-%'").get()).toEqual({ n: 0 })
    await screenshot(page, 'forms-date-refused-de')

    await setLanguage('es')
    await open('#/catalogue/reference')
    await page.getByRole('button', { name: es.reference.addExchangeRate }).click()
    const dia = page.getByLabel(es.reference.validOn, { exact: true })
    await expect(dia.getAttribute('placeholder')).resolves.toBe('DD/MM/AAAA')
    await page.locator('[name="rate"]').fill('0,93')
    await dia.fill('31/03/2027')
    await page.getByRole('button', { name: es.record.save, exact: true }).click()
    await expect
      .poll(() => db().prepare("SELECT base, quote, valid_on AS validOn FROM exchange_rate WHERE valid_on = '2027-03-31' AND deleted_at IS NULL").all())
      .toEqual([{ base: 'EUR', quote: 'USD', validOn: '2027-03-31' }])
    await expect(rawPlaceholders()).resolves.toEqual([])
  })

  it('a deletion asks what will happen, names the step and is the only red button', async () => {
    await setLanguage('de')
    const id = db().prepare("SELECT id FROM buyer WHERE name = 'Foodcoop Kornblume'").pluck().get() as string
    await open(`#/buyers/${id}`)
    await page.getByRole('button', { name: de.record.delete, exact: true }).click()
    const dialog = page.getByRole('dialog', { name: de.record.deleteTitle })
    await dialog.waitFor()
    await dialog.getByText(fill(de.buyers.deleteConfirm, { name: 'Foodcoop Kornblume' })).waitFor()
    await expect(dialog.getByRole('button', { name: de.record.delete, exact: true }).getAttribute('class')).resolves.toBe('danger')
    await screenshot(page, 'forms-delete-confirm-de')
    await page.keyboard.press('Escape')
    await expect(dialog.isVisible()).resolves.toBe(false)
    expect(problems).toEqual([])
    await expect(missingKeys(page)).resolves.toEqual([])
  })
})
