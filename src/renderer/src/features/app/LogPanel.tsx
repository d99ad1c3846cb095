import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { call } from '../../ui/api.ts'
import { ErrorMessage } from '../../ui/components.tsx'
import { useData } from '../../ui/data.ts'
import { downloadFile } from '../../ui/download.ts'

/**
 * The error log on the Diagnostics page: the newest entries (each with the id an error message named),
 * reloaded on demand, and the whole log saved as a text file (a download in the browser, the save dialog
 * in Electron, as every other file the app makes).
 */
export function LogPanel() {
  const { t } = useTranslation()
  const log = useData('app.log')
  const [error, setError] = useState<unknown>(null)
  const text = log.data?.text ?? ''
  const pre = useRef<HTMLPreElement>(null)
  // The newest entries are at the end: show them first.
  useEffect(() => {
    if (pre.current) pre.current.scrollTop = pre.current.scrollHeight
  }, [text])

  async function save() {
    setError(null)
    try {
      downloadFile(await call('app.logFile'))
    } catch (e) {
      setError(e)
    }
  }

  return (
    <section aria-labelledby="error-log-title">
      <h2 id="error-log-title">{t('errorLog.title')}</h2>
      <p className="muted">{t('errorLog.intro')}</p>
      <ErrorMessage error={error ?? log.error} />
      {log.data ? (
        text ? (
          <>
            {log.data.truncated ? <p className="muted">{t('errorLog.truncated')}</p> : null}
            <pre ref={pre} className="log-text" tabIndex={0} aria-label={t('errorLog.title')}>
              {text}
            </pre>
          </>
        ) : (
          <p>{t('errorLog.empty')}</p>
        )
      ) : null}
      {log.data ? <p className="muted">{t('errorLog.path', { path: log.data.path })}</p> : null}
      <div className="actions">
        <button type="button" onClick={() => log.reload()}>
          {t('errorLog.reload')}
        </button>
        <button type="button" onClick={() => void save()} disabled={!text}>
          {t('errorLog.save')}
        </button>
      </div>
    </section>
  )
}
