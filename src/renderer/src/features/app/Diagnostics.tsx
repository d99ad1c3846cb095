import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { call } from '../../ui/api.ts'
import { ConfirmDialog, ErrorMessage, PageTitle, Status } from '../../ui/components.tsx'
import { formatDate } from '../../ui/format.ts'
import { useData } from '../../ui/data.ts'
import { LogPanel } from './LogPanel.tsx'
import { BackupsPanel } from './BackupsPanel.tsx'

export function Diagnostics() {
  const { t, i18n } = useTranslation()
  const info = useData('app.info')
  const [status, setStatus] = useState<string | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [confirming, setConfirming] = useState(false)
  const d = info.data
  const none = t('diagnostics.none')

  async function run(action: () => Promise<string>) {
    setStatus(null)
    setError(null)
    try {
      setStatus(await action())
    } catch (e) {
      setError(e)
    }
  }

  const rows: [string, string][] = d
    ? [
        [t('diagnostics.appVersion'), d.appVersion],
        [
          t('diagnostics.schemaVersion'),
          t('diagnostics.schemaOf', { version: d.schemaVersion ?? none, latest: d.latestSchemaVersion })
        ],
        [t('diagnostics.workspacePath'), d.workspacePath ?? none],
        [t('diagnostics.workspaceId'), d.workspaceId ?? none],
        [t('diagnostics.createdAt'), d.workspaceCreatedAt ? formatDate(d.workspaceCreatedAt, i18n.language, 'datetime') : none],
        [t('diagnostics.deviceId'), d.deviceId],
        [t('diagnostics.sqlite'), d.sqliteVersion ?? none],
        [t('diagnostics.runtime'), d.runtime]
      ]
    : []

  return (
    <section>
      <PageTitle>{t('diagnostics.title')}</PageTitle>
      <p>{t('diagnostics.intro')}</p>
      <ErrorMessage error={error ?? info.error} />
      {status ? <Status>{status}</Status> : null}
      <dl className="facts">
        {rows.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
      <div className="actions">
        <button
          type="button"
          onClick={() => void run(async () => t('diagnostics.backupDone', { path: (await call('workspace.backup')).path }))}
        >
          {t('diagnostics.backupNow')}
        </button>
        <button type="button" className="danger" onClick={() => setConfirming(true)}>
          {t('diagnostics.recreateDemo')}
        </button>
      </div>
      <LogPanel />
      <ConfirmDialog
        open={confirming}
        text={t('diagnostics.recreateConfirm')}
        confirmLabel={t('diagnostics.recreateDemo')}
        danger
        onCancel={() => setConfirming(false)}
        onConfirm={() => {
          setConfirming(false)
          void run(async () => {
            await call('demo.recreate')
            return t('diagnostics.recreateDone')
          })
        }}
      />
      <BackupsPanel />
    </section>
  )
}
