import { z } from 'zod'
import { COUNTRIES } from '../../shared/reference.ts'
import type { Workspace } from '../db/workspace.ts'
import { stamp } from '../env.ts'
import { deleteUnused, fieldError, type ListInput, listRows, requireRow } from '../records.ts'
import { checkCbu, checkCuit, normalizeCbu, normalizeCuit } from '../validate/ar.ts'
import { checkBic, checkIban, normalizeBic, normalizeIban } from '../validate/bank.ts'
import { checkedId, optionalText, optionalUrl } from '../zod.ts'
import { type Contact, contactInput, getContacts, replaceContacts } from './contacts.ts'

export const supplierInput = z.object({
  id: z.uuid().optional(),
  code: z
    .string()
    .trim()
    .max(12)
    .regex(/^[A-Za-z0-9-]*$/, { message: 'invalid' })
    .nullish()
    .transform((s) => (s ? s.toUpperCase() : null)),
  name: z.string().trim().min(1).max(200),
  shortName: optionalText(80),
  legalForm: optionalText(80),
  kind: optionalText(80),
  cuit: checkedId(normalizeCuit, checkCuit),
  street: optionalText(200),
  postalCode: optionalText(20),
  city: optionalText(100),
  province: optionalText(100),
  country: z.enum(COUNTRIES, { message: 'country' }),
  sector: optionalText(100),
  sourceUrl: optionalUrl(),
  notes: optionalText(4000),
  cbu: checkedId(normalizeCbu, checkCbu),
  iban: checkedId(normalizeIban, checkIban),
  bic: checkedId(normalizeBic, checkBic),
  bankName: optionalText(100),
  exporterOfRecord: z.boolean().default(false),
  contacts: z.array(contactInput).max(20).default([])
})
export type SupplierInput = z.input<typeof supplierInput>

export interface SupplierRow {
  id: string
  code: string | null
  name: string
  shortName: string | null
  cuit: string | null
  city: string | null
  province: string | null
  country: string
  sector: string | null
  exporterOfRecord: boolean
  archived: boolean
  products: number
}

export interface Supplier extends Omit<SupplierRow, 'products'> {
  legalForm: string | null
  kind: string | null
  street: string | null
  postalCode: string | null
  sourceUrl: string | null
  notes: string | null
  cbu: string | null
  iban: string | null
  bic: string | null
  bankName: string | null
  contacts: Contact[]
  updatedAt: string
}

const COLUMNS = {
  code: 'code',
  name: 'name',
  shortName: 'short_name',
  legalForm: 'legal_form',
  kind: 'kind',
  cuit: 'cuit',
  street: 'street',
  postalCode: 'postal_code',
  city: 'city',
  province: 'province',
  country: 'country',
  sector: 'sector',
  sourceUrl: 'source_url',
  notes: 'notes',
  cbu: 'cbu',
  iban: 'iban',
  bic: 'bic',
  bankName: 'bank_name'
} as const

const SELECT = `t.id, t.code, t.name, t.short_name AS shortName, t.cuit, t.city, t.province, t.country, t.sector,
  t.exporter_of_record AS exporterOfRecord, t.archived_at IS NOT NULL AS archived`

export function listSuppliers(ws: Workspace, input: ListInput) {
  const page = listRows<SupplierRow>(
    ws.db,
    {
      from: 'supplier t',
      select: `${SELECT}, (SELECT count(*) FROM product p WHERE p.supplier_id = t.id AND p.deleted_at IS NULL AND p.archived_at IS NULL) AS products`,
      search: ['t.name', 't.short_name', 't.code', 't.cuit', 't.city', 't.sector'],
      sorts: { name: 't.name COLLATE NOCASE', code: 't.code', city: 't.city COLLATE NOCASE', country: 't.country', sector: 't.sector COLLATE NOCASE' }
    },
    input
  )
  return { ...page, rows: page.rows.map((r) => ({ ...r, exporterOfRecord: Boolean(r.exporterOfRecord), archived: Boolean(r.archived) })) }
}

export function getSupplier(ws: Workspace, id: string): Supplier {
  requireRow(ws.db, 'supplier', id)
  const cols = Object.entries(COLUMNS)
    .map(([k, c]) => `t.${c} AS ${k}`)
    .join(', ')
  const row = ws.db
    .prepare(`SELECT t.id, ${cols}, t.exporter_of_record AS exporterOfRecord, t.archived_at IS NOT NULL AS archived, t.updated_at AS updatedAt FROM supplier t WHERE t.id = ?`)
    .get(id) as Omit<Supplier, 'contacts'>
  return {
    ...row,
    exporterOfRecord: Boolean(row.exporterOfRecord),
    archived: Boolean(row.archived),
    contacts: getContacts(ws.db, 'supplier_id', id)
  }
}

/** Creates or (with `id`) updates a supplier and its contacts. Call inside a transaction. */
export function saveSupplier(ws: Workspace, input: z.output<typeof supplierInput>): Supplier {
  const now = stamp(ws.env)
  const values: Record<string, unknown> = { exporter_of_record: input.exporterOfRecord ? 1 : 0, updated_at: now }
  for (const [k, c] of Object.entries(COLUMNS)) values[c] = input[k as keyof typeof COLUMNS]
  const cols = Object.keys(values)
  if (input.code) {
    const clash = ws.db
      .prepare('SELECT id FROM supplier WHERE code = ? AND deleted_at IS NULL AND id IS NOT ?')
      .get(input.code, input.id ?? null)
    if (clash) throw fieldError('code', 'duplicate')
  }
  let id = input.id
  if (id) {
    requireRow(ws.db, 'supplier', id)
    ws.db.prepare(`UPDATE supplier SET ${cols.map((c) => `${c} = @${c}`).join(', ')} WHERE id = @id`).run({ ...values, id })
  } else {
    id = ws.env.uuid()
    ws.db
      .prepare(`INSERT INTO supplier (id, created_at, ${cols.join(', ')}) VALUES (@id, @created_at, ${cols.map((c) => '@' + c).join(', ')})`)
      .run({ ...values, id, created_at: now })
  }
  replaceContacts(ws.db, ws.env, 'supplier_id', id, input.contacts)
  return getSupplier(ws, id)
}

export function deleteSupplier(ws: Workspace, id: string): void {
  deleteUnused(ws.db, 'supplier', id, ['SELECT count(*) AS n FROM product WHERE supplier_id = ?', 'SELECT count(*) AS n FROM round_supplier WHERE supplier_id = ?'], ['DELETE FROM contact WHERE supplier_id = ?'])
}
