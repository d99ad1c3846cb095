import { type ReactNode, useEffect, useEffectEvent, useId, useMemo, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { Output } from '../../../../shared/api.ts'
import { ApiError, call, onEvent } from '../../ui/api.ts'
import { ErrorMessage, PageTitle, Status } from '../../ui/components.tsx'
import { DateField } from '../../ui/form.tsx'
import { formatNumber, formatSteps, instantFromLocal } from '../../ui/format.ts'
import { RoundSelect, useRoundChoice } from '../rounds/roundChoice.tsx'
import { fieldErrorText } from './receivedTime.tsx'
import {
  ApplyBar,
  type ChosenFile,
  FileChooser,
  FileProblems,
  JobProgressBar,
  PreviewTable,
  ProblemsCell,
  type RowFilter,
  useIssueText,
  useJob,
  visibleRows
} from '../../ui/importParts.tsx'

type Preview = Output<'orders.importPreview'>
type Row = Preview['rows'][number]
/** What the last step did: applied, cancelled (the file forgotten), or an apply stopped (the preview stays). */
type Done = { kind: 'applied'; result: Output<'orders.importApply'> } | { kind: 'cancelled' } | { kind: 'stopped' }

const kindOf = (r: Row) => (r.status === 'error' ? 'problems' : r.status === 'ok' ? 'changes' : 'unchanged')

/**
 * Orders from a file: a filled order form or any table. The core checks every row and writes nothing
 * (the preview); Apply sends the same file again and the core applies all of it or, on any problem,
 * nothing. Cancel forgets the file.
 */
export function OrderImport({ initialRound }: { initialRound?: string }) {
  const { t, i18n } = useTranslation()
  const locale = i18n.language
  const id = useId()
  const rounds = useRoundChoice(['open'], initialRound)
  const round = rounds.roundId
  const [file, setFile] = useState<ChosenFile | null>(null)
  const [preview, setPreview] = useState<Preview | null>(null)
  const [busy, setBusy] = useState<'checking' | 'applying' | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [done, setDone] = useState<Done | null>(null)
  const [filter, setFilter] = useState<RowFilter>('all')
  // When the file's orders were received (a form sent back earlier), as the date field holds it; empty: now.
  const [received, setReceived] = useState('')
  const [receivedError, setReceivedError] = useState<string | null>(null)
  // Only the answer to the latest check counts (another file or round may have been chosen meanwhile).
  const latest = useRef(0)
  const inputRef = useRef<HTMLInputElement>(null)
  const issueText = useIssueText((field) => (field === 'quantity' || field === 'tolerance' ? t(`exchange.${field}`) : null))
  // The check and the apply run off the core's main thread, with progress and a stop button.
  const job = useJob()

  /** Forgets the file and its preview (after Cancel, or a check the user stopped). */
  function forget() {
    latest.current++
    setFile(null)
    setPreview(null)
    setError(null)
    setBusy(null)
    setDone({ kind: 'cancelled' })
    inputRef.current?.focus()
  }

  /**
   * Checks the file against the round. 'new': a file or round just chosen (the old preview goes);
   * 'refresh': the same file again, the preview stays until the answer (after another language was
   * chosen: product names come in the UI language); 'retry': after a refused apply, keeping its error.
   */
  async function check(f: ChosenFile, forRound: string, mode: 'new' | 'refresh' | 'retry' = 'new') {
    const n = ++latest.current
    setBusy('checking')
    if (mode !== 'retry') setError(null)
    if (mode !== 'refresh') {
      setDone(null)
      setPreview(null)
    }
    const id = job.start()
    try {
      const p = await call('orders.importPreview', { roundId: forRound, fileName: f.name, data: f.data, job: id })
      if (n !== latest.current) return
      setPreview(p)
      if (mode !== 'refresh') setFilter('all')
    } catch (e) {
      if (n !== latest.current) return
      // Stopped by the user: the file is forgotten, as with Cancel.
      if (e instanceof ApiError && e.code === 'job.cancelled') forget()
      else setError(e)
    } finally {
      job.end(id)
      if (n === latest.current) setBusy(null)
    }
  }

  const onLanguage = useEffectEvent(() => {
    if (file && preview && busy === null) void check(file, round, 'refresh')
  })
  useEffect(() => onEvent((e) => e.type === 'language' && onLanguage()), [])

  function chooseFile(f: ChosenFile) {
    setFile(f)
    void check(f, round)
  }

  function chooseRound(value: string) {
    rounds.setRoundId(value)
    if (file) void check(file, value)
  }

  async function apply() {
    if (!file || !preview || busy) return
    const orderedAt = received ? instantFromLocal(received) : undefined
    if (orderedAt === null) {
      setReceivedError(t('fieldErrors.datetime'))
      return
    }
    setReceivedError(null)
    const n = ++latest.current
    setBusy('applying')
    setError(null)
    setDone(null)
    const id = job.start()
    try {
      const result = await call('orders.importApply', { roundId: round, fileName: file.name, data: file.data, ...(orderedAt ? { orderedAt } : {}), job: id })
      if (n !== latest.current) return
      setFile(null)
      setPreview(null)
      setDone({ kind: 'applied', result })
      setBusy(null)
    } catch (e) {
      if (n !== latest.current) return
      setBusy(null)
      // Stopped by the user: nothing was written; the file and its preview stay, to apply later.
      if (e instanceof ApiError && e.code === 'job.cancelled') {
        setDone({ kind: 'stopped' })
        return
      }
      const fe = fieldErrorText(t, e)
      if (fe?.path === 'orderedAt') setReceivedError(fe.text)
      else setError(e)
      // The orders or the round changed since the preview: show what the file would do now.
      if (e instanceof ApiError && e.code === 'import.blocked') void check(file, round, 'retry')
    } finally {
      job.end(id)
    }
  }

  /** Cancel: a running check or apply is stopped (nothing is written) and the file forgotten. */
  function cancel() {
    job.cancel()
    forget()
  }

  const n = (v: number) => formatNumber(v, locale)

  return (
    <section className="import">
      <PageTitle>{t('exchange.ordersTitle')}</PageTitle>
      <p>{t('exchange.ordersIntro')}</p>
      <div className="toolbar order-toolbar">
        <div className="tool">
          <label htmlFor={`${id}-round`}>{t('orders.round')}</label>
          <RoundSelect id={`${id}-round`} rows={rounds.rows} value={round} onChange={chooseRound} />
        </div>
        <DateField
          time
          name="orderedAt"
          className="tool received-tool"
          label={t('orders.receivedAt')}
          note={t('orders.importReceivedHint')}
          value={received}
          error={receivedError}
          onChange={(v) => {
            setReceived(v)
            setReceivedError(null)
          }}
        />
      </div>
      <FileChooser chosen={file?.name ?? null} disabled={!round} inputRef={inputRef} onFile={chooseFile} onError={setError} />
      <p className="muted import-progress" role="status">
        {busy === 'checking' ? t('exchange.checking') : busy === 'applying' ? t('exchange.applying') : null}
      </p>
      {busy === 'checking' ? <JobProgressBar progress={job.progress} applying={false} onCancel={job.cancel} /> : null}
      <ErrorMessage error={error ?? rounds.error} />
      {done?.kind === 'applied' ? (
        <Status>
          {t('exchange.ordersApplied', { applied: n(done.result.applied), orders: n(done.result.orders), unchanged: n(done.result.unchanged) })}
        </Status>
      ) : null}
      {done?.kind === 'cancelled' ? <Status>{t('exchange.cancelled')}</Status> : null}
      {preview && file ? (
        <OrderPreview preview={preview} filter={filter} onFilter={setFilter} issueText={issueText} busy={busy !== null} onApply={() => void apply()} onCancel={cancel}>
          {busy === 'applying' ? <JobProgressBar progress={job.progress} applying onCancel={job.cancel} /> : null}
          {done?.kind === 'stopped' ? <Status>{t('exchange.cancelled')}</Status> : null}
        </OrderPreview>
      ) : null}
    </section>
  )
}

function OrderPreview(props: {
  preview: Preview
  filter: RowFilter
  onFilter: (f: RowFilter) => void
  issueText: ReturnType<typeof useIssueText>
  busy: boolean
  onApply: () => void
  onCancel: () => void
  /** Under the apply buttons: the progress of a running apply, or that it was stopped. */
  children?: ReactNode
}) {
  const { t, i18n } = useTranslation()
  const locale = i18n.language
  const { preview, issueText } = props
  const n = (v: number) => formatNumber(v, locale)
  const view = useMemo(() => visibleRows(preview.rows, kindOf, props.filter), [preview.rows, props.filter])
  // The problems column only when some row has one.
  const anyProblems = view.counts.problems > 0
  const problems = preview.fileErrors.length + preview.summary.errors
  const reason = preview.blocking
    ? t('exchange.blockedReason', { n: n(problems) })
    : preview.summary.ok === 0
      ? t('exchange.nothingToApply')
      : null
  const format = preview.format?.toUpperCase() ?? ''
  const details =
    preview.format === 'csv'
      ? t('exchange.csvDetails', { format, separator: preview.separator === '\t' ? '⇥' : (preview.separator ?? ''), encoding: preview.encoding ?? '' })
      : format
  const s = preview.summary

  return (
    <div className="import-preview">
      {preview.kind ? (
        <p className="muted">
          {preview.kind === 'form' ? t('exchange.kindForm') : t('exchange.kindTable')}
          {` · ${details}`}
        </p>
      ) : null}
      <FileProblems issues={preview.fileErrors} text={issueText} />
      <p className="import-summary">
        {t('exchange.ordersSummary', { rows: n(s.rows), ok: n(s.ok), unchanged: n(s.unchanged), errors: n(s.errors), buyers: n(s.buyers) })}
      </p>
      {preview.rows.length > 0 ? (
        <PreviewTable
          filter={props.filter}
          counts={view.counts}
          changesLabel="exchange.filterChanges"
          onFilter={props.onFilter}
          shown={view.shown.length}
          total={view.total}
          problems={anyProblems}
          head={
            <>
              <th scope="col">{t('exchange.buyer')}</th>
              <th scope="col">{t('exchange.sku')}</th>
              <th scope="col">{t('exchange.product')}</th>
              <th scope="col" className="num">
                {t('exchange.quantity')}
              </th>
              <th scope="col" className="num">
                {t('exchange.tolerance')}
              </th>
              <th scope="col">{t('exchange.result')}</th>
            </>
          }
        >
          {view.shown.map(({ row }) => (
            <tr key={row.line} className={row.status === 'error' ? 'problem' : row.status === 'ok' ? 'change' : undefined}>
              <td className="num">{row.line}</td>
              <td>{row.buyer}</td>
              <td className="nowrap">{row.sku}</td>
              <td className="product">{row.product}</td>
              <td className="num">
                <Amount value={row.quantity} current={row.status === 'error' ? null : row.current.quantity} stepMilli={row.stepMilli} />
              </td>
              <td className="num">
                <Amount value={row.tolerance} current={row.status === 'error' ? null : row.current.tolerance} stepMilli={row.stepMilli} />
              </td>
              <td>
                <span className={`result ${row.status}`}>{t(`exchange.orderStatus.${row.status}`)}</span>
              </td>
              <ProblemsCell show={anyProblems} issues={row.errors} text={issueText} />
            </tr>
          ))}
        </PreviewTable>
      ) : null}
      <ApplyBar reason={reason} blocked={preview.blocking} busy={props.busy} onApply={props.onApply} onCancel={props.onCancel}>
        {props.children}
      </ApplyBar>
    </div>
  )
}

/** A quantity from the file (in the product's steps, shown in its unit); with what the order holds now when the file changes it. */
function Amount({ value, current, stepMilli }: { value: number | null; current: number | null; stepMilli: number }) {
  const { t, i18n } = useTranslation()
  if (value === null) return null
  const shown = formatSteps(value, stepMilli, i18n.language)
  if (current === null || current === value) return <>{shown}</>
  return (
    <>
      <strong>{shown}</strong>
      <span className="was">{t('exchange.was', { value: formatSteps(current, stepMilli, i18n.language) })}</span>
    </>
  )
}
