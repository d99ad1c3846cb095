import { useTranslation } from 'react-i18next'
import type { Stage } from '../../../../shared/vocabulary.ts'
import { call } from '../../ui/api.ts'
import { useData } from '../../ui/data.ts'
import { formatMoney, formatSteps, productName } from '../../ui/format.ts'

/** The stock section: booking a round's surplus into stock, and the organisation's stock. */
export function Stock({ roundId, stage, onRun }: { roundId: string; stage: Stage; onRun: (fn: () => Promise<string | null>) => Promise<void> }) {
  const { t } = useTranslation()
  return (
    <>
      <h2>{t('consolidation.stock')}</h2>
      <div className="actions">
        <button
          type="button"
          onClick={() =>
            void onRun(async () => {
              const booked = await call('stock.bookSurplus', { roundId, stage })
              return t('consolidation.booked', { count: booked.reduce((a, b) => a + b.units, 0) })
            })
          }
        >
          {t('consolidation.bookSurplus')}
        </button>
      </div>
      <StockList />
    </>
  )
}

/** The organisation's stock, with where each unit came from. */
function StockList() {
  const { t, i18n } = useTranslation()
  const stock = useData('stock.list', {}, ['stock'])
  if ((stock.data ?? []).length === 0) return <p className="muted">{t('consolidation.noStock')}</p>
  return (
    <table className="lines">
      <thead>
        <tr>
          <th scope="col">{t('orders.sku')}</th>
          <th scope="col">{t('orders.product')}</th>
          <th scope="col" className="num">{t('consolidation.units')}</th>
          <th scope="col" className="num">{t('consolidation.stockValue')}</th>
          <th scope="col">{t('consolidation.origin')}</th>
        </tr>
      </thead>
      <tbody>
        {(stock.data ?? []).map((s) => (
          <tr key={s.productId}>
            <td className="nowrap">{s.sku}</td>
            <td>{productName(s, i18n.language)}</td>
            <td className="num">{formatSteps(s.units, s.stepMilli, i18n.language)}</td>
            <td className="num">{s.valueMinor === null ? '—' : formatMoney(s.valueMinor, s.currency, i18n.language)}</td>
            <td>{s.origins.map((o) => `${o.roundName ?? ''}: ${formatSteps(o.units, s.stepMilli, i18n.language)}`).join(', ')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
