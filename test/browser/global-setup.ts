import { ensureBuilt } from '../../scripts/ensure-build.ts'
import { chromiumPath } from './chromium.ts'

/** The browser tests run against the built renderer in Debian's Chromium: make sure both are there. */
export default function setup(): void {
  chromiumPath()
  ensureBuilt()
}
