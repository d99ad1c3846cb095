/// <reference lib="dom" />
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { MAX_UPLOAD_BYTES } from '../../src/shared/errors.ts'
import de from '../../src/shared/i18n/de.ts'
import { missingKeys, navigate, type RunningApp, screenshot, startApp, watchProblems } from './app.ts'
import { launch } from './chromium.ts'

/** A translation with its {{variables}} filled in. */
function fill(text: string, values: Record<string, string | number>): string {
  return text.replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(values[k]))
}

describe('large files and the error log in a real browser (German, 1024×700)', () => {
  let app: RunningApp
  let browser: BrowserContext
  let page: Page
  let problems: string[]
  let files: string
  const db = () => app.session.requireWorkspace().db
  const supplierId = () => db().prepare("SELECT id FROM supplier WHERE code = 'CT'").pluck().get() as string

  beforeAll(async () => {
    app = await startApp()
    app.session.appData.setLanguage('de')
    files = mkdtempSync(join(tmpdir(), 'puente-files-'))
    browser = await launch({ locale: 'de-DE', viewport: { width: 1024, height: 700 } })
    page = await browser.newPage()
    problems = watchProblems(page)
    await page.goto(app.host.url)
    await page.getByRole('heading', { level: 1 }).waitFor()
  })

  afterAll(async () => {
    await browser?.close()
    await app?.close()
    if (files) rmSync(files, { recursive: true, force: true })
  })

  async function openImport() {
    await page.evaluate((id) => {
      window.location.hash = `#/catalogue/suppliers/${id}/import`
    }, supplierId())
    await page.locator('input[type=file]').waitFor({ state: 'attached' })
  }

  it('answers a price list above 16 MB with the German message naming the limit, and the import still works after it', async () => {
    await openImport()
    const big = join(files, 'Preisliste riesig.csv')
    writeFileSync(big, Buffer.alloc(MAX_UPLOAD_BYTES + 1, 0x41))
    await page.locator('input[type=file]').setInputFiles(big)
    const message = fill(de.errors['api.too_large'], { maxMb: 16 })
    expect(message).toContain('16 MB')
    await page.getByRole('alert').getByText(message, { exact: true }).waitFor()
    // The service was reached (the old answer to a dropped connection is not shown).
    await expect(page.getByText(de.errors.network).count()).resolves.toBe(0)
    await screenshot(page, 'price-list-too-large-de')

    // A price list of normal size goes through, as raw bytes, into the preview.
    const csv = ['Código;Nombre;Precio;Moneda', 'CT-PRUEBA1;Mermelada de prueba 450 g;2,75;USD'].join('\r\n')
    await page.locator('input[type=file]').setInputFiles({ name: 'lista.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') })
    await page.locator('table.import-rows').getByRole('cell', { name: 'CT-PRUEBA1', exact: true }).waitFor()
    await expect(page.getByRole('alert').count()).resolves.toBe(0)
  })

  it('shows an unexpected error with its id only; Diagnostics shows that entry of the log and saves the log', async () => {
    // A fault the app does not expect: saving a supplier fails inside the database. (The host runs in
    // this process; its report of the error on stderr is expected.)
    const stderr = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    db().exec(`CREATE TRIGGER test_fault BEFORE UPDATE ON supplier BEGIN SELECT RAISE(ABORT, 'disk I/O error in test_fault'); END`)
    await page.evaluate((id) => {
      window.location.hash = `#/catalogue/suppliers/${id}`
    }, supplierId())
    const notes = page.getByLabel(de.suppliers.notes, { exact: true })
    await notes.waitFor()
    await notes.fill('Liefert nur im Herbst.')
    await page.getByRole('button', { name: de.record.save }).click()
    const alert = page.getByRole('alert').filter({ hasText: de.errors.internal.split('{{id}}')[0]! })
    await alert.waitFor()
    const text = (await alert.textContent()) ?? ''
    const id = /\b([0-9a-f]{8})\b/.exec(text)?.[1]
    expect(id).toBeDefined()
    expect(text).toBe(fill(de.errors.internal, { id: id! }))
    // No SQL, no stack on the screen.
    expect(text).not.toContain('test_fault')
    db().exec('DROP TRIGGER test_fault')
    expect(stderr.mock.calls.some((c) => String(c[0]).includes(`unexpected error ${id} in suppliers.save`))).toBe(true)
    stderr.mockRestore()

    await navigate(page, de.app.navigationToggle, de.nav.diagnostics, de.diagnostics.title)
    await page.getByRole('heading', { level: 2, name: de.errorLog.title }).waitFor()
    const log = page.locator('pre.log-text')
    await expect.poll(async () => (await log.textContent()) ?? '').toContain(`error ${id} in suppliers.save`)
    await expect(log.textContent()).resolves.toContain('disk I/O error in test_fault')
    // Nothing the user typed.
    await expect(log.textContent()).resolves.not.toContain('Liefert nur im Herbst')
    await log.scrollIntoViewIfNeeded()
    await screenshot(page, 'diagnostics-log-de')

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: de.errorLog.save }).click()])
    expect(download.suggestedFilename()).toMatch(/^puente-log-\d{4}-\d{2}-\d{2}\.txt$/)
    const saved = readFileSync((await download.path())!, 'utf8')
    expect(saved).toBe(readFileSync(join(app.home, 'logs', 'puente.log'), 'utf8'))
    expect(saved).toContain(`error ${id} in suppliers.save`)
  })

  it('left no console errors but the expected ones, and no missing texts', async () => {
    // The browser reports the 413 answer as a failed resource load; the UI's own console error is the
    // only other one allowed (none here: both errors came from the core).
    expect(problems.filter((p) => !/status of 413/.test(p))).toEqual([])
    await expect(missingKeys(page)).resolves.toEqual([])
  })
})
