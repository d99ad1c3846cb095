/** Catalogue vocabularies both sides need; each value has a translation under `units.` or `vatClass.`. */
export const SALES_UNITS = ['piece', 'bag', 'box', 'bottle', 'jar', 'bar', 'set', 'copy', 'pack', 'can', 'kg', 'm2', 'l'] as const
export type SalesUnit = (typeof SALES_UNITS)[number]

export const NET_UNITS = ['g', 'kg', 'ml', 'l', 'm2', 'piece'] as const
export type NetUnit = (typeof NET_UNITS)[number]

export const VAT_CLASSES = ['reduced', 'standard', 'zero'] as const
export type VatClass = (typeof VAT_CLASSES)[number]

/** What consolidation does with a product or supplier below its minimum order: warn, or hold the order back. */
export const MIN_ORDER_ACTIONS = ['warn', 'hold'] as const
export type MinOrderAction = (typeof MIN_ORDER_ACTIONS)[number]

export const BUYER_TYPES = ['group', 'shop', 'hub', 'individual'] as const
export const TAX_TREATMENTS = ['domestic', 'eu_business', 'export', 'eu_consumer'] as const

/** Case sizes and net quantities are kept in thousandths; weights in grams; volumes in cm³. */
export const QUANTITY_DIGITS = 3
