/**
 * The shipment's papers (commercial invoice, packing list, broker data sheet, CN23) and their warnings.
 * A stub: the papers are built in their own branch, which replaces this file.
 */
export function ShipmentPapers(_props: { shipmentId: string }) {
  return null
}
