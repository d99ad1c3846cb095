import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { call } from '../../ui/api.ts'
import { ErrorMessage } from '../../ui/components.tsx'
import { type DownloadFile, downloadFile } from '../../ui/download.ts'
import { href } from '../../ui/route.ts'

type FileKind = 'formXlsx' | 'formPdf' | 'matrixXlsx' | 'matrixCsv'

/**
 * The files of the order entry: the buyer's order form (XLSX to fill in, PDF to print) and the order
 * matrix of the whole round (every buyer × every product), plus the way to import filled forms.
 */
export function OrderFiles({ roundId, buyerId, buyerName }: { roundId: string; buyerId: string; buyerName: string }) {
  const { t } = useTranslation()
  const id = useId()
  const [busy, setBusy] = useState<FileKind | null>(null)
  const [ready, setReady] = useState<string | null>(null)
  const [error, setError] = useState<unknown>(null)

  async function run(kind: FileKind) {
    // A second click while a file is being made is ignored (the buttons stay focusable meanwhile).
    if (busy) return
    setBusy(kind)
    setError(null)
    setReady(null)
    try {
      let file: DownloadFile
      if (kind === 'formXlsx' || kind === 'formPdf') {
        file = await call('orders.exportForm', { roundId, buyerId, format: kind === 'formXlsx' ? 'xlsx' : 'pdf' })
      } else {
        file = await call('orders.exportMatrix', { roundId, format: kind === 'matrixXlsx' ? 'xlsx' : 'csv' })
      }
      downloadFile(file)
      setReady(file.fileName)
    } catch (e) {
      setError(e)
    } finally {
      setBusy(null)
    }
  }

  const button = (kind: FileKind, disabled: boolean) => (
    <button type="button" disabled={disabled} aria-disabled={busy !== null || undefined} onClick={() => void run(kind)}>
      {t(`exchange.${kind}`)}
    </button>
  )

  return (
    <div className="order-files">
      <div className="file-group" role="group" aria-labelledby={`${id}-buyer`}>
        <span id={`${id}-buyer`} className="file-group-label">
          {t('exchange.forBuyer', { buyer: buyerName })}
        </span>
        {button('formXlsx', !roundId || !buyerId)}
        {button('formPdf', !roundId || !buyerId)}
      </div>
      <div className="file-group" role="group" aria-labelledby={`${id}-round`}>
        <span id={`${id}-round`} className="file-group-label">
          {t('exchange.forRound')}
        </span>
        {button('matrixXlsx', !roundId)}
        {button('matrixCsv', !roundId)}
        <a href={href(['orders', 'import'], { round: roundId })}>{t('exchange.importForms')}</a>
      </div>
      <p className="muted file-status" role="status">
        {busy ? t('exchange.preparing') : ready ? t('exchange.ready', { fileName: ready }) : null}
      </p>
      <ErrorMessage error={error} />
    </div>
  )
}
