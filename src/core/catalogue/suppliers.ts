import { z } from 'zod'
import { MIN_ORDER_ACTIONS, type MinOrderAction } from '../../shared/catalogue.ts'
import { AppError, type FieldErrorCode, type FieldErrors } from '../../shared/errors.ts'
import { COUNTRIES, CURRENCIES } from '../../shared/reference.ts'
import type { Workspace } from '../db/workspace.ts'
import type { Values } from '../db/writer.ts'
import { deleteUnused, type ListInput, listRows, requireRow, setArchived } from '../common/records.ts'
import { currencyDigits } from '../reference/reference.ts'
import { checkCbu, checkCuit, normalizeCbu, normalizeCuit } from '../validate/ar.ts'
import { checkBic, checkIban, normalizeBic, normalizeIban } from '../validate/bank.ts'
import { amountMinor, checkedId, evenWithFieldErrors, FieldProblems, optionalAmount, optionalPostalCode, optionalText, optionalUrl, postalCodeFits, requiredText } from '../common/zod.ts'
import { type Contact, contactInput, deleteContacts, getContacts, replaceContacts } from './contacts.ts'

/**
 * A supplier as the form sends it. `exporterOfRecord`: the cooperative does its export papers itself, and
 * others may ship through it; `exporterId`: for one that does not, the exporter of record that gets its
 * purchase orders. The minimum order value is typed in the major unit of `minOrderCurrency`.
 */
export const supplierInput = z
  .object({
    id: z.uuid().optional(),
    code: z
      .string()
      .trim()
      .max(12)
      .regex(/^[A-Za-z0-9-]*$/, { message: 'invalid' })
      .nullish()
      .transform((s) => (s ? s.toUpperCase() : null)),
    name: requiredText(200),
    shortName: optionalText(80),
    legalForm: optionalText(80),
    kind: optionalText(80),
    cuit: checkedId(normalizeCuit, checkCuit),
    street: optionalText(200),
    postalCode: optionalPostalCode(),
    city: optionalText(100),
    province: optionalText(100),
    country: z.enum(COUNTRIES, { message: 'country' }),
    sector: optionalText(100),
    sourceUrl: optionalUrl(),
    notes: optionalText(4000, { multiline: true }),
    cbu: checkedId(normalizeCbu, checkCbu),
    iban: checkedId(normalizeIban, checkIban),
    bic: checkedId(normalizeBic, checkBic),
    bankName: optionalText(100),
    exporterOfRecord: z.boolean().default(false),
    exporterId: z.uuid({ message: 'exporter_unknown' }).nullish().transform((v) => v ?? null),
    minOrderValue: optionalAmount(),
    minOrderCurrency: z.enum(CURRENCIES, { message: 'currency' }).nullish().transform((v) => v ?? null),
    minOrderAction: z.enum(MIN_ORDER_ACTIONS, { message: 'invalid' }).default('warn'),
    contacts: z.array(contactInput).max(20).default([])
  })
  .superRefine((s, ctx) => {
    if (s.exporterId && s.exporterId === s.id) ctx.addIssue({ code: 'custom', message: 'exporter_self', path: ['exporterId'] })
    else if (s.exporterId && s.exporterOfRecord) ctx.addIssue({ code: 'custom', message: 'exporter_own', path: ['exporterId'] })
    postalCodeFits(s, ctx)
    if (s.minOrderValue !== null && !s.minOrderCurrency) ctx.addIssue({ code: 'custom', message: 'required', path: ['minOrderCurrency'] })
  }, evenWithFieldErrors)
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
  /** The exporter of record this cooperative ships through, or null. */
  exporterId: string | null
  exporterName: string | null
  exporterShortName: string | null
  archived: boolean
  products: number
}

export interface Supplier extends Omit<SupplierRow, 'products' | 'exporterShortName'> {
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
  /** The smallest order value, in minor units of its currency, or null for none. */
  minOrderMinor: number | null
  minOrderCurrency: string | null
  minOrderAction: MinOrderAction
  /** The currency most of its products are priced in, or null without products. */
  priceCurrency: string | null
  contacts: Contact[]
  /** The cooperatives that ship through this one (when it is an exporter of record). */
  exportsFor: { id: string; name: string }[]
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
  t.exporter_of_record AS exporterOfRecord, t.exporter_id AS exporterId, x.name AS exporterName, t.archived_at IS NOT NULL AS archived`
const FROM = 'supplier t LEFT JOIN supplier x ON x.id = t.exporter_id'

/** `exporterOfRecord: true` lists only the suppliers others can ship through. */
export const supplierListInput = z.object({ exporterOfRecord: z.boolean().optional() })

export function listSuppliers(ws: Workspace, input: ListInput & z.output<typeof supplierListInput>) {
  const page = listRows<SupplierRow>(
    ws.db,
    {
      from: FROM,
      select: `${SELECT}, x.short_name AS exporterShortName, (SELECT count(*) FROM product p WHERE p.supplier_id = t.id AND p.deleted_at IS NULL AND p.archived_at IS NULL) AS products`,
      search: ['t.name', 't.short_name', 't.code', 't.cuit', 't.city', 't.sector', 'x.name'],
      sorts: {
        name: 't.name COLLATE NOCASE',
        shortName: 'coalesce(t.short_name, t.name) COLLATE NOCASE',
        code: 't.code',
        city: 't.city COLLATE NOCASE',
        country: 't.country',
        sector: 't.sector COLLATE NOCASE',
        exporter: 'x.name COLLATE NOCASE'
      },
      where: input.exporterOfRecord === undefined ? [] : [{ sql: 't.exporter_of_record = ?', params: [input.exporterOfRecord ? 1 : 0] }]
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
    .prepare(
      `SELECT t.id, ${cols}, t.exporter_of_record AS exporterOfRecord, t.exporter_id AS exporterId, x.name AS exporterName,
        t.min_order_minor AS minOrderMinor, t.min_order_currency AS minOrderCurrency, t.min_order_action AS minOrderAction,
        t.archived_at IS NOT NULL AS archived, t.updated_at AS updatedAt FROM ${FROM} WHERE t.id = ?`
    )
    .get(id) as Omit<Supplier, 'contacts' | 'exportsFor' | 'priceCurrency'>
  const exportsFor = ws.db
    .prepare('SELECT id, name FROM supplier WHERE exporter_id = ? AND deleted_at IS NULL ORDER BY name COLLATE NOCASE')
    .all(id) as { id: string; name: string }[]
  const currency = ws.db
    .prepare(
      `SELECT currency FROM product WHERE supplier_id = ? AND deleted_at IS NULL AND archived_at IS NULL
       GROUP BY currency ORDER BY count(*) DESC, currency LIMIT 1`
    )
    .get(id) as { currency: string } | undefined
  return {
    ...row,
    priceCurrency: currency?.currency ?? null,
    exporterOfRecord: Boolean(row.exporterOfRecord),
    archived: Boolean(row.archived),
    contacts: getContacts(ws.db, 'supplier_id', id),
    exportsFor
  }
}

/**
 * The exporter of record a supplier may ship through: an existing supplier other than itself, marked as
 * exporting itself, not archived (unless it is already the one), and not shipping through this one in turn.
 * A supplier that exports itself ships through no one, and stays marked while others ship through it.
 */
function exporterProblem(ws: Workspace, input: Sent): FieldErrorCode | null {
  if (!input.exporterId) return null
  if (input.exporterId === input.id) return 'exporter_self'
  const x = ws.db
    .prepare('SELECT exporter_of_record AS flagged, archived_at IS NOT NULL AS archived FROM supplier WHERE id = ? AND deleted_at IS NULL')
    .get(input.exporterId) as { flagged: number; archived: number } | undefined
  if (!x) return 'exporter_unknown'
  if (!x.flagged) return 'exporter_not_flagged'
  const current = input.id
    ? (ws.db.prepare('SELECT exporter_id AS exporterId FROM supplier WHERE id = ?').get(input.id) as { exporterId: string | null }).exporterId
    : null
  if (x.archived && current !== input.exporterId) return 'exporter_archived'
  if (input.id) {
    // Data saved before these checks may hold a chain of exporters; none may lead back here.
    const cycle = ws.db
      .prepare(
        `WITH RECURSIVE up(id, depth) AS (SELECT exporter_id, 1 FROM supplier WHERE id = ?
           UNION SELECT s.exporter_id, up.depth + 1 FROM supplier s JOIN up ON s.id = up.id WHERE up.depth < 100)
         SELECT 1 FROM up WHERE id = ? LIMIT 1`
      )
      .get(input.exporterId, input.id)
    if (cycle) return 'exporter_cycle'
  }
  if (input.exporterOfRecord) return 'exporter_own'
  return null
}

/** What the workspace's rules look at: the supplier's id, code and exporter. */
type Sent = Pick<z.output<typeof supplierInput>, 'code' | 'exporterId' | 'exporterOfRecord'> & { id?: string | undefined }

/** The exporter of record, whether others still ship through this one, a code another supplier has. */
function workspaceRules(ws: Workspace, input: Sent, problems: FieldProblems): void {
  const exporter = exporterProblem(ws, input)
  if (exporter) problems.add('exporterId', exporter)
  if (input.id && !input.exporterOfRecord) {
    const n = (ws.db.prepare('SELECT count(*) AS n FROM supplier WHERE exporter_id = ? AND deleted_at IS NULL').get(input.id) as { n: number }).n
    if (n > 0) problems.add('exporterOfRecord', 'exporter_in_use')
  }
  if (input.code) {
    const clash = ws.db
      .prepare('SELECT id FROM supplier WHERE code = ? AND deleted_at IS NULL AND id IS NOT ?')
      .get(input.code, input.id ?? null)
    if (clash) problems.add('code', 'duplicate')
  }
}

/**
 * The workspace's rules on a supplier as sent, when the input failed its schema: they come with the
 * schema's problems (see `mutation`'s check), for the fields that could be read.
 */
export function checkSentSupplier(ws: Workspace, raw: unknown): FieldErrors {
  const r = (raw !== null && typeof raw === 'object' ? raw : {}) as Record<string, unknown>
  const uuid = (v: unknown) => (z.uuid().safeParse(v).success ? (v as string) : undefined)
  const code = typeof r.code === 'string' && /^[A-Za-z0-9-]{1,12}$/.test(r.code.trim()) ? r.code.trim().toUpperCase() : null
  const problems = new FieldProblems()
  workspaceRules(ws, { id: uuid(r.id), code, exporterId: uuid(r.exporterId) ?? null, exporterOfRecord: r.exporterOfRecord === true }, problems)
  return problems.fields
}

/**
 * The checks that need the workspace, all of them, so that the form hears of every problem at once: the
 * exporter of record, whether others still ship through this one, the minimum order value in its
 * currency, a code another supplier has. Returns the minimum order value in minor units (or null).
 */
function checkSupplier(ws: Workspace, input: z.output<typeof supplierInput>): number | null {
  const problems = new FieldProblems()
  workspaceRules(ws, input, problems)
  let minor: number | null = null
  if (input.minOrderValue !== null && input.minOrderCurrency) {
    let digits: number | null = null
    try {
      digits = currencyDigits(ws, input.minOrderCurrency)
    } catch (e) {
      if (!(e instanceof AppError && e.code === 'validation')) throw e
      problems.add('minOrderCurrency', 'currency')
    }
    if (digits !== null) {
      const read = amountMinor(input.minOrderValue, digits)
      if ('minor' in read) minor = read.minor
      else problems.add('minOrderValue', read.code, read.params)
    }
  }
  problems.throwIfAny()
  return minor
}

/** Creates or (with `id`) updates a supplier and its contacts. Call inside a transaction. */
export function saveSupplier(ws: Workspace, input: z.output<typeof supplierInput>): Supplier {
  if (input.id) requireRow(ws.db, 'supplier', input.id)
  const minMinor = checkSupplier(ws, input)
  const values: Values = {
    exporter_of_record: input.exporterOfRecord,
    exporter_id: input.exporterId,
    min_order_minor: minMinor,
    min_order_currency: minMinor === null ? null : input.minOrderCurrency,
    min_order_action: input.minOrderAction
  }
  for (const [k, c] of Object.entries(COLUMNS)) values[c] = input[k as keyof typeof COLUMNS]
  let id = input.id
  if (id) {
    ws.write.update('supplier', id, values)
  } else {
    id = ws.env.uuid()
    ws.write.insert('supplier', { id, ...values })
  }
  replaceContacts(ws, 'supplier_id', id, input.contacts)
  return getSupplier(ws, id)
}

export function deleteSupplier(ws: Workspace, id: string): void {
  deleteUnused(
    ws,
    'supplier',
    id,
    [
      'SELECT count(*) AS n FROM product WHERE supplier_id = ? AND deleted_at IS NULL',
      'SELECT count(*) AS n FROM round_supplier WHERE supplier_id = ? AND deleted_at IS NULL',
      'SELECT count(*) AS n FROM supplier WHERE exporter_id = ? AND deleted_at IS NULL',
      'SELECT count(*) AS n FROM purchase_order WHERE supplier_id = ? AND deleted_at IS NULL'
    ],
    () => deleteContacts(ws, 'supplier_id', id)
  )
}

/**
 * Archives or restores a supplier. An exporter of record that active cooperatives still ship through
 * stays: their purchase orders would go to an archived supplier (they need another exporter first).
 */
export function archiveSupplier(ws: Workspace, id: string, archived: boolean): void {
  if (archived) {
    const users = ws.db
      .prepare('SELECT name FROM supplier WHERE exporter_id = ? AND deleted_at IS NULL AND archived_at IS NULL ORDER BY name COLLATE NOCASE')
      .all(id) as { name: string }[]
    if (users.length) throw new AppError('supplier.exporter_in_use', { count: users.length, names: users.map((u) => u.name).join(', ') })
  }
  setArchived(ws, 'supplier', id, archived)
}
