import { type FormEvent, Fragment, useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { TFunction } from 'i18next'
import type { Output } from '../../../../shared/api.ts'
import { formatScaled } from '../../../../shared/decimal.ts'
import { LANGUAGES } from '../../../../shared/reference.ts'
import { CUT_STRATEGIES, type CutStrategy, PAYMENT_LABELS, type PaymentLabel, ROUNDING_POLICIES, type RoundingPolicyKind, type Stage, STAGES } from '../../../../shared/vocabulary.ts'
import { ApiError, call } from '../../ui/api.ts'
import { ConfirmDialog, ErrorMessage, PageTitle, Status } from '../../ui/components.tsx'
import { CodeOptions, Field, FormMessages, useEditor } from '../../ui/form.tsx'
import { dayText, formatDay, formatMoney, formatNumber, parseDay, productName } from '../../ui/format.ts'
import { RoundSelect, useRoundChoice } from '../rounds/roundChoice.tsx'
import { useData } from '../../ui/data.ts'

type Line = Output<'consolidation.lines'>[number]
type Product = Output<'consolidation.get'>['products'][number]
type RoundingPolicy = Product['policy']

/** A rounding policy in a few words: "always round up", "round up from 30% of a case". */
function policyText(t: TFunction, policy: RoundingPolicy, locale: string): string {
  return policy.kind === 'threshold'
    ? t('consolidation.policyShort.threshold', { percent: formatNumber(policy.thresholdBp / 100, locale) })
    : t(`consolidation.policyShort.${policy.kind}`)
}

/**
 * A percentage as typed (a decimal comma is fine): its number, null when empty, and anything that is no
 * number sent as typed, so that the core names the problem.
 */
function percentValue(text: string): number | null {
  const raw = text.trim()
  if (raw === '') return null
  const n = Number(raw.replace(',', '.'))
  return Number.isNaN(n) ? (raw as unknown as number) : n
}

/** The translated error of a refused threshold percentage, or null when the error is about something else. */
function percentFieldError(t: TFunction, e: unknown): string | null {
  const field =
    e instanceof ApiError && e.code === 'validation' ? (e.params.fields as Record<string, { code: string; params?: object }> | undefined)?.thresholdPercent : undefined
  return field ? t(`fieldErrors.${field.code}`, (field.params ?? {}) as Record<string, string>) : null
}

/**
 * Consolidation of a round: cases per product, who gets what (and why), the coordinator's overrides,
 * and the purchase orders per cooperative or exporter of record.
 */
export function Consolidation() {
  const { t, i18n } = useTranslation()
  const lang = i18n.language
  const rounds = useRoundChoice(['closed', 'ordered'])
  const [stage, setStage] = useState<Stage>('planned')
  const round = rounds.roundId
  const roundRow = rounds.round
  const data = useData('consolidation.get', round ? { roundId: round, stage } : null, ['consolidation', 'orders', 'prices', 'purchaseOrders', 'rounds'])
  const pos = useData('purchaseOrders.list', round ? { roundId: round } : null, ['purchaseOrders'])
  const [error, setError] = useState<unknown>(null)
  const [status, setStatus] = useState<string | null>(null)
  const [open, setOpen] = useState<string | null>(null)
  const [editing, setEditing] = useState<Line | null>(null)
  const [granted, setGranted] = useState('')
  const [reason, setReason] = useState('')
  const [quantitiesFor, setQuantitiesFor] = useState<string | null>(null)
  const [termsFor, setTermsFor] = useState<string | null>(null)
  /** A sent order the coordinator asked to set back to draft, until they confirm or cancel. */
  const [backToDraft, setBackToDraft] = useState<{ id: string; number: string; supplierName: string } | null>(null)
  const currency = roundRow?.currency ?? 'EUR'
  const edit = (l: Line) => {
    setEditing(l)
    setGranted(String(l.granted))
    setReason(l.override?.reason ?? '')
  }

  async function run(fn: () => Promise<string | null>) {
    setError(null)
    setStatus(null)
    try {
      setStatus(await fn())
    } catch (e) {
      setError(e)
    }
  }

  return (
    <section>
      <PageTitle>{t('consolidation.title')}</PageTitle>
      <p>{t('consolidation.intro')}</p>
      <div className="toolbar">
        <div className="field">
          <label htmlFor="cons-round">{t('orders.round')}</label>
          <RoundSelect
            id="cons-round"
            rows={rounds.rows}
            value={round}
            onChange={(id) => {
              // Open products and purchase order panels belong to the round that was shown.
              rounds.setRoundId(id)
              setOpen(null)
              setQuantitiesFor(null)
              setTermsFor(null)
              setEditing(null)
            }}
          />
        </div>
        <div className="field">
          <label htmlFor="cons-stage">{t('consolidation.stage')}</label>
          <select id="cons-stage" value={stage} onChange={(e) => setStage(e.target.value as Stage)}>
            {STAGES.map((s) => (
              <option key={s} value={s}>
                {t(`consolidation.stages.${s}`)}
              </option>
            ))}
          </select>
        </div>
        {data.data ? (
          <Policy
            key={data.data.roundId}
            roundId={data.data.roundId}
            cut={data.data.cutStrategy}
            policy={data.data.roundingPolicy}
            thresholdBp={data.data.thresholdBp}
            onStatus={setStatus}
            onError={setError}
          />
        ) : null}
      </div>
      <ErrorMessage error={error ?? data.error ?? pos.error} />
      {status ? <Status>{status}</Status> : null}

      <table className="lines">
        <caption>{t('consolidation.products', { count: data.data?.products.length ?? 0 })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('orders.sku')}</th>
            <th scope="col">{t('orders.product')}</th>
            <th scope="col" className="num">{t('consolidation.ordered')}</th>
            <th scope="col" className="num">{t('orders.tolerance')}</th>
            <th scope="col" className="num">{t('consolidation.cases')}</th>
            <th scope="col" className="num">{t('consolidation.available')}</th>
            <th scope="col" className="num">{t('orders.missingToCase')}</th>
            <th scope="col" className="num">{t('consolidation.cut')}</th>
            <th scope="col" className="num">{t('consolidation.surplus')}</th>
          </tr>
        </thead>
        <tbody>
          {(data.data?.products ?? []).map((p) => (
            <Fragment key={p.productId}>
              <tr className={p.cut > 0 ? 'short' : undefined}>
                <td className="nowrap">
                  <button type="button" className="link" aria-expanded={open === p.productId} onClick={() => setOpen(open === p.productId ? null : p.productId)}>
                    {p.sku}
                  </button>
                </td>
                <td>
                  {productName(p, lang)}{' '}
                  <span className="muted">{t('consolidation.caseOf', { n: formatScaled(p.caseMilli, 3, true) })}</span>
                  {p.held ? <span className="badge small">{t('consolidation.held')}</span> : null}
                  {p.policyOverridden ? <span className="badge small own-policy">{t('consolidation.ownPolicy', { policy: policyText(t, p.policy, lang) })}</span> : null}
                </td>
                <td className="num">{p.quantity}</td>
                <td className="num">{p.tolerance}</td>
                <td className="num">{p.cases}</td>
                <td className="num">{p.available}</td>
                <td className="num">{p.missingToNextCase}</td>
                <td className="num">{p.cut}</td>
                <td className="num">{p.surplus}</td>
              </tr>
              {open === p.productId && data.data ? (
                <ProductPolicy key={p.productId} roundId={round} product={p} roundPolicy={data.data.roundingPolicy} />
              ) : null}
              {open === p.productId ? <ProductLines roundId={round} stage={stage} productId={p.productId} onEdit={edit} onRun={run} /> : null}
            </Fragment>
          ))}
        </tbody>
      </table>

      {editing ? (
        <form
          className="form inline-panel"
          onSubmit={(e) => {
            e.preventDefault()
            void run(async () => {
              await call('consolidation.override', { lineId: editing.lineId, granted: Number(granted), reason })
              setEditing(null)
              return t('consolidation.overrideSaved')
            })
          }}
        >
          <fieldset>
            <legend>{t('consolidation.overrideFor', { buyer: editing.buyerName })}</legend>
            <div className="field small">
              <label htmlFor="override-granted">{t('consolidation.granted')}</label>
              <input id="override-granted" inputMode="numeric" value={granted} onChange={(e) => setGranted(e.target.value)} />
            </div>
            <div className="field">
              <label htmlFor="override-reason">{t('consolidation.reason')}</label>
              <input id="override-reason" value={reason} onChange={(e) => setReason(e.target.value)} />
            </div>
            <div className="actions">
              <button type="submit" className="primary">
                {t('settings.save')}
              </button>
              <button type="button" onClick={() => setEditing(null)}>
                {t('common.cancel')}
              </button>
            </div>
          </fieldset>
        </form>
      ) : null}

      <h2>{t('consolidation.suppliers')}</h2>
      <table className="lines">
        <thead>
          <tr>
            <th scope="col">{t('consolidation.supplier')}</th>
            <th scope="col" className="num">{t('consolidation.cases')}</th>
            <th scope="col" className="num">{t('consolidation.value')}</th>
            <th scope="col" className="num">{t('consolidation.grossKg')}</th>
            <th scope="col" className="num">{t('consolidation.volume')}</th>
          </tr>
        </thead>
        <tbody>
          {(data.data?.suppliers ?? []).map((s) => (
            <tr key={s.supplierId}>
              <td>{s.orderTo.id === s.supplierId ? s.name : `${s.name} → ${s.orderTo.name}`}</td>
              <td className="num">{s.cases}</td>
              <td className="num">{s.currency ? formatMoney(s.valueMinor, s.currency, lang) : formatNumber(s.valueMinor, lang)}</td>
              <td className="num">{formatNumber(s.grossG / 1000, lang, { maximumFractionDigits: 1 })}</td>
              <td className="num">{formatNumber(s.volumeCm3 / 1_000_000, lang, { maximumFractionDigits: 3 })}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>{t('consolidation.purchaseOrders')}</h2>
      <div className="actions">
        <button
          type="button"
          className="primary"
          disabled={!(roundRow?.status === 'closed' || roundRow?.status === 'ordered')}
          onClick={() => void run(async () => t('consolidation.created', { count: (await call('purchaseOrders.create', { roundId: round })).length }))}
        >
          {t('consolidation.createPurchaseOrders')}
        </button>
        {roundRow && roundRow.status !== 'closed' && roundRow.status !== 'ordered' ? <span className="muted">{t('consolidation.closeFirst')}</span> : null}
      </div>
      <table className="lines">
        <thead>
          <tr>
            <th scope="col">{t('consolidation.number')}</th>
            <th scope="col">{t('consolidation.supplier')}</th>
            <th scope="col">{t('rounds.status')}</th>
            <th scope="col">{t('consolidation.language')}</th>
            <th scope="col" className="num">{t('consolidation.value')}</th>
            <th scope="col">{t('consolidation.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {(pos.data ?? []).map((po) => (
            <tr key={po.id}>
              <td className="nowrap">{po.number}</td>
              <td>{po.supplierName}</td>
              <td>{t(`consolidation.poStatus.${po.status}`)}</td>
              <td>{t(`language.${po.language}`)}</td>
              <td className="num">{formatMoney(po.totalMinor, po.currency, lang)}</td>
              <td>
                <div className="row-buttons">
                  <button type="button" aria-expanded={quantitiesFor === po.id} onClick={() => setQuantitiesFor(quantitiesFor === po.id ? null : po.id)}>
                    {t('consolidation.quantities')}
                  </button>
                  <button type="button" aria-expanded={termsFor === po.id} onClick={() => setTermsFor(termsFor === po.id ? null : po.id)}>
                    {t('consolidation.terms')}
                  </button>
                  {po.status !== 'confirmed' ? (
                    <button
                      type="button"
                      onClick={() =>
                        void run(async () => {
                          await call('purchaseOrders.setStatus', { id: po.id, status: po.status === 'draft' ? 'sent' : 'confirmed' })
                          return null
                        })
                      }
                    >
                      {t('consolidation.markAs', { status: t(`consolidation.poStatus.${po.status === 'draft' ? 'sent' : 'confirmed'}`) })}
                    </button>
                  ) : null}
                  {po.status === 'sent' ? (
                    <button type="button" onClick={() => setBackToDraft({ id: po.id, number: po.number, supplierName: po.supplierName })}>
                      {t('consolidation.backToDraft')}
                    </button>
                  ) : null}
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ConfirmDialog
        open={backToDraft !== null}
        text={backToDraft ? t('consolidation.confirmBackToDraft', { number: backToDraft.number, supplier: backToDraft.supplierName }) : ''}
        onCancel={() => setBackToDraft(null)}
        onConfirm={() => {
          const po = backToDraft
          setBackToDraft(null)
          if (po)
            void run(async () => {
              await call('purchaseOrders.setStatus', { id: po.id, status: 'draft' })
              // What it is for: the order's language and payment terms open, ready to correct.
              setTermsFor(po.id)
              return t('consolidation.backToDraftDone', { number: po.number })
            })
        }}
      />
      {quantitiesFor ? <PoQuantities key={quantitiesFor} id={quantitiesFor} onRun={run} /> : null}
      {termsFor ? <PoTerms key={termsFor} id={termsFor} /> : null}
      <p className="muted">{t('consolidation.currencyNote', { currency })}</p>
      {round ? <Changes roundId={round} stage={stage} /> : null}
      <h2>{t('consolidation.stock')}</h2>
      <div className="actions">
        <button
          type="button"
          onClick={() =>
            void run(async () => {
              const booked = await call('stock.bookSurplus', { roundId: round, stage })
              return t('consolidation.booked', { count: booked.reduce((a, b) => a + b.units, 0) })
            })
          }
        >
          {t('consolidation.bookSurplus')}
        </button>
      </div>
      <Stock />
    </section>
  )
}

/** What the cooperative confirmed and what arrived (and broke), per line of one purchase order. */
function PoQuantities({ id, onRun }: { id: string; onRun: (fn: () => Promise<string | null>) => Promise<void> }) {
  const { t } = useTranslation()
  const po = useData('purchaseOrders.get', { id }, ['purchaseOrders'])
  const [values, setValues] = useState<Record<string, { confirmed: string; received: string; broken: string }>>({})
  if (!po.data) return <ErrorMessage error={po.error} />
  const value = (productId: string, field: 'confirmed' | 'received' | 'broken', stored: number | null) =>
    values[productId]?.[field] ?? (stored === null ? '' : String(stored))
  const set = (productId: string, field: 'confirmed' | 'received' | 'broken', v: string) => {
    const line = po.data!.lines.find((l) => l.productId === productId)!
    const current = values[productId] ?? {
      confirmed: line.confirmedUnits === null ? '' : String(line.confirmedUnits),
      received: line.receivedUnits === null ? '' : String(line.receivedUnits),
      broken: String(line.brokenUnits)
    }
    setValues({ ...values, [productId]: { ...current, [field]: v } })
  }
  const num = (v: string) => (v.trim() === '' ? null : Number(v))
  return (
    <form
      className="form"
      onSubmit={(e) => {
        e.preventDefault()
        void onRun(async () => {
          const lines = Object.entries(values).map(([productId, v]) => ({
            productId,
            confirmedUnits: num(v.confirmed),
            receivedUnits: num(v.received),
            brokenUnits: num(v.broken) ?? 0
          }))
          if (lines.length) await call('purchaseOrders.recordQuantities', { purchaseOrderId: id, lines })
          setValues({})
          return t('consolidation.quantitiesSaved')
        })
      }}
    >
      <table className="lines">
        <caption>{t('consolidation.quantitiesOf', { number: po.data.number })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('orders.sku')}</th>
            <th scope="col">{t('orders.product')}</th>
            <th scope="col" className="num">{t('consolidation.orderedUnits')}</th>
            <th scope="col">{t('consolidation.confirmed')}</th>
            <th scope="col">{t('consolidation.received')}</th>
            <th scope="col">{t('consolidation.broken')}</th>
          </tr>
        </thead>
        <tbody>
          {po.data.lines.map((l) => (
            <tr key={l.productId}>
              <td className="nowrap">{l.sku}</td>
              <td>{l.description}</td>
              <td className="num">{l.units}</td>
              {(['confirmed', 'received', 'broken'] as const).map((f) => (
                <td key={f}>
                  <input
                    className="qty"
                    inputMode="numeric"
                    aria-label={`${t(`consolidation.${f}`)} ${l.sku}`}
                    value={value(l.productId, f, f === 'confirmed' ? l.confirmedUnits : f === 'received' ? l.receivedUnits : l.brokenUnits)}
                    onChange={(e) => set(l.productId, f, e.target.value)}
                  />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <div className="actions">
        <button type="submit" className="primary">
          {t('settings.save')}
        </button>
      </div>
    </form>
  )
}

interface TermForm {
  label: PaymentLabel
  share: string
  dueDate: string
}
interface TermsForm {
  language: (typeof LANGUAGES)[number]
  terms: TermForm[]
}

/**
 * The language and payment terms of one purchase order: editable while it is a draft (the core splits
 * the total into the amounts due when saved), and the amounts due as they stand.
 */
function PoTerms({ id }: { id: string }) {
  const { t, i18n } = useTranslation()
  const lang = i18n.language
  const po = useData('purchaseOrders.get', { id }, ['purchaseOrders'])
  const formRef = useRef<HTMLFormElement>(null)
  const saved: TermsForm | null = po.data
    ? {
        language: po.data.language,
        terms: po.data.payments.map((p) => ({
          label: p.label as TermForm['label'],
          share: formatNumber(p.shareBp / 100, lang, { useGrouping: false }),
          dueDate: dayText(p.dueDate, lang)
        }))
      }
    : null
  const ed = useEditor<TermsForm>(saved, formRef)
  // Opened from a row of the list above: the keyboard goes on in the form once it is there.
  const focused = useRef(false)
  useEffect(() => {
    if (focused.current || !formRef.current) return
    focused.current = true
    formRef.current.querySelector<HTMLElement>('select, input')?.focus()
  })
  if (!po.data || !ed.form) return <ErrorMessage error={po.error} />
  const doc = po.data
  const form = ed.form
  const setTerm = (i: number, patch: Partial<TermForm>) => ed.update({ terms: form.terms.map((x, j) => (j === i ? { ...x, ...patch } : x)) })
  const shareOf = (text: string): number | undefined => {
    const raw = text.trim()
    if (raw === '') return undefined
    const n = Number(raw.replace(',', '.'))
    // Not a number: sent as typed, so the core names the problem.
    return Number.isNaN(n) ? (raw as unknown as number) : n
  }
  const sum = form.terms.reduce((a, x) => a + (Number(x.share.trim().replace(',', '.')) || 0), 0)

  function submit(e: FormEvent) {
    e.preventDefault()
    void ed.run(
      () =>
        call('purchaseOrders.update', {
          id,
          language: form.language,
          terms: form.terms.map((x) => ({ label: x.label, sharePercent: shareOf(x.share) as number, dueDate: parseDay(x.dueDate) }))
        }),
      () => {
        ed.reset()
        ed.setStatus(t('consolidation.termsSaved', { number: doc.number }))
      }
    )
  }

  const amounts = (
    <table className="lines">
      <caption>{t('consolidation.amountsDue', { number: doc.number })}</caption>
      <thead>
        <tr>
          <th scope="col">{t('consolidation.termLabel')}</th>
          <th scope="col" className="num">{t('consolidation.termShare')}</th>
          <th scope="col">{t('consolidation.termDue')}</th>
          <th scope="col" className="num">{t('consolidation.amount')}</th>
        </tr>
      </thead>
      <tbody>
        {doc.payments.map((p, i) => (
          <tr key={i}>
            <td>{t(`consolidation.termLabels.${p.label as TermForm['label']}`)}</td>
            <td className="num">{formatNumber(p.shareBp / 10000, lang, { style: 'percent', maximumFractionDigits: 2 })}</td>
            <td>{p.dueDate ? formatDay(p.dueDate, lang) : null}</td>
            <td className="num">{formatMoney(p.amountMinor, doc.currency, lang)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row" colSpan={3}>
            {t('purchaseOrder.total')}
          </th>
          <td className="num">{formatMoney(doc.totals.valueMinor, doc.currency, lang)}</td>
        </tr>
      </tfoot>
    </table>
  )

  if (doc.status !== 'draft')
    return (
      <section className="inline-form" aria-label={t('consolidation.termsOf', { number: doc.number })}>
        <p className="muted">
          {t('consolidation.notDraft', { number: doc.number })}
          {doc.status === 'sent' ? ` ${t('consolidation.backToDraftHint')}` : null}
        </p>
        {doc.payments.length ? amounts : <p className="muted">{t('consolidation.noTerms')}</p>}
      </section>
    )

  const termsError = ed.fieldError('terms')
  return (
    <form ref={formRef} onSubmit={submit} noValidate className="form inline-form">
      <fieldset>
        <legend>{t('consolidation.termsOf', { number: doc.number })}</legend>
        <FormMessages error={ed.error} fieldErrors={ed.fieldErrors} status={ed.status} />
        <Field label={t('consolidation.poLanguage')} error={ed.fieldError('language')}>
          {(ids) => (
            <select {...ids} name="language" value={form.language} onChange={(e) => ed.update({ language: e.target.value as TermsForm['language'] })}>
              <CodeOptions codes={LANGUAGES} texts="language" />
            </select>
          )}
        </Field>
        <h3 className="subhead">{t('consolidation.paymentTerms')}</h3>
        <p className="hint">{t('consolidation.termsHint')}</p>
        {form.terms.length === 0 ? <p className="muted">{t('consolidation.noTerms')}</p> : null}
        {form.terms.map((x, i) => (
          <div key={i} className="term" role="group" aria-label={t('consolidation.termNumber', { n: i + 1 })}>
            <Field label={t('consolidation.termLabel')} error={ed.fieldError(`terms.${i}.label`)}>
              {(ids) => (
                <select {...ids} name={`terms.${i}.label`} value={x.label} onChange={(e) => setTerm(i, { label: e.target.value as TermForm['label'] })}>
                  {PAYMENT_LABELS.map((l) => (
                    <option key={l} value={l}>
                      {t(`consolidation.termLabels.${l}`)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label={t('consolidation.termShare')} error={ed.fieldError(`terms.${i}.sharePercent`)} className="small">
              {(ids) => (
                <input {...ids} name={`terms.${i}.sharePercent`} inputMode="numeric" autoComplete="off" value={x.share} onChange={(e) => setTerm(i, { share: e.target.value })} />
              )}
            </Field>
            <Field label={t('consolidation.termDue')} error={ed.fieldError(`terms.${i}.dueDate`)} hint={t('record.dateHint')}>
              {(ids) => (
                <input {...ids} name={`terms.${i}.dueDate`} autoComplete="off" value={x.dueDate} onChange={(e) => setTerm(i, { dueDate: e.target.value })} />
              )}
            </Field>
            <button type="button" className="remove" onClick={() => ed.update({ terms: form.terms.filter((_, j) => j !== i) })}>
              {t('consolidation.removeTerm', { n: i + 1 })}
            </button>
          </div>
        ))}
        <p className={termsError ? 'field-error' : 'muted'} role={termsError ? 'alert' : undefined}>
          {termsError ?? t('consolidation.shareTotal', { sum: formatNumber(sum, lang) })}
        </p>
        <div className="actions">
          <button
            type="button"
            disabled={form.terms.length >= 6}
            onClick={() =>
              ed.update({ terms: [...form.terms, { label: 'other', share: String(Math.max(0, 100 - sum)), dueDate: '' }] })
            }
          >
            {t('consolidation.addTerm')}
          </button>
          <span className="spring" />
          <button type="submit" className="primary" disabled={ed.busy}>
            {ed.busy ? t('record.saving') : t('record.save')}
          </button>
          {ed.dirty ? <span className="muted">{t('record.unsaved')}</span> : null}
        </div>
        {doc.payments.length ? amounts : null}
      </fieldset>
    </form>
  )
}

/**
 * A product's own rounding policy (shown when its row is opened): follow the round's, or one of the
 * policies, a threshold with its percentage of a case. Saved on Apply; reset goes back to the round's.
 */
function ProductPolicy({ roundId, product, roundPolicy }: { roundId: string; product: Product; roundPolicy: RoundingPolicy }) {
  const { t, i18n } = useTranslation()
  const lang = i18n.language
  const [kind, setKind] = useState<'' | RoundingPolicyKind>(product.policyOverridden ? product.policy.kind : '')
  const [percent, setPercent] = useState(() => {
    const p = product.policy.kind === 'threshold' ? product.policy : roundPolicy.kind === 'threshold' ? roundPolicy : null
    return formatNumber(p && p.kind === 'threshold' ? p.thresholdBp / 100 : 50, lang, { useGrouping: false })
  })
  const [error, setError] = useState<unknown>(null)
  const [percentError, setPercentError] = useState<string | null>(null)
  const [status, setStatus] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  async function save(chosen: typeof kind) {
    setBusy(true)
    setError(null)
    setPercentError(null)
    setStatus(null)
    const thresholdPercent = chosen === 'threshold' ? percentValue(percent) : null
    try {
      await call('consolidation.setProductPolicy', { roundId, productId: product.productId, roundingPolicy: chosen || null, thresholdPercent })
      if (!chosen) setKind('')
      setStatus(
        chosen
          ? t('consolidation.policySaved', {
              sku: product.sku,
              policy: policyText(t, chosen === 'threshold' ? { kind: chosen, thresholdBp: Math.round((thresholdPercent ?? 0) * 100) } : { kind: chosen }, lang)
            })
          : t('consolidation.policyReset', { sku: product.sku })
      )
    } catch (e) {
      const field = percentFieldError(t, e)
      if (field) setPercentError(field)
      else setError(e)
    } finally {
      setBusy(false)
    }
  }

  return (
    <tr className="detail">
      <td colSpan={9}>
        <form
          className="policy-form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault()
            void save(kind)
          }}
        >
          <Field label={t('consolidation.productPolicy', { sku: product.sku })} error={null}>
            {(ids) => (
              <select {...ids} value={kind} onChange={(e) => setKind(e.target.value as typeof kind)}>
                <option value="">{t('consolidation.inheritPolicy', { policy: policyText(t, roundPolicy, lang) })}</option>
                <PolicyOptions />
              </select>
            )}
          </Field>
          {kind === 'threshold' ? (
            <Field label={t('consolidation.thresholdPercent')} error={percentError} className="small">
              {(ids) => <input {...ids} inputMode="numeric" autoComplete="off" value={percent} onChange={(e) => setPercent(e.target.value)} />}
            </Field>
          ) : null}
          <div className="actions">
            <button type="submit" className="primary" disabled={busy}>
              {t('consolidation.applyPolicy')}
            </button>
            {product.policyOverridden ? (
              <button type="button" disabled={busy} onClick={() => void save('')}>
                {t('consolidation.resetPolicy')}
              </button>
            ) : null}
          </div>
        </form>
        <ErrorMessage error={error} />
        {status ? <Status>{status}</Status> : null}
      </td>
    </tr>
  )
}

/** What changed for each buyer and why, in the UI language (the printed notice uses each buyer's). */
function Changes({ roundId, stage }: { roundId: string; stage: Stage }) {
  const { t, i18n } = useTranslation()
  const changes = useData('consolidation.changes', { roundId, stage }, ['consolidation', 'orders', 'purchaseOrders'])
  return (
    <section>
      <h2>{t('consolidation.changes')}</h2>
      <ErrorMessage error={changes.error} />
      {(changes.data ?? []).length === 0 ? <p className="muted">{t('consolidation.noChanges')}</p> : null}
      {(changes.data ?? []).map((b) => (
        <table className="lines" key={b.buyerId}>
          <caption>{b.buyerName}</caption>
          <thead>
            <tr>
              <th scope="col">{t('orders.product')}</th>
              <th scope="col" className="num">{t('consolidation.ordered')}</th>
              <th scope="col" className="num">{t('consolidation.granted')}</th>
              <th scope="col">{t('consolidation.why')}</th>
            </tr>
          </thead>
          <tbody>
            {b.changes.map((c, i) => (
              <tr key={i}>
                <td>{`${c.sku} · ${productName(c, i18n.language)}${c.subBuyerName ? ` (${c.subBuyerName})` : ''}`}</td>
                <td className="num">{c.ordered}</td>
                <td className="num">{c.allocated}</td>
                <td>{t(`changeReasons.${c.reason}`, { note: c.note ?? '' })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ))}
    </section>
  )
}

/** The organisation's stock, with where each unit came from. */
function Stock() {
  const { t, i18n } = useTranslation()
  const stock = useData('stock.list', {}, ['stock'])
  if ((stock.data ?? []).length === 0) return <p className="muted">{t('consolidation.noStock')}</p>
  return (
    <table className="lines">
      <thead>
        <tr>
          <th scope="col">{t('orders.sku')}</th>
          <th scope="col">{t('orders.product')}</th>
          <th scope="col" className="num">{t('consolidation.units')}</th>
          <th scope="col">{t('consolidation.origin')}</th>
        </tr>
      </thead>
      <tbody>
        {(stock.data ?? []).map((s) => (
          <tr key={s.productId}>
            <td className="nowrap">{s.sku}</td>
            <td>{productName(s, i18n.language)}</td>
            <td className="num">{s.units}</td>
            <td>{s.origins.map((o) => `${o.roundName ?? ''}: ${o.units}`).join(', ')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

/** The lines of one product (fetched when the product is opened), with the override controls. */
function ProductLines(props: {
  roundId: string
  stage: Stage
  productId: string
  onEdit: (l: Line) => void
  onRun: (fn: () => Promise<string | null>) => Promise<void>
}) {
  const { t } = useTranslation()
  const lines = useData('consolidation.lines', { roundId: props.roundId, stage: props.stage, productId: props.productId }, ['consolidation', 'orders', 'purchaseOrders'])
  return (
    <>
      {(lines.data ?? []).map((l) => (
        <tr key={l.lineId} className="detail">
          <td />
          <td>{l.subBuyerName ? `${l.buyerName} · ${l.subBuyerName}` : l.buyerName}</td>
          <td className="num">{l.quantity}</td>
          <td className="num">{l.tolerance}</td>
          <td colSpan={2} className="num">
            {l.override ? t('consolidation.overridden', { computed: l.computed, granted: l.granted, reason: l.override.reason }) : l.computed}
          </td>
          <td colSpan={3}>
            <button type="button" onClick={() => props.onEdit(l)}>
              {t('consolidation.override')}
            </button>{' '}
            {l.override ? (
              <button type="button" onClick={() => void props.onRun(async () => (await call('consolidation.clearOverride', { lineId: l.lineId }), null))}>
                {t('consolidation.clearOverride')}
              </button>
            ) : null}
          </td>
        </tr>
      ))}
    </>
  )
}

/**
 * The round's rounding policy and cut strategy, saved together on Apply: a threshold with its
 * percentage of a case (kept by the round while another policy is chosen). Products without a policy
 * of their own follow it.
 */
function Policy(props: {
  roundId: string
  cut: CutStrategy
  policy: RoundingPolicy
  thresholdBp: number
  onStatus: (status: string | null) => void
  onError: (e: unknown) => void
}) {
  const { roundId, onStatus, onError } = props
  const { t, i18n } = useTranslation()
  const lang = i18n.language
  const percentRef = useRef<HTMLInputElement>(null)
  const [saved, setSaved] = useState({ kind: props.policy.kind, percent: formatNumber(props.thresholdBp / 100, lang, { useGrouping: false }), cut: props.cut })
  const [kind, setKind] = useState<RoundingPolicyKind>(saved.kind)
  const [percent, setPercent] = useState(saved.percent)
  const [strategy, setStrategy] = useState<CutStrategy>(saved.cut)
  const [percentError, setPercentError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const dirty = kind !== saved.kind || strategy !== saved.cut || (kind === 'threshold' && percent.trim() !== saved.percent)

  async function save() {
    setBusy(true)
    setPercentError(null)
    onError(null)
    onStatus(null)
    const thresholdPercent = kind === 'threshold' ? percentValue(percent) : null
    try {
      await call('consolidation.setPolicy', { roundId, roundingPolicy: kind, thresholdPercent, cutStrategy: strategy })
      const shown = thresholdPercent === null ? percent.trim() : formatNumber(thresholdPercent, lang, { useGrouping: false })
      setPercent(shown)
      setSaved({ kind, percent: kind === 'threshold' ? shown : saved.percent, cut: strategy })
      const policy: RoundingPolicy = kind === 'threshold' ? { kind, thresholdBp: Math.round((thresholdPercent ?? 0) * 100) } : { kind }
      onStatus(t('consolidation.roundPolicySaved', { policy: policyText(t, policy, lang), cut: t(`consolidation.cuts.${strategy}`) }))
    } catch (e) {
      const field = percentFieldError(t, e)
      if (field) {
        setPercentError(field)
        percentRef.current?.focus()
      } else onError(e)
    } finally {
      setBusy(false)
    }
  }

  return (
    <form
      className="policy-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault()
        void save()
      }}
    >
      <Field label={t('consolidation.policy')} error={null}>
        {(ids) => (
          <select {...ids} value={kind} onChange={(e) => setKind(e.target.value as RoundingPolicyKind)}>
            <PolicyOptions />
          </select>
        )}
      </Field>
      {kind === 'threshold' ? (
        <Field label={t('consolidation.roundThresholdPercent')} error={percentError} className="percent">
          {(ids) => <input {...ids} ref={percentRef} inputMode="numeric" autoComplete="off" value={percent} onChange={(e) => setPercent(e.target.value)} />}
        </Field>
      ) : null}
      <Field label={t('consolidation.cutStrategy')} error={null}>
        {(ids) => (
          <select {...ids} value={strategy} onChange={(e) => setStrategy(e.target.value as CutStrategy)}>
            {CUT_STRATEGIES.map((c) => (
              <option key={c} value={c}>
                {t(`consolidation.cuts.${c}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {t('consolidation.applyPolicy')}
        </button>
        {dirty ? <span className="muted">{t('record.unsaved')}</span> : null}
      </div>
    </form>
  )
}

/** The four rounding policies as options (the threshold's percentage is a field of its own). */
function PolicyOptions() {
  const { t } = useTranslation()
  return (
    <>
      {ROUNDING_POLICIES.map((p) => (
        <option key={p} value={p}>
          {p === 'threshold' ? t('consolidation.thresholdChoice') : t(`consolidation.policies.${p}`)}
        </option>
      ))}
    </>
  )
}
