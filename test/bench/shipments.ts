import assert from 'node:assert/strict'
import { join } from 'node:path'
import PDFDocument from 'pdfkit'
import { dispatch } from '../../src/core/api/dispatch.ts'
import type { Session } from '../../src/core/app/session.ts'
import { customsPaperPdf } from '../../src/core/documents/customsPapers.ts'
import { fontPaths } from '../../src/core/documents/pdf.ts'
import { storeLanded } from '../../src/core/shipments/landed.ts'
import { customsPapersData, type CustomsPapersData } from '../../src/core/shipments/papers.ts'
import { bigRound } from './fixture.ts'
import { type Comparison, compare, ROOT } from './lib.ts'

const FONTS = join(ROOT, 'resources', 'fonts')

async function call(session: Session, method: string, input: unknown): Promise<unknown> {
  const r = await dispatch({ session }, method, input)
  if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r.error)}`)
  return r.result
}

/**
 * A sent purchase order of `lines` products (one case of 12 each, 9,5 kg and 0,018 m³ a case, CN codes of
 * five kinds, EUR), shipped whole, its cartons generated, duty rates for its codes and 12 cost lines.
 * The products and the open round are the SQL fixture's; everything from the order on goes through the
 * core's API as the app does it.
 */
export async function bigShipment(lines: number) {
  const r = await bigRound(lines, 1)
  const { session } = r
  const ws = session.requireWorkspace()
  const codes = ['09030000', '22042198', '61091000', '49019900', '15092000']
  ws.db.transaction(() => {
    const p = ws.db.prepare('UPDATE product SET hs_code = ?, gross_g_per_case = 9500, volume_cm3_per_case = 18000, name_en = ? WHERE id = ?')
    r.productIds.forEach((id, i) => p.run(codes[i % codes.length], `Product ${i}, ${['yerba mate 1 kg bags', 'red wine 0.75 l bottles', 'cotton T-shirts', 'printed books', 'olive oil 0.5 l'][i % 5]}`, id))
  })()
  await call(session, 'settings.save', { name: 'Solidarische Importe e.V.', country: 'DE', vatId: 'DE123456788', eori: 'DE123456789012345', smallBusiness: false, defaultLanguage: 'de', defaultCurrency: 'EUR' })
  await call(session, 'orders.setLines', { roundId: r.roundId, buyerId: r.buyerIds[0], lines: r.productIds.map((productId) => ({ productId, quantity: 12, tolerance: 0 })) })
  await call(session, 'rounds.setStatus', { id: r.roundId, status: 'closed' })
  const [po] = (await call(session, 'purchaseOrders.create', { roundId: r.roundId, incoterm: 'FOB', incotermPlace: 'Buenos Aires' })) as { id: string }[]
  await call(session, 'purchaseOrders.setStatus', { id: po!.id, status: 'sent' })
  const shipment = (await call(session, 'shipments.create', { roundId: r.roundId, purchaseOrderIds: [po!.id] })) as { id: string; lines: unknown[] }
  assert.equal(shipment.lines.length, lines, `the shipment carries ${lines} lines`)
  await call(session, 'shipments.update', { id: shipment.id, mode: 'sea_lcl', incoterm: 'FOB', incotermPlace: 'Buenos Aires', marks: 'SOLI/2026-1/001', originStatement: true })
  await call(session, 'shipments.generatePackages', { shipmentId: shipment.id })
  for (const cnCode of codes) await call(session, 'landedCost.saveDutyRate', { cnCode, validFrom: '2020-01-01', adValorem: '4.5' })
  const bases = ['value', 'gross_weight', 'volume', 'quantity', 'chargeable'] as const
  const stages = ['to_border', 'to_destination', 'other'] as const
  for (let i = 0; i < 12; i++)
    await call(session, 'landedCost.saveCost', { shipmentId: shipment.id, name: `Cost ${i + 1}`, amount: (150 + i * 37.13).toFixed(2), currency: 'EUR', basis: bases[i % 5], stage: stages[i % 3] })
  return { ...r, shipmentId: shipment.id }
}

/**
 * landed_cost.5k_lines: allocating 12 cost lines over a 5,000-line shipment and storing the result
 * (storeLanded: customs value, duty and import VAT per line, 5,000 result lines and 60,000 parts written
 * through the writer, change log included) vs reading the shipment's lines and writing the same 65,000 rows
 * with raw prepared statements. Each run starts from no stored result.
 */
export async function benchLandedCost5k(): Promise<Comparison> {
  const s = await bigShipment(5000)
  const ws = s.session.requireWorkspace()
  const read = ws.db.prepare(
    `SELECT l.id, l.quantity_milli, pl.unit_price_minor, p.hs_code, p.gross_g_per_case, p.volume_cm3_per_case, p.vat_class
     FROM shipment_line l JOIN purchase_order_line pl ON pl.id = l.purchase_order_line_id JOIN product p ON p.id = pl.product_id
     WHERE l.shipment_id = ? AND l.deleted_at IS NULL`
  )
  const costs = ws.db.prepare('SELECT id, base_minor FROM cost_line WHERE shipment_id = ? AND deleted_at IS NULL')
  const line = ws.db.prepare(
    `INSERT INTO landed_cost_line (id, shipment_id, shipment_line_id, currency, goods_minor, to_border_minor, customs_value_minor, duty_minor,
       to_destination_minor, vat_base_minor, vat_rate_bp, vat_minor, other_minor, landed_minor, computed_at, created_at, updated_at)
     VALUES (?, ?, ?, 'EUR', ?, 0, ?, 0, 0, ?, 700, 0, 0, ?, ?, ?, ?)`
  )
  const part = ws.db.prepare('INSERT INTO landed_cost_part (id, shipment_id, cost_line_id, shipment_line_id, amount_minor, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
  const clear = () => {
    ws.db.prepare('DELETE FROM landed_cost_part').run()
    ws.db.prepare('DELETE FROM landed_cost_line').run()
  }
  let n = 0
  try {
    return await compare({
      pairs: 10,
      warm: 2,
      setup: clear,
      ours: () => {
        const result = ws.db.transaction(() => storeLanded(ws, s.shipmentId)).immediate()
        assert.equal(result.lines.length, 5000)
      },
      baseline: () =>
        ws.db
          .transaction(() => {
            const rows = read.all(s.shipmentId) as { id: string; quantity_milli: number; unit_price_minor: number }[]
            const cs = costs.all(s.shipmentId) as { id: string; base_minor: number }[]
            const now = new Date().toISOString()
            for (const r of rows) {
              const goods = Math.round((r.quantity_milli * r.unit_price_minor) / 1000)
              line.run(`b-${++n}`, s.shipmentId, r.id, goods, goods, goods, goods, now, now, now)
              for (const c of cs) part.run(`b-${++n}`, s.shipmentId, c.id, r.id, Math.floor(c.base_minor / rows.length), now, now)
            }
          })
          .immediate()
    })
  } finally {
    s.close()
  }
}

/** The same table rows as plain lines of text: pdfkit with the same embedded font and no layout of ours. */
function plainPdf(rows: string[]): Promise<Buffer> {
  const fonts = fontPaths(FONTS)
  const doc = new PDFDocument({ size: 'A4', margin: 40, font: fonts.regular })
  const chunks: Buffer[] = []
  const done = new Promise<Buffer>((resolve) => {
    doc.on('data', (c: Buffer) => chunks.push(c))
    doc.on('end', () => resolve(Buffer.concat(chunks)))
  })
  doc.fontSize(7)
  for (const row of rows) doc.text(row)
  doc.end()
  return done
}

/**
 * customs.papers_1k_lines: the commercial invoice and the packing list of a 1,000-line shipment (1,000
 * cartons), their data read from the workspace, the tables across pages with repeated headers, totals,
 * marks, payment terms, the statement on origin, page numbers — vs pdfkit writing the same two tables' rows
 * as plain text lines.
 */
export async function benchCustomsPapers1k(): Promise<Comparison> {
  const s = await bigShipment(1000)
  const ws = s.session.requireWorkspace()
  const sample: CustomsPapersData = customsPapersData(ws, s.shipmentId, 'invoice')
  assert.equal(sample.lines.length, 1000)
  assert.equal(sample.packages.length, 1000)
  const invoiceRows = sample.lines.map(
    (l) => `${l.position} ${l.sku} ${l.description} ${l.cnCode} ${l.origin} ${l.quantityMilli / 1000} ${l.unitCode} ${l.unitPriceMinor} ${l.valueMinor} ${l.netG ?? '—'} ${l.grossG}`
  )
  const packingRows = sample.packages.map(
    (p) => `${p.number}/${sample.totals.packages} ${p.marks} ${p.kind} ${p.contents.map((x) => `${x.sku} ${x.description} × ${x.quantityMilli / 1000}`).join(' ')} ${p.netG ?? '—'} ${p.grossG} — ${p.volumeCm3}`
  )
  try {
    return await compare({
      pairs: 10,
      warm: 2,
      ours: async () => {
        const data = customsPapersData(ws, s.shipmentId, 'invoice')
        const [invoice, packing] = await Promise.all([customsPaperPdf(data, 'invoice', FONTS), customsPaperPdf(data, 'packing', FONTS)])
        assert.equal(invoice.subarray(0, 5).toString('latin1'), '%PDF-')
        assert.equal(packing.subarray(0, 5).toString('latin1'), '%PDF-')
      },
      baseline: () => Promise.all([plainPdf(invoiceRows), plainPdf(packingRows)])
    })
  } finally {
    s.close()
  }
}
