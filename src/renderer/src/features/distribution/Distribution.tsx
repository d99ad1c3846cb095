import { useEffect, useId, useLayoutEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { Output } from '../../../../shared/api.ts'
import { checkQuantity } from '../../../../shared/quantity.ts'
import { ApiError, call } from '../../ui/api.ts'
import { ConfirmDialog, ErrorMessage, PageTitle, Status } from '../../ui/components.tsx'
import { useData } from '../../ui/data.ts'
import { downloadFile } from '../../ui/download.ts'
import { formatMoney, formatNumber, formatSteps, stepsText } from '../../ui/format.ts'
import { href, type Route } from '../../ui/route.ts'
import { RoundField, useRoundChoice } from '../rounds/roundChoice.tsx'

type Checklist = Output<'distribution.checklist'>
type Line = Checklist['buyers'][number]['lines'][number]
type Proposal = Output<'distribution.proposals'>[number]
type Field = 'counted' | 'missing' | 'damaged' | 'note'

/**
 * Distribution day (`#/distribution?round=…`): the tick list at the hub, buyer by buyer — a big tick box
 * per line (space ticks it), the count taken, units missing or damaged and a note. Every change is saved
 * at once in the workspace on this computer (a tick at once, a typed value when the field is left or
 * after a short pause), so the list works offline and survives a reload. Below: the printed pick lists,
 * and the credit notes the missing and damaged units propose for invoices already issued.
 */
export function Distribution({ route }: { route: Route }) {
  const { t } = useTranslation()
  const id = useId()
  const rounds = useRoundChoice(['received', 'invoiced', 'closed', 'ordered'], route.query.get('round') ?? '')
  const roundId = rounds.roundId
  const [buyerId, setBuyerId] = useState('')
  const list = useData('distribution.checklist', roundId ? { roundId } : null, ['distribution', 'orders', 'consolidation', 'shipments', 'rounds', 'buyers', 'products'])
  const [error, setError] = useState<unknown>(null)
  const [saved, setSaved] = useState(false)
  const buyers = list.data?.buyers ?? []
  const shown = buyerId ? buyers.filter((b) => b.buyerId === buyerId) : buyers
  const locked = list.data?.locked ?? false

  async function printPickLists() {
    setError(null)
    try {
      downloadFile(await call('distribution.pickListPdf', { roundId, ...(buyerId ? { buyerId } : {}) }))
    } catch (e) {
      setError(e)
    }
  }

  return (
    <section className="distribution-page">
      <PageTitle>{t('distribution.title')}</PageTitle>
      <p>{t('distribution.intro')}</p>
      <div className="toolbar">
        <RoundField
          label={t('distribution.round')}
          rows={rounds.rows}
          value={roundId}
          onChange={(v) => {
            rounds.setRoundId(v)
            setBuyerId('')
          }}
        />
        <div className="field">
          <label htmlFor={`${id}-buyer`}>{t('distribution.buyer')}</label>
          <select id={`${id}-buyer`} value={buyerId} onChange={(e) => setBuyerId(e.target.value)}>
            <option value="">{t('distribution.allBuyers')}</option>
            {buyers.map((b) => (
              <option key={b.buyerId} value={b.buyerId}>
                {b.name}
              </option>
            ))}
          </select>
        </div>
        <span className="spring" />
        <button type="button" disabled={!roundId || buyers.length === 0} onClick={() => void printPickLists()}>
          {t('distribution.printPickLists')}
        </button>
      </div>
      <p className="hint">{t('distribution.draftHint')}</p>
      <ErrorMessage error={error ?? rounds.error ?? list.error} />
      {locked ? <p className="message warning">{t('distribution.locked')}</p> : null}
      <p className="visually-hidden" role="status" aria-live="polite">
        {saved ? t('distribution.saved') : ''}
      </p>
      {list.data && buyers.length === 0 ? <p className="muted">{t('distribution.none')}</p> : null}
      {shown.map((b) => (
        <section key={b.buyerId} className="tick-buyer" aria-labelledby={`${id}-${b.buyerId}`}>
          <h2 id={`${id}-${b.buyerId}`}>
            {b.name} <span className={`progress${b.ticked === b.lines.length ? ' done' : ''}`}>{t('distribution.progress', { ticked: b.ticked, total: b.lines.length })}</span>
          </h2>
          <div className="table-wrap">
            <table className="lines tick-list">
              <caption className="visually-hidden">{t('distribution.caption', { buyer: b.name })}</caption>
              <colgroup>
                <col className="c-tick" />
                <col />
                <col className="c-qty" />
                <col className="c-count" />
                <col className="c-count" />
                <col className="c-damaged" />
                <col className="c-note" />
              </colgroup>
              <thead>
                <tr>
                  <th scope="col" className="tick">
                    {t('distribution.ticked')}
                  </th>
                  <th scope="col">{t('distribution.product')}</th>
                  <th scope="col" className="num">
                    {t('distribution.quantity')}
                  </th>
                  <th scope="col" className="num">
                    {t('distribution.counted')}
                  </th>
                  <th scope="col" className="num">
                    {t('distribution.missing')}
                  </th>
                  <th scope="col" className="num">
                    {t('distribution.damaged')}
                  </th>
                  <th scope="col">{t('distribution.note')}</th>
                </tr>
              </thead>
              <tbody>
                {b.lines.map((l) => (
                  <CheckRow key={l.lineId} line={l} buyer={b.name} locked={locked} onSaved={() => setSaved(true)} />
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ))}
      {roundId ? <Proposals roundId={roundId} locked={locked} /> : null}
    </section>
  )
}

/** The text a field shows for a saved value. */
function savedText(l: Line, field: Field, locale: string): string {
  if (field === 'note') return l.note ?? ''
  if (field === 'counted') return l.counted === null ? '' : stepsText(l.counted, l.stepMilli, locale)
  return l[field] ? stepsText(l[field], l.stepMilli, locale) : ''
}

/** One line of the tick list: its tick box and fields, each change saved at once. */
function CheckRow({ line, buyer, locked, onSaved }: { line: Line; buyer: string; locked: boolean; onSaved: () => void }) {
  const { t, i18n } = useTranslation()
  const locale = i18n.language
  const id = useId()
  const [drafts, setDrafts] = useState<Partial<Record<Field, string>>>({})
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({})
  const [error, setError] = useState<unknown>(null)
  const [ticked, setTicked] = useState<boolean | null>(null)
  // What a save sends: the latest values, also from a timer set before the last render.
  const latest = useRef({ drafts, line, ticked })
  useLayoutEffect(() => {
    latest.current = { drafts, line, ticked }
  })
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null)
  useEffect(() => () => (timer.current ? clearTimeout(timer.current) : undefined), [])
  // Saves go out one after the other, each with every field as typed: what was typed stays shown (and
  // sent) rather than the list's values, which may be older than the last save until the list reloads.
  const chain = useRef<Promise<void>>(Promise.resolve())
  // The last values saved: leaving a field unchanged sends nothing.
  const lastSent = useRef('')

  const product = `${line.sku} · ${line.name}`
  const text = (field: Field) => drafts[field] ?? savedText(line, field, locale)

  function save(tick?: boolean): Promise<void> {
    if (timer.current) clearTimeout(timer.current)
    timer.current = null
    const run = chain.current.then(() => send(tick))
    chain.current = run.catch(() => undefined)
    return run
  }

  async function send(tick?: boolean) {
    const { drafts: d, line: l, ticked: tk } = latest.current
    const value = (field: Field) => d[field] ?? savedText(l, field, locale)
    const problems: Partial<Record<Field, string>> = {}
    const steps = (field: 'counted' | 'missing' | 'damaged') => {
      const c = checkQuantity(value(field), l.salesUnit, l.stepMilli)
      if (c.ok) return c.value
      problems[field] = t(`fieldErrors.${c.code}`, ('params' in c ? c.params : {}) as Record<string, string>)
      return 0
    }
    const counted = value('counted').trim() === '' ? null : steps('counted')
    const missing = steps('missing')
    const damaged = steps('damaged')
    const note = value('note')
    if (value('note').length > 500) problems.note = t('fieldErrors.too_long', { max: 500 })
    setErrors(problems)
    if (Object.keys(problems).length) return
    const input = { lineId: l.lineId, ticked: tick ?? tk ?? l.ticked, counted, missing, damaged, note: note.trim() || null }
    const key = JSON.stringify(input)
    if (key === lastSent.current) return
    setError(null)
    try {
      await call('distribution.check', input)
      lastSent.current = key
      onSaved()
    } catch (e) {
      if (e instanceof ApiError && e.code === 'validation' && e.params.fields) {
        const fields = e.params.fields as Record<string, { code: string; params?: Record<string, string> }>
        const out: Partial<Record<Field, string>> = {}
        for (const [f, fe] of Object.entries(fields)) out[f as Field] = t(`fieldErrors.${fe.code}`, fe.params ?? {})
        setErrors(out)
      } else setError(e)
    }
  }

  function edit(field: Field, v: string) {
    setDrafts((d) => ({ ...d, [field]: v }))
    if (timer.current) clearTimeout(timer.current)
    timer.current = setTimeout(() => void save(), 800)
  }

  function leave(field: Field) {
    if (latest.current.drafts[field] !== undefined) void save()
  }

  const isTicked = ticked ?? line.ticked
  const field = (f: Field, label: string) => {
    const err = errors[f]
    return (
      <td className={f === 'note' ? 'note' : 'num'}>
        {f === 'note' ? (
          <input
            type="text"
            className="tick-note"
            aria-label={t('distribution.fieldLabel', { field: label, product, buyer })}
            value={text(f)}
            maxLength={500}
            disabled={locked}
            aria-invalid={err ? true : undefined}
            aria-describedby={err ? `${id}-${f}` : undefined}
            onChange={(e) => edit(f, e.target.value)}
            onBlur={() => leave(f)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') void save()
            }}
          />
        ) : (
          <input
            type="text"
            inputMode="decimal"
            className="qty"
            aria-label={t('distribution.fieldLabel', { field: label, product, buyer })}
            value={text(f)}
            disabled={locked}
            aria-invalid={err ? true : undefined}
            aria-describedby={err ? `${id}-${f}` : undefined}
            onChange={(e) => edit(f, e.target.value)}
            onBlur={() => leave(f)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') void save()
            }}
          />
        )}
        {err ? (
          <span id={`${id}-${f}`} className="cell-error" role="alert">
            {err}
          </span>
        ) : null}
      </td>
    )
  }

  return (
    <>
      <tr className={isTicked ? 'ticked' : undefined}>
        <td className="tick">
          <input
            type="checkbox"
            className="big-tick"
            checked={isTicked}
            disabled={locked}
            aria-label={t('distribution.tick', { product, buyer: line.subBuyer ?? buyer })}
            onChange={(e) => {
              setTicked(e.target.checked)
              void save(e.target.checked)
            }}
          />
        </td>
        <td>
          <span className="product">{product}</span>
          {line.subBuyer ? <small className="muted block">{t('distribution.for', { name: line.subBuyer })}</small> : null}
          {line.cartons.length ? <small className="muted block">{t('distribution.cartons', { marks: line.cartons.join(', ') })}</small> : null}
        </td>
        <td className="num nowrap">
          {formatSteps(line.steps, line.stepMilli, locale)} {line.unit}
        </td>
        {field('counted', t('distribution.counted'))}
        {field('missing', t('distribution.missing'))}
        {field('damaged', t('distribution.damaged'))}
        {field('note', t('distribution.note'))}
      </tr>
      {error ? (
        <tr className="detail">
          <td colSpan={7}>
            <ErrorMessage error={error} />
          </td>
        </tr>
      ) : null}
    </>
  )
}

/** The credit notes the missing and damaged units propose, each created after the confirmation that it cannot be undone. */
function Proposals({ roundId, locked }: { roundId: string; locked: boolean }) {
  const { t, i18n } = useTranslation()
  const lang = i18n.language
  const list = useData('distribution.proposals', { roundId }, ['distribution', 'invoices', 'orders', 'consolidation'])
  const [asking, setAsking] = useState<Proposal | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const [done, setDone] = useState<{ buyer: string; invoice: string; number: string; creditId: string; draftId: string } | null>(null)
  const rows = list.data ?? []
  const quantity = (milli: number, unit: string) => `${formatNumber(milli / 1000, lang, { maximumFractionDigits: 3 })} ${unit}`

  async function credit(p: Proposal) {
    setAsking(null)
    setBusy(true)
    setError(null)
    try {
      const r = await call('distribution.proposeCredit', { roundId, buyerId: p.buyerId })
      setDone({ buyer: p.buyerName, invoice: p.invoiceNumber, number: r.creditNote.number ?? '', creditId: r.creditNote.id, draftId: r.draftId })
    } catch (e) {
      setError(e)
    } finally {
      setBusy(false)
    }
  }

  return (
    <section className="proposals">
      <h2>{t('distribution.proposalsTitle')}</h2>
      <p className="hint">{t('distribution.proposalsIntro')}</p>
      <ErrorMessage error={error ?? list.error} />
      {done ? (
        <Status>
          {t('distribution.credited', { invoice: done.invoice, number: done.number })} <a href={href(['invoices', done.creditId])}>{t('distribution.openCredit')}</a> ·{' '}
          <a href={href(['invoices', done.draftId])}>{t('distribution.openDraft', { buyer: done.buyer })}</a>
        </Status>
      ) : null}
      {list.data && rows.length === 0 ? <p className="muted">{t('distribution.proposalsNone')}</p> : null}
      {rows.map((p) => {
        const m = (minor: number) => formatMoney(minor, p.currency, lang)
        return (
          <div key={p.invoiceId} className="proposal">
            <h3>{t('distribution.proposalFor', { buyer: p.buyerName, number: p.invoiceNumber })}</h3>
            <div className="table-wrap">
              <table className="lines">
                <caption className="visually-hidden">{t('distribution.proposalFor', { buyer: p.buyerName, number: p.invoiceNumber })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('distribution.product')}</th>
                    <th scope="col">{t('distribution.shortfall')}</th>
                    <th scope="col" className="num">
                      {t('distribution.credit')}
                    </th>
                    <th scope="col" className="num">
                      {t('distribution.unitPrice')}
                    </th>
                    <th scope="col" className="num">
                      {t('distribution.vatRate')}
                    </th>
                    <th scope="col" className="num">
                      {t('distribution.net')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {p.lines.map((l) => (
                    <tr key={l.productId}>
                      <td>{`${l.sku} · ${l.name}`}</td>
                      <td>
                        {[
                          l.missingMilli ? t('distribution.shortfallMissing', { quantity: quantity(l.missingMilli, l.unit) }) : '',
                          l.damagedMilli ? t('distribution.shortfallDamaged', { quantity: quantity(l.damagedMilli, l.unit) }) : ''
                        ]
                          .filter(Boolean)
                          .join(', ')}
                      </td>
                      <td className="num nowrap">{quantity(l.creditMilli, l.unit)}</td>
                      <td className="num nowrap">{m(l.unitPriceMinor)}</td>
                      <td className="num nowrap">{`${formatNumber(l.rateBp / 100, lang, { maximumFractionDigits: 2 })} %`}</td>
                      <td className="num nowrap">{m(l.netMinor)}</td>
                    </tr>
                  ))}
                </tbody>
                <tfoot>
                  <tr>
                    <th scope="row" colSpan={5}>
                      {t('distribution.net')}
                    </th>
                    <td className="num nowrap">{m(p.netMinor)}</td>
                  </tr>
                  <tr>
                    <th scope="row" colSpan={5}>
                      {t('distribution.vat')}
                    </th>
                    <td className="num nowrap">{m(p.vatMinor)}</td>
                  </tr>
                  <tr>
                    <th scope="row" colSpan={5}>
                      {t('distribution.gross')}
                    </th>
                    <td className="num nowrap">{m(p.grossMinor)}</td>
                  </tr>
                </tfoot>
              </table>
            </div>
            <div className="actions">
              <button type="button" className="danger" disabled={busy || locked} onClick={() => setAsking(p)}>
                {t('distribution.createCredit', { buyer: p.buyerName })}
              </button>
            </div>
          </div>
        )
      })}
      <ConfirmDialog
        open={asking !== null}
        title={t('invoices.creditConfirmTitle', { number: asking?.invoiceNumber ?? '' })}
        text={t('invoices.creditConfirm', { buyer: asking?.buyerName ?? '' })}
        confirmLabel={t('invoices.credit')}
        danger
        onCancel={() => setAsking(null)}
        onConfirm={() => asking && void credit(asking)}
      />
    </section>
  )
}
