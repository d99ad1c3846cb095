import { join } from 'node:path'
import { z } from 'zod'
import { action, mutation, none, query } from '../api/define.ts'
import { type FileResult, fileResult } from '../common/files.ts'
import { customsPaperFileName, customsPaperPdf } from '../documents/customsPapers.ts'
import { costLineInput, costValues, deleteCostLine, deleteDutyRate, dutyRateInput, listCostLines, listDutyRates, saveCostLine, saveDutyRate } from './costs.ts'
import { computeLanded, storeLanded, storedAt } from './landed.ts'
import { customsPapersData, PAPERS, paperWarnings } from './papers.ts'
import { addPallet, addPalletInput, generatePackages, listPackages, packageTotals, removePallet, savePackage, savePackageInput } from './packages.ts'
import {
  createShipment,
  createShipmentInput,
  getShipment,
  listShipments,
  setLinesInput,
  setShipmentLines,
  setShipmentStatus,
  setStatusInput,
  updateShipment,
  updateShipmentInput
} from './shipments.ts'

const idInput = z.object({ id: z.uuid() })
const shipmentIdInput = z.object({ shipmentId: z.uuid() })

/** Shipments (timeline, lines, packages) and their landed cost (cost lines, duty rates, the result). */
export const shipmentMethods = {
  'shipments.list': query(z.object({ roundId: z.uuid().optional() }), ({ session }, { roundId }) => listShipments(session.requireWorkspace(), roundId)),
  'shipments.get': query(idInput, ({ session }, { id }) => getShipment(session.requireWorkspace(), id)),
  'shipments.create': mutation(['shipments', 'numbering'], createShipmentInput, ({ session }, input) =>
    createShipment(session.requireWorkspace(), input, session.appData.deviceId)
  ),
  'shipments.update': mutation(['shipments'], updateShipmentInput, ({ session }, input) => updateShipment(session.requireWorkspace(), input)),
  'shipments.setStatus': mutation(['shipments'], setStatusInput, ({ session }, input) =>
    setShipmentStatus(session.requireWorkspace(), input, session.appData.deviceId)
  ),
  'shipments.setLines': mutation(['shipments'], setLinesInput, ({ session }, input) => setShipmentLines(session.requireWorkspace(), input)),
  /** The packages with their marks and contents, and the totals (packages, kg, m³, chargeable quantity). */
  'shipments.packages': query(shipmentIdInput, ({ session }, { shipmentId }) => {
    const ws = session.requireWorkspace()
    const shipment = getShipment(ws, shipmentId)
    const packages = listPackages(ws, shipmentId, shipment)
    return { packages, totals: packageTotals(ws, shipment, packages) }
  }),
  'shipments.generatePackages': mutation(['shipments'], shipmentIdInput, ({ session }, { shipmentId }) => generatePackages(session.requireWorkspace(), shipmentId)),
  'shipments.savePackage': mutation(['shipments'], savePackageInput, ({ session }, input) => savePackage(session.requireWorkspace(), input)),
  'shipments.addPallet': mutation(['shipments'], addPalletInput, ({ session }, input) => addPallet(session.requireWorkspace(), input)),
  'shipments.removePallet': mutation(['shipments'], idInput, ({ session }, { id }) => removePallet(session.requireWorkspace(), id)),
  /** A customs paper as PDF (English with Spanish); refused, naming the products, while weights or volumes are missing. */
  'shipments.exportPaper': action(z.object({ id: z.uuid(), paper: z.enum(PAPERS) }), async ({ session }, { id, paper }): Promise<FileResult> => {
    const data = customsPapersData(session.requireWorkspace(), id, paper)
    return fileResult(customsPaperFileName(data, paper), 'pdf', await customsPaperPdf(data, paper, join(session.resourcesDir, 'fonts')))
  }),
  /** What the papers need besides themselves: VI-1, excise, TRACES, precise descriptions (ICS2). */
  'shipments.paperWarnings': query(idInput, ({ session }, { id }) => {
    const ws = session.requireWorkspace()
    return paperWarnings(ws, getShipment(ws, id))
  }),

  'landedCost.costs': query(shipmentIdInput, ({ session }, { shipmentId }) => listCostLines(session.requireWorkspace(), shipmentId)),
  'landedCost.saveCost': mutation(['shipments'], costLineInput, ({ session }, input) => saveCostLine(session.requireWorkspace(), input)),
  'landedCost.deleteCost': mutation(['shipments'], idInput, ({ session }, { id }) => deleteCostLine(session.requireWorkspace(), id)),
  /** How a cost line would be split, before it is saved (the same checks as saving; nothing is written). */
  'landedCost.previewCost': query(costLineInput, ({ session }, input) => {
    const ws = session.requireWorkspace()
    const v = costValues(ws, input)
    const draft = {
      id: input.id ?? 'draft',
      shipmentId: input.shipmentId,
      name: v.name,
      provider: v.provider,
      amountMinor: v.amount_minor,
      currency: v.currency,
      rateE8: v.rate_e8,
      rateOn: v.rate_on,
      baseMinor: v.base_minor,
      basis: v.basis,
      stage: v.stage,
      billedOn: v.billed_on
    }
    const result = computeLanded(ws, input.shipmentId, draft)
    return { cost: draft, allocation: result.allocations.find((a) => a.costLineId === draft.id)!, landed: result }
  }),
  /** The landed cost as it would be now (not stored), and when it was last stored. */
  'landedCost.get': query(shipmentIdInput, ({ session }, { shipmentId }) => {
    const ws = session.requireWorkspace()
    return { ...computeLanded(ws, shipmentId), computedAt: storedAt(ws, shipmentId) }
  }),
  'landedCost.store': mutation(['shipments'], shipmentIdInput, ({ session }, { shipmentId }) => storeLanded(session.requireWorkspace(), shipmentId)),
  'landedCost.dutyRates': query(none, ({ session }) => listDutyRates(session.requireWorkspace())),
  'landedCost.saveDutyRate': mutation(['shipments'], dutyRateInput, ({ session }, input) => saveDutyRate(session.requireWorkspace(), input)),
  'landedCost.deleteDutyRate': mutation(['shipments'], idInput, ({ session }, { id }) => deleteDutyRate(session.requireWorkspace(), id))
}
