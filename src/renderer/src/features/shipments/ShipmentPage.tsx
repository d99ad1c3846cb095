import { type FormEvent, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { checkQuantity } from '../../../../shared/quantity.ts'
import { INCOTERMS, SHIPMENT_MODES, SHIPMENT_STATUSES, type ShipmentMode, type ShipmentStatus } from '../../../../shared/vocabulary.ts'
import { call } from '../../ui/api.ts'
import { ConfirmDialog, ErrorMessage, PageTitle, Status } from '../../ui/components.tsx'
import { Check, CodeOptions, CountryOptions, DateField, FormMessages, SelectField, TextField, useEditor } from '../../ui/form.tsx'
import { useData } from '../../ui/data.ts'
import { formatDay, formatSteps, productName, stepsText } from '../../ui/format.ts'
import { href } from '../../ui/route.ts'
import { fieldErrorText, useQuantityText } from '../orders/receivedTime.tsx'
import { CostLines } from './CostLines.tsx'
import { LandedCost } from './LandedCost.tsx'
import { Packages } from './Packages.tsx'
import { quantityWithUnit, type Shipment } from './shipment.ts'
import { ShipmentPapers } from './ShipmentPapers.tsx'


/**
 * One shipment: its header (transport, Incoterm, dates, marks), the papers, the status timeline, the
 * lines it carries, its packages, its cost lines and the landed cost with its chart.
 */
export function ShipmentPage({ id }: { id: string }) {
  const { t } = useTranslation()
  const shipment = useData('shipments.get', { id }, ['shipments'])
  const s = shipment.data
  return (
    <section className="shipment-page">
      <p className="back">
        <a href={href(['shipments'], { round: s?.roundId })}>{t('shipments.back')}</a>
      </p>
      <div className="page-head">
        <PageTitle>{s ? t('shipments.pageTitle', { number: s.number, exporter: s.exporterName }) : t('shipments.title')}</PageTitle>
        {s ? <span className="badge">{t(`shipmentStatus.${s.status}`)}</span> : null}
      </div>
      <ErrorMessage error={shipment.error} />
      {s ? (
        <>
          <p className="muted">{t('shipments.roundLine', { round: s.roundName, mode: t(`shipmentMode.${s.mode}`) })}</p>
          <ShipmentPapers shipmentId={s.id} />
          <Header shipment={s} />
          <Timeline shipment={s} />
          <Lines shipment={s} />
          <Packages shipment={s} />
          <CostLines shipment={s} />
          <LandedCost shipment={s} />
        </>
      ) : null}
    </section>
  )
}

interface HeaderForm {
  mode: ShipmentMode
  incoterm: string
  incotermPlace: string
  portLoading: string
  portDischarge: string
  forwarder: string
  transportDocument: string
  container: string
  seal: string
  plannedDeparture: string
  plannedArrival: string
  customsRateOn: string
  marks: string
  originStatement: boolean
  destinationCountry: string
  notes: string
}

function headerForm(s: Shipment): HeaderForm {
  return {
    mode: s.mode,
    incoterm: s.incoterm,
    incotermPlace: s.incotermPlace ?? '',
    portLoading: s.portLoading ?? '',
    portDischarge: s.portDischarge ?? '',
    forwarder: s.forwarder ?? '',
    transportDocument: s.transportDocument ?? '',
    container: s.container ?? '',
    seal: s.seal ?? '',
    plannedDeparture: s.plannedDeparture ?? '',
    plannedArrival: s.plannedArrival ?? '',
    customsRateOn: s.customsRateOn ?? '',
    marks: s.marks,
    originStatement: s.originStatement,
    destinationCountry: s.destinationCountry ?? '',
    notes: s.notes ?? ''
  }
}

/** The shipment's header: transport, Incoterm and place, ports, documents, planned days, marks. */
function Header({ shipment }: { shipment: Shipment }) {
  const { t } = useTranslation()
  const formRef = useRef<HTMLFormElement>(null)
  const ed = useEditor<HeaderForm>(headerForm(shipment), formRef)
  const form = ed.form!
  const text = (k: keyof HeaderForm & string, hint?: string) => (
    <TextField name={k} label={t(`shipments.${k}`)} hint={hint} value={String(form[k])} error={ed.fieldError(k)} onChange={(v) => ed.update({ [k]: v })} />
  )
  const day = (k: 'plannedDeparture' | 'plannedArrival' | 'customsRateOn', hint?: string) => (
    <DateField name={k} label={t(`shipments.${k}`)} note={hint} value={form[k]} error={ed.fieldError(k)} onChange={(v) => ed.update({ [k]: v })} />
  )
  function submit(e: FormEvent) {
    e.preventDefault()
    void ed.run(
      () =>
        call('shipments.update', {
          id: shipment.id,
          mode: form.mode,
          incoterm: form.incoterm as never,
          incotermPlace: form.incotermPlace,
          portLoading: form.portLoading,
          portDischarge: form.portDischarge,
          forwarder: form.forwarder,
          transportDocument: form.transportDocument,
          container: form.container,
          seal: form.seal,
          plannedDeparture: form.plannedDeparture || null,
          plannedArrival: form.plannedArrival || null,
          customsRateOn: form.customsRateOn || null,
          marks: form.marks,
          originStatement: form.originStatement,
          destinationCountry: (form.destinationCountry || null) as never,
          notes: form.notes
        }),
      () => {
        ed.reset()
        ed.setStatus(t('record.saved'))
      }
    )
  }
  return (
    <form ref={formRef} className="form" onSubmit={submit} noValidate aria-labelledby="shipment-header">
      <h2 id="shipment-header">{t('shipments.header')}</h2>
      <FormMessages error={ed.error} fieldErrors={ed.fieldErrors} status={ed.status} />
      <fieldset>
        <legend>{t('shipments.transport')}</legend>
        <div className="row">
          <SelectField name="mode" label={t('shipments.mode')} value={form.mode} error={ed.fieldError('mode')} onChange={(v) => ed.update({ mode: v as ShipmentMode })}>
            <CodeOptions codes={SHIPMENT_MODES} texts="shipmentMode" />
          </SelectField>
          {text('forwarder')}
        </div>
        <div className="row">
          <SelectField name="incoterm" label={t('shipments.incoterm')} value={form.incoterm} error={ed.fieldError('incoterm')} onChange={(v) => ed.update({ incoterm: v })}>
            {INCOTERMS.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </SelectField>
          {text('incotermPlace', t('shipments.incotermPlaceHint'))}
        </div>
        <div className="row">
          {text('portLoading')}
          {text('portDischarge')}
        </div>
        <div className="row">
          {text('transportDocument')}
          {text('container')}
          {text('seal')}
        </div>
        <div className="row">
          {day('plannedDeparture')}
          {day('plannedArrival')}
        </div>
      </fieldset>
      <fieldset>
        <legend>{t('shipments.customs')}</legend>
        <div className="row">
          {day('customsRateOn', t('shipments.customsRateOnHint'))}
          <SelectField
            name="destinationCountry"
            label={t('shipments.destinationCountry')}
            hint={t('shipments.destinationCountryHint')}
            value={form.destinationCountry}
            error={ed.fieldError('destinationCountry')}
            onChange={(v) => ed.update({ destinationCountry: v })}
          >
            <CountryOptions empty={t('shipments.organisationCountry')} />
          </SelectField>
        </div>
        <div className="row">{text('marks', t('shipments.marksHint'))}</div>
        <Check name="originStatement" label={t('shipments.originStatement')} checked={form.originStatement} error={ed.fieldError('originStatement')} onChange={(v) => ed.update({ originStatement: v })} />
        <TextField name="notes" label={t('shipments.notes')} rows={3} value={form.notes} error={ed.fieldError('notes')} onChange={(v) => ed.update({ notes: v })} />
      </fieldset>
      <div className="actions">
        <button type="submit" className="primary" disabled={ed.busy}>
          {ed.busy ? t('record.saving') : t('shipments.saveHeader')}
        </button>
        {ed.dirty ? <span className="muted">{t('record.unsaved')}</span> : null}
      </div>
    </form>
  )
}

/** Today in this computer's calendar, as YYYY-MM-DD. */
function today(): string {
  const d = new Date()
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
}

/** The status timeline: every event with its day and note, and a move to a status (back only after asking). */
function Timeline({ shipment }: { shipment: Shipment }) {
  const { t, i18n } = useTranslation()
  const lang = i18n.language
  const formRef = useRef<HTMLFormElement>(null)
  const next = SHIPMENT_STATUSES[Math.min(SHIPMENT_STATUSES.indexOf(shipment.status) + 1, SHIPMENT_STATUSES.length - 1)]!
  const ed = useEditor<{ status: ShipmentStatus; onDay: string; note: string }>({ status: next, onDay: today(), note: '' }, formRef)
  const form = ed.form!
  const [confirmBack, setConfirmBack] = useState(false)
  const back = SHIPMENT_STATUSES.indexOf(form.status) < SHIPMENT_STATUSES.indexOf(shipment.status)

  function move() {
    void ed.run(
      () => call('shipments.setStatus', { id: shipment.id, status: form.status, onDay: form.onDay, note: form.note }),
      (s) => {
        const after = SHIPMENT_STATUSES[Math.min(SHIPMENT_STATUSES.indexOf(s.status) + 1, SHIPMENT_STATUSES.length - 1)]!
        ed.update({ status: after, note: '' })
        ed.setStatus(t('shipments.moved', { status: t(`shipmentStatus.${s.status}`) }))
      }
    )
  }

  return (
    <section aria-labelledby="shipment-timeline">
      <h2 id="shipment-timeline">{t('shipments.timeline')}</h2>
      <ol className="timeline">
        {shipment.events.map((e, i) => (
          <li key={i} className={i === shipment.events.length - 1 ? 'current' : undefined}>
            <span className="when">{formatDay(e.onDay, lang)}</span> <strong>{t(`shipmentStatus.${e.status}`)}</strong>
            {e.note ? <span className="note"> – {e.note}</span> : null}
          </li>
        ))}
      </ol>
      <form
        ref={formRef}
        className="form timeline-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault()
          if (back) setConfirmBack(true)
          else move()
        }}
      >
        <FormMessages error={ed.error} fieldErrors={ed.fieldErrors} status={ed.status} />
        <div className="timeline-fields">
          <SelectField name="status" label={t('shipments.moveTo')} value={form.status} error={ed.fieldError('status')} onChange={(v) => ed.update({ status: v as ShipmentStatus })}>
            <CodeOptions codes={SHIPMENT_STATUSES} texts="shipmentStatus" />
          </SelectField>
          <DateField name="onDay" label={t('shipments.onDay')} value={form.onDay} error={ed.fieldError('onDay')} onChange={(onDay) => ed.update({ onDay })} />
          <TextField name="note" label={t('shipments.eventNote')} value={form.note} error={ed.fieldError('note')} onChange={(note) => ed.update({ note })} />
        </div>
        <div className="actions">
          <button type="submit" className="primary" disabled={ed.busy}>
            {t('shipments.record', { status: t(`shipmentStatus.${form.status}`) })}
          </button>
        </div>
      </form>
      <ConfirmDialog
        open={confirmBack}
        title={t('shipments.backTitle')}
        text={t('shipments.backConfirm', { from: t(`shipmentStatus.${shipment.status}`), to: t(`shipmentStatus.${form.status}`) })}
        confirmLabel={t('shipments.record', { status: t(`shipmentStatus.${form.status}`) })}
        onCancel={() => setConfirmBack(false)}
        onConfirm={() => {
          setConfirmBack(false)
          move()
        }}
      />
    </section>
  )
}

/** The lines the shipment carries: shipped quantities typed in the product's unit, sent as its steps. */
function Lines({ shipment }: { shipment: Shipment }) {
  const { t, i18n } = useTranslation()
  const lang = i18n.language
  const quantityText = useQuantityText()
  const [values, setValues] = useState<Record<string, string>>({})
  const [problem, setProblem] = useState<string | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [status, setStatus] = useState<string | null>(null)
  const [removing, setRemoving] = useState<{ lines: { lineId: string; units: number }[]; skus: string[] } | null>(null)
  type Line = Shipment['lines'][number]
  const value = (l: Line) => values[l.id] ?? stepsText(l.units, l.stepMilli, lang)

  async function save(lines: { lineId: string; units: number }[]) {
    setError(null)
    setStatus(null)
    try {
      await call('shipments.setLines', { id: shipment.id, lines })
      setValues({})
      setStatus(t('shipments.linesSaved'))
    } catch (e) {
      const field = fieldErrorText(t, e)
      const m = field ? /^lines\.(\d+)\./.exec(field.path) : null
      const line = m ? shipment.lines.find((l) => l.id === lines[Number(m[1])]?.lineId) : undefined
      if (field && line) setProblem(`${line.sku}: ${field.text}`)
      else setError(e)
    }
  }

  function submit(e: FormEvent) {
    e.preventDefault()
    const lines: { lineId: string; units: number }[] = []
    for (const [lineId, v] of Object.entries(values)) {
      const line = shipment.lines.find((l) => l.id === lineId)
      if (!line) continue
      const check = checkQuantity(v, line.salesUnit, line.stepMilli)
      if (!check.ok) {
        setProblem(`${line.sku}: ${quantityText(check)}`)
        return
      }
      if (check.value !== line.units) lines.push({ lineId, units: check.value })
    }
    setProblem(null)
    if (!lines.length) return
    const zero = lines.filter((l) => l.units === 0)
    if (zero.length) setRemoving({ lines, skus: zero.map((z) => shipment.lines.find((l) => l.id === z.lineId)!.sku) })
    else void save(lines)
  }

  return (
    <form className="form lines-form" onSubmit={submit} noValidate aria-labelledby="shipment-lines">
      <h2 id="shipment-lines">{t('shipments.lines')}</h2>
      <p className="muted">{t('shipments.linesIntro')}</p>
      <ErrorMessage error={error} />
      {status ? <Status>{status}</Status> : null}
      <div className="table-wrap">
        <table className="lines">
          <thead>
            <tr>
              <th scope="col">{t('orders.sku')}</th>
              <th scope="col">{t('orders.product')}</th>
              <th scope="col">{t('shipments.order')}</th>
              <th scope="col" className="num">{t('shipments.available')}</th>
              <th scope="col">{t('shipments.shipped')}</th>
            </tr>
          </thead>
          <tbody>
            {shipment.lines.map((l) => (
              <tr key={l.id}>
                <td className="nowrap">{l.sku}</td>
                <td>{productName(l, lang)}</td>
                <td className="nowrap">{l.purchaseOrderNumber}</td>
                <td className="num nowrap">{quantityWithUnit(formatSteps(l.availableUnits, l.stepMilli, lang), l.salesUnit, t(`units.${l.salesUnit}`))}</td>
                <td className="nowrap">
                  <input
                    className="qty"
                    inputMode={l.stepMilli === 1000 ? 'numeric' : 'decimal'}
                    aria-label={t('shipments.shippedOf', { sku: l.sku })}
                    value={value(l)}
                    onChange={(e) => setValues({ ...values, [l.id]: e.target.value })}
                  />{' '}
                  {t(`units.${l.salesUnit}`)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {problem ? (
        <p className="field-error" role="alert">
          {problem}
        </p>
      ) : null}
      <div className="actions">
        <button type="submit" className="primary" disabled={!Object.keys(values).length}>
          {t('shipments.saveLines')}
        </button>
      </div>
      <ConfirmDialog
        open={removing !== null}
        title={t('shipments.removeLinesTitle')}
        text={removing ? t('shipments.removeLinesConfirm', { skus: removing.skus.join(', '), count: removing.skus.length }) : ''}
        confirmLabel={t('shipments.removeLines')}
        danger
        onCancel={() => setRemoving(null)}
        onConfirm={() => {
          const r = removing
          setRemoving(null)
          if (r) void save(r.lines)
        }}
      />
    </form>
  )
}
