import type { Output } from '../../../../shared/api.ts'

/** A shipment as its page shows it, and its landed cost. */
export type Shipment = Output<'shipments.get'>
export type Landed = Output<'landedCost.get'>

/** Units that are measures read "1,5 kg"; countable ones "12 × bottle" (the unit names have no plural). */
const MEASURES = new Set(['kg', 'g', 'l', 'ml', 'm2'])

export function quantityWithUnit(quantity: string, unit: string, unitText: string): string {
  return MEASURES.has(unit) ? `${quantity} ${unitText}` : `${quantity} × ${unitText}`
}
