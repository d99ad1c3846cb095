import { useId } from 'react'
import { useTranslation } from 'react-i18next'
import { formatMoney, productName } from '../../ui/format.ts'
import type { Landed } from './shipment.ts'

const SERIES = ['landed', 'round', 'cooperative'] as const
type Series = (typeof SERIES)[number]

const WIDTH = 760
const LABEL = 230
const VALUE_SPACE = 90
const BAR = 13
const GAP = 3
const GROUP_GAP = 16
const TOP = 24

/** A round maximum for the axis: 1, 2, 2.5 or 5 × a power of ten, at least `max`. */
function niceMax(max: number): number {
  if (max <= 0) return 1
  const power = 10 ** Math.floor(Math.log10(max))
  for (const f of [1, 2, 2.5, 5, 10]) if (f * power >= max) return f * power
  return 10 * power
}

/** Cuts a label to `n` characters with an ellipsis (the full text is in the bar's title and the description). */
const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s)

/**
 * Landed cost per unit against the round's price per unit (what the groups pay) and the cooperative's
 * price (converted at the customs rate), per product: an inline SVG bar chart with a legend, a text
 * alternative (its description says every figure) and patterns that stay apart in black and white print.
 * No chart library: three bars per product need a few rectangles, and hand-written SVG keeps the text
 * translated, the colours those of the theme (dark mode, print) and the bundle small.
 */
export function LandedChart({ landed }: { landed: Landed }) {
  const { t, i18n } = useTranslation()
  const lang = i18n.language
  const id = `chart${useId().replace(/[^\w-]/g, '')}`
  const money = (minor: number) => formatMoney(Math.round(minor), landed.currency, lang)
  const rows = landed.lines.map((l) => ({
    key: l.shipmentLineId,
    sku: l.sku,
    name: productName(l, lang),
    unit: t(`units.${l.salesUnit}`),
    values: { landed: l.perUnitMilli / 1000, round: l.roundPriceMinor, cooperative: l.supplierPerUnitMilli / 1000 } as Record<Series, number | null>,
    above: l.roundPriceMinor !== null && l.perUnitMilli / 1000 > l.roundPriceMinor
  }))
  const max = niceMax(Math.max(0, ...rows.flatMap((r) => SERIES.map((s) => r.values[s] ?? 0))))
  const group = SERIES.length * BAR + (SERIES.length - 1) * GAP
  const height = TOP + rows.length * (group + GROUP_GAP) + 8
  const plot = WIDTH - LABEL - VALUE_SPACE
  const x = (v: number) => LABEL + (v / max) * plot
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * max)
  const description = rows
    .map((r) =>
      t('shipments.chartRow', {
        product: `${r.sku} ${r.name}`,
        unit: r.unit,
        landed: money(r.values.landed!),
        round: r.values.round === null ? t('shipments.noRoundPrice') : money(r.values.round),
        cooperative: money(r.values.cooperative!)
      }) + (r.above ? ` ${t('shipments.chartAbove')}` : '')
    )
    .join(' ')
  const aboveCount = rows.filter((r) => r.above).length
  return (
    <figure className="landed-chart">
      <figcaption>
        <strong id={`${id}-title`}>{t('shipments.chartTitle')}</strong>
        <span className="muted"> {aboveCount ? t('shipments.chartAboveCount', { count: aboveCount }) : t('shipments.chartNoneAbove')}</span>
      </figcaption>
      <ul className="legend">
        {SERIES.map((s) => (
          <li key={s}>
            <svg width="18" height="12" aria-hidden="true" focusable="false">
              <rect className={`bar-${s}`} x="0.5" y="0.5" width="17" height="11" fill={s === 'round' ? `url(#${id}-hatch)` : undefined} />
            </svg>
            {t(`shipments.series.${s}`)}
          </li>
        ))}
      </ul>
      <svg
        className="chart"
        viewBox={`0 0 ${WIDTH} ${height}`}
        role="img"
        aria-labelledby={`${id}-title`}
        aria-describedby={`${id}-desc`}
        preserveAspectRatio="xMinYMin meet"
      >
        <desc id={`${id}-desc`}>{description}</desc>
        <defs>
          <pattern id={`${id}-hatch`} patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)">
            <rect width="6" height="6" className="hatch-bg" />
            <line x1="0" y1="0" x2="0" y2="6" className="hatch-line" />
          </pattern>
        </defs>
        {ticks.map((v) => (
          <g key={v} aria-hidden="true">
            <line x1={x(v)} x2={x(v)} y1={TOP - 6} y2={height - 8} className="grid" />
            <text x={x(v)} y={TOP - 10} textAnchor="middle" className="tick">
              {money(v)}
            </text>
          </g>
        ))}
        {rows.map((r, i) => {
          const y0 = TOP + i * (group + GROUP_GAP)
          return (
            <g key={r.key}>
              <title>{`${r.sku} ${r.name}`}</title>
              <text x={LABEL - 8} y={y0 + group / 2 - 3} textAnchor="end" className={r.above ? 'label above' : 'label'}>
                {r.above ? `▲ ${r.sku}` : r.sku}
              </text>
              <text x={LABEL - 8} y={y0 + group / 2 + 12} textAnchor="end" className="sublabel">
                {cut(r.name, 30)}
              </text>
              {SERIES.map((s, k) => {
                const v = r.values[s]
                const y = y0 + k * (BAR + GAP)
                if (v === null)
                  return (
                    <text key={s} x={LABEL + 4} y={y + BAR - 3} className="value muted-text">
                      {t('shipments.noRoundPrice')}
                    </text>
                  )
                return (
                  <g key={s}>
                    <rect
                      x={LABEL}
                      y={y}
                      width={Math.max(1, x(v) - LABEL)}
                      height={BAR}
                      className={`bar-${s}`}
                      fill={s === 'round' ? `url(#${id}-hatch)` : undefined}
                    />
                    <text x={x(v) + 4} y={y + BAR - 3} className="value">
                      {money(v)}
                    </text>
                  </g>
                )
              })}
            </g>
          )
        })}
      </svg>
      <p className="muted chart-note">{t('shipments.chartNote', { currency: landed.currency })}</p>
    </figure>
  )
}
