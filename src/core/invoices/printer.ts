import { join } from 'node:path'
import { invoicePdfSync } from '../documents/invoicePdf.ts'
import { facturxXml } from './facturx.ts'
import type { Printer } from './invoices.ts'
import { checkInvoiceTotals } from './rules.ts'

/**
 * The real printer: the Factur-X XML (none for a deposit request), the PDF (PDF/A-3b with the XML
 * attached; a draft marked as such, without payment code), and the EN 16931 arithmetic rules checked
 * before anything is issued.
 */
export function invoicePrinter(resourcesDir: string, createdAt: () => string): Printer {
  const fontsDir = join(resourcesDir, 'fonts')
  return {
    xml: (doc) => (doc.kind === 'deposit' ? null : facturxXml(doc)),
    pdf: (doc, xml, draft) => invoicePdfSync(doc, { fontsDir, xml, draft, createdAt: createdAt() }),
    check: (doc) => (doc.kind === 'deposit' ? [] : checkInvoiceTotals(doc))
  }
}
