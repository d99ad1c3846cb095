import { useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import type { Output } from '../../../../shared/api.ts'
import type { FieldErrors } from '../../../../shared/errors.ts'
import { formatScaled } from '../../../../shared/decimal.ts'
import { CURRENCIES } from '../../../../shared/reference.ts'
import { ROUND_STATUSES, type RoundStatus } from '../../../../shared/vocabulary.ts'
import { ApiError, call } from '../../ui/api.ts'
import { ConfirmDialog, ErrorMessage, PageTitle, Status } from '../../ui/components.tsx'
import { formatDate, formatMoney, productName } from '../../ui/format.ts'
import { useData } from '../../ui/data.ts'
import { DateField, FormMessages } from '../../ui/form.tsx'

type Round = Output<'rounds.get'>

interface Form {
  id?: string
  name: string
  opensAt: string
  closesAt: string
  timeZone: string
  currency: string
  supplierIds: string[]
  markupPercent: string
  contribution: string
  roundingStep: string
  rateDate: string
  notes: string
}

function emptyForm(): Form {
  const now = new Date()
  const local = (d: Date) => new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16)
  return {
    name: '',
    opensAt: local(now),
    closesAt: local(new Date(now.getTime() + 14 * 86_400_000)),
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    currency: 'EUR',
    supplierIds: [],
    markupPercent: '0',
    contribution: '0',
    roundingStep: '0.05',
    rateDate: '',
    notes: ''
  }
}

function toForm(r: Round): Form {
  return {
    id: r.id,
    name: r.name,
    opensAt: r.opensLocal,
    closesAt: r.closesLocal,
    timeZone: r.timeZone,
    currency: r.currency,
    supplierIds: r.supplierIds,
    markupPercent: formatScaled(r.markupBp, 2, true),
    contribution: formatScaled(r.contributionMinor, 2),
    roundingStep: formatScaled(r.roundingStepMinor, 2),
    rateDate: r.rateDate ?? '',
    notes: r.notes ?? ''
  }
}

/** Order rounds: list, form with the price calculator's settings, status steps, and the price list. */
export function Rounds() {
  const { t, i18n } = useTranslation()
  const lang = i18n.language
  const list = useData('rounds.list', { limit: 200 }, ['rounds'])
  const [selected, setSelected] = useState<string | null>(null)
  const current = selected ?? list.data?.rows[0]?.id ?? null
  const round = useData('rounds.get', current ? { id: current } : null, ['rounds'])
  const [form, setForm] = useState<Form | null>(null)

  return (
    <section>
      <PageTitle>{t('rounds.title')}</PageTitle>
      <div className="actions">
        <label htmlFor="round-choose">{t('rounds.choose')}</label>
        <select
            id="round-choose"
            value={current ?? ''}
            onChange={(e) => {
              setSelected(e.target.value)
              setForm(null)
            }}
          >
            {(list.data?.rows ?? []).map((r) => (
              <option key={r.id} value={r.id}>
                {`${r.name} · ${t(`roundStatus.${r.status}`)}`}
              </option>
            ))}
          </select>
        <button type="button" onClick={() => setForm(emptyForm())}>
          {t('rounds.new')}
        </button>
        {round.data ? (
          <button type="button" onClick={() => setForm(toForm(round.data!))}>
            {t('rounds.edit')}
          </button>
        ) : null}
      </div>
      <ErrorMessage error={list.error ?? round.error} />
      {form ? (
        <RoundForm
          form={form}
          onCancel={() => setForm(null)}
          onSaved={(r) => {
            setSelected(r.id)
            setForm(null)
          }}
        />
      ) : round.data ? (
        <>
          <RoundSummary round={round.data} lang={lang} />
          <StatusSteps round={round.data} />
          <PriceList round={round.data} />
        </>
      ) : null}
    </section>
  )
}

function RoundSummary({ round, lang }: { round: Round; lang: string }) {
  const { t } = useTranslation()
  return (
    <dl className="facts">
      <div>
        <dt>{t('rounds.status')}</dt>
        <dd>{t(`roundStatus.${round.status}`)}</dd>
      </div>
      <div>
        <dt>{t('rounds.closesAt')}</dt>
        <dd>{`${formatDate(round.closesAt, lang, 'datetime')} (${round.timeZone})`}</dd>
      </div>
      <div>
        <dt>{t('rounds.calculator')}</dt>
        <dd>
          {t('rounds.calculatorSummary', {
            markup: formatScaled(round.markupBp, 2, true),
            contribution: formatMoney(round.contributionMinor, round.currency, lang),
            step: formatMoney(round.roundingStepMinor, round.currency, lang)
          })}
        </dd>
      </div>
      <div>
        <dt>{t('rounds.orders')}</dt>
        <dd>{round.orders}</dd>
      </div>
    </dl>
  )
}

function StatusSteps({ round }: { round: Round }) {
  const { t } = useTranslation()
  const [error, setError] = useState<unknown>(null)
  const [confirm, setConfirm] = useState<RoundStatus | null>(null)
  const [closesAt, setClosesAt] = useState('')
  const i = ROUND_STATUSES.indexOf(round.status)
  const next = ROUND_STATUSES[i + 1]
  const back = i > 0 ? ROUND_STATUSES[i - 1] : undefined
  async function go(status: RoundStatus) {
    setError(null)
    try {
      await call('rounds.setStatus', { id: round.id, status, closesAt: closesAt || null })
    } catch (e) {
      setError(e)
    }
  }
  return (
    <div className="actions">
      <ErrorMessage error={error} />
      {next ? (
        <button type="button" className="primary" onClick={() => setConfirm(next)}>
          {t('rounds.moveTo', { status: t(`roundStatus.${next}`) })}
        </button>
      ) : null}
      {back ? (
        <button type="button" onClick={() => setConfirm(back)}>
          {t('rounds.backTo', { status: t(`roundStatus.${back}`) })}
        </button>
      ) : null}
      {round.status === 'closed' ? (
        <>
          <DateField time name="newDeadline" label={t('rounds.newDeadline')} value={closesAt} error={null} onChange={setClosesAt} />
        </>
      ) : null}
      <ConfirmDialog
        open={confirm !== null}
        text={t('rounds.confirmStatus', { status: t(`roundStatus.${confirm ?? round.status}`) })}
        onCancel={() => setConfirm(null)}
        onConfirm={() => {
          const s = confirm
          setConfirm(null)
          if (s) void go(s)
        }}
      />
    </div>
  )
}

function PriceList({ round }: { round: Round }) {
  const { t, i18n } = useTranslation()
  const lang = i18n.language
  const prices = useData('rounds.prices', { roundId: round.id }, ['prices', 'rounds'])
  const [status, setStatus] = useState<string | null>(null)
  const [error, setError] = useState<unknown>(null)
  async function calculate() {
    setError(null)
    try {
      const r = await call('rounds.calculatePrices', { roundId: round.id })
      setStatus(r.missingRates.length ? t('rounds.missingRates', { currencies: r.missingRates.join(', ') }) : t('rounds.priced', { count: r.priced }))
    } catch (e) {
      setError(e)
    }
  }
  const [blocking, setBlocking] = useState<string | null>(null)
  const [reason, setReason] = useState('')
  async function setBlocked(productId: string, blocked: boolean, blockReason: string | null) {
    setError(null)
    try {
      await call('rounds.setPrice', { roundId: round.id, productId, blocked, blockReason })
      setBlocking(null)
      setReason('')
    } catch (e) {
      setError(e)
    }
  }
  return (
    <section>
      <h2>{t('rounds.priceList')}</h2>
      <div className="actions">
        <button type="button" onClick={() => void calculate()}>
          {t('rounds.calculate')}
        </button>
      </div>
      {status ? <Status>{status}</Status> : null}
      <ErrorMessage error={error ?? prices.error} />
      <table className="lines">
        <thead>
          <tr>
            <th scope="col">{t('orders.sku')}</th>
            <th scope="col">{t('orders.product')}</th>
            <th scope="col" className="num">{t('rounds.supplierPrice')}</th>
            <th scope="col" className="num">{t('rounds.calculated')}</th>
            <th scope="col" className="num">{t('orders.price')}</th>
            <th scope="col">{t('rounds.blocked')}</th>
          </tr>
        </thead>
        <tbody>
          {(prices.data ?? []).map((p) => (
            <tr key={p.productId} className={p.blocked ? 'blocked' : undefined}>
              <td>{p.sku}</td>
              <td>{productName(p, lang)}</td>
              <td className="num">{formatMoney(p.supplierPriceMinor, p.supplierCurrency, lang)}</td>
              <td className="num">{p.calculatedMinor === null ? t('diagnostics.none') : formatMoney(p.calculatedMinor, round.currency, lang)}</td>
              <td className="num">{p.priceMinor === null ? t('diagnostics.none') : formatMoney(p.priceMinor, round.currency, lang)}</td>
              <td>
                {blocking === p.productId ? (
                  <form
                    className="inline"
                    onSubmit={(e) => {
                      e.preventDefault()
                      void setBlocked(p.productId, true, reason)
                    }}
                  >
                    <input aria-label={t('rounds.blockReason')} autoFocus value={reason} onChange={(e) => setReason(e.target.value)} />{' '}
                    <button type="submit">{t('rounds.block')}</button>{' '}
                    <button type="button" onClick={() => setBlocking(null)}>
                      {t('common.cancel')}
                    </button>
                  </form>
                ) : (
                  <>
                    <button type="button" onClick={() => (p.blocked ? void setBlocked(p.productId, false, null) : setBlocking(p.productId))}>
                      {p.blocked ? t('rounds.unblock') : t('rounds.block')}
                    </button>{' '}
                    {p.blockReason ? <span className="muted">{p.blockReason}</span> : null}
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}

function RoundForm(props: { form: Form; onCancel: () => void; onSaved: (r: Round) => void }) {
  const { t } = useTranslation()
  const [form, setForm] = useState(props.form)
  const [errors, setErrors] = useState<FieldErrors>({})
  const [error, setError] = useState<unknown>(null)
  const suppliers = useData('suppliers.list', { limit: 1000 }, ['suppliers'])
  const zones = Intl.supportedValuesOf('timeZone')
  const err = (name: string) => (errors[name] ? t(`fieldErrors.${errors[name]!.code}`, (errors[name]!.params ?? {}) as Record<string, string>) : null)
  async function submit(e: FormEvent) {
    e.preventDefault()
    setError(null)
    try {
      const saved = await call('rounds.save', {
        ...form,
        currency: form.currency as (typeof CURRENCIES)[number],
        rateDate: form.rateDate || null
      })
      props.onSaved(saved)
    } catch (x) {
      if (x instanceof ApiError && x.code === 'validation') setErrors((x.params.fields ?? {}) as FieldErrors)
      else setError(x)
    }
  }
  const text = (name: keyof Form, type = 'text') => (
    <div className={err(name) ? 'field invalid' : 'field'}>
      <label htmlFor={`round-${name}`}>{t(`rounds.${name}`)}</label>
      <input
        id={`round-${name}`}
        name={name}
        type={type}
        value={form[name] as string}
        aria-invalid={Boolean(err(name))}
        aria-describedby={err(name) ? `round-${name}-error` : undefined}
        onChange={(e) => setForm({ ...form, [name]: e.target.value })}
      />
      {err(name) ? (
        <small id={`round-${name}-error`} className="field-error">
          {err(name)}
        </small>
      ) : null}
    </div>
  )
  return (
    <form className="form" onSubmit={(e) => void submit(e)} noValidate>
      <FormMessages error={error} fieldErrors={errors} status={null} />
      <fieldset>
        <legend>{form.id ? t('rounds.edit') : t('rounds.new')}</legend>
        {text('name')}
        <DateField time name="opensAt" label={t('rounds.opensAt')} value={form.opensAt} error={err('opensAt')} onChange={(opensAt) => setForm({ ...form, opensAt })} />
        <DateField time name="closesAt" label={t('rounds.closesAt')} value={form.closesAt} error={err('closesAt')} onChange={(closesAt) => setForm({ ...form, closesAt })} />
        <div className="field">
          <label htmlFor="round-timeZone">{t('rounds.timeZone')}</label>
          <select id="round-timeZone" value={form.timeZone} onChange={(e) => setForm({ ...form, timeZone: e.target.value })}>
            {zones.map((z) => (
              <option key={z} value={z}>
                {z}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="round-currency">{t('rounds.currency')}</label>
          <select id="round-currency" value={form.currency} onChange={(e) => setForm({ ...form, currency: e.target.value })}>
            {CURRENCIES.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </div>
      </fieldset>
      <fieldset>
        <legend>{t('rounds.calculator')}</legend>
        {text('markupPercent')}
        {text('contribution')}
        {text('roundingStep')}
        <DateField name="rateDate" label={t('rounds.rateDate')} value={form.rateDate} error={err('rateDate')} onChange={(rateDate) => setForm({ ...form, rateDate })} />
      </fieldset>
      <fieldset>
        <legend>{t('rounds.suppliers')}</legend>
        {err('supplierIds') ? <p className="field-error">{err('supplierIds')}</p> : null}
        {(suppliers.data?.rows ?? []).map((s) => (
          <div className="check" key={s.id}>
            <input
              id={`round-s-${s.id}`}
              type="checkbox"
              checked={form.supplierIds.includes(s.id)}
              onChange={(e) =>
                setForm({ ...form, supplierIds: e.target.checked ? [...form.supplierIds, s.id] : form.supplierIds.filter((x) => x !== s.id) })
              }
            />
            <label htmlFor={`round-s-${s.id}`}>{s.name}</label>
          </div>
        ))}
      </fieldset>
      <div className="actions">
        <button type="submit" className="primary">
          {t('settings.save')}
        </button>
        <button type="button" onClick={props.onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  )
}
