import type { TFunction } from 'i18next'
import type { Output } from '../../../../shared/api.ts'
import { formatNumber } from '../../ui/format.ts'

export type InvoiceListRow = Output<'invoices.list'>[number]
export type Invoice = Output<'invoices.get'>
export type Problem = InvoiceListRow['problems'][number]

/** A problem that keeps a draft from being issued, in words. */
export function problemText(t: TFunction, p: Problem): string {
  return t(`invoiceProblems.${p.code}`, p.params ?? {})
}

/** A credit note's amounts count against the invoice it cancels: they are shown with a minus sign. */
export function signOf(kind: InvoiceListRow['kind']): number {
  return kind === 'credit_note' ? -1 : 1
}


/** A VAT rate in basis points as a percentage ("19 %", "7 %", "0 %"). */
export function rateText(bp: number, lang: string): string {
  return formatNumber(bp / 10_000, lang, { style: 'percent', maximumFractionDigits: 2 })
}

/** A quantity in thousandths of its unit, as few decimals as it needs. */
export function quantityText(milli: number, lang: string): string {
  return formatNumber(milli / 1000, lang, { maximumFractionDigits: 3 })
}

/** The kind and number of a document, or "Rechnung (Entwurf)" while it has none. */
export function documentName(t: TFunction, r: { kind: InvoiceListRow['kind']; number: string | null }): string {
  return r.number ? t('invoices.kindTitle', { kind: t(`invoiceKinds.${r.kind}`), number: r.number }) : `${t(`invoiceKinds.${r.kind}`)} (${t('invoices.draft')})`
}
