import { resources } from '../../shared/i18n/index.ts'
import type { PurchaseOrderDocument } from '../consolidation/purchaseOrders.ts'
import { fill, safeFileName } from '../exchange/text.ts'
import { formatDay, formatMoneyCode, formatShare, SUPPLIER_LOCALES } from './format.ts'

/** What the PDF and the XLSX of a purchase order share: texts in the order's language, the file name. */
export function purchaseOrderTexts(language: PurchaseOrderDocument['language']) {
  return resources[language].translation.purchaseOrder
}

export function purchaseOrderFileName(data: PurchaseOrderDocument, ext: 'pdf' | 'xlsx'): string {
  return `${safeFileName(fill(purchaseOrderTexts(data.language).fileName, { number: data.number, supplier: data.supplier.name }))}.${ext}`
}

/** The payment terms as sentences: "60 % antes del embarque: USD 48,60, vence el 15 de abril de 2026". */
export function paymentLines(data: PurchaseOrderDocument, digits: number): string[] {
  const t = purchaseOrderTexts(data.language)
  const locale = SUPPLIER_LOCALES[data.language]
  return data.payments.map((p) => {
    const params = {
      share: formatShare(p.shareBp, locale),
      label: (t.paymentLabels as Record<string, string>)[p.label] ?? p.label,
      amount: formatMoneyCode(p.amountMinor, digits, data.currency, locale),
      date: p.dueDate ? formatDay(p.dueDate, locale) : ''
    }
    return fill(p.dueDate ? t.paymentDue : t.payment, params)
  })
}
