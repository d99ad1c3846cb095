/// <reference lib="dom" />
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

interface AxeViolation {
  id: string
  impact: string | null
  help: string
  nodes: { target: string[] }[]
}

/** axe-core run inside the page (evaluated over the debugging protocol, so the page's CSP stays strict). */
async function axe(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource)
  const result = await page.evaluate(async () => {
    const w = window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: AxeViolation[] }> } }
    return w.axe.run(document, { resultTypes: ['violations'] })
  })
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
}

function describeViolations(v: AxeViolation[]): string[] {
  return v.map((x) => `${x.id} (${x.impact}): ${x.help} @ ${x.nodes.map((n) => n.target.join(' ')).join(', ')}`)
}

async function organisationRow(app: RunningApp): Promise<Record<string, unknown>> {
  return app.session.requireWorkspace().db.prepare('SELECT * FROM organisation').get() as Record<string, unknown>
}

describe('the shell in a real browser', () => {
  let app: RunningApp
  let browser: BrowserContext
  let page: Page
  let problems: string[]

  beforeAll(async () => {
    app = await startApp()
    // A German system: the app must start in German without being told.
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

  it('opens the demo workspace in the system language, with the token taken out of the address', async () => {
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(de.overview.title)
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('de')
    await page.getByText('Solidarische Importe e.V.').waitFor()
    await page.getByText(de.app.demoBadge).waitFor()
    expect(page.url()).not.toContain('token')
    // The round dashboard: the demo round open, its next step a button, numbers through Intl in German.
    await page.getByRole('button', { name: de.overview.next.enterOrders }).waitFor()
    await page.getByRole('cell', { name: '247', exact: true }).waitFor()
    await screenshot(page, 'overview-de')
  })

  it('switches de → es → en and shows the whole shell translated', async () => {
    for (const lang of ['es', 'en', 'de'] as const) {
      const current = await page.locator('html').getAttribute('lang')
      const label = texts[current as 'de'].language.label
      await page.getByLabel(label, { exact: true }).selectOption(lang)
      const t = texts[lang]
      await page.getByRole('heading', { level: 1, name: t.overview.title }).waitFor()
      await expect(page.locator('html').getAttribute('lang')).resolves.toBe(lang)
      const nav = page.getByRole('navigation', { name: t.app.mainNavigation })
      const links = await nav.getByRole('link').allTextContents()
      expect(links).toEqual([
        t.nav.overview,
        t.nav.catalogue,
        t.nav.buyers,
        t.nav.rounds,
        t.nav.orders,
        t.nav.consolidation,
        t.nav.shipments,
        t.nav.distribution,
        t.nav.invoices,
        t.nav.payments,
        t.nav.closing,
        t.nav.settings,
        t.nav.diagnostics
      ])
      await page.getByText(t.overview.intro).waitFor()
      await screenshot(page, `overview-${lang}`)
      await nav.getByRole('link', { name: t.nav.settings }).click()
      await page.getByRole('heading', { level: 1, name: t.settings.title }).waitFor()
      await page.getByLabel(t.settings.iban, { exact: true }).waitFor()
      await page.getByText(t.settings.logoChoose).waitFor()
      await screenshot(page, `settings-${lang}`)
      await nav.getByRole('link', { name: t.nav.diagnostics }).click()
      await page.getByText(t.diagnostics.deviceId).waitFor()
      await screenshot(page, `diagnostics-${lang}`)
      await nav.getByRole('link', { name: t.nav.overview }).click()
    }
    expect(await missingKeys(page)).toEqual([])
  })

  it('keeps the chosen language across a reload', async () => {
    await page.getByLabel(de.language.label, { exact: true }).selectOption('es')
    await page.getByRole('heading', { level: 1, name: es.overview.title }).waitFor()
    expect(app.session.appData.language).toBe('es')
    await page.reload()
    await page.getByRole('heading', { level: 1, name: es.overview.title }).waitFor()
    await page.getByLabel(es.language.label, { exact: true }).selectOption('de')
    await page.getByRole('heading', { level: 1, name: de.overview.title }).waitFor()
  })

  it('refuses an invalid IBAN with a translated message next to the field and saves nothing', async () => {
    const before = await organisationRow(app)
    await page.getByRole('link', { name: de.nav.settings }).click()
    const iban = page.getByLabel(de.settings.iban, { exact: true })
    await iban.fill('DE89 3704 0044 0532 0130 01')
    await page.getByRole('button', { name: de.settings.save, exact: true }).click()
    await page.getByText(de.fieldErrors.iban_checksum).waitFor()
    await expect(iban.getAttribute('aria-invalid')).resolves.toBe('true')
    // The message is tied to the field for screen readers.
    const describedBy = (await iban.getAttribute('aria-describedby')) ?? ''
    const described = await Promise.all(describedBy.split(' ').map((id) => page.locator(`[id="${id}"]`).textContent()))
    expect(described).toContain(de.fieldErrors.iban_checksum)
    await page.getByText(de.settings.invalid.replace('{{count}}', '1')).waitFor()
    expect(await organisationRow(app)).toEqual(before)
    await screenshot(page, 'settings-invalid-iban-de')

    // The same error in Spanish after switching the language.
    await page.getByLabel(de.language.label, { exact: true }).selectOption('es')
    await iban.fill('DE89370400440532013001')
    await page.getByRole('button', { name: es.settings.save, exact: true }).click()
    await page.getByText(es.fieldErrors.iban_checksum).waitFor()
    expect(await organisationRow(app)).toEqual(before)
    await page.getByLabel(es.language.label, { exact: true }).selectOption('de')
  })

  it('saves a valid IBAN, which is still there after a reload', async () => {
    const iban = page.getByLabel(de.settings.iban, { exact: true })
    await iban.fill('at61 1904 3002 3457 3201')
    await page.getByRole('button', { name: de.settings.save, exact: true }).click()
    await page.getByRole('status').getByText(de.settings.saved).waitFor()
    expect((await organisationRow(app)).iban).toBe('AT611904300234573201')
    await page.reload()
    await page.getByRole('heading', { level: 1, name: de.settings.title }).waitFor()
    await expect(page.getByLabel(de.settings.iban, { exact: true }).inputValue()).resolves.toBe('AT611904300234573201')
  })

  it('is usable with the keyboard alone: skip link, navigation, Ctrl+S', async () => {
    await page.goto(page.url().replace(/#.*$/, '#/overview'))
    // A fresh page: focus starts at the top of the document.
    await page.reload()
    await page.getByRole('heading', { level: 1, name: de.overview.title }).waitFor()
    await page.locator('body').focus()
    await page.keyboard.press('Tab')
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe(de.app.skipToContent)
    // Tab on to the settings link and open it with Enter.
    for (let i = 0; i < 30; i++) {
      await page.keyboard.press('Tab')
      const text = await page.evaluate(() => document.activeElement?.textContent)
      if (text === de.nav.settings) break
    }
    await page.keyboard.press('Enter')
    await page.getByRole('heading', { level: 1, name: de.settings.title }).waitFor()
    const phone = page.getByLabel(de.settings.phone, { exact: true })
    await phone.focus()
    await phone.fill('+49 30 7654321')
    await page.keyboard.press('Control+s')
    await page.getByRole('status').getByText(de.settings.saved).waitFor()
    expect((await organisationRow(app)).phone).toBe('+49 30 7654321')
  })

  it('asks before recreating the demo, and Escape cancels', async () => {
    await page.getByRole('link', { name: de.nav.diagnostics }).click()
    await page.getByRole('button', { name: de.diagnostics.recreateDemo }).click()
    const dialog = page.getByRole('dialog')
    await dialog.getByText(de.diagnostics.recreateConfirm).waitFor()
    await screenshot(page, 'diagnostics-confirm-de')
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'hidden' })
    expect((await organisationRow(app)).phone).toBe('+49 30 7654321')
    await page.getByRole('button', { name: de.diagnostics.recreateDemo }).click()
    await dialog.getByRole('button', { name: de.diagnostics.recreateDemo, exact: true }).click()
    await page.getByRole('status').getByText(de.diagnostics.recreateDone).waitFor()
    expect((await organisationRow(app)).phone).toBe('+49 30 1234567')
  })

  it('has no serious or critical accessibility violations (axe-core), light and dark', async () => {
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme })
      for (const section of ['overview', 'settings', 'diagnostics']) {
        await page.goto(page.url().replace(/#.*$/, `#/${section}`))
        await page.getByRole('heading', { level: 1 }).waitFor()
        if (section === 'settings') {
          await page.getByLabel(de.settings.vatId, { exact: true }).fill('DE123')
          await page.getByRole('button', { name: de.settings.save, exact: true }).click()
          await page.getByText(de.fieldErrors.vat_format).waitFor()
        }
        expect(describeViolations(await axe(page)), `${section} (${scheme})`).toEqual([])
        if (section === 'settings') await screenshot(page, `settings-errors-${scheme}`)
      }
    }
    await page.emulateMedia({ colorScheme: 'light' })
  })

  it('ran without console errors or CSP violations', () => {
    expect(problems).toEqual([])
  })
})
