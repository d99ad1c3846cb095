import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { dispatch } from '../../src/core/api/dispatch.ts'
import type { Session } from '../../src/core/app/session.ts'
import { checkPostalCode } from '../../src/core/validate/postal.ts'
import { checkEori } from '../../src/core/validate/vat.ts'
import { dateTimeToText, dayToText, readDateTime, readDay } from '../../src/shared/dates.ts'
import { FIELD_ERROR_CODES, FIELD_ERROR_PARAMS, type FieldErrors } from '../../src/shared/errors.ts'
import de from '../../src/shared/i18n/de.ts'
import en from '../../src/shared/i18n/en.ts'
import es from '../../src/shared/i18n/es.ts'
import { type TempSession, tempSession } from '../support/workspace.ts'

const SRC = fileURLToPath(new URL('../../src', import.meta.url))

/** The {{variables}} of a text, by name (a format after the comma ignored), sorted. */
const variables = (text: string) => [...text.matchAll(/\{\{\s*([^,}\s]+)\s*(?:,[^}]*)?\}\}/g)].map((m) => m[1]!).sort()

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return name === 'i18n' ? [] : sourceFiles(path)
    return /\.tsx?$/.test(name) ? [path] : []
  })
}

describe('field error messages never show a raw {{placeholder}}', () => {
  it.each([
    ['de', de],
    ['es', es],
    ['en', en]
  ] as const)('%s: each message uses exactly the parameters its code declares', (_lang, texts) => {
    const wrong: string[] = []
    for (const code of FIELD_ERROR_CODES) {
      const used = variables((texts.fieldErrors as Record<string, string>)[code]!)
      const declared = [...(FIELD_ERROR_PARAMS[code] ?? [])].sort()
      if (used.join() !== declared.join()) wrong.push(`${code}: uses {${used.join()}} declares {${declared.join()}}`)
    }
    expect(wrong).toEqual([])
  })

  it('every place in src/ that raises a code with parameters supplies them', () => {
    const needing = Object.keys(FIELD_ERROR_PARAMS)
    const missing: string[] = []
    let raised = 0
    for (const file of sourceFiles(SRC)) {
      const text = readFileSync(file, 'utf8')
      // A code the UI only knows at run time is translated with whatever parameters came with it.
      for (const m of text.matchAll(/t\(`fieldErrors\.\$\{[^}]+\}`\)/g)) missing.push(`${file.slice(SRC.length)}: ${m[0]} without its parameters`)
      // zod issues (message: 'code'), field errors (fieldError(path, 'code'), problems.add(path, 'code')) and
      // the UI's own (t('fieldErrors.code')).
      const raisers = /message: '(\w+)'|fieldError\([^,()]+, '(\w+)'|\.add\([^,()]+, '(\w+)'|t\('fieldErrors\.(\w+)'/g
      for (const m of text.matchAll(raisers)) {
        const code = m[1] ?? m[2] ?? m[3] ?? m[4]!
        if (!needing.includes(code)) continue
        raised++
        // The statement that raises it names every parameter.
        const statement = text.slice(m.index, m.index + 240).split(/\n\s*\n|;\n/)[0]!
        for (const p of FIELD_ERROR_PARAMS[code as keyof typeof FIELD_ERROR_PARAMS]!)
          if (!new RegExp(`\\b${p}\\b`).test(statement) && !/params/.test(statement)) missing.push(`${file.slice(SRC.length)}: ${code} without ${p}`)
      }
    }
    expect(raised).toBeGreaterThanOrEqual(3)
    expect(missing).toEqual([])
  })
})

describe('EORI numbers (the EU format: country code and up to 15 letters or digits)', () => {
  it('takes the forms that exist', () => {
    for (const ok of ['DE1234567', 'DE123456789012345', 'de 123 4567', 'ES B12345678', 'NL123456789', 'ATU12345678', 'IT12345678901', 'GB123456789000'])
      expect(checkEori(ok), ok).toBeNull()
  })
  it('refuses the rest', () => {
    for (const bad of ['', 'DE', '1234567', 'DE12345678', 'DE12345A7', 'DE1234567890123456', 'FR1234567890123456', 'D11234567', 'DE-1234567', 'DE 1234567 😀'])
      expect(checkEori(bad), bad).toBe('eori_format')
  })
})

describe('postal codes', () => {
  it('take letters, digits, single spaces and hyphens, at most 10 characters, anywhere', () => {
    for (const ok of ['SW1A 1AA', '00-950', '1012 AB', 'H3Z 2Y7', '75008', '12345-6789']) expect(checkPostalCode(ok, 'FR'), ok).toBeNull()
    for (const bad of ['🏠', '10115🏠', '10115!', '12_34', '-1234', '1234-', '12345678901', 'AB—12', 'Straße 1', 'ÄB 12'])
      expect(checkPostalCode(bad, 'FR')?.code, bad).toBe('postal_code')
  })

  it('have their country’s form: DE 5 digits, AT and CH 4, ES 5 (province 01–52), AR C1425ABC or 4 digits', () => {
    const cases: [string, string, boolean][] = [
      ['DE', '10115', true],
      ['DE', '01067', true],
      ['DE', '1011', false],
      ['DE', 'D-10115', false],
      ['AT', '1010', true],
      ['AT', '10101', false],
      ['CH', '8001', true],
      ['CH', 'CH-8001', false],
      ['ES', '28013', true],
      ['ES', '08001', true],
      ['ES', '53001', false],
      ['ES', '2801', false],
      ['AR', 'C1425ABC', true],
      ['AR', 'c1425abc', true],
      ['AR', '1425', true],
      ['AR', 'I1425ABC', false],
      ['AR', 'C1425AB', false],
      ['AR', '14250', false]
    ]
    for (const [country, code, ok] of cases) {
      const problem = checkPostalCode(code, country)
      expect(problem === null, `${country} ${code}`).toBe(ok)
      if (!ok) expect(problem?.code === 'postal_code_country' || problem?.code === 'postal_code', `${country} ${code}`).toBe(true)
    }
    expect(checkPostalCode('1011', 'DE')).toEqual({ code: 'postal_code_country', params: { example: '10115' } })
  })
})

describe('days and times as people type them (the one strict reading)', () => {
  it('reads German, Spanish and ISO forms, and refuses days that do not exist', () => {
    expect(readDay('31.03.2027')).toEqual({ ok: true, day: '2027-03-31' })
    expect(readDay('31/03/2027')).toEqual({ ok: true, day: '2027-03-31' })
    expect(readDay('1.3.2027')).toEqual({ ok: true, day: '2027-03-01' })
    expect(readDay(' 2027-03-31 ')).toEqual({ ok: true, day: '2027-03-31' })
    expect(readDay('29.02.2028')).toEqual({ ok: true, day: '2028-02-29' })
    for (const nosuch of ['31.02.2027', '29/02/2027', '2027-02-31', '31.04.2027', '00.01.2027', '12.13.2027']) expect(readDay(nosuch), nosuch).toEqual({ ok: false, problem: 'date' })
    for (const form of ['', 'morgen', '31.03.27', '31.03/2027', '2027/03/31', '03-31-2027x', '31. März 2027'])
      expect(readDay(form), form).toEqual({ ok: false, problem: 'date_format' })
  })

  it('reads a day with a time', () => {
    expect(readDateTime('31.03.2027 18:00')).toEqual({ ok: true, value: '2027-03-31T18:00' })
    expect(readDateTime('31/03/2027 9:05')).toEqual({ ok: true, value: '2027-03-31T09:05' })
    expect(readDateTime('2027-03-31T18:00')).toEqual({ ok: true, value: '2027-03-31T18:00' })
    expect(readDateTime('31.02.2027 18:00')).toEqual({ ok: false, problem: 'date' })
    expect(readDateTime('31.03.2027 24:00')).toEqual({ ok: false, problem: 'date' })
    expect(readDateTime('31.03.2027')).toEqual({ ok: false, problem: 'date_format' })
  })

  it('writes a stored day in the UI language’s form', () => {
    expect(dayToText('2027-03-31', 'de')).toBe('31.03.2027')
    expect(dayToText('2027-03-31', 'es')).toBe('31/03/2027')
    expect(dayToText('2027-03-31', 'en')).toBe('2027-03-31')
    expect(dayToText('', 'de')).toBe('')
    expect(dateTimeToText('2027-03-31T18:00', 'es')).toBe('31/03/2027 18:00')
  })
})

describe('forms hear of every problem in one answer', () => {
  let temp: TempSession
  let session: Session
  beforeEach(async () => {
    temp = tempSession({ prefix: 'puente-forms-' })
    session = temp.session
    await session.openDemo()
  })
  afterEach(() => temp.dispose())

  async function refusedFields(method: string, input: unknown): Promise<FieldErrors> {
    const r = await dispatch({ session }, method, input)
    if (r.ok) throw new Error(`${method} was accepted`)
    expect(r.error.code).toBe('validation')
    return r.error.params!.fields as FieldErrors
  }
  const supplierId = (code: string) => (session.requireWorkspace().db.prepare('SELECT id FROM supplier WHERE code = ?').get(code) as { id: string }).id

  it('a supplier: format, limits and the workspace’s checks together', async () => {
    const fields = await refusedFields('suppliers.save', {
      name: '',
      country: 'AR',
      code: 'LH',
      postalCode: '1425🏠',
      cuit: '20-12345678-7',
      minOrderValue: '-5',
      minOrderCurrency: 'USD',
      exporterOfRecord: false,
      exporterId: supplierId('LH')
    })
    expect(fields).toMatchObject({
      name: { code: 'required' },
      // The workspace's rule on what was sent comes with the schema's problems.
      code: { code: 'duplicate' },
      postalCode: { code: 'postal_code' },
      cuit: { code: 'cuit_checksum' },
      minOrderValue: { code: 'at_least', params: { min: 0 } }
    })
    // Those that need the workspace come with the others as soon as the rest is readable.
    const db = await refusedFields('suppliers.save', {
      name: 'Otra Hoja',
      country: 'AR',
      code: 'LH',
      postalCode: '1425',
      minOrderValue: '12,345',
      minOrderCurrency: 'USD',
      exporterOfRecord: false,
      exporterId: supplierId('TT')
    })
    expect(db).toEqual({
      code: { code: 'duplicate' },
      minOrderValue: { code: 'decimals', params: { digits: 2 } },
      exporterId: { code: 'exporter_not_flagged' }
    })
  })

  it('a supplier’s postal code has its country’s form; limits name their value', async () => {
    const fields = await refusedFields('suppliers.save', { name: 'X', country: 'DE', postalCode: '1011', minOrderValue: '100000000,01', minOrderCurrency: 'EUR' })
    expect(fields).toEqual({
      postalCode: { code: 'postal_code_country', params: { example: '10115' } },
      minOrderValue: { code: 'at_most', params: { max: 100_000_000 } }
    })
    const long = await refusedFields('suppliers.save', { name: 'x'.repeat(201), country: 'AR', postalCode: '12345678901' })
    expect(long).toEqual({ name: { code: 'too_long', params: { max: 200 } }, postalCode: { code: 'too_long', params: { max: 10 } } })
  })

  it('a buyer that fails its schema hears of a hub that is none in the same answer', async () => {
    const ws = session.requireWorkspace()
    const group = ws.db.prepare("SELECT id FROM buyer WHERE type = 'group' AND deleted_at IS NULL LIMIT 1").pluck().get() as string
    const fields = await refusedFields('buyers.save', { name: '', type: 'group', country: 'DE', language: 'de', taxTreatment: 'domestic', hubId: group })
    expect(fields).toEqual({ name: { code: 'required' }, hubId: { code: 'hub_type' } })
  })

  it('a buyer: postal code, VAT ID and hub together', async () => {
    const ws = session.requireWorkspace()
    const group = ws.db.prepare("SELECT id FROM buyer WHERE type = 'group' AND deleted_at IS NULL LIMIT 1").pluck().get() as string
    const fields = await refusedFields('buyers.save', {
      name: 'Grupo',
      type: 'hub',
      country: 'AT',
      language: 'de',
      taxTreatment: 'eu_business',
      postalCode: '12345',
      hubId: group,
      contacts: [{ email: 'kein-mail' }]
    })
    expect(fields).toEqual({
      postalCode: { code: 'postal_code_country', params: { example: '1010' } },
      vatId: { code: 'required' },
      hubId: { code: 'hub_cycle' },
      'contacts.0.email': { code: 'email' }
    })
  })

  it('the organisation: postal code by country and EORI together', async () => {
    const org = (await dispatch({ session }, 'settings.get', {})) as { ok: true; result: Record<string, unknown> }
    const input = { ...org.result, country: 'DE', postalCode: '1234', eori: 'DE12345', logo: undefined }
    const fields = await refusedFields('settings.save', input)
    expect(fields).toEqual({ postalCode: { code: 'postal_code_country', params: { example: '10115' } }, eori: { code: 'eori_format' } })
  })

  it('a ship date or due date with a time is a date field error, not a crash', async () => {
    const roundId = (session.requireWorkspace().db.prepare('SELECT id FROM round LIMIT 1').get() as { id: string }).id
    const fields = await refusedFields('purchaseOrders.create', {
      roundId,
      shipDate: '2026-01-01 10:00',
      incotermPlace: 'Posadas\u0000',
      terms: [{ label: 'before_shipping', sharePercent: 100, dueDate: '2026-01-01T10:00' }]
    })
    expect(fields).toEqual({ shipDate: { code: 'date' }, incotermPlace: { code: 'control_chars' }, 'terms.0.dueDate': { code: 'date' } })
    expect(session.requireWorkspace().db.prepare('SELECT count(*) AS n FROM purchase_order').get()).toEqual({ n: 0 })
  })

  it('a round’s name refuses control characters; its notes keep line breaks', async () => {
    const fields = await refusedFields('rounds.save', { name: 'Ronda\u0000', notes: 'Zeile 1\nZeile 2\u0007' })
    expect(fields).toMatchObject({ name: { code: 'control_chars' }, notes: { code: 'control_chars' } })
  })

  it('quantities beyond their limit say the limit', async () => {
    const fields = await refusedFields('products.save', {
      supplierId: supplierId('LH'),
      sku: 'X-1',
      nameEs: 'Prueba',
      salesUnit: 'bag',
      caseUnits: '2000000',
      netQuantity: '0',
      price: '1',
      currency: 'USD',
      vatClass: 'reduced'
    })
    expect(fields).toMatchObject({ caseUnits: { code: 'at_most', params: { max: 1_000_000 } }, netQuantity: { code: 'positive' } })
  })
})
