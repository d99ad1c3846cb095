import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { call } from '../../ui/api.ts'
import { ErrorMessage, Status } from '../../ui/components.tsx'
import { useData } from '../../ui/data.ts'
import { formatDate, formatDay, formatMoney, formatNumber, productName } from '../../ui/format.ts'
import { LandedChart } from './LandedChart.tsx'
import type { Shipment } from './shipment.ts'

/**
 * The landed cost per shipped line (goods, costs to the border, customs value, duty, costs to the hub,
 * import VAT base and VAT, other costs, landed, per unit) with totals, storing the result, and the chart
 * of landed cost per unit against the round's and the cooperative's price.
 */
export function LandedCost({ shipment }: { shipment: Shipment }) {
  const { t, i18n } = useTranslation()
  const lang = i18n.language
  const landed = useData('landedCost.get', { shipmentId: shipment.id }, ['shipments', 'reference', 'products', 'prices', 'settings'])
  const [error, setError] = useState<unknown>(null)
  const [status, setStatus] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const l = landed.data
  const money = (minor: number) => (l ? formatMoney(minor, l.currency, lang) : '')
  const percent = (bp: number) => formatNumber(bp / 10000, lang, { style: 'percent', maximumFractionDigits: 2 })

  async function store() {
    setBusy(true)
    setError(null)
    setStatus(null)
    try {
      const result = await call('landedCost.store', { shipmentId: shipment.id })
      setStatus(t('shipments.stored', { when: formatDate(result.computedAt!, lang, 'datetime') }))
    } catch (e) {
      setError(e)
    } finally {
      setBusy(false)
    }
  }

  return (
    <section aria-labelledby="shipment-landed" className="landed">
      <h2 id="shipment-landed">{t('shipments.landed')}</h2>
      <ErrorMessage error={error ?? landed.error} />
      {status ? <Status>{status}</Status> : null}
      {l ? (
        <>
          <p className="muted">
            {t('shipments.customsDay', { date: formatDay(l.customsDay, lang) })}{' '}
            {l.customsRates
              .filter((r) => r.from !== l.currency)
              .map((r) => t('shipments.customsRate', { from: r.from, rate: formatNumber(r.rateE8 / 1e8, lang, { maximumFractionDigits: 8 }), to: l.currency, date: formatDay(r.validOn, lang) }))
              .join(' ')}{' '}
            {t(l.importVatIsCost ? 'shipments.vatIsCost' : 'shipments.vatDeductible')}
          </p>
          <div className="table-wrap">
            <table className="lines landed-table">
              <caption className="visually-hidden">{t('shipments.landed')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('shipments.product')}</th>
                  <th scope="col" className="num">{t('shipments.goods')}</th>
                  <th scope="col" className="num">{t('shipments.toBorder')}</th>
                  <th scope="col" className="num">{t('shipments.customsValue')}</th>
                  <th scope="col" className="num">{t('shipments.duty')}</th>
                  <th scope="col" className="num">{t('shipments.toDestination')}</th>
                  <th scope="col" className="num">{t('shipments.vatBase')}</th>
                  <th scope="col" className="num">{t('shipments.vatRate')}</th>
                  <th scope="col" className="num">{t('shipments.vat')}</th>
                  <th scope="col" className="num">{t('shipments.other')}</th>
                  <th scope="col" className="num">{t('shipments.landedCol')}</th>
                  <th scope="col" className="num">{t('shipments.perUnit')}</th>
                </tr>
              </thead>
              <tbody>
                {l.lines.map((x) => (
                  <tr key={x.shipmentLineId}>
                    <th scope="row">
                      <span className="nowrap">{x.sku}</span> <span className="muted product-name">{productName(x, lang)}</span>
                    </th>
                    <td className="num">{money(x.goodsMinor)}</td>
                    <td className="num">{money(x.toBorderMinor)}</td>
                    <td className="num">{money(x.customsValueMinor)}</td>
                    <td className="num">{money(x.dutyMinor)}</td>
                    <td className="num">{money(x.toDestinationMinor)}</td>
                    <td className="num">{money(x.vatBaseMinor)}</td>
                    <td className="num">{percent(x.vatRateBp)}</td>
                    <td className="num">{money(x.vatMinor)}</td>
                    <td className="num">{money(x.otherMinor)}</td>
                    <td className="num strong">{money(x.landedMinor)}</td>
                    <td className="num nowrap">{`${money(Math.round(x.perUnitMilli / 1000))} / ${t(`units.${x.salesUnit}`)}`}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">{t('shipments.total')}</th>
                  <td className="num">{money(l.totals.goodsMinor)}</td>
                  <td className="num">{money(l.totals.toBorderMinor)}</td>
                  <td className="num">{money(l.totals.customsValueMinor)}</td>
                  <td className="num">{money(l.totals.dutyMinor)}</td>
                  <td className="num">{money(l.totals.toDestinationMinor)}</td>
                  <td className="num">{money(l.lines.reduce((a, x) => a + x.vatBaseMinor, 0))}</td>
                  <td />
                  <td className="num">{money(l.totals.vatMinor)}</td>
                  <td className="num">{money(l.totals.otherMinor)}</td>
                  <td className="num">{money(l.totals.landedMinor)}</td>
                  <td />
                </tr>
              </tfoot>
            </table>
          </div>
          <div className="actions">
            <button type="button" className="primary" disabled={busy} onClick={() => void store()}>
              {t('shipments.store')}
            </button>
            <span className="muted">{l.computedAt ? t('shipments.lastStored', { when: formatDate(l.computedAt, lang, 'datetime') }) : t('shipments.neverStored')}</span>
          </div>
          <p className="muted print-only">{l.computedAt ? t('shipments.lastStored', { when: formatDate(l.computedAt, lang, 'datetime') }) : t('shipments.neverStored')}</p>
          <LandedChart landed={l} />
        </>
      ) : null}
    </section>
  )
}
