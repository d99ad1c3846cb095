/**
 * The words core and UI share, each defined once: the database's CHECK constraints, the API's zod
 * schemas and the UI's selects all take their values from here. Every value has a translation (the key
 * is named next to each list).
 */

/** An order round's life, in order: `rounds.status.<value>`. */
export const ROUND_STATUSES = ['draft', 'open', 'closed', 'ordered', 'received', 'invoiced', 'settled'] as const
export type RoundStatus = (typeof ROUND_STATUSES)[number]

/**
 * Why a product is blocked in a round, as a key shown translated (`blockReasons.<value>`); a block
 * reason that is not one of these is the coordinator's own words and shows as typed.
 */
export const BLOCK_REASONS = ['veterinary_certificate', 'import_permit', 'not_available', 'quality_check'] as const
export type BlockReason = (typeof BLOCK_REASONS)[number]
export const isBlockReason = (s: string | null): s is BlockReason => s !== null && (BLOCK_REASONS as readonly string[]).includes(s)

/** What a consolidation is computed from: ordered (planned), confirmed by the cooperative, received: `consolidation.stage.<value>`. */
export const STAGES = ['planned', 'confirmed', 'received'] as const
export type Stage = (typeof STAGES)[number]

/** How ordered units become whole cases: `consolidation.policy.<value>`. */
export const ROUNDING_POLICIES = ['tolerance_fill', 'threshold', 'always_up', 'exact'] as const
export type RoundingPolicyKind = (typeof ROUNDING_POLICIES)[number]

/**
 * Who loses units when a product is short: `consolidation.cuts.<value>`. `manual` cuts nothing by itself
 * (the coordinator sets each buyer's result); the database stores it as `round.manual_cut` = 1 beside
 * `round.cut_strategy`, which only holds the stored strategies.
 */
export const CUT_STRATEGIES = ['first_come', 'pro_rata', 'manual'] as const
export type CutStrategy = (typeof CUT_STRATEGIES)[number]
/** The strategies `round.cut_strategy` holds (its CHECK). */
export const STORED_CUT_STRATEGIES = ['first_come', 'pro_rata'] as const
export type StoredCutStrategy = (typeof STORED_CUT_STRATEGIES)[number]

/** Where units delivered (or confirmed) beyond the orders go first: `consolidation.extras.<value>`. */
export const EXTRAS_TO = ['tolerance', 'stock'] as const
export type ExtrasTo = (typeof EXTRAS_TO)[number]

/** A purchase order's life: `purchaseOrders.status.<value>`. */
export const PURCHASE_ORDER_STATUSES = ['draft', 'sent', 'confirmed'] as const
export type PurchaseOrderStatus = (typeof PURCHASE_ORDER_STATUSES)[number]

/** When a share of a purchase order is due: `purchaseOrders.payment.<value>`. */
export const PAYMENT_LABELS = ['on_order', 'before_shipping', 'after_arrival', 'other'] as const
export type PaymentLabel = (typeof PAYMENT_LABELS)[number]

/** The Incoterms 2020 a purchase order may name. */
/** A shipment's way from the cooperative to the hub (shipments/shipments.ts). */
export const SHIPMENT_STATUSES = ['planned', 'booked', 'departed', 'arrived', 'cleared', 'delivered'] as const
export type ShipmentStatus = (typeof SHIPMENT_STATUSES)[number]
export const SHIPMENT_MODES = ['sea_lcl', 'sea_fcl', 'air', 'courier', 'post'] as const
export type ShipmentMode = (typeof SHIPMENT_MODES)[number]
/** UN/ECE Rec. 21 package types: carton, pallet, box, bag, case, package. */
export const PACKAGE_KINDS = ['CT', 'PX', 'BX', 'BG', 'CS', 'PK'] as const
/** How a bill is spread over the shipped lines, and which value it belongs to (shipments/landed.ts). */
export const COST_BASES = ['value', 'gross_weight', 'volume', 'quantity', 'chargeable'] as const
export type CostBasis = (typeof COST_BASES)[number]
export const COST_STAGES = ['to_border', 'to_destination', 'other'] as const
export type CostStage = (typeof COST_STAGES)[number]

export const INCOTERMS = ['EXW', 'FCA', 'CPT', 'CIP', 'DAP', 'DPU', 'DDP', 'FAS', 'FOB', 'CFR', 'CIF'] as const
export type Incoterm = (typeof INCOTERMS)[number]

/** Where an order quantity came from: typed in, or read from a filled order form. */
export const QUANTITY_SOURCES = ['entry', 'import', 'correction'] as const
export type QuantitySource = (typeof QUANTITY_SOURCES)[number]

/** The time zone an organisation works in when it has chosen none, by its country. */
const COUNTRY_ZONES: Record<string, string> = { DE: 'Europe/Berlin', AT: 'Europe/Vienna', ES: 'Europe/Madrid', CH: 'Europe/Zurich' }
export const defaultTimeZone = (country: string): string => COUNTRY_ZONES[country] ?? 'UTC'
