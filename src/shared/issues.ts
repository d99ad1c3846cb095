import type { FieldErrorCode } from './errors.ts'

/**
 * What an import found wrong with a file or a row. Each issue names the text that explains it:
 * `importErrors.<code>` or, for a product field, `fieldErrors.<code>` (then `field` says which).
 */
export const IMPORT_ERROR_CODES = [
  'unreadable',
  'old_excel',
  'empty',
  'headers',
  'too_many_rows',
  'too_many_cells',
  'cell_out_of_range',
  'wrong_round',
  'closed',
  'box_fill',
  'box_fill_full',
  'unknown_buyer',
  'ambiguous_buyer',
  'buyer_missing',
  'unknown_sku',
  'ambiguous_sku',
  'sku_missing',
  'unavailable',
  'blocked',
  'no_price',
  'quantity_missing',
  'not_number',
  'not_integer',
  'not_step',
  'negative',
  'too_large',
  'ambiguous_number',
  'date',
  'formula',
  'duplicate',
  'mapping'
] as const
export type ImportErrorCode = (typeof IMPORT_ERROR_CODES)[number]

export type Issue =
  | { ns: 'importErrors'; code: ImportErrorCode; params?: Record<string, string | number>; field?: string }
  | { ns: 'fieldErrors'; code: FieldErrorCode; params?: Record<string, unknown>; field?: string }
