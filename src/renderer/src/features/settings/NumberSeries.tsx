import { type FormEvent, useState } from 'react'
import type { TFunction } from 'i18next'
import { useTranslation } from 'react-i18next'
import type { Output } from '../../../../shared/api.ts'
import type { FieldErrors } from '../../../../shared/errors.ts'
import { ApiError, call } from '../../ui/api.ts'
import { ErrorMessage, Status } from '../../ui/components.tsx'
import { TextField } from '../../ui/form.tsx'
import { useData } from '../../ui/data.ts'

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
        <FormatForm key={s.series} series={s.series} format={s.format} next={s.next} onSaved={numbering.setData} />
      ))}
      <PrefixForm prefix={data.prefix} registered={data.registered} devices={data.devices} onSaved={numbering.setData} />
    </section>
  )
}

type Numbering = Output<'numbering.get'>

function FormatForm(props: { series: string; format: string; next: string; onSaved: (n: Numbering) => void }) {
  const { t } = useTranslation()
  // What the user typed; until then (and after a save) the saved format.
  const [edit, setEdit] = useState<string | null>(null)
  const format = edit ?? props.format
  const [error, setError] = useState<unknown>(null)
  const [saved, setSaved] = useState(false)
  const name = t(`numbering.series.${props.series}`)
  async function submit(e: FormEvent) {
    e.preventDefault()
    setSaved(false)
    try {
      props.onSaved(await call('numbering.setFormat', { series: props.series, format }))
      setEdit(null)
      setError(null)
      setSaved(true)
    } catch (err) {
      setError(err)
    }
  }
  const invalid = fieldMessage(t, error, 'format')
  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <fieldset>
        <legend>{name}</legend>
        <TextField
          name="format"
          label={t('numbering.format')}
          value={format}
          error={invalid}
          hint={t('numbering.formatHint')}
          onChange={(v) => {
            setEdit(v)
            setSaved(false)
          }}
        />
        <p>{t('numbering.next', { number: props.next })}</p>
        {invalid ? null : <ErrorMessage error={error} />}
        <div className="actions">
          <button type="submit" disabled={format.trim() === props.format}>
            {t('numbering.saveFormat')}
          </button>
          {saved ? <Status>{t('numbering.saved')}</Status> : null}
        </div>
      </fieldset>
    </form>
  )
}

function PrefixForm(props: { prefix: string; registered: boolean; devices: number; onSaved: (n: Numbering) => void }) {
  const { t } = useTranslation()
  const [edit, setEdit] = useState<string | null>(null)
  const prefix = edit ?? props.prefix
  const [error, setError] = useState<unknown>(null)
  const [saved, setSaved] = useState(false)
  async function submit(e: FormEvent) {
    e.preventDefault()
    setSaved(false)
    try {
      props.onSaved(await call('numbering.setPrefix', { prefix }))
      setEdit(null)
      setError(null)
      setSaved(true)
    } catch (err) {
      setError(err)
    }
  }
  const invalid = fieldMessage(t, error, 'prefix')
  const shown = props.prefix || t('numbering.noPrefix')
  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <fieldset>
        <legend>{t('numbering.prefixTitle')}</legend>
        <p>{t('numbering.prefixIntro')}</p>
        <TextField
          name="prefix"
          label={t('numbering.prefix')}
          value={prefix}
          error={invalid}
          hint={t('numbering.prefixHint')}
          onChange={(v) => {
            setEdit(v.toUpperCase())
            setSaved(false)
          }}
        />
        <p className="muted">
          {props.registered ? t('numbering.prefixInUse', { prefix: shown, count: props.devices }) : t('numbering.prefixPending', { prefix: shown })}
        </p>
        {invalid ? null : <ErrorMessage error={error} />}
        <div className="actions">
          <button type="submit" disabled={prefix === props.prefix}>
            {t('numbering.savePrefix')}
          </button>
          {saved ? <Status>{t('numbering.saved')}</Status> : null}
        </div>
      </fieldset>
    </form>
  )
}
