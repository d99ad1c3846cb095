import { useEffect, useRef, useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import type { Output } from '../../../shared/api.ts'
import { CURRENCIES } from '../../../shared/reference.ts'
import { call } from '../api.ts'
import { ConfirmDialog, ErrorMessage, PageTitle, Status } from '../components.tsx'
import { CountryOptions, Field, FormMessages, useEditor } from '../form.tsx'
import { countryName, dayText, decimalText, formatDay, formatNumber, parseDay } from '../format.ts'
import { useQuery } from '../hooks.ts'

type VatRate = Output<'reference.vatRates'>[number]
type ExchangeRate = Output<'reference.exchangeRates'>[number]
const VAT_RATE_CLASSES = ['standard', 'reduced', 'super_reduced', 'zero'] as const

/** Reference data kept by hand: VAT rates per country and class, exchange rates per day. */
export function ReferenceData() {
  const { t } = useTranslation()
  const [status, setStatus] = useState<string | null>(null)
  return (
    <section>
      <PageTitle>{t('reference.title')}</PageTitle>
      <p>{t('reference.intro')}</p>
      {status ? <Status>{status}</Status> : null}
      <VatRates onStatus={setStatus} />
      <ExchangeRates onStatus={setStatus} />
    </section>
  )
}

interface VatForm {
  id: string | null
  country: string
  class: string
  rate: string
  validFrom: string
  validTo: string
}

const emptyVat: VatForm = { id: null, country: 'DE', class: 'standard', rate: '', validFrom: '', validTo: '' }

function VatRates({ onStatus }: { onStatus: (s: string | null) => void }) {
  const { t, i18n } = useTranslation()
  const locale = i18n.language
  const rates = useQuery('reference.vatRates', ['reference'])
  const [editing, setEditing] = useState<VatForm | null>(null)
  const [deleting, setDeleting] = useState<VatRate | null>(null)
  const [error, setError] = useState<unknown>(null)
  const addRef = useRef<HTMLButtonElement>(null)

  const describe = (r: VatRate) => `${countryName(r.country, locale)}, ${t(`vatClass.${r.class}`)}, ${formatDay(r.validFrom, locale)}`
  const percent = (bp: number) => formatNumber(bp / 10000, locale, { style: 'percent', maximumFractionDigits: 2 })
  // By country name in the UI language, then class, newest first.
  const sortedRates = [...(rates.data ?? [])].sort(
    (a, b) =>
      countryName(a.country, locale).localeCompare(countryName(b.country, locale), locale) ||
      VAT_RATE_CLASSES.indexOf(a.class as never) - VAT_RATE_CLASSES.indexOf(b.class as never) ||
      b.validFrom.localeCompare(a.validFrom)
  )

  async function remove(r: VatRate) {
    setDeleting(null)
    setError(null)
    try {
      await call('reference.deleteVatRate', { id: r.id })
      onStatus(t('reference.deleted'))
      addRef.current?.focus()
    } catch (e) {
      setError(e)
    }
  }

  return (
    <section className="reference" aria-labelledby="vat-title">
      <div className="section-head">
        <h2 id="vat-title">{t('reference.vatRates')}</h2>
        <button
          type="button"
          ref={addRef}
          onClick={() => {
            onStatus(null)
            setEditing({ ...emptyVat })
          }}
        >
          {t('reference.addVatRate')}
        </button>
      </div>
      <ErrorMessage error={error ?? rates.error} />
      {editing ? (
        <VatRateForm
          key={editing.id ?? 'new'}
          initial={editing}
          onDone={(saved) => {
            setEditing(null)
            if (saved) onStatus(t('reference.saved'))
            addRef.current?.focus()
          }}
        />
      ) : null}
      <div className="table-wrap">
        <table className="plain">
          <caption className="visually-hidden">{t('reference.vatRates')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('reference.country')}</th>
              <th scope="col">{t('reference.class')}</th>
              <th scope="col" className="num">
                {t('reference.rate')}
              </th>
              <th scope="col">{t('reference.validFrom')}</th>
              <th scope="col">{t('reference.validTo')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('reference.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {sortedRates.map((r) => (
              <tr key={r.id}>
                <td>{countryName(r.country, locale)}</td>
                <td>{t(`vatClass.${r.class}`)}</td>
                <td className="num">{percent(r.rateBp)}</td>
                <td>{formatDay(r.validFrom, locale)}</td>
                <td>{r.validTo ? formatDay(r.validTo, locale) : <span className="muted">{t('reference.openEnded')}</span>}</td>
                <td className="row-actions">
                  <button
                    type="button"
                    aria-label={t('reference.editRow', { what: describe(r) })}
                    onClick={() => {
                      onStatus(null)
                      setEditing({
                        id: r.id,
                        country: r.country,
                        class: r.class,
                        rate: decimalText(r.rateBp, 2, locale),
                        validFrom: dayText(r.validFrom, locale),
                        validTo: dayText(r.validTo, locale)
                      })
                    }}
                  >
                    {t('reference.edit')}
                  </button>
                  <button type="button" className="danger" aria-label={t('reference.deleteRow', { what: describe(r) })} onClick={() => setDeleting(r)}>
                    {t('reference.delete')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ConfirmDialog
        open={deleting !== null}
        text={deleting ? t('reference.deleteVatConfirm', { what: describe(deleting) }) : ''}
        onCancel={() => setDeleting(null)}
        onConfirm={() => deleting && void remove(deleting)}
      />
    </section>
  )
}

function VatRateForm({ initial, onDone }: { initial: VatForm; onDone: (saved: boolean) => void }) {
  const { t } = useTranslation()
  const formRef = useRef<HTMLFormElement>(null)
  useEffect(() => {
    formRef.current?.querySelector<HTMLElement>('select, input')?.focus()
  }, [])
  const ed = useEditor<VatForm>(initial, formRef)
  const form = ed.form!
  const input = (k: 'rate' | 'validFrom' | 'validTo', type: string, hint?: string) => (
    <Field label={t(`reference.${k}`)} error={ed.fieldError(k)} hint={hint}>
      {(ids) => (
        <input
          {...ids}
          name={k}
          type={type}
          inputMode={k === 'rate' ? 'decimal' : undefined}
          autoComplete="off"
          value={form[k]}
          onChange={(e) => ed.update({ [k]: e.target.value })}
        />
      )}
    </Field>
  )
  function submit(e: FormEvent) {
    e.preventDefault()
    void ed.run(
      () =>
        call('reference.saveVatRate', {
          ...(form.id ? { id: form.id } : {}),
          country: form.country as never,
          class: form.class as never,
          rate: form.rate,
          validFrom: parseDay(form.validFrom) ?? '',
          validTo: parseDay(form.validTo)
        }),
      () => onDone(true)
    )
  }
  return (
    <form ref={formRef} onSubmit={submit} noValidate className="form inline-form">
      <fieldset>
        <legend>{form.id ? t('reference.editVatRate') : t('reference.addVatRate')}</legend>
        <FormMessages error={ed.error} fieldErrors={ed.fieldErrors} status={null} />
        <div className="row">
          <Field label={t('reference.country')} error={ed.fieldError('country')}>
            {(ids) => (
              <select {...ids} name="country" value={form.country} onChange={(e) => ed.update({ country: e.target.value })}>
                <CountryOptions />
              </select>
            )}
          </Field>
          <Field label={t('reference.class')} error={ed.fieldError('class')}>
            {(ids) => (
              <select {...ids} name="class" value={form.class} onChange={(e) => ed.update({ class: e.target.value })}>
                {VAT_RATE_CLASSES.map((c) => (
                  <option key={c} value={c}>
                    {t(`vatClass.${c}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {input('rate', 'text', t('reference.rateHint'))}
        </div>
        <div className="row">
          {input('validFrom', 'text', t('record.dateHint'))}
          {input('validTo', 'text', `${t('reference.validToHint')} ${t('record.dateHint')}`)}
        </div>
        <div className="actions">
          <button type="submit" className="primary" disabled={ed.busy}>
            {ed.busy ? t('record.saving') : t('record.save')}
          </button>
          <button type="button" onClick={() => onDone(false)}>
            {t('common.cancel')}
          </button>
        </div>
      </fieldset>
    </form>
  )
}

interface RateForm {
  base: string
  quote: string
  rate: string
  validOn: string
  source: string
}

function ExchangeRates({ onStatus }: { onStatus: (s: string | null) => void }) {
  const { t, i18n } = useTranslation()
  const locale = i18n.language
  const rates = useQuery('reference.exchangeRates', ['reference'])
  const [adding, setAdding] = useState(false)
  const [deleting, setDeleting] = useState<ExchangeRate | null>(null)
  const [error, setError] = useState<unknown>(null)
  const addRef = useRef<HTMLButtonElement>(null)

  const describe = (r: ExchangeRate) => `${r.base}/${r.quote}, ${formatDay(r.validOn, locale)}`

  async function remove(r: ExchangeRate) {
    setDeleting(null)
    setError(null)
    try {
      await call('reference.deleteExchangeRate', { id: r.id })
      onStatus(t('reference.deleted'))
      addRef.current?.focus()
    } catch (e) {
      setError(e)
    }
  }

  return (
    <section className="reference" aria-labelledby="fx-title">
      <div className="section-head">
        <h2 id="fx-title">{t('reference.exchangeRates')}</h2>
        <button
          type="button"
          ref={addRef}
          onClick={() => {
            onStatus(null)
            setAdding(true)
          }}
        >
          {t('reference.addExchangeRate')}
        </button>
      </div>
      <p className="muted">{t('reference.exchangeIntro')}</p>
      <ErrorMessage error={error ?? rates.error} />
      {adding ? (
        <ExchangeRateForm
          onDone={(saved) => {
            setAdding(false)
            if (saved) onStatus(t('reference.saved'))
            addRef.current?.focus()
          }}
        />
      ) : null}
      {rates.data?.length === 0 ? <p className="muted">{t('reference.noExchangeRates')}</p> : null}
      <div className="table-wrap">
        <table className="plain">
          <caption className="visually-hidden">{t('reference.exchangeRates')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('reference.base')}</th>
              <th scope="col">{t('reference.quote')}</th>
              <th scope="col" className="num">
                {t('reference.exchangeRate')}
              </th>
              <th scope="col">{t('reference.validOn')}</th>
              <th scope="col">{t('reference.source')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('reference.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rates.data?.map((r) => (
              <tr key={r.id}>
                <td>{r.base}</td>
                <td>{r.quote}</td>
                <td className="num">{decimalText(r.rateE8, 8, locale)}</td>
                <td>{formatDay(r.validOn, locale)}</td>
                <td>{r.source ?? ''}</td>
                <td className="row-actions">
                  <button type="button" className="danger" aria-label={t('reference.deleteRow', { what: describe(r) })} onClick={() => setDeleting(r)}>
                    {t('reference.delete')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ConfirmDialog
        open={deleting !== null}
        text={deleting ? t('reference.deleteRateConfirm', { what: describe(deleting) }) : ''}
        onCancel={() => setDeleting(null)}
        onConfirm={() => deleting && void remove(deleting)}
      />
    </section>
  )
}

function ExchangeRateForm({ onDone }: { onDone: (saved: boolean) => void }) {
  const { t, i18n } = useTranslation()
  const [today] = useState(() => dayText(localToday(), i18n.language))
  const formRef = useRef<HTMLFormElement>(null)
  useEffect(() => {
    formRef.current?.querySelector<HTMLElement>('select, input')?.focus()
  }, [])
  const ed = useEditor<RateForm>({ base: 'EUR', quote: 'USD', rate: '', validOn: today, source: '' }, formRef)
  const form = ed.form!
  const currencies = useQuery('reference.currencies', ['reference'])
  const codes = currencies.data?.map((c) => c.code) ?? [...CURRENCIES]
  const currency = (k: 'base' | 'quote') => (
    <Field label={t(`reference.${k}`)} error={ed.fieldError(k)}>
      {(ids) => (
        <select {...ids} name={k} value={form[k]} onChange={(e) => ed.update({ [k]: e.target.value })}>
          {codes.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      )}
    </Field>
  )
  const input = (k: 'rate' | 'validOn' | 'source', type: string, hint?: string) => (
    <Field label={t(k === 'rate' ? 'reference.exchangeRate' : `reference.${k}`)} error={ed.fieldError(k)} hint={hint}>
      {(ids) => (
        <input
          {...ids}
          name={k}
          type={type}
          inputMode={k === 'rate' ? 'decimal' : undefined}
          autoComplete="off"
          value={form[k]}
          onChange={(e) => ed.update({ [k]: e.target.value })}
        />
      )}
    </Field>
  )
  function submit(e: FormEvent) {
    e.preventDefault()
    void ed.run(
      () =>
        call('reference.saveExchangeRate', {
          base: form.base as never,
          quote: form.quote as never,
          rate: form.rate,
          validOn: parseDay(form.validOn) ?? '',
          source: form.source
        }),
      () => onDone(true)
    )
  }
  return (
    <form ref={formRef} onSubmit={submit} noValidate className="form inline-form">
      <fieldset>
        <legend>{t('reference.addExchangeRate')}</legend>
        <FormMessages error={ed.error ?? currencies.error} fieldErrors={ed.fieldErrors} status={null} />
        <div className="row">
          {currency('base')}
          {currency('quote')}
          {input('rate', 'text', t('reference.exchangeRateHint', { base: form.base, quote: form.quote }))}
        </div>
        <div className="row">
          {input('validOn', 'text', t('record.dateHint'))}
          {input('source', 'text', t('reference.sourceHint'))}
        </div>
        <div className="actions">
          <button type="submit" className="primary" disabled={ed.busy}>
            {ed.busy ? t('record.saving') : t('record.save')}
          </button>
          <button type="button" onClick={() => onDone(false)}>
            {t('common.cancel')}
          </button>
        </div>
      </fieldset>
    </form>
  )
}

/** Today in the local calendar as YYYY-MM-DD. */
function localToday(): string {
  const d = new Date()
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
}
