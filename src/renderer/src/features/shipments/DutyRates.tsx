import { type FormEvent, useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { Output } from '../../../../shared/api.ts'
import { call } from '../../ui/api.ts'
import { ConfirmDialog, ErrorMessage, PageTitle, Status } from '../../ui/components.tsx'
import { CountryOptions, DateField, FormMessages, SelectField, TextField, useEditor } from '../../ui/form.tsx'
import { useData } from '../../ui/data.ts'
import { countryName, decimalText, formatDay, formatMoney, formatNumber } from '../../ui/format.ts'

type DutyRate = Output<'landedCost.dutyRates'>[number]

interface DutyForm {
  id: string | null
  cnCode: string
  origin: string
  validFrom: string
  validTo: string
  alcoholFrom: string
  alcoholTo: string
  adValorem: string
  perHl: string
  per100kg: string
  note: string
}

const empty: DutyForm = { id: null, cnCode: '', origin: '', validFrom: '', validTo: '', alcoholFrom: '', alcoholTo: '', adValorem: '', perHl: '', per100kg: '', note: '' }

/** "09030000" as the tariff writes it: "0903 00 00". */
export function cnText(code: string): string {
  return code.length === 8 ? `${code.slice(0, 4)} ${code.slice(4, 6)} ${code.slice(6)}` : code
}

/**
 * The dated duty rates per CN code the landed cost is computed with: ad valorem, per hectolitre, per 100 kg
 * net, optionally for one origin (a preference) and an alcohol band; added, changed and deleted (after asking).
 */
export function DutyRates() {
  const { t, i18n } = useTranslation()
  const lang = i18n.language
  const rates = useData('landedCost.dutyRates', undefined, ['shipments'])
  const settings = useData('settings.get', undefined, ['settings'])
  const currency = settings.data?.defaultCurrency ?? 'EUR'
  const [editing, setEditing] = useState<DutyForm | null>(null)
  const [deleting, setDeleting] = useState<DutyRate | null>(null)
  const [status, setStatus] = useState<string | null>(null)
  const [error, setError] = useState<unknown>(null)
  const addRef = useRef<HTMLButtonElement>(null)
  const describe = (r: DutyRate) => `${cnText(r.cnCode)}, ${formatDay(r.validFrom, lang)}`
  const band = (r: DutyRate) =>
    r.alcoholFromPermille === null && r.alcoholToPermille === null
      ? ''
      : t('shipments.alcoholBand', {
          from: r.alcoholFromPermille === null ? '' : formatNumber(r.alcoholFromPermille / 10, lang),
          to: r.alcoholToPermille === null ? '' : formatNumber(r.alcoholToPermille / 10, lang)
        })

  async function remove(r: DutyRate) {
    setError(null)
    try {
      await call('landedCost.deleteDutyRate', { id: r.id })
      setStatus(t('reference.deleted'))
      addRef.current?.focus()
    } catch (e) {
      setError(e)
    }
  }

  return (
    <section>
      <PageTitle>{t('shipments.dutyRates')}</PageTitle>
      <p>{t('shipments.dutyIntro')}</p>
      <div className="actions">
        <button
          type="button"
          ref={addRef}
          onClick={() => {
            setStatus(null)
            setEditing({ ...empty })
          }}
        >
          {t('shipments.addDutyRate')}
        </button>
      </div>
      <ErrorMessage error={error ?? rates.error} />
      {status ? <Status>{status}</Status> : null}
      {editing ? (
        <DutyRateForm
          key={editing.id ?? 'new'}
          initial={editing}
          onDone={(saved) => {
            setEditing(null)
            addRef.current?.focus()
            if (saved) setStatus(t('reference.saved'))
          }}
        />
      ) : null}
      {rates.data && !rates.data.length ? <p className="muted">{t('shipments.noDutyRates')}</p> : null}
      {rates.data?.length ? (
        <div className="table-wrap">
          <table className="plain duty-rates">
            <caption className="visually-hidden">{t('shipments.dutyRates')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('shipments.cnCode')}</th>
                <th scope="col">{t('shipments.origin')}</th>
                <th scope="col">{t('reference.validFrom')}</th>
                <th scope="col">{t('reference.validTo')}</th>
                <th scope="col">{t('shipments.alcohol')}</th>
                <th scope="col" className="num">{t('shipments.adValorem')}</th>
                <th scope="col" className="num">{t('shipments.perHl')}</th>
                <th scope="col" className="num">{t('shipments.per100kg')}</th>
                <th scope="col">{t('shipments.dutyNote')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('reference.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rates.data.map((r) => (
                <tr key={r.id}>
                  <td className="nowrap">{cnText(r.cnCode)}</td>
                  <td>{r.origin ? countryName(r.origin, lang) : <span className="muted">{t('shipments.anyOrigin')}</span>}</td>
                  <td className="nowrap">{formatDay(r.validFrom, lang)}</td>
                  <td className="nowrap">{r.validTo ? formatDay(r.validTo, lang) : <span className="muted">{t('reference.openEnded')}</span>}</td>
                  <td className="nowrap">{band(r)}</td>
                  <td className="num">{formatNumber(r.adValoremBp / 10000, lang, { style: 'percent', maximumFractionDigits: 2 })}</td>
                  <td className="num nowrap">{r.perHlMinor ? formatMoney(r.perHlMinor, currency, lang) : ''}</td>
                  <td className="num nowrap">{r.per100kgMinor ? formatMoney(r.per100kgMinor, currency, lang) : ''}</td>
                  <td className="note-cell">{r.note ?? ''}</td>
                  <td className="row-actions">
                    <button
                      type="button"
                      aria-label={t('reference.editRow', { what: describe(r) })}
                      onClick={() => {
                        setStatus(null)
                        setEditing({
                          id: r.id,
                          cnCode: cnText(r.cnCode),
                          origin: r.origin ?? '',
                          validFrom: r.validFrom,
                          validTo: r.validTo ?? '',
                          alcoholFrom: decimalText(r.alcoholFromPermille, 1, lang),
                          alcoholTo: decimalText(r.alcoholToPermille, 1, lang),
                          adValorem: decimalText(r.adValoremBp, 2, lang),
                          perHl: r.perHlMinor ? decimalText(r.perHlMinor, 2, lang) : '',
                          per100kg: r.per100kgMinor ? decimalText(r.per100kgMinor, 2, lang) : '',
                          note: r.note ?? ''
                        })
                      }}
                    >
                      {t('reference.edit')}
                    </button>
                    <button type="button" className="danger" aria-label={t('reference.deleteRow', { what: describe(r) })} onClick={() => setDeleting(r)}>
                      {t('reference.delete')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <ConfirmDialog
        open={deleting !== null}
        text={deleting ? t('shipments.deleteDutyConfirm', { what: describe(deleting) }) : ''}
        confirmLabel={t('reference.delete')}
        danger
        onCancel={() => setDeleting(null)}
        onConfirm={() => {
          const r = deleting
          setDeleting(null)
          if (r) void remove(r)
        }}
      />
    </section>
  )
}

function DutyRateForm({ initial, onDone }: { initial: DutyForm; onDone: (saved: boolean) => void }) {
  const { t } = useTranslation()
  const formRef = useRef<HTMLFormElement>(null)
  const ed = useEditor<DutyForm>(initial, formRef)
  const form = ed.form!
  useEffect(() => {
    formRef.current?.querySelector<HTMLElement>('input, select')?.focus()
  }, [])
  const text = (k: keyof DutyForm & string, label: string, hint?: string, decimal = false) => (
    <TextField name={k} label={label} hint={hint} inputMode={decimal ? 'decimal' : undefined} value={String(form[k] ?? '')} error={ed.fieldError(k)} onChange={(v) => ed.update({ [k]: v })} />
  )
  function submit(e: FormEvent) {
    e.preventDefault()
    void ed.run(
      () =>
        call('landedCost.saveDutyRate', {
          ...(form.id ? { id: form.id } : {}),
          cnCode: form.cnCode,
          origin: form.origin as never,
          validFrom: form.validFrom,
          validTo: form.validTo || null,
          alcoholFrom: form.alcoholFrom,
          alcoholTo: form.alcoholTo,
          adValorem: form.adValorem,
          perHl: form.perHl,
          per100kg: form.per100kg,
          note: form.note
        }),
      () => onDone(true)
    )
  }
  return (
    <form ref={formRef} className="form inline-form" onSubmit={submit} noValidate>
      <fieldset>
        <legend>{form.id ? t('shipments.editDutyRate') : t('shipments.addDutyRate')}</legend>
        <FormMessages error={ed.error} fieldErrors={ed.fieldErrors} status={null} />
        <div className="row">
          {text('cnCode', t('shipments.cnCode'), t('shipments.cnCodeHint'))}
          <SelectField name="origin" label={t('shipments.origin')} hint={t('shipments.originHint')} value={form.origin} error={ed.fieldError('origin')} onChange={(origin) => ed.update({ origin })}>
            <CountryOptions empty={t('shipments.anyOrigin')} />
          </SelectField>
        </div>
        <div className="row">
          <DateField name="validFrom" label={t('reference.validFrom')} value={form.validFrom} error={ed.fieldError('validFrom')} onChange={(validFrom) => ed.update({ validFrom })} />
          <DateField name="validTo" label={t('reference.validTo')} note={t('reference.validToHint')} value={form.validTo} error={ed.fieldError('validTo')} onChange={(validTo) => ed.update({ validTo })} />
        </div>
        <div className="row">
          {text('adValorem', t('shipments.adValorem'), t('shipments.adValoremHint'), true)}
          {text('perHl', t('shipments.perHl'), undefined, true)}
          {text('per100kg', t('shipments.per100kg'), undefined, true)}
        </div>
        <div className="row">
          {text('alcoholFrom', t('shipments.alcoholFrom'), t('shipments.alcoholHint'), true)}
          {text('alcoholTo', t('shipments.alcoholTo'), undefined, true)}
        </div>
        {text('note', t('shipments.dutyNote'))}
        <div className="actions">
          <button type="submit" className="primary" disabled={ed.busy}>
            {ed.busy ? t('record.saving') : t('record.save')}
          </button>
          <button type="button" onClick={() => onDone(false)}>
            {t('common.cancel')}
          </button>
        </div>
      </fieldset>
    </form>
  )
}
