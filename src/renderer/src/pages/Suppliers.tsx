import { type FormEvent, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import type { Output } from '../../../shared/api.ts'
import { call } from '../api.ts'
import { ErrorMessage, PageTitle } from '../components.tsx'
import {
  Check,
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
import { countryName, formatNumber } from '../format.ts'
import { type ListRow, useQuery } from '../hooks.ts'
import { type Column, DataList } from '../list.tsx'
import { href, navigate, parseHash, useHash } from '../route.ts'
import { PriceListImport } from './exchange/PriceListImport.tsx'

type SupplierRow = ListRow<'suppliers.list'>
type Supplier = Output<'suppliers.get'>

export const supplierHref = (id: string) => href(['catalogue', 'suppliers', id])

export function SupplierList() {
  const { t, i18n } = useTranslation()
  const locale = i18n.language
  const columns: Column<SupplierRow>[] = [
    { key: 'name', label: t('suppliers.name'), sort: 'name', render: (r) => r.name },
    { key: 'code', label: t('suppliers.code'), sort: 'code', width: '6rem', render: (r) => r.code ?? '' },
    { key: 'city', label: t('suppliers.city'), sort: 'city', width: '10rem', render: (r) => r.city ?? '' },
    { key: 'country', label: t('suppliers.country'), sort: 'country', width: '9rem', render: (r) => countryName(r.country, locale) },
    { key: 'sector', label: t('suppliers.sector'), sort: 'sector', width: '10rem', render: (r) => r.sector ?? '' },
    { key: 'products', label: t('suppliers.productCount'), width: '7rem', className: 'num', render: (r) => formatNumber(r.products, locale) }
  ]
  return (
    <section>
      <div className="page-head">
        <PageTitle id="suppliers-title">{t('suppliers.title')}</PageTitle>
        <a className="button primary" href={href(['catalogue', 'suppliers', 'new'])}>
          {t('suppliers.new')}
        </a>
      </div>
      <DataList
        name="suppliers"
        method="suppliers.list"
        topics={['suppliers']}
        columns={columns}
        defaultSort="name"
        labelledBy="suppliers-title"
        rowHref={(r) => supplierHref(r.id)}
      />
    </section>
  )
}

const TEXT = [
  'name',
  'shortName',
  'code',
  'legalForm',
  'kind',
  'sector',
  'sourceUrl',
  'notes',
  'street',
  'postalCode',
  'city',
  'province',
  'cuit',
  'cbu',
  'iban',
  'bic',
  'bankName'
] as const
type TextKey = (typeof TEXT)[number]

interface SupplierForm {
  text: Record<TextKey, string>
  country: string
  exporterOfRecord: boolean
  contacts: ContactForm[]
}

function toForm(s: Supplier | null): SupplierForm {
  return {
    text: Object.fromEntries(TEXT.map((k) => [k, s?.[k] ?? ''])) as Record<TextKey, string>,
    country: s?.country ?? 'AR',
    exporterOfRecord: s?.exporterOfRecord ?? false,
    contacts: s ? toContactForms(s.contacts) : []
  }
}

/** A supplier (cooperative): new when `id` is 'new'. */
export function SupplierForm({ id }: { id: string }) {
  const isNew = id === 'new'
  // #/catalogue/suppliers/<id>/import: the price list import of this supplier.
  const importing = parseHash(useHash()).segments[3] === 'import'
  if (importing && !isNew) return <PriceListImport supplierId={id} />
  return isNew ? <SupplierEditor supplier={null} /> : <LoadedSupplier id={id} />
}

function LoadedSupplier({ id }: { id: string }) {
  const q = useQuery('suppliers.get', ['suppliers', 'products'], { id })
  if (!q.data) return <ErrorMessage error={q.error} />
  return <SupplierEditor supplier={q.data} onSaved={q.setData} />
}

function SupplierEditor({ supplier, onSaved }: { supplier: Supplier | null; onSaved?: (s: Supplier) => void }) {
  const { t } = useTranslation()
  const formRef = useRef<HTMLFormElement>(null)
  const ed = useEditor<SupplierForm>(toForm(supplier), formRef)
  const form = ed.form!

  const setText = (k: TextKey, value: string) => ed.update({ text: { ...form.text, [k]: value } })
  const text = (k: TextKey, extra?: { hint?: string; type?: string; autoComplete?: string }) => (
    <Field label={t(`suppliers.${k}`)} error={ed.fieldError(k)} hint={extra?.hint}>
      {(ids) => (
        <input
          {...ids}
          name={k}
          type={extra?.type ?? 'text'}
          autoComplete={extra?.autoComplete ?? 'off'}
          value={form.text[k]}
          onChange={(e) => setText(k, e.target.value)}
        />
      )}
    </Field>
  )

  function submit(e: FormEvent) {
    e.preventDefault()
    void ed.run(
      () =>
        call('suppliers.save', {
          ...(supplier ? { id: supplier.id } : {}),
          ...form.text,
          country: form.country as never,
          exporterOfRecord: form.exporterOfRecord,
          contacts: contactInputs(form.contacts)
        }),
      (saved) => {
        if (!supplier) {
          setFlash(t('record.saved'))
          navigate(supplierHref(saved.id))
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
      () => call('suppliers.archive', { id: supplier!.id, archived }),
      () => {
        onSaved?.({ ...supplier!, archived })
        ed.setStatus(archived ? t('record.archivedNow') : t('record.restoredNow'))
      }
    )

  const remove = () =>
    void ed.run(
      () => call('suppliers.delete', { id: supplier!.id }),
      () => {
        setFlash(t('record.deleted'))
        navigate(href(['catalogue', 'suppliers']))
      }
    )

  return (
    <section>
      <p className="back">
        <a href={href(['catalogue', 'suppliers'])}>{t('suppliers.back')}</a>
      </p>
      <div className="page-head">
        <PageTitle>{supplier ? supplier.name : t('suppliers.newTitle')}</PageTitle>
        {supplier?.archived ? <span className="badge">{t('list.archivedBadge')}</span> : null}
      </div>
      {supplier?.archived ? <p className="muted">{t('record.archivedNote')}</p> : null}
      <FormMessages error={ed.error} fieldErrors={ed.fieldErrors} status={ed.status}
        onArchiveInstead={supplier && !supplier.archived ? () => archive(true) : undefined}
      />
      {supplier ? <ProductsLink supplierId={supplier.id} /> : null}
      {supplier ? (
        <p>
          <a className="button" href={href(['catalogue', 'suppliers', supplier.id, 'import'])}>
            {t('exchange.priceList')}
          </a>
        </p>
      ) : null}
      <form ref={formRef} onSubmit={submit} noValidate className="form">
        <fieldset>
          <legend>{t('suppliers.sectionCooperative')}</legend>
          {text('name', { autoComplete: 'organization' })}
          <div className="row">
            {text('shortName')}
            {text('code', { hint: t('suppliers.codeHint') })}
          </div>
          <div className="row">
            {text('legalForm')}
            {text('kind', { hint: t('suppliers.kindHint') })}
          </div>
          {text('sector', { hint: t('suppliers.sectorHint') })}
          {text('sourceUrl', { type: 'url', hint: t('suppliers.sourceUrlHint') })}
          <Field label={t('suppliers.notes')} error={ed.fieldError('notes')}>
            {(ids) => <textarea {...ids} name="notes" rows={3} value={form.text.notes} onChange={(e) => setText('notes', e.target.value)} />}
          </Field>
        </fieldset>
        <fieldset>
          <legend>{t('suppliers.sectionAddress')}</legend>
          {text('street', { autoComplete: 'street-address' })}
          <div className="row">
            {text('postalCode', { autoComplete: 'postal-code' })}
            {text('city', { autoComplete: 'address-level2' })}
          </div>
          {text('province', { autoComplete: 'address-level1' })}
          <Field label={t('suppliers.country')} error={ed.fieldError('country')}>
            {(ids) => (
              <select {...ids} name="country" value={form.country} onChange={(e) => ed.update({ country: e.target.value })}>
                <CountryOptions />
              </select>
            )}
          </Field>
        </fieldset>
        <fieldset>
          <legend>{t('suppliers.sectionPayment')}</legend>
          {text('cuit', { hint: t('suppliers.cuitHint') })}
          {text('cbu', { hint: t('suppliers.cbuHint') })}
          <div className="row">
            {text('iban', { hint: t('settings.notVerifiedOnline') })}
            {text('bic')}
          </div>
          {text('bankName')}
          <Check
            name="exporterOfRecord"
            label={t('suppliers.exporterOfRecord')}
            hint={t('suppliers.exporterOfRecordHint')}
            checked={form.exporterOfRecord}
            onChange={(checked) => ed.update({ exporterOfRecord: checked })}
          />
        </fieldset>
        <ContactsEditor contacts={form.contacts} onChange={(contacts) => ed.update({ contacts })} fieldError={ed.fieldError} />
        <FormActions
          busy={ed.busy}
          dirty={ed.dirty}
          archived={supplier?.archived}
          onArchive={supplier ? archive : undefined}
          onDelete={supplier ? remove : undefined}
          deleteQuestion={supplier ? t('suppliers.deleteConfirm', { name: supplier.name }) : undefined}
        />
      </form>
    </section>
  )
}

/** A link to the supplier's products (the products list filtered to it), with how many there are. */
function ProductsLink({ supplierId }: { supplierId: string }) {
  const { t, i18n } = useTranslation()
  const q = useQuery('products.list', ['products'], { supplierId, limit: 1 })
  return (
    <p>
      <a href={href(['catalogue', 'products'], { supplier: supplierId })}>
        {t('suppliers.showProducts', { n: q.data ? formatNumber(q.data.total, i18n.language) : '…' })}
      </a>
    </p>
  )
}
