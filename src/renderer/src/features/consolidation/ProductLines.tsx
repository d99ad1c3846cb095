import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { Output } from '../../../../shared/api.ts'
import type { Stage } from '../../../../shared/vocabulary.ts'
import { call } from '../../ui/api.ts'
import { useData } from '../../ui/data.ts'
import { formatSteps, stepsText } from '../../ui/format.ts'
import { checkQuantity } from '../../../../shared/quantity.ts'
import { useQuantityText } from '../orders/receivedTime.tsx'

export type Line = Output<'consolidation.lines'>[number]

/**
 * The lines of one product (fetched when the product is opened) under their own column names, in the
 * order the cut goes through them (first order first), each with why it gets other than ordered, and
 * the override controls. What a line gets shows which of its units came from its tolerance.
 */
export function ProductLines(props: {
  roundId: string
  stage: Stage
  productId: string
  onEdit: (l: Line) => void
  onRun: (fn: () => Promise<string | null>) => Promise<void>
}) {
  const { t, i18n } = useTranslation()
  const n = (steps: number, l: Line) => formatSteps(steps, l.stepMilli, i18n.language)
  // What the line gets, split where the tolerance was used: "6 (4 + 2 Toleranz)".
  const gets = (l: Line) =>
    l.fromTolerance > 0 ? t('consolidation.getsSplit', { granted: n(l.granted, l), ordered: n(l.fromOrdered, l), tolerance: n(l.fromTolerance, l) }) : n(l.granted, l)
  const lines = useData('consolidation.lines', { roundId: props.roundId, stage: props.stage, productId: props.productId }, ['consolidation', 'orders', 'purchaseOrders'])
  return (
    <>
      {/* The lines' own column names: they differ from the product row's above. */}
      <tr className="detail detail-head">
        <td />
        <th scope="col">{t('consolidation.lineBuyer')}</th>
        <th scope="col" className="num">
          {t('consolidation.lineOrdered')}
        </th>
        <th scope="col" className="num">
          {t('consolidation.lineTolerance')}
        </th>
        <th scope="col" colSpan={2} className="num">
          {t('consolidation.lineGets')}
        </th>
        <th scope="col" colSpan={2}>
          {t('consolidation.lineWhy')}
        </th>
        <td />
      </tr>
      {(lines.data ?? []).map((l) => (
        <tr key={l.lineId} className="detail line-row">
          <td />
          <td>{l.subBuyerName ? `${l.buyerName} · ${l.subBuyerName}` : l.buyerName}</td>
          <td className="num">{n(l.quantity, l)}</td>
          <td className="num">{n(l.tolerance, l)}</td>
          <td colSpan={2} className="num">
            {l.override ? t('consolidation.overridden', { computed: n(l.computed, l), granted: gets(l), reason: l.override.reason }) : gets(l)}
          </td>
          <td colSpan={2}>{l.reason ? t(`changeReasons.${l.reason}`, { note: l.override?.reason ?? '' }) : <span className="muted">{t('consolidation.lineAsOrdered')}</span>}</td>
          <td className="nowrap">
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

/** The line whose allocation the coordinator is overriding, and the form's values: each Override starts from that line. */
export function useOverrideEditor() {
  const { i18n } = useTranslation()
  const [editing, setEditing] = useState<Line | null>(null)
  const [granted, setGranted] = useState('')
  const [reason, setReason] = useState('')
  return {
    editing,
    granted,
    reason,
    setGranted,
    setReason,
    edit: (l: Line) => {
      setEditing(l)
      setGranted(stepsText(l.granted, l.stepMilli, i18n.language))
      setReason(l.override?.reason ?? '')
    },
    close: () => setEditing(null)
  }
}

/** The override of one line: the units granted to the buyer and why. */
export function OverrideForm({ editor, onRun }: { editor: ReturnType<typeof useOverrideEditor>; onRun: (fn: () => Promise<string | null>) => Promise<void> }) {
  const { t } = useTranslation()
  const quantityText = useQuantityText()
  const [problem, setProblem] = useState<string | null>(null)
  const { editing, granted, reason } = editor
  if (!editing) return null
  return (
    <form
      className="form inline-panel"
      onSubmit={(e) => {
        e.preventDefault()
        // Typed in the product's unit (1,5 kg), sent as its steps.
        const check = checkQuantity(granted, undefined, editing.stepMilli)
        if (!check.ok) {
          setProblem(quantityText(check))
          return
        }
        setProblem(null)
        void onRun(async () => {
          await call('consolidation.override', { lineId: editing.lineId, granted: check.value, reason })
          editor.close()
          return t('consolidation.overrideSaved')
        })
      }}
    >
      <fieldset>
        <legend>{t('consolidation.overrideFor', { buyer: editing.buyerName })}</legend>
        <div className="field small">
          <label htmlFor="override-granted">{t('consolidation.granted')}</label>
          <input
            id="override-granted"
            inputMode={editing.stepMilli === 1000 ? 'numeric' : 'decimal'}
            value={granted}
            aria-invalid={Boolean(problem)}
            aria-describedby={problem ? 'override-granted-error' : undefined}
            onChange={(e) => editor.setGranted(e.target.value)}
          />
          {problem ? (
            <span id="override-granted-error" className="field-error" role="alert">
              {problem}
            </span>
          ) : null}
        </div>
        <div className="field">
          <label htmlFor="override-reason">{t('consolidation.reason')}</label>
          <input id="override-reason" value={reason} onChange={(e) => editor.setReason(e.target.value)} />
        </div>
        <div className="actions">
          <button type="submit" className="primary">
            {t('settings.save')}
          </button>
          <button type="button" onClick={editor.close}>
            {t('common.cancel')}
          </button>
        </div>
      </fieldset>
    </form>
  )
}
