import { useId, useRef, useState, type KeyboardEvent } from 'react'
import { useTranslation } from 'react-i18next'
import type { Output } from '../../../../shared/api.ts'
import { checkQuantity } from '../../../../shared/quantity.ts'
import { errorText } from '../../ui/api.ts'
import { formatMoney, formatSteps, productName, stepsText } from '../../ui/format.ts'
import { fieldErrorText, useQuantityText } from './receivedTime.tsx'

type Order = Output<'orders.get'>
type PriceRow = Output<'rounds.prices'>[number]

/** One row of the grid: a line of the order, or (with "all products") a product not ordered yet. */
export interface GridRow {
  key: string
  productId: string
  subBuyerId: string | null
  subBuyerName: string | null
  sku: string
  nameEs: string | null
  nameDe: string | null
  nameEn: string | null
  salesUnit: string
  /** The product's step ×1000 of its sales unit: quantity and tolerance count steps. */
  stepMilli: number
  quantity: number
  tolerance: number
  priceMinor: number
  totalMinor: number
  ordered: boolean
}

/** The order's lines, and with `all` every orderable product of the round for the chosen sub-buyer. */
export function gridRows(order: Order | null, prices: readonly PriceRow[], all: boolean, subBuyerId: string): GridRow[] {
  const rows: GridRow[] = (order?.lines ?? []).map((l) => ({
    key: `${l.productId}|${l.subBuyerId ?? ''}`,
    productId: l.productId,
    subBuyerId: l.subBuyerId,
    subBuyerName: l.subBuyerName,
    sku: l.sku,
    nameEs: l.nameEs,
    nameDe: l.nameDe,
    nameEn: l.nameEn,
    salesUnit: l.salesUnit,
    stepMilli: l.stepMilli,
    quantity: l.quantity,
    tolerance: l.tolerance,
    priceMinor: l.priceMinor,
    totalMinor: l.totalMinor,
    ordered: true
  }))
  if (!all) return rows
  const have = new Set(rows.map((r) => r.key))
  const rank = new Map(prices.map((p, i) => [p.productId, i]))
  for (const p of prices) {
    const key = `${p.productId}|${subBuyerId}`
    if (have.has(key) || p.blocked || p.priceMinor === null) continue
    rows.push({
      key,
      productId: p.productId,
      subBuyerId: subBuyerId || null,
      subBuyerName: null,
      sku: p.sku,
      nameEs: p.nameEs,
      nameDe: p.nameDe,
      nameEn: p.nameEn,
      salesUnit: p.salesUnit,
      stepMilli: p.stepMilli,
      quantity: 0,
      tolerance: 0,
      priceMinor: p.priceMinor,
      totalMinor: 0,
      ordered: false
    })
  }
  // All products in the round's price-list order (cooperative, SKU), each product's lines together.
  return rows.sort((a, b) => (rank.get(a.productId) ?? 0) - (rank.get(b.productId) ?? 0) || (a.subBuyerName ?? '').localeCompare(b.subBuyerName ?? ''))
}

export type Commit = (row: GridRow, quantity: number, tolerance: number) => Promise<void>

/**
 * The buyer's order as an editable grid: quantity and tolerance are inputs that save on Enter (which
 * also moves down) or when leaving the cell, each change a new entry in the quantity log; Remove sets a
 * line to 0, with an undo.
 */
export function OrderGrid(props: {
  rows: GridRow[]
  currency: string
  hub: boolean
  missing: Map<string, { missing: number }>
  commit: Commit
  onRemove: (row: GridRow) => void
}) {
  const { t, i18n } = useTranslation()
  const lang = i18n.language
  const tableRef = useRef<HTMLTableElement>(null)
  const { rows, currency, hub } = props

  /** Enter: on to the same column of the next row (leaving the cell saves it). */
  function down(from: HTMLInputElement): boolean {
    const col = from.dataset.col
    const cells = [...(tableRef.current?.querySelectorAll<HTMLInputElement>(`input[data-col="${col}"]`) ?? [])]
    const next = cells[cells.indexOf(from) + 1]
    if (!next) return false
    next.focus()
    next.select()
    return true
  }

  return (
    <div className="table-wrap">
      <table className="lines grid" ref={tableRef}>
        <caption>{t('orders.linesCaption', { count: rows.filter((r) => r.ordered).length })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('orders.sku')}</th>
            <th scope="col">{t('orders.product')}</th>
            {hub ? <th scope="col">{t('orders.forMember')}</th> : null}
            <th scope="col" className="num">
              {t('orders.quantity')}
            </th>
            <th scope="col" className="num">
              {t('orders.tolerance')}
            </th>
            <th scope="col" className="num">
              {t('orders.price')}
            </th>
            <th scope="col" className="num">
              {t('orders.lineTotal')}
            </th>
            <th scope="col" className="num">
              {t('orders.missingToCase')}
            </th>
            <th scope="col">
              <span className="visually-hidden">{t('orders.remove')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key} className={r.ordered ? undefined : 'unordered'}>
              <td className="nowrap">{r.sku}</td>
              <td>{productName(r, lang)}</td>
              {hub ? <td>{r.subBuyerId ? r.subBuyerName ?? '' : t('orders.hubItself')}</td> : null}
              <td className="num">
                <QuantityCell row={r} field="quantity" commit={props.commit} down={down} />
              </td>
              <td className="num">
                <QuantityCell row={r} field="tolerance" commit={props.commit} down={down} />
              </td>
              <td className="num">{formatMoney(r.priceMinor, currency, lang)}</td>
              <td className="num">{r.ordered ? formatMoney(r.totalMinor, currency, lang) : ''}</td>
              <td className="num" data-testid={`missing-${r.sku}`}>
                {r.ordered ? formatSteps(props.missing.get(r.productId)?.missing ?? 0, r.stepMilli, lang) : ''}
              </td>
              <td className="row-actions">
                {r.ordered ? (
                  <button type="button" aria-label={t('orders.removeLabel', { sku: r.sku })} onClick={() => props.onRemove(r)}>
                    {t('orders.remove')}
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

/** One editable quantity: checked by the shared rule as typed, saved on Enter or leaving the cell. */
function QuantityCell(props: { row: GridRow; field: 'quantity' | 'tolerance'; commit: Commit; down: (from: HTMLInputElement) => boolean }) {
  const { t, i18n } = useTranslation()
  const quantityText = useQuantityText()
  const id = useId()
  const { row, field } = props
  const saved = row[field]
  const [draft, setDraft] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const busy = useRef(false)
  // Typed and shown in the sales unit (1,5 kg); counted in the product's steps.
  const shown = draft ?? (saved === 0 && (!row.ordered || field === 'tolerance') ? '' : stepsText(saved, row.stepMilli, i18n.language))

  async function save(): Promise<void> {
    if (draft === null || busy.current) return
    const check = checkQuantity(draft, row.salesUnit, row.stepMilli)
    if (!check.ok) {
      setError(quantityText(check))
      return
    }
    setError(null)
    if (check.value === saved) {
      setDraft(null)
      return
    }
    busy.current = true
    try {
      await props.commit(row, field === 'quantity' ? check.value : row.quantity, field === 'tolerance' ? check.value : row.tolerance)
      setDraft(null)
    } catch (e) {
      setError(fieldErrorText(t, e)?.text ?? errorText(t, e))
    } finally {
      busy.current = false
    }
  }

  function onKey(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key === 'Enter') {
      e.preventDefault()
      if (!props.down(e.currentTarget)) void save()
    } else if (e.key === 'Escape' && draft !== null) {
      e.preventDefault()
      setDraft(null)
      setError(null)
    }
  }

  return (
    <>
      <input
        className="qty"
        inputMode="decimal"
        data-col={field}
        aria-label={t(field === 'quantity' ? 'orders.quantityOf' : 'orders.toleranceOf', { sku: row.sku })}
        value={shown}
        onChange={(e) => {
          setDraft(e.target.value)
          setError(null)
        }}
        onBlur={() => void save()}
        onKeyDown={onKey}
        onFocus={(e) => e.target.select()}
        aria-invalid={Boolean(error)}
        aria-describedby={error ? `${id}-err` : undefined}
      />
      {error ? (
        <span id={`${id}-err`} className="field-error cell-error" role="alert">
          {error}
        </span>
      ) : null}
    </>
  )
}
