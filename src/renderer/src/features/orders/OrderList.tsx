import { useTranslation } from 'react-i18next'
import { PageTitle } from '../../ui/components.tsx'
import { formatMoney, formatSteps, productName } from '../../ui/format.ts'
import { type Column, DataList } from '../../ui/list.tsx'
import type { ListRow } from '../../ui/data.ts'
import { href } from '../../ui/route.ts'
import { RoundSelect, useRoundChoice } from '../rounds/roundChoice.tsx'

type Row = ListRow<'orders.list'>

/** Every order line of a round in one searchable, sortable, virtualised list. */
export function OrderList() {
  const { t, i18n } = useTranslation()
  const lang = i18n.language
  const rounds = useRoundChoice(['open'])
  const round = rounds.roundId
  const currency = rounds.round?.currency ?? 'EUR'
  // Two times per line (received, last change) in the short form, so the names keep their room.
  const short = new Intl.DateTimeFormat(lang, { dateStyle: 'short', timeStyle: 'short' })
  const columns: Column<Row>[] = [
    { key: 'buyer', label: t('orders.buyer'), sort: 'buyer', render: (r) => (r.subBuyerName ? `${r.buyerName} · ${r.subBuyerName}` : r.buyerName) },
    { key: 'sku', label: t('orders.sku'), sort: 'sku', width: '7.5rem', render: (r) => r.sku },
    { key: 'product', label: t('orders.product'), render: (r) => productName(r, lang) },
    { key: 'quantity', label: t('orders.quantity'), sort: 'quantity', width: '5.5rem', className: 'num', render: (r) => formatSteps(r.quantity, r.stepMilli, lang) },
    { key: 'tolerance', label: t('orders.tolerance'), width: '6.5rem', className: 'num', render: (r) => formatSteps(r.tolerance, r.stepMilli, lang) },
    { key: 'total', label: t('orders.lineTotal'), sort: 'total', width: '8.5rem', className: 'num', render: (r) => formatMoney(r.totalMinor, currency, lang) },
    { key: 'received', label: t('orders.received'), sort: 'received', width: '9rem', render: (r) => (r.receivedAt ? short.format(new Date(r.receivedAt)) : '') },
    { key: 'changed', label: t('orders.changed'), sort: 'changed', width: '9rem', render: (r) => (r.lastAt ? short.format(new Date(r.lastAt)) : '') }
  ]
  return (
    <section>
      <PageTitle id="order-list-title">{t('orders.allLines')}</PageTitle>
      {round ? (
        // Wider than a laptop's page: the list scrolls sideways in its own box, names keep their room.
        <div className="order-list">
          <DataList
            name="orders"
            method="orders.list"
            topics={['orders', 'prices']}
            columns={columns}
            defaultSort="buyer"
            params={{ roundId: round }}
            labelledBy="order-list-title"
            noArchive
            rowHref={(r) => href(['orders'], { buyer: r.buyerId, round })}
            toolbar={
              <div className="tool">
                <label htmlFor="order-list-round">{t('orders.round')}</label>
                <RoundSelect id="order-list-round" rows={rounds.rows} value={round} onChange={rounds.setRoundId} />
              </div>
            }
          />
        </div>
      ) : null}
    </section>
  )
}
