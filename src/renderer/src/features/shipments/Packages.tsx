import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { Output } from '../../../../shared/api.ts'
import { PACKAGE_KINDS } from '../../../../shared/vocabulary.ts'
import { call } from '../../ui/api.ts'
import { ConfirmDialog, ErrorMessage, Status } from '../../ui/components.tsx'
import { Field } from '../../ui/form.tsx'
import { useData } from '../../ui/data.ts'
import { decimalText, formatNumber } from '../../ui/format.ts'
import { quantityWithUnit, type Shipment } from './shipment.ts'

type Package = Output<'shipments.packages'>['packages'][number]
type Totals = Output<'shipments.packages'>['totals']

/**
 * The shipment's packages: generated from the shipped cases (again only after asking, since edits are
 * lost), each with its marks, kind, contents, weights and dimensions (editable), cartons put on a pallet
 * and pallets removed; the totals and the chargeable quantity of the mode, and what is missing.
 */
export function Packages({ shipment }: { shipment: Shipment }) {
  const { t, i18n } = useTranslation()
  const lang = i18n.language
  const data = useData('shipments.packages', { shipmentId: shipment.id }, ['shipments'])
  const [error, setError] = useState<unknown>(null)
  const [status, setStatus] = useState<string | null>(null)
  const [confirmGenerate, setConfirmGenerate] = useState(false)
  const [selected, setSelected] = useState<Set<string>>(new Set())
  const [editing, setEditing] = useState<string | null>(null)
  const [removing, setRemoving] = useState<Package | null>(null)
  const packages = data.data?.packages ?? []
  const loose = packages.filter((p) => p.kind !== 'PX' && p.palletId === null)
  const marksOf = new Map(packages.map((p) => [p.id, p.marks]))
  const skuUnit = (sku: string) => shipment.lines.find((l) => l.sku === sku)

  async function run(fn: () => Promise<string>) {
    setError(null)
    setStatus(null)
    try {
      setStatus(await fn())
    } catch (e) {
      setError(e)
    }
  }

  const generate = () =>
    void run(async () => {
      const made = await call('shipments.generatePackages', { shipmentId: shipment.id })
      setSelected(new Set())
      setEditing(null)
      return t('shipments.packagesGenerated', { count: made.length })
    })

  const kg = (g: number | null) => (g === null ? '' : formatNumber(g / 1000, lang, { maximumFractionDigits: 3 }))
  const m3 = (cm3: number | null) => (cm3 === null ? '' : formatNumber(cm3 / 1_000_000, lang, { minimumFractionDigits: 3, maximumFractionDigits: 3 }))
  const cm = (mm: number | null) => (mm === null ? '–' : formatNumber(mm / 10, lang, { maximumFractionDigits: 1 }))
  const contents = (p: Package) =>
    p.kind === 'PX'
      ? t('shipments.palletHolds', { count: packages.filter((c) => c.palletId === p.id).length })
      : p.lines
          .map((l) => {
            const line = skuUnit(l.sku)
            const unit = line?.salesUnit ?? l.salesUnit
            return `${l.sku}: ${quantityWithUnit(formatNumber(l.quantityMilli / 1000, lang, { maximumFractionDigits: 3 }), unit, t(`units.${unit}`))}`
          })
          .join(', ')

  return (
    <section aria-labelledby="shipment-packages">
      <h2 id="shipment-packages">{t('shipments.packages')}</h2>
      <ErrorMessage error={error ?? data.error} />
      {status ? <Status>{status}</Status> : null}
      {data.data ? <PackageTotals totals={data.data.totals} /> : null}
      <div className="actions">
        <button type="button" onClick={() => (packages.length ? setConfirmGenerate(true) : generate())}>
          {packages.length ? t('shipments.regeneratePackages') : t('shipments.generatePackages')}
        </button>
      </div>
      {packages.length ? (
        <>
          <div className="table-wrap packages-wrap">
            <table className="lines packages">
              <caption className="visually-hidden">{t('shipments.packages')}</caption>
              <thead>
                <tr>
                  <th scope="col">
                    <input
                      type="checkbox"
                      aria-label={t('shipments.selectAllLoose')}
                      checked={loose.length > 0 && loose.every((p) => selected.has(p.id))}
                      onChange={(e) => setSelected(e.target.checked ? new Set(loose.map((p) => p.id)) : new Set())}
                    />
                  </th>
                  <th scope="col">{t('shipments.marks')}</th>
                  <th scope="col">{t('shipments.kind')}</th>
                  <th scope="col">{t('shipments.contents')}</th>
                  <th scope="col" className="num">{t('shipments.netKg')}</th>
                  <th scope="col" className="num">{t('shipments.grossKg')}</th>
                  <th scope="col" className="num">{t('shipments.dimensionsCm')}</th>
                  <th scope="col" className="num">{t('shipments.volumeM3')}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t('reference.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {packages.map((p) =>
                  editing === p.id ? (
                    <PackageEditor key={p.id} pkg={p} onDone={(msg) => {
                      setEditing(null)
                      if (msg) setStatus(msg)
                    }} />
                  ) : (
                    <tr key={p.id} className={p.kind === 'PX' ? 'pallet' : p.palletId ? 'on-pallet' : undefined}>
                      <td>
                        {p.kind !== 'PX' && p.palletId === null ? (
                          <input
                            type="checkbox"
                            aria-label={t('shipments.selectPackage', { marks: p.marks })}
                            checked={selected.has(p.id)}
                            onChange={(e) => {
                              const next = new Set(selected)
                              if (e.target.checked) next.add(p.id)
                              else next.delete(p.id)
                              setSelected(next)
                            }}
                          />
                        ) : null}
                      </td>
                      <td className="nowrap">
                        {p.marks}
                        {p.palletId ? <span className="muted small-note">{t('shipments.onPallet', { marks: marksOf.get(p.palletId) ?? '' })}</span> : null}
                      </td>
                      <td>{t(`packageKind.${p.kind}`)}</td>
                      <td>{contents(p)}</td>
                      <td className="num">{kg(p.netG)}</td>
                      <td className="num">{p.grossG === null ? <span className="missing">{t('shipments.missing')}</span> : kg(p.grossG)}</td>
                      <td className="num nowrap">{p.lengthMm === null && p.widthMm === null && p.heightMm === null ? '' : `${cm(p.lengthMm)} × ${cm(p.widthMm)} × ${cm(p.heightMm)}`}</td>
                      <td className="num">{p.volumeCm3 === null ? <span className="missing">{t('shipments.missing')}</span> : m3(p.volumeCm3)}</td>
                      <td className="row-actions">
                        <button type="button" aria-label={t('shipments.editPackage', { marks: p.marks })} onClick={() => setEditing(p.id)}>
                          {t('reference.edit')}
                        </button>
                        {p.kind === 'PX' ? (
                          <button type="button" className="danger" aria-label={t('shipments.removePalletOf', { marks: p.marks })} onClick={() => setRemoving(p)}>
                            {t('shipments.removePallet')}
                          </button>
                        ) : null}
                      </td>
                    </tr>
                  )
                )}
              </tbody>
            </table>
          </div>
          <PalletForm
            shipmentId={shipment.id}
            selected={[...selected].filter((id) => loose.some((p) => p.id === id))}
            onDone={(msg) => {
              setSelected(new Set())
              setStatus(msg)
            }}
            onError={setError}
          />
        </>
      ) : (
        <p className="muted">{t('shipments.noPackages')}</p>
      )}
      <ConfirmDialog
        open={confirmGenerate}
        title={t('shipments.regenerateTitle')}
        text={t('shipments.regenerateConfirm', { count: packages.length })}
        confirmLabel={t('shipments.regeneratePackages')}
        danger
        onCancel={() => setConfirmGenerate(false)}
        onConfirm={() => {
          setConfirmGenerate(false)
          generate()
        }}
      />
      <ConfirmDialog
        open={removing !== null}
        title={t('shipments.removePallet')}
        text={removing ? t('shipments.removePalletConfirm', { marks: removing.marks }) : ''}
        confirmLabel={t('shipments.removePallet')}
        danger
        onCancel={() => setRemoving(null)}
        onConfirm={() => {
          const p = removing
          setRemoving(null)
          if (p)
            void run(async () => {
              await call('shipments.removePallet', { id: p.id })
              return t('shipments.palletRemoved', { marks: p.marks })
            })
        }}
      />
    </section>
  )
}

/** The totals and the chargeable quantity of the mode; products without weight or volume are named. */
function PackageTotals({ totals }: { totals: Totals }) {
  const { t, i18n } = useTranslation()
  const lang = i18n.language
  const n = (v: number, digits: number) => formatNumber(v, lang, { minimumFractionDigits: digits, maximumFractionDigits: digits })
  const items: [string, string][] = [
    [t('shipments.totalPackages'), String(totals.packages)],
    [t('shipments.totalCartons'), String(totals.cartons)],
    [t('shipments.totalPallets'), String(totals.pallets)],
    [t('shipments.netKg'), n(totals.netG / 1000, 1)],
    [t('shipments.grossKg'), n(totals.grossG / 1000, 1)],
    [t('shipments.cartonM3'), n(totals.cartonCm3 / 1_000_000, 3)],
    [t('shipments.palletM3'), n(totals.palletCm3 / 1_000_000, 3)],
    [
      t('shipments.chargeable'),
      totals.chargeableUnit === 'wm' ? t('shipments.chargeableWm', { value: n(totals.chargeableMilli / 1000, 3) }) : t('shipments.chargeableKg', { value: n(totals.chargeableMilli / 1000, 1) })
    ]
  ]
  return (
    <>
      <dl className="totals">
        {items.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <p className="muted">{t(totals.chargeableUnit === 'wm' ? 'shipments.chargeableWmHint' : 'shipments.chargeableKgHint')}</p>
      {totals.missingWeight.length ? (
        <p className="message error" role="alert">
          {t('shipments.missingWeight', { skus: totals.missingWeight.join(', '), count: totals.missingWeight.length })}
        </p>
      ) : null}
      {totals.missingVolume.length ? (
        <p className="message error" role="alert">
          {t('shipments.missingVolume', { skus: totals.missingVolume.join(', '), count: totals.missingVolume.length })}
        </p>
      ) : null}
    </>
  )
}

/** A package's row as a small form: kind, dimensions in cm and weight in kg, as typed. */
function PackageEditor({ pkg, onDone }: { pkg: Package; onDone: (message: string | null) => void }) {
  const { t, i18n } = useTranslation()
  const lang = i18n.language
  const [form, setForm] = useState({
    kind: pkg.kind as string,
    lengthCm: decimalText(pkg.lengthMm, 1, lang),
    widthCm: decimalText(pkg.widthMm, 1, lang),
    heightCm: decimalText(pkg.heightMm, 1, lang),
    grossKg: decimalText(pkg.grossG, 3, lang)
  })
  const [error, setError] = useState<unknown>(null)
  const [fields, setFields] = useState<Record<string, string>>({})
  async function save(e: FormEvent) {
    e.preventDefault()
    setError(null)
    try {
      await call('shipments.savePackage', { id: pkg.id, kind: form.kind as never, lengthCm: form.lengthCm, widthCm: form.widthCm, heightCm: form.heightCm, grossKg: form.grossKg })
      onDone(t('shipments.packageSaved', { marks: pkg.marks }))
    } catch (err) {
      const f = (err as { code?: string; params?: { fields?: Record<string, { code: string; params?: Record<string, unknown> }> } }).params?.fields
      if (f) setFields(Object.fromEntries(Object.entries(f).map(([k, v]) => [k, t(`fieldErrors.${v.code}`, v.params ?? {})])))
      else setError(err)
    }
  }
  const input = (k: 'lengthCm' | 'widthCm' | 'heightCm' | 'grossKg') => (
    <Field label={t(k === 'grossKg' ? 'shipments.grossKgInput' : `shipments.${k}`)} error={fields[k] ?? null}>
      {(ids) => <input {...ids} name={k} inputMode="decimal" autoComplete="off" value={form[k]} onChange={(e) => setForm({ ...form, [k]: e.target.value })} />}
    </Field>
  )
  return (
    <tr className="detail">
      <td colSpan={9}>
        <form className="form package-form" onSubmit={(e) => void save(e)} noValidate aria-label={t('shipments.editPackage', { marks: pkg.marks })}>
          <ErrorMessage error={error} />
          <div className="package-fields">
            <Field label={t('shipments.kind')} error={fields.kind ?? null}>
              {(ids) => (
                <select {...ids} name="kind" value={form.kind} onChange={(e) => setForm({ ...form, kind: e.target.value })}>
                  {PACKAGE_KINDS.filter((k) => (pkg.kind === 'PX') === (k === 'PX')).map((k) => (
                    <option key={k} value={k}>
                      {t(`packageKind.${k}`)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            {input('lengthCm')}
            {input('widthCm')}
            {input('heightCm')}
            {input('grossKg')}
          </div>
          <div className="actions">
            <button type="submit" className="primary">
              {t('record.save')}
            </button>
            <button type="button" onClick={() => onDone(null)}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      </td>
    </tr>
  )
}

/** Puts the chosen cartons on a new pallet with its dimensions and own weight (a Euro pallet by default). */
function PalletForm(props: { shipmentId: string; selected: string[]; onDone: (message: string) => void; onError: (e: unknown) => void }) {
  const { t, i18n } = useTranslation()
  const lang = i18n.language
  const [form, setForm] = useState({ lengthCm: '120', widthCm: '80', heightCm: '', tareKg: decimalText(25000, 3, lang) })
  const [fields, setFields] = useState<Record<string, string>>({})
  async function submit(e: FormEvent) {
    e.preventDefault()
    props.onError(null)
    try {
      const after = await call('shipments.addPallet', { shipmentId: props.shipmentId, packageIds: props.selected, ...form })
      setFields({})
      props.onDone(t('shipments.palletAdded', { marks: after.at(-1)?.marks ?? '', count: props.selected.length }))
    } catch (err) {
      const f = (err as { params?: { fields?: Record<string, { code: string; params?: Record<string, unknown> }> } }).params?.fields
      if (f) setFields(Object.fromEntries(Object.entries(f).map(([k, v]) => [k, t(`fieldErrors.${v.code}`, v.params ?? {})])))
      else props.onError(err)
    }
  }
  const input = (k: 'lengthCm' | 'widthCm' | 'heightCm' | 'tareKg') => (
    <Field label={t(`shipments.${k}`)} error={fields[k] ?? null}>
      {(ids) => <input {...ids} name={`pallet-${k}`} inputMode="decimal" autoComplete="off" value={form[k]} onChange={(e) => setForm({ ...form, [k]: e.target.value })} />}
    </Field>
  )
  return (
    <form className="form pallet-form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="pallet-form-title">
      <fieldset>
        <legend id="pallet-form-title">{t('shipments.palletTitle')}</legend>
        <p className="muted">{props.selected.length ? t('shipments.palletSelected', { count: props.selected.length }) : t('shipments.palletHint')}</p>
        <div className="package-fields">
          {input('lengthCm')}
          {input('widthCm')}
          {input('heightCm')}
          {input('tareKg')}
        </div>
        <div className="actions">
          <button type="submit" className="primary" disabled={!props.selected.length}>
            {props.selected.length ? t('shipments.putOnPallet', { count: props.selected.length }) : t('shipments.palletTitle')}
          </button>
        </div>
      </fieldset>
    </form>
  )
}
