import type { TFunction } from 'i18next'
import { useEffect, useId, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { Output } from '../../../../shared/api.ts'
import type { QuantityProblem } from '../../../../shared/quantity.ts'
import { ApiError, call } from '../../ui/api.ts'
import { ErrorMessage } from '../../ui/components.tsx'
import { DateField } from '../../ui/form.tsx'
import { formatDate, instantFromLocal, localFromInstant } from '../../ui/format.ts'

type Order = Output<'orders.get'>

/** The text of a quantity problem, with the product's unit in the UI language. */
export function useQuantityText() {
  const { t } = useTranslation()
  return (problem: QuantityProblem) => t(`fieldErrors.${problem.code}`, 'params' in problem ? (problem.params as Record<string, unknown>) : {})
}

/** The first field error of a refused call as text (with its parameters), else null. */
export function fieldErrorText(t: TFunction, e: unknown): { path: string; text: string } | null {
  if (!(e instanceof ApiError) || e.code !== 'validation') return null
  const [path, first] = Object.entries((e.params.fields ?? {}) as Record<string, { code: string; params?: Record<string, unknown> }>)[0] ?? []
  if (!path || !first) return { path: '_', text: t('errors.validation') }
  return { path, text: t(`fieldErrors.${first.code}`, first.params ?? {}) }
}

/**
 * When the shown order was received, and a small dialog to change that with a reason (kept with the
 * change; first come counts from the new time).
 */
export function ReceivedInfo(props: { order: Order; buyerName: string }) {
  const { t, i18n } = useTranslation()
  const lang = i18n.language
  const [open, setOpen] = useState(false)
  const [done, setDone] = useState(false)
  const { order } = props
  if (!order.orderId || !order.receivedAt) return null
  const last = order.receivedChanges[order.receivedChanges.length - 1]
  return (
    <div className="received-info">
      <span data-testid="order-received">{t('orders.receivedShown', { time: formatDate(order.receivedAt, lang, 'datetime') })}</span>
      {last ? <span className="muted"> {t('orders.receivedChangedNote', { reason: last.reason })}</span> : null}{' '}
      <button type="button" className="link" onClick={() => setOpen(true)}>
        {t('orders.changeReceived')}
      </button>
      {done ? (
        <span className="saved-note" role="status">
          {' '}
          {t('orders.receivedSaved')}
        </span>
      ) : null}
      {open ? (
        <ReceivedDialog
          order={order}
          buyerName={props.buyerName}
          onClose={(saved) => {
            setOpen(false)
            setDone(saved)
          }}
        />
      ) : null}
    </div>
  )
}

function ReceivedDialog(props: { order: Order; buyerName: string; onClose: (saved: boolean) => void }) {
  const { t } = useTranslation()
  const ref = useRef<HTMLDialogElement>(null)
  const id = useId()
  // The order's received time as the date field holds it (wall clock in this computer's time zone).
  const [when, setWhen] = useState(() => localFromInstant(props.order.receivedAt!))
  const [reason, setReason] = useState('')
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  useEffect(() => {
    ref.current?.showModal()
  }, [])

  async function save() {
    const at = instantFromLocal(when)
    const local: Record<string, string> = {}
    if (!at) local.receivedAt = t('fieldErrors.datetime')
    if (!reason.trim()) local.reason = t('fieldErrors.required')
    setErrors(local)
    setError(null)
    if (Object.keys(local).length || !at) return
    setBusy(true)
    try {
      await call('orders.setReceivedAt', { orderId: props.order.orderId!, receivedAt: at, reason: reason.trim() })
      props.onClose(true)
    } catch (e) {
      const fe = fieldErrorText(t, e)
      if (fe) setErrors({ [fe.path]: fe.text })
      else setError(e)
    } finally {
      setBusy(false)
    }
  }

  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={`${id}-title`}
      onCancel={(e) => {
        e.preventDefault()
        props.onClose(false)
      }}
    >
      <form
        onSubmit={(e) => {
          e.preventDefault()
          void save()
        }}
      >
        <h2 id={`${id}-title`}>{t('orders.changeReceivedTitle', { buyer: props.buyerName })}</h2>
        <p className="muted">{t('orders.changeReceivedHint')}</p>
        <DateField
          time
          name="receivedAt"
          label={t('orders.receivedAt')}
          value={when}
          error={errors.receivedAt || null}
          onChange={(v) => {
            setWhen(v)
            setErrors((current) => ({ ...current, receivedAt: '' }))
          }}
        />
        <div className={errors.reason ? 'field invalid' : 'field'}>
          <label htmlFor={`${id}-reason`}>{t('orders.receivedReason')}</label>
          <input
            id={`${id}-reason`}
            type="text"
            value={reason}
            maxLength={500}
            onChange={(e) => setReason(e.target.value)}
            aria-invalid={Boolean(errors.reason)}
            aria-describedby={errors.reason ? `${id}-reason-err` : undefined}
          />
          {errors.reason ? (
            <span id={`${id}-reason-err`} className="field-error" role="alert">
              {errors.reason}
            </span>
          ) : null}
        </div>
        <ErrorMessage error={error} />
        <div className="actions">
          <button type="button" onClick={() => props.onClose(false)}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {t('orders.saveReceived')}
          </button>
        </div>
      </form>
    </dialog>
  )
}
