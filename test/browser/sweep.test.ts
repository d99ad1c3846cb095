/// <reference lib="dom" />
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import de from '../../src/shared/i18n/de.ts'
import en from '../../src/shared/i18n/en.ts'
import es from '../../src/shared/i18n/es.ts'
import { type RunningApp, missingKeys, startApp, watchProblems } from './app.ts'
import { launch } from './chromium.ts'

/**
 * The page sweep: every page of the navigation at a laptop's 1024×700, in German, Spanish and English.
 * No element reaches past the window unless it sits in a scroll frame of its own, no text shows a raw
 * {{placeholder}}, and axe-core finds nothing serious or critical.
 */
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')
const TEXTS = { de, es, en }
const VIEWPORT = { width: 1024, height: 700 }
const ROUTES = [
  'overview',
  'catalogue',
  'catalogue/products',
  'buyers',
  'rounds',
  'orders',
  'consolidation',
  'shipments',
  'invoices',
  'payments',
  'payments/balances',
  'payments/refunds',
  'settings',
  'diagnostics'
]

interface AxeViolation {
  id: string
  impact: string | null
  help: string
  nodes: { target: string[] }[]
}

async function axe(page: Page): Promise<string[]> {
  // Evaluated over the debugging protocol, so the page's strict CSP needs no exception for a script tag.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource)
  const result = await page.evaluate(async () => {
    const w = window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: AxeViolation[] }> } }
    return w.axe.run(document, { resultTypes: ['violations'] })
  })
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `axe ${v.id} (${v.impact}): ${v.help} @ ${v.nodes.slice(0, 4).map((n) => n.target.join(' ')).join(', ')}`)
}

/** Elements wider than the window (or past its edges) that no scroll frame of their own holds. */
function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth
    const found: string[] = []
    const framed = (el: Element): boolean => {
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        if (p.classList.contains('table-wrap')) return true
        const o = getComputedStyle(p).overflowX
        if (o === 'auto' || o === 'scroll' || o === 'hidden' || o === 'clip') return true
      }
      return false
    }
    const name = (el: Element) =>
      `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.classList.length ? '.' + [...el.classList].join('.') : ''} "${(el.textContent ?? '').trim().slice(0, 40)}"`
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect()
      // Empty, or parked off-screen on purpose (the skip link until it has focus).
      if (r.width === 0 || r.height === 0 || r.right <= 0) continue
      if ((r.right > width + 1 || r.left < -1) && !framed(el)) found.push(`${name(el)} spans ${Math.round(r.left)}…${Math.round(r.right)} px`)
    }
    if (document.documentElement.scrollWidth > width + 1) found.push(`the page scrolls sideways (${document.documentElement.scrollWidth} px)`)
    return found.slice(0, 8)
  })
}

/** Texts and labels that show a placeholder i18next did not fill. */
function rawPlaceholders(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const hits: string[] = []
    if (document.body.innerText.includes('{{')) hits.push(...document.body.innerText.split('\n').filter((l) => l.includes('{{')))
    for (const el of document.querySelectorAll('[title], [aria-label], [placeholder], [alt]'))
      for (const a of ['title', 'aria-label', 'placeholder', 'alt']) if (el.getAttribute(a)?.includes('{{')) hits.push(`${a}="${el.getAttribute(a)}"`)
    if (document.title.includes('{{')) hits.push(`title: ${document.title}`)
    return hits.map((h) => `raw placeholder: ${h}`)
  })
}

async function show(page: Page, route: string): Promise<void> {
  await page.evaluate((r) => {
    window.location.hash = `#/${r}`
  }, route)
  await page.getByRole('heading', { level: 1 }).first().waitFor()
  // Let the page's data arrive (the loading texts go away).
  await page.waitForFunction(() => !document.querySelector('main')?.textContent?.match(/Wird geladen|Cargando|Loading/), undefined, { timeout: 10_000 }).catch(() => {})
  await page.waitForTimeout(150)
}

describe.each(['de', 'es', 'en'] as const)('the page sweep at 1024×700 in %s', (lang) => {
  const t = TEXTS[lang]
  let app: RunningApp
  let browser: BrowserContext
  let page: Page
  let problems: string[]

  beforeAll(async () => {
    app = await startApp()
    app.session.appData.setLanguage(lang)
    browser = await launch({ locale: lang, viewport: VIEWPORT })
    page = await browser.newPage()
    problems = watchProblems(page)
    await page.goto(app.host.url)
    await page.getByRole('heading', { level: 1, name: t.overview.title }).waitFor()
  })

  afterAll(async () => {
    await browser?.close()
    await app?.close()
  })

  it('every page: nothing wider than the window outside a scroll frame, no raw {{…}}, no serious axe violation', async () => {
    const findings: string[] = []
    for (const route of ROUTES) {
      await show(page, route)
      for (const f of [...(await overflowing(page)), ...(await rawPlaceholders(page)), ...(await axe(page))]) findings.push(`${lang} #/${route}: ${f}`)
    }
    expect(findings).toEqual([])
    expect(await missingKeys(page)).toEqual([])
  })

  it('folds the navigation behind a button that says whether it is open, and remembers it', async () => {
    await show(page, 'overview')
    const toggle = page.getByRole('button', { name: t.app.navigationToggle })
    const nav = page.getByRole('navigation', { name: t.app.mainNavigation })
    await expect(toggle.getAttribute('aria-expanded')).resolves.toBe('false')
    await expect(nav.isVisible()).resolves.toBe(false)
    await toggle.focus()
    await page.keyboard.press('Enter')
    await expect(toggle.getAttribute('aria-expanded')).resolves.toBe('true')
    await nav.getByRole('link', { name: t.nav.settings }).click()
    await page.getByRole('heading', { level: 1, name: t.settings.title }).waitFor()
    await page.reload()
    await page.getByRole('heading', { level: 1, name: t.settings.title }).waitFor()
    await expect(nav.isVisible()).resolves.toBe(true)
    await expect(toggle.getAttribute('aria-expanded')).resolves.toBe('true')
    await toggle.click()
    await expect(nav.isVisible()).resolves.toBe(false)
  })

  it('the skip link moves focus to the content and leaves the page (and its address) as it was', async () => {
    await show(page, 'settings')
    // A fresh page: focus starts at the top of the document.
    await page.reload()
    await page.getByRole('heading', { level: 1, name: t.settings.title }).waitFor()
    const before = await page.evaluate(() => window.location.hash)
    await page.keyboard.press('Tab')
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe(t.app.skipToContent)
    await page.keyboard.press('Enter')
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('main')
    await expect(page.evaluate(() => window.location.hash)).resolves.toBe(before)
    await page.getByRole('heading', { level: 1, name: t.settings.title }).waitFor()
    // The next Tab goes on inside the content, not back to the top bar.
    await page.keyboard.press('Tab')
    await expect(page.evaluate(() => Boolean(document.activeElement?.closest('main')))).resolves.toBe(true)
  })

  it('the overview: the round, the next step as a button that opens its page', async () => {
    await show(page, 'overview')
    await page.getByRole('heading', { level: 2, name: /Winterrunde 2026\/27/ }).waitFor()
    await page.getByRole('rowheader', { name: 'Foodcoop Kornblume' }).waitFor()
    await page.getByRole('button', { name: t.overview.next.enterOrders }).click()
    await page.getByRole('heading', { level: 1, name: t.orders.title }).waitFor()
    expect(problems).toEqual([])
  })
})
