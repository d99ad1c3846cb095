import { useRef, useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import type { Output } from '../../../../shared/api.ts'
import { BLOCK_REASONS, isBlockReason, ROUND_STATUSES, type RoundStatus } from '../../../../shared/vocabulary.ts'
import { ApiError, call } from '../../ui/api.ts'
import { ConfirmDialog, ErrorMessage, PageTitle, Status } from '../../ui/components.tsx'
import { Check, CurrencyOptions, DateField, FormMessages, SelectField, TextField, useEditor } from '../../ui/form.tsx'
import { decimalText, formatMoney, minorDigits, productName } from '../../ui/format.ts'
import { useData } from '../../ui/data.ts'
import { href } from '../../ui/route.ts'

type Round = Output<'rounds.get'>
type PriceRow = Output<'rounds.prices'>[number]

interface Form {
  id?: string
  name: string
  /** Already took place: recorded closed with its past dates (new rounds only). */
  past: boolean
  opensAt: string
  closesAt: string
  /** When the box-fill phase begins (wall clock in the round's zone); empty: none. */
  boxFillAt: string
  timeZone: string
  currency: string
  supplierIds: string[]
  markupPercent: string
  contribution: string
  roundingStep: string
  rateDate: string
  notes: string
}

const DAY = 86_400_000

/** The wall-clock time of an instant in a time zone, as a datetime-local value ("2026-12-05T18:00"). */
function wallClock(ms: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit'
  }).formatToParts(new Date(ms))
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '00'
  return `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}`
}

/** A new round in the organisation's time zone: opens now, order deadline in two weeks at 18:00. */
function emptyForm(timeZone: string, currency: string, locale: string): Form {
  const now = Date.now()
  return {
    name: '',
    past: false,
    opensAt: wallClock(now, timeZone),
    closesAt: `${wallClock(now + 14 * DAY, timeZone).slice(0, 10)}T18:00`,
    boxFillAt: '',
    timeZone,
    currency,
    supplierIds: [],
    markupPercent: '0',
    contribution: decimalText(0, minorDigits(currency), locale, false),
    roundingStep: decimalText(5, minorDigits(currency), locale, false),
    rateDate: '',
    notes: ''
  }
}

function toForm(r: Round, locale: string): Form {
  const digits = minorDigits(r.currency)
  return {
    id: r.id,
    name: r.name,
    past: r.recorded,
    opensAt: r.opensLocal,
    closesAt: r.closesLocal,
    boxFillAt: r.boxFillLocal ?? '',
    timeZone: r.timeZone,
    currency: r.currency,
    supplierIds: r.supplierIds,
    markupPercent: decimalText(r.markupBp, 2, locale),
    contribution: decimalText(r.contributionMinor, digits, locale, false),
    roundingStep: decimalText(r.roundingStepMinor, digits, locale, false),
    rateDate: r.rateDate ?? '',
    notes: r.notes ?? ''
  }
}

/** An instant as date and time in the round's own time zone (the deadline is set there, not in this browser's). */
function inZone(iso: string, timeZone: string, locale: string): string {
  const at = new Date(iso)
  return Number.isNaN(at.getTime()) ? iso : new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(at)
}

/** A block reason in the UI language: a vocabulary key translated, the coordinator's own words as typed. */
function useBlockReasonText() {
  const { t } = useTranslation()
  return (reason: string | null) => (isBlockReason(reason) ? t(`blockReasons.${reason}`) : (reason ?? ''))
}

/** Order rounds: list, form with the price calculator's settings, status steps, and the price list. */
export function Rounds() {
  const { t, i18n } = useTranslation()
  const lang = i18n.language
  const list = useData('rounds.list', { limit: 200 }, ['rounds'])
  const settings = useData('settings.get', undefined, ['settings'])
  const [selected, setSelected] = useState<string | null>(null)
  const current = selected ?? list.data?.rows[0]?.id ?? null
  const round = useData('rounds.get', current ? { id: current } : null, ['rounds'])
  const prices = useData('rounds.prices', current ? { roundId: current } : null, ['prices', 'rounds', 'products'])
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
        <button
          type="button"
          onClick={() => setForm(emptyForm(settings.data?.effectiveTimeZone ?? 'UTC', settings.data?.defaultCurrency ?? 'EUR', lang))}
        >
          {t('rounds.new')}
        </button>
        {round.data ? (
          <button type="button" onClick={() => setForm(toForm(round.data!, lang))}>
            {t('rounds.edit')}
          </button>
        ) : null}
      </div>
      <ErrorMessage error={list.error ?? round.error ?? settings.error} />
      {form ? (
        <RoundForm
          key={form.id ?? 'new'}
          form={form}
          onCancel={() => setForm(null)}
          onSaved={(r) => {
            setSelected(r.id)
            setForm(null)
          }}
        />
      ) : round.data ? (
        <RoundView key={round.data.id} round={round.data} prices={prices.data ?? []} pricesError={prices.error} />
      ) : null}
    </section>
  )
}

/** A round's summary, its status steps and its price list; the products a refused opening named stay marked. */
function RoundView({ round, prices, pricesError }: { round: Round; prices: PriceRow[]; pricesError: unknown }) {
  const { i18n } = useTranslation()
  const [refused, setRefused] = useState<Set<string>>(new Set())
  return (
    <>
      <RoundSummary round={round} lang={i18n.language} />
      <StatusSteps round={round} prices={prices} onRefused={(ids) => setRefused(new Set(ids))} />
      <PriceList round={round} prices={prices} error={pricesError} refused={refused} />
    </>
  )
}

function RoundSummary({ round, lang }: { round: Round; lang: string }) {
  const { t } = useTranslation()
  return (
    <>
      <dl className="facts prose">
        <div>
          <dt>{t('rounds.status')}</dt>
          <dd>{t(`roundStatus.${round.status}`)}</dd>
        </div>
        <div>
          <dt>{t('rounds.closesAt')}</dt>
          <dd>{`${inZone(round.closesAt, round.timeZone, lang)} (${round.timeZone})`}</dd>
        </div>
        <div>
          <dt>{t('rounds.boxFill')}</dt>
          <dd>
            {round.boxFillAt
              ? t(round.boxFilling ? 'rounds.boxFillNow' : 'rounds.boxFillFrom', { date: inZone(round.boxFillAt, round.timeZone, lang) })
              : t('rounds.boxFillNone')}
          </dd>
        </div>
        <div>
          <dt>{t('rounds.calculator')}</dt>
          <dd>
            {t('rounds.calculatorSummary', {
              markup: decimalText(round.markupBp, 2, lang),
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
      {round.recorded ? <p className="hint">{t('rounds.recordedNote')}</p> : null}
    </>
  )
}

/** Backward steps from "ordered" on undo what cooperatives and groups were told: those confirm in the danger colour. */
function isDestructive(from: RoundStatus, to: RoundStatus): boolean {
  const ordered = ROUND_STATUSES.indexOf('ordered')
  return ROUND_STATUSES.indexOf(to) < ROUND_STATUSES.indexOf(from) && ROUND_STATUSES.indexOf(from) >= ordered
}

function StatusSteps({ round, prices, onRefused }: { round: Round; prices: PriceRow[]; onRefused: (productIds: string[]) => void }) {
  const { t, i18n } = useTranslation()
  const lang = i18n.language
  const [error, setError] = useState<unknown>(null)
  const [confirm, setConfirm] = useState<RoundStatus | null>(null)
  const [closesAt, setClosesAt] = useState('')
  const i = ROUND_STATUSES.indexOf(round.status)
  const next = ROUND_STATUSES[i + 1]
  const back = i > 0 ? ROUND_STATUSES[i - 1] : undefined
  const unpriced = prices.filter((p) => p.priceMinor === null && !p.blocked).length
  async function go(status: RoundStatus) {
    setError(null)
    try {
      await call('rounds.setStatus', { id: round.id, status, closesAt: closesAt || null })
      onRefused([])
      setClosesAt('')
    } catch (e) {
      setError(e)
      if (e instanceof ApiError && (e.code === 'round.unpriced' || e.code === 'round.unpriced_more')) onRefused((e.params.productIds ?? []) as string[])
    }
  }
  // The deadline the question names: the new one typed for reopening, else the round's.
  const deadline = closesAt ? inZone(`${closesAt}:00Z`, 'UTC', lang) : inZone(round.closesAt, round.timeZone, lang)
  const question = confirm ? t(`rounds.confirm.${round.status}_${confirm}`, { deadline }) : ''
  return (
    <>
      {round.status === 'draft' && unpriced > 0 && !error ? <p className="message error">{t('rounds.unpricedBefore', { count: unpriced })}</p> : null}
      <ErrorMessage error={error} />
      <div className="actions">
        {next === 'settled' || round.status === 'settled' ? (
          // Closing computes and keeps the result, and reopening asks for a reason: on their own page.
          <a className="button" href={href(['closing'], { round: round.id })}>
            {t(round.status === 'settled' ? 'rounds.toClosingClosed' : 'rounds.toClosing')}
          </a>
        ) : next ? (
          <button type="button" className="primary" onClick={() => setConfirm(next)}>
            {t('rounds.moveTo', { status: t(`roundStatus.${next}`) })}
          </button>
        ) : null}
        {back && round.status !== 'settled' ? (
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
          title={round.name}
          text={question}
          confirmLabel={confirm ? t(confirm === next ? 'rounds.moveTo' : 'rounds.backTo', { status: t(`roundStatus.${confirm}`) }) : undefined}
          danger={confirm ? isDestructive(round.status, confirm) : false}
          onCancel={() => setConfirm(null)}
          onConfirm={() => {
            const s = confirm
            setConfirm(null)
            if (s) void go(s)
          }}
        />
      </div>
    </>
  )
}

function PriceList({ round, prices, error: loadError, refused }: { round: Round; prices: PriceRow[]; error: unknown; refused: Set<string> }) {
  const { t, i18n } = useTranslation()
  const lang = i18n.language
  const reasonText = useBlockReasonText()
  const [status, setStatus] = useState<string | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [showParts, setShowParts] = useState(false)
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
  const [reason, setReason] = useState<string>(BLOCK_REASONS[0])
  const [ownReason, setOwnReason] = useState('')
  async function setBlocked(productId: string, blocked: boolean, blockReason: string | null) {
    setError(null)
    try {
      await call('rounds.setPrice', { roundId: round.id, productId, blocked, blockReason })
      setBlocking(null)
      setOwnReason('')
    } catch (e) {
      setError(e)
    }
  }
  const money = (minor: number | null | undefined, currency = round.currency) => (minor === null || minor === undefined ? t('diagnostics.none') : formatMoney(minor, currency, lang))
  // In the breakdown, amounts in the round currency go without its sign: the caption names it.
  const amount = (minor: number | null | undefined) => (minor === null || minor === undefined ? t('diagnostics.none') : decimalText(minor, minorDigits(round.currency), lang, false))
  return (
    <section>
      <h2>{t('rounds.priceList')}</h2>
      <div className="actions">
        <button type="button" onClick={() => void calculate()}>
          {t('rounds.calculate')}
        </button>
        <button type="button" aria-expanded={showParts} aria-controls="round-price-parts" onClick={() => setShowParts(!showParts)}>
          {showParts ? t('rounds.hideParts') : t('rounds.showParts')}
        </button>
      </div>
      {status ? <Status>{status}</Status> : null}
      <ErrorMessage error={error ?? loadError} />
      {showParts ? (
        <div className="table-wrap" id="round-price-parts">
          <table className="lines price-parts">
            <caption>{t('rounds.partsCaption', { currency: round.currency })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('orders.product')}</th>
                <th scope="col" className="num">
                  {t('rounds.supplierPrice')} <span className="muted">{t('rounds.rate')}</span>
                </th>
                <th scope="col" className="num">{t('rounds.converted', { currency: round.currency })}</th>
                <th scope="col" className="num">{t('rounds.markup')}</th>
                <th scope="col" className="num">{t('rounds.logistics')}</th>
                <th scope="col" className="num">{t('rounds.solidarity')}</th>
                <th scope="col" className="num">{t('rounds.rounding')}</th>
                <th scope="col" className="num">{t('rounds.partsTotal')}</th>
              </tr>
            </thead>
            <tbody>
              {prices.map((p) => (
                <tr key={p.productId}>
                  <td>
                    <strong>{p.sku}</strong> <span className="muted">{productName(p, lang)}</span>
                  </td>
                  <td className="num nowrap">
                    {money(p.supplierPriceMinor, p.supplierCurrency)}
                    {p.pricePerCase ? ` ${t('rounds.perCase', { size: decimalText(p.caseMilli, 3, lang), unit: t(`units.${p.salesUnit}`) })}` : null}
                    <br />
                    <small className="muted">
                      {`× ${p.rateE8 === null ? t('diagnostics.none') : decimalText(p.rateE8, 8, lang)}`}
                      {p.rateVia ? ` ${t('rounds.rateVia', { chain: `${p.supplierCurrency} → ${p.rateVia} → ${round.currency}` })}` : null}
                    </small>
                  </td>
                  <td className="num nowrap">{amount(p.parts?.convertedMinor)}</td>
                  <td className="num nowrap">{amount(p.parts?.markupMinor)}</td>
                  <td className="num nowrap">{amount(p.parts?.logisticsMinor)}</td>
                  <td className="num nowrap">
                    {amount(p.parts?.solidarityMinor)}
                    {p.solidarityMinor > 0 && p.solidarityCurrency !== round.currency ? (
                      <>
                        <br />
                        <small className="muted">{formatMoney(p.solidarityMinor, p.solidarityCurrency, lang)}</small>
                      </>
                    ) : null}
                  </td>
                  <td className="num nowrap">{amount(p.parts?.roundingMinor)}</td>
                  <td className="num nowrap">
                    <strong>{amount(p.calculatedMinor)}</strong>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <div className="table-wrap">
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
            {prices.map((p) => {
              const unpriced = p.priceMinor === null && !p.blocked
              return (
                <tr key={p.productId} className={p.blocked ? 'blocked' : unpriced ? 'unpriced' : undefined}>
                  <td className="nowrap">{p.sku}</td>
                  <td>{productName(p, lang)}</td>
                  <td className="num nowrap">
                    {money(p.supplierPriceMinor, p.supplierCurrency)}
                    {p.pricePerCase ? ` ${t('rounds.perCase', { size: decimalText(p.caseMilli, 3, lang), unit: t(`units.${p.salesUnit}`) })}` : null}
                  </td>
                  <td className="num nowrap">{money(p.calculatedMinor)}</td>
                  <td className="num nowrap">
                    {unpriced ? (
                      <span className={refused.has(p.productId) ? 'badge small danger' : 'badge small'}>{t('rounds.noPrice')}</span>
                    ) : (
                      money(p.priceMinor)
                    )}
                  </td>
                  <td>
                    {blocking === p.productId ? (
                      <form
                        className="inline block-reason"
                        onSubmit={(e: FormEvent) => {
                          e.preventDefault()
                          void setBlocked(p.productId, true, reason === 'other' ? ownReason : reason)
                        }}
                      >
                        <select aria-label={t('rounds.blockReason')} autoFocus value={reason} onChange={(e) => setReason(e.target.value)}>
                          {BLOCK_REASONS.map((r) => (
                            <option key={r} value={r}>
                              {t(`blockReasons.${r}`)}
                            </option>
                          ))}
                          <option value="other">{t('rounds.blockReasonOther')}</option>
                        </select>{' '}
                        {reason === 'other' ? (
                          <input aria-label={t('rounds.blockReasonOwn')} value={ownReason} onChange={(e) => setOwnReason(e.target.value)} />
                        ) : null}{' '}
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
                        {p.blockReason ? <small className="muted reason">{reasonText(p.blockReason)}</small> : null}
                      </>
                    )}
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      </div>
    </section>
  )
}

function RoundForm(props: { form: Form; onCancel: () => void; onSaved: (r: Round) => void }) {
  const { t } = useTranslation()
  const formRef = useRef<HTMLFormElement>(null)
  const ed = useEditor<Form>(props.form, formRef)
  const form = ed.form ?? props.form
  const suppliers = useData('suppliers.list', { limit: 1000 }, ['suppliers'])
  // Every zone Intl knows, and the saved one even where this browser's list lacks it (UTC, old names).
  const zones = [...new Set([...Intl.supportedValuesOf('timeZone'), 'UTC', form.timeZone])].sort()
  const isNew = !form.id

  function submit(e: FormEvent) {
    e.preventDefault()
    void ed.run(
      () =>
        call('rounds.save', {
          ...form,
          currency: form.currency as never,
          rateDate: form.rateDate || null,
          boxFillAt: form.boxFillAt || null,
          notes: form.notes || null
        }),
      props.onSaved
    )
  }
  const date = (name: 'opensAt' | 'closesAt' | 'boxFillAt' | 'rateDate', time: boolean, hint?: string) => (
    <DateField
      time={time}
      name={name}
      label={t(`rounds.${name}`)}
      hint={hint}
      value={form[name]}
      error={ed.fieldError(name)}
      onChange={(v) => ed.update({ [name]: v })}
    />
  )
  const text = (name: 'name' | 'markupPercent' | 'contribution' | 'roundingStep', type = 'text', hint?: string) => (
    <TextField
      name={name}
      label={t(`rounds.${name}`)}
      type={type}
      hint={hint}
      inputMode={type === 'text' && name !== 'name' ? 'decimal' : undefined}
      value={form[name]}
      error={ed.fieldError(name)}
      onChange={(v) => ed.update({ [name]: v })}
    />
  )
  /** Marking the round as past moves dates still as proposed into the past (four to two weeks ago). */
  function setPast(past: boolean) {
    const proposed = form.opensAt === props.form.opensAt && form.closesAt === props.form.closesAt
    if (past && proposed) {
      const now = Date.now()
      ed.update({ past, opensAt: `${wallClock(now - 28 * DAY, form.timeZone).slice(0, 10)}T09:00`, closesAt: `${wallClock(now - 14 * DAY, form.timeZone).slice(0, 10)}T18:00` })
    } else ed.update({ past })
  }
  return (
    <form ref={formRef} className="form" onSubmit={submit} noValidate>
      <FormMessages error={ed.error} fieldErrors={ed.fieldErrors} status={ed.status} />
      <fieldset>
        <legend>{isNew ? t('rounds.new') : t('rounds.edit')}</legend>
        {text('name')}
        {isNew ? <Check name="past" label={t('rounds.past')} hint={t('rounds.pastHint')} checked={form.past} onChange={setPast} /> : null}
        <div className="row">
          {date('opensAt', true)}
          {date('closesAt', true)}
        </div>
        {form.past ? null : date('boxFillAt', true, t('rounds.boxFillHint'))}
        <div className="row">
          <SelectField
            name="timeZone"
            label={t('rounds.timeZone')}
            hint={t('rounds.timeZoneHint')}
            value={form.timeZone}
            error={ed.fieldError('timeZone')}
            onChange={(v) => ed.update({ timeZone: v })}
          >
            {zones.map((z) => (
              <option key={z} value={z}>
                {z}
              </option>
            ))}
          </SelectField>
          <SelectField name="currency" label={t('rounds.currency')} value={form.currency} error={ed.fieldError('currency')} onChange={(v) => ed.update({ currency: v })}>
            <CurrencyOptions />
          </SelectField>
        </div>
      </fieldset>
      <fieldset>
        <legend>{t('rounds.calculator')}</legend>
        <div className="row">
          {text('markupPercent')}
          {text('roundingStep')}
        </div>
        {text('contribution', 'text', t('rounds.contributionHint'))}
        {date('rateDate', false)}
      </fieldset>
      <fieldset>
        <legend>{t('rounds.suppliers')}</legend>
        {ed.fieldError('supplierIds') ? <p className="field-error">{ed.fieldError('supplierIds')}</p> : null}
        {(suppliers.data?.rows ?? []).map((s) => (
          <Check
            key={s.id}
            name={`supplier-${s.id}`}
            label={s.name}
            checked={form.supplierIds.includes(s.id)}
            onChange={(checked) => ed.update({ supplierIds: checked ? [...form.supplierIds, s.id] : form.supplierIds.filter((x) => x !== s.id) })}
          />
        ))}
      </fieldset>
      <div className="actions sticky">
        <button type="submit" className="primary" disabled={ed.busy}>
          {ed.busy ? t('record.saving') : t('record.save')}
        </button>
        {ed.dirty ? <span className="muted">{t('record.unsaved')}</span> : null}
        <button type="button" onClick={props.onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  )
}
