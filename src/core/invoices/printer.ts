import { join } from 'node:path'
import { createPdfSync } from '../documents/pdf.ts'
import { facturxXml } from './facturx.ts'
import type { InvoiceDocument } from './model.ts'
import { checkInvoiceTotals } from './rules.ts'
import type { Printer } from './invoices.ts'

/**
 * The real printer: the Factur-X XML (none for a deposit request), the PDF (PDF/A-3b with the XML
 * attached; a draft marked as such), and the EN 16931 arithmetic rules checked before anything is issued.
 * (Interim: a plain PDF until the invoice layout lands.)
 */
export function invoicePrinter(resourcesDir: string, createdAt: () => string): Printer {
  const fontsDir = join(resourcesDir, 'fonts')
  return {
    xml: (doc) => (doc.kind === 'deposit' ? null : facturxXml(doc)),
    pdf: (doc, _xml, draft) => plainPdf(doc, fontsDir, createdAt(), draft),
    check: (doc) => (doc.kind === 'deposit' ? [] : checkInvoiceTotals(doc))
  }
}

function plainPdf(d: InvoiceDocument, fontsDir: string, createdAt: string, draft: boolean): Buffer {
  const { doc, finish } = createPdfSync({ fontsDir, title: d.number, author: d.seller.name, lang: d.language, createdAt, margins: { top: 50, bottom: 50, left: 50, right: 50 } })
  doc.text(`${draft ? 'DRAFT ' : ''}${d.kind} ${d.number} ${d.buyer.name} ${d.grossMinor} ${d.dueMinor}`)
  return finish()
}
