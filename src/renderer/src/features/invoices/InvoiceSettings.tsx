import { type FormEvent, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import { call } from '../../ui/api.ts'
import { useData } from '../../ui/data.ts'
import { FormMessages, SelectField, TextField, useEditor } from '../../ui/form.tsx'

interface SettingsForm {
  shippingVat: 'standard' | 'split'
  depositPercent: string
  paymentDays: string
}

/** A whole number typed in a field, or NaN (the core then marks the field). */
function whole(text: string): number {
  return /^\s*\d+\s*$/.test(text) ? Number(text) : Number.NaN
}

/** How invoices are made: VAT on shipping in full at the standard rate or split by the goods' rates, the deposit share, the days to pay. */
export function InvoiceSettings({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation()
  const settings = useData('invoices.settings', undefined, ['settings', 'invoices'])
  const formRef = useRef<HTMLFormElement>(null)
  const saved: SettingsForm | null = settings.data
    ? { shippingVat: settings.data.shippingVat, depositPercent: String(settings.data.depositPercent), paymentDays: String(settings.data.paymentDays) }
    : null
  const ed = useEditor<SettingsForm>(saved, formRef)
  const form = ed.form

  function submit(e: FormEvent) {
    e.preventDefault()
    if (!form) return
    void ed.run(
      () => call('invoices.saveSettings', { shippingVat: form.shippingVat, depositPercent: whole(form.depositPercent), paymentDays: whole(form.paymentDays) }),
      () => {
        ed.reset()
        ed.setStatus(t('invoices.settingsSaved'))
      }
    )
  }

  return (
    <form ref={formRef} className="form inline-form" noValidate onSubmit={submit}>
      <fieldset>
        <legend>{t('invoices.settingsTitle')}</legend>
        <FormMessages error={ed.error ?? settings.error} fieldErrors={ed.fieldErrors} status={ed.status} />
        {form ? (
          <>
            <SelectField
              name="shippingVat"
              label={t('invoices.shippingVat')}
              hint={t('invoices.shippingVatHint')}
              value={form.shippingVat}
              error={ed.fieldError('shippingVat')}
              onChange={(v) => ed.update({ shippingVat: v as SettingsForm['shippingVat'] })}
            >
              <option value="standard">{t('invoices.shippingVatStandard')}</option>
              <option value="split">{t('invoices.shippingVatSplit')}</option>
            </SelectField>
            <div className="row">
              <TextField
                name="depositPercent"
                label={t('invoices.depositPercent')}
                hint={t('invoices.depositPercentHint')}
                inputMode="numeric"
                value={form.depositPercent}
                error={ed.fieldError('depositPercent')}
                onChange={(v) => ed.update({ depositPercent: v })}
              />
              <TextField
                name="paymentDays"
                label={t('invoices.paymentDays')}
                inputMode="numeric"
                value={form.paymentDays}
                error={ed.fieldError('paymentDays')}
                onChange={(v) => ed.update({ paymentDays: v })}
              />
            </div>
          </>
        ) : null}
        <div className="actions">
          <button type="submit" className="primary" disabled={ed.busy || !form}>
            {t('invoices.saveSettings')}
          </button>
          <button type="button" onClick={onClose}>
            {t('common.close')}
          </button>
        </div>
      </fieldset>
    </form>
  )
}
