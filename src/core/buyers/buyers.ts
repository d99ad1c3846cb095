import { z } from 'zod'
import { BUYER_TYPES, TAX_TREATMENTS } from '../../shared/catalogue.ts'
import type { FieldErrors } from '../../shared/errors.ts'
import { COUNTRIES, EU_COUNTRIES, LANGUAGES } from '../../shared/reference.ts'
import { type Contact, contactInput, deleteContacts, getContacts, replaceContacts } from '../catalogue/contacts.ts'
import type { Workspace } from '../db/workspace.ts'
import { deleteUnused, type ListInput, listRows, requireRow } from '../common/records.ts'
import { checkVatId, normalizeVatId, vatCountry } from '../validate/vat.ts'
import { checkedId, evenWithFieldErrors, FieldProblems, optionalPostalCode, optionalText, postalCodeFits, requiredText } from '../common/zod.ts'

/** A buyer: a local group, a shop, a hub that orders for sub-buyers, or an individual. */
export const buyerInput = z
  .object({
    id: z.uuid().optional(),
    name: requiredText(200),
    type: z.enum(BUYER_TYPES, { message: 'invalid' }),
    street: optionalText(200),
    postalCode: optionalPostalCode(),
    city: optionalText(100),
    country: z.enum(COUNTRIES, { message: 'country' }),
    language: z.enum(LANGUAGES, { message: 'language' }),
    vatId: checkedId(normalizeVatId, checkVatId),
    taxTreatment: z.enum(TAX_TREATMENTS, { message: 'invalid' }),
    hubId: z.uuid().nullish().transform((h) => h ?? null),
    deliveryPreference: optionalText(200),
    notes: optionalText(4000, { multiline: true }),
    contacts: z.array(contactInput).max(20).default([]),
    /** The e-invoice the buyer gets: Factur-X EN 16931 (default) or XRechnung (CII); absent: unchanged. */
    einvoiceProfile: z.enum(['en16931', 'xrechnung'], { message: 'invalid' }).optional(),
    /** The buyer's reference for its invoices (BT-10; a Leitweg-ID for XRechnung); absent: unchanged. */
    buyerReference: z
      .string()
      .trim()
      .max(100)
      .nullish()
      .transform((s) => (s === undefined ? undefined : s || null))
  })
  .superRefine((b, ctx) => {
    // An EU business is invoiced without VAT only with a VAT ID of another member state.
    if (b.taxTreatment === 'eu_business' && !b.vatId) ctx.addIssue({ code: 'custom', message: 'required', path: ['vatId'] })
    if (typeof b.vatId === 'string' && !EU_COUNTRIES.includes(vatCountry(b.vatId)) && vatCountry(b.vatId) !== 'GB')
      ctx.addIssue({ code: 'custom', message: 'vat_country', path: ['vatId'] })
    // A hub orders for others and belongs to no hub; a buyer is not its own hub.
    if (b.einvoiceProfile === 'xrechnung' && !b.buyerReference) ctx.addIssue({ code: 'custom', message: 'required', path: ['buyerReference'] })
    if (b.hubId && (b.type === 'hub' || b.hubId === b.id)) ctx.addIssue({ code: 'custom', message: 'hub_cycle', path: ['hubId'] })
    postalCodeFits(b, ctx)
  }, evenWithFieldErrors)
export type BuyerInput = z.input<typeof buyerInput>

export interface BuyerRow {
  id: string
  name: string
  type: string
  city: string | null
  country: string
  language: string
  taxTreatment: string
  hubId: string | null
  hubName: string | null
  archived: boolean
}

export interface Buyer extends BuyerRow {
  street: string | null
  postalCode: string | null
  vatId: string | null
  deliveryPreference: string | null
  notes: string | null
  einvoiceProfile: 'en16931' | 'xrechnung'
  buyerReference: string | null
  contacts: Contact[]
  members: { id: string; name: string }[]
  updatedAt: string
}

const SELECT = `t.id, t.name, t.type, t.city, t.country, t.language, t.tax_treatment AS taxTreatment, t.hub_id AS hubId,
  h.name AS hubName, t.archived_at IS NOT NULL AS archived`

export const buyerListInput = z.object({ hubId: z.uuid().optional(), type: z.enum(BUYER_TYPES).optional() })

export function listBuyers(ws: Workspace, input: ListInput & z.output<typeof buyerListInput>) {
  const where = []
  if (input.hubId) where.push({ sql: 't.hub_id = ?', params: [input.hubId] })
  if (input.type) where.push({ sql: 't.type = ?', params: [input.type] })
  const page = listRows<BuyerRow>(
    ws.db,
    {
      from: 'buyer t LEFT JOIN buyer h ON h.id = t.hub_id',
      select: SELECT,
      search: ['t.name', 't.city', 't.vat_id', 'h.name'],
      sorts: { name: 't.name COLLATE NOCASE', city: 't.city COLLATE NOCASE', country: 't.country', type: 't.type', hub: 'h.name COLLATE NOCASE' },
      where
    },
    input
  )
  return { ...page, rows: page.rows.map((r) => ({ ...r, archived: Boolean(r.archived) })) }
}

export function getBuyer(ws: Workspace, id: string): Buyer {
  requireRow(ws.db, 'buyer', id)
  const row = ws.db
    .prepare(
      `SELECT ${SELECT}, t.street, t.postal_code AS postalCode, t.vat_id AS vatId, t.delivery_preference AS deliveryPreference,
        t.notes, t.einvoice_profile AS einvoiceProfile, t.buyer_reference AS buyerReference, t.updated_at AS updatedAt FROM buyer t LEFT JOIN buyer h ON h.id = t.hub_id WHERE t.id = ?`
    )
    .get(id) as Omit<Buyer, 'contacts' | 'members'>
  const members = ws.db
    .prepare('SELECT id, name FROM buyer WHERE hub_id = ? AND deleted_at IS NULL ORDER BY name COLLATE NOCASE')
    .all(id) as { id: string; name: string }[]
  return { ...row, archived: Boolean(row.archived), contacts: getContacts(ws.db, 'buyer_id', id), members }
}

/** A hub parent must be a hub, hubs do not nest, and a hub with members stays a hub. */
function hubRules(ws: Workspace, input: { id?: string | undefined; type: string | null; hubId: string | null }, problems: FieldProblems): void {
  if (input.hubId) {
    const hub = ws.db.prepare('SELECT type, hub_id FROM buyer WHERE id = ? AND deleted_at IS NULL').get(input.hubId) as
      | { type: string; hub_id: string | null }
      | undefined
    if (!hub || hub.type !== 'hub') problems.add('hubId', 'hub_type')
    else if (input.type === 'hub' || input.hubId === input.id) problems.add('hubId', 'hub_cycle')
  }
  if (input.id && input.type !== null && input.type !== 'hub') {
    const members = (ws.db.prepare('SELECT count(*) AS n FROM buyer WHERE hub_id = ? AND deleted_at IS NULL').get(input.id) as { n: number }).n
    if (members > 0) problems.add('type', 'hub_type')
  }
}

/** The workspace's rules on a buyer as sent, when the input failed its schema (see `mutation`'s check). */
export function checkSentBuyer(ws: Workspace, raw: unknown): FieldErrors {
  const r = (raw !== null && typeof raw === 'object' ? raw : {}) as Record<string, unknown>
  const uuid = (v: unknown) => (z.uuid().safeParse(v).success ? (v as string) : undefined)
  const type = (BUYER_TYPES as readonly unknown[]).includes(r.type) ? (r.type as string) : null
  const problems = new FieldProblems()
  hubRules(ws, { id: uuid(r.id), type, hubId: uuid(r.hubId) ?? null }, problems)
  return problems.fields
}

/**
 * Creates or updates a buyer; a hub parent must be a hub, and hubs do not nest. Every problem found is
 * reported at once. Call inside a transaction.
 */
export function saveBuyer(ws: Workspace, input: z.output<typeof buyerInput>): Buyer {
  const problems = new FieldProblems()
  hubRules(ws, input, problems)
  problems.throwIfAny()
  const values = {
    name: input.name,
    type: input.type,
    street: input.street,
    postal_code: input.postalCode,
    city: input.city,
    country: input.country,
    language: input.language,
    vat_id: input.vatId,
    tax_treatment: input.taxTreatment,
    hub_id: input.hubId,
    delivery_preference: input.deliveryPreference,
    notes: input.notes,
    ...(input.einvoiceProfile !== undefined ? { einvoice_profile: input.einvoiceProfile } : {}),
    ...(input.buyerReference !== undefined ? { buyer_reference: input.buyerReference } : {})
  }
  let id = input.id
  if (id) {
    requireRow(ws.db, 'buyer', id)
    ws.write.update('buyer', id, values)
  } else {
    id = ws.env.uuid()
    ws.write.insert('buyer', { id, ...values })
  }
  replaceContacts(ws, 'buyer_id', id, input.contacts)
  return getBuyer(ws, id)
}

export function deleteBuyer(ws: Workspace, id: string): void {
  deleteUnused(
    ws,
    'buyer',
    id,
    [
      'SELECT count(*) AS n FROM buyer WHERE hub_id = ? AND deleted_at IS NULL',
      'SELECT count(*) AS n FROM buyer_order WHERE buyer_id = ? AND deleted_at IS NULL',
      'SELECT count(*) AS n FROM order_line WHERE sub_buyer_id = ?',
      'SELECT count(*) AS n FROM invoice WHERE buyer_id = ? AND deleted_at IS NULL'
    ],
    () => deleteContacts(ws, 'buyer_id', id)
  )
}
