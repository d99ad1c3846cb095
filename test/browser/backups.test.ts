/// <reference lib="dom" />
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dispatch } from '../../src/core/api/dispatch.ts'
import { listBackups } from '../../src/core/db/backups.ts'
import de from '../../src/shared/i18n/de.ts'
import { type RunningApp, missingKeys, navigate, screenshot, startApp, watchProblems } from './app.ts'
import { launch } from './chromium.ts'

describe('backups in Diagnostics, at 1024×700 in German', () => {
  let app: RunningApp
  let browser: BrowserContext
  let page: Page
  let problems: string[]
  let original: string

  beforeAll(async () => {
    app = await startApp()
    browser = await launch({ locale: 'de-DE', viewport: { width: 1024, height: 700 } })
    page = await browser.newPage()
    problems = watchProblems(page)
  })

  afterAll(async () => {
    await browser?.close()
    await app?.close()
  })

  it('lists the backup taken on open and restores it after a confirmation; the pages show the restored data', async () => {
    const session = app.session
    const ws = session.requireWorkspace()
    // Opening the demo took today's backup; then the organisation is renamed.
    const [onOpen] = listBackups(ws.path)
    expect(onOpen).toMatchObject({ reason: 'open', verified: true })
    const org = await dispatch({ session }, 'settings.get', undefined)
    if (!org.ok) throw new Error(JSON.stringify(org.error))
    original = (org.result as { name: string }).name
    const saved = await dispatch({ session }, 'settings.save', { ...(org.result as object), name: 'Umbenannt nach der Sicherung' })
    expect(saved.ok).toBe(true)

    await page.goto(app.host.url)
    await page.getByRole('heading', { level: 1 }).waitFor()
    await page.getByText('Umbenannt nach der Sicherung').waitFor()
    await navigate(page, de.app.navigationToggle, de.nav.diagnostics, de.diagnostics.title)
    const table = page.getByRole('table', { name: de.backups.title })
    await table.getByRole('cell', { name: de.backups.reasons.open }).waitFor()
    expect(await table.getByRole('row').count()).toBe(2)
    await table.getByRole('cell', { name: de.backups.verified, exact: true }).waitFor()
    await screenshot(page, 'backups-de')

    // The restore asks first; cancelling changes nothing.
    const restoreButton = table.getByRole('button', { name: /wiederherstellen$/ })
    await restoreButton.click()
    const dialog = page.getByRole('dialog', { name: de.backups.restoreTitle })
    await dialog.waitFor()
    await screenshot(page, 'backups-confirm-de')
    await dialog.getByRole('button', { name: de.common.cancel }).click()
    await dialog.waitFor({ state: 'hidden' })
    expect(session.requireWorkspace()).toBe(ws)

    await restoreButton.click()
    await dialog.getByRole('button', { name: de.backups.restore, exact: true }).click()
    await page.getByRole('status').getByText(/ist wiederhergestellt/).waitFor()
    // The list shows the backup of the state before the restore too.
    await table.getByRole('cell', { name: de.backups.reasons.restore }).waitFor()
    await screenshot(page, 'backups-restored-de')

    await navigate(page, de.app.navigationToggle, de.nav.overview, de.overview.title)
    await page.getByText(original, { exact: true }).waitFor()
    expect(await page.getByText('Umbenannt nach der Sicherung').count()).toBe(0)
    expect(session.requireWorkspace()).not.toBe(ws)
    expect(await missingKeys(page)).toEqual([])
    expect(problems).toEqual([])
  })
})
