import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { call } from '../../ui/api.ts'
import { ErrorMessage, PageTitle, Status } from '../../ui/components.tsx'
import { useData } from '../../ui/data.ts'
import { downloadFile } from '../../ui/download.ts'
import { formatDay, formatMoney } from '../../ui/format.ts'
import { href } from '../../ui/route.ts'
import { RecordPayment } from './RecordPayment.tsx'

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
  const overdue = useData('payments.overdue', undefined, ['payments', 'invoices'])
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  const [recording, setRecording] = useState(false)
  const [status, setStatus] = useState<string | null>(null)
  async function remind(buyerId: string) {
    setError(null)
    setBusy(true)
    try {
      downloadFile(await call('payments.reminderPdf', { buyerId }))
    } catch (e) {
      setError(e)
    } finally {
      setBusy(false)
    }
  }
  const rows = list.data ?? []
  const m = (minor: number) => formatMoney(minor, EUR, lang)
  const sum = (pick: (r: (typeof rows)[number]) => number) => rows.reduce((a, r) => a + pick(r), 0)
  return (
    <section className="payments-page">
      <PageTitle>{t('payments.balancesTitle')}</PageTitle>
      <p>{t('payments.balancesIntro')}</p>
      <ErrorMessage error={list.error ?? overdue.error ?? error} />
      {status ? <Status>{status}</Status> : null}
      {recording ? (
        <RecordPayment
          onCancel={() => setRecording(false)}
          onDone={(s) => {
            setRecording(false)
            setStatus(s)
          }}
        />
      ) : (
        <div className="actions">
          <button
            type="button"
            onClick={() => {
              setStatus(null)
              setRecording(true)
            }}
          >
            {t('payments.recordOpen')}
          </button>
        </div>
      )}
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
                <th scope="col">
                  <span className="visually-hidden">{t('payments.reminder')}</span>
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
                  <td>
                    {r.balanceMinor > 0 ? (
                      <button type="button" className="small" disabled={busy} onClick={() => void remind(r.buyerId)} aria-label={t('payments.reminderFor', { buyer: r.buyerName })}>
                        {t('payments.reminder')}
                      </button>
                    ) : null}
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
                <td />
              </tr>
            </tfoot>
          </table>
        </div>
      ) : null}
      <h2>{t('payments.overdueTitle')}</h2>
      {overdue.data && overdue.data.length === 0 ? <p className="muted">{t('payments.overdueNone')}</p> : null}
      {overdue.data?.length ? (
        <div className="table-wrap">
          <table className="lines overdue">
            <caption className="visually-hidden">{t('payments.overdueTitle')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('payments.document')}</th>
                <th scope="col">{t('payments.buyer')}</th>
                <th scope="col">{t('payments.dueOn')}</th>
                <th scope="col" className="num">
                  {t('payments.openColumn')}
                </th>
              </tr>
            </thead>
            <tbody>
              {overdue.data.map((o) => (
                <tr key={o.id}>
                  <td>
                    <a href={href(['invoices', o.id])}>
                      {t(`invoiceKinds.${o.kind}`)} {o.number}
                    </a>
                  </td>
                  <td>{o.buyerName}</td>
                  <td className="nowrap">{formatDay(o.dueDate, lang)}</td>
                  <td className="num nowrap">{formatMoney(o.openMinor, o.currency, lang)}</td>
                </tr>
              ))}
            </tbody>
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
