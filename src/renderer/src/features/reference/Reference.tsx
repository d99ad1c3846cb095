import { type FormEvent, type ReactNode, type RefObject, useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { Output } from '../../../../shared/api.ts'
import { CURRENCIES } from '../../../../shared/reference.ts'
import { call } from '../../ui/api.ts'
import { ConfirmDialog, ErrorMessage, PageTitle, Status } from '../../ui/components.tsx'
import { CountryOptions, DateField, Field, FormMessages, useEditor } from '../../ui/form.tsx'
import { countryName, decimalText, formatDay, formatNumber } from '../../ui/format.ts'
import { useData } from '../../ui/data.ts'

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
      <ConvertCheck />
    </section>
  )
}

/**
 * One table of dated rates with its add button, the open form, a delete button per row (after a
 * confirmation) and any further row actions: the VAT rates and the exchange rates both use it.
 */
function RateTable<R extends { id: string }>(props: {
  id: string
  title: string
  addLabel: string
  intro?: string
  empty?: string | null
  rows: R[] | undefined
  error: unknown
  columns: { label: string; num?: boolean }[]
  cells: (r: R) => ReactNode[]
  describe: (r: R) => string
  confirmText: (what: string) => string
  remove: (r: R) => Promise<unknown>
  /** The add/edit form while it is open (null when closed: the focus goes back to the add button). */
  form: ReactNode
  onAdd: () => void
  actions?: (r: R) => ReactNode
  onStatus: (s: string | null) => void
}) {
  const { t } = useTranslation()
  const [deleting, setDeleting] = useState<R | null>(null)
  const [error, setError] = useState<unknown>(null)
  const addRef = useRef<HTMLButtonElement>(null)

  async function remove(r: R) {
    setDeleting(null)
    setError(null)
    try {
      await props.remove(r)
      props.onStatus(t('reference.deleted'))
      addRef.current?.focus()
    } catch (e) {
      setError(e)
    }
  }

  const open = props.form !== null
  const wasOpen = useRef(open)
  useEffect(() => {
    if (wasOpen.current && !open) addRef.current?.focus()
    wasOpen.current = open
  }, [open])

  return (
    <section className="reference" aria-labelledby={`${props.id}-title`}>
      <div className="section-head">
        <h2 id={`${props.id}-title`}>{props.title}</h2>
        <button
          type="button"
          ref={addRef}
          onClick={() => {
            props.onStatus(null)
            props.onAdd()
          }}
        >
          {props.addLabel}
        </button>
      </div>
      {props.intro ? <p className="muted">{props.intro}</p> : null}
      <ErrorMessage error={error ?? props.error} />
      {props.form}
      {props.empty ? <p className="muted">{props.empty}</p> : null}
      <div className="table-wrap">
        <table className="plain">
          <caption className="visually-hidden">{props.title}</caption>
          <thead>
            <tr>
              {props.columns.map((c) => (
                <th key={c.label} scope="col" className={c.num ? 'num' : undefined}>
                  {c.label}
                </th>
              ))}
              <th scope="col">
                <span className="visually-hidden">{t('reference.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {props.rows?.map((r) => (
              <tr key={r.id}>
                {props.cells(r).map((cell, i) => (
                  <td key={props.columns[i]!.label} className={props.columns[i]!.num ? 'num' : undefined}>
                    {cell}
                  </td>
                ))}
                <td className="row-actions">
                  {props.actions?.(r)}
                  <button type="button" className="danger" aria-label={t('reference.deleteRow', { what: props.describe(r) })} onClick={() => setDeleting(r)}>
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
        text={deleting ? props.confirmText(props.describe(deleting)) : ''}
        confirmLabel={t('reference.delete')}
        danger
        onCancel={() => setDeleting(null)}
        onConfirm={() => deleting && void remove(deleting)}
      />
    </section>
  )
}

/** The frame of an inline add/edit form: focus on its first control, messages, the two rows, save and cancel. */
function InlineForm<T extends object>(props: {
  legend: string
  ed: ReturnType<typeof useEditor<T>>
  formRef: RefObject<HTMLFormElement | null>
  error?: unknown
  onSubmit: (e: FormEvent) => void
  onCancel: () => void
  children: ReactNode
}) {
  const { t } = useTranslation()
  const { ed, formRef } = props
  useEffect(() => {
    formRef.current?.querySelector<HTMLElement>('select, input')?.focus()
  }, [formRef])
  return (
    <form ref={formRef} onSubmit={props.onSubmit} noValidate className="form inline-form">
      <fieldset>
        <legend>{props.legend}</legend>
        <FormMessages error={ed.error ?? props.error ?? null} fieldErrors={ed.fieldErrors} status={null} />
        {props.children}
        <div className="actions">
          <button type="submit" className="primary" disabled={ed.busy}>
            {ed.busy ? t('record.saving') : t('record.save')}
          </button>
          <button type="button" onClick={props.onCancel}>
            {t('common.cancel')}
          </button>
        </div>
      </fieldset>
    </form>
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
  const rates = useData('reference.vatRates', undefined, ['reference'])
  const [editing, setEditing] = useState<VatForm | null>(null)
  const percent = (bp: number) => formatNumber(bp / 10000, locale, { style: 'percent', maximumFractionDigits: 2 })
  const describe = (r: VatRate) => `${countryName(r.country, locale)}, ${t(`vatClass.${r.class}`)}, ${formatDay(r.validFrom, locale)}`
  // By country name in the UI language, then class, newest first.
  const sortedRates = [...(rates.data ?? [])].sort(
    (a, b) =>
      countryName(a.country, locale).localeCompare(countryName(b.country, locale), locale) ||
      VAT_RATE_CLASSES.indexOf(a.class as never) - VAT_RATE_CLASSES.indexOf(b.class as never) ||
      b.validFrom.localeCompare(a.validFrom)
  )
  return (
    <RateTable
      id="vat"
      title={t('reference.vatRates')}
      addLabel={t('reference.addVatRate')}
      rows={sortedRates}
      error={rates.error}
      columns={[
        { label: t('reference.country') },
        { label: t('reference.class') },
        { label: t('reference.rate'), num: true },
        { label: t('reference.validFrom') },
        { label: t('reference.validTo') }
      ]}
      cells={(r) => [
        countryName(r.country, locale),
        t(`vatClass.${r.class}`),
        percent(r.rateBp),
        formatDay(r.validFrom, locale),
        r.validTo ? formatDay(r.validTo, locale) : <span className="muted">{t('reference.openEnded')}</span>
      ]}
      describe={describe}
      confirmText={(what) => t('reference.deleteVatConfirm', { what })}
      remove={(r) => call('reference.deleteVatRate', { id: r.id })}
      onAdd={() => setEditing({ ...emptyVat })}
      form={
        editing ? (
          <VatRateForm
            key={editing.id ?? 'new'}
            initial={editing}
            onDone={(saved) => {
              setEditing(null)
              if (saved) onStatus(t('reference.saved'))
            }}
          />
        ) : null
      }
      actions={(r) => (
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
              validFrom: r.validFrom,
              validTo: r.validTo ?? ''
            })
          }}
        >
          {t('reference.edit')}
        </button>
      )}
      onStatus={onStatus}
    />
  )
}

/** A text input of an inline form, labelled by its field name. */
function textInput<F extends object>(ed: ReturnType<typeof useEditor<F>>, k: keyof F & string, label: string, hint?: string, decimal = false) {
  const form = ed.form!
  return (
    <Field label={label} error={ed.fieldError(k)} hint={hint}>
      {(ids) => (
        <input
          {...ids}
          name={k}
          type="text"
          inputMode={decimal ? 'decimal' : undefined}
          autoComplete="off"
          value={String(form[k] ?? '')}
          onChange={(e) => ed.update({ [k]: e.target.value } as Partial<F>)}
        />
      )}
    </Field>
  )
}

function VatRateForm({ initial, onDone }: { initial: VatForm; onDone: (saved: boolean) => void }) {
  const { t } = useTranslation()
  const formRef = useRef<HTMLFormElement>(null)
  const ed = useEditor<VatForm>(initial, formRef)
  const form = ed.form!
  function submit(e: FormEvent) {
    e.preventDefault()
    void ed.run(
      () =>
        call('reference.saveVatRate', {
          ...(form.id ? { id: form.id } : {}),
          country: form.country as never,
          class: form.class as never,
          rate: form.rate,
          validFrom: form.validFrom,
          validTo: form.validTo || null
        }),
      () => onDone(true)
    )
  }
  return (
    <InlineForm legend={form.id ? t('reference.editVatRate') : t('reference.addVatRate')} ed={ed} formRef={formRef} onSubmit={submit} onCancel={() => onDone(false)}>
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
        {textInput(ed, 'rate', t('reference.rate'), t('reference.rateHint'), true)}
      </div>
      <div className="row">
        <DateField name="validFrom" label={t('reference.validFrom')} value={ed.form!.validFrom} error={ed.fieldError('validFrom')} onChange={(validFrom) => ed.update({ validFrom })} />
        <DateField
          name="validTo"
          label={t('reference.validTo')}
          note={t('reference.validToHint')}
          value={ed.form!.validTo}
          error={ed.fieldError('validTo')}
          onChange={(validTo) => ed.update({ validTo })}
        />
      </div>
    </InlineForm>
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
  const rates = useData('reference.exchangeRates', undefined, ['reference'])
  const [adding, setAdding] = useState(false)
  return (
    <RateTable
      id="fx"
      title={t('reference.exchangeRates')}
      addLabel={t('reference.addExchangeRate')}
      intro={t('reference.exchangeIntro')}
      empty={rates.data?.length === 0 ? t('reference.noExchangeRates') : null}
      rows={rates.data ?? []}
      error={rates.error}
      columns={[
        { label: t('reference.base') },
        { label: t('reference.quote') },
        { label: t('reference.exchangeRate'), num: true },
        { label: t('reference.validOn') },
        { label: t('reference.source') }
      ]}
      cells={(r) => [r.base, r.quote, decimalText(r.rateE8, 8, locale), formatDay(r.validOn, locale), r.source ?? '']}
      describe={(r: ExchangeRate) => `${r.base}/${r.quote}, ${formatDay(r.validOn, locale)}`}
      confirmText={(what) => t('reference.deleteRateConfirm', { what })}
      remove={(r) => call('reference.deleteExchangeRate', { id: r.id })}
      onAdd={() => setAdding(true)}
      form={
        adding ? (
          <ExchangeRateForm
            onDone={(saved) => {
              setAdding(false)
              if (saved) onStatus(t('reference.saved'))
            }}
          />
        ) : null
      }
      onStatus={onStatus}
    />
  )
}

function ExchangeRateForm({ onDone }: { onDone: (saved: boolean) => void }) {
  const { t } = useTranslation()
  const [today] = useState(() => localToday())
  const formRef = useRef<HTMLFormElement>(null)
  const ed = useEditor<RateForm>({ base: 'EUR', quote: 'USD', rate: '', validOn: today, source: '' }, formRef)
  const form = ed.form!
  const currencies = useData('reference.currencies', undefined, ['reference'])
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
  function submit(e: FormEvent) {
    e.preventDefault()
    void ed.run(
      () =>
        call('reference.saveExchangeRate', {
          base: form.base as never,
          quote: form.quote as never,
          rate: form.rate,
          validOn: form.validOn,
          source: form.source
        }),
      () => onDone(true)
    )
  }
  return (
    <InlineForm legend={t('reference.addExchangeRate')} ed={ed} formRef={formRef} error={currencies.error} onSubmit={submit} onCancel={() => onDone(false)}>
      <div className="row">
        {currency('base')}
        {currency('quote')}
        {textInput(ed, 'rate', t('reference.exchangeRate'), t('reference.exchangeRateHint', { base: form.base, quote: form.quote }), true)}
      </div>
      <div className="row">
        <DateField name="validOn" label={t('reference.validOn')} value={form.validOn} error={ed.fieldError('validOn')} onChange={(validOn) => ed.update({ validOn })} />
        {textInput(ed, 'source', t('reference.source'), t('reference.sourceHint'))}
      </div>
    </InlineForm>
  )
}

/**
 * A check of the exchange rates: an amount from one currency into another on a day, with the rate and
 * the way it was found (direct, the inverse of a stored rate, or a chain through a third currency).
 */
function ConvertCheck() {
  const { t, i18n } = useTranslation()
  const locale = i18n.language
  const currencies = useData('reference.currencies', undefined, ['reference'])
  const codes = currencies.data?.map((c) => c.code) ?? [...CURRENCIES]
  const [form, setForm] = useState(() => ({ amount: '1', from: 'ARS', to: 'EUR', date: localToday() }))
  const [result, setResult] = useState<Output<'reference.convert'> | null>(null)
  const [error, setError] = useState<unknown>(null)
  const code = (minor: number, digits: number, currency: string) => `${decimalText(minor, digits, locale, false)} ${currency}`
  const rate = (e8: string) => decimalText(Number(e8), 8, locale)
  async function submit(e: FormEvent) {
    e.preventDefault()
    setError(null)
    try {
      setResult(await call('reference.convert', { from: form.from as never, to: form.to as never, date: form.date, amount: form.amount }))
    } catch (err) {
      setResult(null)
      setError(err)
    }
  }
  const select = (k: 'from' | 'to', label: string) => (
    <Field label={label} error={null}>
      {(ids) => (
        <select {...ids} value={form[k]} onChange={(e) => setForm({ ...form, [k]: e.target.value })}>
          {codes.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      )}
    </Field>
  )
  return (
    <section className="reference" aria-labelledby="convert-title">
      <h2 id="convert-title">{t('reference.convert')}</h2>
      <p className="muted">{t('reference.convertIntro')}</p>
      <form className="form" onSubmit={(e) => void submit(e)}>
        <div className="row">
          <Field label={t('reference.amount')} error={null}>
            {(ids) => <input {...ids} inputMode="decimal" value={form.amount} onChange={(e) => setForm({ ...form, amount: e.target.value })} />}
          </Field>
          {select('from', t('reference.base'))}
          {select('to', t('reference.quote'))}
          <DateField name="convertOn" label={t('reference.convertOn')} value={form.date} error={null} onChange={(date) => setForm({ ...form, date })} />
        </div>
        <div className="actions">
          <button type="submit">{t('reference.convertButton')}</button>
        </div>
      </form>
      <ErrorMessage error={error ?? currencies.error} />
      {result ? (
        <div className="convert-result" role="status">
          <p>
            <strong>
              {t('reference.convertResult', {
                amount: code(result.amountMinor, result.fromDigits, result.from),
                result: code(result.resultMinor, result.toDigits, result.to)
              })}
            </strong>
          </p>
          <p>{t('reference.convertRate', { from: result.from, to: result.to, rate: rate(result.rateE8), date: formatDay(result.validOn, locale) })}</p>
          <p>
            {result.via
              ? t('reference.convertChain', { chain: `${result.from} → ${result.via} → ${result.to}` })
              : result.legs[0]?.inverse
                ? t('reference.convertInverse', { from: result.legs[0].to, to: result.legs[0].from })
                : t('reference.convertDirect')}
          </p>
          {result.legs.length > 1 ? (
            <ul>
              {result.legs.map((l) => (
                <li key={`${l.from}-${l.to}`}>
                  {t('reference.convertLeg', { from: l.from, to: l.to, rate: rate(l.rateE8), date: formatDay(l.validOn, locale), source: l.source ? `, ${l.source}` : '' })}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </section>
  )
}

function localToday(): string {
  const d = new Date()
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
}
