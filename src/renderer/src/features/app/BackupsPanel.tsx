import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { Output } from '../../../../shared/api.ts'
import { call } from '../../ui/api.ts'
import { ConfirmDialog, ErrorMessage, Status } from '../../ui/components.tsx'
import { useData } from '../../ui/data.ts'
import { formatDate, formatNumber } from '../../ui/format.ts'

type Backup = Output<'workspace.backups'>[number]

function formatSize(bytes: number, locale: string): string {
  const mb = bytes >= 1024 * 1024
  return formatNumber(mb ? bytes / (1024 * 1024) : Math.max(1, Math.round(bytes / 1024)), locale, {
    style: 'unit',
    unit: mb ? 'megabyte' : 'kilobyte',
    maximumFractionDigits: mb ? 1 : 0
  })
}

/** Diagnostics: the open workspace's backups (db/backups.ts), and restoring one after a confirmation. */
export function BackupsPanel() {
  const { t, i18n } = useTranslation()
  const locale = i18n.language
  const backups = useData('workspace.backups', undefined, ['backups'])
  const [asked, setAsked] = useState<Backup | null>(null)
  const [status, setStatus] = useState<string | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  const when = (b: Backup) => formatDate(b.takenAt, locale, 'datetime')

  async function restore(b: Backup) {
    setAsked(null)
    setStatus(null)
    setError(null)
    setBusy(true)
    try {
      const done = await call('workspace.restore', { file: b.file })
      setStatus(t('backups.restoreDone', { date: when(b), file: done.safety }))
    } catch (e) {
      setError(e)
    } finally {
      setBusy(false)
    }
  }

  const rows = backups.data ?? []
  return (
    <section aria-labelledby="backups-title">
      <h2 id="backups-title">{t('backups.title')}</h2>
      <p>{t('backups.intro')}</p>
      <ErrorMessage error={error ?? backups.error} />
      {status ? <Status>{status}</Status> : null}
      {backups.data && rows.length === 0 ? <p>{t('backups.empty')}</p> : null}
      {rows.length ? (
        <div className="table-wrap">
          <table className="plain" aria-labelledby="backups-title">
            <thead>
              <tr>
                <th scope="col">{t('backups.takenAt')}</th>
                <th scope="col">{t('backups.reason')}</th>
                <th scope="col" className="num">{t('backups.size')}</th>
                <th scope="col">{t('backups.check')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('backups.restore')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((b) => (
                <tr key={b.file}>
                  <th scope="row" title={b.file}>{when(b)}</th>
                  <td>{t(`backups.reasons.${b.reason}`)}</td>
                  <td className="num">{formatSize(b.size, locale)}</td>
                  <td>{b.verified ? t('backups.verified') : t('backups.unverified')}</td>
                  <td>
                    <button type="button" disabled={busy} aria-label={t('backups.restoreLabel', { date: when(b) })} onClick={() => setAsked(b)}>
                      {t('backups.restore')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <ConfirmDialog
        open={asked !== null}
        title={t('backups.restoreTitle')}
        text={asked ? t('backups.restoreConfirm', { date: when(asked) }) : ''}
        confirmLabel={t('backups.restore')}
        danger
        onCancel={() => setAsked(null)}
        onConfirm={() => {
          if (asked) void restore(asked)
        }}
      />
    </section>
  )
}
