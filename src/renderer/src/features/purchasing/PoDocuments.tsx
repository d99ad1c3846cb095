import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { Stage } from '../../../../shared/vocabulary.ts'
import { call } from '../../ui/api.ts'
import { ErrorMessage, Status } from '../../ui/components.tsx'
import { useData } from '../../ui/data.ts'
import { type DownloadFile, downloadFile } from '../../ui/download.ts'
import { formatDate } from '../../ui/format.ts'

/**
 * The documents of one purchase order: the order itself as PDF and XLSX (producing one is recorded, so
 * sending it no longer asks), and the change notice of each group that gets other than it ordered of
 * this order's products, as PDF (in the group's language) or CSV. Downloads in the browser; Electron
 * asks where to save each file.
 */
export function PoDocuments(props: { id: string; number: string; roundId: string; stage: Stage; documentAt: string | null }) {
  const { t, i18n } = useTranslation()
  const headingId = useId()
  const changes = useData('consolidation.changes', { roundId: props.roundId, stage: props.stage, purchaseOrderId: props.id }, [
    'consolidation',
    'orders',
    'purchaseOrders'
  ])
  const [busy, setBusy] = useState(false)
  const [ready, setReady] = useState<string | null>(null)
  const [error, setError] = useState<unknown>(null)

  async function get(make: () => Promise<DownloadFile>) {
    // A second click while a file is being made is ignored.
    if (busy) return
    setBusy(true)
    setError(null)
    setReady(null)
    try {
      const file = await make()
      downloadFile(file)
      setReady(t('consolidation.documentSaved', { file: file.fileName }))
    } catch (e) {
      setError(e)
    } finally {
      setBusy(false)
    }
  }
  const notice = (buyerId: string, format: 'pdf' | 'csv') =>
    get(() => call('consolidation.exportChanges', { roundId: props.roundId, stage: props.stage, format, buyerId, purchaseOrderId: props.id }))

  return (
    <div className="po-documents" role="group" aria-labelledby={headingId}>
      <h3 id={headingId} className="visually-hidden">
        {t('consolidation.documentsOf', { number: props.number })}
      </h3>
      <div className="row-buttons">
        <button type="button" aria-disabled={busy || undefined} onClick={() => void get(() => call('purchaseOrders.exportDocument', { id: props.id, format: 'pdf' }))}>
          {t('consolidation.orderPdf')}
        </button>
        <button type="button" aria-disabled={busy || undefined} onClick={() => void get(() => call('purchaseOrders.exportDocument', { id: props.id, format: 'xlsx' }))}>
          {t('consolidation.orderXlsx')}
        </button>
        <span className="muted">
          {props.documentAt ? t('consolidation.documentMade', { date: formatDate(props.documentAt, i18n.language, 'datetime') }) : t('consolidation.noDocument')}
        </span>
      </div>
      <p className="muted">{t('consolidation.changeNoticesHint', { stage: t(`consolidation.stages.${props.stage}`) })}</p>
      {changes.data && changes.data.length === 0 ? <p className="muted">{t('consolidation.noNotices')}</p> : null}
      {changes.data && changes.data.length > 0 ? (
        <ul className="notice-list">
          {changes.data.map((b) => (
            <li key={b.buyerId}>
              <span>{b.buyerName}</span>{' '}
              <button type="button" aria-label={t('consolidation.noticePdfFor', { buyer: b.buyerName })} onClick={() => void notice(b.buyerId, 'pdf')}>
                {t('consolidation.noticePdf')}
              </button>{' '}
              <button type="button" aria-label={t('consolidation.noticeCsvFor', { buyer: b.buyerName })} onClick={() => void notice(b.buyerId, 'csv')}>
                {t('consolidation.noticeCsv')}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      {ready ? <Status>{ready}</Status> : null}
      <ErrorMessage error={error ?? changes.error} />
    </div>
  )
}
