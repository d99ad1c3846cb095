import { join } from 'node:path'
import { invoicePdfSync } from '../documents/invoicePdf.ts'
import type { PdfPool } from '../documents/pdfPool.ts'
import { facturxXml } from './facturx.ts'
import type { Printer } from './invoices.ts'
import { checkInvoiceTotals } from './rules.ts'

/**
 * The real printer: the Factur-X XML (none for a deposit request), the PDF (PDF/A-3b with the XML
 * attached; a draft marked as such, without payment code), and the EN 16931 arithmetic rules checked
 * before anything is issued. With a pool of PDF helper threads, a bulk issue's batch of PDFs is rendered
 * on several cores at once (`pdfs`).
 */
export function invoicePrinter(resourcesDir: string, createdAt: () => string, pool: PdfPool | null = null): Printer {
  const fontsDir = join(resourcesDir, 'fonts')
  return {
    xml: (doc) => (doc.kind === 'deposit' ? null : facturxXml(doc)),
    pdf: (doc, xml, draft) => invoicePdfSync(doc, { fontsDir, xml, draft, createdAt: createdAt() }),
    ...(pool ? { pdfs: (items) => pool.render(fontsDir, items.map((i) => ({ document: i.doc, xml: i.xml, draft: false, createdAt: createdAt() }))) } : {}),
    check: (doc) => (doc.kind === 'deposit' ? [] : checkInvoiceTotals(doc))
  }
}
