import { type FormEvent, useEffect, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import { type Language, LANGUAGES } from '../../../../shared/reference.ts'
import { PAYMENT_LABELS, type PaymentLabel } from '../../../../shared/vocabulary.ts'
import { call } from '../../ui/api.ts'
import { ErrorMessage } from '../../ui/components.tsx'
import { useData } from '../../ui/data.ts'
import { CodeOptions, DateField, Field, FormMessages, useEditor } from '../../ui/form.tsx'
import { formatDay, formatNumber } from '../../ui/format.ts'
import { formatMoneyCode } from './moneyCode.ts'

interface TermForm {
  label: PaymentLabel
  share: string
  dueDate: string
}
interface TermsForm {
  language: Language
  terms: TermForm[]
}

/**
 * The language and payment terms of one purchase order: editable while it is a draft (the core splits
 * the total into the amounts due when saved), and the amounts due as they stand.
 */
export function PoTerms({ id }: { id: string }) {
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
          dueDate: p.dueDate ?? ''
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
          terms: form.terms.map((x) => ({ label: x.label, sharePercent: shareOf(x.share) as number, dueDate: x.dueDate || null }))
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
          {doc.shipped ? (
            <th scope="col" className="num">
              {t('consolidation.amountShipped')}
            </th>
          ) : null}
        </tr>
      </thead>
      <tbody>
        {doc.payments.map((p, i) => (
          <tr key={i}>
            <td>{t(`consolidation.termLabels.${p.label as TermForm['label']}`)}</td>
            <td className="num">{formatNumber(p.shareBp / 10000, lang, { style: 'percent', maximumFractionDigits: 2 })}</td>
            <td>{p.dueDate ? formatDay(p.dueDate, lang) : null}</td>
            <td className="num">{formatMoneyCode(p.amountMinor, doc.currency, lang)}</td>
            {doc.shipped ? <td className="num">{formatMoneyCode(doc.shipped.payments[i]!.amountMinor, doc.currency, lang)}</td> : null}
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row" colSpan={3}>
            {t('purchaseOrder.total')}
          </th>
          <td className="num">{formatMoneyCode(doc.totals.valueMinor, doc.currency, lang)}</td>
          {doc.shipped ? <td className="num">{formatMoneyCode(doc.shipped.valueMinor, doc.currency, lang)}</td> : null}
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
            <DateField
              name={`terms.${i}.dueDate`}
              label={t('consolidation.termDue')}
              value={x.dueDate}
              error={ed.fieldError(`terms.${i}.dueDate`)}
              onChange={(dueDate) => setTerm(i, { dueDate })}
            />
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
