import { formatScaled } from '../../shared/decimal.ts'
import { resources } from '../../shared/i18n/index.ts'
import { fill, safeFileName, unitName } from '../common/text.ts'
import { isoDigits } from '../documents/format.ts'
import { type CellValue, csvFile, csvQuantity } from '../spreadsheets/cells.ts'
import type { ClosingFigures } from './model.ts'

/**
 * The round's closing for the bookkeeper, in the organisation's language, written like every CSV of the
 * app (spreadsheets/cells.ts: UTF-8 with a BOM, ';', decimal comma, CRLF, texts never taken for formulas).
 * One file, several sections: every row starts with the name of its section, and each section starts
 * with a row of its column names (first cell the word "Section"), so a filter on the first column shows
 * one section with its headings.
 *
 * The result section lists the statement's lines with the sign they enter with (the landed cost and the
 * contributions negative), so that its lines add up to the result and the reserve; what passes through at
 * cost and the payments follow, for information.
 */
export function closingCsv(figures: ClosingFigures): { fileName: string; bytes: Uint8Array } {
  const f = figures
  const r = resources[f.language].translation.closingReport
  const c = r.csv
  const money = (minor: number, digits = f.digits): CellValue => ({ decimal: formatScaled(minor, digits).replace('.', ',') })
  const rows: CellValue[][] = []

  rows.push([c.section, r.item, c.value, c.currency])
  rows.push([c.info, c.round, f.roundName, null])
  rows.push([c.info, c.organisation, f.organisation, null])
  rows.push([c.info, c.day, f.day, null])
  rows.push([c.info, c.status, f.closedAt === null ? c.previewStatus : c.closed, null])

  const summary = (label: string, minor: number) => rows.push([c.summary, label, money(minor), f.currency])
  summary(r.goods, f.goodsNetMinor)
  summary(r.stock, f.stockValueMinor)
  summary(r.landed, -f.landedMinor)
  summary(r.exchange, f.exchangeDifferenceMinor)
  summary(r.result, f.resultMinor)
  summary(r.contributions, -f.contributionsMinor)
  summary(r.reserve, f.reserveMinor)
  summary(r.shipping, f.shippingNetMinor)
  summary(r.charges, f.chargesNetMinor)
  summary(r.stockContributions, f.stockContributionsMinor)
  summary(r.invoicedGross, f.invoicedGrossMinor)
  summary(r.received, f.receivedMinor)
  summary(r.refunded, f.refundedMinor)

  rows.push([c.section, r.cooperative, r.goodsValue, r.transferDue, r.stockContribution, c.currency, c.iban, c.bic, c.cbu, r.bankName])
  for (const co of f.cooperatives) {
    rows.push([
      c.cooperatives,
      co.name,
      money(co.goodsNetMinor),
      money(co.contributionMinor),
      money(co.stockContributionMinor),
      f.currency,
      co.bank.iban ?? '',
      co.bank.bic ?? '',
      co.bank.cbu ?? '',
      co.bank.bankName ?? ''
    ])
  }

  rows.push([c.section, r.cooperative, r.sku, r.product, r.delivered, c.unit, r.perUnit, c.currency, r.amount, c.currency])
  for (const co of f.cooperatives) {
    for (const p of co.products) {
      rows.push([
        c.contributionLines,
        co.name,
        p.sku,
        p.name,
        csvQuantity(p.deliveredMilli),
        unitName(f.language, p.unit),
        money(p.perUnitMinor, isoDigits(p.perUnitCurrency)),
        p.perUnitCurrency,
        money(p.contributionMinor),
        f.currency
      ])
    }
  }

  rows.push([c.section, r.group, r.net, r.gross, r.received, r.open, c.currency])
  for (const g of f.groups) rows.push([c.groups, g.name, money(g.goodsNetMinor), money(g.grossMinor), money(g.receivedMinor), money(g.openMinor), f.currency])

  rows.push([c.section, r.sku, r.product, r.quantity, c.unit, r.stockValue, r.dueWhenSold, c.currency])
  for (const s of f.stock) {
    rows.push([c.stock, s.sku, s.name, csvQuantity(s.quantityMilli), unitName(f.language, s.unit), money(s.valueMinor), money(s.contributionMinor), f.currency])
  }

  rows.push([c.section, r.shipment, r.goodsValue, r.landedCost, c.currency])
  for (const s of f.shipments) rows.push([c.shipments, s.number, money(s.goodsMinor), money(s.landedMinor), f.currency])

  rows.push([c.section, r.order, r.cooperative, r.paid, c.currency, fill(r.paidBase, { currency: f.currency }), r.bookValue, r.difference, c.currency])
  for (const e of f.exchange) {
    rows.push([
      c.exchange,
      e.purchaseOrderNumber,
      e.supplierName,
      money(e.paidMinor, e.paidDigits),
      e.currency,
      money(e.paidBaseMinor),
      money(e.bookValueMinor),
      money(e.differenceMinor),
      f.currency
    ])
  }

  return { fileName: `${safeFileName(fill(r.fileName, { round: f.roundName }))}.csv`, bytes: csvFile(rows) }
}
