import { useEffect, useId, useRef, useState, type ReactNode, type RefObject } from 'react'
import { useTranslation } from 'react-i18next'
import { dateTimeToText, type DayProblem, dayToText, readDateTime, readDay } from '../../../shared/dates.ts'
import type { FieldErrors } from '../../../shared/errors.ts'
import { COUNTRIES, CURRENCIES, LANGUAGES } from '../../../shared/reference.ts'
import { ApiError } from './api.ts'
import { ConfirmDialog, ErrorMessage, Status } from './components.tsx'
import { countryName, currencyName } from './format.ts'
import { useData } from './data.ts'

export interface FieldIds {
  id: string
  'aria-invalid': boolean
  'aria-describedby'?: string
}

/** A labelled control with its hint and its error, wired for screen readers. */
export function Field(props: {
  label: string
  error: string | null
  hint?: string | undefined
  className?: string
  children: (ids: FieldIds) => ReactNode
}) {
  const id = useId()
  const described = describedBy(id, props)
  return (
    <div className={['field', props.error ? 'invalid' : '', props.className ?? ''].filter(Boolean).join(' ')}>
      <label htmlFor={id}>{props.label}</label>
      {props.children({ id, 'aria-invalid': Boolean(props.error), ...(described ? { 'aria-describedby': described } : {}) })}
      <HintAndError id={id} hint={props.hint} error={props.error} />
    </div>
  )
}

/** The ids of a control's hint and error, for aria-describedby ('' without either). */
function describedBy(id: string, props: { hint?: string | undefined; error?: string | null | undefined }): string {
  return [props.hint ? `${id}-hint` : null, props.error ? `${id}-error` : null].filter(Boolean).join(' ')
}

/** Under a control: its hint and its error, with the ids describedBy names. */
function HintAndError(props: { id: string; hint?: string | undefined; error?: string | null | undefined }) {
  return (
    <>
      {props.hint ? (
        <small id={`${props.id}-hint`} className="hint">
          {props.hint}
        </small>
      ) : null}
      {props.error ? (
        <small id={`${props.id}-error`} className="field-error">
          {props.error}
        </small>
      ) : null}
    </>
  )
}

export interface TextOptions {
  hint?: string | undefined
  type?: string
  inputMode?: 'decimal' | 'numeric'
  autoComplete?: string
  className?: string
  /** A multi-line text of this many rows. */
  rows?: number
}

/** A labelled text input (or, with `rows`, a text area) named as the field the core reports errors for. */
export function TextField(props: TextOptions & { name: string; label: string; value: string; error: string | null; onChange: (value: string) => void }) {
  return (
    <Field label={props.label} error={props.error} hint={props.hint} className={props.className}>
      {(ids) =>
        props.rows ? (
          <textarea {...ids} name={props.name} rows={props.rows} value={props.value} onChange={(e) => props.onChange(e.target.value)} />
        ) : (
          <input
            {...ids}
            name={props.name}
            type={props.type ?? 'text'}
            inputMode={props.inputMode}
            autoComplete={props.autoComplete ?? 'off'}
            value={props.value}
            onChange={(e) => props.onChange(e.target.value)}
          />
        )
      }
    </Field>
  )
}

/** A labelled select; its options are the children. */
export function SelectField(props: {
  name: string
  label: string
  value: string
  error: string | null
  hint?: string | undefined
  disabled?: boolean
  onChange: (value: string) => void
  children: ReactNode
}) {
  return (
    <Field label={props.label} error={props.error} hint={props.hint}>
      {(ids) => (
        <select {...ids} name={props.name} value={props.value} disabled={props.disabled} onChange={(e) => props.onChange(e.target.value)}>
          {props.children}
        </select>
      )}
    </Field>
  )
}

/**
 * A day typed in the UI language's form (31.03.2027 in German, 31/03/2027 in Spanish, ISO in English; ISO
 * and day-first are read in every language), read with the one strict parser: 31.02.2027 is "no such
 * date", never 3 March. `value` is the day as YYYY-MM-DD ('' for none); while the text is not a day,
 * `onChange` gets the text itself, so the core refuses it together with the form's other problems (one
 * wave), and the field says at once what is wrong. With `time`, a day and a time (YYYY-MM-DDTHH:mm).
 */
export function DateField(props: {
  name: string
  label: string
  value: string
  error: string | null
  onChange: (value: string) => void
  hint?: string | undefined
  /** Said before the form hint ("Empty: open-ended."). */
  note?: string | undefined
  time?: boolean
  className?: string
  disabled?: boolean
}) {
  const { t, i18n } = useTranslation()
  const language = i18n.language
  const toText = (v: string) => (props.time ? dateTimeToText(v, language) : dayToText(v, language))
  const [text, setText] = useState(() => toText(props.value))
  const [touched, setTouched] = useState(false)
  // What this field last reported: a value from outside (a reset, a saved record, another language) is shown anew.
  const [shown, setShown] = useState({ value: props.value, language })
  if (shown.value !== props.value || shown.language !== language) {
    setShown({ value: props.value, language })
    if (shown.value !== props.value || read(text).ok) setText(toText(props.value))
  }
  function read(s: string): { ok: true; value: string } | { ok: false; problem: DayProblem } {
    if (props.time) return readDateTime(s)
    const r = readDay(s)
    return r.ok ? { ok: true, value: r.day } : r
  }
  const reading = text.trim() === '' ? null : read(text)
  const pattern = t(props.time ? 'dateField.dateTimePattern' : 'dateField.pattern')
  const example = t(props.time ? 'dateField.dateTimeExample' : 'dateField.example')
  const own =
    reading && !reading.ok && (touched || props.error)
      ? reading.problem === 'date'
        ? t('fieldErrors.date')
        : t('fieldErrors.date_format', { pattern, example })
      : null
  const change = (s: string) => {
    setText(s)
    const r = s.trim() === '' ? null : read(s)
    const value = r === null ? '' : r.ok ? r.value : s.trim()
    setShown({ value, language })
    props.onChange(value)
  }
  return (
    <Field label={props.label} error={own ?? props.error} hint={props.hint ?? [props.note, t('dateField.hint', { pattern, example })].filter(Boolean).join(' ')} className={props.className}>
      {(ids) => (
        <input
          {...ids}
          name={props.name}
          type="text"
          inputMode={props.time ? 'text' : 'numeric'}
          autoComplete="off"
          placeholder={pattern}
          disabled={props.disabled}
          value={text}
          onChange={(e) => change(e.target.value)}
          onBlur={() => {
            setTouched(true)
            // A day read right is shown in the language's own form (1.3.2027 → 01.03.2027).
            const r = text.trim() === '' ? null : read(text)
            if (r?.ok) setText(toText(r.value))
          }}
        />
      )}
    </Field>
  )
}

/**
 * The text fields of a record form whose texts are kept together (`form.text`): `text(key, options)` is the
 * field labelled `<prefix>.<key>`, with its error.
 */
export function useTextFields<K extends string>(
  prefix: string,
  texts: Record<K, string>,
  onChange: (texts: Record<K, string>) => void,
  fieldError: (name: string) => string | null
) {
  const { t } = useTranslation()
  return (k: K, options: TextOptions = {}) => {
    const label: string = `${prefix}.${k}`
    return <TextField {...options} name={k} label={t(label)} value={texts[k]} error={fieldError(k)} onChange={(v) => onChange({ ...texts, [k]: v })} />
  }
}

/** A checkbox with its label (and an optional hint), like the one in the settings. */
export function Check(props: { name: string; label: string; checked: boolean; hint?: string; error?: string | null; onChange: (checked: boolean) => void }) {
  const id = useId()
  const described = describedBy(id, props)
  return (
    <div className={props.error ? 'check invalid' : 'check'}>
      <input
        id={id}
        name={props.name}
        type="checkbox"
        checked={props.checked}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={described || undefined}
        onChange={(e) => props.onChange(e.target.checked)}
      />
      <label htmlFor={id}>{props.label}</label>
      <HintAndError id={id} hint={props.hint} error={props.error} />
    </div>
  )
}

/** Ctrl+S (Cmd+S) submits the form. */
export function useSaveShortcut(formRef: RefObject<HTMLFormElement | null>): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 's') {
        e.preventDefault()
        formRef.current?.requestSubmit()
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [formRef])
}

/** A message for the next form that opens (after creating a record the page changes to its address). */
let flash: string | null = null
export function setFlash(message: string): void {
  flash = message
}
function takeFlash(): string | null {
  const m = flash
  flash = null
  return m
}

/**
 * The state of a record form: the saved values until the first edit, then the edits; field errors
 * from the core (the first invalid field of `formRef` takes focus); a general error; a status line; Ctrl+S.
 */
export function useEditor<F extends object>(saved: F | null, formRef: RefObject<HTMLFormElement | null>) {
  const { t } = useTranslation()
  const [edits, setEdits] = useState<F | null>(null)
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({})
  const [error, setError] = useState<unknown>(null)
  const [status, setStatus] = useState<string | null>(takeFlash)
  const [busy, setBusy] = useState(false)
  useSaveShortcut(formRef)
  const form = edits ?? saved

  const update = (patch: Partial<F>) => {
    if (!form) return
    setEdits({ ...form, ...patch })
    setStatus(null)
  }

  const fieldError = (name: string): string | null => {
    const fe = fieldErrors[name]
    return fe ? t(`fieldErrors.${fe.code}`, (fe.params ?? {}) as Record<string, string>) : null
  }

  /** Runs a call; a validation error marks the fields (and focuses the first), any other shows above the form. */
  async function run<T>(action: () => Promise<T>, done: (result: T) => void, adjust?: (fields: FieldErrors) => FieldErrors): Promise<void> {
    setBusy(true)
    setError(null)
    setStatus(null)
    try {
      const result = await action()
      setFieldErrors({})
      done(result)
    } catch (err) {
      if (err instanceof ApiError && err.code === 'validation') {
        let fields = (err.params.fields ?? {}) as FieldErrors
        if (adjust) fields = adjust(fields)
        setFieldErrors(fields)
        const first = Object.keys(fields)[0]
        if (first) formRef.current?.querySelector<HTMLElement>(`[name="${CSS.escape(first)}"]`)?.focus()
      } else setError(err)
    } finally {
      setBusy(false)
    }
  }

  return {
    form,
    dirty: edits !== null,
    update,
    /** Forgets the edits (after saving, the saved values show). */
    reset: () => setEdits(null),
    fieldErrors,
    fieldError,
    error,
    setError,
    status,
    setStatus,
    busy,
    run
  }
}

/** The messages above a form: a general error, how many fields need attention, a status. */
export function FormMessages(props: { error: unknown; fieldErrors: FieldErrors; status: string | null; onArchiveInstead?: (() => void) | undefined }) {
  const { t } = useTranslation()
  const count = Object.keys(props.fieldErrors).length
  const inUse = props.error instanceof ApiError && props.error.code === 'record.in_use'
  return (
    <>
      <ErrorMessage error={props.error} />
      {inUse && props.onArchiveInstead ? (
        <p>
          <button type="button" onClick={props.onArchiveInstead}>
            {t('record.archiveInstead')}
          </button>
        </p>
      ) : null}
      {count > 0 ? (
        <p className="message error" role="alert">
          {t('record.invalid', { count })}
        </p>
      ) : null}
      {props.status ? <Status>{props.status}</Status> : null}
    </>
  )
}

/**
 * The bar under a record form: Save, the unsaved-changes note, and for saved records Archive/Restore and
 * Delete (after a confirmation; a record still in use answers `record.in_use`, shown above the form).
 */
export function FormActions(props: {
  busy: boolean
  dirty: boolean
  archived?: boolean | undefined
  onArchive?: ((archived: boolean) => void) | undefined
  onDelete?: (() => void) | undefined
  /** What deleting does, for the confirmation (the record's own words; else a general one). */
  deleteQuestion?: string | undefined
}) {
  const { t } = useTranslation()
  const [confirming, setConfirming] = useState(false)
  return (
    <div className="actions sticky">
      <button type="submit" className="primary" disabled={props.busy}>
        {props.busy ? t('record.saving') : t('record.save')}
      </button>
      {props.dirty ? <span className="muted">{t('record.unsaved')}</span> : null}
      <span className="spring" />
      {props.onArchive ? (
        <button type="button" disabled={props.busy} onClick={() => props.onArchive?.(!props.archived)}>
          {props.archived ? t('record.restore') : t('record.archive')}
        </button>
      ) : null}
      {props.onDelete ? (
        <button type="button" className="danger" disabled={props.busy} onClick={() => setConfirming(true)}>
          {t('record.delete')}
        </button>
      ) : null}
      <ConfirmDialog
        open={confirming}
        title={t('record.deleteTitle')}
        text={props.deleteQuestion ?? t('record.deleteConfirm')}
        confirmLabel={t('record.delete')}
        danger
        onCancel={() => setConfirming(false)}
        onConfirm={() => {
          setConfirming(false)
          props.onDelete?.()
        }}
      />
    </div>
  )
}

/** A choice of codes, each shown as its translation `<texts>.<code>` (units, VAT classes, buyer types…). */
export function CodeOptions({ codes, texts }: { codes: readonly string[]; texts: string }) {
  const { t } = useTranslation()
  return (
    <>
      {codes.map((c) => {
        const key: string = `${texts}.${c}`
        return (
          <option key={c} value={c}>
            {t(key)}
          </option>
        )
      })}
    </>
  )
}

/** The currencies of the workspace (the built-in list until they are loaded), as “USD – US dollar”. */
export function CurrencyOptions() {
  const { i18n } = useTranslation()
  const currencies = useData('reference.currencies', undefined, ['reference'])
  const codes = currencies.data?.map((c) => c.code) ?? [...CURRENCIES]
  return (
    <>
      {codes.map((c) => (
        <option key={c} value={c}>
          {`${c} – ${currencyName(c, i18n.language)}`}
        </option>
      ))}
    </>
  )
}

/** Countries by their name in the UI language; `empty` adds a first “none” choice. */
export function CountryOptions({ empty }: { empty?: string }) {
  const { i18n } = useTranslation()
  const locale = i18n.language
  return (
    <>
      {empty !== undefined ? <option value="">{empty}</option> : null}
      {[...COUNTRIES]
        .map((c) => ({ c, name: countryName(c, locale) }))
        .sort((a, b) => a.name.localeCompare(b.name, locale))
        .map(({ c, name }) => (
          <option key={c} value={c}>
            {name}
          </option>
        ))}
    </>
  )
}

export interface ContactForm {
  name: string
  email: string
  phone: string
  language: string
}

export const emptyContact = (): ContactForm => ({ name: '', email: '', phone: '', language: '' })

export function toContactForms(contacts: { name: string | null; email: string | null; phone: string | null; language: string | null }[]): ContactForm[] {
  return contacts.map((c) => ({ name: c.name ?? '', email: c.email ?? '', phone: c.phone ?? '', language: c.language ?? '' }))
}

export function contactInputs(contacts: ContactForm[]) {
  return contacts.map((c) => ({ name: c.name, email: c.email, phone: c.phone, language: (c.language || null) as never }))
}

/** The contact persons of a supplier or buyer: rows of name, e-mail, phone and language; add and remove. */
export function ContactsEditor(props: { contacts: ContactForm[]; onChange: (contacts: ContactForm[]) => void; fieldError: (name: string) => string | null }) {
  const { t } = useTranslation()
  const addRef = useRef<HTMLButtonElement>(null)
  const listRef = useRef<HTMLDivElement>(null)
  const focusNew = useRef(false)
  const { contacts, onChange } = props
  // A contact just added gets the focus on its name.
  useEffect(() => {
    if (!focusNew.current) return
    focusNew.current = false
    listRef.current?.querySelector<HTMLElement>('.contact:last-of-type input')?.focus()
  }, [contacts.length])
  const set = (i: number, patch: Partial<ContactForm>) => onChange(contacts.map((c, j) => (j === i ? { ...c, ...patch } : c)))
  const text = (i: number, key: 'name' | 'email' | 'phone', type: string, autoComplete: string) => (
    <Field label={t(`contacts.${key}`)} error={props.fieldError(`contacts.${i}.${key}`)}>
      {(ids) => (
        <input
          {...ids}
          name={`contacts.${i}.${key}`}
          type={type}
          autoComplete={autoComplete}
          value={contacts[i]![key]}
          onChange={(e) => set(i, { [key]: e.target.value })}
        />
      )}
    </Field>
  )
  return (
    <fieldset>
      <legend>{t('contacts.title')}</legend>
      {contacts.length === 0 ? <p className="muted">{t('contacts.none')}</p> : null}
      <div ref={listRef}>
        {contacts.map((c, i) => (
          <div key={i} className="contact" role="group" aria-label={t('contacts.number', { n: i + 1 })}>
            {text(i, 'name', 'text', 'off')}
            {text(i, 'email', 'email', 'off')}
            {text(i, 'phone', 'tel', 'off')}
            <Field label={t('contacts.language')} error={props.fieldError(`contacts.${i}.language`)}>
              {(ids) => (
                <select {...ids} name={`contacts.${i}.language`} value={c.language} onChange={(e) => set(i, { language: e.target.value })}>
                  <option value="">{t('contacts.anyLanguage')}</option>
                  {LANGUAGES.map((l) => (
                    <option key={l} value={l}>
                      {t(`language.${l}`)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <button
              type="button"
              className="remove"
              onClick={() => {
                onChange(contacts.filter((_, j) => j !== i))
                addRef.current?.focus()
              }}
            >
              {t('contacts.remove', { n: i + 1 })}
            </button>
          </div>
        ))}
      </div>
      <button
        type="button"
        ref={addRef}
        onClick={() => {
          focusNew.current = true
          onChange([...contacts, emptyContact()])
        }}
      >
        {t('contacts.add')}
      </button>
    </fieldset>
  )
}
