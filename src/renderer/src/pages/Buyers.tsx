import { type FormEvent, type ReactNode, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import type { Output } from '../../../shared/api.ts'
import { BUYER_TYPES, TAX_TREATMENTS } from '../../../shared/catalogue.ts'
import { LANGUAGES } from '../../../shared/reference.ts'
import { call } from '../api.ts'
import { ErrorMessage, PageTitle } from '../components.tsx'
import {
  type ContactForm,
  contactInputs,
  ContactsEditor,
  CountryOptions,
  Field,
  FormActions,
  FormMessages,
  setFlash,
  toContactForms,
  useEditor
} from '../form.tsx'
import { countryName } from '../format.ts'
import { type ListRow, useQuery } from '../hooks.ts'
import { type Column, DataList } from '../list.tsx'
import { href, navigate } from '../route.ts'

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

const TEXT = ['name', 'street', 'postalCode', 'city', 'vatId', 'deliveryPreference', 'notes'] as const
type TextKey = (typeof TEXT)[number]

interface BuyerForm {
  text: Record<TextKey, string>
  type: string
  country: string
  language: string
  taxTreatment: string
  hubId: string
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
    contacts: b ? toContactForms(b.contacts) : []
  }
}

/** A buyer: new when `id` is 'new'. */
export function BuyerForm({ id }: { id: string }) {
  return id === 'new' ? <BuyerEditor buyer={null} /> : <LoadedBuyer id={id} />
}

function LoadedBuyer({ id }: { id: string }) {
  const q = useQuery('buyers.get', ['buyers'], { id })
  if (!q.data) return <ErrorMessage error={q.error} />
  return <BuyerEditor buyer={q.data} onSaved={q.setData} />
}

function BuyerEditor({ buyer, onSaved }: { buyer: Buyer | null; onSaved?: (b: Buyer) => void }) {
  const { t, i18n } = useTranslation()
  const formRef = useRef<HTMLFormElement>(null)
  const ed = useEditor<BuyerForm>(toForm(buyer, i18n.language), formRef)
  const form = ed.form!
  const hubs = useQuery('buyers.list', ['buyers'], { type: 'hub', archived: 'all', limit: 1000 })
  const hubOptions = hubs.data?.rows.filter((h) => h.id !== buyer?.id && (!h.archived || h.id === form.hubId)) ?? []

  const setText = (k: TextKey, value: string) => ed.update({ text: { ...form.text, [k]: value } })
  const text = (k: TextKey, extra?: { hint?: string; autoComplete?: string }) => (
    <Field label={t(`buyers.${k}`)} error={ed.fieldError(k)} hint={extra?.hint}>
      {(ids) => (
        <input
          {...ids}
          name={k}
          type="text"
          autoComplete={extra?.autoComplete ?? 'off'}
          value={form.text[k]}
          onChange={(e) => setText(k, e.target.value)}
        />
      )}
    </Field>
  )
  const select = (k: 'type' | 'language' | 'taxTreatment' | 'hubId', options: ReactNode, hint?: string) => (
    <Field label={t(`buyers.${k}`)} error={ed.fieldError(k)} hint={hint}>
      {(ids) => (
        <select {...ids} name={k} value={form[k]} onChange={(e) => ed.update({ [k]: e.target.value })}>
          {options}
        </select>
      )}
    </Field>
  )

  function submit(e: FormEvent) {
    e.preventDefault()
    void ed.run(
      () =>
        call('buyers.save', {
          ...(buyer ? { id: buyer.id } : {}),
          ...form.text,
          type: form.type as never,
          country: form.country as never,
          language: form.language as never,
          taxTreatment: form.taxTreatment as never,
          hubId: form.type === 'hub' ? null : form.hubId || null,
          contacts: contactInputs(form.contacts)
        }),
      (saved) => {
        if (!buyer) {
          setFlash(t('record.saved'))
          navigate(buyerHref(saved.id))
          return
        }
        onSaved?.(saved)
        ed.reset()
        ed.setStatus(t('record.saved'))
      }
    )
  }

  const archive = (archived: boolean) =>
    void ed.run(
      () => call('buyers.archive', { id: buyer!.id, archived }),
      () => {
        onSaved?.({ ...buyer!, archived })
        ed.setStatus(archived ? t('record.archivedNow') : t('record.restoredNow'))
      }
    )

  const remove = () =>
    void ed.run(
      () => call('buyers.delete', { id: buyer!.id }),
      () => {
        setFlash(t('record.deleted'))
        navigate(href(['buyers']))
      }
    )

  return (
    <section>
      <p className="back">
        <a href={href(['buyers'])}>{t('buyers.back')}</a>
      </p>
      <div className="page-head">
        <PageTitle>{buyer ? buyer.name : t('buyers.newTitle')}</PageTitle>
        {buyer?.archived ? <span className="badge">{t('list.archivedBadge')}</span> : null}
      </div>
      {buyer?.archived ? <p className="muted">{t('record.archivedNote')}</p> : null}
      <FormMessages error={ed.error ?? hubs.error} fieldErrors={ed.fieldErrors} status={ed.status}
        onArchiveInstead={buyer && !buyer.archived ? () => archive(true) : undefined}
      />
      {buyer?.type === 'hub' ? (
        <section className="members" aria-labelledby="members-title">
          <h2 id="members-title">{t('buyers.members')}</h2>
          {buyer.members.length === 0 ? (
            <p className="muted">{t('buyers.membersNone')}</p>
          ) : (
            <ul>
              {buyer.members.map((m) => (
                <li key={m.id}>
                  <a href={buyerHref(m.id)}>{m.name}</a>
                </li>
              ))}
            </ul>
          )}
        </section>
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
            {select(
              'type',
              BUYER_TYPES.map((b) => (
                <option key={b} value={b}>
                  {t(`buyerType.${b}`)}
                </option>
              ))
            )}
            {select(
              'language',
              LANGUAGES.map((l) => (
                <option key={l} value={l}>
                  {t(`language.${l}`)}
                </option>
              )),
              t('buyers.languageHint')
            )}
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
          <Field label={t('buyers.notes')} error={ed.fieldError('notes')}>
            {(ids) => <textarea {...ids} name="notes" rows={3} value={form.text.notes} onChange={(e) => setText('notes', e.target.value)} />}
          </Field>
        </fieldset>
        <fieldset>
          <legend>{t('buyers.sectionAddress')}</legend>
          {text('street', { autoComplete: 'street-address' })}
          <div className="row">
            {text('postalCode', { autoComplete: 'postal-code' })}
            {text('city', { autoComplete: 'address-level2' })}
          </div>
          <Field label={t('buyers.country')} error={ed.fieldError('country')}>
            {(ids) => (
              <select {...ids} name="country" value={form.country} onChange={(e) => ed.update({ country: e.target.value })}>
                <CountryOptions />
              </select>
            )}
          </Field>
        </fieldset>
        <fieldset>
          <legend>{t('buyers.sectionTax')}</legend>
          {select(
            'taxTreatment',
            TAX_TREATMENTS.map((x) => (
              <option key={x} value={x}>
                {t(`taxTreatment.${x}`)}
              </option>
            )),
            t('buyers.taxTreatmentHint')
          )}
          {text('vatId', { hint: `${t('settings.vatIdHint')} ${t('settings.notVerifiedOnline')}` })}
        </fieldset>
        <ContactsEditor contacts={form.contacts} onChange={(contacts) => ed.update({ contacts })} fieldError={ed.fieldError} />
        <FormActions
          busy={ed.busy}
          dirty={ed.dirty}
          archived={buyer?.archived}
          onArchive={buyer ? archive : undefined}
          onDelete={buyer ? remove : undefined}
          deleteQuestion={buyer ? t('buyers.deleteConfirm', { name: buyer.name }) : undefined}
        />
      </form>
    </section>
  )
}
