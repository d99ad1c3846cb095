import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { call, fieldErrorTexts } from '../../ui/api.ts'
import { ErrorMessage } from '../../ui/components.tsx'
import { useData } from '../../ui/data.ts'
import { DateField, SelectField, TextField } from '../../ui/form.tsx'

/**
 * A payment by hand (on the balances page): cash at the hub or a transfer not on an imported statement,
 * received from a buyer (it settles the buyer's oldest open documents; the rest is its credit), or a
 * refund paid out of a buyer's credit. Errors are shown beside their fields; nothing is booked then.
 */
export function RecordPayment({ onDone, onCancel }: { onDone: (status: string) => void; onCancel: () => void }) {
  const { t } = useTranslation()
  const buyers = useData('buyers.list', { limit: 1000, sort: 'name' }, ['buyers'])
  const [buyerId, setBuyerId] = useState('')
  const [direction, setDirection] = useState<'in' | 'out'>('in')
  const [method, setMethod] = useState<'bank' | 'cash'>('cash')
  const [amount, setAmount] = useState('')
  const [paidOn, setPaidOn] = useState('')
  const [note, setNote] = useState('')
  const [fields, setFields] = useState<Record<string, string | null>>({})
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  const options = buyers.data?.rows ?? []

  async function submit() {
    setError(null)
    if (!buyerId) {
      setFields({ buyerId: t('payments.chooseBuyer') })
      return
    }
    setFields({})
    setBusy(true)
    try {
      await call('payments.record', { buyerId, direction, method, amount, paidOn, note })
      const buyer = options.find((b) => b.id === buyerId)?.name ?? ''
      onDone(t(direction === 'in' ? 'payments.recordedIn' : 'payments.recordedOut', { amount: amount.trim(), buyer }))
    } catch (e) {
      const texts = fieldErrorTexts(t, e)
      if (texts) setFields(texts)
      else setError(e)
    } finally {
      setBusy(false)
    }
  }

  return (
    <form
      className="record-payment"
      noValidate
      aria-label={t('payments.recordTitle')}
      onSubmit={(e) => {
        e.preventDefault()
        void submit()
      }}
    >
      <h2>{t('payments.recordTitle')}</h2>
      <ErrorMessage error={error ?? buyers.error} />
      <div className="form-row">
        <SelectField name="buyerId" label={t('payments.buyer')} value={buyerId} error={fields.buyerId ?? null} onChange={setBuyerId}>
          <option value="">{t('payments.chooseBuyerOption')}</option>
          {options.map((b) => (
            <option key={b.id} value={b.id}>
              {b.name}
            </option>
          ))}
        </SelectField>
        <SelectField name="direction" label={t('payments.recordDirection')} value={direction} error={null} onChange={(v) => setDirection(v === 'out' ? 'out' : 'in')}>
          <option value="in">{t('payments.recordIn')}</option>
          <option value="out">{t('payments.recordOut')}</option>
        </SelectField>
        <SelectField name="method" label={t('payments.recordMethod')} value={method} error={null} onChange={(v) => setMethod(v === 'bank' ? 'bank' : 'cash')}>
          <option value="cash">{t('payments.recordCash')}</option>
          <option value="bank">{t('payments.recordBank')}</option>
        </SelectField>
        <TextField name="amount" label={t('payments.recordAmount')} value={amount} error={fields.amount ?? null} inputMode="decimal" onChange={setAmount} />
        <DateField name="paidOn" label={t('payments.recordDay')} value={paidOn} error={fields.paidOn ?? null} onChange={setPaidOn} />
        <TextField name="note" label={t('payments.recordNote')} value={note} error={null} onChange={setNote} />
      </div>
      <p className="hint">{t(direction === 'in' ? 'payments.recordHintIn' : 'payments.recordHintOut')}</p>
      <div className="actions">
        <button type="button" onClick={onCancel}>
          {t('common.cancel')}
        </button>
        <button type="submit" className="primary" disabled={busy}>
          {t('payments.recordSubmit')}
        </button>
      </div>
    </form>
  )
}
