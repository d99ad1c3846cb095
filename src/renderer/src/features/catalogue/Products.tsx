import { type FormEvent, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { Output } from '../../../../shared/api.ts'
import { MIN_ORDER_ACTIONS, NET_UNITS, QUANTITY_DIGITS, SALES_UNITS, VAT_CLASSES } from '../../../../shared/catalogue.ts'
import { call } from '../../ui/api.ts'
import { ErrorMessage, PageTitle } from '../../ui/components.tsx'
import { Check, CodeOptions, CountryOptions, CurrencyOptions, DateField, FormActions, SelectField, useTextFields } from '../../ui/form.tsx'
import { decimalText, formatMoney, minorDigits, productName, supplierShortName } from '../../ui/format.ts'
import { type ListRow, useData } from '../../ui/data.ts'
import { type Column, DataList } from '../../ui/list.tsx'
import { RecordHead, useRecordForm } from '../../ui/record.tsx'
import { href, navigate } from '../../ui/route.ts'

type ProductRow = ListRow<'products.list'>
type Product = Output<'products.get'>

export const productHref = (id: string) => href(['catalogue', 'products', id])

/** Every supplier (also archived ones, marked), for the filter and the product form. */
function useSuppliers() {
  return useData('suppliers.list', { limit: 1000, archived: 'all', sort: 'name' }, ['suppliers'])
}

export function ProductList({ supplierId }: { supplierId: string | null }) {
  const { t, i18n } = useTranslation()
  const locale = i18n.language
  const suppliers = useSuppliers()
  // The list shows the suppliers' short names: the full ones mostly begin alike ("Cooperativa de Trabajo …").
  const shortNames = new Map(suppliers.data?.rows.map((s) => [s.id, s.shortName ?? s.name]))
  const columns: Column<ProductRow>[] = [
    { key: 'sku', label: t('products.skuShort'), sort: 'sku', width: '8.5rem', render: (r) => r.sku },
    { key: 'name', label: t('products.name'), sort: 'name', render: (r) => productName(r, locale) },
    { key: 'supplier', label: t('products.supplier'), sort: 'supplier', width: '10rem', render: (r) => shortNames.get(r.supplierId) ?? r.supplierName },
    {
      key: 'case',
      label: t('products.caseUnitsShort'),
      sort: 'case',
      width: '9.5rem',
      className: 'num',
      render: (r) => t('products.caseOf', { n: decimalText(r.caseMilli, QUANTITY_DIGITS, locale), unit: t(`units.${r.salesUnit}`) })
    },
    { key: 'price', label: t('products.price'), sort: 'price', width: '8.5rem', className: 'num', render: (r) => formatMoney(r.priceMinor, r.currency, locale) },
    {
      key: 'flags',
      label: t('products.flags'),
      width: '11rem',
      render: (r) => (
        <span className="badges">
          {r.flags.map((f) => (
            <span key={f} className="badge small">
              {t(`flags.${f}`)}
            </span>
          ))}
        </span>
      )
    }
  ]
  return (
    <section>
      <div className="page-head">
        <PageTitle id="products-title">{t('products.title')}</PageTitle>
        <a className="button primary" href={href(['catalogue', 'products', 'new'], { supplier: supplierId ?? undefined })}>
          {t('products.new')}
        </a>
      </div>
      <ErrorMessage error={suppliers.error} />
      <DataList
        name="products"
        method="products.list"
        topics={['products']}
        columns={columns}
        defaultSort="sku"
        params={supplierId ? { supplierId } : {}}
        labelledBy="products-title"
        rowHref={(r) => productHref(r.id)}
        toolbar={
          <div className="tool">
            <label htmlFor="products-supplier">{t('products.supplierFilter')}</label>
            <select
              id="products-supplier"
              value={supplierId ?? ''}
              onChange={(e) => navigate(href(['catalogue', 'products'], { supplier: e.target.value || undefined }))}
            >
              <option value="">{t('products.allSuppliers')}</option>
              {supplierId && !suppliers.data?.rows.some((s) => s.id === supplierId) ? <option value={supplierId}>{t('app.loading')}</option> : null}
              {[...(suppliers.data?.rows ?? [])].sort((a, b) => supplierShortName(a).localeCompare(supplierShortName(b), i18n.language)).map((s) => (
                <option key={s.id} value={s.id}>
                  {s.archived ? t('products.archivedSupplier', { name: supplierShortName(s) }) : supplierShortName(s)}
                </option>
              ))}
            </select>
          </div>
        }
      />
    </section>
  )
}

type TextKey =
  | 'sku'
  | 'nameEs'
  | 'nameDe'
  | 'nameEn'
  | 'caseUnits'
  | 'stepUnits'
  | 'netQuantity'
  | 'grossKgPerCase'
  | 'volumeM3PerCase'
  | 'hsCode'
  | 'price'
  | 'solidarity'
  | 'alcoholPercent'
  | 'minOrderCases'
  | 'availableFrom'
  | 'availableUntil'
const FLAGS = ['organic', 'animalOrigin', 'dairy', 'heatSensitive', 'specialFreight'] as const
type Flag = (typeof FLAGS)[number]

interface ProductForm {
  text: Record<TextKey, string>
  supplierId: string
  salesUnit: string
  netUnit: string
  originCountry: string
  currency: string
  /** '' for the product's own currency. */
  solidarityCurrency: string
  vatClass: string
  minOrderAction: string
  /** The price is for one case (cooperatives that bill per case). */
  pricePerCase: boolean
  flags: Record<Flag, boolean>
}

function toForm(p: Product | null, locale: string, defaults: { supplierId: string; currency: string }): ProductForm {
  const text: Record<TextKey, string> = {
    sku: p?.sku ?? '',
    nameEs: p?.nameEs ?? '',
    nameDe: p?.nameDe ?? '',
    nameEn: p?.nameEn ?? '',
    caseUnits: p ? decimalText(p.caseMilli, QUANTITY_DIGITS, locale) : '1',
    // Whole units show as an empty step.
    stepUnits: p && p.stepMilli !== 1000 ? decimalText(p.stepMilli, QUANTITY_DIGITS, locale) : '',
    netQuantity: decimalText(p?.netQuantityMilli ?? null, QUANTITY_DIGITS, locale),
    grossKgPerCase: decimalText(p?.grossGPerCase ?? null, 3, locale),
    volumeM3PerCase: decimalText(p?.volumeCm3PerCase ?? null, 6, locale),
    hsCode: p?.hsCode ?? '',
    price: p ? decimalText(p.priceMinor, minorDigits(p.currency), locale, false) : '',
    solidarity: p && p.solidarityMinor > 0 ? decimalText(p.solidarityMinor, minorDigits(p.solidarityCurrency ?? p.currency), locale, false) : '',
    alcoholPercent: decimalText(p?.alcoholPermille ?? null, 1, locale),
    minOrderCases: String(p?.minOrderCases ?? 1),
    // Days as YYYY-MM-DD: the date field shows them in the UI language's form.
    availableFrom: p?.availableFrom ?? '',
    availableUntil: p?.availableUntil ?? ''
  }
  return {
    text,
    supplierId: p?.supplierId ?? defaults.supplierId,
    salesUnit: p?.salesUnit ?? 'piece',
    netUnit: p?.netUnit ?? '',
    originCountry: p?.originCountry ?? 'AR',
    currency: p?.currency ?? defaults.currency,
    solidarityCurrency: p?.solidarityCurrency ?? '',
    vatClass: p?.vatClass ?? 'reduced',
    minOrderAction: p?.minOrderAction ?? 'warn',
    pricePerCase: p?.pricePerCase ?? false,
    flags: {
      organic: p?.organic ?? false,
      animalOrigin: p?.animalOrigin ?? false,
      dairy: p?.dairy ?? false,
      heatSensitive: p?.heatSensitive ?? false,
      specialFreight: p?.specialFreight ?? false
    }
  }
}

/** A product: new when `id` is 'new' (then `supplierId` preselects the supplier). */
export function ProductForm({ id, supplierId }: { id: string; supplierId: string | null }) {
  const settings = useData('settings.get')
  if (id === 'new') {
    if (!settings.data && !settings.error) return null
    return <ProductEditor product={null} defaults={{ supplierId: supplierId ?? '', currency: settings.data?.defaultCurrency ?? 'EUR' }} />
  }
  return <LoadedProduct id={id} />
}

function LoadedProduct({ id }: { id: string }) {
  const q = useData('products.get', { id }, ['products'])
  if (!q.data) return <ErrorMessage error={q.error} />
  return <ProductEditor product={q.data} onSaved={q.setData} defaults={{ supplierId: q.data.supplierId, currency: q.data.currency }} />
}

function ProductEditor(props: { product: Product | null; onSaved?: (p: Product) => void; defaults: { supplierId: string; currency: string } }) {
  const { t, i18n } = useTranslation()
  const locale = i18n.language
  const { product } = props
  const { ed, form, formRef, submit: submitWith, archiveInstead, actions } = useRecordForm<ProductForm, Product>(toForm(product, locale, props.defaults), {
    record: product,
    onSaved: props.onSaved,
    hrefOf: productHref,
    listHref: href(['catalogue', 'products']),
    archive: (id, archived) => call('products.archive', { id, archived }),
    remove: (id) => call('products.delete', { id })
  })
  const suppliers = useSuppliers()

  const text = useTextFields('products', form.text, (texts) => ed.update({ text: texts }), ed.fieldError)
  const select = (k: 'salesUnit' | 'netUnit' | 'currency' | 'solidarityCurrency' | 'vatClass' | 'supplierId' | 'originCountry' | 'minOrderAction', options: ReactNode) => (
    <SelectField name={k} label={t(`products.${k}`)} value={form[k]} error={ed.fieldError(k)} onChange={(value) => ed.update({ [k]: value })}>
      {options}
    </SelectField>
  )

  function submit(e: FormEvent) {
    const minOrder = form.text.minOrderCases.trim()
    submitWith(
      e,
      () =>
        call('products.save', {
          ...(product ? { id: product.id } : {}),
          ...form.text,
          supplierId: form.supplierId,
          salesUnit: form.salesUnit as never,
          netUnit: (form.netUnit || null) as never,
          originCountry: form.originCountry as never,
          currency: form.currency as never,
          solidarityCurrency: (form.solidarityCurrency || null) as never,
          vatClass: form.vatClass as never,
          ...form.flags,
          minOrderCases: (minOrder === '' ? undefined : /^\d+$/.test(minOrder) ? Number(minOrder) : minOrder) as number,
          minOrderAction: form.minOrderAction as never,
          stepUnits: form.text.stepUnits.trim() || null,
          pricePerCase: form.pricePerCase,
          availableFrom: form.text.availableFrom || null,
          availableUntil: form.text.availableUntil || null
        }),
      (fields) => {
        // The core says "invalid" for a minimum that is not a whole number; say what is wanted.
        if (fields.minOrderCases?.code === 'invalid') return { ...fields, minOrderCases: { code: 'integer' } }
        if (fields.supplierId) return { ...fields, supplierId: { code: 'required' } }
        return fields
      }
    )
  }

  const supplierRows = suppliers.data?.rows.filter((s) => !s.archived || s.id === form.supplierId) ?? []

  return (
    <section>
      <RecordHead
        ed={ed}
        onArchiveInstead={archiveInstead}
        backHref={href(['catalogue', 'products'])}
        backLabel={t('products.back')}
        title={product ? `${productName(product, locale)} · ${product.sku}` : t('products.newTitle')}
        archived={Boolean(product?.archived)}
        error={suppliers.error}
      />
      <form ref={formRef} onSubmit={submit} noValidate className="form">
        <fieldset>
          <legend>{t('products.sectionProduct')}</legend>
          {select(
            'supplierId',
            <>
              <option value="">{t('products.chooseSupplier')}</option>
              {supplierRows.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.archived ? t('products.archivedSupplier', { name: supplierShortName(s) }) : supplierShortName(s)}
                </option>
              ))}
            </>
          )}
          {text('sku', { hint: t('products.skuHint') })}
          <p className="hint">{t('products.namesHint')}</p>
          {text('nameEs')}
          {text('nameDe')}
          {text('nameEn')}
        </fieldset>
        <fieldset>
          <legend>{t('products.sectionPacking')}</legend>
          <div className="row">
            {select('salesUnit', <CodeOptions codes={SALES_UNITS} texts="units" />)}
            {text('caseUnits', { inputMode: 'decimal', hint: t('products.caseUnitsHint') })}
            {text('stepUnits', { inputMode: 'decimal', hint: t('products.stepUnitsHint') })}
          </div>
          <div className="row">
            {text('netQuantity', { inputMode: 'decimal', hint: t('products.netQuantityHint') })}
            {select(
              'netUnit',
              <>
                <option value="">{t('products.noUnit')}</option>
                <CodeOptions codes={NET_UNITS} texts="units" />
              </>
            )}
          </div>
          <div className="row">
            {text('grossKgPerCase', { inputMode: 'decimal' })}
            {text('volumeM3PerCase', { inputMode: 'decimal' })}
          </div>
          <div className="row">
            {text('minOrderCases', { inputMode: 'numeric', hint: t('products.minOrderCasesHint') })}
            {select('minOrderAction', <CodeOptions codes={MIN_ORDER_ACTIONS} texts="minOrderAction" />)}
          </div>
        </fieldset>
        <fieldset>
          <legend>{t('products.sectionPrice')}</legend>
          <div className="row">
            {text('price', { inputMode: 'decimal', hint: t('products.priceHint') })}
            {select('currency', <CurrencyOptions />)}
          </div>
          <Check name="pricePerCase" label={t('products.pricePerCase')} checked={form.pricePerCase} onChange={(checked) => ed.update({ pricePerCase: checked })} />
          <div className="row">
            {text('solidarity', { inputMode: 'decimal', hint: t('products.solidarityHint') })}
            {select(
              'solidarityCurrency',
              <>
                <option value="">{t('products.sameCurrency')}</option>
                <CurrencyOptions />
              </>
            )}
          </div>
          {select('vatClass', <CodeOptions codes={VAT_CLASSES} texts="vatClass" />)}
          <div className="row">
            {text('hsCode', { inputMode: 'numeric', hint: t('products.hsCodeHint') })}
            {select('originCountry', <CountryOptions />)}
          </div>
        </fieldset>
        <fieldset>
          <legend>{t('products.sectionProperties')}</legend>
          {FLAGS.map((f) => (
            <Check
              key={f}
              name={f}
              label={t(`flags.${f}`)}
              checked={form.flags[f]}
              onChange={(checked) => ed.update({ flags: { ...form.flags, [f]: checked } })}
            />
          ))}
          {text('alcoholPercent', { inputMode: 'decimal', hint: t('products.alcoholPercentHint') })}
        </fieldset>
        <fieldset>
          <legend>{t('products.sectionAvailability')}</legend>
          <div className="row">
            {(['availableFrom', 'availableUntil'] as const).map((k) => (
              <DateField key={k} name={k} label={t(`products.${k}`)} value={form.text[k]} error={ed.fieldError(k)} onChange={(v: string) => ed.update({ text: { ...form.text, [k]: v } })} />
            ))}
          </div>
        </fieldset>
        <FormActions {...actions} deleteQuestion={product ? t('products.deleteConfirm', { sku: product.sku }) : undefined} />
      </form>
    </section>
  )
}
