/**
 * Errors cross every boundary (IPC, HTTP) as plain data: a stable code and its parameters. The UI
 * translates `errors.<code>` (and `fieldErrors.<code>` for a field) with the parameters.
 */
export const ERROR_CODES = [
  'api.unknown_method',
  'api.bad_request',
  'api.too_large',
  'validation',
  'internal',
  'workspace.none',
  'workspace.not_found',
  'workspace.not_puente',
  'workspace.too_new',
  'workspace.busy',
  'backup.failed',
  'backup.not_found',
  'backup.invalid',
  'job.cancelled',
  'shell.unsupported',
  'record.not_found',
  'record.in_use',
  'round.transition',
  'round.has_orders',
  'round.locked',
  'round.use_closing',
  'round.no_suppliers',
  'round.deadline_past',
  'round.closed',
  'round.box_fill',
  'round.box_fill_full',
  'round.product_unavailable',
  'round.product_not_offered',
  'round.product_blocked',
  'round.no_price',
  'round.unpriced',
  'round.unpriced_more',
  'host.forbidden',
  'host.bad_token',
  'purchaseOrder.not_draft',
  'consolidation.over_distributed',
  'exchange.no_rate',
  'shipment.po_draft',
  'shipment.nothing_left',
  'shipment.papers_measures',
  'shipment.papers_no_packages',
  'landed.no_lines',
  'landed.no_cn_code',
  'landed.no_duty_rate',
  'landed.no_duty_quantity',
  'landed.no_vat_rate',
  'landed.no_basis',
  'supplier.exporter_in_use',
  'import.blocked',
  'payment.reference_base',
  'payment.epc_field',
  'payment.epc_too_long',
  'payment.qr_version',
  'payments.sepa_empty',
  'payments.sepa_amount',
  'payments.sepa_currency',
  'payments.sepa_iban',
  'payments.sepa_not_sepa',
  'payments.sepa_bic',
  'payments.sepa_name',
  'payments.sepa_id',
  'payments.sepa_date',
  'documents.font_missing',
  'invoices.not_ready',
  'invoices.already_issued',
  'invoices.not_creditable',
  'invoices.already_credited',
  'invoices.round_open',
  'invoices.not_deposit',
  'invoices.no_organisation',
  'invoices.no_xml',
  'invoices.payment_too_large',
  'payments.not_camt',
  'payments.too_many',
  'payments.already_matched',
  'payments.not_buyers',
  'payments.no_refunds',
  'payments.nothing_open',
  'payments.no_iban',
  'distribution.nothing',
  'distribution.not_handed_out',
  'distribution.no_proposal',
  'payments.csv_layout',
  'payments.refund_too_large',
  'supplierPayments.draft',
  'supplierPayments.too_large',
  'closing.already_closed',
  'closing.not_closed',
  'closing.not_invoiced',
  'closing.drafts',
  'closing.no_landed',
  'closing.unpaid_orders',
  'closing.open_balances',
  'closing.negative_reserve',
  'closing.confirm',
  'closing.no_transfers'
] as const
export type ErrorCode = (typeof ERROR_CODES)[number]

/** Codes a single input field can fail with; each has a translation under `fieldErrors.`. */
export const FIELD_ERROR_CODES = [
  'required',
  'too_long',
  'control_chars',
  'invalid',
  'email',
  'country',
  'currency',
  'language',
  'iban_country',
  'iban_length',
  'iban_format',
  'iban_checksum',
  'bic_format',
  'bic_country',
  'vat_country',
  'vat_format',
  'vat_checksum',
  'eori_format',
  'logo_type',
  'logo_too_large',
  'duplicate',
  'url',
  'number',
  'too_small',
  'at_least',
  'positive',
  'at_most',
  'decimals',
  'postal_code',
  'postal_code_country',
  'hs_code',
  'sku',
  'name_missing',
  'cuit_format',
  'cuit_prefix',
  'cuit_checksum',
  'cbu_format',
  'cbu_checksum',
  'date',
  'date_format',
  'date_order',
  'hub_type',
  'hub_cycle',
  'in_use',
  'time_zone',
  'datetime',
  'deadline_order',
  'not_past',
  'box_fill_range',
  'step',
  'integer',
  'quantity_negative',
  'quantity_whole',
  'quantity_step',
  'shipment_round',
  'shipment_one_exporter',
  'cn_code',
  'step_in_use',
  'step_case',
  'quantity_max',
  'short_max',
  'received_future',
  'received_past',
  'received_unchanged',
  'not_member',
  'too_large',
  'share_sum',
  'percent',
  'exporter_unknown',
  'exporter_self',
  'exporter_not_flagged',
  'exporter_archived',
  'exporter_cycle',
  'exporter_own',
  'exporter_in_use',
  'number_format',
  'prefix',
  'prefix_taken'
] as const
export type FieldErrorCode = (typeof FIELD_ERROR_CODES)[number]

/**
 * The parameters a field error's message needs: whoever raises one of these codes supplies them, so no
 * message shows a raw `{{placeholder}}` (a test compares this with the de/es/en texts and the raisers).
 */
export const FIELD_ERROR_PARAMS: Partial<Record<FieldErrorCode, readonly string[]>> = {
  too_long: ['max'],
  at_least: ['min'],
  at_most: ['max'],
  decimals: ['digits'],
  date_format: ['pattern', 'example'],
  postal_code_country: ['example'],
  share_sum: ['sum'],
  quantity_whole: ['unit'],
  quantity_step: ['measure', 'step'],
  quantity_max: ['max'],
  short_max: ['max', 'unit']
}

/** The largest amount of money one field takes, in major units (100,000,000.00). */
export const MAX_AMOUNT = 100_000_000
/** The largest quantity one field takes (units, cases, kilograms). */
export const MAX_QUANTITY = 1_000_000
/**
 * The largest file an import takes, and the browser host's largest request body: the upload schema and
 * the host both read this one number, and a refusal names it in MB (`api.too_large`, `{ maxMb }`).
 */
export const MAX_UPLOAD_BYTES = 16 * 1024 * 1024
export const MAX_UPLOAD_MB = MAX_UPLOAD_BYTES / (1024 * 1024)

export interface ErrorPayload {
  code: ErrorCode
  params?: Record<string, unknown>
}

/** For `validation`: the failing fields, by dotted path, each with a field error code. */
export type FieldErrors = Record<string, { code: FieldErrorCode; params?: Record<string, unknown> }>

export type ApiResponse<T> = { ok: true; result: T } | { ok: false; error: ErrorPayload }

export class AppError extends Error {
  readonly code: ErrorCode
  readonly params: Record<string, unknown>
  constructor(code: ErrorCode, params: Record<string, unknown> = {}) {
    super(code)
    this.name = 'AppError'
    this.code = code
    this.params = params
  }
  toPayload(): ErrorPayload {
    return { code: this.code, params: this.params }
  }
}

export function isFieldErrorCode(value: unknown): value is FieldErrorCode {
  return typeof value === 'string' && (FIELD_ERROR_CODES as readonly string[]).includes(value)
}
