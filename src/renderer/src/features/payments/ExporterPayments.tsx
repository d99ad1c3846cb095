import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { Output } from '../../../../shared/api.ts'
import { call, fieldErrorTexts } from '../../ui/api.ts'
import { ConfirmDialog, ErrorMessage, PageTitle, Status } from '../../ui/components.tsx'
import { useData } from '../../ui/data.ts'
import { DateField, SelectField, TextField } from '../../ui/form.tsx'
import { formatDay, formatMoney } from '../../ui/format.ts'
import { RoundField, useRoundChoice } from '../rounds/roundChoice.tsx'

type Account = Output<'supplierPayments.list'>[number]

/**
 * Money out to the exporter (`#/payments/exporter`): per sent purchase order of a round, what it asks (the
 * value shipped, else its total), its payment terms, the payments made in its currency with the euros
 * each cost, and a form for the next one. A payment entered by mistake can be removed (asks first).
 */
export function ExporterPayments() {
  const { t } = useTranslation()
  const rounds = useRoundChoice(['ordered', 'received', 'invoiced'])
  const roundId = rounds.roundId
  const list = useData('supplierPayments.list', roundId ? { roundId } : null, ['purchaseOrders', 'closing', 'shipments'])
  const [status, setStatus] = useState<string | null>(null)
  return (
    <section className="payments-page exporter-page">
      <PageTitle>{t('exporter.title')}</PageTitle>
      <p>{t('exporter.intro')}</p>
      <div className="toolbar">
        <RoundField label={t('exporter.round')} rows={rounds.rows} value={roundId} onChange={rounds.setRoundId} />
      </div>
      <ErrorMessage error={rounds.error ?? list.error} />
      {status ? <Status>{status}</Status> : null}
      {list.data && list.data.length === 0 ? <p className="muted">{t('exporter.none')}</p> : null}
      {(list.data ?? []).map((a) => (
        <AccountCard key={a.purchaseOrderId} account={a} onDone={setStatus} />
      ))}
    </section>
  )
}

function AccountCard({ account: a, onDone }: { account: Account; onDone: (status: string) => void }) {
  const { t, i18n } = useTranslation()
  const lang = i18n.language
  const id = useId()
  const foreign = a.currency !== a.baseCurrency
  const [termId, setTermId] = useState('')
  const [paidOn, setPaidOn] = useState('')
  const [amount, setAmount] = useState('')
  const [baseAmount, setBaseAmount] = useState('')
  const [note, setNote] = useState('')
  const [fieldErrors, setFieldErrors] = useState<Record<string, string | null>>({})
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  const [removing, setRemoving] = useState<Account['payments'][number] | null>(null)
  const money = (minor: number) => formatMoney(minor, a.currency, lang)
  const base = (minor: number) => formatMoney(minor, a.baseCurrency, lang)

  async function submit() {
    setError(null)
    setFieldErrors({})
    setBusy(true)
    try {
      await call('supplierPayments.record', {
        purchaseOrderId: a.purchaseOrderId,
        paymentDueId: termId || null,
        paidOn,
        amount,
        ...(foreign ? { baseAmount } : {}),
        note
      })
      onDone(t('exporter.recorded', { amount: formatAmountText(amount, a.currency), number: a.number }))
      setAmount('')
      setBaseAmount('')
      setNote('')
      setTermId('')
    } catch (e) {
      const texts = fieldErrorTexts(t, e)
      if (texts) setFieldErrors(texts)
      else setError(e)
    } finally {
      setBusy(false)
    }
  }

  async function remove(p: Account['payments'][number]) {
    setRemoving(null)
    setError(null)
    try {
      await call('supplierPayments.delete', { id: p.id })
      onDone(t('exporter.removed', { amount: money(p.amountMinor), number: a.number }))
    } catch (e) {
      setError(e)
    }
  }

  return (
    <article className="exporter-account" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>
        {a.number} · {a.supplierName}
      </h2>
      <p className={a.openMinor > 0 ? 'owes' : undefined}>
        {a.openMinor > 0 ? t('exporter.open', { open: money(a.openMinor), due: money(a.dueMinor) }) : t('exporter.paidInFull', { due: money(a.dueMinor) })}
        {a.paidMinor > 0 ? ` ${t('exporter.paidSoFar', { paid: money(a.paidMinor), base: base(a.paidBaseMinor) })}` : ''}
      </p>
      {a.terms.length ? (
        <ul className="terms">
          {a.terms.map((term) => (
            <li key={term.id}>
              {t(`consolidation.termLabels.${term.label}`)}: {money(term.amountMinor)}
              {term.dueDate ? ` · ${t('exporter.dueOn', { day: formatDay(term.dueDate, lang) })}` : ''}
              {term.paidMinor >= term.amountMinor || a.openMinor <= 0 ? ` · ${t('exporter.termPaid')}` : term.paidMinor > 0 ? ` · ${t('exporter.termPart', { paid: money(term.paidMinor) })}` : ''}
            </li>
          ))}
        </ul>
      ) : null}
      {a.payments.length ? (
        <div className="table-wrap">
          <table className="lines exporter-payments">
            <caption className="visually-hidden">{t('exporter.paymentsOf', { number: a.number })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('exporter.paidOn')}</th>
                <th scope="col">{t('exporter.term')}</th>
                <th scope="col" className="num">
                  {t('exporter.amount', { currency: a.currency })}
                </th>
                <th scope="col" className="num">
                  {t('exporter.baseAmount', { currency: a.baseCurrency })}
                </th>
                <th scope="col">{t('exporter.note')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('exporter.remove')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {a.payments.map((p) => (
                <tr key={p.id}>
                  <td className="nowrap">{formatDay(p.paidOn, lang)}</td>
                  <td>{p.term ? t(`consolidation.termLabels.${p.term}`) : ''}</td>
                  <td className="num nowrap">{money(p.amountMinor)}</td>
                  <td className="num nowrap">{base(p.baseMinor)}</td>
                  <td>{p.note ?? ''}</td>
                  <td>
                    <button type="button" className="small" onClick={() => setRemoving(p)} aria-label={t('exporter.removeOne', { amount: money(p.amountMinor), day: formatDay(p.paidOn, lang) })}>
                      {t('exporter.remove')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <ErrorMessage error={error} />
      {a.openMinor > 0 ? (
        <form
          className="exporter-form"
          noValidate
          aria-label={t('exporter.formFor', { number: a.number })}
          onSubmit={(e) => {
            e.preventDefault()
            void submit()
          }}
        >
          <div className="form-row">
            {a.terms.length ? (
              <SelectField name="term" label={t('exporter.term')} value={termId} error={null} onChange={setTermId}>
                <option value="">{t('exporter.noTerm')}</option>
                {a.terms.map((term) => (
                  <option key={term.id} value={term.id}>
                    {`${t(`consolidation.termLabels.${term.label}`)} (${money(term.amountMinor)})`}
                  </option>
                ))}
              </SelectField>
            ) : null}
            <DateField name="paidOn" label={t('exporter.paidOn')} value={paidOn} error={fieldErrors.paidOn ?? null} onChange={setPaidOn} />
            <TextField name="amount" label={t('exporter.amount', { currency: a.currency })} value={amount} error={fieldErrors.amount ?? null} inputMode="decimal" onChange={setAmount} />
            {foreign ? (
              <TextField
                name="baseAmount"
                label={t('exporter.baseAmount', { currency: a.baseCurrency })}
                value={baseAmount}
                error={fieldErrors.baseAmount ?? null}
                inputMode="decimal"
                hint={t('exporter.baseHint')}
                onChange={setBaseAmount}
              />
            ) : null}
            <TextField name="note" label={t('exporter.note')} value={note} error={null} onChange={setNote} />
          </div>
          <div className="actions">
            <button type="submit" className="primary" disabled={busy}>
              {t('exporter.record')}
            </button>
          </div>
        </form>
      ) : null}
      <ConfirmDialog
        open={removing !== null}
        title={t('exporter.removeTitle')}
        text={removing ? t('exporter.removeText', { amount: money(removing.amountMinor), day: formatDay(removing.paidOn, lang), number: a.number }) : ''}
        confirmLabel={t('exporter.remove')}
        danger
        onCancel={() => setRemoving(null)}
        onConfirm={() => removing && void remove(removing)}
      />
    </article>
  )
}

/** The amount as typed, with its currency code (the status line after recording). */
const formatAmountText = (typed: string, currency: string) => `${typed.trim()} ${currency}`
