import { type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import type { Output } from '../../../../shared/api.ts'
import { MIN_ORDER_ACTIONS, type Sector } from '../../../../shared/catalogue.ts'
import { call } from '../../ui/api.ts'
import { ErrorMessage, PageTitle } from '../../ui/components.tsx'
import {
  Check,
  CodeOptions,
  type ContactForm,
  contactInputs,
  ContactsEditor,
  CurrencyOptions,
  FormActions,
  SelectField,
  toContactForms,
  useTextFields
} from '../../ui/form.tsx'
import { countryName, decimalText, formatNumber, minorDigits, sectorText, supplierShortName } from '../../ui/format.ts'
import { type ListRow, useData } from '../../ui/data.ts'
import { type Column, DataList } from '../../ui/list.tsx'
import { AddressFields, RecordHead, RelatedRecords, useRecordForm } from '../../ui/record.tsx'
import { href, parseHash, useHash } from '../../ui/route.ts'
import { PriceListImport } from './PriceListImport.tsx'

type SupplierRow = ListRow<'suppliers.list'>
type Supplier = Output<'suppliers.get'>

export const supplierHref = (id: string) => href(['catalogue', 'suppliers', id])

export function SupplierList() {
  const { t, i18n } = useTranslation()
  const locale = i18n.language
  const sectors = t('sectors', { returnObjects: true }) as Record<Sector, string>
  const columns: Column<SupplierRow>[] = [
    {
      key: 'name',
      label: t('suppliers.name'),
      sort: 'shortName',
      // The short name first (the legal names mostly begin alike), the legal name after it, greyed.
      render: (r) => {
        const short = supplierShortName(r)
        return (
          <span title={r.name}>
            {short}
            {short !== r.name ? <span className="muted"> · {r.name}</span> : null}
          </span>
        )
      }
    },
    { key: 'code', label: t('suppliers.code'), sort: 'code', width: '6rem', render: (r) => r.code ?? '' },
    { key: 'city', label: t('suppliers.city'), sort: 'city', width: '10rem', render: (r) => r.city ?? '' },
    { key: 'country', label: t('suppliers.country'), sort: 'country', width: '9rem', render: (r) => countryName(r.country, locale) },
    { key: 'sector', label: t('suppliers.sector'), sort: 'sector', width: '10rem', render: (r) => sectorText(r.sector, sectors) },
    {
      key: 'exporter',
      label: t('suppliers.exporter'),
      sort: 'exporter',
      width: '11rem',
      render: (r) => (r.exporterOfRecord ? t('suppliers.exportsItself') : r.exporterId ? t('suppliers.via', { name: r.exporterShortName ?? r.exporterName }) : '')
    },
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
        defaultSort="shortName"
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
  'bankName',
  'minOrderValue'
] as const
type TextKey = (typeof TEXT)[number]

interface SupplierForm {
  text: Record<TextKey, string>
  country: string
  exporterOfRecord: boolean
  exporterId: string
  minOrderCurrency: string
  minOrderAction: string
  contacts: ContactForm[]
}

function toForm(s: Supplier | null, locale: string, currency: string): SupplierForm {
  const texts = { ...s, minOrderValue: s?.minOrderMinor == null ? null : decimalText(s.minOrderMinor, minorDigits(s.minOrderCurrency ?? currency), locale, false) }
  return {
    text: Object.fromEntries(TEXT.map((k) => [k, texts[k] ?? ''])) as Record<TextKey, string>,
    country: s?.country ?? 'AR',
    exporterOfRecord: s?.exporterOfRecord ?? false,
    exporterId: s?.exporterId ?? '',
    minOrderCurrency: s?.minOrderCurrency ?? currency,
    minOrderAction: s?.minOrderAction ?? 'warn',
    contacts: s ? toContactForms(s.contacts) : []
  }
}

/** A supplier (cooperative): new when `id` is 'new'. */
export function SupplierForm({ id }: { id: string }) {
  const isNew = id === 'new'
  // #/catalogue/suppliers/<id>/import: the price list import of this supplier.
  const importing = parseHash(useHash()).segments[3] === 'import'
  if (importing && !isNew) return <PriceListImport supplierId={id} />
  return isNew ? <NewSupplier /> : <LoadedSupplier id={id} />
}

function NewSupplier() {
  const settings = useData('settings.get')
  if (!settings.data && !settings.error) return null
  return <SupplierEditor supplier={null} currency={settings.data?.defaultCurrency ?? 'EUR'} />
}

function LoadedSupplier({ id }: { id: string }) {
  const q = useData('suppliers.get', { id }, ['suppliers', 'products'])
  if (!q.data) return <ErrorMessage error={q.error} />
  // A minimum is checked in the currency of the cooperative's prices.
  return <SupplierEditor supplier={q.data} onSaved={q.setData} currency={q.data.priceCurrency ?? 'USD'} />
}

function SupplierEditor({ supplier, onSaved, currency }: { supplier: Supplier | null; onSaved?: (s: Supplier) => void; currency: string }) {
  const { t, i18n } = useTranslation()
  const locale = i18n.language
  const { ed, form, formRef, submit: submitWith, archiveInstead, actions } = useRecordForm<SupplierForm, Supplier>(toForm(supplier, locale, currency), {
    record: supplier,
    onSaved,
    hrefOf: supplierHref,
    listHref: href(['catalogue', 'suppliers']),
    archive: (id, archived) => call('suppliers.archive', { id, archived }),
    remove: (id) => call('suppliers.delete', { id })
  })
  const exporters = useData('suppliers.list', { exporterOfRecord: true, archived: 'all', limit: 1000 }, ['suppliers'])
  const exporterOptions = exporters.data?.rows.filter((x) => x.id !== supplier?.id && (!x.archived || x.id === form.exporterId)) ?? []
  const text = useTextFields('suppliers', form.text, (texts) => ed.update({ text: texts }), ed.fieldError)

  const submit = (e: FormEvent) =>
    submitWith(e, () =>
      call('suppliers.save', {
        ...(supplier ? { id: supplier.id } : {}),
        ...form.text,
        country: form.country as never,
        exporterOfRecord: form.exporterOfRecord,
        // One that exports itself ships through no one.
        exporterId: form.exporterOfRecord ? null : form.exporterId || null,
        minOrderCurrency: form.minOrderCurrency as never,
        minOrderAction: form.minOrderAction as never,
        contacts: contactInputs(form.contacts)
      })
    )

  return (
    <section>
      <RecordHead
        ed={ed}
        onArchiveInstead={archiveInstead}
        backHref={href(['catalogue', 'suppliers'])}
        backLabel={t('suppliers.back')}
        title={supplier ? supplier.name : t('suppliers.newTitle')}
        archived={Boolean(supplier?.archived)}
        error={exporters.error}
      />
      {supplier ? <ProductsLink supplierId={supplier.id} /> : null}
      {supplier?.exporterOfRecord || supplier?.exportsFor.length ? (
        <RelatedRecords title={t('suppliers.exportsFor')} none={t('suppliers.exportsForNone')} records={supplier.exportsFor} hrefOf={supplierHref} />
      ) : null}
      {supplier?.exporterId ? (
        <p>
          {t('suppliers.shipsThrough')} <a href={supplierHref(supplier.exporterId)}>{supplier.exporterName}</a>
        </p>
      ) : null}
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
          {text('notes', { rows: 3 })}
        </fieldset>
        <AddressFields
          prefix="suppliers"
          values={form.text}
          onChange={(patch) => ed.update({ text: { ...form.text, ...patch } })}
          country={form.country}
          onCountry={(country) => ed.update({ country })}
          fieldError={ed.fieldError}
        />
        <fieldset>
          <legend>{t('suppliers.sectionPayment')}</legend>
          {text('cuit', { hint: t('suppliers.cuitHint') })}
          {text('cbu', { hint: t('suppliers.cbuHint') })}
          <div className="row">
            {text('iban', { hint: t('settings.notVerifiedOnline') })}
            {text('bic')}
          </div>
          {text('bankName')}
        </fieldset>
        <fieldset>
          <legend>{t('suppliers.sectionExport')}</legend>
          <Check
            name="exporterOfRecord"
            label={t('suppliers.exporterOfRecord')}
            hint={t('suppliers.exporterOfRecordHint')}
            error={ed.fieldError('exporterOfRecord')}
            checked={form.exporterOfRecord}
            onChange={(checked) => ed.update({ exporterOfRecord: checked })}
          />
          {/* One that exports itself ships through no one. */}
          {form.exporterOfRecord ? null : (
            <SelectField
              name="exporterId"
              label={t('suppliers.exporterId')}
              hint={t('suppliers.exporterIdHint')}
              value={form.exporterId}
              error={ed.fieldError('exporterId')}
              onChange={(exporterId) => ed.update({ exporterId })}
            >
              <option value="">{t('suppliers.noExporter')}</option>
              {form.exporterId && !exporterOptions.some((x) => x.id === form.exporterId) ? (
                <option value={form.exporterId}>{supplier?.exporterId === form.exporterId ? supplier.exporterName : t('app.loading')}</option>
              ) : null}
              {exporterOptions.map((x) => (
                <option key={x.id} value={x.id}>
                  {x.archived ? t('products.archivedSupplier', { name: x.name }) : x.name}
                </option>
              ))}
            </SelectField>
          )}
          <div className="row">
            {text('minOrderValue', { inputMode: 'decimal', hint: t('suppliers.minOrderValueHint') })}
            <SelectField
              name="minOrderCurrency"
              label={t('suppliers.minOrderCurrency')}
              value={form.minOrderCurrency}
              error={ed.fieldError('minOrderCurrency')}
              onChange={(minOrderCurrency) => ed.update({ minOrderCurrency })}
            >
              <CurrencyOptions />
            </SelectField>
          </div>
          <SelectField
            name="minOrderAction"
            label={t('suppliers.minOrderAction')}
            value={form.minOrderAction}
            error={ed.fieldError('minOrderAction')}
            onChange={(minOrderAction) => ed.update({ minOrderAction })}
          >
            <CodeOptions codes={MIN_ORDER_ACTIONS} texts="minOrderAction" />
          </SelectField>
        </fieldset>
        <ContactsEditor contacts={form.contacts} onChange={(contacts) => ed.update({ contacts })} fieldError={ed.fieldError} />
        <FormActions {...actions} deleteQuestion={supplier ? t('suppliers.deleteConfirm', { name: supplier.name }) : undefined} />
      </form>
    </section>
  )
}

/** A link to the supplier's products (the products list filtered to it), with how many there are. */
function ProductsLink({ supplierId }: { supplierId: string }) {
  const { t, i18n } = useTranslation()
  const q = useData('products.list', { supplierId, limit: 1 }, ['products'])
  return (
    <p>
      <a href={href(['catalogue', 'products'], { supplier: supplierId })}>
        {t('suppliers.showProducts', { n: q.data ? formatNumber(q.data.total, i18n.language) : '…' })}
      </a>
    </p>
  )
}
