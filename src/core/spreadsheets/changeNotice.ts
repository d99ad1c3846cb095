import { type ChangeNoticeData, changeNoticeTexts } from '../consolidation/changeNotice.ts'
import { type CellValue, csvFile, csvQuantity } from './cells.ts'

/**
 * Every changed line of every buyer in one CSV: headers in the coordinator's language, product and
 * reason in each buyer's (ready to pass on); the last two columns split what each gets into units from
 * what it ordered and units from its tolerance. UTF-8 with BOM, ';', CRLF, as the order matrix.
 */
export function changeNoticeCsv(data: ChangeNoticeData): Buffer {
  const t = changeNoticeTexts(data.language)
  const rows: CellValue[][] = [[t.buyer, t.member, t.language, t.sku, t.product, t.ordered, t.tolerance, t.allocated, t.reason, t.why, t.fromOrdered, t.fromTolerance]]
  for (const b of data.buyers)
    for (const l of b.lines) rows.push([
        b.name,
        l.member ?? '',
        b.language,
        l.sku,
        l.product,
        csvQuantity(l.ordered),
        csvQuantity(l.tolerance),
        csvQuantity(l.allocated),
        l.reason,
        l.why,
        csvQuantity(l.fromOrdered),
        csvQuantity(l.fromTolerance)
      ])
  return csvFile(rows)
}
