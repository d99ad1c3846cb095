import { formatMoney } from '../../ui/format.ts'
import { Fragment } from 'react'
import { useTranslation } from 'react-i18next'
import { href } from '../../ui/route.ts'
import { documentName, type InvoiceListRow, problemText, signOf } from './invoice.ts'

/**
 * A table of invoice documents: kind, number (or "Entwurf"), recipient (linking to all their invoices),
 * VAT case, net, VAT, gross, the deposit (paid on a request, deducted on an invoice), what is due or to be
 * refunded, and the status with the credit note that cancels it or the invoice it cancels. A draft's
 * problems are shown under its row.
 */
export function InvoiceTable({ rows, caption, showRound }: { rows: InvoiceListRow[]; caption: string; showRound?: boolean }) {
  const { t, i18n } = useTranslation()
  const lang = i18n.language
  const columns = showRound ? 10 : 9
  return (
    <div className="table-wrap">
      <table className="lines invoices">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('invoices.document')}</th>
            {showRound ? <th scope="col">{t('invoices.roundColumn')}</th> : <th scope="col">{t('invoices.buyer')}</th>}
            {showRound ? <th scope="col">{t('invoices.buyer')}</th> : null}
            <th scope="col">{t('invoices.vatCase')}</th>
            <th scope="col" className="num">
              {t('invoices.net')}
            </th>
            <th scope="col" className="num">
              {t('invoices.vat')}
            </th>
            <th scope="col" className="num">
              {t('invoices.gross')}
            </th>
            <th scope="col" className="num">
              {t('invoices.deposit')}
            </th>
            <th scope="col" className="num">
              {t('invoices.balance')}
            </th>
            <th scope="col">{t('invoices.status')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const sign = signOf(r.kind)
            const m = (minor: number) => formatMoney(sign * minor, r.currency, lang)
            return (
              <Fragment key={r.id}>
                <tr className={r.problems.length ? 'has-problems' : undefined}>
                  <td>
                    <a href={href(['invoices', r.id])} className="nowrap" aria-label={`${documentName(t, r)} – ${r.buyerName}`}>
                      {r.number ?? t('invoices.draft')}
                    </a>
                    <small className="kind">{t(`invoiceKinds.${r.kind}`)}</small>
                  </td>
                  {showRound ? <td>{r.roundName}</td> : null}
                  <td>
                    <a href={href(['invoices', 'buyer', r.buyerId])} title={t('invoices.buyerInvoices', { buyer: r.buyerName })}>
                      {r.buyerName}
                    </a>
                  </td>
                  <td>{r.vatCase ? t(`vatCases.${r.vatCase}`) : ''}</td>
                  <td className="num nowrap">{m(r.netMinor)}</td>
                  <td className="num nowrap">{m(r.vatMinor)}</td>
                  <td className="num nowrap">{m(r.grossMinor)}</td>
                  <td className="num">
                    {r.kind === 'deposit'
                      ? t('invoices.depositPaid', { amount: formatMoney(r.paidMinor, r.currency, lang) })
                      : r.prepaidMinor
                        ? t('invoices.depositDeducted', { amount: formatMoney(r.prepaidMinor, r.currency, lang) })
                        : ''}
                  </td>
                  <td className="num nowrap">
                    {r.kind === 'credit_note'
                      ? m(r.dueMinor)
                      : r.dueMinor < 0
                        ? t('invoices.refund', { amount: formatMoney(-r.dueMinor, r.currency, lang) })
                        : r.dueMinor === 0
                          ? t('invoices.settled')
                          : m(r.dueMinor)}
                  </td>
                  <td>
                    <StatusText row={r} />
                  </td>
                </tr>
                {r.problems.length ? (
                  <tr className="detail problems">
                    <td colSpan={columns}>
                      <span className="problems-head">{t('invoices.problemsOf', { buyer: r.buyerName })}</span>
                      <ul className="issues">
                        {r.problems.map((p, i) => (
                          <li key={i}>{problemText(t, p)}</li>
                        ))}
                      </ul>
                    </td>
                  </tr>
                ) : null}
              </Fragment>
            )
          })}
        </tbody>
      </table>
    </div>
  )
}

function StatusText({ row }: { row: InvoiceListRow }) {
  const { t } = useTranslation()
  if (row.status === 'draft') return <>{row.problems.length ? t('invoices.draft') : t('invoices.ready')}</>
  if (row.creditedBy)
    return (
      <a href={href(['invoices', row.creditedBy.id])} className="nowrap">
        {t('invoices.creditedBy', { number: row.creditedBy.number })}
      </a>
    )
  if (row.credits)
    return (
      <a href={href(['invoices', row.credits.id])} className="nowrap">
        {t('invoices.credits', { number: row.credits.number })}
      </a>
    )
  return <>{t('invoices.issued')}</>
}
