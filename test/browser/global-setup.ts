import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { ensureBuilt, RENDERER_DIR } from '../../scripts/ensure-build.ts'
import { chromiumPath } from './chromium.ts'

/** The browser tests run against the built renderer in Debian's Chromium: make sure both are there. */
export default function setup(): void {
  chromiumPath()
  ensureBuilt()
  assert.ok(existsSync(join(RENDERER_DIR, 'index.html')), 'the renderer was built')
}
