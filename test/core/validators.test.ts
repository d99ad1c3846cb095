import { describe, expect, it } from 'vitest'
import { LOGO_MAX_BYTES, organisationInput } from '../../src/core/settings/organisation.ts'
import { checkCbu, checkCuit, normalizeCbu, normalizeCuit } from '../../src/core/validate/ar.ts'
import { checkBic, checkIban, normalizeIban } from '../../src/core/validate/bank.ts'
import { checkEori, checkVatId, normalizeVatId } from '../../src/core/validate/vat.ts'
import { fieldErrors } from '../../src/core/common/zod.ts'
import { readFixture } from '../support/fixtures.ts'

interface Vectors {
  iban: { valid: string[]; invalid: string[] }
  vat_ids: { valid: string[] }
  cuit: { valid: string[]; invalid: string[] }
  cbu_argentina: { valid: string[]; invalid: string[] }
}
const vectors = JSON.parse(readFixture('vectors.json')) as Vectors

describe('IBAN (ISO 13616)', () => {
  it('the vectors file has IBANs to test', () => {
    expect(vectors.iban.valid.length).toBeGreaterThanOrEqual(5)
    expect(vectors.iban.invalid.length).toBeGreaterThanOrEqual(3)
  })

  it.each(vectors.iban.valid)('%s is valid', (iban) => {
    expect(checkIban(iban)).toBeNull()
  })

  it.each(vectors.iban.invalid)('%s is invalid', (iban) => {
    const code = checkIban(iban)
    expect(code).not.toBeNull()
    expect(code).toMatch(/^iban_/)
  })

  it('each invalid vector fails for its own reason', () => {
    expect(checkIban('DE89370400440532013001')).toBe('iban_checksum')
    expect(checkIban('DE8937040044053201300')).toBe('iban_length') // 21 characters; DE has 22
    expect(checkIban('XX89370400440532013000')).toBe('iban_country')
  })

  it('more IBANs from DOMAIN.md 5.2 and typing mistakes', () => {
    expect(checkIban('de89 3704 0044 0532 0130 00')).toBeNull()
    expect(checkIban('DE98370400440532013000')).toBe('iban_checksum') // swapped check digits
    expect(checkIban('DE89370400440532103000')).toBe('iban_checksum') // swapped account digits
    expect(checkIban('AT611904300234573202')).toBe('iban_checksum')
    expect(checkIban('89DE370400440532013000')).toBe('iban_format')
    expect(checkIban('')).not.toBeNull()
  })

  it('normalises to the electronic form', () => {
    expect(normalizeIban('de89 3704 0044 0532 0130 00')).toBe('DE89370400440532013000')
  })
})

describe('EU VAT IDs (DOMAIN.md 8.2)', () => {
  it('the vectors file has VAT IDs to test', () => {
    expect(vectors.vat_ids.valid.length).toBeGreaterThanOrEqual(6)
  })

  it.each(vectors.vat_ids.valid)('%s is valid', (id) => {
    expect(checkVatId(id)).toBeNull()
  })

  it.each(['DE123456788', 'FR23334175221'])('%s (DOMAIN.md table) is valid', (id) => {
    expect(checkVatId(id)).toBeNull()
  })

  it('spaces, dots, dashes and lower case are accepted and normalised away', () => {
    expect(checkVatId('de 136 695 976')).toBeNull()
    expect(checkVatId('ATU 135.856-27')).toBeNull()
    expect(normalizeVatId('fr 40 303 265 045')).toBe('FR40303265045')
  })

  // One character changed in each valid vector: the check digit no longer fits.
  it.each([
    ['DE136695977', 'DE136695976'],
    ['ATU13585628', 'ATU13585627'],
    ['FR40303265046', 'FR40303265045'],
    ['IT00743110158', 'IT00743110157'],
    ['NL004495446B01', 'NL004495445B01'], // the last digit of the 9-digit number, not of the B-suffix
    ['ESB12345675', 'ESB12345674'],
    ['ES12345678A', 'ES12345678Z'], // DNI: 12345678 mod 23 = 14 → Z
    ['DE123456789', 'DE123456788'],
    ['FR24334175221', 'FR23334175221']
  ])('%s (from %s) fails its check digit', (bad) => {
    expect(checkVatId(bad)).toBe('vat_checksum')
  })

  it.each([
    'DE12345678', // 8 digits
    'DE1234567890', // 10 digits
    'DE012345678', // first digit 0
    'AT13585627', // no U
    'ATU1358562',
    'FR4030326504',
    'IT0074311015',
    'NL004495445', // no B suffix
    'NL004495445X01',
    'ES1234567',
    'ESB1234567'
  ])('%s has the wrong format', (bad) => {
    expect(checkVatId(bad)).toBe('vat_format')
  })

  it.each(['XX123', 'GB123456789', 'AR20123456786', '123456789', ''])('%s has no EU country prefix', (bad) => {
    expect(checkVatId(bad)).toBe('vat_country')
  })
})

describe('EORI (DOMAIN.md 8.1)', () => {
  it.each([
    'DE123456789012345', // German, 15 digits (since 2012)
    'DE1234567', // German, old 7-digit Zollnummer
    'de 1234567',
    'ATU13585627', // country code + up to 15 alphanumerics: syntactically an EORI
    'FR12345678901234',
    'NL123456789'
  ])('%s is accepted', (id) => {
    expect(checkEori(id)).toBeNull()
  })

  it.each([
    'DE12345', // German but neither 7 nor 15 digits
    'DE12345678', // USt-IdNr length, not an EORI
    'DE12345678901234', // 14 digits
    'DE1234567890123456', // 16 digits
    'FR1234567890123456', // 16 after the country code: more than 17 in all
    'D1234567',
    '12345678',
    'DE',
    'DE-1234567'
  ])('%s is refused', (id) => {
    expect(checkEori(id)).toBe('eori_format')
  })
})

describe('BIC (ISO 9362)', () => {
  it.each(['COBADEFFXXX', 'COBADEFF', 'cobadeff', 'BFSW DE33 BER', 'DEUTDEDBBER'])('%s is valid', (bic) => {
    expect(checkBic(bic)).toBeNull()
  })

  it.each(['COBADEFFXX', 'COBADEFFX', 'COBADEFFXXXX', 'COBADE', '1OBADEFF'])('%s has the wrong format', (bic) => {
    expect(checkBic(bic)).toBe('bic_format')
  })

  it('COBA is refused (too short)', () => {
    expect(checkBic('COBA')).not.toBeNull()
  })

  it('COBA is a format error, not an unknown country (it has no letters 5 and 6)', () => {
    expect(checkBic('COBA')).toBe('bic_format')
  })

  it('an unknown country in positions 5–6 is bic_country', () => {
    expect(checkBic('COBAQQFFXXX')).toBe('bic_country')
  })
})

describe('organisation settings input', () => {
  const base = {
    name: 'Cooperativa La Cacerola',
    country: 'DE',
    smallBusiness: false,
    defaultLanguage: 'de',
    defaultCurrency: 'EUR'
  }

  function codes(input: Record<string, unknown>) {
    const res = organisationInput.safeParse(input)
    if (res.success) throw new Error('expected the input to be refused')
    return fieldErrors(res.error)
  }

  function parsed(input: Record<string, unknown>) {
    const res = organisationInput.safeParse(input)
    if (!res.success) throw new Error(`expected the input to pass: ${JSON.stringify(fieldErrors(res.error))}`)
    return res.data
  }

  it('the minimal input passes and optional fields become null', () => {
    expect(parsed(base)).toEqual({
      ...base,
      street: null,
      postalCode: null,
      city: null,
      taxNumber: null,
      vatId: null,
      eori: null,
      iban: null,
      bic: null,
      bankName: null,
      email: null,
      phone: null
    })
  })

  it('an invalid IBAN yields its field code', () => {
    expect(codes({ ...base, iban: 'DE89370400440532013001' })).toEqual({ iban: { code: 'iban_checksum' } })
    expect(codes({ ...base, iban: 'XX89370400440532013000' })).toEqual({ iban: { code: 'iban_country' } })
  })

  it('a valid IBAN with spaces is stored without them', () => {
    expect(parsed({ ...base, iban: ' DE89 3704 0044 0532 0130 00 ' }).iban).toBe('DE89370400440532013000')
  })

  it('identifiers are normalised', () => {
    const out = parsed({ ...base, vatId: 'de 136.695.976', bic: 'coba de ff xxx', eori: 'de 123456789012345' })
    expect(out).toMatchObject({ vatId: 'DE136695976', bic: 'COBADEFFXXX', eori: 'DE123456789012345' })
  })

  it('empty strings for optional fields become null', () => {
    const out = parsed({
      ...base,
      street: '',
      postalCode: '   ',
      city: '',
      taxNumber: '',
      vatId: '',
      eori: ' ',
      iban: '',
      bic: '',
      bankName: '',
      email: '',
      phone: ''
    })
    expect(out).toMatchObject({
      street: null,
      postalCode: null,
      city: null,
      taxNumber: null,
      vatId: null,
      eori: null,
      iban: null,
      bic: null,
      bankName: null,
      email: null,
      phone: null
    })
  })

  it('text is trimmed and lengths are checked', () => {
    expect(parsed({ ...base, name: '  La Cacerola  ', city: ' Buenos Aires ' })).toMatchObject({
      name: 'La Cacerola',
      city: 'Buenos Aires'
    })
    expect(codes({ ...base, name: '' })).toEqual({ name: { code: 'required' } })
    expect(codes({ ...base, name: '    ' })).toEqual({ name: { code: 'required' } })
    expect(codes({ ...base, city: 'x'.repeat(101) })).toEqual({ city: { code: 'too_long', params: { max: 100 } } })
    const { name: _name, ...withoutName } = base
    expect(codes(withoutName)).toEqual({ name: { code: 'required' } })
  })

  it('e-mail, country, currency and language are checked', () => {
    expect(codes({ ...base, email: 'not an address' })).toEqual({ email: { code: 'email' } })
    expect(parsed({ ...base, email: ' info@example.org ' }).email).toBe('info@example.org')
    expect(codes({ ...base, country: 'XX' })).toEqual({ country: { code: 'country' } })
    expect(codes({ ...base, defaultCurrency: 'GBP' })).toEqual({ defaultCurrency: { code: 'currency' } })
    expect(codes({ ...base, defaultLanguage: 'fr' })).toEqual({ defaultLanguage: { code: 'language' } })
  })

  it('VAT ID, EORI and BIC errors carry their codes', () => {
    expect(codes({ ...base, vatId: 'DE136695977', eori: 'DE12345', bic: 'COBADEFFX' })).toEqual({
      vatId: { code: 'vat_checksum' },
      eori: { code: 'eori_format' },
      bic: { code: 'bic_format' }
    })
  })

  describe('logo', () => {
    const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
    const png = Buffer.concat([PNG_SIGNATURE, Buffer.from('rest of a png')])
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('rest of a jpeg')])
    const url = (mime: string, bytes: Buffer) => `data:${mime};base64,${bytes.toString('base64')}`

    it('a real PNG or JPEG is accepted with its bytes', () => {
      expect(parsed({ ...base, logo: url('image/png', png) }).logo).toEqual({ mime: 'image/png', bytes: png })
      expect(parsed({ ...base, logo: url('image/jpeg', jpeg) }).logo).toEqual({ mime: 'image/jpeg', bytes: jpeg })
    })

    it('null removes, absent keeps', () => {
      expect(parsed({ ...base, logo: null }).logo).toBeNull()
      expect(parsed(base).logo).toBeUndefined()
    })

    it('a data URL that is not really a PNG is refused with logo_type', () => {
      expect(codes({ ...base, logo: url('image/png', Buffer.from('GIF89a, pretending')) })).toEqual({
        logo: { code: 'logo_type' }
      })
      expect(codes({ ...base, logo: url('image/png', jpeg) })).toEqual({ logo: { code: 'logo_type' } })
      expect(codes({ ...base, logo: url('image/jpeg', png) })).toEqual({ logo: { code: 'logo_type' } })
      expect(codes({ ...base, logo: url('image/gif', png) })).toEqual({ logo: { code: 'logo_type' } })
      expect(codes({ ...base, logo: 'https://example.org/logo.png' })).toEqual({ logo: { code: 'logo_type' } })
    })

    it('a logo over 1 MB is refused with logo_too_large', () => {
      expect(LOGO_MAX_BYTES).toBe(1024 * 1024)
      const justOver = Buffer.concat([PNG_SIGNATURE, Buffer.alloc(1024 * 1024 + 1 - PNG_SIGNATURE.length)])
      expect(codes({ ...base, logo: url('image/png', justOver) })).toEqual({ logo: { code: 'logo_too_large' } })
      const wayOver = Buffer.concat([PNG_SIGNATURE, Buffer.alloc(3 * 1024 * 1024)])
      expect(codes({ ...base, logo: url('image/png', wayOver) })).toEqual({ logo: { code: 'logo_too_large' } })
      const exactly = Buffer.concat([PNG_SIGNATURE, Buffer.alloc(1024 * 1024 - PNG_SIGNATURE.length)])
      expect(parsed({ ...base, logo: url('image/png', exactly) }).logo?.bytes.length).toBe(1024 * 1024)
    })
  })
})

describe('Argentine CUIT / CUIL (DOMAIN.md 7)', () => {
  it('the vectors file has CUITs to test', () => {
    expect(vectors.cuit.valid.length).toBeGreaterThanOrEqual(9)
    expect(vectors.cuit.invalid.length).toBeGreaterThanOrEqual(8)
  })

  it.each(vectors.cuit.valid)('%s is valid', (cuit) => {
    expect(checkCuit(cuit)).toBeNull()
  })

  it.each(vectors.cuit.valid)('%s is valid without dashes too', (cuit) => {
    expect(checkCuit(cuit.replace(/-/g, ''))).toBeNull()
  })

  it.each(vectors.cuit.invalid)('%s is invalid', (cuit) => {
    const code = checkCuit(cuit)
    expect(code).not.toBeNull()
    expect(code).toMatch(/^cuit_/)
  })

  // DOMAIN.md 7: a computed 10 means the number is not issued with that prefix; a strict validator rejects it.
  it.each(['20-10000005-9', '27-10000002-4', '30-50000002-9'])('%s (computed 10) is rejected as cuit_checksum', (cuit) => {
    expect(checkCuit(cuit)).toBe('cuit_checksum')
  })

  // The same numbers under the prefix AFIP really issues (23 / 33) are valid (DOMAIN.md 7 table).
  it.each(['23-10000005-9', '23-10000002-4', '33-50000002-9'])('%s (reassigned prefix) is valid', (cuit) => {
    expect(checkCuit(cuit)).toBeNull()
  })

  it('each invalid vector fails for its own reason', () => {
    expect(checkCuit('20-12345678-7')).toBe('cuit_checksum') // 6 is right
    expect(checkCuit('20-26756539-2')).toBe('cuit_checksum') // 3 is right
    expect(checkCuit('99-12345678-6')).toBe('cuit_prefix')
    expect(checkCuit('20-1234567-6')).toBe('cuit_format') // 7 digits in the middle
    expect(checkCuit('2012345678')).toBe('cuit_format') // 10 digits
  })

  it('r = 11 gives check digit 0 (27-12345678: sum 176)', () => {
    expect(checkCuit('27-12345678-0')).toBeNull()
    expect(checkCuit('27-12345678-1')).toBe('cuit_checksum')
  })

  it('garbage and wrong lengths are format errors', () => {
    expect(checkCuit('')).toBe('cuit_format')
    expect(checkCuit('20-12345678-6-1')).toBe('cuit_format')
    expect(checkCuit('201234567860')).toBe('cuit_format') // 12 digits
    expect(checkCuit('2O-12345678-6')).toBe('cuit_format') // letter O
  })

  it('normalises to XX-XXXXXXXX-X', () => {
    expect(normalizeCuit('20123456786')).toBe('20-12345678-6')
    expect(normalizeCuit(' 30-71234567-1 ')).toBe('30-71234567-1')
  })
})

describe('Argentine CBU (DOMAIN.md 5.2)', () => {
  it('the vectors file has CBUs to test', () => {
    expect(vectors.cbu_argentina.valid.length).toBeGreaterThanOrEqual(2)
    expect(vectors.cbu_argentina.invalid.length).toBeGreaterThanOrEqual(1)
  })

  it.each(vectors.cbu_argentina.valid)('%s is valid', (cbu) => {
    expect(checkCbu(cbu)).toBeNull()
  })

  it.each(vectors.cbu_argentina.invalid)('%s is invalid', (cbu) => {
    expect(checkCbu(cbu)).toBe('cbu_checksum')
  })

  it('a wrong check digit in the first block (position 8) is refused', () => {
    // 0110012920000091344977: block 1 = 0110012|9 → changing the 9 breaks it, block 2 untouched.
    expect(checkCbu('0110012820000091344977')).toBe('cbu_checksum')
  })

  it('spaces and dashes are accepted and normalised away', () => {
    expect(checkCbu('0110012 9 2000009134497 7')).toBeNull()
    expect(checkCbu('01100129-20000091344977')).toBeNull()
    expect(normalizeCbu('0110012 9-2000009134497 7')).toBe('0110012920000091344977')
  })

  it.each(['', '011001292000009134497', '01100129200000913449770', '011001292000009134497A', '0110.012920000091344977'])(
    '%s has the wrong format',
    (cbu) => {
      expect(checkCbu(cbu)).toBe('cbu_format')
    }
  )
})
