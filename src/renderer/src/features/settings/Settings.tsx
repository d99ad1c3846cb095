import { useRef, useState, type ChangeEvent, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import type { Output } from '../../../../shared/api.ts'
import type { FieldErrors } from '../../../../shared/errors.ts'
import { COUNTRIES, CURRENCIES, LANGUAGES } from '../../../../shared/reference.ts'
import { ApiError, call } from '../../ui/api.ts'
import { ErrorMessage, PageTitle, Status } from '../../ui/components.tsx'
import { countryName, currencyName } from '../../ui/format.ts'
import { defaultTimeZone } from '../../../../shared/vocabulary.ts'
import { Field, useSaveShortcut } from '../../ui/form.tsx'
import { useData } from '../../ui/data.ts'
import { NumberSeries } from './NumberSeries.tsx'

type Organisation = Output<'settings.get'>
const TEXT_FIELDS = ['name', 'street', 'postalCode', 'city', 'taxNumber', 'vatId', 'eori', 'iban', 'bic', 'bankName', 'email', 'phone'] as const
type TextField = (typeof TEXT_FIELDS)[number]

interface Form {
  text: Record<TextField, string>
  country: string
  smallBusiness: boolean
  vatRegistered: boolean
  defaultLanguage: string
  defaultCurrency: string
  /** '' for "by the country". */
  timeZone: string
  /** The logo as shown; `logoChanged` says whether to send it. */
  logo: string | null
  logoChanged: boolean
}

function toForm(o: Organisation): Form {
  const text = Object.fromEntries(TEXT_FIELDS.map((f) => [f, o[f] ?? ''])) as Record<TextField, string>
  return {
    text,
    country: o.country,
    smallBusiness: o.smallBusiness,
    vatRegistered: o.vatRegistered,
    defaultLanguage: o.defaultLanguage,
    defaultCurrency: o.defaultCurrency,
    timeZone: o.timeZone ?? '',
    logo: o.logo,
    logoChanged: false
  }
}

export function Settings() {
  const { t, i18n } = useTranslation()
  const locale = i18n.language
  const org = useData('settings.get')
  // The user's edits; until the first edit the form shows what is saved.
  const [edits, setEdits] = useState<Form | null>(null)
  const form = edits ?? (org.data ? toForm(org.data) : null)
  const dirty = edits !== null
  const [saving, setSaving] = useState(false)
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({})
  const [error, setError] = useState<unknown>(null)
  const [saved, setSaved] = useState(false)
  const formRef = useRef<HTMLFormElement>(null)

  useSaveShortcut(formRef)

  if (!form) return <ErrorMessage error={org.error} />

  const update = (patch: Partial<Form>) => {
    setEdits({ ...form, ...patch })
    setSaved(false)
  }
  const setText = (f: TextField) => (e: ChangeEvent<HTMLInputElement>) => update({ text: { ...form.text, [f]: e.target.value } })

  async function submit(e: FormEvent) {
    e.preventDefault()
    if (!form) return
    setSaving(true)
    setError(null)
    setSaved(false)
    try {
      const result = await call('settings.save', {
        ...form.text,
        country: form.country as Organisation['country'] as never,
        smallBusiness: form.smallBusiness,
        vatRegistered: form.vatRegistered,
        defaultLanguage: form.defaultLanguage as never,
        defaultCurrency: form.defaultCurrency as never,
        timeZone: form.timeZone || null,
        ...(form.logoChanged ? { logo: form.logo } : {})
      })
      setFieldErrors({})
      org.setData(result)
      setEdits(null)
      setSaved(true)
    } catch (err) {
      if (err instanceof ApiError && err.code === 'validation') {
        const fields = (err.params.fields ?? {}) as FieldErrors
        setFieldErrors(fields)
        const first = Object.keys(fields)[0]
        if (first) formRef.current?.querySelector<HTMLElement>(`[name="${first}"]`)?.focus()
      } else setError(err)
    } finally {
      setSaving(false)
    }
  }

  function chooseLogo(e: ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0]
    if (!file) return
    const reader = new FileReader()
    reader.onload = () => update({ logo: String(reader.result), logoChanged: true })
    reader.readAsDataURL(file)
  }

  const errorCount = Object.keys(fieldErrors).length
  const fieldError = (name: string) => {
    const fe = fieldErrors[name]
    return fe ? t(`fieldErrors.${fe.code}`, (fe.params ?? {}) as Record<string, string>) : null
  }
  const text = (name: TextField, extra?: { hint?: string; autoComplete?: string; type?: string }) => (
    <Field label={t(`settings.${name}`)} error={fieldError(name)} hint={extra?.hint}>
      {(ids) => (
        <input
          {...ids}
          name={name}
          type={extra?.type ?? 'text'}
          autoComplete={extra?.autoComplete ?? 'off'}
          value={form.text[name]}
          onChange={setText(name)}
        />
      )}
    </Field>
  )

  return (
    <section>
      <PageTitle>{t('settings.title')}</PageTitle>
      <p>
        {t('settings.intro')} <span className="muted">{t('settings.shortcut')}</span>
      </p>
      <ErrorMessage error={error ?? org.error} />
      {errorCount > 0 ? (
        <p className="message error" role="alert">
          {t('settings.invalid', { count: errorCount })}
        </p>
      ) : null}
      {saved ? <Status>{t('settings.saved')}</Status> : null}
      <form ref={formRef} onSubmit={(e) => void submit(e)} noValidate className="form">
        <fieldset>
          <legend>{t('settings.sectionIdentity')}</legend>
          {text('name', { autoComplete: 'organization' })}
          {text('email', { type: 'email', autoComplete: 'email' })}
          {text('phone', { type: 'tel', autoComplete: 'tel' })}
        </fieldset>
        <fieldset>
          <legend>{t('settings.sectionAddress')}</legend>
          {text('street', { autoComplete: 'street-address' })}
          {text('postalCode', { autoComplete: 'postal-code' })}
          {text('city', { autoComplete: 'address-level2' })}
          <Field label={t('settings.country')} error={fieldError('country')}>
            {(ids) => (
              <select {...ids} name="country" value={form.country} onChange={(e) => update({ country: e.target.value })}>
                {[...COUNTRIES]
                  .map((c) => ({ c, name: countryName(c, locale) }))
                  .sort((a, b) => a.name.localeCompare(b.name, locale))
                  .map(({ c, name }) => (
                    <option key={c} value={c}>
                      {name}
                    </option>
                  ))}
              </select>
            )}
          </Field>
          <Field label={t('settings.timeZone')} error={fieldError('timeZone')} hint={t('settings.timeZoneHint')}>
            {(ids) => (
              <select {...ids} name="timeZone" value={form.timeZone} onChange={(e) => update({ timeZone: e.target.value })}>
                <option value="">{t('settings.timeZoneByCountry', { zone: defaultTimeZone(form.country) })}</option>
                {[...new Set([...Intl.supportedValuesOf('timeZone'), 'UTC', ...(form.timeZone ? [form.timeZone] : [])])].sort().map((z) => (
                  <option key={z} value={z}>
                    {z}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </fieldset>
        <fieldset>
          <legend>{t('settings.sectionTax')}</legend>
          {text('taxNumber')}
          {text('vatId', { hint: `${t('settings.vatIdHint')} ${t('settings.notVerifiedOnline')}` })}
          {text('eori')}
          <div className="check">
            <input
              id="smallBusiness"
              name="smallBusiness"
              type="checkbox"
              checked={form.smallBusiness}
              onChange={(e) => update({ smallBusiness: e.target.checked })}
            />
            <label htmlFor="smallBusiness">{t('settings.smallBusiness')}</label>
          </div>
          <div className="check">
            <input
              id="vatRegistered"
              name="vatRegistered"
              type="checkbox"
              checked={form.vatRegistered}
              onChange={(e) => update({ vatRegistered: e.target.checked })}
            />
            <label htmlFor="vatRegistered">{t('settings.vatRegistered')}</label>
          </div>
        </fieldset>
        <fieldset>
          <legend>{t('settings.sectionBank')}</legend>
          {text('iban', { hint: t('settings.notVerifiedOnline') })}
          {text('bic')}
          {text('bankName')}
        </fieldset>
        <fieldset>
          <legend>{t('settings.sectionDocuments')}</legend>
          <Field label={t('settings.defaultLanguage')} error={fieldError('defaultLanguage')}>
            {(ids) => (
              <select {...ids} name="defaultLanguage" value={form.defaultLanguage} onChange={(e) => update({ defaultLanguage: e.target.value })}>
                {LANGUAGES.map((l) => (
                  <option key={l} value={l}>
                    {t(`language.${l}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t('settings.defaultCurrency')} error={fieldError('defaultCurrency')}>
            {(ids) => (
              <select {...ids} name="defaultCurrency" value={form.defaultCurrency} onChange={(e) => update({ defaultCurrency: e.target.value })}>
                {CURRENCIES.map((c) => (
                  <option key={c} value={c}>
                    {`${c} – ${currencyName(c, locale)}`}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t('settings.logo')} error={fieldError('logo')} hint={t('settings.logoHint')}>
            {(ids) => (
              <div className="logo-field">
                {form.logo ? (
                  <img src={form.logo} alt={t('settings.logoAlt', { name: form.text.name })} />
                ) : (
                  <span className="muted">{t('settings.noLogo')}</span>
                )}
                <input {...ids} name="logo" type="file" className="file-input" accept="image/png,image/jpeg" onChange={chooseLogo} />
                <label htmlFor={ids.id} className="button">
                  {t('settings.logoChoose')}
                </label>
                {form.logo ? (
                  <button type="button" onClick={() => update({ logo: null, logoChanged: true })}>
                    {t('settings.logoRemove')}
                  </button>
                ) : null}
              </div>
            )}
          </Field>
        </fieldset>
        <div className="actions sticky">
          <button type="submit" className="primary" disabled={saving}>
            {saving ? t('settings.saving') : t('settings.save')}
          </button>
          {dirty ? <span className="muted">{t('settings.unsaved')}</span> : null}
        </div>
      </form>
      <NumberSeries />
    </section>
  )
}
