/// <reference lib="dom" />
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dispatch } from '../../src/core/api/dispatch.ts'
import { setDevicePrefix } from '../../src/core/db/numbering.ts'
import de from '../../src/shared/i18n/de.ts'
import es from '../../src/shared/i18n/es.ts'
import { fill, missingKeys, type RunningApp, screenshot, startApp, watchProblems } from './app.ts'
import { launch } from './chromium.ts'

describe('number series in the settings, at 1024×700', () => {
  let app: RunningApp
  let browser: BrowserContext
  let page: Page
  let problems: string[]
  const year = String(new Date().getUTCFullYear())

  beforeAll(async () => {
    app = await startApp()
    browser = await launch({ locale: 'de-DE', viewport: { width: 1024, height: 700 } })
    page = await browser.newPage()
    problems = watchProblems(page)
    await page.goto(app.host.url)
    await page.getByRole('heading', { level: 1 }).waitFor()
    // At 1024 px the navigation is folded behind the menu button.
    await page.getByRole('button', { name: de.app.navigationToggle }).click()
    await page.getByRole('link', { name: de.nav.settings }).click()
    await page.getByRole('heading', { level: 2, name: de.numbering.title }).waitFor()
  })

  afterAll(async () => {
    await browser?.close()
    await app?.close()
  })

  const series = () => page.getByRole('group', { name: de.numbering.series.purchase_order })

  it('shows the purchase-order series with the next number; a bad format is refused in German, a good one saved by keyboard', async () => {
    await series().getByText(fill(de.numbering.next, { number: `PO-${year}-0001` })).waitFor()
    const format = series().getByLabel(de.numbering.format, { exact: true })
    expect(await format.inputValue()).toBe('PO-{yyyy}-{nnnn}')
    await format.fill('PO-{yyyy}')
    await format.press('Enter')
    await series().getByText(de.fieldErrors.number_format).waitFor()
    expect(await format.getAttribute('aria-invalid')).toBe('true')
    // Nothing was saved.
    expect(app.session.requireWorkspace().db.prepare(`SELECT format FROM number_format WHERE series = 'purchase_order'`).pluck().get()).toBe('PO-{yyyy}-{nnnn}')

    await format.fill('BE-{yy}-{nnnnn}')
    await format.press('Enter')
    await series().getByText(fill(de.numbering.next, { number: `BE-${year.slice(2)}-00001` })).waitFor()
    expect(await series().getByLabel(de.numbering.format, { exact: true }).getAttribute('aria-invalid')).toBe('false')
    await screenshot(page, 'numbering-de')
  })

  it('the next number follows purchase orders as they are issued', async () => {
    const session = app.session
    const round = (await dispatch({ session }, 'rounds.list', {})) as { ok: true; result: { rows: { id: string }[] } }
    const roundId = round.result.rows[0]!.id
    expect((await dispatch({ session }, 'rounds.setStatus', { id: roundId, status: 'closed' })).ok).toBe(true)
    const created = await dispatch({ session }, 'purchaseOrders.create', { roundId })
    expect(created.ok).toBe(true)
    const orders = (created as { ok: true; result: { number: string }[] }).result
    expect(orders.length).toBeGreaterThan(1)
    // Issued in the new format, one after the other.
    expect(orders.map((o) => o.number).sort()).toEqual(orders.map((_, i) => `BE-${year.slice(2)}-${String(i + 1).padStart(5, '0')}`))
    await series().getByText(fill(de.numbering.next, { number: `BE-${year.slice(2)}-${String(orders.length + 1).padStart(5, '0')}` })).waitFor()
    // This laptop created the workspace: it numbers without a prefix, and is now registered.
    await page.getByText(fill(de.numbering.prefixInUse, { prefix: de.numbering.noPrefix, count: 1 })).waitFor()
  })

  it('in Spanish: a wrong prefix is refused with a Spanish message, a letter typed small is saved as a capital', async () => {
    await page.getByLabel(de.language.label, { exact: true }).selectOption('es')
    await page.getByRole('heading', { level: 2, name: es.numbering.title }).waitFor()
    const laptop = page.getByRole('group', { name: es.numbering.prefixTitle })
    const prefix = laptop.getByLabel(es.numbering.prefix, { exact: true })
    await prefix.fill('ABCD')
    await prefix.press('Enter')
    await laptop.getByText(es.fieldErrors.prefix).waitFor()
    await prefix.fill('k')
    expect(await prefix.inputValue()).toBe('K')
    await prefix.press('Enter')
    await laptop.getByText(es.numbering.saved).waitFor()
    await laptop.getByText(fill(es.numbering.prefixInUse, { prefix: 'K', count: 1 })).waitFor()
    // The next purchase order of this laptop counts afresh under its new prefix.
    await page
      .getByRole('group', { name: es.numbering.series.purchase_order })
      .getByText(fill(es.numbering.next, { number: `BE-${year.slice(2)}-K00001` }))
      .waitFor()
    await screenshot(page, 'numbering-es')

    // Another laptop numbers with M; this one replaces it: refused first, then taken over knowingly.
    const ws = app.session.requireWorkspace()
    const other = '0e0e0e0e-0000-4000-8000-00000000000e'
    ws.db.transaction(() => setDevicePrefix(ws, other, 'M'))()
    await prefix.fill('M')
    await prefix.press('Enter')
    await laptop.getByText(es.fieldErrors.prefix_taken).waitFor()
    const takeOver = laptop.getByLabel(fill(es.numbering.takeOver, { prefix: 'M' }))
    await takeOver.check()
    await screenshot(page, 'numbering-take-over-es')
    await laptop.getByRole('button', { name: es.numbering.savePrefix }).click()
    await laptop.getByText(fill(es.numbering.prefixInUse, { prefix: 'M', count: 1 })).waitFor()
    expect(ws.db.prepare('SELECT id, prefix, deleted_at IS NOT NULL AS replaced FROM device ORDER BY id').all()).toEqual(
      [
        { id: other, prefix: 'M', replaced: 1 },
        { id: app.session.appData.deviceId, prefix: 'M', replaced: 0 }
      ].sort((x, y) => (x.id < y.id ? -1 : 1))
    )
    expect(await missingKeys(page)).toEqual([])
    expect(problems).toEqual([])
  })
})
