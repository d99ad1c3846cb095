import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { call } from '../../ui/api.ts'
import { ErrorMessage } from '../../ui/components.tsx'
import { useData } from '../../ui/data.ts'
import { formatSteps, stepsText } from '../../ui/format.ts'
import { checkQuantity } from '../../../../shared/quantity.ts'
import { useQuantityText } from '../orders/receivedTime.tsx'

/** What the cooperative confirmed and what arrived (and broke), per line of one purchase order. */
export function PoQuantities({ id, onRun }: { id: string; onRun: (fn: () => Promise<string | null>) => Promise<void> }) {
  const { t, i18n } = useTranslation()
  const lang = i18n.language
  const quantityText = useQuantityText()
  const po = useData('purchaseOrders.get', { id }, ['purchaseOrders'])
  const [values, setValues] = useState<Record<string, { confirmed: string; received: string; broken: string }>>({})
  const [problem, setProblem] = useState<string | null>(null)
  if (!po.data) return <ErrorMessage error={po.error} />
  type Line = (typeof po.data.lines)[number]
  // Typed and shown in the product's unit (8,64 m²), stored as its steps.
  const text = (l: Line, stored: number | null) => (stored === null ? '' : stepsText(stored, l.stepMilli, lang))
  const value = (l: Line, field: 'confirmed' | 'received' | 'broken', stored: number | null) => values[l.productId]?.[field] ?? text(l, stored)
  const set = (l: Line, field: 'confirmed' | 'received' | 'broken', v: string) => {
    const current = values[l.productId] ?? {
      confirmed: text(l, l.confirmedUnits),
      received: text(l, l.receivedUnits),
      broken: text(l, l.brokenUnits)
    }
    setValues({ ...values, [l.productId]: { ...current, [field]: v } })
  }
  return (
    <form
      className="form"
      onSubmit={(e) => {
        e.preventDefault()
        const lines: { productId: string; confirmedUnits: number | null; receivedUnits: number | null; brokenUnits: number }[] = []
        for (const [productId, v] of Object.entries(values)) {
          const line = po.data!.lines.find((l) => l.productId === productId)!
          const steps: Record<string, number | null> = {}
          for (const f of ['confirmed', 'received', 'broken'] as const) {
            if (v[f].trim() === '') {
              steps[f] = null
              continue
            }
            const check = checkQuantity(v[f], line.salesUnit, line.stepMilli)
            if (!check.ok) {
              setProblem(`${line.sku} (${t(`consolidation.${f}`)}): ${quantityText(check)}`)
              return
            }
            steps[f] = check.value
          }
          lines.push({ productId, confirmedUnits: steps.confirmed ?? null, receivedUnits: steps.received ?? null, brokenUnits: steps.broken ?? 0 })
        }
        setProblem(null)
        void onRun(async () => {
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
              <td className="num">{formatSteps(l.units, l.stepMilli, lang)}</td>
              {(['confirmed', 'received', 'broken'] as const).map((f) => (
                <td key={f}>
                  <input
                    className="qty"
                    inputMode={l.stepMilli === 1000 ? 'numeric' : 'decimal'}
                    aria-label={`${t(`consolidation.${f}`)} ${l.sku}`}
                    value={value(l, f, f === 'confirmed' ? l.confirmedUnits : f === 'received' ? l.receivedUnits : l.brokenUnits)}
                    onChange={(e) => set(l, f, e.target.value)}
                  />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {problem ? (
        <p className="field-error" role="alert">
          {problem}
        </p>
      ) : null}
      <div className="actions">
        <button type="submit" className="primary">
          {t('settings.save')}
        </button>
      </div>
    </form>
  )
}
