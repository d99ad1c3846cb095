import { useTranslation } from 'react-i18next'
import { ErrorMessage, PageTitle } from '../../ui/components.tsx'
import { useData } from '../../ui/data.ts'
import { formatMoney } from '../../ui/format.ts'
import { href } from '../../ui/route.ts'

/** Payments are booked in euros (the organisation's account): the balances are sums of euro amounts. */
const EUR = 'EUR'

/**
 * Each buyer's balance across rounds: what it was asked, what it paid and what was paid out to it, and
 * the balance in words (owes, has to its credit, settled); under the table the sums, with what all owe
 * and what all have to their credit apart.
 */
export function Balances() {
  const { t, i18n } = useTranslation()
  const lang = i18n.language
  const list = useData('payments.balances', undefined, ['payments', 'invoices', 'buyers'])
  const rows = list.data ?? []
  const m = (minor: number) => formatMoney(minor, EUR, lang)
  const sum = (pick: (r: (typeof rows)[number]) => number) => rows.reduce((a, r) => a + pick(r), 0)
  return (
    <section className="payments-page">
      <PageTitle>{t('payments.balancesTitle')}</PageTitle>
      <p>{t('payments.balancesIntro')}</p>
      <ErrorMessage error={list.error} />
      {list.data && rows.length === 0 ? <p className="muted">{t('payments.balancesNone')}</p> : null}
      {rows.length ? (
        <div className="table-wrap">
          <table className="lines balances">
            <caption className="visually-hidden">{t('payments.balancesTitle')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('payments.buyer')}</th>
                <th scope="col" className="num">
                  {t('payments.invoiced')}
                </th>
                <th scope="col" className="num">
                  {t('payments.received')}
                </th>
                <th scope="col" className="num">
                  {t('payments.paidOut')}
                </th>
                <th scope="col" className="num">
                  {t('payments.balance')}
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.buyerId} className={r.balanceMinor > 0 ? 'owes' : r.balanceMinor < 0 ? 'credit' : undefined}>
                  <th scope="row">
                    <a href={href(['invoices', 'buyer', r.buyerId])} title={t('invoices.buyerInvoices', { buyer: r.buyerName })}>
                      {r.buyerName}
                    </a>
                  </th>
                  <td className="num nowrap">{m(r.invoicedMinor)}</td>
                  <td className="num nowrap">{m(r.receivedMinor)}</td>
                  <td className="num nowrap">{m(r.paidOutMinor)}</td>
                  <td className="num nowrap balance">
                    <BalanceText minor={r.balanceMinor} lang={lang} />
                  </td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">{t('payments.total')}</th>
                <td className="num nowrap">{m(sum((r) => r.invoicedMinor))}</td>
                <td className="num nowrap">{m(sum((r) => r.receivedMinor))}</td>
                <td className="num nowrap">{m(sum((r) => r.paidOutMinor))}</td>
                <td className="num nowrap">
                  <span className="total-line">{t('payments.totalOwed', { amount: m(sum((r) => Math.max(0, r.balanceMinor))) })}</span>
                  <span className="total-line">{t('payments.totalCredit', { amount: m(sum((r) => Math.max(0, -r.balanceMinor))) })}</span>
                </td>
              </tr>
            </tfoot>
          </table>
        </div>
      ) : null}
    </section>
  )
}

/** A balance in words: what is owed, what is to the buyer's credit, or settled. */
export function BalanceText({ minor, lang }: { minor: number; lang: string }) {
  const { t } = useTranslation()
  if (minor > 0) return <>{t('payments.owes', { amount: formatMoney(minor, EUR, lang) })}</>
  if (minor < 0) return <>{t('payments.inCredit', { amount: formatMoney(-minor, EUR, lang) })}</>
  return <>{t('payments.settled')}</>
}
