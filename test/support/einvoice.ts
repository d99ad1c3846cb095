import assert from 'node:assert/strict'
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { artefactPath } from './artefacts.ts'

/**
 * The official checks of an e-invoice XML, as a German tax office's tools run them: the UN/CEFACT CII
 * D16B schema (xmllint) and the CEN EN 16931 schematron compiled to XSLT 2.0 (Saxon HE), release 1.3.16,
 * kept in test/fixtures/en16931-cii.ts. Saxon starts a JVM in seconds, so all files go through one run.
 */
const SCHEMA = artefactPath('en16931-cii', 'schema/CrossIndustryInvoice_100pD16B.xsd')
const XSLT = artefactPath('en16931-cii', 'EN16931-CII-validation.xslt')
const SAXON = '/usr/share/java/Saxon-HE.jar'

export interface EinvoiceReport {
  xsdValid: boolean
  /** How many rules of the schematron fired (a document in a wrong namespace fires next to none). */
  firedRules: number
  fatal: string[]
  warnings: string[]
}

/** Checks every XML given (name → text) and reports per name. */
export function validateEinvoices(files: Record<string, string>): Record<string, EinvoiceReport> {
  const names = Object.keys(files)
  assert.ok(names.length > 0, 'nothing to validate')
  const dir = mkdtempSync(join(tmpdir(), 'puente-einvoice-'))
  try {
    mkdirSync(join(dir, 'in'))
    mkdirSync(join(dir, 'out'))
    for (const name of names) writeFileSync(join(dir, 'in', `${name}.xml`), files[name]!)
    // 1) The schema, all files in one xmllint run: it says "<file> validates" for each valid one.
    const xsd = spawnSync('xmllint', ['--noout', '--schema', SCHEMA, ...names.map((n) => join(dir, 'in', `${n}.xml`))], { encoding: 'utf8' })
    assert.ok(xsd.error === undefined, `xmllint did not run: ${String(xsd.error)}`)
    // 2) The business rules, the whole folder in one Saxon run.
    execFileSync('java', ['-cp', SAXON, 'net.sf.saxon.Transform', `-s:${join(dir, 'in')}`, `-o:${join(dir, 'out')}`, `-xsl:${XSLT}`], { stdio: 'pipe' })
    const reports: Record<string, EinvoiceReport> = {}
    for (const name of names) {
      const svrl = readFileSync(join(dir, 'out', `${name}.xml`), 'utf8')
      const asserts = [...svrl.matchAll(/<svrl:failed-assert\b([^>]*)>/g)].map((m) => ({
        id: /\bid="([^"]+)"/.exec(m[1]!)?.[1] ?? '?',
        flag: /\bflag="([^"]+)"/.exec(m[1]!)?.[1] ?? '?'
      }))
      reports[name] = {
        xsdValid: xsd.stderr.includes(`${join(dir, 'in', `${name}.xml`)} validates`),
        firedRules: (svrl.match(/<svrl:fired-rule\b/g) ?? []).length,
        fatal: asserts.filter((a) => a.flag === 'fatal').map((a) => a.id),
        warnings: asserts.filter((a) => a.flag !== 'fatal').map((a) => a.id)
      }
    }
    return reports
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
