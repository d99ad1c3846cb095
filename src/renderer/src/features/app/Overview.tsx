import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { Output } from '../../../../shared/api.ts'
import { call } from '../../ui/api.ts'
import { ErrorMessage, PageTitle } from '../../ui/components.tsx'
import { countryName, formatDate, formatInZone, formatMoney, formatNumber, productName, relativeTime } from '../../ui/format.ts'
import { useData } from '../../ui/data.ts'
import { navigate } from '../../ui/route.ts'

type Dashboard = Output<'app.dashboard'>
type Product = Dashboard['missing']['pricesMissing'][number]

/** How many products a list of missing things names before "and n more". */
const SHOWN = 8

/** The round dashboard: the current round, its deadline, orders per buyer, what is missing, the next step. */
export function Overview() {
  const { t, i18n } = useTranslation()
  const locale = i18n.language
  const org = useData('settings.get', undefined, ['settings'])
  const info = useData('app.info')
  const recent = useData('workspace.recent')
  const board = useData('app.dashboard', undefined, ['rounds', 'prices', 'orders', 'consolidation', 'purchaseOrders', 'products', 'suppliers', 'buyers'])
  const [error, setError] = useState<unknown>(null)

  async function open(path: string) {
    setError(null)
    try {
      await call('workspace.openRecent', { path })
    } catch (e) {
      setError(e)
    }
  }

  return (
    <section>
      <PageTitle>{t('overview.title')}</PageTitle>
      <p className="lead">{t('overview.intro')}</p>
      <ErrorMessage error={error ?? org.error ?? board.error} />
      {board.data ? <RoundBoard board={board.data} /> : <p className="muted">{t('app.loading')}</p>}
      <div className="cards overview-cards">
        <article className="card">
          <h2>{t('overview.organisation')}</h2>
          {!org.data ? (
            <p className="muted">{t('app.loading')}</p>
          ) : org.data.id ? (
            <address>
              <strong>{org.data.name}</strong>
              <br />
              {org.data.street}
              <br />
              {org.data.postalCode} {org.data.city}
              <br />
              {countryName(org.data.country, locale)}
            </address>
          ) : (
            <p>{t('overview.noOrganisation')}</p>
          )}
        </article>
        <article className="card">
          <h2>{t('overview.workspace')}</h2>
          <p className="path">{info.data?.workspacePath}</p>
        </article>
      </div>
      <h2>{t('overview.recent')}</h2>
      <ul className="recent">
        {(recent.data ?? []).map((r) => (
          <li key={r.path}>
            <button type="button" disabled={r.current || !r.exists} onClick={() => void open(r.path)}>
              {t('overview.openRecent', { name: r.name })}
            </button>{' '}
            <span className="muted">
              {formatDate(r.openedAt, locale, 'datetime')}
              {r.current ? ` · ${t('overview.current')}` : ''}
              {r.exists ? '' : ` · ${t('overview.missing')}`}
            </span>
          </li>
        ))}
      </ul>
    </section>
  )
}

function RoundBoard({ board }: { board: Dashboard }) {
  const { t, i18n } = useTranslation()
  const locale = i18n.language
  const round = board.round
  const next = board.nextStep
  const nextButton = (
    <button type="button" className="primary next-step" onClick={() => navigate(`#/${next.section}`)}>
      {t(`overview.next.${next.step}`)}
    </button>
  )
  if (!round) {
    return (
      <div className="dashboard card">
        <p>{t('overview.noRound')}</p>
        {nextButton}
      </div>
    )
  }
  const { pricesMissing, weightsMissing, minimumsNotReached } = board.missing
  const nothingMissing = !pricesMissing.length && !weightsMissing.length && !minimumsNotReached.products.length && !minimumsNotReached.suppliers.length
  const units = board.ordersPerBuyer.reduce((sum, b) => sum + b.units, 0)
  return (
    <div className="dashboard">
      <article className="card round-card" aria-labelledby="dashboard-round">
        <h2 id="dashboard-round">
          {round.name} <span className="badge">{t(`roundStatus.${round.status}`)}</span>
        </h2>
        <p>
          {t('overview.deadline', { deadline: formatInZone(round.closesAt, locale, round.timeZone) })}{' '}
          <span className="muted">
            ({round.deadlinePassed ? t('overview.deadlinePassed') : relativeTime(round.closesAt, locale)})
          </span>
        </p>
        <p className="next">
          <span className="muted">{t('overview.nextStep')}</span> {nextButton}
        </p>
      </article>

      <h2 id="dashboard-orders">{t('overview.ordersTitle', { count: board.ordersPerBuyer.length })}</h2>
      {board.ordersPerBuyer.length ? (
        <div className="table-wrap">
          <table className="plain" aria-labelledby="dashboard-orders">
            <thead>
              <tr>
                <th scope="col">{t('overview.buyer')}</th>
                <th scope="col" className="num">{t('overview.products')}</th>
                <th scope="col" className="num">{t('overview.units')}</th>
                <th scope="col">{t('overview.received')}</th>
              </tr>
            </thead>
            <tbody>
              {board.ordersPerBuyer.map((b) => (
                <tr key={b.buyerId}>
                  <th scope="row">{b.buyerName}</th>
                  <td className="num">{formatNumber(b.lines, locale)}</td>
                  <td className="num">{formatNumber(b.units, locale)}</td>
                  <td>{formatDate(b.receivedAt, locale, 'datetime')}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">{t('overview.total')}</th>
                <td />
                <td className="num">{formatNumber(units, locale)}</td>
                <td />
              </tr>
            </tfoot>
          </table>
        </div>
      ) : (
        <p>{t('overview.noOrders')}</p>
      )}
      {board.buyersWithoutOrder ? <p className="muted">{t('overview.buyersWithoutOrder', { count: board.buyersWithoutOrder })}</p> : null}

      <h2>{t('overview.missingTitle')}</h2>
      {nothingMissing ? (
        <p className="message ok">{t('overview.nothingMissing')}</p>
      ) : (
        <div className="cards missing">
          {pricesMissing.length ? <ProductsMissing title={t('overview.pricesMissing', { count: pricesMissing.length })} products={pricesMissing} /> : null}
          {weightsMissing.length ? <ProductsMissing title={t('overview.weightsMissing', { count: weightsMissing.length })} products={weightsMissing} /> : null}
          {minimumsNotReached.products.length || minimumsNotReached.suppliers.length ? (
            <article className="card">
              <h3>{t('overview.minimumsNotReached', { count: minimumsNotReached.products.length + minimumsNotReached.suppliers.length })}</h3>
              <ul>
                {minimumsNotReached.suppliers.map((s) => (
                  <li key={s.supplierId}>
                    {t('overview.supplierBelow', {
                      name: s.name,
                      value: formatMoney(s.valueMinor, s.currency, locale),
                      minimum: formatMoney(s.minOrderMinor, s.currency, locale)
                    })}
                  </li>
                ))}
                {minimumsNotReached.products.map((p) => (
                  <li key={p.productId}>
                    {t('overview.productBelow', { product: `${p.sku} · ${productName(p, locale)}`, cases: formatNumber(p.cases, locale), minimum: formatNumber(p.minOrderCases, locale) })}
                  </li>
                ))}
              </ul>
            </article>
          ) : null}
        </div>
      )}
    </div>
  )
}

function ProductsMissing({ title, products }: { title: string; products: Product[] }) {
  const { t, i18n } = useTranslation()
  return (
    <article className="card">
      <h3>{title}</h3>
      <ul>
        {products.slice(0, SHOWN).map((p) => (
          <li key={p.productId}>
            {p.sku} · {productName(p, i18n.language)} <span className="muted">({p.supplierName})</span>
          </li>
        ))}
      </ul>
      {products.length > SHOWN ? <p className="muted">{t('overview.andMore', { count: products.length - SHOWN })}</p> : null}
    </article>
  )
}
