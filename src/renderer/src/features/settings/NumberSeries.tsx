import { type FormEvent, type ReactNode, useState } from 'react'
import type { TFunction } from 'i18next'
import { useTranslation } from 'react-i18next'
import type { FieldErrors } from '../../../../shared/errors.ts'
import { ApiError, call } from '../../ui/api.ts'
import { ErrorMessage, Status } from '../../ui/components.tsx'
import { TextField } from '../../ui/form.tsx'
import { useData } from '../../ui/data.ts'

/** The code a field was refused with, if the error is a refused field. */
function fieldCode(e: ApiError, field: string): string | null {
  if (e.code !== 'validation') return null
  return ((e.params.fields ?? {}) as FieldErrors)[field]?.code ?? null
}

/** The first field error of a refused save, translated; null when the error is of another kind. */
function fieldMessage(t: TFunction, e: unknown, field: string): string | null {
  if (!(e instanceof ApiError) || e.code !== 'validation') return null
  const fe = ((e.params.fields ?? {}) as FieldErrors)[field]
  return fe ? t(`fieldErrors.${fe.code}`, (fe.params ?? {}) as Record<string, string>) : null
}

/**
 * The number series of the workspace (formats, and the next number this laptop would issue) and this
 * laptop's prefix, each saved on its own.
 */
export function NumberSeries() {
  const { t } = useTranslation()
  const numbering = useData('numbering.get', undefined, ['numbering', 'purchaseOrders'])
  const data = numbering.data
  if (!data) return <ErrorMessage error={numbering.error} />
  return (
    <section className="form" aria-labelledby="numbering-title">
      <h2 id="numbering-title">{t('numbering.title')}</h2>
      <p>{t('numbering.intro')}</p>
      {data.series.map((s) => (
        <OneFieldForm
          key={s.series}
          legend={t(`numbering.series.${s.series}`)}
          name="format"
          label={t('numbering.format')}
          hint={t('numbering.formatHint')}
          saved={s.format}
          below={<p>{t('numbering.next', { number: s.next })}</p>}
          button={t('numbering.saveFormat')}
          save={async (format) => numbering.setData(await call('numbering.setFormat', { series: s.series, format }))}
        />
      ))}
      <OneFieldForm
        legend={t('numbering.prefixTitle')}
        above={<p>{t('numbering.prefixIntro')}</p>}
        name="prefix"
        label={t('numbering.prefix')}
        hint={t('numbering.prefixHint')}
        saved={data.prefix}
        clean={(v) => v.toUpperCase()}
        below={
          <p className="muted">
            {data.registered
              ? t('numbering.prefixInUse', { prefix: data.prefix || t('numbering.noPrefix'), count: data.devices })
              : t('numbering.prefixPending', { prefix: data.prefix || t('numbering.noPrefix') })}
          </p>
        }
        button={t('numbering.savePrefix')}
        option={{ code: 'prefix_taken', label: (v) => t('numbering.takeOver', { prefix: v || t('numbering.noPrefix') }) }}
        save={async (prefix, takeOver) => numbering.setData(await call('numbering.setPrefix', { prefix, takeOver }))}
      />
    </section>
  )
}

/**
 * One field saved on its own: a fieldset with the field, what to show above and below it, and a save
 * button that is enabled once the value differs from the saved one. A refused value shows its
 * translated field error; "Saved." stays until the next edit.
 */
function OneFieldForm(props: {
  legend: string
  name: string
  label: string
  hint: string
  saved: string
  button: string
  /** Saves the value; `option`: whether the option below was ticked. */
  save: (value: string, option: boolean) => Promise<void>
  clean?: (value: string) => string
  /** A choice offered when the value is refused with `code` (to save it anyway, knowingly). */
  option?: { code: string; label: (value: string) => string }
  above?: ReactNode
  below?: ReactNode
}) {
  const { t } = useTranslation()
  // What the user typed; until then (and after a save) the saved value.
  const [edit, setEdit] = useState<string | null>(null)
  const value = edit ?? props.saved
  const [error, setError] = useState<unknown>(null)
  const [saved, setSaved] = useState(false)
  const [option, setOption] = useState(false)
  async function submit(e: FormEvent) {
    e.preventDefault()
    setSaved(false)
    try {
      await props.save(value, option)
      setEdit(null)
      setError(null)
      setOption(false)
      setSaved(true)
    } catch (err) {
      setError(err)
    }
  }
  const invalid = fieldMessage(t, error, props.name)
  const offered = props.option && error instanceof ApiError && fieldCode(error, props.name) === props.option.code ? props.option : null
  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <fieldset>
        <legend>{props.legend}</legend>
        {props.above}
        <TextField
          name={props.name}
          label={props.label}
          value={value}
          error={invalid}
          hint={props.hint}
          onChange={(v) => {
            setEdit(props.clean ? props.clean(v) : v)
            setSaved(false)
            setOption(false)
            setError(null)
          }}
        />
        {offered ? (
          <div className="check">
            <input id={`${props.name}-option`} type="checkbox" checked={option} onChange={(e) => setOption(e.target.checked)} />
            <label htmlFor={`${props.name}-option`}>{offered.label(value)}</label>
          </div>
        ) : null}
        {props.below}
        {invalid ? null : <ErrorMessage error={error} />}
        <div className="actions">
          <button type="submit" disabled={value.trim() === props.saved && !option}>
            {props.button}
          </button>
          {saved ? <Status>{t('numbering.saved')}</Status> : null}
        </div>
      </fieldset>
    </form>
  )
}
