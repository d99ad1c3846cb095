import { useTranslation } from 'react-i18next'
import { href, type Route } from '../../ui/route.ts'
import { OrderImport } from './OrderImport.tsx'
import { OrderEntry } from './OrderEntry.tsx'
import { OrderList } from './OrderList.tsx'

/** Orders: entry for one buyer, every line of the round, or an import from a file. */
export function Orders({ route }: { route: Route }) {
  const { t } = useTranslation()
  const view = route.segments[1] === 'all' ? 'all' : route.segments[1] === 'import' ? 'import' : 'entry'
  const buyer = route.query.get('buyer') ?? ''
  const round = route.query.get('round') ?? ''
  return (
    <>
      <nav className="tabs" aria-label={t('orders.sections')}>
        <a href={href(['orders'])} aria-current={view === 'entry' ? 'page' : undefined}>
          {t('orders.entryTab')}
        </a>
        <a href={href(['orders', 'all'])} aria-current={view === 'all' ? 'page' : undefined}>
          {t('orders.allLines')}
        </a>
        <a href={href(['orders', 'import'])} aria-current={view === 'import' ? 'page' : undefined}>
          {t('exchange.importTab')}
        </a>
      </nav>
      {view === 'all' ? <OrderList /> : null}
      {view === 'import' ? <OrderImport key={round} initialRound={round} /> : null}
      {view === 'entry' ? <OrderEntry key={`${round}|${buyer}`} initialBuyer={buyer} initialRound={round} /> : null}
    </>
  )
}
