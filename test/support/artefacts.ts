import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { FILES as EN16931_CII } from '../fixtures/en16931-cii.ts'
import { FILES as ISO20022 } from '../fixtures/iso20022.ts'

/**
 * The validation artefacts (test/fixtures/en16931-cii.ts, iso20022.ts) as files, for xmllint and Saxon:
 * written once per process into a temporary folder, in their release's layout (the schemas import each
 * other by name), and removed when the process ends.
 */
const SETS = { 'en16931-cii': EN16931_CII, iso20022: ISO20022 } as const

let root: string | null = null

/** The absolute path of an artefact, e.g. artefactPath('iso20022', 'pain.001.001.09.xsd'). */
export function artefactPath<S extends keyof typeof SETS>(set: S, name: keyof (typeof SETS)[S] & string): string {
  if (root === null) {
    const dir = mkdtempSync(join(tmpdir(), 'puente-artefacts-'))
    for (const [s, files] of Object.entries(SETS))
      for (const [file, text] of Object.entries(files)) {
        mkdirSync(dirname(join(dir, s, file)), { recursive: true })
        writeFileSync(join(dir, s, file), text)
      }
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }))
    root = dir
  }
  assert.ok(name in SETS[set], `no artefact ${set}/${name}`)
  return join(root, set, name)
}
