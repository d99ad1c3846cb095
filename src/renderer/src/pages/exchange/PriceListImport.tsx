import { useId, useMemo, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { Input, Output } from '../../../../shared/api.ts'
import { call } from '../../api.ts'
import { ErrorMessage, PageTitle, Status } from '../../components.tsx'
import { countryName, decimalSeparator, formatNumber } from '../../format.ts'
import { useQuery } from '../../hooks.ts'
import { href } from '../../route.ts'
import { type ChosenFile, FileChooser, FileProblems, type RowFilter, RowFilterSelect, ShownNote, useIssueText, visibleRows } from './parts.tsx'

type Preview = Output<'catalogue.importPreview'>
type Row = Preview['rows'][number]
type Mapping = NonNullable<NonNullable<Input<'catalogue.importPreview'>>['mapping']>
type Field = keyof Mapping
type Done = { kind: 'applied'; result: Output<'catalogue.importApply'> } | { kind: 'cancelled' }

/** The product fields a column can fill, in the order of the mapping form (a Record: none can be missing). */
const FIELD_ORDER: Record<Field, number> = {
  sku: 0,
  nameEs: 1,
  nameDe: 2,
  nameEn: 3,
  price: 4,
  currency: 5,
  caseUnits: 6,
  salesUnit: 7,
  netQuantity: 8,
  netUnit: 9,
  grossKgPerCase: 10,
  hsCode: 11,
  vatClass: 12,
  originCountry: 13
}
const FIELDS = (Object.keys(FIELD_ORDER) as Field[]).sort((a, b) => FIELD_ORDER[a] - FIELD_ORDER[b])

/** Decimal values the core reports with a '.'; shown with the locale's separator. */
const DECIMAL_FIELDS = new Set(['price', 'caseUnits', 'netQuantity', 'grossKgPerCase', 'volumeM3PerCase', 'alcoholPercent'])

const kindOf = (r: Row) => (r.action === 'error' ? 'problems' : r.action === 'insert' || r.action === 'update' ? 'changes' : 'unchanged')

/**
 * A cooperative's price list from a file: the columns found and which product field each fills (as
 * suggested, or as chosen), then every row as new, changed (with the fields), unchanged or with problems.
 * Apply saves all rows or, on any problem, none; Cancel forgets the file.
 */
export function PriceListImport({ supplierId }: { supplierId: string }) {
  const { t, i18n } = useTranslation()
  const locale = i18n.language
  const supplier = useQuery('suppliers.get', ['suppliers'], { id: supplierId })
  const [file, setFile] = useState<ChosenFile | null>(null)
  const [preview, setPreview] = useState<Preview | null>(null)
  /** The mapping chosen by the user; null: the one the core suggests. */
  const [mapping, setMapping] = useState<Mapping | null>(null)
  const [busy, setBusy] = useState<'checking' | 'applying' | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [done, setDone] = useState<Done | null>(null)
  const [filter, setFilter] = useState<RowFilter>('all')
  const latest = useRef(0)
  const inputRef = useRef<HTMLInputElement>(null)
  const fieldLabel = (field: string) => (i18n.exists(`products.${field}`) ? t(`products.${field}`) : null)
  const issueText = useIssueText(fieldLabel)
  const name = supplier.data?.name ?? ''

  /** Checks the file; with a new file the old preview goes, with a new mapping it stays until the answer. */
  async function check(f: ChosenFile, m: Mapping | null) {
    const n = ++latest.current
    setBusy('checking')
    setError(null)
    setDone(null)
    if (!m) setPreview(null)
    try {
      const p = await call('catalogue.importPreview', { supplierId, fileName: f.name, dataBase64: f.dataBase64, ...(m ? { mapping: m } : {}) })
      if (n !== latest.current) return
      setPreview(p)
      if (!m) setFilter('all')
    } catch (e) {
      if (n === latest.current) setError(e)
    } finally {
      if (n === latest.current) setBusy(null)
    }
  }

  function chooseFile(f: ChosenFile) {
    setFile(f)
    setMapping(null)
    void check(f, null)
  }

  function mapField(field: Field, value: string) {
    if (!file || !preview) return
    const next: Mapping = { ...(mapping ?? preview.mapping), [field]: value === '' ? null : Number(value) }
    setMapping(next)
    void check(file, next)
  }

  async function apply() {
    if (!file || !preview || busy) return
    const n = ++latest.current
    setBusy('applying')
    setError(null)
    try {
      const result = await call('catalogue.importApply', { supplierId, fileName: file.name, dataBase64: file.dataBase64, ...(mapping ? { mapping } : {}) })
      if (n !== latest.current) return
      setFile(null)
      setPreview(null)
      setMapping(null)
      setDone({ kind: 'applied', result })
    } catch (e) {
      if (n === latest.current) setError(e)
    } finally {
      if (n === latest.current) setBusy(null)
    }
  }

  function cancel() {
    latest.current++
    setFile(null)
    setPreview(null)
    setMapping(null)
    setError(null)
    setBusy(null)
    setDone({ kind: 'cancelled' })
    inputRef.current?.focus()
  }

  /** A value of a changed field as the user reads it. */
  const shownValue = (field: string, value: string | null): string => {
    if (value === null || value === '') return t('exchange.emptyValue')
    if ((field === 'salesUnit' || field === 'netUnit') && i18n.exists(`units.${value}`)) return t(`units.${value}`)
    if (field === 'vatClass' && i18n.exists(`vatClass.${value}`)) return t(`vatClass.${value}`)
    if (field === 'originCountry') return countryName(value, locale)
    if (DECIMAL_FIELDS.has(field)) return value.replace('.', decimalSeparator(locale))
    return value
  }

  const n = (v: number) => formatNumber(v, locale)

  return (
    <section className="import">
      <p className="back">
        <a href={href(['catalogue', 'suppliers', supplierId])}>{t('exchange.back', { supplier: name })}</a>
      </p>
      <PageTitle>{t('exchange.priceListTitle', { supplier: name })}</PageTitle>
      <p>{t('exchange.priceListIntro')}</p>
      <ErrorMessage error={supplier.error} />
      <FileChooser chosen={file?.name ?? null} inputRef={inputRef} onFile={chooseFile} onError={setError} />
      <p className="muted import-progress" role="status">
        {busy === 'checking' ? (preview ? t('exchange.updating') : t('exchange.checking')) : busy === 'applying' ? t('exchange.applying') : null}
      </p>
      <ErrorMessage error={error} />
      {done?.kind === 'applied' ? (
        <Status>
          {t('exchange.catalogueApplied', { inserted: n(done.result.inserted), updated: n(done.result.updated), unchanged: n(done.result.unchanged) })}
        </Status>
      ) : null}
      {done?.kind === 'cancelled' ? <Status>{t('exchange.cancelled')}</Status> : null}
      {preview && file ? (
        <>
          {preview.columns.length > 0 ? <MappingForm preview={preview} mapping={mapping ?? preview.mapping} onChange={mapField} /> : null}
          <CataloguePreview
            preview={preview}
            filter={filter}
            onFilter={setFilter}
            issueText={issueText}
            fieldLabel={(f) => fieldLabel(f) ?? f}
            shownValue={shownValue}
            busy={busy !== null}
            onApply={() => void apply()}
            onCancel={cancel}
          />
        </>
      ) : null}
    </section>
  )
}

/** The columns found in the file, and a select per product field saying which column fills it. */
function MappingForm({ preview, mapping, onChange }: { preview: Preview; mapping: Mapping; onChange: (field: Field, value: string) => void }) {
  const { t } = useTranslation()
  const id = useId()
  const columnText = (c: Preview['columns'][number]) =>
    c.header ? t('exchange.columnOption', { letter: c.letter, header: c.header }) : t('exchange.columnLetter', { letter: c.letter })
  return (
    <fieldset className="mapping">
      <legend>{t('exchange.columnsTitle')}</legend>
      <p className="muted">
        {t('exchange.columnsIntro')}
        {preview.headerRow ? ` ${t('exchange.headerRow', { row: preview.headerRow })}` : null}
      </p>
      <div className="table-wrap">
        <table className="lines columns">
          <thead>
            <tr>
              <th scope="col">{t('exchange.column')}</th>
              <th scope="col">{t('exchange.header')}</th>
              <th scope="col">{t('exchange.samples')}</th>
            </tr>
          </thead>
          <tbody>
            {preview.columns.map((c) => (
              <tr key={c.index}>
                <td>{c.letter}</td>
                <td>{c.header}</td>
                <td className="muted">{c.samples.join(' · ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="mapping-fields">
        {FIELDS.map((field) => {
          const value = mapping[field]
          return (
            <div className="field" key={field}>
              <label htmlFor={`${id}-${field}`}>{t(`products.${field}`)}</label>
              <select id={`${id}-${field}`} name={field} value={value === null || value === undefined ? '' : String(value)} onChange={(e) => onChange(field, e.target.value)}>
                <option value="">{t('exchange.notImported')}</option>
                {preview.columns.map((c) => (
                  <option key={c.index} value={String(c.index)}>
                    {columnText(c)}
                  </option>
                ))}
              </select>
            </div>
          )
        })}
      </div>
    </fieldset>
  )
}

function CataloguePreview(props: {
  preview: Preview
  filter: RowFilter
  onFilter: (f: RowFilter) => void
  issueText: ReturnType<typeof useIssueText>
  fieldLabel: (field: string) => string
  shownValue: (field: string, value: string | null) => string
  busy: boolean
  onApply: () => void
  onCancel: () => void
}) {
  const { t, i18n } = useTranslation()
  const id = useId()
  const { preview, issueText, fieldLabel, shownValue } = props
  const n = (v: number) => formatNumber(v, i18n.language)
  const view = useMemo(() => visibleRows(preview.rows, kindOf, props.filter), [preview.rows, props.filter])
  // The problems column only when some row has one.
  const anyProblems = view.counts.problems > 0
  const s = preview.summary
  const problems = preview.fileErrors.length + s.errors
  const reason = preview.blocking
    ? t('exchange.blockedReason', { n: n(problems) })
    : s.insert + s.update === 0
      ? t('exchange.nothingToApply')
      : null
  return (
    <div className="import-preview">
      <FileProblems issues={preview.fileErrors} text={issueText} />
      <p className="import-summary">
        {t('exchange.catalogueSummary', { rows: n(s.rows), insert: n(s.insert), update: n(s.update), unchanged: n(s.unchanged), errors: n(s.errors) })}
      </p>
      {preview.rows.length > 0 ? (
        <>
          <div className="toolbar">
            <RowFilterSelect value={props.filter} counts={view.counts} changesLabel="exchange.filterCatalogueChanges" onChange={props.onFilter} />
          </div>
          <div className="table-wrap">
            <table className="lines import-rows">
              <caption>{t('exchange.rowsCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col" className="num">
                    {t('exchange.line')}
                  </th>
                  <th scope="col">{t('exchange.sku')}</th>
                  <th scope="col">{t('exchange.name')}</th>
                  <th scope="col">{t('exchange.result')}</th>
                  <th scope="col">{t('exchange.changes')}</th>
                  {anyProblems ? <th scope="col">{t('exchange.problems')}</th> : null}
                </tr>
              </thead>
              <tbody>
                {view.shown.map(({ row }) => (
                  <tr key={row.line} className={row.action === 'error' ? 'problem' : row.action === 'unchanged' ? undefined : 'change'}>
                    <td className="num">{row.line}</td>
                    <td className="nowrap">{row.sku}</td>
                    <td>{row.name}</td>
                    <td>
                      <span className={`result ${row.action}`}>{t(`exchange.catalogueStatus.${row.action}`)}</span>
                    </td>
                    <td>
                      {row.changes.length ? (
                        <ul className="changes">
                          {row.changes.map((c) => (
                            <li key={c.field}>
                              {c.from === null
                                ? t('exchange.newValue', { field: fieldLabel(c.field), to: shownValue(c.field, c.to) })
                                : t('exchange.change', { field: fieldLabel(c.field), from: shownValue(c.field, c.from), to: shownValue(c.field, c.to) })}
                            </li>
                          ))}
                        </ul>
                      ) : null}
                    </td>
                    {anyProblems ? (
                      <td>
                        {row.errors.length ? (
                          <ul className="issues">
                            {row.errors.map((e, i) => (
                              <li key={i}>{issueText(e)}</li>
                            ))}
                          </ul>
                        ) : null}
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <ShownNote shown={view.shown.length} total={view.total} />
        </>
      ) : null}
      <div className="actions import-actions">
        <button
          type="button"
          className="primary"
          disabled={reason !== null || props.busy}
          aria-describedby={reason ? `${id}-reason` : undefined}
          onClick={props.onApply}
        >
          {t('exchange.apply')}
        </button>
        <button type="button" onClick={props.onCancel}>
          {t('exchange.cancel')}
        </button>
        {reason ? (
          <p id={`${id}-reason`} className={preview.blocking ? 'apply-reason blocked' : 'apply-reason'}>
            {reason}
          </p>
        ) : null}
      </div>
    </div>
  )
}
