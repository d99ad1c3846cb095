import { useEffect, useId, useMemo, useRef, useState, type ChangeEvent, type ReactNode, type RefObject } from 'react'
import { useTranslation } from 'react-i18next'
import type { JobProgress } from '../../../shared/events.ts'
import type { Issue } from '../../../shared/issues.ts'
import { call, onEvent } from './api.ts'
import { formatNumber } from './format.ts'

/** A file chosen for an import, with its bytes as they are (the transport carries them unchanged). */
export interface ChosenFile {
  name: string
  data: Uint8Array<ArrayBuffer>
}

/**
 * A preview lists at most this many rows (the first ones after sorting and filtering): the DOM stays
 * small for files of 10,000 rows and more, the summary and the filter cover the rest.
 */
export const MAX_SHOWN = 300

/**
 * The native file input, visually hidden (its button speaks the browser's language), with a translated
 * label styled as a button; the file's bytes are read and the input cleared, so the same file can be
 * chosen again after it was corrected.
 */
export function FileChooser({
  chosen,
  disabled,
  inputRef,
  onFile,
  onError
}: {
  chosen: string | null
  disabled?: boolean
  inputRef?: RefObject<HTMLInputElement | null>
  onFile: (file: ChosenFile) => void
  onError: (e: unknown) => void
}) {
  const { t } = useTranslation()
  const id = useId()
  async function choose(e: ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0]
    e.target.value = ''
    if (!file) return
    try {
      onFile({ name: file.name, data: new Uint8Array(await file.arrayBuffer()) })
    } catch (err) {
      onError(err)
    }
  }
  return (
    <div className="import-file">
      <input
        ref={inputRef}
        id={id}
        name="file"
        type="file"
        className="file-input"
        accept=".xlsx,.xlsm,.csv,.txt,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        aria-describedby={`${id}-hint`}
        disabled={disabled}
        onChange={(e) => void choose(e)}
      />
      <label htmlFor={id} className={chosen ? 'button' : 'button primary'}>
        {chosen ? t('exchange.chooseOther') : t('exchange.chooseFile')}
      </label>
      <span id={`${id}-hint`} className="muted">
        {chosen ? t('exchange.fileName', { name: chosen }) : t('exchange.fileHint')}
      </span>
    </div>
  )
}

/** Turns an import issue into its text, prefixed with the field it concerns when there is one. */
export function useIssueText(fieldLabel: (field: string) => string | null) {
  const { t } = useTranslation()
  return (issue: Issue): string => {
    const message = t(`${issue.ns}.${issue.code}`, (issue.params ?? {}) as Record<string, string>)
    const field = issue.field ? fieldLabel(issue.field) : null
    return field ? t('exchange.fieldProblem', { field, message }) : message
  }
}

/** The problems of the file as a whole (nothing can be imported), announced at once. */
export function FileProblems({ issues, text }: { issues: Issue[]; text: (issue: Issue) => string }) {
  const { t } = useTranslation()
  if (!issues.length) return null
  return (
    <div className="message error" role="alert">
      <p className="problems-head">{t('exchange.fileProblems')}</p>
      <ul className="issues">
        {issues.map((issue, i) => (
          <li key={i}>{text(issue)}</li>
        ))}
      </ul>
    </div>
  )
}

export type RowFilter = 'all' | 'problems' | 'changes' | 'unchanged'

/** The choice which rows of a preview to show, with how many each choice has. */
export function RowFilterSelect(props: {
  value: RowFilter
  counts: Record<RowFilter, number>
  changesLabel: 'exchange.filterChanges' | 'exchange.filterCatalogueChanges'
  onChange: (f: RowFilter) => void
}) {
  const { t, i18n } = useTranslation()
  const id = useId()
  const n = (f: RowFilter) => formatNumber(props.counts[f], i18n.language)
  return (
    <div className="tool">
      <label htmlFor={id}>{t('exchange.show')}</label>
      <select id={id} value={props.value} onChange={(e) => props.onChange(e.target.value as RowFilter)}>
        <option value="all">{t('exchange.filterAll', { n: n('all') })}</option>
        <option value="problems">{t('exchange.filterProblems', { n: n('problems') })}</option>
        <option value="changes">{t(props.changesLabel, { n: n('changes') })}</option>
        <option value="unchanged">{t('exchange.filterUnchanged', { n: n('unchanged') })}</option>
      </select>
    </div>
  )
}

/** Rows filtered and sorted (problems first, then changes, then the rest, each in file order), capped. */
export function visibleRows<R extends { line: number }>(rows: R[], kindOf: (r: R) => Exclude<RowFilter, 'all'>, filter: RowFilter) {
  const rank: Record<Exclude<RowFilter, 'all'>, number> = { problems: 0, changes: 1, unchanged: 2 }
  const counts: Record<RowFilter, number> = { all: rows.length, problems: 0, changes: 0, unchanged: 0 }
  const kinds = rows.map(kindOf)
  for (const k of kinds) counts[k]++
  const picked = rows.map((row, i) => ({ row, kind: kinds[i]! })).filter((x) => filter === 'all' || x.kind === filter)
  picked.sort((a, b) => rank[a.kind] - rank[b.kind] || a.row.line - b.row.line)
  return { counts, total: picked.length, shown: picked.slice(0, MAX_SHOWN) }
}

/** The note under a capped preview table. */
export function ShownNote({ shown, total }: { shown: number; total: number }) {
  const { t, i18n } = useTranslation()
  if (total === 0) return <p className="muted">{t('exchange.noRows')}</p>
  if (shown >= total) return null
  return <p className="muted">{t('exchange.shownFirst', { shown: formatNumber(shown, i18n.language), total: formatNumber(total, i18n.language) })}</p>
}

/**
 * The rows of a preview: the filter, the table (its header cells and rows given, the problems column
 * added when any row has one) and the note when the list is capped.
 */
export function PreviewTable(props: {
  filter: RowFilter
  counts: Record<RowFilter, number>
  changesLabel: 'exchange.filterChanges' | 'exchange.filterCatalogueChanges'
  onFilter: (f: RowFilter) => void
  shown: number
  total: number
  problems: boolean
  head: ReactNode
  children: ReactNode
}) {
  const { t } = useTranslation()
  return (
    <>
      <div className="toolbar">
        <RowFilterSelect value={props.filter} counts={props.counts} changesLabel={props.changesLabel} onChange={props.onFilter} />
      </div>
      <div className="table-wrap">
        <table className="lines import-rows">
          <caption>{t('exchange.rowsCaption')}</caption>
          <thead>
            <tr>
              <th scope="col" className="num">
                {t('exchange.line')}
              </th>
              {props.head}
              {props.problems ? <th scope="col">{t('exchange.problems')}</th> : null}
            </tr>
          </thead>
          <tbody>{props.children}</tbody>
        </table>
      </div>
      <ShownNote shown={props.shown} total={props.total} />
    </>
  )
}

/** A row's problems, as the last cell of a preview row (only when the table has that column). */
export function ProblemsCell({ show, issues, text }: { show: boolean; issues: Issue[]; text: (issue: Issue) => string }) {
  if (!show) return null
  return (
    <td>
      {issues.length ? (
        <ul className="issues">
          {issues.map((e, i) => (
            <li key={i}>{text(e)}</li>
          ))}
        </ul>
      ) : null}
    </td>
  )
}

/**
 * Apply and cancel under a preview, with the reason why applying is not possible yet; `children` below
 * them (the progress of a running apply, or that it was stopped), where the user who clicked looks.
 */
export function ApplyBar(props: {
  reason: string | null
  blocked: boolean
  busy: boolean
  onApply: () => void
  onCancel: () => void
  children?: ReactNode
}) {
  const { t } = useTranslation()
  const id = useId()
  return (
    <>
      <div className="actions import-actions">
        <button
          type="button"
          className="primary"
          disabled={props.reason !== null || props.busy}
          aria-describedby={props.reason ? `${id}-reason` : undefined}
          onClick={props.onApply}
        >
          {t('exchange.apply')}
        </button>
        <button type="button" onClick={props.onCancel}>
          {t('exchange.cancel')}
        </button>
        {props.reason ? (
          <p id={`${id}-reason`} className={props.blocked ? 'apply-reason blocked' : 'apply-reason'}>
            {props.reason}
          </p>
        ) : null}
      </div>
      {props.children}
    </>
  )
}

/** Asks the core to stop a job; a job that has just finished is no longer there, which is fine. */
function stopJob(id: string): void {
  call('jobs.cancel', { id }).catch(() => undefined)
}

/**
 * A check or an import the core runs off its main thread (a job): `start()` gives the id to send with
 * the call (a job of this screen still running is stopped: its answer is no longer wanted), `progress`
 * is how far it has come (from the core's events), `cancel()` stops it, `end(id)` forgets it once it
 * answered. A job still running when the screen goes is stopped.
 */
export function useJob() {
  const current = useRef<string | null>(null)
  const [progress, setProgress] = useState<JobProgress | null>(null)
  useEffect(() => {
    const off = onEvent((e) => {
      if (e.type === 'job' && e.id === current.current) setProgress(e)
    })
    return () => {
      off()
      if (current.current) stopJob(current.current)
    }
  }, [])
  const control = useMemo(
    () => ({
      start(): string {
        if (current.current) stopJob(current.current)
        const id = crypto.randomUUID()
        current.current = id
        setProgress(null)
        return id
      },
      end(id: string): void {
        if (current.current !== id) return
        current.current = null
        setProgress(null)
      },
      cancel(): void {
        if (current.current) stopJob(current.current)
      }
    }),
    []
  )
  return { ...control, progress }
}

/**
 * The progress of a running check or import: what it is doing, a bar (without a measure while none is
 * known) and the button that stops it. Shown only when the work takes a moment, so a small file does
 * not make it flicker.
 */
export function JobProgressBar({
  progress,
  applying,
  onCancel,
  stopLabel,
  backupLabel,
  immediate
}: {
  progress: JobProgress | null
  applying: boolean
  onCancel: () => void
  /** The stop button's text for a job other than an import (issuing, printing). */
  stopLabel?: string
  /** What the backup phase says for a job other than an import. */
  backupLabel?: string
  /** Shown at once (a step the user watches, such as issuing), not only once the job takes a moment. */
  immediate?: boolean
}) {
  const { t, i18n } = useTranslation()
  const id = useId()
  const [shown, setShown] = useState(Boolean(immediate))
  useEffect(() => {
    const timer = setTimeout(() => setShown(true), 300)
    return () => clearTimeout(timer)
  }, [])
  if (!shown) return null
  const measured = progress !== null && progress.total > 0
  const n = (v: number) => formatNumber(v, i18n.language)
  // Counting phases ("3 of 12") say so once the total is known; until then the job is starting.
  const counted = progress !== null && (progress.phase === 'check' || progress.phase === 'issue' || progress.phase === 'print')
  const text = !progress
    ? t('exchange.job.starting')
    : counted
      ? measured
        ? t(`exchange.job.${progress.phase as 'check' | 'issue' | 'print'}`, { done: n(progress.done), total: n(progress.total) })
        : t('exchange.job.starting')
      : progress.phase === 'backup' && backupLabel
        ? backupLabel
        : t(`exchange.job.${progress.phase}`)
  return (
    <div className="job-progress">
      <label htmlFor={id}>{text}</label>
      <progress id={id} max={measured ? progress.total : undefined} value={measured ? progress.done : undefined} />
      <button type="button" onClick={onCancel}>
        {stopLabel ?? (applying ? t('exchange.job.stopImport') : t('exchange.job.stopCheck'))}
      </button>
    </div>
  )
}
