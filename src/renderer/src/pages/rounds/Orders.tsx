import { useTranslation } from 'react-i18next'
import { href, type Route } from '../../route.ts'
import { OrderEntry } from './OrderEntry.tsx'
import { OrderList } from './OrderList.tsx'

/** Orders: entry for one buyer, or every line of the round. */
export function Orders({ route }: { route: Route }) {
  const { t } = useTranslation()
  const all = route.segments[1] === 'all'
  const buyer = route.query.get('buyer') ?? ''
  const round = route.query.get('round') ?? ''
  return (
    <>
      <nav className="tabs" aria-label={t('orders.sections')}>
        <a href={href(['orders'])} aria-current={all ? undefined : 'page'}>
          {t('orders.entryTab')}
        </a>
        <a href={href(['orders', 'all'])} aria-current={all ? 'page' : undefined}>
          {t('orders.allLines')}
        </a>
      </nav>
      {all ? <OrderList /> : <OrderEntry key={`${round}|${buyer}`} initialBuyer={buyer} initialRound={round} />}
    </>
  )
}
