import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { Output } from '../../../../shared/api.ts'
import type { RoundingPolicyKind } from '../../../../shared/vocabulary.ts'
import { call } from '../../ui/api.ts'
import { ErrorMessage, Status } from '../../ui/components.tsx'
import { Field } from '../../ui/form.tsx'
import { formatNumber } from '../../ui/format.ts'
import { percentFieldError, percentValue, PolicyOptions, policyText, type RoundingPolicy } from './Policy.tsx'

type Product = Output<'consolidation.get'>['products'][number]

/**
 * A product's own rounding policy (shown when its row is opened): follow the round's, or one of the
 * policies, a threshold with its percentage of a case. Saved on Apply; reset goes back to the round's.
 */
export function ProductPolicy({ roundId, product, roundPolicy }: { roundId: string; product: Product; roundPolicy: RoundingPolicy }) {
  const { t, i18n } = useTranslation()
  const lang = i18n.language
  const [kind, setKind] = useState<'' | RoundingPolicyKind>(product.policyOverridden ? product.policy.kind : '')
  const [percent, setPercent] = useState(() => {
    const p = product.policy.kind === 'threshold' ? product.policy : roundPolicy.kind === 'threshold' ? roundPolicy : null
    return formatNumber(p && p.kind === 'threshold' ? p.thresholdBp / 100 : 50, lang, { useGrouping: false })
  })
  const [error, setError] = useState<unknown>(null)
  const [percentError, setPercentError] = useState<string | null>(null)
  const [status, setStatus] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  async function save(chosen: typeof kind) {
    setBusy(true)
    setError(null)
    setPercentError(null)
    setStatus(null)
    const thresholdPercent = chosen === 'threshold' ? percentValue(percent) : null
    try {
      await call('consolidation.setProductPolicy', { roundId, productId: product.productId, roundingPolicy: chosen || null, thresholdPercent })
      if (!chosen) setKind('')
      setStatus(
        chosen
          ? t('consolidation.policySaved', {
              sku: product.sku,
              policy: policyText(t, chosen === 'threshold' ? { kind: chosen, thresholdBp: Math.round((thresholdPercent ?? 0) * 100) } : { kind: chosen }, lang)
            })
          : t('consolidation.policyReset', { sku: product.sku })
      )
    } catch (e) {
      const field = percentFieldError(t, e)
      if (field) setPercentError(field)
      else setError(e)
    } finally {
      setBusy(false)
    }
  }

  return (
    <tr className="detail">
      <td colSpan={9}>
        <form
          className="policy-form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault()
            void save(kind)
          }}
        >
          <Field label={t('consolidation.productPolicy', { sku: product.sku })} error={null}>
            {(ids) => (
              <select {...ids} value={kind} onChange={(e) => setKind(e.target.value as typeof kind)}>
                <option value="">{t('consolidation.inheritPolicy', { policy: policyText(t, roundPolicy, lang) })}</option>
                <PolicyOptions />
              </select>
            )}
          </Field>
          {kind === 'threshold' ? (
            <Field label={t('consolidation.thresholdPercent')} error={percentError} className="small">
              {(ids) => <input {...ids} inputMode="numeric" autoComplete="off" value={percent} onChange={(e) => setPercent(e.target.value)} />}
            </Field>
          ) : null}
          <div className="actions">
            <button type="submit" className="primary" disabled={busy}>
              {t('consolidation.applyPolicy')}
            </button>
            {product.policyOverridden ? (
              <button type="button" disabled={busy} onClick={() => void save('')}>
                {t('consolidation.resetPolicy')}
              </button>
            ) : null}
          </div>
        </form>
        <ErrorMessage error={error} />
        {status ? <Status>{status}</Status> : null}
      </td>
    </tr>
  )
}
