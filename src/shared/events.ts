/**
 * The kinds of data a mutation can change. A view names the topics it shows and reloads when the core
 * reports a change to one of them.
 */
export const TOPICS = [
  'settings',
  'suppliers',
  'products',
  'buyers',
  'reference',
  'rounds',
  'prices',
  'orders',
  'consolidation',
  'purchaseOrders',
  'shipments',
  'stock',
  'numbering',
  'backups'
] as const
export type Topic = (typeof TOPICS)[number]

/** What the core tells open views: a workspace was opened, data changed, the language was switched. */
export type AppEvent =
  | { type: 'workspace'; path: string }
  | { type: 'changed'; topics: Topic[] }
  | { type: 'language'; language: string }
  | { type: 'navigate'; to: string }

export function isTopic(value: unknown): value is Topic {
  return typeof value === 'string' && (TOPICS as readonly string[]).includes(value)
}
