import { useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { TFunction } from 'i18next'
import type { Output } from '../../../../shared/api.ts'
import { CUT_STRATEGIES, type CutStrategy, EXTRAS_TO, type ExtrasTo, ROUNDING_POLICIES, type RoundingPolicyKind } from '../../../../shared/vocabulary.ts'
import { ApiError, call } from '../../ui/api.ts'
import { Field } from '../../ui/form.tsx'
import { formatNumber } from '../../ui/format.ts'

/** A rounding policy with its threshold, as the consolidation reports it for the round and each product. */
export type RoundingPolicy = Output<'consolidation.get'>['products'][number]['policy']

/** A rounding policy in a few words: "always round up", "round up from 30% of a case". */
export function policyText(t: TFunction, policy: RoundingPolicy, locale: string): string {
  return policy.kind === 'threshold'
    ? t('consolidation.policyShort.threshold', { percent: formatNumber(policy.thresholdBp / 100, locale) })
    : t(`consolidation.policyShort.${policy.kind}`)
}

/**
 * A percentage as typed (a decimal comma is fine): its number, null when empty, and anything that is no
 * number sent as typed, so that the core names the problem.
 */
export function percentValue(text: string): number | null {
  const raw = text.trim()
  if (raw === '') return null
  const n = Number(raw.replace(',', '.'))
  return Number.isNaN(n) ? (raw as unknown as number) : n
}

/** The translated error of a refused threshold percentage, or null when the error is about something else. */
export function percentFieldError(t: TFunction, e: unknown): string | null {
  const field =
    e instanceof ApiError && e.code === 'validation' ? (e.params.fields as Record<string, { code: string; params?: object }> | undefined)?.thresholdPercent : undefined
  return field ? t(`fieldErrors.${field.code}`, (field.params ?? {}) as Record<string, string>) : null
}

/**
 * The round's rounding policy, cut strategy (or distribution by hand) and where units delivered beyond
 * the orders go, saved together on Apply: a threshold with its percentage of a case (kept by the round
 * while another policy is chosen). Products without a policy of their own follow it.
 */
export function Policy(props: {
  roundId: string
  cut: CutStrategy
  extrasTo: ExtrasTo
  policy: RoundingPolicy
  thresholdBp: number
  onStatus: (status: string | null) => void
  onError: (e: unknown) => void
}) {
  const { roundId, onStatus, onError } = props
  const { t, i18n } = useTranslation()
  const lang = i18n.language
  const percentRef = useRef<HTMLInputElement>(null)
  const [saved, setSaved] = useState({ kind: props.policy.kind, percent: formatNumber(props.thresholdBp / 100, lang, { useGrouping: false }), cut: props.cut, extras: props.extrasTo })
  const [kind, setKind] = useState<RoundingPolicyKind>(saved.kind)
  const [percent, setPercent] = useState(saved.percent)
  const [strategy, setStrategy] = useState<CutStrategy>(saved.cut)
  const [extras, setExtras] = useState<ExtrasTo>(saved.extras)
  const [percentError, setPercentError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const dirty = kind !== saved.kind || strategy !== saved.cut || extras !== saved.extras || (kind === 'threshold' && percent.trim() !== saved.percent)

  async function save() {
    setBusy(true)
    setPercentError(null)
    onError(null)
    onStatus(null)
    const thresholdPercent = kind === 'threshold' ? percentValue(percent) : null
    try {
      await call('consolidation.setPolicy', { roundId, roundingPolicy: kind, thresholdPercent, cutStrategy: strategy, extrasTo: extras })
      const shown = thresholdPercent === null ? percent.trim() : formatNumber(thresholdPercent, lang, { useGrouping: false })
      setPercent(shown)
      setSaved({ kind, percent: kind === 'threshold' ? shown : saved.percent, cut: strategy, extras })
      const policy: RoundingPolicy = kind === 'threshold' ? { kind, thresholdBp: Math.round((thresholdPercent ?? 0) * 100) } : { kind }
      onStatus(
        t('consolidation.roundPolicySaved', { policy: policyText(t, policy, lang), cut: t(`consolidation.cuts.${strategy}`), extras: t(`consolidation.extras.${extras}`) })
      )
    } catch (e) {
      const field = percentFieldError(t, e)
      if (field) {
        setPercentError(field)
        percentRef.current?.focus()
      } else onError(e)
    } finally {
      setBusy(false)
    }
  }

  return (
    <form
      className="policy-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault()
        void save()
      }}
    >
      <Field label={t('consolidation.policy')} error={null}>
        {(ids) => (
          <select {...ids} value={kind} onChange={(e) => setKind(e.target.value as RoundingPolicyKind)}>
            <PolicyOptions />
          </select>
        )}
      </Field>
      {kind === 'threshold' ? (
        <Field label={t('consolidation.roundThresholdPercent')} error={percentError} className="percent">
          {(ids) => <input {...ids} ref={percentRef} inputMode="numeric" autoComplete="off" value={percent} onChange={(e) => setPercent(e.target.value)} />}
        </Field>
      ) : null}
      <Field label={t('consolidation.cutStrategy')} error={null}>
        {(ids) => (
          <select {...ids} value={strategy} onChange={(e) => setStrategy(e.target.value as CutStrategy)}>
            {CUT_STRATEGIES.map((c) => (
              <option key={c} value={c}>
                {t(`consolidation.cuts.${c}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t('consolidation.extrasToLabel')} error={null}>
        {(ids) => (
          <select {...ids} value={extras} onChange={(e) => setExtras(e.target.value as ExtrasTo)}>
            {EXTRAS_TO.map((x) => (
              <option key={x} value={x}>
                {t(`consolidation.extras.${x}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {t('consolidation.applyPolicy')}
        </button>
        {dirty ? <span className="muted">{t('record.unsaved')}</span> : null}
      </div>
    </form>
  )
}

/** The four rounding policies as options (the threshold's percentage is a field of its own). */
export function PolicyOptions() {
  const { t } = useTranslation()
  return (
    <>
      {ROUNDING_POLICIES.map((p) => (
        <option key={p} value={p}>
          {p === 'threshold' ? t('consolidation.thresholdChoice') : t(`consolidation.policies.${p}`)}
        </option>
      ))}
    </>
  )
}
