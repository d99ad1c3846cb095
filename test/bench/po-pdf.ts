import assert from 'node:assert/strict'
import { join } from 'node:path'
import PDFDocument from 'pdfkit'
import type { PurchaseOrderDocument } from '../../src/core/purchasing/document.ts'
import { fontPaths } from '../../src/core/documents/pdf.ts'
import { purchaseOrderPdf } from '../../src/core/documents/purchaseOrderPdf.ts'
import { largestRemainder } from '../../src/core/common/money.ts'
import { type Comparison, compare, type Measurement, ROOT } from './lib.ts'

const LINES = 500
const FONTS = join(ROOT, 'resources', 'fonts')

/** A purchase order of 500 lines as purchaseOrderDocument() returns it; every tenth description wraps. */
function bigOrder(): PurchaseOrderDocument {
  const words = ['Yerba mate con palo', 'Vino Malbec reserva', 'Aceite de oliva virgen extra', 'Miel de monte', 'Alfajores de maicena', 'Toallas de algodón']
  const lines: PurchaseOrderDocument['lines'] = []
  for (let i = 0; i < LINES; i++) {
    const caseMilli = (6 + (i % 4) * 6) * 1000
    const cases = 1 + (i % 7)
    const units = (cases * caseMilli) / 1000
    const unitPriceMinor = 95 + ((i * 37) % 1900)
    const description =
      i % 10 === 0
        ? `${words[i % words.length]} de la cooperativa, elaboración artesanal, envase retornable de vidrio, lote ${i}, temporada 2026/27`
        : `${words[i % words.length]} ${i}`
    lines.push({
      productId: `30000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      sku: `SKU-${String(i).padStart(5, '0')}`,
      description,
      cooperative: 'Cooperativa de Prueba',
      caseMilli,
      cases,
      units,
      stepMilli: 1000,
      salesUnit: 'piece',
      quantityMilli: units * 1000,
      unitPriceMinor,
      pricePerMilli: 1000,
      totalMinor: units * unitPriceMinor,
      confirmedUnits: null,
      receivedUnits: null,
      brokenUnits: 0
    })
  }
  const valueMinor = lines.reduce((a, l) => a + l.totalMinor, 0)
  const [before, after] = largestRemainder(valueMinor, [60, 40])
  return {
    number: 'PO-2026-0042',
    status: 'draft',
    language: 'es',
    issuedOn: '2026-03-01',
    roundName: 'Winterrunde 2026/27',
    currency: 'USD',
    incoterm: 'FCA',
    incotermPlace: 'Buenos Aires',
    shipDate: '2026-05-20',
    notes: null,
    organisation: {
      id: null,
      name: 'Solidarische Importe e.V.',
      street: 'Gärtnerstraße 12',
      postalCode: '10245',
      city: 'Berlin',
      country: 'DE',
      taxNumber: null,
      vatId: 'DE123456788',
      eori: 'DE123456789012345',
      iban: null,
      bic: null,
      bankName: null,
      email: 'koordination@solidarische-importe.example',
      phone: '+49 30 1234567',
      smallBusiness: false,
      vatRegistered: true,
      defaultLanguage: 'de',
      defaultCurrency: 'EUR',
      timeZone: 'Europe/Berlin',
      effectiveTimeZone: 'Europe/Berlin',
      logo: null,
      updatedAt: null
    },
    supplier: {
      name: 'Cooperativa de Prueba Ltda.',
      cuit: '30-71234567-1',
      street: 'Av. Corrientes 1234',
      postalCode: 'C1043',
      city: 'Buenos Aires',
      province: null,
      country: 'AR',
      email: 'ventas@prueba.example',
      cooperatives: []
    },
    lines,
    totals: {
      valueMinor,
      grossG: lines.reduce((a, l) => a + l.cases * 9_500, 0),
      volumeCm3: lines.reduce((a, l) => a + l.cases * 18_000, 0),
      cases: lines.reduce((a, l) => a + l.cases, 0),
      units: lines.reduce((a, l) => a + l.units, 0)
    },
    payments: [
      { label: 'before_shipping', shareBp: 6000, amountMinor: before!, dueDate: '2026-04-15' },
      { label: 'after_arrival', shareBp: 4000, amountMinor: after!, dueDate: null }
    ],
    shipped: null
  }
}

/** The same 500 rows as plain lines of text: pdfkit with the same embedded font and no layout of ours. */
function plainPdf(data: PurchaseOrderDocument): Promise<Buffer> {
  const fonts = fontPaths(FONTS)
  const doc = new PDFDocument({ size: 'A4', margin: 40, font: fonts.regular })
  const chunks: Buffer[] = []
  const done = new Promise<Buffer>((resolve) => {
    doc.on('data', (c: Buffer) => chunks.push(c))
    doc.on('end', () => resolve(Buffer.concat(chunks)))
  })
  doc.fontSize(8.5)
  for (const l of data.lines) doc.text(`${l.sku}  ${l.description}  ${l.cases}  ${l.units}  ${l.unitPriceMinor}  ${data.currency}  ${l.totalMinor}`)
  doc.end()
  return done
}

/**
 * po.pdf_500_lines: rendering the PDF of a 500-line purchase order (parties, facts, the table across
 * pages with its header repeated, totals, payment terms, page numbers) vs pdfkit writing the same 500
 * rows as plain text lines.
 */
export async function benchPoPdf(): Promise<Comparison> {
  const data = bigOrder()
  return compare({
    pairs: 30,
    warm: 2,
    ours: async () => {
      const pdf = await purchaseOrderPdf(data, FONTS, 2)
      assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-', 'the renderer produced a PDF')
    },
    baseline: () => plainPdf(data)
  })
}

/** po.pdf_500_lines_size: the size in bytes of that 500-line purchase order's PDF (no baseline). */
export async function benchPoPdfSize(): Promise<Measurement> {
  const pdf = await purchaseOrderPdf(bigOrder(), FONTS, 2)
  assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-', 'the renderer produced a PDF')
  return { value: pdf.length, baseline: null }
}
