import { type ReactNode, useId, useMemo, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { Input, Output } from '../../../../shared/api.ts'
import { SALES_UNITS, VAT_CLASSES } from '../../../../shared/catalogue.ts'
import type { FieldErrors } from '../../../../shared/errors.ts'
import { ApiError, call } from '../../ui/api.ts'
import { ErrorMessage, PageTitle, Status } from '../../ui/components.tsx'
import { CodeOptions, CountryOptions, CurrencyOptions, SelectField, TextField } from '../../ui/form.tsx'
import { countryName, decimalSeparator, formatNumber } from '../../ui/format.ts'
import { useData } from '../../ui/data.ts'
import { href } from '../../ui/route.ts'
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

type Preview = Output<'catalogue.importPreview'>
type Row = Preview['rows'][number]
type Mapping = NonNullable<NonNullable<Input<'catalogue.importPreview'>>['mapping']>
type Field = keyof Mapping
/** The values new products take where the file has none, as the form holds them (the case size as typed). */
type Defaults = Preview['defaults']
/** What the last step did: applied, cancelled (the file forgotten), or an apply stopped (the preview stays). */
type Done = { kind: 'applied'; result: Output<'catalogue.importApply'> } | { kind: 'cancelled' } | { kind: 'stopped' }

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
  const supplier = useData('suppliers.get', { id: supplierId }, ['suppliers'])
  const [file, setFile] = useState<ChosenFile | null>(null)
  const [preview, setPreview] = useState<Preview | null>(null)
  /** The mapping chosen by the user; null: the one the core suggests. */
  const [mapping, setMapping] = useState<Mapping | null>(null)
  /** The defaults for new products chosen by the user; null: the ones the core suggests. */
  const [defaults, setDefaults] = useState<Defaults | null>(null)
  /** What the core said about the chosen defaults (shown next to their fields). */
  const [defaultErrors, setDefaultErrors] = useState<FieldErrors>({})
  const [busy, setBusy] = useState<'checking' | 'applying' | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [done, setDone] = useState<Done | null>(null)
  const [filter, setFilter] = useState<RowFilter>('all')
  const latest = useRef(0)
  const inputRef = useRef<HTMLInputElement>(null)
  const fieldLabel = (field: string) => (i18n.exists(`products.${field}`) ? t(`products.${field}`) : null)
  const issueText = useIssueText(fieldLabel)
  // The check and the apply run off the core's main thread, with progress and a stop button.
  const job = useJob()
  const name = supplier.data?.name ?? ''

  /** The import's input: the file, and the mapping and defaults where the user chose them. */
  const importInput = (f: ChosenFile, m: Mapping | null, d: Defaults | null) => ({
    supplierId,
    fileName: f.name,
    data: f.data,
    ...(m ? { mapping: m } : {}),
    ...(d ? { defaults: d as NonNullable<Input<'catalogue.importPreview'>['defaults']> } : {})
  })

  /** A refusal of the chosen defaults goes next to their fields; anything else above. */
  function failed(e: unknown) {
    if (e instanceof ApiError && e.code === 'validation') setDefaultErrors((e.params.fields ?? {}) as FieldErrors)
    else setError(e)
  }

  /** Checks the file; with a new file the old preview goes, with a new mapping or defaults it stays until the answer. */
  async function check(f: ChosenFile, m: Mapping | null, d: Defaults | null) {
    const n = ++latest.current
    setBusy('checking')
    setError(null)
    setDone(null)
    if (!m && !d) setPreview(null)
    const id = job.start()
    try {
      const p = await call('catalogue.importPreview', { ...importInput(f, m, d), job: id })
      if (n !== latest.current) return
      setPreview(p)
      setDefaultErrors({})
      if (!m && !d) setFilter('all')
    } catch (e) {
      if (n !== latest.current) return
      // Stopped by the user: the file is forgotten, as with Cancel.
      if (e instanceof ApiError && e.code === 'job.cancelled') forget()
      else failed(e)
    } finally {
      job.end(id)
      if (n === latest.current) setBusy(null)
    }
  }

  function chooseFile(f: ChosenFile) {
    setFile(f)
    setMapping(null)
    setDefaults(null)
    setDefaultErrors({})
    void check(f, null, null)
  }

  function mapField(field: Field, value: string) {
    if (!file || !preview) return
    const next: Mapping = { ...(mapping ?? preview.mapping), [field]: value === '' ? null : Number(value) }
    setMapping(next)
    void check(file, next, defaults)
  }

  function setDefault(next: Defaults) {
    if (!file) return
    setDefaults(next)
    void check(file, mapping, next)
  }

  async function apply() {
    if (!file || !preview || busy) return
    const n = ++latest.current
    setBusy('applying')
    setError(null)
    setDone(null)
    const id = job.start()
    try {
      const result = await call('catalogue.importApply', { ...importInput(file, mapping, defaults), job: id })
      if (n !== latest.current) return
      setFile(null)
      setPreview(null)
      setMapping(null)
      setDefaults(null)
      setDone({ kind: 'applied', result })
    } catch (e) {
      if (n !== latest.current) return
      // Stopped by the user: nothing was saved; the file and its preview stay, to apply later.
      if (e instanceof ApiError && e.code === 'job.cancelled') setDone({ kind: 'stopped' })
      else failed(e)
    } finally {
      job.end(id)
      if (n === latest.current) setBusy(null)
    }
  }

  /** Cancel: a running check or apply is stopped (nothing is saved) and the file forgotten. */
  function cancel() {
    job.cancel()
    forget()
  }

  function forget() {
    latest.current++
    setFile(null)
    setPreview(null)
    setMapping(null)
    setDefaults(null)
    setDefaultErrors({})
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
    if (field === 'minOrderAction' && i18n.exists(`minOrderAction.${value}`)) return t(`minOrderAction.${value}`)
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
      {busy === 'checking' ? <JobProgressBar progress={job.progress} applying={false} onCancel={job.cancel} /> : null}
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
          {preview.columns.length > 0 ? (
            <DefaultsForm
              values={defaults ?? { ...preview.defaults, caseUnits: preview.defaults.caseUnits.replace('.', decimalSeparator(locale)) }}
              errors={defaultErrors}
              onChange={setDefault}
            />
          ) : null}
          <CataloguePreview
            preview={preview}
            defaultsRefused={Object.keys(defaultErrors).length > 0}
            filter={filter}
            onFilter={setFilter}
            issueText={issueText}
            fieldLabel={(f) => fieldLabel(f) ?? f}
            shownValue={shownValue}
            busy={busy !== null}
            onApply={() => void apply()}
            onCancel={cancel}
          >
            {busy === 'applying' ? <JobProgressBar progress={job.progress} applying onCancel={job.cancel} /> : null}
            {done?.kind === 'stopped' ? <Status>{t('exchange.cancelled')}</Status> : null}
          </CataloguePreview>
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

/**
 * The values new products take where the file has no column for them (or an empty cell): sales unit, case
 * size, VAT class, currency, origin. A select applies at once; the case size when leaving the field or
 * with Enter. The preview follows.
 */
function DefaultsForm({ values, errors, onChange }: { values: Defaults; errors: FieldErrors; onChange: (next: Defaults) => void }) {
  const { t } = useTranslation()
  // The case size as typed, until it is applied (leaving the field, Enter, or another choice here).
  const [caseUnits, setCaseUnits] = useState(values.caseUnits)
  const [applied, setApplied] = useState(values.caseUnits)
  if (values.caseUnits !== applied) {
    setApplied(values.caseUnits)
    setCaseUnits(values.caseUnits)
  }
  const fieldError = (name: string) => {
    const fe = errors[`defaults.${name}`]
    return fe ? t(`fieldErrors.${fe.code}`, (fe.params ?? {}) as Record<string, string>) : null
  }
  const set = (key: keyof Defaults, value: string) => onChange({ ...values, caseUnits, [key]: value })
  const applyCase = () => {
    if (caseUnits !== values.caseUnits) onChange({ ...values, caseUnits })
  }
  const select = (key: 'salesUnit' | 'vatClass' | 'currency' | 'originCountry', options: ReactNode) => (
    <SelectField name={`defaults.${key}`} label={t(`products.${key}`)} value={values[key]} error={fieldError(key)} onChange={(v) => set(key, v)}>
      {options}
    </SelectField>
  )
  return (
    <fieldset className="mapping defaults">
      <legend>{t('exchange.defaultsTitle')}</legend>
      <p className="muted">{t('exchange.defaultsIntro')}</p>
      <div className="mapping-fields">
        {select('salesUnit', <CodeOptions codes={SALES_UNITS} texts="units" />)}
        <div onKeyDown={(e) => e.key === 'Enter' && applyCase()} onBlur={applyCase}>
          <TextField
            name="defaults.caseUnits"
            label={t('products.caseUnits')}
            hint={t('exchange.defaultsCaseHint')}
            inputMode="decimal"
            value={caseUnits}
            error={fieldError('caseUnits')}
            onChange={setCaseUnits}
          />
        </div>
        {select('vatClass', <CodeOptions codes={VAT_CLASSES} texts="vatClass" />)}
        {select('currency', <CurrencyOptions />)}
        {select('originCountry', <CountryOptions />)}
      </div>
    </fieldset>
  )
}

function CataloguePreview(props: {
  preview: Preview
  /** The chosen defaults were refused: the preview shows the ones before, so nothing may be applied. */
  defaultsRefused: boolean
  filter: RowFilter
  onFilter: (f: RowFilter) => void
  issueText: ReturnType<typeof useIssueText>
  fieldLabel: (field: string) => string
  shownValue: (field: string, value: string | null) => string
  busy: boolean
  onApply: () => void
  onCancel: () => void
  /** Under the apply buttons: the progress of a running apply, or that it was stopped. */
  children?: ReactNode
}) {
  const { t, i18n } = useTranslation()
  const { preview, issueText, fieldLabel, shownValue } = props
  const n = (v: number) => formatNumber(v, i18n.language)
  const view = useMemo(() => visibleRows(preview.rows, kindOf, props.filter), [preview.rows, props.filter])
  // The problems column only when some row has one.
  const anyProblems = view.counts.problems > 0
  const s = preview.summary
  const problems = preview.fileErrors.length + s.errors
  const reason = props.defaultsRefused
    ? t('exchange.defaultsRefused')
    : preview.blocking
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
        <PreviewTable
          filter={props.filter}
          counts={view.counts}
          changesLabel="exchange.filterCatalogueChanges"
          onFilter={props.onFilter}
          shown={view.shown.length}
          total={view.total}
          problems={anyProblems}
          head={
            <>
              <th scope="col">{t('exchange.sku')}</th>
              <th scope="col">{t('exchange.name')}</th>
              <th scope="col">{t('exchange.result')}</th>
              <th scope="col">{t('exchange.changes')}</th>
            </>
          }
        >
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
              <ProblemsCell show={anyProblems} issues={row.errors} text={issueText} />
            </tr>
          ))}
        </PreviewTable>
      ) : null}
      <ApplyBar reason={reason} blocked={preview.blocking || props.defaultsRefused} busy={props.busy} onApply={props.onApply} onCancel={props.onCancel}>
        {props.children}
      </ApplyBar>
    </div>
  )
}
