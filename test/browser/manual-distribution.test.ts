/// <reference lib="dom" />
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dispatch } from '../../src/core/api/dispatch.ts'
import de from '../../src/shared/i18n/de.ts'
import { type RunningApp, missingKeys, screenshot, startApp, watchProblems, navigate } from './app.ts'
import { launch } from './chromium.ts'

/**
 * Distribution by hand on the consolidation page (German, 1024×700): the demo's LH-YM500 has 25 ordered
 * (Foodcoop Kornblume 12, Weltladen Connewitz 8, Verteilknoten Ruhr 5) for one case of 20.
 */
describe('manual distribution in a real browser', () => {
  let app: RunningApp
  let browser: BrowserContext
  let page: Page
  let problems: string[]

  beforeAll(async () => {
    app = await startApp()
    browser = await launch({ locale: 'de-DE', viewport: { width: 1024, height: 700 } })
    page = await browser.newPage()
    problems = watchProblems(page)
    const round = app.session.requireWorkspace().db.prepare('SELECT id FROM round').pluck().get() as string
    expect((await dispatch({ session: app.session }, 'rounds.setStatus', { id: round, status: 'closed' })).ok).toBe(true)
    await page.goto(app.host.url)
    await page.getByRole('heading', { level: 1 }).waitFor()
  })

  afterAll(async () => {
    await browser?.close()
    await app?.close()
  })

  const db = () => app.session.requireWorkspace().db
  const row = () => page.locator('tr', { has: page.getByRole('button', { name: 'LH-YM500', exact: true }) })
  const badge = () => row().locator('.badge')

  /** Sets what a group gets of LH-YM500 by hand, with a reason. */
  async function setByHand(buyer: string, granted: string) {
    await page.locator('tr.line-row', { hasText: buyer }).getByRole('button', { name: de.consolidation.override, exact: true }).click()
    await page.getByLabel(de.consolidation.granted, { exact: true }).fill(granted)
    await page.getByLabel(de.consolidation.reason, { exact: true }).fill('Nur eine Kiste gekommen')
    await page.getByRole('button', { name: de.settings.save }).click()
    await page.getByRole('status').getByText(de.consolidation.overrideSaved).waitFor()
  }

  it('switches the round to distribution by hand and extras to stock, and shows what is distributed too many', async () => {
    await navigate(page, de.app.navigationToggle, de.nav.consolidation, de.consolidation.title)
    await row().waitFor()
    expect(await badge().count()).toBe(0)
    const strategy = page.getByLabel(de.consolidation.cutStrategy, { exact: true })
    expect(await strategy.locator('option').allTextContents()).toEqual([de.consolidation.cuts.first_come, de.consolidation.cuts.pro_rata, de.consolidation.cuts.manual])
    await strategy.selectOption('manual')
    await page.getByLabel(de.consolidation.extrasToLabel, { exact: true }).selectOption('stock')
    await page.getByRole('button', { name: de.consolidation.applyPolicy }).click()
    const saved = de.consolidation.roundPolicySaved
      .replace('{{policy}}', de.consolidation.policyShort.tolerance_fill)
      .replace('{{cut}}', de.consolidation.cuts.manual)
      .replace('{{extras}}', de.consolidation.extras.stock)
    await page.getByRole('status').getByText(saved).waitFor()
    expect(db().prepare('SELECT cut_strategy AS cut, manual_cut AS manual, extras_to AS extras FROM round').get()).toEqual({ cut: 'first_come', manual: 1, extras: 'stock' })
    await page.getByText(de.consolidation.manualHint).waitFor()
    // Nothing is cut by itself: 12 + 8 + 5 = 25 handed out of the 20 in one case, 5 too many.
    await expect.poll(() => badge().textContent()).toBe('5 zu viel verteilt')
    // CH-CUA (15 ordered, cases of 25) orders no case: nothing to distribute, so nobody gets any and nothing is over.
    const cua = page.locator('tr', { has: page.getByRole('button', { name: 'CH-CUA', exact: true }) })
    expect(await cua.locator('td').allTextContents()).toEqual(expect.arrayContaining(['15', '0']))
    expect(await cua.locator('.badge').count()).toBe(0)
    await screenshot(page, 'consolidation-manual-over-de')
  })

  it('refuses the purchase orders while more is distributed than there is, with a translated error', async () => {
    await page.getByRole('button', { name: de.consolidation.createPurchaseOrders }).click()
    const error = page.getByText(/^Von Hand ist mehr verteilt, als es gibt: /)
    await error.waitFor()
    await screenshot(page, 'consolidation-manual-refused-de')
    expect(await error.textContent()).toContain('LH-YM500 (5)')
    expect(db().prepare('SELECT count(*) FROM purchase_order').pluck().get()).toBe(0)
  })

  it('sets the groups by hand: exactly the 20 leaves nothing over, 18 leaves 2 to distribute', async () => {
    await row().getByRole('button', { name: 'LH-YM500' }).click()
    await setByHand('Foodcoop Kornblume', '7')
    // 7 + 8 + 5 = 20: everything distributed, no note.
    await expect.poll(() => badge().count()).toBe(0)
    await setByHand('Verteilknoten Ruhr', '3')
    // 7 + 8 + 3 = 18 of 20: 2 still to distribute.
    await expect.poll(() => badge().textContent()).toBe('2 noch zu verteilen')
    await page.locator('tr.line-row', { hasText: 'Foodcoop Kornblume' }).getByText(/Nur eine Kiste gekommen/).first().waitFor()
    await screenshot(page, 'consolidation-manual-open-de')
  })

  it('ran without missing translations, console errors or CSP violations', async () => {
    expect(await missingKeys(page)).toEqual([])
    expect(problems).toEqual([])
  })
})
