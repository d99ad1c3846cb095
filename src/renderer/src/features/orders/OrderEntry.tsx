import { useId, useMemo, useRef, useState, type KeyboardEvent } from 'react'
import { flushSync } from 'react-dom'
import { useTranslation } from 'react-i18next'
import type { Output } from '../../../../shared/api.ts'
import { checkQuantity } from '../../../../shared/quantity.ts'
import { ApiError, call } from '../../ui/api.ts'
import { ErrorMessage, PageTitle } from '../../ui/components.tsx'
import { useData } from '../../ui/data.ts'
import { DateField } from '../../ui/form.tsx'
import { decimalText, formatDate, formatMoney, formatSteps, instantFromLocal, localFromInstant, productName, stepsText } from '../../ui/format.ts'
import { RoundSelect, useRoundChoice } from '../rounds/roundChoice.tsx'
import { type GridRow, gridRows, OrderGrid } from './OrderGrid.tsx'
import { OrderFiles } from './OrderFiles.tsx'
import { fieldErrorText, ReceivedInfo, useQuantityText } from './receivedTime.tsx'

type PriceRow = Output<'rounds.prices'>[number]

/**
 * Fast order entry for one buyer: type a SKU or part of a name, pick with the arrow keys, type the
 * quantity, Enter. Next to it the order as an editable grid (optionally with every product of the
 * round). Every change goes to the core's append-only quantity log, with the time the order was
 * received when it came on paper or by e-mail; totals and the units missing to fill each case across
 * the whole round update as you type.
 */
export function OrderEntry(props: { initialBuyer?: string; initialRound?: string }) {
  const { t, i18n } = useTranslation()
  const lang = i18n.language
  const rounds = useRoundChoice(['open'], props.initialRound)
  const round = rounds.roundId
  const buyers = useData('buyers.list', { limit: 1000, sort: 'name' }, ['buyers'])
  const [buyerId, setBuyerId] = useState<string>(props.initialBuyer ?? '')
  const [subBuyerId, setSubBuyerId] = useState<string>('')
  const buyer = buyerId || buyers.data?.rows[0]?.id || ''
  const prices = useData('rounds.prices', round ? { roundId: round } : null, ['prices', 'rounds'])
  const order = useData('orders.get', round && buyer ? { roundId: round, buyerId: buyer } : null, ['orders', 'prices'])
  const fill = useData('rounds.caseFill', round ? { roundId: round } : null, ['orders'])
  const buyerInfo = useData('buyers.get', buyer ? { id: buyer } : null, ['buyers'])
  const members = buyerInfo.data?.type === 'hub' ? buyerInfo.data.members : []

  const [query, setQuery] = useState('')
  const closing = useRef<ReturnType<typeof setTimeout> | undefined>(undefined)
  const [picked, setPicked] = useState<PriceRow | null>(null)
  const [active, setActive] = useState(0)
  const [open, setOpen] = useState(false)
  const [quantity, setQuantity] = useState('')
  const [tolerance, setTolerance] = useState('')
  const [error, setError] = useState<unknown>(null)
  const [fieldError, setFieldError] = useState<string | null>(null)
  // When the order reached the coordinator: now unless changed (then every entry on this page carries it).
  const [receivedSet, setReceivedSet] = useState(false)
  const [typedReceived, setReceived] = useState('')
  const [openedAt, setOpenedAt] = useState(() => new Date())
  // Until a time is typed the field shows when the page opened (the date field writes it in the UI language's form).
  const received = receivedSet ? typedReceived : localFromInstant(openedAt)
  const receivedInstant = receivedSet ? instantFromLocal(received) : null
  const [receivedError, setReceivedError] = useState<string | null>(null)
  const [showAll, setShowAll] = useState(false)
  const [removed, setRemoved] = useState<GridRow | null>(null)
  const quantityText = useQuantityText()
  const productRef = useRef<HTMLInputElement>(null)
  const quantityRef = useRef<HTMLInputElement>(null)
  const listId = useId()

  const orderable = useMemo(() => (prices.data ?? []).filter((p) => !p.blocked && p.priceMinor !== null), [prices.data])
  const missing = useMemo(() => new Map((fill.data ?? []).map((f) => [f.productId, f])), [fill.data])
  const matches = useMemo(() => {
    const q = query.trim().toLowerCase()
    if (!q || picked) return []
    return orderable
      .filter((p) => p.sku.toLowerCase().includes(q) || productName(p, lang).toLowerCase().includes(q))
      .sort((a, b) => Number(!a.sku.toLowerCase().startsWith(q)) - Number(!b.sku.toLowerCase().startsWith(q)))
      .slice(0, 8)
  }, [orderable, query, picked, lang])
  const currency = order.data?.currency ?? 'EUR'

  function pick(p: PriceRow) {
    const current = order.data?.lines.find((l) => l.productId === p.productId && (l.subBuyerId ?? '') === subBuyerId)
    // Render the chosen product's current quantity now, then focus and select it in the same event:
    // keys typed right after the choice replace the quantity instead of landing elsewhere.
    flushSync(() => {
      setPicked(p)
      setQuery(`${p.sku} · ${productName(p, lang)}`)
      setOpen(false)
      setQuantity(current ? stepsText(current.quantity, p.stepMilli, lang) : '')
      setTolerance(current && current.tolerance ? stepsText(current.tolerance, p.stepMilli, lang) : '')
    })
    quantityRef.current?.focus()
    quantityRef.current?.select()
  }

  function onProductKey(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key === 'ArrowDown') {
      e.preventDefault()
      setOpen(true)
      setActive((a) => Math.min(a + 1, Math.max(matches.length - 1, 0)))
    } else if (e.key === 'ArrowUp') {
      e.preventDefault()
      setActive((a) => Math.max(a - 1, 0))
    } else if (e.key === 'Enter') {
      e.preventDefault()
      const exact = orderable.find((p) => p.sku.toLowerCase() === query.trim().toLowerCase())
      const choice = exact ?? matches[active]
      if (choice) pick(choice)
    } else if (e.key === 'Escape') setOpen(false)
  }

  /** The received time to send: none while it is "now", else the chosen instant (or an error shown). */
  function orderedAt(): { ok: true; value: string | undefined } | { ok: false } {
    if (!receivedSet) return { ok: true, value: undefined }
    if (!receivedInstant) {
      setReceivedError(t('fieldErrors.datetime'))
      return { ok: false }
    }
    return { ok: true, value: receivedInstant }
  }

  /** Sets one line (absolute quantities) through the append-only log; throws the core's refusal. */
  async function setLine(productId: string, sub: string | null, q: number, tol: number): Promise<void> {
    const at = orderedAt()
    if (!at.ok) throw new Error(t('fieldErrors.datetime'))
    setReceivedError(null)
    try {
      const result = await call('orders.setLines', {
        roundId: round,
        buyerId: buyer,
        lines: [{ productId, subBuyerId: sub, quantity: q, tolerance: tol }],
        ...(at.value ? { orderedAt: at.value } : {})
      })
      order.setData(result)
    } catch (e) {
      const fe = fieldErrorText(t, e)
      if (fe?.path === 'orderedAt') setReceivedError(fe.text)
      throw e
    }
  }

  async function submit() {
    setError(null)
    setFieldError(null)
    if (!picked) {
      setFieldError(t('orders.pickProduct'))
      productRef.current?.focus()
      return
    }
    const q = checkQuantity(quantity, picked.salesUnit, picked.stepMilli)
    const tol = checkQuantity(tolerance, picked.salesUnit, picked.stepMilli)
    const problem = !q.ok ? q : !tol.ok ? tol : null
    if (problem || !q.ok || !tol.ok) {
      if (problem) setFieldError(quantityText(problem))
      quantityRef.current?.focus()
      return
    }
    try {
      await setLine(picked.productId, subBuyerId || null, q.value, tol.value)
      setPicked(null)
      setQuery('')
      setQuantity('')
      setTolerance('')
      productRef.current?.focus()
    } catch (e) {
      const fe = fieldErrorText(t, e)
      // A refused received time is shown at its field (setLine did that).
      if (fe?.path === 'orderedAt') return
      if (fe) setFieldError(fe.text)
      else if (e instanceof ApiError) setError(e)
    }
  }

  async function remove(row: GridRow) {
    setError(null)
    try {
      await setLine(row.productId, row.subBuyerId, 0, 0)
      setRemoved(row)
    } catch (e) {
      setError(e)
    }
  }

  async function undoRemove() {
    if (!removed) return
    setError(null)
    try {
      await setLine(removed.productId, removed.subBuyerId, removed.quantity, removed.tolerance)
      setRemoved(null)
    } catch (e) {
      setError(e)
    }
  }

  const onQuantityKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') {
      e.preventDefault()
      void submit()
    }
  }
  const pickedFill = picked ? missing.get(picked.productId) : undefined

  return (
    <section>
      <PageTitle>{t('orders.title')}</PageTitle>
      <p>{t('orders.intro')}</p>
      <div className="toolbar order-toolbar">
        <div className="field">
          <label htmlFor={`${listId}-round`}>{t('orders.round')}</label>
          <RoundSelect id={`${listId}-round`} rows={rounds.rows} value={round} onChange={rounds.setRoundId} />
        </div>
        <div className="field buyer-field">
          <label htmlFor={`${listId}-buyer`}>{t('orders.buyer')}</label>
          <select
            id={`${listId}-buyer`}
            value={buyer}
            onChange={(e) => {
              setBuyerId(e.target.value)
              setSubBuyerId('')
            }}
          >
            {(buyers.data?.rows ?? []).map((b) => (
              <option key={b.id} value={b.id}>
                {b.hubName ? `${b.name} (${b.hubName})` : b.name}
              </option>
            ))}
          </select>
        </div>
        {members.length > 0 ? (
          <div className="field">
            <label htmlFor={`${listId}-member`}>{t('orders.forMember')}</label>
            <select id={`${listId}-member`} value={subBuyerId} onChange={(e) => setSubBuyerId(e.target.value)}>
              <option value="">{t('orders.hubItself')}</option>
              {members.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <div className="received-group">
          <DateField
            time
            name="receivedAt"
            className="received-field"
            label={t('orders.receivedAt')}
            value={received}
            error={receivedError}
            onChange={(v) => {
              setReceived(v)
              setReceivedSet(true)
              setReceivedError(null)
            }}
          />
          {receivedSet ? (
            <button
              type="button"
              className="received-now"
              onClick={() => {
                setReceived('')
                setOpenedAt(new Date())
                setReceivedSet(false)
                setReceivedError(null)
              }}
            >
              {t('orders.receivedNow')}
            </button>
          ) : null}
        </div>
      </div>
      <p className="muted received-hint">
        {receivedInstant ? t('orders.receivedHintSet', { time: formatDate(receivedInstant, lang, 'datetime') }) : t('orders.receivedHintNow')}
      </p>
      {order.data ? <ReceivedInfo order={order.data} buyerName={buyers.data?.rows.find((b) => b.id === buyer)?.name ?? ''} /> : null}
      <ErrorMessage error={error ?? order.error ?? prices.error} />
      {order.data && !order.data.acceptingOrders ? <p className="message error">{t('errors.round.closed')}</p> : null}
      {order.data?.boxFilling ? <p className="message" role="note">{t('orders.boxFillNotice')}</p> : null}

      <div className="entry" role="group" aria-label={t('orders.entry')}>
        <div className="combo">
          <label htmlFor={`${listId}-product`}>{t('orders.product')}</label>
          <input
            id={`${listId}-product`}
            ref={productRef}
            role="combobox"
            aria-expanded={open && matches.length > 0}
            aria-controls={`${listId}-list`}
            aria-autocomplete="list"
            aria-activedescendant={open && matches[active] ? `${listId}-opt-${active}` : undefined}
            autoComplete="off"
            value={query}
            onChange={(e) => {
              // Typing right after leaving the field must not be closed by that leave's timer.
              clearTimeout(closing.current)
              setQuery(e.target.value)
              setPicked(null)
              setActive(0)
              setOpen(true)
            }}
            onKeyDown={onProductKey}
            onFocus={() => clearTimeout(closing.current)}
            // Closed a moment later, so that a click on a suggestion still lands.
            onBlur={() => {
              closing.current = setTimeout(() => setOpen(false), 150)
            }}
          />
          {open && matches.length > 0 ? (
            <ul id={`${listId}-list`} role="listbox" className="listbox">
              {matches.map((p, i) => (
                <li
                  key={p.productId}
                  id={`${listId}-opt-${i}`}
                  role="option"
                  aria-selected={i === active}
                  onMouseDown={(e) => {
                    e.preventDefault()
                    pick(p)
                  }}
                >
                  <strong>{p.sku}</strong> {productName(p, lang)}{' '}
                  <span className="muted">{formatMoney(p.priceMinor ?? 0, currency, lang)}</span>
                </li>
              ))}
            </ul>
          ) : null}
        </div>
        <div className="field small">
          <label htmlFor={`${listId}-qty`}>{t('orders.quantity')}</label>
          <input
            id={`${listId}-qty`}
            ref={quantityRef}
            inputMode={picked && picked.stepMilli !== 1000 ? 'decimal' : 'numeric'}
            value={quantity}
            onChange={(e) => setQuantity(e.target.value)}
            onKeyDown={onQuantityKey}
            onFocus={(e) => e.target.select()}
            aria-invalid={Boolean(fieldError)}
            aria-describedby={fieldError ? `${listId}-err` : undefined}
          />
        </div>
        <div className="field small">
          <label htmlFor={`${listId}-tol`}>{t('orders.tolerance')}</label>
          <input
            id={`${listId}-tol`}
            inputMode={picked && picked.stepMilli !== 1000 ? 'decimal' : 'numeric'}
            value={tolerance} onChange={(e) => setTolerance(e.target.value)} onKeyDown={onQuantityKey} />
        </div>
        <button type="button" className="primary" onClick={() => void submit()}>
          {t('orders.set')}
        </button>
      </div>
      {fieldError ? (
        <p id={`${listId}-err`} className="field-error" role="alert">
          {fieldError}
        </p>
      ) : null}
      {picked ? (
        <p className="muted" role="status">
          {t(pickedFill?.missing === 0 ? 'orders.caseInfoFilled' : 'orders.caseInfo', {
            caseSize: decimalText(picked.caseMilli, 3, lang),
            unit: t(`units.${picked.salesUnit}`),
            missing: pickedFill ? formatSteps(pickedFill.missing, picked.stepMilli, lang) : decimalText(picked.caseMilli, 3, lang)
          })}
          {picked.stepMilli !== 1000 ? ` ${t('orders.stepInfo', { step: decimalText(picked.stepMilli, 3, lang), unit: t(`units.${picked.salesUnit}`) })}` : ''}
        </p>
      ) : null}

      <div className="grid-head">
        <label className="check-inline">
          <input type="checkbox" checked={showAll} onChange={(e) => setShowAll(e.target.checked)} /> {t('orders.showAll')}
        </label>
        <span className="muted">{t('orders.gridHint')}</span>
      </div>
      {removed ? (
        <p className="message ok" role="status">
          {t('orders.removed', { sku: removed.sku })}{' '}
          <button type="button" className="link" onClick={() => void undoRemove()}>
            {t('orders.undo')}
          </button>
        </p>
      ) : null}
      <OrderGrid
        rows={gridRows(order.data, prices.data ?? [], showAll, subBuyerId)}
        currency={currency}
        hub={members.length > 0}
        missing={missing}
        commit={(row, q, tol) => setLine(row.productId, row.subBuyerId, q, tol)}
        onRemove={(row) => void remove(row)}
      />
      <p className="order-total">
        {t('orders.total')}:{' '}
        <strong data-testid="order-total">{formatMoney(order.data?.totalMinor ?? 0, currency, lang)}</strong>
      </p>
      <OrderFiles roundId={round} buyerId={buyer} buyerName={buyers.data?.rows.find((b) => b.id === buyer)?.name ?? ''} />
    </section>
  )
}
