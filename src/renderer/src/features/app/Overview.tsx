import { useTranslation } from 'react-i18next'
import { call } from '../../ui/api.ts'
import { ErrorMessage, PageTitle } from '../../ui/components.tsx'
import { countryName, formatDate, formatMoney, formatNumber } from '../../ui/format.ts'
import { useData } from '../../ui/data.ts'
import { useState } from 'react'

export function Overview() {
  const { t, i18n } = useTranslation()
  const locale = i18n.language
  const org = useData('settings.get', undefined, ['settings'])
  const info = useData('app.info')
  const recent = useData('workspace.recent')
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
      <ErrorMessage error={error ?? org.error} />
      <div className="cards">
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
          {/* In the workspace's own currency, so only once its settings are there. */}
          {org.data ? (
            <p>
              {t('overview.example', {
                amount: formatMoney(123450, org.data.defaultCurrency ?? 'EUR', locale),
                number: formatNumber(1234.5, locale)
              })}
            </p>
          ) : null}
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
