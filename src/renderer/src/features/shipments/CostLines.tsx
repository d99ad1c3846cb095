import { type FormEvent, useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { Output } from '../../../../shared/api.ts'
import { COST_BASES, COST_STAGES, type CostBasis, type CostStage } from '../../../../shared/vocabulary.ts'
import { ApiError, call } from '../../ui/api.ts'
import { ConfirmDialog, ErrorMessage, Status } from '../../ui/components.tsx'
import { CodeOptions, CurrencyOptions, DateField, FormMessages, SelectField, TextField, useEditor } from '../../ui/form.tsx'
import { useData, useDebounced } from '../../ui/data.ts'
import { decimalText, formatDay, formatMoney, formatNumber, minorDigits, productName } from '../../ui/format.ts'
import { formatMoneyCode } from '../purchasing/moneyCode.ts'
import type { Shipment } from './shipment.ts'

type CostLine = Output<'landedCost.costs'>[number]

interface CostForm {
  id: string | null
  name: string
  provider: string
  amount: string
  currency: string
  billedOn: string
  basis: CostBasis
  stage: CostStage
}

/**
 * The shipment's cost lines (each bill in its currency, converted at its day's rate, split by its basis,
 * counted by its stage), with a form that shows each line's share before saving.
 */
export function CostLines({ shipment }: { shipment: Shipment }) {
  const { t, i18n } = useTranslation()
  const lang = i18n.language
  const costs = useData('landedCost.costs', { shipmentId: shipment.id }, ['shipments', 'reference'])
  const [editing, setEditing] = useState<CostForm | null>(null)
  const [deleting, setDeleting] = useState<CostLine | null>(null)
  const [status, setStatus] = useState<string | null>(null)
  const [error, setError] = useState<unknown>(null)
  const addRef = useRef<HTMLButtonElement>(null)
  const base = shipment.baseCurrency
  const rows = costs.data ?? []
  const rate = (c: CostLine) => formatNumber(c.rateE8 / 1e8, lang, { maximumFractionDigits: 8 })

  async function remove(c: CostLine) {
    setError(null)
    try {
      await call('landedCost.deleteCost', { id: c.id })
      setStatus(t('shipments.costDeleted', { name: c.name }))
      addRef.current?.focus()
    } catch (e) {
      setError(e)
    }
  }

  return (
    <section aria-labelledby="shipment-costs">
      <div className="section-head">
        <h2 id="shipment-costs">{t('shipments.costs')}</h2>
        <button
          type="button"
          ref={addRef}
          aria-expanded={editing !== null && editing.id === null}
          onClick={() => {
            setStatus(null)
            setEditing({ id: null, name: '', provider: '', amount: '', currency: base, billedOn: '', basis: 'value', stage: 'to_border' })
          }}
        >
          {t('shipments.addCost')}
        </button>
      </div>
      <p className="muted">{t('shipments.costsIntro')}</p>
      <ErrorMessage error={error ?? costs.error} />
      {status ? <Status>{status}</Status> : null}
      {editing ? (
        <CostForm
          key={editing.id ?? 'new'}
          shipment={shipment}
          initial={editing}
          onDone={(saved) => {
            setEditing(null)
            addRef.current?.focus()
            if (saved) setStatus(t('shipments.costSaved', { name: saved }))
          }}
        />
      ) : null}
      {rows.length ? (
        <div className="table-wrap">
          <table className="lines">
            <caption className="visually-hidden">{t('shipments.costs')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('shipments.costName')}</th>
                <th scope="col">{t('shipments.provider')}</th>
                <th scope="col" className="num">{t('shipments.amount')}</th>
                <th scope="col" className="num">{t('shipments.inBase', { currency: base })}</th>
                <th scope="col">{t('shipments.billedOn')}</th>
                <th scope="col">{t('shipments.basis')}</th>
                <th scope="col">{t('shipments.stage')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('reference.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((c) => (
                <tr key={c.id}>
                  <td>{c.name}</td>
                  <td>{c.provider ?? ''}</td>
                  <td className="num nowrap">{formatMoneyCode(c.amountMinor, c.currency, lang)}</td>
                  <td className="num nowrap">
                    {formatMoney(c.baseMinor, base, lang)}
                    {c.currency !== base ? (
                      <span className="muted small-note">{t('shipments.rateUsed', { from: c.currency, rate: rate(c), to: base, date: formatDay(c.rateOn, lang) })}</span>
                    ) : null}
                  </td>
                  <td className="nowrap">{c.billedOn ? formatDay(c.billedOn, lang) : ''}</td>
                  <td>{t(`costBasis.${c.basis}`)}</td>
                  <td>{t(`shipments.stageShort.${c.stage}`)}</td>
                  <td className="row-actions">
                    <button
                      type="button"
                      aria-label={t('reference.editRow', { what: c.name })}
                      onClick={() => {
                        setStatus(null)
                        setEditing({
                          id: c.id,
                          name: c.name,
                          provider: c.provider ?? '',
                          amount: decimalText(c.amountMinor, minorDigits(c.currency), lang, false),
                          currency: c.currency,
                          billedOn: c.billedOn ?? '',
                          basis: c.basis,
                          stage: c.stage
                        })
                      }}
                    >
                      {t('reference.edit')}
                    </button>
                    <button type="button" className="danger" aria-label={t('reference.deleteRow', { what: c.name })} onClick={() => setDeleting(c)}>
                      {t('reference.delete')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : costs.data ? (
        <p className="muted">{t('shipments.noCosts')}</p>
      ) : null}
      <ConfirmDialog
        open={deleting !== null}
        text={deleting ? t('shipments.deleteCostConfirm', { name: deleting.name }) : ''}
        confirmLabel={t('reference.delete')}
        danger
        onCancel={() => setDeleting(null)}
        onConfirm={() => {
          const c = deleting
          setDeleting(null)
          if (c) void remove(c)
        }}
      />
    </section>
  )
}

/** The add/edit form of a cost line, with its allocation over the shipped lines as the form changes. */
function CostForm({ shipment, initial, onDone }: { shipment: Shipment; initial: CostForm; onDone: (saved: string | null) => void }) {
  const { t, i18n } = useTranslation()
  const lang = i18n.language
  const formRef = useRef<HTMLFormElement>(null)
  const ed = useEditor<CostForm>(initial, formRef)
  const form = ed.form!
  useEffect(() => {
    formRef.current?.querySelector<HTMLElement>('input, select')?.focus()
  }, [])
  const input = {
    ...(form.id ? { id: form.id } : {}),
    shipmentId: shipment.id,
    name: form.name,
    provider: form.provider,
    amount: form.amount,
    currency: form.currency as never,
    basis: form.basis,
    stage: form.stage,
    billedOn: form.billedOn || null
  }
  // The allocation before saving: asked once the form has stopped changing for a moment.
  const settled = useDebounced(input, 350)
  const ready = settled.name.trim() !== '' && settled.amount.trim() !== ''
  const preview = useData('landedCost.previewCost', ready ? settled : null, ['shipments', 'reference'])
  const previewProblem = preview.error instanceof ApiError && preview.error.code === 'validation' ? null : preview.error
  const shown = ready && !preview.error ? preview.data : null

  function submit(e: FormEvent) {
    e.preventDefault()
    void ed.run(
      () => call('landedCost.saveCost', input),
      (saved) => onDone(saved.name)
    )
  }
  const base = shipment.baseCurrency
  return (
    <form ref={formRef} className="form inline-form" onSubmit={submit} noValidate>
      <fieldset>
        <legend>{form.id ? t('shipments.editCost') : t('shipments.addCost')}</legend>
        <FormMessages error={ed.error} fieldErrors={ed.fieldErrors} status={null} />
        <div className="row">
          <TextField name="name" label={t('shipments.costName')} hint={t('shipments.costNameHint')} value={form.name} error={ed.fieldError('name')} onChange={(name) => ed.update({ name })} />
          <TextField name="provider" label={t('shipments.provider')} value={form.provider} error={ed.fieldError('provider')} onChange={(provider) => ed.update({ provider })} />
        </div>
        <div className="row">
          <TextField name="amount" label={t('shipments.amount')} inputMode="decimal" value={form.amount} error={ed.fieldError('amount')} onChange={(amount) => ed.update({ amount })} />
          <SelectField name="currency" label={t('shipments.currency')} value={form.currency} error={ed.fieldError('currency')} onChange={(currency) => ed.update({ currency })}>
            <CurrencyOptions />
          </SelectField>
          <DateField name="billedOn" label={t('shipments.billedOn')} note={t('shipments.billedOnHint')} value={form.billedOn} error={ed.fieldError('billedOn')} onChange={(billedOn) => ed.update({ billedOn })} />
        </div>
        <div className="row">
          <SelectField name="basis" label={t('shipments.basis')} value={form.basis} error={ed.fieldError('basis')} onChange={(v) => ed.update({ basis: v as CostBasis })}>
            <CodeOptions codes={COST_BASES} texts="costBasis" />
          </SelectField>
          <SelectField name="stage" label={t('shipments.stage')} value={form.stage} error={ed.fieldError('stage')} onChange={(v) => ed.update({ stage: v as CostStage })}>
            <CodeOptions codes={COST_STAGES} texts="costStage" />
          </SelectField>
        </div>
        <section className="preview" aria-labelledby="cost-preview-title" aria-live="polite">
          <h3 id="cost-preview-title" className="subhead">
            {t('shipments.previewTitle')}
          </h3>
          {!ready ? <p className="muted">{t('shipments.previewWaiting')}</p> : null}
          {ready ? <ErrorMessage error={previewProblem} /> : null}
          {ready && preview.error && !previewProblem ? <p className="muted">{t('shipments.previewInvalid')}</p> : null}
          {shown ? (
            <>
              <p>
                {shown.cost.currency !== base
                  ? t('shipments.previewConverted', {
                      amount: formatMoneyCode(shown.cost.amountMinor, shown.cost.currency, lang),
                      base: formatMoney(shown.cost.baseMinor, base, lang),
                      rate: formatNumber(shown.cost.rateE8 / 1e8, lang, { maximumFractionDigits: 8 }),
                      from: shown.cost.currency,
                      to: base,
                      date: formatDay(shown.cost.rateOn, lang)
                    })
                  : t('shipments.previewSplit', { base: formatMoney(shown.cost.baseMinor, base, lang), basis: t(`costBasis.${shown.cost.basis}`) })}
              </p>
              <table className="lines compact">
                <caption className="visually-hidden">{t('shipments.previewTitle')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('orders.sku')}</th>
                    <th scope="col">{t('orders.product')}</th>
                    <th scope="col" className="num">{t('shipments.share')}</th>
                  </tr>
                </thead>
                <tbody>
                  {shown.allocation.parts.map((p) => {
                    const line = shipment.lines.find((l) => l.id === p.shipmentLineId)
                    return (
                      <tr key={p.shipmentLineId}>
                        <td className="nowrap">{line?.sku}</td>
                        <td>{line ? productName(line, lang) : ''}</td>
                        <td className="num nowrap">{formatMoney(p.amountMinor, base, lang)}</td>
                      </tr>
                    )
                  })}
                </tbody>
                <tfoot>
                  <tr>
                    <th scope="row" colSpan={2}>
                      {t('shipments.total')}
                    </th>
                    <td className="num nowrap">{formatMoney(shown.allocation.parts.reduce((a, p) => a + p.amountMinor, 0), base, lang)}</td>
                  </tr>
                </tfoot>
              </table>
              {shown.allocation.zeroLines.length ? (
                <p className="muted">{t('shipments.zeroLines', { skus: shown.allocation.zeroLines.join(', '), basis: t(`costBasis.${shown.cost.basis}`) })}</p>
              ) : null}
            </>
          ) : null}
        </section>
        <div className="actions">
          <button type="submit" className="primary" disabled={ed.busy}>
            {ed.busy ? t('record.saving') : t('shipments.saveCost')}
          </button>
          <button type="button" onClick={() => onDone(null)}>
            {t('common.cancel')}
          </button>
        </div>
      </fieldset>
    </form>
  )
}
