import { type FormEvent, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { call } from '../../ui/api.ts'
import { ConfirmDialog } from '../../ui/components.tsx'
import { DateField, FormMessages, TextField, useEditor } from '../../ui/form.tsx'
import { parseScaled } from '../../../../shared/decimal.ts'
import { formatMoney, minorDigits } from '../../ui/format.ts'
import { href, navigate } from '../../ui/route.ts'
import { type Invoice } from './invoice.ts'

/** Today in this computer's calendar, as YYYY-MM-DD. */
function today(): string {
  const d = new Date()
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
}

/**
 * Cancelling an issued invoice: a reason (printed on the credit note), a confirmation that says it cannot
 * be undone; then the credit note's page, which links the new draft.
 */
export function CreditForm({ inv }: { inv: Invoice }) {
  const { t } = useTranslation()
  const formRef = useRef<HTMLFormElement>(null)
  const ed = useEditor<{ reason: string }>({ reason: '' }, formRef)
  const [asking, setAsking] = useState(false)
  const reason = ed.form?.reason ?? ''

  function ask(e: FormEvent) {
    e.preventDefault()
    setAsking(true)
  }

  function credit() {
    setAsking(false)
    void ed.run(
      () => call('invoices.credit', { id: inv.id, reason }),
      (r) => navigate(href(['invoices', r.creditNote.id], { newDraft: r.draftId }))
    )
  }

  return (
    <form ref={formRef} className="form credit-form" noValidate onSubmit={ask}>
      <fieldset>
        <legend>{t('invoices.creditTitle')}</legend>
        <FormMessages error={ed.error} fieldErrors={ed.fieldErrors} status={ed.status} />
        <TextField name="reason" label={t('invoices.creditReason')} hint={t('invoices.creditReasonHint')} rows={2} value={reason} error={ed.fieldError('reason')} onChange={(v) => ed.update({ reason: v })} />
        <div className="actions">
          <button type="submit" className="danger" disabled={ed.busy}>
            {t('invoices.creditSubmit')}
          </button>
        </div>
      </fieldset>
      <ConfirmDialog
        open={asking}
        title={t('invoices.creditConfirmTitle', { number: inv.number ?? '' })}
        text={t('invoices.creditConfirm', { buyer: inv.buyerName })}
        confirmLabel={t('invoices.credit')}
        danger
        onCancel={() => setAsking(false)}
        onConfirm={credit}
      />
    </form>
  )
}

/** What was received on a deposit request, and a payment to record (amount, day). */
export function Payments({ inv }: { inv: Invoice }) {
  const { t, i18n } = useTranslation()
  const lang = i18n.language
  const formRef = useRef<HTMLFormElement>(null)
  const ed = useEditor<{ amount: string; paidOn: string }>({ amount: '', paidOn: today() }, formRef)
  const form = ed.form!

  function submit(e: FormEvent) {
    e.preventDefault()
    const amount = form.amount
    void ed.run(
      () => call('invoices.recordDeposit', { invoiceId: inv.id, amount, paidOn: form.paidOn }),
      () => {
        ed.reset()
        const minor = parseScaled(amount, minorDigits(inv.currency))
        ed.setStatus(t('invoices.paymentRecorded', { amount: minor === null ? amount : formatMoney(minor, inv.currency, lang) }))
      }
    )
  }

  return (
    <form ref={formRef} className="form payment-form" noValidate onSubmit={submit}>
      <fieldset>
        <legend>{t('invoices.payments')}</legend>
        <p>{t('invoices.paidSoFar', { paid: formatMoney(inv.paidMinor, inv.currency, lang), amount: formatMoney(inv.grossMinor, inv.currency, lang) })}</p>
        <FormMessages error={ed.error} fieldErrors={ed.fieldErrors} status={ed.status} />
        <div className="row">
          <TextField name="amount" label={t('invoices.paymentAmount')} inputMode="decimal" value={form.amount} error={ed.fieldError('amount')} onChange={(v) => ed.update({ amount: v })} />
          <DateField name="paidOn" label={t('invoices.paymentDate')} value={form.paidOn} error={ed.fieldError('paidOn')} onChange={(v) => ed.update({ paidOn: v })} />
        </div>
        <div className="actions">
          <button type="submit" className="primary" disabled={ed.busy}>
            {t('invoices.recordPayment')}
          </button>
        </div>
      </fieldset>
    </form>
  )
}
