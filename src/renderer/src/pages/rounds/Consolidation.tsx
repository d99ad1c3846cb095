import { Fragment, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { Output } from '../../../../shared/api.ts'
import { formatScaled } from '../../../../shared/decimal.ts'
import { call } from '../../api.ts'
import { ErrorMessage, PageTitle, Status } from '../../components.tsx'
import { formatMoney, formatNumber } from '../../format.ts'
import { RoundSelect, useRoundChoice } from './roundChoice.tsx'
import { productName, useCall } from './useCall.ts'

const STAGES = ['planned', 'confirmed', 'received'] as const
const POLICIES = ['tolerance_fill', 'threshold', 'always_up', 'exact'] as const
type Line = Output<'consolidation.lines'>[number]

/**
 * Consolidation of a round: cases per product, who gets what (and why), the coordinator's overrides,
 * and the purchase orders per cooperative or exporter of record.
 */
export function Consolidation() {
  const { t, i18n } = useTranslation()
  const lang = i18n.language
  const rounds = useRoundChoice(['closed', 'ordered'])
  const [stage, setStage] = useState<(typeof STAGES)[number]>('planned')
  const round = rounds.roundId
  const roundRow = rounds.round
  const data = useCall('consolidation.get', round ? { roundId: round, stage } : null, ['consolidation', 'orders', 'prices', 'purchaseOrders', 'rounds'])
  const pos = useCall('purchaseOrders.list', round ? { roundId: round } : null, ['purchaseOrders'])
  const [error, setError] = useState<unknown>(null)
  const [status, setStatus] = useState<string | null>(null)
  const [open, setOpen] = useState<string | null>(null)
  const [editing, setEditing] = useState<Line | null>(null)
  const [granted, setGranted] = useState('')
  const [reason, setReason] = useState('')
  const [quantitiesFor, setQuantitiesFor] = useState<string | null>(null)
  const currency = roundRow?.currency ?? 'EUR'
  const edit = (l: Line) => {
    setEditing(l)
    setGranted(String(l.granted))
    setReason(l.override?.reason ?? '')
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
          <RoundSelect id="cons-round" rows={rounds.rows} value={round} onChange={rounds.setRoundId} />
        </div>
        <div className="field">
          <label htmlFor="cons-stage">{t('consolidation.stage')}</label>
          <select id="cons-stage" value={stage} onChange={(e) => setStage(e.target.value as (typeof STAGES)[number])}>
            {STAGES.map((s) => (
              <option key={s} value={s}>
                {t(`consolidation.stages.${s}`)}
              </option>
            ))}
          </select>
        </div>
        {data.data ? <Policy key={round} roundId={round} cut={data.data.cutStrategy} policy={data.data.roundingPolicy.kind} onError={setError} /> : null}
      </div>
      <ErrorMessage error={error ?? data.error ?? pos.error} />
      {status ? <Status>{status}</Status> : null}

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
              <tr className={p.cut > 0 ? 'short' : undefined}>
                <td className="nowrap">
                  <button type="button" className="link" aria-expanded={open === p.productId} onClick={() => setOpen(open === p.productId ? null : p.productId)}>
                    {p.sku}
                  </button>
                </td>
                <td>
                  {productName(p, lang)}{' '}
                  <span className="muted">{t('consolidation.caseOf', { n: formatScaled(p.caseMilli, 3, true) })}</span>
                  {p.held ? <span className="badge small">{t('consolidation.held')}</span> : null}
                </td>
                <td className="num">{p.quantity}</td>
                <td className="num">{p.tolerance}</td>
                <td className="num">{p.cases}</td>
                <td className="num">{p.available}</td>
                <td className="num">{p.missingToNextCase}</td>
                <td className="num">{p.cut}</td>
                <td className="num">{p.surplus}</td>
              </tr>
              {open === p.productId ? <ProductLines roundId={round} stage={stage} productId={p.productId} onEdit={edit} onRun={run} /> : null}
            </Fragment>
          ))}
        </tbody>
      </table>

      {editing ? (
        <form
          className="form inline-panel"
          onSubmit={(e) => {
            e.preventDefault()
            void run(async () => {
              await call('consolidation.override', { lineId: editing.lineId, granted: Number(granted), reason })
              setEditing(null)
              return t('consolidation.overrideSaved')
            })
          }}
        >
          <fieldset>
            <legend>{t('consolidation.overrideFor', { buyer: editing.buyerName })}</legend>
            <div className="field small">
              <label htmlFor="override-granted">{t('consolidation.granted')}</label>
              <input id="override-granted" inputMode="numeric" value={granted} onChange={(e) => setGranted(e.target.value)} />
            </div>
            <div className="field">
              <label htmlFor="override-reason">{t('consolidation.reason')}</label>
              <input id="override-reason" value={reason} onChange={(e) => setReason(e.target.value)} />
            </div>
            <div className="actions">
              <button type="submit" className="primary">
                {t('settings.save')}
              </button>
              <button type="button" onClick={() => setEditing(null)}>
                {t('common.cancel')}
              </button>
            </div>
          </fieldset>
        </form>
      ) : null}

      <h2>{t('consolidation.suppliers')}</h2>
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
              <td className="num">{s.currency ? formatMoney(s.valueMinor, s.currency, lang) : formatNumber(s.valueMinor, lang)}</td>
              <td className="num">{formatNumber(s.grossG / 1000, lang, { maximumFractionDigits: 1 })}</td>
              <td className="num">{formatNumber(s.volumeCm3 / 1_000_000, lang, { maximumFractionDigits: 3 })}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>{t('consolidation.purchaseOrders')}</h2>
      <div className="actions">
        <button
          type="button"
          className="primary"
          disabled={!(roundRow?.status === 'closed' || roundRow?.status === 'ordered')}
          onClick={() => void run(async () => t('consolidation.created', { count: (await call('purchaseOrders.create', { roundId: round })).length }))}
        >
          {t('consolidation.createPurchaseOrders')}
        </button>
        {roundRow && roundRow.status !== 'closed' && roundRow.status !== 'ordered' ? <span className="muted">{t('consolidation.closeFirst')}</span> : null}
      </div>
      <table className="lines">
        <thead>
          <tr>
            <th scope="col">{t('consolidation.number')}</th>
            <th scope="col">{t('consolidation.supplier')}</th>
            <th scope="col">{t('rounds.status')}</th>
            <th scope="col" className="num">{t('consolidation.value')}</th>
            <th scope="col">{t('consolidation.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {(pos.data ?? []).map((po) => (
            <tr key={po.id}>
              <td className="nowrap">{po.number}</td>
              <td>{po.supplierName}</td>
              <td>{t(`consolidation.poStatus.${po.status}`)}</td>
              <td className="num">{formatMoney(po.totalMinor, po.currency, lang)}</td>
              <td>
                <button type="button" aria-expanded={quantitiesFor === po.id} onClick={() => setQuantitiesFor(quantitiesFor === po.id ? null : po.id)}>
                  {t('consolidation.quantities')}
                </button>{' '}
                {po.status !== 'confirmed' ? (
                  <button
                    type="button"
                    onClick={() =>
                      void run(async () => {
                        await call('purchaseOrders.setStatus', { id: po.id, status: po.status === 'draft' ? 'sent' : 'confirmed' })
                        return null
                      })
                    }
                  >
                    {t('consolidation.markAs', { status: t(`consolidation.poStatus.${po.status === 'draft' ? 'sent' : 'confirmed'}`) })}
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {quantitiesFor ? <PoQuantities key={quantitiesFor} id={quantitiesFor} onRun={run} /> : null}
      <p className="muted">{t('consolidation.currencyNote', { currency })}</p>
      {round ? <Changes roundId={round} stage={stage} /> : null}
      <h2>{t('consolidation.stock')}</h2>
      <div className="actions">
        <button
          type="button"
          onClick={() =>
            void run(async () => {
              const booked = await call('stock.bookSurplus', { roundId: round, stage })
              return t('consolidation.booked', { count: booked.reduce((a, b) => a + b.units, 0) })
            })
          }
        >
          {t('consolidation.bookSurplus')}
        </button>
      </div>
      <Stock />
    </section>
  )
}

/** What the cooperative confirmed and what arrived (and broke), per line of one purchase order. */
function PoQuantities({ id, onRun }: { id: string; onRun: (fn: () => Promise<string | null>) => Promise<void> }) {
  const { t } = useTranslation()
  const po = useCall('purchaseOrders.get', { id }, ['purchaseOrders'])
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

/** What changed for each buyer and why, in the UI language (the printed notice uses each buyer's). */
function Changes({ roundId, stage }: { roundId: string; stage: (typeof STAGES)[number] }) {
  const { t, i18n } = useTranslation()
  const changes = useCall('consolidation.changes', { roundId, stage }, ['consolidation', 'orders', 'purchaseOrders'])
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
                <td className="num">{c.ordered}</td>
                <td className="num">{c.allocated}</td>
                <td>{t(`changeReasons.${c.reason}`, { note: c.note ?? '' })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ))}
    </section>
  )
}

/** The organisation's stock, with where each unit came from. */
function Stock() {
  const { t, i18n } = useTranslation()
  const stock = useCall('stock.list', {}, ['stock'])
  if ((stock.data ?? []).length === 0) return <p className="muted">{t('consolidation.noStock')}</p>
  return (
    <table className="lines">
      <thead>
        <tr>
          <th scope="col">{t('orders.sku')}</th>
          <th scope="col">{t('orders.product')}</th>
          <th scope="col" className="num">{t('consolidation.units')}</th>
          <th scope="col">{t('consolidation.origin')}</th>
        </tr>
      </thead>
      <tbody>
        {(stock.data ?? []).map((s) => (
          <tr key={s.productId}>
            <td className="nowrap">{s.sku}</td>
            <td>{productName(s, i18n.language)}</td>
            <td className="num">{s.units}</td>
            <td>{s.origins.map((o) => `${o.roundName ?? ''}: ${o.units}`).join(', ')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

/** The lines of one product (fetched when the product is opened), with the override controls. */
function ProductLines(props: {
  roundId: string
  stage: (typeof STAGES)[number]
  productId: string
  onEdit: (l: Line) => void
  onRun: (fn: () => Promise<string | null>) => Promise<void>
}) {
  const { t } = useTranslation()
  const lines = useCall('consolidation.lines', { roundId: props.roundId, stage: props.stage, productId: props.productId }, ['consolidation', 'orders', 'purchaseOrders'])
  return (
    <>
      {(lines.data ?? []).map((l) => (
        <tr key={l.lineId} className="detail">
          <td />
          <td>{l.subBuyerName ? `${l.buyerName} · ${l.subBuyerName}` : l.buyerName}</td>
          <td className="num">{l.quantity}</td>
          <td className="num">{l.tolerance}</td>
          <td colSpan={2} className="num">
            {l.override ? t('consolidation.overridden', { computed: l.computed, granted: l.granted, reason: l.override.reason }) : l.computed}
          </td>
          <td colSpan={3}>
            <button type="button" onClick={() => props.onEdit(l)}>
              {t('consolidation.override')}
            </button>{' '}
            {l.override ? (
              <button type="button" onClick={() => void props.onRun(async () => (await call('consolidation.clearOverride', { lineId: l.lineId }), null))}>
                {t('consolidation.clearOverride')}
              </button>
            ) : null}
          </td>
        </tr>
      ))}
    </>
  )
}

function Policy(props: { roundId: string; cut: 'first_come' | 'pro_rata'; policy: (typeof POLICIES)[number]; onError: (e: unknown) => void }) {
  const { roundId, cut, onError } = props
  const { t } = useTranslation()
  const [policy, setPolicy] = useState<(typeof POLICIES)[number]>(props.policy)
  const [strategy, setStrategy] = useState(cut)
  async function save(p: (typeof POLICIES)[number], s: 'first_come' | 'pro_rata') {
    try {
      await call('consolidation.setPolicy', { roundId, roundingPolicy: p, cutStrategy: s })
    } catch (e) {
      onError(e)
    }
  }
  return (
    <>
      <div className="field">
        <label htmlFor="cons-policy">{t('consolidation.policy')}</label>
        <select
          id="cons-policy"
          value={policy}
          onChange={(e) => {
            const p = e.target.value as (typeof POLICIES)[number]
            setPolicy(p)
            void save(p, strategy)
          }}
        >
          {POLICIES.map((p) => (
            <option key={p} value={p}>
              {t(`consolidation.policies.${p}`)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="cons-cut">{t('consolidation.cutStrategy')}</label>
        <select
          id="cons-cut"
          value={strategy}
          onChange={(e) => {
            const s = e.target.value as 'first_come' | 'pro_rata'
            setStrategy(s)
            void save(policy, s)
          }}
        >
          <option value="first_come">{t('consolidation.cuts.first_come')}</option>
          <option value="pro_rata">{t('consolidation.cuts.pro_rata')}</option>
        </select>
      </div>
    </>
  )
}
