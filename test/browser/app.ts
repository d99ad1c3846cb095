/// <reference lib="dom" />
import assert from 'node:assert/strict'
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Locator, Page } from 'playwright-core'
import { Session } from '../../src/core/app/session.ts'
import { type RunningHost, startHost } from '../../src/host/server.ts'

export const ROOT = fileURLToPath(new URL('../..', import.meta.url))
export const SCREENSHOTS = join(ROOT, 'test-results', 'screenshots')

export interface RunningApp {
  session: Session
  host: RunningHost
  home: string
  close(): Promise<void>
}

/** The browser host on a fresh per-user folder with the demo workspace, as `npm run web` starts it. */
export async function startApp(home = mkdtempSync(join(tmpdir(), 'puente-home-'))): Promise<RunningApp> {
  const session = new Session({ appDataDir: home, resourcesDir: join(ROOT, 'resources') })
  await session.openDemo()
  const rendererDir = join(ROOT, 'out', 'renderer')
  assert.ok(existsSync(join(rendererDir, 'index.html')), 'the renderer is built (global setup)')
  const host = await startHost({ session, rendererDir })
  return {
    session,
    host,
    home,
    async close() {
      await host.close()
      session.close()
    }
  }
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true })
  const path = join(SCREENSHOTS, `${name}.png`)
  await page.screenshot({ path, fullPage: true })
  return path
}

/** Collects console errors and CSP violations of a page: a test expects none. */
export function watchProblems(page: Page): string[] {
  const problems: string[] = []
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text())
  })
  page.on('pageerror', (e) => problems.push(String(e)))
  return problems
}

/** Keys the UI asked i18next for that no language has. */
export function missingKeys(page: Page): Promise<string[]> {
  return page.evaluate(() => [...((window as unknown as { __puenteMissingKeys?: Set<string> }).__puenteMissingKeys ?? [])])
}

/**
 * Follows a link of the main navigation as a user does: below 1100 px the menu is folded behind its
 * button (`toggle` is its accessible name in the page's language), so it is opened first if it is not.
 * Waits for the page's heading.
 */
export async function navigate(page: Page, toggle: string, link: string, heading: string): Promise<void> {
  const button = page.getByRole('button', { name: toggle })
  if ((await button.isVisible()) && (await button.getAttribute('aria-expanded')) !== 'true') await button.click()
  await page.getByRole('navigation').getByRole('link', { name: link, exact: true }).click()
  await page.getByRole('heading', { level: 1, name: heading }).waitFor()
}

/** A text with its parameters filled in, as i18next writes it (for the texts a test expects on screen). */
export const fill = (text: string, params: Record<string, string | number>): string => text.replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(params[k]))

/** Text as read on screen: no-break spaces as plain ones, runs of white space as one. */
export const plain = (s: string | null): string => (s ?? '').replace(/[\u00a0\u202f]/g, ' ').replace(/\s+/g, ' ').trim()

/** An element's text as read on screen (see plain). */
export const textOf = async (l: Locator): Promise<string> => plain(await l.textContent())
