import { useTranslation } from 'react-i18next'
import type { Stage } from '../../../../shared/vocabulary.ts'
import { ErrorMessage } from '../../ui/components.tsx'
import { useData } from '../../ui/data.ts'
import { formatSteps, productName } from '../../ui/format.ts'

/** What changed for each buyer and why, in the UI language (the printed notice uses each buyer's). */
export function Changes({ roundId, stage }: { roundId: string; stage: Stage }) {
  const { t, i18n } = useTranslation()
  const changes = useData('consolidation.changes', { roundId, stage }, ['consolidation', 'orders', 'purchaseOrders'])
  return (
    <section>
      <h2>{t('consolidation.changes')}</h2>
      <ErrorMessage error={changes.error} />
      {(changes.data ?? []).length === 0 ? <p className="muted">{t('consolidation.noChanges')}</p> : null}
      {(changes.data ?? []).map((b) => (
        <table className="lines" key={b.buyerId}>
          <caption>{b.buyerName}</caption>
          <thead>
            <tr>
              <th scope="col">{t('orders.product')}</th>
              <th scope="col" className="num">{t('consolidation.ordered')}</th>
              <th scope="col" className="num">{t('consolidation.granted')}</th>
              <th scope="col">{t('consolidation.why')}</th>
            </tr>
          </thead>
          <tbody>
            {b.changes.map((c, i) => (
              <tr key={i}>
                <td>{`${c.sku} · ${productName(c, i18n.language)}${c.subBuyerName ? ` (${c.subBuyerName})` : ''}`}</td>
                <td className="num">{formatSteps(c.ordered, c.stepMilli, i18n.language)}</td>
                <td className="num">
                  {c.fromTolerance > 0
                    ? t('consolidation.getsSplit', {
                        granted: formatSteps(c.allocated, c.stepMilli, i18n.language),
                        ordered: formatSteps(c.fromOrdered, c.stepMilli, i18n.language),
                        tolerance: formatSteps(c.fromTolerance, c.stepMilli, i18n.language)
                      })
                    : formatSteps(c.allocated, c.stepMilli, i18n.language)}
                </td>
                {/* Every reason the line changed for, the main one first (as the printed notice says it). */}
                <td>{c.causes.map((x) => t(`changeReasons.${x.reason}`, { note: c.note ?? '' })).join(' ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ))}
    </section>
  )
}
