import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { call } from '../../ui/api.ts'
import { ErrorMessage, Status } from '../../ui/components.tsx'
import { useData } from '../../ui/data.ts'
import { downloadFile } from '../../ui/download.ts'

type Paper = 'invoice' | 'packing' | 'broker' | 'cn23'

/** A country code's name in the UI language ("AT" → "Österreich"); the code itself where Intl has none. */
function countryName(code: string, language: string): string {
  try {
    return new Intl.DisplayNames([language], { type: 'region' }).of(code) ?? code
  } catch {
    return code
  }
}

/**
 * A shipment's customs papers, one click each: the commercial invoice, the packing list, the data sheet
 * for the customs broker and (post and courier only) the CN23, as PDFs in English with Spanish; and what
 * the rules ask for besides them (VI-1 for wine, excise for Austria and Switzerland, TRACES for organic
 * goods, precise descriptions for ICS2). A paper the core refuses (missing weights) says why.
 */
export function ShipmentPapers({ shipmentId }: { shipmentId: string }) {
  const { t, i18n } = useTranslation()
  const headingId = useId()
  const warningsId = useId()
  const shipment = useData('shipments.get', { id: shipmentId }, ['shipments', 'products'])
  const warnings = useData('shipments.paperWarnings', { id: shipmentId }, ['shipments', 'products', 'settings'])
  const [busy, setBusy] = useState<Paper | null>(null)
  const [ready, setReady] = useState<string | null>(null)
  const [error, setError] = useState<unknown>(null)

  async function get(paper: Paper) {
    // A second click while a paper is being made is ignored.
    if (busy) return
    setBusy(paper)
    setError(null)
    setReady(null)
    try {
      const file = await call('shipments.exportPaper', { id: shipmentId, paper })
      downloadFile(file)
      setReady(t('shipmentPapers.saved', { file: file.fileName }))
    } catch (e) {
      setError(e)
    } finally {
      setBusy(null)
    }
  }

  const postal = shipment.data?.mode === 'post' || shipment.data?.mode === 'courier'
  const papers: Paper[] = postal ? ['invoice', 'packing', 'broker', 'cn23'] : ['invoice', 'packing', 'broker']
  return (
    <section className="shipment-papers" aria-labelledby={headingId}>
      <h3 id={headingId}>{t('shipmentPapers.title')}</h3>
      <p className="muted">{t('shipmentPapers.hint')}</p>
      <div className="row-buttons">
        {papers.map((paper) => (
          <button key={paper} type="button" aria-disabled={busy !== null || undefined} aria-busy={busy === paper || undefined} onClick={() => void get(paper)}>
            {t(`shipmentPapers.${paper}`)}
          </button>
        ))}
      </div>
      {ready ? <Status>{ready}</Status> : null}
      <ErrorMessage error={error ?? shipment.error ?? warnings.error} />
      {warnings.data ? (
        <section aria-labelledby={warningsId}>
          <h4 id={warningsId}>{t('shipmentPapers.warningsTitle')}</h4>
          {warnings.data.length ? (
            <ul className="notice-list">
              {warnings.data.map((w) => (
                <li key={w.code}>
                  {t(`shipmentPapers.warnings.${w.code}`, {
                    ...w.params,
                    ...(typeof w.params.country === 'string' ? { country: countryName(w.params.country, i18n.language) } : {})
                  })}
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">{t('shipmentPapers.noWarnings')}</p>
          )}
        </section>
      ) : null}
    </section>
  )
}
