import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { call } from '../../ui/api.ts'
import { ErrorMessage } from '../../ui/components.tsx'
import { useData } from '../../ui/data.ts'

/** What the cooperative confirmed and what arrived (and broke), per line of one purchase order. */
export function PoQuantities({ id, onRun }: { id: string; onRun: (fn: () => Promise<string | null>) => Promise<void> }) {
  const { t } = useTranslation()
  const po = useData('purchaseOrders.get', { id }, ['purchaseOrders'])
  const [values, setValues] = useState<Record<string, { confirmed: string; received: string; broken: string }>>({})
  if (!po.data) return <ErrorMessage error={po.error} />
  const value = (productId: string, field: 'confirmed' | 'received' | 'broken', stored: number | null) =>
    values[productId]?.[field] ?? (stored === null ? '' : String(stored))
  const set = (productId: string, field: 'confirmed' | 'received' | 'broken', v: string) => {
    const line = po.data!.lines.find((l) => l.productId === productId)!
    const current = values[productId] ?? {
      confirmed: line.confirmedUnits === null ? '' : String(line.confirmedUnits),
      received: line.receivedUnits === null ? '' : String(line.receivedUnits),
      broken: String(line.brokenUnits)
    }
    setValues({ ...values, [productId]: { ...current, [field]: v } })
  }
  const num = (v: string) => (v.trim() === '' ? null : Number(v))
  return (
    <form
      className="form"
      onSubmit={(e) => {
        e.preventDefault()
        void onRun(async () => {
          const lines = Object.entries(values).map(([productId, v]) => ({
            productId,
            confirmedUnits: num(v.confirmed),
            receivedUnits: num(v.received),
            brokenUnits: num(v.broken) ?? 0
          }))
          if (lines.length) await call('purchaseOrders.recordQuantities', { purchaseOrderId: id, lines })
          setValues({})
          return t('consolidation.quantitiesSaved')
        })
      }}
    >
      <table className="lines">
        <caption>{t('consolidation.quantitiesOf', { number: po.data.number })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('orders.sku')}</th>
            <th scope="col">{t('orders.product')}</th>
            <th scope="col" className="num">{t('consolidation.orderedUnits')}</th>
            <th scope="col">{t('consolidation.confirmed')}</th>
            <th scope="col">{t('consolidation.received')}</th>
            <th scope="col">{t('consolidation.broken')}</th>
          </tr>
        </thead>
        <tbody>
          {po.data.lines.map((l) => (
            <tr key={l.productId}>
              <td className="nowrap">{l.sku}</td>
              <td>{l.description}</td>
              <td className="num">{l.units}</td>
              {(['confirmed', 'received', 'broken'] as const).map((f) => (
                <td key={f}>
                  <input
                    className="qty"
                    inputMode="numeric"
                    aria-label={`${t(`consolidation.${f}`)} ${l.sku}`}
                    value={value(l.productId, f, f === 'confirmed' ? l.confirmedUnits : f === 'received' ? l.receivedUnits : l.brokenUnits)}
                    onChange={(e) => set(l.productId, f, e.target.value)}
                  />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <div className="actions">
        <button type="submit" className="primary">
          {t('settings.save')}
        </button>
      </div>
    </form>
  )
}
