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

/**
 * Sectors a cooperative works in, as vocabulary: each key has a text under `sectors.`. The sector is
 * stored as free text; a stored text that is one of these (in English, as the demo stores it, or in any
 * UI language) shows in the UI language, anything else as it was typed.
 */
export const SECTORS = {
  yerbaMate: 'yerba mate',
  wine: 'wine',
  wineOliveOil: 'wine and olive oil',
  chocolate: 'chocolate',
  alfajoresBiscuits: 'alfajores and biscuits',
  textiles: 'textiles',
  homeTextiles: 'home textiles',
  printing: 'printing',
  leatherGoods: 'leather goods',
  ceramicTiles: 'ceramic tiles',
  honey: 'honey',
  oliveOil: 'olive oil',
  coffee: 'coffee'
} as const
export type Sector = keyof typeof SECTORS

export const BUYER_TYPES = ['group', 'shop', 'hub', 'individual'] as const
export const TAX_TREATMENTS = ['domestic', 'eu_business', 'export', 'eu_consumer'] as const

/** Case sizes and net quantities are kept in thousandths; weights in grams; volumes in cm³. */
export const QUANTITY_DIGITS = 3
