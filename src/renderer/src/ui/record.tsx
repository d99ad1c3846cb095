import { type FormEvent, useId, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import type { FieldErrors } from '../../../shared/errors.ts'
import { PageTitle } from './components.tsx'
import { CountryOptions, FormMessages, SelectField, setFlash, TextField, useEditor } from './form.tsx'
import { navigate } from './route.ts'

/** A stored record a form page shows: suppliers, products, buyers. */
interface Stored {
  id: string
  archived: boolean
}

export interface RecordOptions<R extends Stored> {
  /** The stored record, or null for a new one. */
  record: R | null
  /** Takes the record as saved (or archived) so that the page shows it. */
  onSaved?: ((record: R) => void) | undefined
  /** Where a new record lives once saved. */
  hrefOf: (id: string) => string
  /** Where the page goes after deleting. */
  listHref: string
  archive: (id: string, archived: boolean) => Promise<unknown>
  remove: (id: string) => Promise<unknown>
}

/**
 * A record form page: the editor of `useEditor`, plus saving (a new record then opens at its own address,
 * an existing one shows the saved values), archiving or restoring, and deleting (then back to the list).
 */
export function useRecordForm<F extends object, R extends Stored>(initial: F, options: RecordOptions<R>) {
  const { t } = useTranslation()
  const formRef = useRef<HTMLFormElement>(null)
  const ed = useEditor<F>(initial, formRef)
  const { record, onSaved } = options

  /** Handles the form's submit: runs the save, then shows what was saved. */
  const submit = (e: FormEvent, save: () => Promise<R>, adjust?: (fields: FieldErrors) => FieldErrors) => {
    e.preventDefault()
    void ed.run(
      save,
      (saved) => {
        if (!record) {
          setFlash(t('record.saved'))
          navigate(options.hrefOf(saved.id))
          return
        }
        onSaved?.(saved)
        ed.reset()
        ed.setStatus(t('record.saved'))
      },
      adjust
    )
  }

  const archive = (archived: boolean) =>
    void ed.run(
      () => options.archive(record!.id, archived),
      () => {
        onSaved?.({ ...record!, archived })
        ed.setStatus(archived ? t('record.archivedNow') : t('record.restoredNow'))
      }
    )

  const remove = () =>
    void ed.run(
      () => options.remove(record!.id),
      () => {
        setFlash(t('record.deleted'))
        navigate(options.listHref)
      }
    )

  return {
    ed,
    /** The values shown: the saved ones until the first edit. */
    form: ed.form!,
    formRef,
    submit,
    /** For FormMessages: archive instead of a refused delete. */
    archiveInstead: record && !record.archived ? () => archive(true) : undefined,
    /** For FormActions: Save, and for a stored record Archive/Restore and Delete. */
    actions: {
      busy: ed.busy,
      dirty: ed.dirty,
      archived: record?.archived,
      onArchive: record ? archive : undefined,
      onDelete: record ? remove : undefined
    }
  }
}

/** The top of a record form page: the way back, the title with the archived badge, the messages. */
export function RecordHead(props: {
  ed: { error: unknown; fieldErrors: FieldErrors; status: string | null }
  onArchiveInstead: (() => void) | undefined
  backHref: string
  backLabel: string
  title: string
  archived: boolean
  /** An error of something else the page loads (shown when the form has none). */
  error?: unknown
}) {
  const { t } = useTranslation()
  const { ed } = props
  return (
    <>
      <p className="back">
        <a href={props.backHref}>{props.backLabel}</a>
      </p>
      <div className="page-head">
        <PageTitle>{props.title}</PageTitle>
        {props.archived ? <span className="badge">{t('list.archivedBadge')}</span> : null}
      </div>
      {props.archived ? <p className="muted">{t('record.archivedNote')}</p> : null}
      <FormMessages error={ed.error ?? props.error} fieldErrors={ed.fieldErrors} status={ed.status} onArchiveInstead={props.onArchiveInstead} />
    </>
  )
}

/** The records that belong to this one (a hub's members, an exporter's cooperatives) as links, or a note that there are none. */
export function RelatedRecords(props: { title: string; none: string; records: { id: string; name: string }[]; hrefOf: (id: string) => string }) {
  const id = useId()
  return (
    <section className="members" aria-labelledby={id}>
      <h2 id={id}>{props.title}</h2>
      {props.records.length === 0 ? (
        <p className="muted">{props.none}</p>
      ) : (
        <ul>
          {props.records.map((r) => (
            <li key={r.id}>
              <a href={props.hrefOf(r.id)}>{r.name}</a>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}

type AddressKey = 'street' | 'postalCode' | 'city' | 'province'

/**
 * The address block of a supplier or buyer: street, postal code and city, the province (when `values`
 * has one: suppliers), and the country; labelled from `<prefix>.`.
 */
export function AddressFields(props: {
  prefix: 'suppliers' | 'buyers'
  values: { street: string; postalCode: string; city: string; province?: string }
  onChange: (patch: Partial<Record<AddressKey, string>>) => void
  country: string
  onCountry: (country: string) => void
  fieldError: (name: string) => string | null
}) {
  const { t } = useTranslation()
  const { prefix, values } = props
  const text = (k: AddressKey, autoComplete: string) => (
    <TextField
      name={k}
      label={t(`${prefix}.${k}`)}
      value={values[k] ?? ''}
      error={props.fieldError(k)}
      autoComplete={autoComplete}
      onChange={(v) => props.onChange({ [k]: v })}
    />
  )
  return (
    <fieldset>
      <legend>{t(`${prefix}.sectionAddress`)}</legend>
      {text('street', 'street-address')}
      <div className="row">
        {text('postalCode', 'postal-code')}
        {text('city', 'address-level2')}
      </div>
      {values.province !== undefined ? text('province', 'address-level1') : null}
      <SelectField name="country" label={t(`${prefix}.country`)} value={props.country} error={props.fieldError('country')} onChange={props.onCountry}>
        <CountryOptions />
      </SelectField>
    </fieldset>
  )
}
