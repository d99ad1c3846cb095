import { useId, useRef, useState, type ChangeEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { ApiError, call } from '../../ui/api.ts'
import { ErrorMessage, PageTitle, Status } from '../../ui/components.tsx'
import { useData } from '../../ui/data.ts'
import { formatDay, formatMoney, formatNumber } from '../../ui/format.ts'
import { JobProgressBar, useJob } from '../../ui/importParts.tsx'
import { href } from '../../ui/route.ts'
import { MatchDialog } from './MatchDialog.tsx'
import { isOpen, type PaymentRow } from './payment.ts'

/**
 * The payments inbox: a bank statement (CAMT.053) imported as a job with its progress and a stop button,
 * what it booked and matched; the payments, those received and not matched yet first and marked, each
 * matched one with its buyer and the documents it settles; "Match…" on an open one opens the dialog.
 */
export function Inbox() {
  const { t, i18n } = useTranslation()
  const lang = i18n.language
  const id = useId()
  const list = useData('payments.list', undefined, ['payments', 'invoices', 'buyers'])
  const job = useJob()
  const [importing, setImporting] = useState(false)
  const [status, setStatus] = useState<string | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [matching, setMatching] = useState<PaymentRow | null>(null)
  const fileRef = useRef<HTMLInputElement>(null)
  const returnFocus = useRef<HTMLElement | null>(null)
  const rows = list.data ?? []
  const open = rows.filter(isOpen).length
  const n = (v: number) => formatNumber(v, lang)

  async function choose(e: ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0]
    // Cleared, so the same file can be chosen again (a second import books nothing twice).
    e.target.value = ''
    if (!file) return
    setStatus(null)
    setError(null)
    setImporting(true)
    const jobId = job.start()
    try {
      const data = new Uint8Array(await file.arrayBuffer())
      const r = await call('payments.importStatement', { fileName: file.name, data, job: jobId })
      setStatus(t('payments.imported', { count: r.booked, matched: n(r.matched), unmatched: n(r.unmatched), skipped: n(r.skipped) }))
    } catch (err) {
      if (err instanceof ApiError && err.code === 'job.cancelled') setStatus(t('payments.importStopped'))
      else setError(err)
    } finally {
      job.end(jobId)
      setImporting(false)
      list.reload()
      fileRef.current?.focus()
    }
  }

  function startMatch(p: PaymentRow, button: HTMLElement) {
    returnFocus.current = button
    setStatus(null)
    setError(null)
    setMatching(p)
  }

  function closeMatch(done: string | null) {
    setMatching(null)
    if (done) setStatus(done)
    // Cancelled: focus goes back to the button. Matched: the button goes away with the list's reload,
    // so focus goes to the page's heading (the status line under it says what was done).
    setTimeout(() => {
      const back = returnFocus.current
      if (!done && back?.isConnected) back.focus()
      else document.getElementById(`${id}-title`)?.focus()
    }, 0)
  }

  return (
    <section className="payments-page">
      <PageTitle id={`${id}-title`}>{t('payments.inboxTitle')}</PageTitle>
      <p>{t('payments.inboxIntro')}</p>
      <div className="import-file">
        <input
          ref={fileRef}
          id={`${id}-file`}
          name="statement"
          type="file"
          className="file-input"
          accept=".xml,.csv,.txt,application/xml,text/xml,text/csv"
          aria-describedby={`${id}-file-hint`}
          disabled={importing}
          onChange={(e) => void choose(e)}
        />
        <label htmlFor={`${id}-file`} className="button primary">
          {t('payments.import')}
        </label>
        <span id={`${id}-file-hint`} className="muted">
          {t('payments.importHint')}
        </span>
      </div>
      {importing ? <JobProgressBar progress={job.progress} applying onCancel={job.cancel} /> : null}
      <ErrorMessage error={error ?? list.error} />
      {status ? <Status>{status}</Status> : null}
      {list.data && rows.length === 0 ? <p className="muted">{t('payments.none')}</p> : null}
      {rows.length ? (
        <>
          <p className={open ? 'open-count' : 'muted'}>{open ? t('payments.openCount', { count: open }) : t('payments.allMatched')}</p>
          <div className="table-wrap">
            <table className="lines payments">
              <caption className="visually-hidden">{t('payments.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('payments.day')}</th>
                  <th scope="col">{t('payments.direction')}</th>
                  <th scope="col" className="num">
                    {t('payments.amount')}
                  </th>
                  <th scope="col">{t('payments.counterparty')}</th>
                  <th scope="col">{t('payments.reference')}</th>
                  <th scope="col">{t('payments.matchedTo')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((p) => (
                  <tr key={p.id} className={isOpen(p) ? 'unmatched' : undefined}>
                    <td className="nowrap">{formatDay(p.bookedOn, lang)}</td>
                    <td>{t(p.direction === 'in' ? 'payments.in' : 'payments.out')}</td>
                    <td className="num nowrap">{formatMoney(p.direction === 'in' ? p.amountMinor : -p.amountMinor, p.currency, lang)}</td>
                    <td>
                      {p.counterparty ?? t('payments.noName')}
                      {p.counterpartyIban ? <small className="iban">{p.counterpartyIban}</small> : null}
                      {p.method === 'cash' ? <small className="iban">{t('payments.cash')}</small> : null}
                    </td>
                    <td className="reference">{p.reference ?? ''}</td>
                    <td>
                      <MatchedCell row={p} lang={lang} onMatch={startMatch} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
      {matching ? <MatchDialog payment={matching} onClose={closeMatch} /> : null}
    </section>
  )
}

/** What a payment is matched to: the buyer and the documents it settles (and what stays as credit), or "open" with the button. */
function MatchedCell({ row: p, lang, onMatch }: { row: PaymentRow; lang: string; onMatch: (p: PaymentRow, button: HTMLElement) => void }) {
  const { t } = useTranslation()
  if (isOpen(p))
    return (
      <div className="match-cell">
        <span className="badge small danger">{t('payments.open')}</span>
        <button
          type="button"
          className="small"
          aria-label={t('payments.matchLabel', { amount: formatMoney(p.amountMinor, p.currency, lang), name: p.counterparty ?? t('payments.noName') })}
          onClick={(e) => onMatch(p, e.currentTarget)}
        >
          {t('payments.match')}
        </button>
      </div>
    )
  if (!p.buyerId) return <span className="muted">{t('payments.notBuyer')}</span>
  const credit = p.direction === 'in' ? p.amountMinor - p.allocatedMinor : 0
  return (
    <>
      <a href={href(['invoices', 'buyer', p.buyerId])}>{p.buyerName}</a>
      {p.documents.length ? <small className="documents">{p.documents.join(', ')}</small> : null}
      {credit > 0 ? <small className="documents">{t('payments.asCredit', { amount: formatMoney(credit, p.currency, lang) })}</small> : null}
    </>
  )
}
