import { useId, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { parseScaled } from '../../../../shared/decimal.ts'
import { ApiError, call } from '../../ui/api.ts'
import { ConfirmDialog, ErrorMessage, PageTitle, Status } from '../../ui/components.tsx'
import { useData } from '../../ui/data.ts'
import { downloadFile } from '../../ui/download.ts'
import { DateField, TextField } from '../../ui/form.tsx'
import { JobProgressBar, useJob } from '../../ui/importParts.tsx'
import { href } from '../../ui/route.ts'
import { RoundSelect, useRoundChoice } from '../rounds/roundChoice.tsx'
import { InvoiceSettings } from './InvoiceSettings.tsx'
import { InvoiceTable } from './InvoiceTable.tsx'

type Panel = 'deposits' | 'settings' | null
type Running = 'issue' | 'print' | null

/**
 * The invoices of a round: deposit requests, drafts (with what keeps them from being issued), issued
 * invoices and credit notes; and the round's steps: request deposits, create drafts, issue them all (a
 * job with progress and a stop button), print them all into one PDF, the bookkeeper's CSV.
 */
export function InvoiceList({ round: initial }: { round: string }) {
  const { t } = useTranslation()
  const id = useId()
  const rounds = useRoundChoice(['received', 'invoiced', 'ordered', 'closed'], initial)
  const roundId = rounds.roundId
  const list = useData('invoices.list', roundId ? { roundId } : null, ['invoices', 'buyers', 'orders', 'consolidation', 'settings'])
  const [panel, setPanel] = useState<Panel>(null)
  const [status, setStatus] = useState<string | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [confirmIssue, setConfirmIssue] = useState(false)
  const [running, setRunning] = useState<Running>(null)
  const [busy, setBusy] = useState(false)
  const job = useJob()
  const issueRef = useRef<HTMLButtonElement>(null)
  const rows = list.data ?? []
  const issuedCount = rows.filter((r) => r.status === 'issued').length

  function begin() {
    setStatus(null)
    setError(null)
  }

  async function prepare() {
    begin()
    setBusy(true)
    try {
      const r = await call('invoices.prepareRound', { roundId })
      setStatus(r.created ? t('invoices.prepared', { count: r.created }) : t('invoices.prepareNone'))
    } catch (e) {
      setError(e)
    } finally {
      setBusy(false)
    }
  }

  async function issueAll() {
    setConfirmIssue(false)
    begin()
    setRunning('issue')
    const jobId = job.start()
    try {
      const r = await call('invoices.issueRound', { roundId, job: jobId })
      const numbers = r.issued.map((i) => i.number ?? '')
      setStatus(numbers.length ? t('invoices.issuedAll', { count: numbers.length, first: numbers[0], last: numbers[numbers.length - 1] }) : t('invoices.issuedNone'))
    } catch (e) {
      if (e instanceof ApiError && e.code === 'job.cancelled') setStatus(t('invoices.issueStopped'))
      else setError(e)
    } finally {
      job.end(jobId)
      setRunning(null)
      list.reload()
      issueRef.current?.focus()
    }
  }

  async function printAll() {
    begin()
    setRunning('print')
    const jobId = job.start()
    try {
      const r = await call('invoices.printRound', { roundId, job: jobId })
      if (r.count === 0) setStatus(t('invoices.printNone'))
      else {
        downloadFile({ fileName: r.fileName, mime: 'application/pdf', dataBase64: r.dataBase64 })
        setStatus(t('invoices.printed', { count: r.count }))
      }
    } catch (e) {
      if (e instanceof ApiError && e.code === 'job.cancelled') setStatus(t('invoices.printStopped'))
      else setError(e)
    } finally {
      job.end(jobId)
      setRunning(null)
    }
  }

  async function download(method: 'invoices.exportCsv' | 'invoices.exportZip' | 'distribution.pickListPdf') {
    begin()
    setBusy(true)
    try {
      downloadFile(await call(method, { roundId }))
    } catch (e) {
      setError(e)
    } finally {
      setBusy(false)
    }
  }

  const locked = !roundId || busy || running !== null
  return (
    <section className="invoices-page">
      <PageTitle>{t('invoices.title')}</PageTitle>
      <p>{t('invoices.intro')}</p>
      <div className="toolbar">
        <div className="field">
          <label htmlFor={`${id}-round`}>{t('invoices.round')}</label>
          <RoundSelect
            id={`${id}-round`}
            rows={rounds.rows}
            value={roundId}
            onChange={(v) => {
              rounds.setRoundId(v)
              setPanel(null)
              begin()
            }}
          />
        </div>
      </div>
      <div className="actions invoice-actions" role="group" aria-label={t('invoices.actions')}>
        <button type="button" aria-expanded={panel === 'deposits'} disabled={locked} onClick={() => setPanel(panel === 'deposits' ? null : 'deposits')}>
          {t('invoices.requestDeposits')}
        </button>
        <button type="button" disabled={locked} onClick={() => void prepare()}>
          {t('invoices.prepare')}
        </button>
        <button type="button" ref={issueRef} className="primary" disabled={locked} onClick={() => setConfirmIssue(true)}>
          {t('invoices.issueAll')}
        </button>
        <button type="button" disabled={locked || issuedCount === 0} onClick={() => void printAll()}>
          {t('invoices.printAll')}
        </button>
        <button type="button" disabled={locked || issuedCount === 0} onClick={() => void download('invoices.exportZip')}>
          {t('invoices.zip')}
        </button>
        <button type="button" disabled={locked || issuedCount === 0} onClick={() => void download('invoices.exportCsv')}>
          {t('invoices.csv')}
        </button>
        <button type="button" disabled={locked} onClick={() => void download('distribution.pickListPdf')}>
          {t('invoices.pickLists')}
        </button>
        <a className="button" href={href(['distribution'], { round: roundId })}>
          {t('invoices.toDistribution')}
        </a>
        <span className="spring" />
        <button type="button" aria-expanded={panel === 'settings'} onClick={() => setPanel(panel === 'settings' ? null : 'settings')}>
          {t('invoices.settings')}
        </button>
      </div>
      {running ? (
        <JobProgressBar
          progress={job.progress}
          applying
          onCancel={job.cancel}
          stopLabel={t(running === 'issue' ? 'exchange.job.stopIssue' : 'exchange.job.stopPrint')}
          backupLabel={t('exchange.job.backupInvoices')}
          immediate
        />
      ) : null}
      <ErrorMessage error={error ?? rounds.error ?? list.error} />
      {status ? <Status>{status}</Status> : null}
      {panel === 'deposits' && roundId ? (
        <DepositsForm
          key={roundId}
          roundId={roundId}
          onDone={(text) => {
            setPanel(null)
            setStatus(text)
          }}
          onCancel={() => setPanel(null)}
        />
      ) : null}
      {panel === 'settings' ? <InvoiceSettings onClose={() => setPanel(null)} /> : null}
      <ConfirmDialog
        open={confirmIssue}
        title={t('invoices.issueAllTitle')}
        text={t('invoices.issueAllConfirm')}
        confirmLabel={t('invoices.issueAllLabel')}
        onCancel={() => setConfirmIssue(false)}
        onConfirm={() => void issueAll()}
      />
      {list.data && rows.length === 0 ? <p className="muted">{t('invoices.none')}</p> : null}
      {rows.length ? <InvoiceTable rows={rows} caption={t('invoices.caption')} /> : null}
    </section>
  )
}

/** The deposit requests of a round: the share (the settings' default) and the due day, confirmed before issuing. */
function DepositsForm({ roundId, onDone, onCancel }: { roundId: string; onDone: (status: string) => void; onCancel: () => void }) {
  const { t } = useTranslation()
  const settings = useData('invoices.settings', undefined, ['settings', 'invoices'])
  const [share, setShare] = useState<string | null>(null)
  const [due, setDue] = useState('')
  const [shareError, setShareError] = useState<string | null>(null)
  const [dueError, setDueError] = useState<string | null>(null)
  const [confirming, setConfirming] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  const shareText = share ?? (settings.data ? String(settings.data.depositPercent) : '')
  const scaled = parseScaled(shareText, 2)
  const percent = scaled === null ? null : scaled / 100

  function ask() {
    if (percent === null || percent < 1 || percent > 100) {
      setShareError(t('invoices.shareError'))
      return
    }
    setShareError(null)
    setConfirming(true)
  }

  async function submit() {
    setConfirming(false)
    setBusy(true)
    setError(null)
    setDueError(null)
    try {
      const r = await call('invoices.requestDeposits', { roundId, sharePercent: percent!, dueDate: due || null })
      onDone([t('invoices.depositsIssued', { count: r.issued.length }), r.skipped.length ? t('invoices.depositsSkipped', { names: r.skipped.join(', ') }) : ''].filter(Boolean).join(' '))
    } catch (e) {
      if (e instanceof ApiError && e.code === 'validation') {
        const fields = (e.params.fields ?? {}) as Record<string, { code: string; params?: Record<string, string> }>
        if (fields.dueDate) setDueError(t(`fieldErrors.${fields.dueDate.code}`, fields.dueDate.params ?? {}))
        if (fields.sharePercent) setShareError(t('invoices.shareError'))
        if (!fields.dueDate && !fields.sharePercent) setError(e)
      } else setError(e)
    } finally {
      setBusy(false)
    }
  }

  return (
    <form
      className="form inline-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault()
        ask()
      }}
    >
      <fieldset>
        <legend>{t('invoices.depositsTitle')}</legend>
        <p className="hint">{t('invoices.depositsIntro')}</p>
        <ErrorMessage error={error ?? settings.error} />
        <div className="row">
          <TextField name="sharePercent" label={t('invoices.sharePercent')} inputMode="decimal" className="small" value={shareText} error={shareError} onChange={setShare} />
          <DateField
            name="dueDate"
            label={t('invoices.depositDue')}
            note={t('invoices.depositDueHint', { days: settings.data?.paymentDays ?? 14 })}
            value={due}
            error={dueError}
            onChange={setDue}
          />
        </div>
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            {t('invoices.depositsSubmit')}
          </button>
          <button type="button" onClick={onCancel}>
            {t('common.cancel')}
          </button>
        </div>
      </fieldset>
      <ConfirmDialog
        open={confirming}
        title={t('invoices.depositsConfirmTitle')}
        text={t('invoices.depositsConfirm', { percent: shareText })}
        confirmLabel={t('invoices.depositsConfirmLabel')}
        onCancel={() => setConfirming(false)}
        onConfirm={() => void submit()}
      />
    </form>
  )
}
