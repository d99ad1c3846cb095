import { Fragment, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { type Stage, STAGES } from '../../../../shared/vocabulary.ts'
import { ErrorMessage, PageTitle, Status } from '../../ui/components.tsx'
import { useData } from '../../ui/data.ts'
import { decimalText, formatNumber, formatSteps, productName } from '../../ui/format.ts'
import { formatMoneyCode } from '../purchasing/moneyCode.ts'
import { PurchaseOrders } from '../purchasing/PurchaseOrders.tsx'
import { RoundSelect, useRoundChoice } from '../rounds/roundChoice.tsx'
import { Changes } from './Changes.tsx'
import { Policy, policyText } from './Policy.tsx'
import { OverrideForm, ProductLines, useOverrideEditor } from './ProductLines.tsx'
import { ProductPolicy } from './ProductPolicy.tsx'
import { Stock } from './Stock.tsx'

/**
 * Consolidation of a round: cases per product, who gets what (and why), the coordinator's overrides,
 * and the purchase orders per cooperative or exporter of record.
 */
export function Consolidation() {
  const { t, i18n } = useTranslation()
  const lang = i18n.language
  const rounds = useRoundChoice(['closed', 'ordered'])
  const [stage, setStage] = useState<Stage>('planned')
  const round = rounds.roundId
  const roundRow = rounds.round
  const data = useData('consolidation.get', round ? { roundId: round, stage } : null, ['consolidation', 'orders', 'prices', 'purchaseOrders', 'rounds'])
  const pos = useData('purchaseOrders.list', round ? { roundId: round } : null, ['purchaseOrders'])
  const [error, setError] = useState<unknown>(null)
  const [status, setStatus] = useState<string | null>(null)
  const [open, setOpen] = useState<string | null>(null)
  const override = useOverrideEditor()
  const currency = roundRow?.currency ?? 'EUR'

  /** A sum of weights or volumes: missing ones are said, never counted as 0 ("—" when none is known). */
  function measure(value: number, missing: number, key: 'weightMissing' | 'volumeMissing', digits: number, unit: string) {
    const text = formatNumber(value, lang, { maximumFractionDigits: digits })
    if (missing === 0) return text
    if (value === 0)
      return (
        <span title={t('consolidation.unknownMeasure')}>
          —<span className="visually-hidden"> {t('consolidation.unknownMeasure')}</span>
        </span>
      )
    return t(`consolidation.${key}`, { value: `${text} ${unit}`, count: missing })
  }

  async function run(fn: () => Promise<string | null>) {
    setError(null)
    setStatus(null)
    try {
      setStatus(await fn())
    } catch (e) {
      setError(e)
    }
  }

  return (
    <section>
      <PageTitle>{t('consolidation.title')}</PageTitle>
      <p>{t('consolidation.intro')}</p>
      <div className="toolbar">
        <div className="field">
          <label htmlFor="cons-round">{t('orders.round')}</label>
          <RoundSelect
            id="cons-round"
            rows={rounds.rows}
            value={round}
            onChange={(id) => {
              // Open products and purchase order panels belong to the round that was shown (the purchase
              // orders start afresh with each round: they are keyed by it).
              rounds.setRoundId(id)
              setOpen(null)
              override.close()
            }}
          />
        </div>
        <div className="field">
          <label htmlFor="cons-stage">{t('consolidation.stage')}</label>
          <select id="cons-stage" value={stage} onChange={(e) => setStage(e.target.value as Stage)}>
            {STAGES.map((s) => (
              <option key={s} value={s}>
                {t(`consolidation.stages.${s}`)}
              </option>
            ))}
          </select>
        </div>
        {data.data ? (
          <Policy
            key={data.data.roundId}
            roundId={data.data.roundId}
            cut={data.data.cutStrategy}
            extrasTo={data.data.extrasTo}
            policy={data.data.roundingPolicy}
            thresholdBp={data.data.thresholdBp}
            onStatus={setStatus}
            onError={setError}
          />
        ) : null}
      </div>
      {data.data?.cutStrategy === 'manual' ? <p className="muted">{t('consolidation.manualHint')}</p> : null}
      <ErrorMessage error={error ?? data.error ?? pos.error} />
      {status ? <Status>{status}</Status> : null}

      <div className="table-wrap">
        <table className="lines">
          <caption>{t('consolidation.products', { count: data.data?.products.length ?? 0 })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('orders.sku')}</th>
              <th scope="col">{t('orders.product')}</th>
              <th scope="col" className="num">{t('consolidation.ordered')}</th>
              <th scope="col" className="num">{t('orders.tolerance')}</th>
              <th scope="col" className="num">{t('consolidation.cases')}</th>
              <th scope="col" className="num">{t('consolidation.available')}</th>
              <th scope="col" className="num">{t('orders.missingToCase')}</th>
              <th scope="col" className="num">{t('consolidation.cut')}</th>
              <th scope="col" className="num">{t('consolidation.surplus')}</th>
            </tr>
          </thead>
          <tbody>
            {(data.data?.products ?? []).map((p) => (
              <Fragment key={p.productId}>
                <tr className={p.cut > 0 || p.unassigned < 0 ? 'short' : undefined}>
                  <td className="nowrap">
                    <button type="button" className="link" aria-expanded={open === p.productId} onClick={() => setOpen(open === p.productId ? null : p.productId)}>
                      {p.sku}
                    </button>
                  </td>
                  <td>
                    {productName(p, lang)}{' '}
                    <span className="muted">{t('consolidation.caseOf', { n: decimalText(p.caseMilli, 3, lang) })}</span>
                    {p.held ? <span className="badge small">{t('consolidation.held')}</span> : null}
                    {data.data?.cutStrategy === 'manual' && p.unassigned !== 0 ? (
                      <span className={`badge small own-policy${p.unassigned < 0 ? ' danger' : ''}`}>
                        {t(p.unassigned < 0 ? 'consolidation.manualOver' : 'consolidation.manualOpen', { count: Math.abs(p.unassigned), units: formatSteps(Math.abs(p.unassigned), p.stepMilli, lang) })}
                      </span>
                    ) : null}
                    {p.policyOverridden ? <span className="badge small own-policy">{t('consolidation.ownPolicy', { policy: policyText(t, p.policy, lang) })}</span> : null}
                  </td>
                  <td className="num">{formatSteps(p.quantity, p.stepMilli, lang)}</td>
                  <td className="num">{formatSteps(p.tolerance, p.stepMilli, lang)}</td>
                  <td className="num">{p.cases}</td>
                  <td className="num">{formatSteps(p.available, p.stepMilli, lang)}</td>
                  <td className="num">{formatSteps(p.missingToNextCase, p.stepMilli, lang)}</td>
                  <td className="num">{formatSteps(p.cut, p.stepMilli, lang)}</td>
                  <td className="num">{formatSteps(p.surplus, p.stepMilli, lang)}</td>
                </tr>
                {open === p.productId && data.data ? (
                  <ProductPolicy key={p.productId} roundId={round} product={p} roundPolicy={data.data.roundingPolicy} />
                ) : null}
                {open === p.productId ? <ProductLines roundId={round} stage={stage} productId={p.productId} onEdit={override.edit} onRun={run} /> : null}
              </Fragment>
            ))}
          </tbody>
        </table>
      </div>

      <OverrideForm editor={override} onRun={run} />

      <h2>{t('consolidation.suppliers')}</h2>
      <div className="table-wrap">
        <table className="lines">
          <thead>
            <tr>
              <th scope="col">{t('consolidation.supplier')}</th>
              <th scope="col" className="num">{t('consolidation.cases')}</th>
              <th scope="col" className="num">{t('consolidation.value')}</th>
              <th scope="col" className="num">{t('consolidation.grossKg')}</th>
              <th scope="col" className="num">{t('consolidation.volume')}</th>
            </tr>
          </thead>
          <tbody>
            {(data.data?.suppliers ?? []).map((s) => (
              <tr key={s.supplierId}>
                <td>{s.orderTo.id === s.supplierId ? s.name : `${s.name} → ${s.orderTo.name}`}</td>
                <td className="num">{s.cases}</td>
                <td className="num">{s.currency ? formatMoneyCode(s.valueMinor, s.currency, lang) : formatNumber(s.valueMinor, lang)}</td>
                <td className="num">{measure(s.grossG / 1000, s.grossMissing, 'weightMissing', 1, 'kg')}</td>
                <td className="num">{measure(s.volumeCm3 / 1_000_000, s.volumeMissing, 'volumeMissing', 3, 'm³')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <PurchaseOrders key={round} roundId={round} stage={stage} roundStatus={roundRow?.status} orders={pos.data} onRun={run} />
      <p className="muted">{t('consolidation.currencyNote', { currency })}</p>
      {round ? <Changes roundId={round} stage={stage} /> : null}
      <Stock roundId={round} stage={stage} onRun={run} />
    </section>
  )
}
