import { useTranslation } from 'react-i18next'
import { ErrorMessage, PageTitle } from '../../ui/components.tsx'
import { useData } from '../../ui/data.ts'
import { href, type Route } from '../../ui/route.ts'
import { InvoiceList } from './InvoiceList.tsx'
import { InvoicePage } from './InvoicePage.tsx'
import { InvoiceTable } from './InvoiceTable.tsx'

/**
 * The invoices section: a round's documents (`#/invoices?round=…`), one document (`#/invoices/<id>`) and a
 * buyer's documents across rounds (`#/invoices/buyer/<id>`).
 */
export function Invoices({ route }: { route: Route }) {
  const second = route.segments[1] ?? ''
  if (second === 'buyer' && route.segments[2]) return <BuyerInvoices key={route.segments[2]} buyerId={route.segments[2]} />
  if (second) return <InvoicePage key={second} id={second} newDraft={route.query.get('newDraft') ?? ''} />
  return <InvoiceList round={route.query.get('round') ?? ''} />
}

/** One buyer's invoices, deposit requests and credit notes over all rounds. */
function BuyerInvoices({ buyerId }: { buyerId: string }) {
  const { t } = useTranslation()
  const buyer = useData('buyers.get', { id: buyerId }, ['buyers'])
  const list = useData('invoices.list', { buyerId }, ['invoices', 'buyers', 'orders', 'consolidation', 'settings'])
  const name = buyer.data?.name ?? ''
  const rows = list.data ?? []
  return (
    <section className="invoices-page">
      <p className="back">
        <a href={href(['invoices'])}>{t('invoices.backToRound')}</a>
      </p>
      <PageTitle>{t('invoices.buyerTitle', { buyer: name })}</PageTitle>
      <p>
        {t('invoices.buyerIntro')} <a href={href(['buyers', buyerId])}>{t('invoices.toBuyer')}</a>
      </p>
      <ErrorMessage error={buyer.error ?? list.error} />
      {list.data && rows.length === 0 ? <p className="muted">{t('invoices.buyerNone')}</p> : null}
      {rows.length ? <InvoiceTable rows={rows} caption={t('invoices.buyerTitle', { buyer: name })} showRound /> : null}
    </section>
  )
}
