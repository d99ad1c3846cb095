import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const BASE = new URL('../fixtures/', import.meta.url)

/**
 * The folder `test/fixtures/` (see its README for where each file came from), resolved from this
 * module's own place: tests find it from any working directory and in a fresh clone.
 */
export const FIXTURES_DIR: string = fileURLToPath(BASE)

/** The absolute path of `test/fixtures/<name>`; a name that leads out of that folder is refused. */
export function fixturePath(name: string): string {
  const path = fileURLToPath(new URL(name, BASE))
  if (!path.startsWith(FIXTURES_DIR)) throw new Error(`fixture ${name} is not inside test/fixtures/`)
  return path
}

/** The text of `test/fixtures/<name>` (UTF-8). */
export function readFixture(name: string): string {
  return readFileSync(fixturePath(name), 'utf8')
}
