import { type FormEvent, useEffect, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import { call } from '../../ui/api.ts'
import { DateField, FormMessages, SelectField, TextField, useEditor } from '../../ui/form.tsx'
import { decimalText, minorDigits } from '../../ui/format.ts'
import type { Invoice } from './invoice.ts'

type VatClass = 'reduced' | 'standard' | 'zero'
const VAT_CLASSES: readonly VatClass[] = ['standard', 'reduced', 'zero']

interface ChargeForm {
  description: string
  amount: string
  vatClass: VatClass
}

interface Form {
  shipping: string
  charges: ChargeForm[]
  dueDate: string
  deliveryDate: string
  notes: string
}

function formOf(inv: Invoice, lang: string): Form {
  const digits = minorDigits(inv.currency)
  return {
    shipping: decimalText(inv.shippingMinor, digits, lang, false),
    charges: inv.charges.map((c) => ({ description: c.description, amount: decimalText(c.netMinor, digits, lang, false), vatClass: c.vatClass })),
    dueDate: inv.dueDate ?? '',
    deliveryDate: inv.deliveryDate ?? '',
    notes: inv.notes ?? ''
  }
}

/** What a draft holds besides its goods: the shipping charge, other charge lines, the due and delivery days, notes. */
export function DraftForm({ inv, onDirty }: { inv: Invoice; onDirty?: (dirty: boolean) => void }) {
  const { t, i18n } = useTranslation()
  const formRef = useRef<HTMLFormElement>(null)
  const ed = useEditor<Form>(formOf(inv, i18n.language), formRef)
  const form = ed.form!
  useEffect(() => onDirty?.(ed.dirty), [ed.dirty, onDirty])

  function setCharge(i: number, patch: Partial<ChargeForm>) {
    ed.update({ charges: form.charges.map((c, j) => (j === i ? { ...c, ...patch } : c)) })
  }

  function submit(e: FormEvent) {
    e.preventDefault()
    void ed.run(
      () =>
        call('invoices.updateDraft', {
          id: inv.id,
          shipping: form.shipping,
          charges: form.charges,
          dueDate: form.dueDate || null,
          deliveryDate: form.deliveryDate || null,
          notes: form.notes
        }),
      () => {
        ed.reset()
        ed.setStatus(t('invoices.draftSaved'))
      }
    )
  }

  return (
    <form ref={formRef} className="form draft-form" noValidate onSubmit={submit} aria-labelledby="draft-form-title">
      <h2 id="draft-form-title">{t('invoices.editDraft')}</h2>
      <FormMessages error={ed.error} fieldErrors={ed.fieldErrors} status={ed.status} />
      <fieldset>
        <div className="row">
          <TextField name="shipping" label={t('invoices.shipping')} inputMode="decimal" value={form.shipping} error={ed.fieldError('shipping')} onChange={(v) => ed.update({ shipping: v })} />
          <DateField name="dueDate" label={t('invoices.dueDate')} note={t('invoices.dueDateHint')} value={form.dueDate} error={ed.fieldError('dueDate')} onChange={(v) => ed.update({ dueDate: v })} />
          <DateField
            name="deliveryDate"
            label={t('invoices.deliveryDate')}
            note={t('invoices.deliveryDateHint')}
            value={form.deliveryDate}
            error={ed.fieldError('deliveryDate')}
            onChange={(v) => ed.update({ deliveryDate: v })}
          />
        </div>
      </fieldset>
      <fieldset>
        <legend>{t('invoices.charges')}</legend>
        {form.charges.length === 0 ? <p className="muted">{t('invoices.chargesNone')}</p> : null}
        {form.charges.map((c, i) => (
          <div className="row charge" key={i}>
            <TextField
              name={`charges.${i}.description`}
              label={t('invoices.chargeDescription')}
              value={c.description}
              error={ed.fieldError(`charges.${i}.description`)}
              onChange={(v) => setCharge(i, { description: v })}
            />
            <TextField
              name={`charges.${i}.amount`}
              label={t('invoices.chargeAmount')}
              inputMode="decimal"
              value={c.amount}
              error={ed.fieldError(`charges.${i}.amount`)}
              onChange={(v) => setCharge(i, { amount: v })}
            />
            <SelectField
              name={`charges.${i}.vatClass`}
              label={t('invoices.chargeVatClass')}
              value={c.vatClass}
              error={ed.fieldError(`charges.${i}.vatClass`)}
              onChange={(v) => setCharge(i, { vatClass: v as VatClass })}
            >
              {VAT_CLASSES.map((v) => (
                <option key={v} value={v}>
                  {t(`vatClass.${v}`)}
                </option>
              ))}
            </SelectField>
            <button type="button" className="remove" onClick={() => ed.update({ charges: form.charges.filter((_, j) => j !== i) })}>
              {t('invoices.removeCharge', { n: i + 1 })}
            </button>
          </div>
        ))}
        <p>
          <button type="button" onClick={() => ed.update({ charges: [...form.charges, { description: '', amount: '', vatClass: 'standard' }] })}>
            {t('invoices.addCharge')}
          </button>
        </p>
      </fieldset>
      <TextField name="notes" label={t('invoices.notes')} rows={3} value={form.notes} error={ed.fieldError('notes')} onChange={(v) => ed.update({ notes: v })} />
      <div className="actions">
        <button type="submit" className="primary" disabled={ed.busy}>
          {ed.busy ? t('record.saving') : t('invoices.saveDraft')}
        </button>
        {ed.dirty ? <span className="muted">{t('record.unsaved')}</span> : null}
      </div>
    </form>
  )
}
