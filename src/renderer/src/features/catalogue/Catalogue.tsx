import { useTranslation } from 'react-i18next'
import { href, type Route } from '../../ui/route.ts'
import { ProductForm, ProductList } from './Products.tsx'
import { ReferenceData } from '../reference/Reference.tsx'
import { SupplierForm, SupplierList } from './Suppliers.tsx'

const VIEWS = ['suppliers', 'products', 'reference'] as const
type View = (typeof VIEWS)[number]

/** The catalogue: suppliers (cooperatives), their products, and the reference data prices depend on. */
export function Catalogue({ route }: { route: Route }) {
  const { t } = useTranslation()
  const [, second, third] = route.segments
  const view: View = (VIEWS as readonly string[]).includes(second ?? '') ? (second as View) : 'suppliers'
  const supplier = route.query.get('supplier')
  return (
    <>
      <nav className="tabs" aria-label={t('catalogue.sections')}>
        {VIEWS.map((v) => (
          <a key={v} href={href(['catalogue', v])} aria-current={v === view ? 'page' : undefined}>
            {t(`catalogue.${v}`)}
          </a>
        ))}
      </nav>
      {view === 'suppliers' ? third ? <SupplierForm key={third} id={third} /> : <SupplierList /> : null}
      {view === 'products' ? (
        third ? (
          <ProductForm key={third} id={third} supplierId={supplier} />
        ) : (
          <ProductList supplierId={supplier} />
        )
      ) : null}
      {view === 'reference' ? <ReferenceData /> : null}
    </>
  )
}
