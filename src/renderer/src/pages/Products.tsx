import { type FormEvent, type ReactNode, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import type { Output } from '../../../shared/api.ts'
import { NET_UNITS, QUANTITY_DIGITS, SALES_UNITS, VAT_CLASSES } from '../../../shared/catalogue.ts'
import { CURRENCIES } from '../../../shared/reference.ts'
import { call } from '../api.ts'
import { ErrorMessage, PageTitle } from '../components.tsx'
import { Check, CountryOptions, Field, FormActions, FormMessages, setFlash, useEditor } from '../form.tsx'
import { currencyName, dayText, decimalText, formatMoney, minorDigits, parseDay, productName } from '../format.ts'
import { type ListRow, useQuery } from '../hooks.ts'
import { type Column, DataList } from '../list.tsx'
import { href, navigate } from '../route.ts'

type ProductRow = ListRow<'products.list'>
type Product = Output<'products.get'>

export const productHref = (id: string) => href(['catalogue', 'products', id])

/** Every supplier (also archived ones, marked), for the filter and the product form. */
function useSuppliers() {
  return useQuery('suppliers.list', ['suppliers'], { limit: 1000, archived: 'all', sort: 'name' })
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
              {suppliers.data?.rows.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.archived ? t('products.archivedSupplier', { name: s.name }) : s.name}
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
  | 'netQuantity'
  | 'grossKgPerCase'
  | 'volumeM3PerCase'
  | 'hsCode'
  | 'price'
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
  vatClass: string
  flags: Record<Flag, boolean>
}

function toForm(p: Product | null, locale: string, defaults: { supplierId: string; currency: string }): ProductForm {
  const text: Record<TextKey, string> = {
    sku: p?.sku ?? '',
    nameEs: p?.nameEs ?? '',
    nameDe: p?.nameDe ?? '',
    nameEn: p?.nameEn ?? '',
    caseUnits: p ? decimalText(p.caseMilli, QUANTITY_DIGITS, locale) : '1',
    netQuantity: decimalText(p?.netQuantityMilli ?? null, QUANTITY_DIGITS, locale),
    grossKgPerCase: decimalText(p?.grossGPerCase ?? null, 3, locale),
    volumeM3PerCase: decimalText(p?.volumeCm3PerCase ?? null, 6, locale),
    hsCode: p?.hsCode ?? '',
    price: p ? decimalText(p.priceMinor, minorDigits(p.currency), locale, false) : '',
    alcoholPercent: decimalText(p?.alcoholPermille ?? null, 1, locale),
    minOrderCases: String(p?.minOrderCases ?? 1),
    availableFrom: dayText(p?.availableFrom ?? null, locale),
    availableUntil: dayText(p?.availableUntil ?? null, locale)
  }
  return {
    text,
    supplierId: p?.supplierId ?? defaults.supplierId,
    salesUnit: p?.salesUnit ?? 'piece',
    netUnit: p?.netUnit ?? '',
    originCountry: p?.originCountry ?? 'AR',
    currency: p?.currency ?? defaults.currency,
    vatClass: p?.vatClass ?? 'reduced',
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
  const settings = useQuery('settings.get')
  if (id === 'new') {
    if (!settings.data && !settings.error) return null
    return <ProductEditor product={null} defaults={{ supplierId: supplierId ?? '', currency: settings.data?.defaultCurrency ?? 'EUR' }} />
  }
  return <LoadedProduct id={id} />
}

function LoadedProduct({ id }: { id: string }) {
  const q = useQuery('products.get', ['products'], { id })
  if (!q.data) return <ErrorMessage error={q.error} />
  return <ProductEditor product={q.data} onSaved={q.setData} defaults={{ supplierId: q.data.supplierId, currency: q.data.currency }} />
}

function ProductEditor(props: { product: Product | null; onSaved?: (p: Product) => void; defaults: { supplierId: string; currency: string } }) {
  const { t, i18n } = useTranslation()
  const locale = i18n.language
  const { product } = props
  const formRef = useRef<HTMLFormElement>(null)
  const ed = useEditor<ProductForm>(toForm(product, locale, props.defaults), formRef)
  const form = ed.form!
  const suppliers = useSuppliers()
  const currencies = useQuery('reference.currencies', ['reference'])
  const currencyCodes = currencies.data?.map((c) => c.code) ?? [...CURRENCIES]

  const setText = (k: TextKey, value: string) => ed.update({ text: { ...form.text, [k]: value } })
  const text = (k: TextKey, extra?: { hint?: string; type?: string; inputMode?: 'decimal' | 'numeric'; className?: string }) => (
    <Field label={t(`products.${k}`)} error={ed.fieldError(k)} hint={extra?.hint} className={extra?.className}>
      {(ids) => (
        <input
          {...ids}
          name={k}
          type={extra?.type ?? 'text'}
          inputMode={extra?.inputMode}
          autoComplete="off"
          value={form.text[k]}
          onChange={(e) => setText(k, e.target.value)}
        />
      )}
    </Field>
  )
  const select = (k: 'salesUnit' | 'netUnit' | 'currency' | 'vatClass' | 'supplierId' | 'originCountry', options: ReactNode) => (
    <Field label={t(`products.${k}`)} error={ed.fieldError(k)}>
      {(ids) => (
        <select {...ids} name={k} value={form[k]} onChange={(e) => ed.update({ [k]: e.target.value })}>
          {options}
        </select>
      )}
    </Field>
  )

  function submit(e: FormEvent) {
    e.preventDefault()
    const minOrder = form.text.minOrderCases.trim()
    void ed.run(
      () =>
        call('products.save', {
          ...(product ? { id: product.id } : {}),
          ...form.text,
          supplierId: form.supplierId,
          salesUnit: form.salesUnit as never,
          netUnit: (form.netUnit || null) as never,
          originCountry: form.originCountry as never,
          currency: form.currency as never,
          vatClass: form.vatClass as never,
          ...form.flags,
          minOrderCases: (minOrder === '' ? undefined : /^\d+$/.test(minOrder) ? Number(minOrder) : minOrder) as number,
          availableFrom: parseDay(form.text.availableFrom),
          availableUntil: parseDay(form.text.availableUntil)
        }),
      (saved) => {
        if (!product) {
          setFlash(t('record.saved'))
          navigate(productHref(saved.id))
          return
        }
        props.onSaved?.(saved)
        ed.reset()
        ed.setStatus(t('record.saved'))
      },
      (fields) => {
        // The core says "invalid" for a minimum that is not a whole number; say what is wanted.
        if (fields.minOrderCases?.code === 'invalid') return { ...fields, minOrderCases: { code: 'integer' } }
        if (fields.supplierId) return { ...fields, supplierId: { code: 'required' } }
        return fields
      }
    )
  }

  const archive = (archived: boolean) =>
    void ed.run(
      () => call('products.archive', { id: product!.id, archived }),
      () => {
        props.onSaved?.({ ...product!, archived })
        ed.setStatus(archived ? t('record.archivedNow') : t('record.restoredNow'))
      }
    )

  const remove = () =>
    void ed.run(
      () => call('products.delete', { id: product!.id }),
      () => {
        setFlash(t('record.deleted'))
        navigate(href(['catalogue', 'products']))
      }
    )

  const supplierRows = suppliers.data?.rows.filter((s) => !s.archived || s.id === form.supplierId) ?? []

  return (
    <section>
      <p className="back">
        <a href={href(['catalogue', 'products'])}>{t('products.back')}</a>
      </p>
      <div className="page-head">
        <PageTitle>{product ? `${productName(product, locale)} · ${product.sku}` : t('products.newTitle')}</PageTitle>
        {product?.archived ? <span className="badge">{t('list.archivedBadge')}</span> : null}
      </div>
      {product?.archived ? <p className="muted">{t('record.archivedNote')}</p> : null}
      <FormMessages error={ed.error ?? suppliers.error} fieldErrors={ed.fieldErrors} status={ed.status}
        onArchiveInstead={product && !product.archived ? () => archive(true) : undefined}
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
                  {s.archived ? t('products.archivedSupplier', { name: s.name }) : s.name}
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
            {select(
              'salesUnit',
              SALES_UNITS.map((u) => (
                <option key={u} value={u}>
                  {t(`units.${u}`)}
                </option>
              ))
            )}
            {text('caseUnits', { inputMode: 'decimal', hint: t('products.caseUnitsHint') })}
          </div>
          <div className="row">
            {text('netQuantity', { inputMode: 'decimal', hint: t('products.netQuantityHint') })}
            {select(
              'netUnit',
              <>
                <option value="">{t('products.noUnit')}</option>
                {NET_UNITS.map((u) => (
                  <option key={u} value={u}>
                    {t(`units.${u}`)}
                  </option>
                ))}
              </>
            )}
          </div>
          <div className="row">
            {text('grossKgPerCase', { inputMode: 'decimal' })}
            {text('volumeM3PerCase', { inputMode: 'decimal' })}
          </div>
          {text('minOrderCases', { inputMode: 'numeric', hint: t('products.minOrderCasesHint') })}
        </fieldset>
        <fieldset>
          <legend>{t('products.sectionPrice')}</legend>
          <div className="row">
            {text('price', { inputMode: 'decimal', hint: t('products.priceHint') })}
            {select(
              'currency',
              currencyCodes.map((c) => (
                <option key={c} value={c}>
                  {`${c} – ${currencyName(c, locale)}`}
                </option>
              ))
            )}
          </div>
          {select(
            'vatClass',
            VAT_CLASSES.map((c) => (
              <option key={c} value={c}>
                {t(`vatClass.${c}`)}
              </option>
            ))
          )}
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
            {text('availableFrom', { hint: t('record.dateHint') })}
            {text('availableUntil', { hint: t('record.dateHint') })}
          </div>
        </fieldset>
        <FormActions
          busy={ed.busy}
          dirty={ed.dirty}
          archived={product?.archived}
          onArchive={product ? archive : undefined}
          onDelete={product ? remove : undefined}
          deleteQuestion={product ? t('products.deleteConfirm', { sku: product.sku }) : undefined}
        />
      </form>
    </section>
  )
}
