import { type FormEvent, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { Output } from '../../../../shared/api.ts'
import { BUYER_TYPES, TAX_TREATMENTS } from '../../../../shared/catalogue.ts'
import { LANGUAGES } from '../../../../shared/reference.ts'
import { call } from '../../ui/api.ts'
import { ErrorMessage, PageTitle } from '../../ui/components.tsx'
import { CodeOptions, type ContactForm, contactInputs, ContactsEditor, FormActions, SelectField, toContactForms, useTextFields } from '../../ui/form.tsx'
import { countryName } from '../../ui/format.ts'
import { type ListRow, useData } from '../../ui/data.ts'
import { type Column, DataList } from '../../ui/list.tsx'
import { AddressFields, RecordHead, RelatedRecords, useRecordForm } from '../../ui/record.tsx'
import { href } from '../../ui/route.ts'

type BuyerRow = ListRow<'buyers.list'>
type Buyer = Output<'buyers.get'>

export const buyerHref = (id: string) => href(['buyers', id])

export function BuyerList() {
  const { t, i18n } = useTranslation()
  const locale = i18n.language
  const columns: Column<BuyerRow>[] = [
    { key: 'name', label: t('buyers.name'), sort: 'name', render: (r) => r.name },
    { key: 'type', label: t('buyers.type'), sort: 'type', width: '12rem', render: (r) => t(`buyerType.${r.type}`) },
    { key: 'city', label: t('buyers.city'), sort: 'city', width: '10rem', render: (r) => r.city ?? '' },
    { key: 'country', label: t('buyers.country'), sort: 'country', width: '10rem', render: (r) => countryName(r.country, locale) },
    { key: 'hub', label: t('buyers.hubId'), sort: 'hub', width: '13rem', render: (r) => r.hubName ?? '' }
  ]
  return (
    <section>
      <div className="page-head">
        <PageTitle id="buyers-title">{t('buyers.title')}</PageTitle>
        <a className="button primary" href={href(['buyers', 'new'])}>
          {t('buyers.new')}
        </a>
      </div>
      <p className="muted">{t('buyers.intro')}</p>
      <DataList
        name="buyers"
        method="buyers.list"
        topics={['buyers']}
        columns={columns}
        defaultSort="name"
        labelledBy="buyers-title"
        rowHref={(r) => buyerHref(r.id)}
      />
    </section>
  )
}

const TEXT = ['name', 'street', 'postalCode', 'city', 'vatId', 'deliveryPreference', 'notes', 'buyerReference'] as const
type TextKey = (typeof TEXT)[number]

interface BuyerForm {
  text: Record<TextKey, string>
  type: string
  country: string
  language: string
  taxTreatment: string
  hubId: string
  einvoiceProfile: string
  contacts: ContactForm[]
}

function toForm(b: Buyer | null, language: string): BuyerForm {
  return {
    text: Object.fromEntries(TEXT.map((k) => [k, b?.[k] ?? ''])) as Record<TextKey, string>,
    type: b?.type ?? 'group',
    country: b?.country ?? 'DE',
    language: b?.language ?? language,
    taxTreatment: b?.taxTreatment ?? 'domestic',
    hubId: b?.hubId ?? '',
    einvoiceProfile: b?.einvoiceProfile ?? 'en16931',
    contacts: b ? toContactForms(b.contacts) : []
  }
}

/** A buyer: new when `id` is 'new'. */
export function BuyerForm({ id }: { id: string }) {
  return id === 'new' ? <BuyerEditor buyer={null} /> : <LoadedBuyer id={id} />
}

function LoadedBuyer({ id }: { id: string }) {
  const q = useData('buyers.get', { id }, ['buyers'])
  if (!q.data) return <ErrorMessage error={q.error} />
  return <BuyerEditor buyer={q.data} onSaved={q.setData} />
}

function BuyerEditor({ buyer, onSaved }: { buyer: Buyer | null; onSaved?: (b: Buyer) => void }) {
  const { t, i18n } = useTranslation()
  const { ed, form, formRef, submit: submitWith, archiveInstead, actions } = useRecordForm<BuyerForm, Buyer>(toForm(buyer, i18n.language), {
    record: buyer,
    onSaved,
    hrefOf: buyerHref,
    listHref: href(['buyers']),
    archive: (id, archived) => call('buyers.archive', { id, archived }),
    remove: (id) => call('buyers.delete', { id })
  })
  const hubs = useData('buyers.list', { type: 'hub', archived: 'all', limit: 1000 }, ['buyers'])
  const hubOptions = hubs.data?.rows.filter((h) => h.id !== buyer?.id && (!h.archived || h.id === form.hubId)) ?? []

  const text = useTextFields('buyers', form.text, (texts) => ed.update({ text: texts }), ed.fieldError)
  const select = (k: 'type' | 'language' | 'taxTreatment' | 'hubId' | 'einvoiceProfile', options: ReactNode, hint?: string) => (
    <SelectField name={k} label={t(`buyers.${k}`)} hint={hint} value={form[k]} error={ed.fieldError(k)} onChange={(value) => ed.update({ [k]: value })}>
      {options}
    </SelectField>
  )

  const submit = (e: FormEvent) =>
    submitWith(e, () =>
      call('buyers.save', {
        ...(buyer ? { id: buyer.id } : {}),
        ...form.text,
        type: form.type as never,
        country: form.country as never,
        language: form.language as never,
        taxTreatment: form.taxTreatment as never,
        hubId: form.type === 'hub' ? null : form.hubId || null,
        einvoiceProfile: form.einvoiceProfile as never,
        contacts: contactInputs(form.contacts)
      })
    )

  return (
    <section>
      <RecordHead
        ed={ed}
        onArchiveInstead={archiveInstead}
        backHref={href(['buyers'])}
        backLabel={t('buyers.back')}
        title={buyer ? buyer.name : t('buyers.newTitle')}
        archived={Boolean(buyer?.archived)}
        error={hubs.error}
      />
      {buyer?.type === 'hub' ? (
        <RelatedRecords title={t('buyers.members')} none={t('buyers.membersNone')} records={buyer.members} hrefOf={buyerHref} />
      ) : null}
      {buyer ? (
        <p>
          <a href={href(['invoices', 'buyer', buyer.id])}>{t('invoices.buyerInvoices', { buyer: buyer.name })}</a>
        </p>
      ) : null}
      {buyer?.hubId ? (
        <p>
          {t('buyers.memberOf')} <a href={buyerHref(buyer.hubId)}>{buyer.hubName}</a>
        </p>
      ) : null}
      <form ref={formRef} onSubmit={submit} noValidate className="form">
        <fieldset>
          <legend>{t('buyers.sectionBuyer')}</legend>
          {text('name', { autoComplete: 'organization' })}
          <div className="row">
            {select('type', <CodeOptions codes={BUYER_TYPES} texts="buyerType" />)}
            {select('language', <CodeOptions codes={LANGUAGES} texts="language" />, t('buyers.languageHint'))}
          </div>
          {form.type === 'hub' ? null : select(
            'hubId',
            <>
              <option value="">{t('buyers.noHub')}</option>
              {hubOptions.map((h) => (
                <option key={h.id} value={h.id}>
                  {h.name}
                </option>
              ))}
            </>,
            t('buyers.hubHint')
          )}
          {text('deliveryPreference', { hint: t('buyers.deliveryPreferenceHint') })}
          {text('notes', { rows: 3 })}
        </fieldset>
        <AddressFields
          prefix="buyers"
          values={form.text}
          onChange={(patch) => ed.update({ text: { ...form.text, ...patch } })}
          country={form.country}
          onCountry={(country) => ed.update({ country })}
          fieldError={ed.fieldError}
        />
        <fieldset>
          <legend>{t('buyers.sectionTax')}</legend>
          {select('taxTreatment', <CodeOptions codes={TAX_TREATMENTS} texts="taxTreatment" />, t('buyers.taxTreatmentHint'))}
          {text('vatId', { hint: `${t('settings.vatIdHint')} ${t('settings.notVerifiedOnline')}` })}
          <div className="row">
            {select(
              'einvoiceProfile',
              <>
                <option value="en16931">{t('buyers.einvoiceEn16931')}</option>
                <option value="xrechnung">{t('buyers.einvoiceXrechnung')}</option>
              </>,
              t('buyers.einvoiceProfileHint')
            )}
            {text('buyerReference', { hint: t('buyers.buyerReferenceHint') })}
          </div>
        </fieldset>
        <ContactsEditor contacts={form.contacts} onChange={(contacts) => ed.update({ contacts })} fieldError={ed.fieldError} />
        <FormActions {...actions} deleteQuestion={buyer ? t('buyers.deleteConfirm', { name: buyer.name }) : undefined} />
      </form>
    </section>
  )
}
