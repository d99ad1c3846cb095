import { execFileSync } from 'node:child_process'
import { readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import QRCode from 'qrcode'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createPdf } from '../../src/core/documents/pdf.ts'
import { drawEpcQr } from '../../src/core/documents/qr.ts'
import { creditorReference, isCreditorReference } from '../../src/core/invoices/creditorReference.ts'
import { epcPayload, type EpcInput } from '../../src/core/invoices/epc.ts'
import { epcQrMatrix, epcQrPng } from '../../src/core/invoices/epcQr.ts'
import { AppError } from '../../src/shared/errors.ts'
import { readFixture } from '../support/fixtures.ts'
import { RESOURCES, tempDir } from '../support/workspace.ts'

const vectors = JSON.parse(readFixture('vectors.json')) as {
  epc_qr_payload: { fields: Record<string, string>; payload: string; bytes: number; max_bytes: number }
  creditor_reference_iso11649: Record<string, string>
}
const epc = vectors.epc_qr_payload

/** The vector's fields as an input; the vector's amount "EUR1234.50" is 123450 cents. */
const base: EpcInput = {
  name: epc.fields.name!,
  iban: epc.fields.iban!,
  bic: epc.fields.bic!,
  amountMinor: 123450,
  currency: 'EUR',
  text: epc.fields.text!
}

/** Runs `fn` and returns the AppError it throws (failing when it throws something else or nothing). */
function appError(fn: () => unknown): AppError {
  try {
    fn()
  } catch (e) {
    expect(e).toBeInstanceOf(AppError)
    return e as AppError
  }
  throw new Error('expected an AppError, nothing was thrown')
}

let dir: string
beforeEach(() => {
  dir = tempDir('puente-qr-')
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

/**
 * The bytes zbarimg reads from an image's one symbol, as UTF-8 text. `-Sbinary` hands over the symbol's
 * bytes unchanged and adds no newline: without it zbar guesses a character set for byte-mode data and
 * reads a run of "ü" (C3 BC …) as CJK text, where a banking app follows the payload's charset element 1.
 */
function zbar(png: string): string {
  return execFileSync('zbarimg', ['--raw', '-q', '-Sbinary', png]).toString('utf8')
}

describe('ISO 11649 creditor references', () => {
  it('makes the vectors’ references from their bases', () => {
    for (const [from, ref] of Object.entries(vectors.creditor_reference_iso11649)) expect(creditorReference(from)).toBe(ref)
    expect(creditorReference('RE2026001')).toBe('RF90RE2026001')
  })

  it('validates the vectors, with spaces and in lower case', () => {
    expect(isCreditorReference('RF18539007547034')).toBe(true)
    expect(isCreditorReference('RF18 5390 0754 7034')).toBe(true)
    expect(isCreditorReference('rf90re2026001')).toBe(true)
    expect(isCreditorReference('RF90RE2026001')).toBe(true)
  })

  it('refuses wrong check digits, a changed character, a bad shape', () => {
    expect(isCreditorReference('RF19539007547034')).toBe(false)
    expect(isCreditorReference('RF18539007547035')).toBe(false)
    expect(isCreditorReference('RF91RE2026001')).toBe(false)
    expect(isCreditorReference('XX18539007547034')).toBe(false)
    expect(isCreditorReference('RF18')).toBe(false)
    expect(isCreditorReference('RF18-5390-0754-7034')).toBe(false)
    expect(isCreditorReference(`RF90${'1'.repeat(22)}`)).toBe(false)
    expect(isCreditorReference('')).toBe(false)
  })

  it('refuses a base that is not 1–21 upper-case letters and digits', () => {
    for (const bad of ['', 're2026001', 'RE-2026-001', 'RE 2026', 'A'.repeat(22), 'ÄBC']) {
      const e = appError(() => creditorReference(bad))
      expect(e.code).toBe('payment.reference_base')
      expect(e.params).toEqual({ base: bad })
    }
    expect(creditorReference('A'.repeat(21))).toMatch(/^RF\d\dA{21}$/)
    expect(isCreditorReference(creditorReference('A'.repeat(21)))).toBe(true)
  })
})

describe('EPC QR payload (EPC069-12)', () => {
  it('matches the vector byte for byte: 98 bytes', () => {
    const payload = epcPayload(base)
    expect(payload).toBe(epc.payload)
    expect(Buffer.from(payload, 'utf8').equals(Buffer.from(epc.payload, 'utf8'))).toBe(true)
    expect(Buffer.byteLength(payload, 'utf8')).toBe(98)
    expect(epc.bytes).toBe(98)
  })

  it('the structured variant: the RF reference in element 10, text and info left out (89 bytes)', () => {
    const payload = epcPayload({ ...base, text: null, reference: 'RF90RE2026001' })
    expect(payload).toBe('BCD\n002\n1\nSCT\n\nSolidarische Importe e.V.\nDE89370400440532013000\nEUR1234.50\n\nRF90RE2026001')
    expect(Buffer.byteLength(payload, 'utf8')).toBe(89)
    // Printed with spaces and in lower case, the reference goes in in its electronic form.
    expect(epcPayload({ ...base, text: '', reference: 'rf90 re20 2600 1' })).toBe(payload)
  })

  it('spaces leave the IBAN, a BIC and a purpose fill their elements, the info comes last', () => {
    const payload = epcPayload({ ...base, iban: 'DE89 3704 0044 0532 0130 00', bic: 'cobadeffxxx', purpose: 'GDSV', text: null, reference: 'RF90RE2026001', info: 'Danke!' })
    expect(payload).toBe('BCD\n002\n1\nSCT\nCOBADEFFXXX\nSolidarische Importe e.V.\nDE89370400440532013000\nEUR1234.50\nGDSV\nRF90RE2026001\n\nDanke!')
  })

  it('amounts: two decimals with a point, 0.01 to 999,999,999.99; 0, negatives, fractions and more refused', () => {
    const amount = (minor: number) => epcPayload({ ...base, amountMinor: minor }).split('\n')[7]
    expect(amount(1)).toBe('EUR0.01')
    expect(amount(10)).toBe('EUR0.10')
    expect(amount(100)).toBe('EUR1.00')
    expect(amount(123450)).toBe('EUR1234.50')
    expect(amount(99_999_999_999)).toBe('EUR999999999.99')
    for (const bad of [0, -1, -123450, 100_000_000_000, 12.5, Number.NaN]) {
      const e = appError(() => epcPayload({ ...base, amountMinor: bad }))
      expect(e.code).toBe('payment.epc_field')
      expect(e.params).toEqual({ field: 'amount' })
    }
  })

  it('a structured reference and a text together are refused; so is a reference that is not RF', () => {
    const both = appError(() => epcPayload({ ...base, reference: 'RF90RE2026001', text: 'Rechnung RE-2026-0042' }))
    expect(both.params).toEqual({ field: 'referenceAndText' })
    const notRf = appError(() => epcPayload({ ...base, text: null, reference: 'RE-2026-0042' }))
    expect(notRf.params).toEqual({ field: 'reference' })
    const wrongCheck = appError(() => epcPayload({ ...base, text: null, reference: 'RF91RE2026001' }))
    expect(wrongCheck.params).toEqual({ field: 'reference' })
  })

  it('a bad IBAN, BIC, name, purpose or currency is refused, naming the element', () => {
    const field = (input: Partial<EpcInput>) => appError(() => epcPayload({ ...base, ...input } as EpcInput)).params.field
    expect(field({ iban: 'DE89370400440532013001' })).toBe('iban')
    expect(field({ iban: 'DE8937040044053201300' })).toBe('iban')
    expect(field({ iban: '' })).toBe('iban')
    expect(field({ bic: 'COBADE' })).toBe('bic')
    expect(field({ name: '' })).toBe('name')
    expect(field({ name: '   ' })).toBe('name')
    expect(field({ name: 'x'.repeat(71) })).toBe('name')
    expect(field({ name: 'Zeile\nZwei' })).toBe('name')
    expect(field({ purpose: 'gdsv' })).toBe('purpose')
    expect(field({ purpose: 'GOODS' })).toBe('purpose')
    expect(field({ text: 't'.repeat(141) })).toBe('text')
    expect(field({ text: 'a\rb' })).toBe('text')
    expect(field({ info: 'i'.repeat(71) })).toBe('info')
    expect(field({ currency: 'USD' as 'EUR' })).toBe('currency')
    // The limits themselves pass: 70 characters of name (ñ counts once), 140 of text.
    expect(epcPayload({ ...base, name: 'ñ'.repeat(70) })).toContain(`\n${'ñ'.repeat(70)}\n`)
    expect(epcPayload({ ...base, text: 't'.repeat(140) }).endsWith(`\n${'t'.repeat(140)}`)).toBe(true)
  })

  it('the whole payload may take 331 UTF-8 bytes, not one more', () => {
    // The vector's elements up to the amount take 74 bytes; two empty elements and the text's LF add 3.
    const fits = epcPayload({ ...base, text: 'ü'.repeat(127) })
    expect(Buffer.byteLength(fits, 'utf8')).toBe(331)
    const e = appError(() => epcPayload({ ...base, text: `${'ü'.repeat(127)}a` }))
    expect(e.code).toBe('payment.epc_too_long')
    expect(e.params).toEqual({ bytes: 332, max: 331 })
    // Within every element's own limit, and still too long: 140 two-byte characters.
    expect(appError(() => epcPayload({ ...base, text: 'ß'.repeat(140) })).params).toEqual({ bytes: 357, max: 331 })
  })
})

describe('EPC QR symbol', () => {
  it('level M picks the smallest version; 331 bytes need version 13, 332 are refused', () => {
    expect(epcQrMatrix(epc.payload).version).toBe(6) // 98 bytes: version 5-M holds 84, version 6-M 106
    const full = epcQrMatrix('x'.repeat(331))
    expect(full.version).toBe(13)
    expect(full.size).toBe(17 + 4 * 13)
    const e = appError(() => epcQrMatrix('x'.repeat(332)))
    expect(e.code).toBe('payment.qr_version')
    expect(e.params).toEqual({ max: 13 })
  })

  it("is the qrcode package's own symbol, the mask it would choose included, for payloads of every version", () => {
    // The mask is chosen here (epcQr.ts bestMask) and the package makes the symbol with it: the same
    // modules as the package choosing by itself, for 600 payloads from version 1 to 13.
    let next = 7
    const random = () => (next = (next * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
    const masks = new Set<number>()
    const versions = new Set<number>()
    for (let t = 0; t < 600; t++) {
      const length = 1 + Math.floor(random() * 331)
      const payload = t % 3 === 0 ? epcPayload({ ...base, amountMinor: 1 + Math.floor(random() * 99_999_999), text: `RE-2026-${t}` }) : Array.from({ length }, () => String.fromCharCode(32 + Math.floor(random() * 95))).join('')
      const ours = epcQrMatrix(payload)
      const theirs = QRCode.create([{ mode: 'byte', data: Buffer.from(payload, 'utf8') }], { errorCorrectionLevel: 'M' })
      expect(ours.version).toBe(theirs.version)
      const same = Array.from({ length: ours.size * ours.size }, (_, i) => ours.dark(Math.floor(i / ours.size), i % ours.size) === (theirs.modules.data[i] !== 0)).every(Boolean)
      expect(same, `payload ${t}`).toBe(true)
      masks.add(theirs.maskPattern!)
      versions.add(theirs.version)
    }
    expect(masks.size).toBe(8)
    expect(versions.size).toBe(13)
  })

  it('the PNG decodes with zbarimg to exactly the payload (the vector, a UTF-8 one, a full one)', async () => {
    const payloads = [
      epc.payload,
      epcPayload({ ...base, name: 'Cooperativa Ñandú Ltda. – Müller & Söhne', text: null, reference: 'RF90RE2026001', info: 'Gracias · Danke' }),
      epcPayload({ ...base, text: 'ü'.repeat(127) })
    ]
    for (const [i, payload] of payloads.entries()) {
      const png = await epcQrPng(payload)
      expect(png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true)
      const path = join(dir, `qr-${i}.png`)
      writeFileSync(path, png)
      expect(zbar(path)).toBe(payload)
    }
  })

  it('the PNG has a quiet zone of 4 modules around the symbol', async () => {
    const scale = 3
    const png = await epcQrPng(epc.payload, { scale })
    // IHDR: width and height, big-endian, at bytes 16 and 20.
    const modules = 17 + 4 * 6 + 2 * 4
    expect(png.readUInt32BE(16)).toBe(modules * scale)
    expect(png.readUInt32BE(20)).toBe(modules * scale)
  })

  it('in a pdfkit PDF (vector squares, and the PNG through doc.image), rendered at 150 dpi, it decodes to the payload', async () => {
    const structured = epcPayload({ ...base, text: null, reference: creditorReference('RE2026001') })
    const { doc, done } = createPdf({
      fontsDir: join(RESOURCES, 'fonts'),
      title: 'Rechnung RE-2026-0042',
      author: 'Solidarische Importe e.V.',
      lang: 'de',
      createdAt: '2026-12-06T10:00:00Z',
      margins: { top: 50, bottom: 50, left: 50, right: 50 }
    })
    doc.fontSize(10).text('Bitte mit der Banking-App scannen:', 50, 60)
    drawEpcQr(doc, epc.payload, 50, 80, 130)
    doc.addPage()
    doc.fontSize(10).text('Zahlen per Überweisung:', 50, 60)
    doc.image(await epcQrPng(structured), 50, 80, { width: 130, height: 130 })
    doc.end()
    const pdf = join(dir, 'invoice.pdf')
    writeFileSync(pdf, await done)

    execFileSync('pdftoppm', ['-png', '-r', '150', pdf, join(dir, 'page')])
    const pages = readdirSync(dir).filter((f) => f.startsWith('page') && f.endsWith('.png')).sort()
    expect(pages).toHaveLength(2)
    expect(zbar(join(dir, pages[0]!))).toBe(epc.payload)
    expect(zbar(join(dir, pages[1]!))).toBe(structured)
  })

  it('drawEpcQr refuses a payload above version 13 before drawing anything', () => {
    const { doc } = createPdf({
      fontsDir: join(RESOURCES, 'fonts'),
      title: 't',
      author: 'a',
      lang: 'de',
      createdAt: '2026-12-06T10:00:00Z',
      margins: { top: 50, bottom: 50, left: 50, right: 50 }
    })
    expect(appError(() => drawEpcQr(doc, 'x'.repeat(332), 50, 50, 130)).code).toBe('payment.qr_version')
    doc.end()
  })
})
