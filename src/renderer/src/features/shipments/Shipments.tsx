import { useTranslation } from 'react-i18next'
import { href, type Route } from '../../ui/route.ts'
import { DutyRates } from './DutyRates.tsx'
import { ShipmentList } from './ShipmentList.tsx'
import { ShipmentPage } from './ShipmentPage.tsx'

const VIEWS = ['list', 'duty-rates'] as const
type View = (typeof VIEWS)[number]

/**
 * The shipments section: the shipments of a round (and one shipment's page at `#/shipments/<id>`), and
 * the dated duty rates per CN code their landed cost is computed with.
 */
export function Shipments({ route }: { route: Route }) {
  const { t } = useTranslation()
  const second = route.segments[1] ?? ''
  const view: View = second === 'duty-rates' ? 'duty-rates' : 'list'
  return (
    <>
      <nav className="tabs" aria-label={t('shipments.sections')}>
        {VIEWS.map((v) => (
          <a key={v} href={v === 'list' ? href(['shipments']) : href(['shipments', v])} aria-current={v === view && (v !== 'list' || !second) ? 'page' : undefined}>
            {t(v === 'list' ? 'shipments.title' : 'shipments.dutyRates')}
          </a>
        ))}
      </nav>
      {view === 'duty-rates' ? <DutyRates /> : second ? <ShipmentPage key={second} id={second} /> : <ShipmentList round={route.query.get('round') ?? ''} />}
    </>
  )
}
