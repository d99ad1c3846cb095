import { type FormEvent, useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { SHIPMENT_MODES, type ShipmentMode } from '../../../../shared/vocabulary.ts'
import { call } from '../../ui/api.ts'
import { ErrorMessage, PageTitle } from '../../ui/components.tsx'
import { CodeOptions, Field, setFlash } from '../../ui/form.tsx'
import { useData } from '../../ui/data.ts'
import { formatDay, formatMoney } from '../../ui/format.ts'
import { href, navigate } from '../../ui/route.ts'
import { formatMoneyCode } from '../purchasing/moneyCode.ts'
import { RoundSelect, useRoundChoice } from '../rounds/roundChoice.tsx'

/**
 * The shipments of a round: number, exporter, status, mode, lines, planned arrival and the stored landed
 * total; and a new shipment from the sent or confirmed purchase orders of one exporter of the round.
 */
export function ShipmentList({ round: initial }: { round: string }) {
  const { t, i18n } = useTranslation()
  const lang = i18n.language
  const rounds = useRoundChoice(['closed', 'ordered'], initial)
  const roundId = rounds.roundId
  const shipments = useData('shipments.list', roundId ? { roundId } : null, ['shipments'])
  const [creating, setCreating] = useState(false)
  const newRef = useRef<HTMLButtonElement>(null)
  const rows = shipments.data ?? []
  return (
    <section>
      <PageTitle>{t('shipments.title')}</PageTitle>
      <p>{t('shipments.intro')}</p>
      <div className="toolbar">
        <div className="field">
          <label htmlFor="shipments-round">{t('orders.round')}</label>
          <RoundSelect
            id="shipments-round"
            rows={rounds.rows}
            value={roundId}
            onChange={(id) => {
              rounds.setRoundId(id)
              setCreating(false)
            }}
          />
        </div>
        <button type="button" ref={newRef} className="primary" aria-expanded={creating} disabled={!roundId} onClick={() => setCreating(!creating)}>
          {t('shipments.new')}
        </button>
      </div>
      <ErrorMessage error={rounds.error ?? shipments.error} />
      {creating && roundId ? (
        <NewShipment
          key={roundId}
          roundId={roundId}
          onCancel={() => {
            setCreating(false)
            newRef.current?.focus()
          }}
        />
      ) : null}
      {shipments.data && rows.length === 0 ? <p className="muted">{t('shipments.none')}</p> : null}
      {rows.length ? (
        <div className="table-wrap">
          <table className="lines">
            <caption className="visually-hidden">{t('shipments.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('shipments.number')}</th>
                <th scope="col">{t('shipments.exporter')}</th>
                <th scope="col">{t('shipments.status')}</th>
                <th scope="col">{t('shipments.mode')}</th>
                <th scope="col" className="num">{t('shipments.lineCount')}</th>
                <th scope="col">{t('shipments.plannedArrival')}</th>
                <th scope="col" className="num">{t('shipments.landedTotal')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((s) => (
                <tr key={s.id}>
                  <td className="nowrap">
                    <a href={href(['shipments', s.id])}>{s.number}</a>
                  </td>
                  <td>{s.exporterName}</td>
                  <td>{t(`shipmentStatus.${s.status}`)}</td>
                  <td>{t(`shipmentMode.${s.mode}`)}</td>
                  <td className="num">{s.lines}</td>
                  <td className="nowrap">{s.plannedArrival ? formatDay(s.plannedArrival, lang) : ''}</td>
                  <td className="num nowrap">
                    {s.landedMinor === null ? <span className="muted">{t('shipments.notStored')}</span> : formatMoney(s.landedMinor, s.currency, lang)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  )
}

/** Chooses an exporter of the round, its sent or confirmed purchase orders and the mode, and creates the shipment. */
function NewShipment({ roundId, onCancel }: { roundId: string; onCancel: () => void }) {
  const { t, i18n } = useTranslation()
  const lang = i18n.language
  const pos = useData('purchaseOrders.list', { roundId }, ['purchaseOrders'])
  const shippable = (pos.data ?? []).filter((p) => p.status === 'sent' || p.status === 'confirmed')
  const exporters = [...new Map(shippable.map((p) => [p.supplierId, p.supplierShortName || p.supplierName])).entries()]
  const [exporter, setExporter] = useState('')
  const chosenExporter = exporter || exporters[0]?.[0] || ''
  const ofExporter = shippable.filter((p) => p.supplierId === chosenExporter)
  const [unticked, setUnticked] = useState<Set<string>>(new Set())
  const [mode, setMode] = useState<ShipmentMode>('sea_lcl')
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  const formRef = useRef<HTMLFormElement>(null)
  useEffect(() => {
    formRef.current?.querySelector<HTMLElement>('select')?.focus()
  }, [])
  const chosen = ofExporter.filter((p) => !unticked.has(p.id))

  async function submit(e: FormEvent) {
    e.preventDefault()
    setBusy(true)
    setError(null)
    try {
      const shipment = await call('shipments.create', { roundId, purchaseOrderIds: chosen.map((p) => p.id), mode })
      setFlash(t('shipments.created', { number: shipment.number }))
      navigate(href(['shipments', shipment.id]))
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }

  return (
    <form ref={formRef} className="form inline-form" onSubmit={(e) => void submit(e)} noValidate>
      <fieldset>
        <legend>{t('shipments.newTitle')}</legend>
        <ErrorMessage error={error ?? pos.error} />
        {pos.data && !shippable.length ? <p className="muted">{t('shipments.noShippableOrders')}</p> : null}
        <div className="row">
          <Field label={t('shipments.exporter')} error={null}>
            {(ids) => (
              <select
                {...ids}
                name="exporter"
                value={chosenExporter}
                onChange={(e) => {
                  setExporter(e.target.value)
                  setUnticked(new Set())
                }}
              >
                {exporters.map(([id, name]) => (
                  <option key={id} value={id}>
                    {name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t('shipments.mode')} error={null}>
            {(ids) => (
              <select {...ids} name="mode" value={mode} onChange={(e) => setMode(e.target.value as ShipmentMode)}>
                <CodeOptions codes={SHIPMENT_MODES} texts="shipmentMode" />
              </select>
            )}
          </Field>
        </div>
        {ofExporter.length ? (
          <fieldset className="choices">
            <legend>{t('shipments.purchaseOrders')}</legend>
            {ofExporter.map((p) => (
              <div key={p.id} className="check">
                <input
                  id={`new-shipment-${p.id}`}
                  type="checkbox"
                  checked={!unticked.has(p.id)}
                  onChange={(e) => {
                    const next = new Set(unticked)
                    if (e.target.checked) next.delete(p.id)
                    else next.add(p.id)
                    setUnticked(next)
                  }}
                />
                <label htmlFor={`new-shipment-${p.id}`}>
                  {`${p.number} · ${t(`consolidation.poStatus.${p.status}`)} · ${formatMoneyCode(p.totalMinor, p.currency, lang)}`}
                </label>
              </div>
            ))}
          </fieldset>
        ) : null}
        <div className="actions">
          <button type="submit" className="primary" disabled={busy || !chosen.length}>
            {t('shipments.create')}
          </button>
          <button type="button" onClick={onCancel}>
            {t('common.cancel')}
          </button>
        </div>
      </fieldset>
    </form>
  )
}
