import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ApiError, call } from '../../ui/api.ts'
import { ErrorMessage, PageTitle, Status } from '../../ui/components.tsx'
import { useData } from '../../ui/data.ts'
import { downloadFile } from '../../ui/download.ts'
import { DateField } from '../../ui/form.tsx'
import { formatMoney } from '../../ui/format.ts'
import { href } from '../../ui/route.ts'

const pad = (n: number) => String(n).padStart(2, '0')

/** The next working day (Monday to Friday) after today on this computer, as YYYY-MM-DD. */
export function nextWorkingDay(from: Date = new Date()): string {
  const d = new Date(from.getFullYear(), from.getMonth(), from.getDate() + 1)
  while (d.getDay() === 0 || d.getDay() === 6) d.setDate(d.getDate() + 1)
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
}

/**
 * Money back to the buyers with money to their credit: the list (the account each paid from, or that none
 * is known, then it is transferred by hand), the execution day, and the SEPA transfer file (pain.001) for
 * the banking app. Nothing is booked here: the bank statement books the transfers once they are made.
 */
export function Refunds() {
  const { t, i18n } = useTranslation()
  const lang = i18n.language
  const list = useData('payments.refunds', undefined, ['payments', 'invoices', 'buyers'])
  const [day, setDay] = useState(nextWorkingDay)
  const [dayError, setDayError] = useState<string | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [status, setStatus] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const rows = list.data ?? []
  const withAccount = rows.filter((r) => r.iban !== null)
  const m = (minor: number) => formatMoney(minor, 'EUR', lang)

  async function download() {
    setError(null)
    setStatus(null)
    setDayError(null)
    setBusy(true)
    try {
      downloadFile(await call('payments.refundsFile', { executionDate: day }))
      setStatus(t('payments.refundsDownloaded', { count: withAccount.length, total: m(withAccount.reduce((a, r) => a + r.amountMinor, 0)) }))
    } catch (e) {
      const field = e instanceof ApiError && e.code === 'validation' ? (e.params.fields as Record<string, { code: string; params?: Record<string, string> }> | undefined)?.executionDate : undefined
      if (field) setDayError(t(`fieldErrors.${field.code}`, field.params ?? {}))
      else setError(e)
    } finally {
      setBusy(false)
    }
  }

  return (
    <section className="payments-page">
      <PageTitle>{t('payments.refundsTitle')}</PageTitle>
      <p>{t('payments.refundsIntro')}</p>
      <ErrorMessage error={list.error} />
      {list.data && rows.length === 0 ? <p className="muted">{t('payments.refundsNone')}</p> : null}
      {rows.length ? (
        <div className="table-wrap">
          <table className="lines refunds">
            <caption className="visually-hidden">{t('payments.refundsTitle')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('payments.buyer')}</th>
                <th scope="col" className="num">
                  {t('payments.refundAmount')}
                </th>
                <th scope="col">{t('payments.refundAccount')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.buyerId} className={r.iban ? undefined : 'no-account'}>
                  <th scope="row">
                    <a href={href(['invoices', 'buyer', r.buyerId])}>{r.buyerName}</a>
                  </th>
                  <td className="num nowrap">{m(r.amountMinor)}</td>
                  <td>{r.iban ? <span className="iban-text">{r.iban.replace(/(.{4})(?=.)/g, '$1 ')}</span> : <span className="warning-text">{t('payments.noAccount')}</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <form
        className="form inline-form refunds-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault()
          void download()
        }}
      >
        <fieldset>
          <legend>{t('payments.refundsFileTitle')}</legend>
          <p className="hint">{t('payments.refundsFileIntro')}</p>
          <DateField
            name="executionDate"
            label={t('payments.executionDate')}
            value={day}
            error={dayError}
            onChange={(v) => {
              setDay(v)
              setDayError(null)
            }}
          />
          <ErrorMessage error={error} />
          {status ? <Status>{status}</Status> : null}
          <div className="actions">
            <button type="submit" className="primary" disabled={busy}>
              {t('payments.refundsFile')}
            </button>
          </div>
        </fieldset>
      </form>
    </section>
  )
}
