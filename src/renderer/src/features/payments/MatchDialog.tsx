import { useEffect, useId, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { call } from '../../ui/api.ts'
import { ErrorMessage } from '../../ui/components.tsx'
import { useData } from '../../ui/data.ts'
import { SelectField } from '../../ui/form.tsx'
import { formatDay, formatMoney } from '../../ui/format.ts'
import type { PaymentRow } from './payment.ts'

const simplify = (s: string) =>
  s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()

/**
 * Matching a payment received by hand, in a modal dialog: the buyer who paid (chosen; preselected when
 * the payer's name is a buyer's), then the buyer's documents with something open, ticked (the first one
 * ticked at once); what no document takes stays as the buyer's credit. Escape or Cancel closes it
 * without a change; `onClose` gets the status line to show after a match.
 */
export function MatchDialog({ payment, onClose }: { payment: PaymentRow; onClose: (status: string | null) => void }) {
  const { t, i18n } = useTranslation()
  const lang = i18n.language
  const id = useId()
  const ref = useRef<HTMLDialogElement>(null)
  const buyers = useData('buyers.list', { limit: 1000, sort: 'name' }, ['buyers'])
  const [buyerId, setBuyerId] = useState<string | null>(null)
  const [ticked, setTicked] = useState<string[] | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [buyerError, setBuyerError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const options = buyers.data?.rows ?? []
  // The payer's name, when it is one buyer's (or contains it), chooses that buyer to begin with.
  const payer = simplify(payment.counterparty ?? '')
  const guessed = payer ? options.filter((b) => simplify(b.name) && (payer.includes(simplify(b.name)) || simplify(b.name).includes(payer))) : []
  const chosen = buyerId ?? (guessed.length === 1 ? guessed[0]!.id : '')
  const docs = useData('payments.openDocuments', chosen ? { buyerId: chosen } : null, ['payments', 'invoices'])
  const open = docs.data ?? []
  // Until the user ticks something, the oldest open document is ticked.
  const selected = ticked ?? (open.length ? [open[0]!.id] : [])
  const amount = formatMoney(payment.amountMinor, payment.currency, lang)
  const buyerName = options.find((b) => b.id === chosen)?.name ?? ''

  useEffect(() => {
    const d = ref.current
    if (d && !d.open) d.showModal()
    return () => d?.close()
  }, [])

  /** Closes the dialog first (the page behind it is no longer inert), then tells the page. */
  function finish(status: string | null) {
    ref.current?.close()
    onClose(status)
  }

  function toggle(docId: string, on: boolean) {
    setTicked(on ? [...selected, docId] : selected.filter((x) => x !== docId))
  }

  async function submit() {
    if (!chosen) {
      setBuyerError(t('payments.chooseBuyer'))
      return
    }
    setBusy(true)
    setError(null)
    try {
      // Settled in the order of the list (oldest first), whatever the order of ticking.
      const invoiceIds = open.filter((d) => selected.includes(d.id)).map((d) => d.id)
      await call('payments.allocate', { paymentId: payment.id, buyerId: chosen, invoiceIds })
      const numbers = open.filter((d) => invoiceIds.includes(d.id)).map((d) => d.number)
      finish(numbers.length ? t('payments.matched', { amount, buyer: buyerName, numbers: numbers.join(', ') }) : t('payments.matchedCredit', { amount, buyer: buyerName }))
    } catch (e) {
      setError(e)
      setBusy(false)
    }
  }

  return (
    <dialog
      ref={ref}
      className="dialog match-dialog"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-what`}
      onCancel={(e) => {
        e.preventDefault()
        finish(null)
      }}
    >
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault()
          void submit()
        }}
      >
        <h2 id={`${id}-title`} className="dialog-title">
          {t('payments.matchTitle')}
        </h2>
        <p id={`${id}-what`}>
          {t('payments.matchWhat', { amount, day: formatDay(payment.bookedOn, lang), name: payment.counterparty ?? t('payments.noName') })}
          {payment.reference ? <span className="reference-line">{t('payments.matchReference', { reference: payment.reference })}</span> : null}
        </p>
        <ErrorMessage error={error ?? buyers.error ?? docs.error} />
        <SelectField
          name="buyerId"
          label={t('payments.buyer')}
          value={chosen}
          error={buyerError}
          onChange={(v) => {
            setBuyerId(v)
            setTicked(null)
            setBuyerError(null)
            setError(null)
          }}
        >
          <option value="">{t('payments.chooseBuyerOption')}</option>
          {options.map((b) => (
            <option key={b.id} value={b.id}>
              {b.name}
            </option>
          ))}
        </SelectField>
        {chosen && docs.data ? (
          open.length ? (
            <fieldset className="open-documents">
              <legend>{t('payments.openDocuments')}</legend>
              {open.map((d) => (
                <label key={d.id} className="check">
                  <input type="checkbox" name="invoiceIds" value={d.id} checked={selected.includes(d.id)} onChange={(e) => toggle(d.id, e.target.checked)} />
                  <span className="doc-number">{d.number}</span>
                  <span className="doc-kind">{t(`invoiceKinds.${d.kind}`)}</span>
                  <span className="doc-open">{t('payments.openAmount', { amount: formatMoney(d.openMinor, d.currency, lang) })}</span>
                </label>
              ))}
            </fieldset>
          ) : (
            <p className="muted">{t('payments.nothingOpen', { buyer: buyerName })}</p>
          )
        ) : null}
        <p className="hint">{t('payments.creditHint')}</p>
        <div className="actions">
          <button type="button" onClick={() => finish(null)}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {t('payments.matchSubmit')}
          </button>
        </div>
      </form>
    </dialog>
  )
}
