import { z } from 'zod'
import { COUNTRIES, CURRENCIES, LANGUAGES } from '../../shared/reference.ts'
import type { Workspace } from '../db/workspace.ts'
import { checkBic, checkIban, normalizeBic, normalizeIban } from '../validate/bank.ts'
import { checkEori, checkVatId, normalizeVatId } from '../validate/vat.ts'
import { checkedId, evenWithFieldErrors, optionalPostalCode, optionalText, postalCodeFits, requiredText } from '../common/zod.ts'
import { stamp } from '../common/env.ts'
import { isTimeZone, utcToZoned } from '../common/time.ts'
import { defaultTimeZone } from '../../shared/vocabulary.ts'


export const LOGO_MAX_BYTES = 1024 * 1024

const logoSchema = z
  .string()
  .max(Math.ceil((LOGO_MAX_BYTES * 4) / 3) + 64, { message: 'logo_too_large' })
  .transform((dataUrl, ctx) => {
    const m = /^data:(image\/(?:png|jpeg));base64,([A-Za-z0-9+/=]+)$/.exec(dataUrl)
    const bytes = m ? Buffer.from(m[2]!, 'base64') : null
    const png = bytes && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
    const jpeg = bytes && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff
    if (!m || !bytes || !(m[1] === 'image/png' ? png : jpeg)) {
      ctx.addIssue({ code: 'custom', message: 'logo_type' })
      return z.NEVER
    }
    if (bytes.length > LOGO_MAX_BYTES) {
      ctx.addIssue({ code: 'custom', message: 'logo_too_large' })
      return z.NEVER
    }
    return { mime: m[1] as 'image/png' | 'image/jpeg', bytes }
  })

/** What the settings form sends. `logo`: a data URL to set, null to remove, absent to keep. */
export const organisationInput = z.object({
  name: requiredText(200),
  street: optionalText(200),
  postalCode: optionalPostalCode(),
  city: optionalText(100),
  country: z.enum(COUNTRIES, { message: 'country' }),
  taxNumber: optionalText(40),
  vatId: checkedId(normalizeVatId, checkVatId),
  eori: checkedId((s) => s.replace(/\s+/g, '').toUpperCase(), checkEori),
  iban: checkedId(normalizeIban, checkIban),
  bic: checkedId(normalizeBic, checkBic),
  bankName: optionalText(100),
  email: z
    .string()
    .trim()
    .max(200)
    .nullish()
    .transform((s) => s || null)
    .pipe(z.email({ message: 'email' }).nullable()),
  phone: optionalText(40),
  smallBusiness: z.boolean(),
  /** Registered for VAT, so import VAT is deducted as input tax; absent: unchanged (new: yes). */
  vatRegistered: z.boolean().optional(),
  defaultLanguage: z.enum(LANGUAGES, { message: 'language' }),
  defaultCurrency: z.enum(CURRENCIES, { message: 'currency' }),
  /** New rounds' deadlines are in this zone; empty: the country's (see `defaultTimeZone`); absent: unchanged. */
  timeZone: z
    .string()
    .trim()
    .max(64)
    .nullish()
    .transform((s) => (s === undefined ? undefined : s || null))
    .refine((s) => !s || isTimeZone(s), { message: 'time_zone' }),
  logo: logoSchema.nullable().optional()
}).superRefine(postalCodeFits, evenWithFieldErrors)
export type OrganisationInput = z.input<typeof organisationInput>

export interface Organisation {
  id: string | null
  name: string
  street: string | null
  postalCode: string | null
  city: string | null
  country: string
  taxNumber: string | null
  vatId: string | null
  eori: string | null
  iban: string | null
  bic: string | null
  bankName: string | null
  email: string | null
  phone: string | null
  smallBusiness: boolean
  /** Import VAT is deductible (not a landed cost) only when registered and not a small business. */
  vatRegistered: boolean
  defaultLanguage: (typeof LANGUAGES)[number]
  defaultCurrency: (typeof CURRENCIES)[number]
  /** The time zone chosen in the settings, or null. */
  timeZone: string | null
  /** The time zone new rounds take: the chosen one, else the country's. */
  effectiveTimeZone: string
  /** The logo as a data URL for display, or null. */
  logo: string | null
  updatedAt: string | null
}

interface Row {
  id: string
  name: string
  street: string | null
  postal_code: string | null
  city: string | null
  country: string
  tax_number: string | null
  vat_id: string | null
  eori: string | null
  iban: string | null
  bic: string | null
  bank_name: string | null
  email: string | null
  phone: string | null
  small_business: number
  vat_registered: number
  default_language: Organisation['defaultLanguage']
  default_currency: Organisation['defaultCurrency']
  time_zone: string | null
  logo: Buffer | null
  logo_mime: string | null
  updated_at: string
}

const EMPTY: Organisation = {
  id: null,
  name: '',
  street: null,
  postalCode: null,
  city: null,
  country: 'DE',
  taxNumber: null,
  vatId: null,
  eori: null,
  iban: null,
  bic: null,
  bankName: null,
  email: null,
  phone: null,
  smallBusiness: false,
  vatRegistered: true,
  defaultLanguage: 'de',
  defaultCurrency: 'EUR',
  timeZone: null,
  effectiveTimeZone: defaultTimeZone('DE'),
  logo: null,
  updatedAt: null
}

export function getOrganisation(ws: Workspace): Organisation {
  const row = ws.db.prepare('SELECT * FROM organisation WHERE deleted_at IS NULL LIMIT 1').get() as Row | undefined
  if (!row) return { ...EMPTY }
  return {
    id: row.id,
    name: row.name,
    street: row.street,
    postalCode: row.postal_code,
    city: row.city,
    country: row.country,
    taxNumber: row.tax_number,
    vatId: row.vat_id,
    eori: row.eori,
    iban: row.iban,
    bic: row.bic,
    bankName: row.bank_name,
    email: row.email,
    phone: row.phone,
    smallBusiness: row.small_business === 1,
    vatRegistered: row.vat_registered === 1,
    defaultLanguage: row.default_language,
    defaultCurrency: row.default_currency,
    timeZone: row.time_zone,
    effectiveTimeZone: row.time_zone && isTimeZone(row.time_zone) ? row.time_zone : defaultTimeZone(row.country),
    logo: row.logo && row.logo_mime ? `data:${row.logo_mime};base64,${row.logo.toString('base64')}` : null,
    updatedAt: row.updated_at
  }
}

/** Saves the organisation (there is one per workspace). Call inside a transaction. */
export function saveOrganisation(ws: Workspace, input: z.output<typeof organisationInput>): Organisation {
  const existing = ws.db.prepare('SELECT id FROM organisation WHERE deleted_at IS NULL LIMIT 1').get() as
    | { id: string }
    | undefined
  const values = {
    name: input.name,
    street: input.street,
    postal_code: input.postalCode,
    city: input.city,
    country: input.country,
    tax_number: input.taxNumber,
    vat_id: input.vatId,
    eori: input.eori,
    iban: input.iban,
    bic: input.bic,
    bank_name: input.bankName,
    email: input.email,
    phone: input.phone,
    small_business: input.smallBusiness,
    vat_registered: input.vatRegistered === undefined ? undefined : input.vatRegistered ? 1 : 0,
    default_language: input.defaultLanguage,
    default_currency: input.defaultCurrency,
    // Absent (an older caller): the zone stays as it is.
    time_zone: input.timeZone,
    // undefined: the logo stays as it is; null removes it.
    logo: input.logo === undefined ? undefined : (input.logo?.bytes ?? null),
    logo_mime: input.logo === undefined ? undefined : (input.logo?.mime ?? null)
  }
  if (existing) ws.write.update('organisation', existing.id, values)
  else ws.write.insert('organisation', { id: ws.env.uuid(), ...values })
  return getOrganisation(ws)
}

/** Today in the organisation's time zone (YYYY-MM-DD): a document made at 00:30 in Berlin bears that day, not the UTC one. */
export function organisationToday(ws: Workspace): string {
  return utcToZoned(stamp(ws.env), getOrganisation(ws).effectiveTimeZone).slice(0, 10)
}
