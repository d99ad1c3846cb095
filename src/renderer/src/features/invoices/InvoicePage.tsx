import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { call } from '../../ui/api.ts'
import { ConfirmDialog, ErrorMessage, PageTitle, Status } from '../../ui/components.tsx'
import { useData } from '../../ui/data.ts'
import { downloadFile } from '../../ui/download.ts'
import { formatDay, formatMoney } from '../../ui/format.ts'
import { href, navigate } from '../../ui/route.ts'
import { CreditForm, Payments } from './IssuedParts.tsx'
import { DraftForm } from './DraftForm.tsx'
import { type Invoice, problemText, quantityText, rateText, signOf } from './invoice.ts'

/**
 * One invoice document: its header (kind, number, status, recipient, dates, VAT case and legal note, the
 * distance-selling total), its lines, the VAT per rate, the totals with the deposit deducted and the
 * balance or refund. A draft can be edited, previewed, issued or deleted; an issued invoice downloaded
 * and cancelled with a credit note; a deposit request takes the payments received.
 */
export function InvoicePage({ id, newDraft }: { id: string; newDraft: string }) {
  const { t } = useTranslation()
  const invoice = useData('invoices.get', { id }, ['invoices', 'buyers', 'orders', 'consolidation', 'settings'])
  const inv = invoice.data
  // Issuing takes the draft as saved: while its form holds unsaved changes, Issue waits for them.
  const [unsaved, setUnsaved] = useState(false)
  return (
    <section className="invoice-page">
      <p className="back">
        <a href={href(['invoices'], { round: inv?.roundId })}>{t('invoices.backToRound')}</a>
      </p>
      <div className="page-head">
        <PageTitle>
          {inv
            ? inv.number
              ? t('invoices.kindTitle', { kind: t(`invoiceKinds.${inv.kind}`), number: inv.number })
              : t('invoices.draftTitle', { kind: t(`invoiceKinds.${inv.kind}`), buyer: inv.buyerName })
            : t('invoices.title')}
        </PageTitle>
        {inv ? <span className="badge">{inv.status === 'draft' ? t('invoices.draft') : t('invoices.issued')}</span> : null}
      </div>
      <ErrorMessage error={invoice.error} />
      {inv ? (
        <>
          {newDraft && inv.kind === 'credit_note' && inv.number ? (
            <Status>
              {t('invoices.credited', { number: inv.number })} <a href={href(['invoices', newDraft])}>{t('invoices.newDraft', { buyer: inv.buyerName })}</a>
            </Status>
          ) : null}
          <Header inv={inv} />
          {inv.status === 'draft' ? <Problems inv={inv} /> : null}
          <Lines inv={inv} />
          <Totals inv={inv} />
          {inv.status === 'draft' ? (
            <>
              <DraftActions inv={inv} unsaved={unsaved} />
              <DraftForm key={inv.id} inv={inv} onDirty={setUnsaved} />
            </>
          ) : (
            <Files inv={inv} />
          )}
          {inv.status === 'issued' && inv.kind === 'deposit' ? <Payments inv={inv} /> : null}
          {inv.status === 'issued' && inv.kind === 'invoice' && !inv.creditedBy ? <CreditForm inv={inv} /> : null}
        </>
      ) : null}
    </section>
  )
}

function Header({ inv }: { inv: Invoice }) {
  const { t, i18n } = useTranslation()
  const lang = i18n.language
  const d = inv.document
  const day = (v: string | null) => (v ? formatDay(v, lang) : '–')
  return (
    <dl className="facts prose invoice-facts">
      <div>
        <dt>{t('invoices.buyer')}</dt>
        <dd>
          <a href={href(['invoices', 'buyer', inv.buyerId])}>{inv.buyerName}</a>
          <span className="muted">{` · ${[d.buyer.street, `${d.buyer.postalCode} ${d.buyer.city}`.trim(), d.buyer.country].filter(Boolean).join(', ')}`}</span>
          {d.buyer.vatId ? <span className="muted">{` · ${d.buyer.vatId}`}</span> : null}
        </dd>
      </div>
      <div>
        <dt>{t('invoices.roundColumn')}</dt>
        <dd>{inv.roundName}</dd>
      </div>
      <div>
        <dt>{t('invoices.issueDate')}</dt>
        <dd>{inv.status === 'draft' ? `${day(d.issueDate)} (${t('invoices.draft')})` : day(d.issueDate)}</dd>
      </div>
      {d.deliveryDate ? (
        <div>
          <dt>{t('invoices.deliveryDate')}</dt>
          <dd>{day(d.deliveryDate)}</dd>
        </div>
      ) : null}
      {d.dueDate ? (
        <div>
          <dt>{t('invoices.dueDate')}</dt>
          <dd>{day(d.dueDate)}</dd>
        </div>
      ) : null}
      <div>
        <dt>{t('invoices.vatCase')}</dt>
        <dd>{t(`vatCases.${d.vatCase}`)}</dd>
      </div>
      {d.legalNote ? (
        <div>
          <dt>{t('invoices.legalNote')}</dt>
          <dd>{d.legalNote}</dd>
        </div>
      ) : null}
      {inv.creditedBy ? (
        <div>
          <dt>{t('invoices.status')}</dt>
          <dd>
            <a href={href(['invoices', inv.creditedBy.id])}>{t('invoices.creditedBy', { number: inv.creditedBy.number })}</a>
          </dd>
        </div>
      ) : null}
      {inv.credits ? (
        <div>
          <dt>{t('invoices.status')}</dt>
          <dd>
            <a href={href(['invoices', inv.credits.id])}>{t('invoices.credits', { number: inv.credits.number })}</a>
          </dd>
        </div>
      ) : null}
      {inv.notes && inv.kind === 'credit_note' ? (
        <div>
          <dt>{t('invoices.creditReason')}</dt>
          <dd>{inv.notes}</dd>
        </div>
      ) : null}
      {inv.distanceSelling ? (
        <div>
          <dt>{t('invoices.distance')}</dt>
          <dd>
            {t('invoices.distanceValue', { amount: formatMoney(inv.distanceSelling.totalMinor, 'EUR', lang) })}
            {inv.distanceSelling.level === 'near' ? (
              <span className="message error inline" role="note">
                {t('invoices.distanceNear')}
              </span>
            ) : null}
          </dd>
        </div>
      ) : null}
    </dl>
  )
}

function Problems({ inv }: { inv: Invoice }) {
  const { t } = useTranslation()
  if (!inv.problems.length) return null
  return (
    <div className="message error" role="alert">
      <p className="problems-head">{t('invoices.problems')}</p>
      <ul className="issues">
        {inv.problems.map((p, i) => (
          <li key={i}>{problemText(t, p)}</li>
        ))}
      </ul>
    </div>
  )
}

function Lines({ inv }: { inv: Invoice }) {
  const { t, i18n } = useTranslation()
  const lang = i18n.language
  const d = inv.document
  const sign = signOf(inv.kind)
  return (
    <div className="table-wrap">
      <table className="lines invoice-lines">
        <caption>{t('invoices.lines')}</caption>
        <thead>
          <tr>
            <th scope="col" className="num">
              {t('invoices.position')}
            </th>
            <th scope="col">{t('invoices.description')}</th>
            <th scope="col" className="num">
              {t('invoices.quantity')}
            </th>
            <th scope="col" className="num">
              {t('invoices.unitPrice')}
            </th>
            <th scope="col" className="num">
              {t('invoices.rate')}
            </th>
            <th scope="col" className="num">
              {t('invoices.lineNet')}
            </th>
          </tr>
        </thead>
        <tbody>
          {d.lines.map((l) => (
            <tr key={l.position}>
              <td className="num">{l.position}</td>
              <td>
                {l.description}
                {l.sku ? <span className="muted">{` · ${l.sku}`}</span> : null}
                {l.note ? <small className="line-note">{l.note}</small> : null}
              </td>
              <td className="num nowrap">{l.unitLabel ? `${quantityText(l.quantityMilli, lang)} ${l.unitLabel}` : quantityText(l.quantityMilli, lang)}</td>
              <td className="num nowrap">{formatMoney(l.unitPriceMinor, d.currency, lang)}</td>
              <td className="num nowrap">{rateText(l.rateBp, lang)}</td>
              <td className="num nowrap">{formatMoney(sign * l.netMinor, d.currency, lang)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

function Totals({ inv }: { inv: Invoice }) {
  const { t, i18n } = useTranslation()
  const lang = i18n.language
  const d = inv.document
  const sign = signOf(inv.kind)
  const m = (minor: number) => formatMoney(sign * minor, d.currency, lang)
  return (
    <div className="invoice-sums">
      {d.vatRates.length ? (
        <table className="lines compact vat-rates">
          <caption>{t('invoices.vatBreakdown')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('invoices.rate')}</th>
              <th scope="col" className="num">
                {t('invoices.taxable')}
              </th>
              <th scope="col" className="num">
                {t('invoices.totalVat')}
              </th>
            </tr>
          </thead>
          <tbody>
            {d.vatRates.map((r) => (
              <tr key={`${r.category}:${r.rateBp}`}>
                <td>{r.category === 'S' ? rateText(r.rateBp, lang) : `${rateText(r.rateBp, lang)} (${t('invoices.exempt')})`}</td>
                <td className="num nowrap">{m(r.netMinor)}</td>
                <td className="num nowrap">{m(r.vatMinor)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <dl className="totals invoice-totals" aria-label={t('invoices.totals')}>
        <div>
          <dt>{t('invoices.totalNet')}</dt>
          <dd>{m(d.netMinor)}</dd>
        </div>
        <div>
          <dt>{t('invoices.totalVat')}</dt>
          <dd>{m(d.vatMinor)}</dd>
        </div>
        <div>
          <dt>{t('invoices.totalGross')}</dt>
          <dd>{m(d.grossMinor)}</dd>
        </div>
        {d.prepaidMinor ? (
          <div>
            <dt>{inv.kind === 'credit_note' ? t('invoices.creditPrepaid') : t('invoices.prepaid')}</dt>
            <dd>{formatMoney(inv.kind === 'credit_note' ? d.prepaidMinor : -d.prepaidMinor, d.currency, lang)}</dd>
          </div>
        ) : null}
        {d.dueMinor < 0 && inv.kind !== 'credit_note' ? (
          <div>
            <dt>{t('invoices.refundAmount')}</dt>
            <dd>{formatMoney(-d.dueMinor, d.currency, lang)}</dd>
          </div>
        ) : (
          <div>
            <dt>{inv.kind === 'credit_note' ? t('invoices.creditTotal') : t('invoices.dueAmount')}</dt>
            <dd>{m(d.dueMinor)}</dd>
          </div>
        )}
      </dl>
    </div>
  )
}

/** A file of the document, downloaded on a click. */
function useDownload() {
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  async function get(method: 'invoices.exportPdf' | 'invoices.exportXml', id: string) {
    if (busy) return
    setBusy(true)
    setError(null)
    try {
      downloadFile(await call(method, { id }))
    } catch (e) {
      setError(e)
    } finally {
      setBusy(false)
    }
  }
  return { error, busy, get }
}

/** An issued document's files: the PDF, the e-invoice XML (not for a deposit request), and its checksum. */
function Files({ inv }: { inv: Invoice }) {
  const { t } = useTranslation()
  const dl = useDownload()
  return (
    <div className="invoice-files">
      <ErrorMessage error={dl.error} />
      <div className="actions">
        <button type="button" disabled={dl.busy} onClick={() => void dl.get('invoices.exportPdf', inv.id)}>
          {t('invoices.pdf')}
        </button>
        {inv.kind !== 'deposit' ? (
          <button type="button" disabled={dl.busy} onClick={() => void dl.get('invoices.exportXml', inv.id)}>
            {t('invoices.xml')}
          </button>
        ) : null}
      </div>
      {inv.hash ? (
        <p className="muted hash">
          {t('invoices.hash')}: <code>{inv.hash}</code>
        </p>
      ) : null}
    </div>
  )
}

/** A draft's steps: the PDF preview (marked as a draft), issuing it, deleting it; each irreversible one confirmed. */
function DraftActions({ inv, unsaved }: { inv: Invoice; unsaved: boolean }) {
  const { t } = useTranslation()
  const dl = useDownload()
  const [asking, setAsking] = useState<'issue' | 'delete' | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [status, setStatus] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  async function issue() {
    setAsking(null)
    setBusy(true)
    setError(null)
    try {
      const r = await call('invoices.issue', { id: inv.id })
      setStatus(t('invoices.issuedOne', { number: r.number ?? '' }))
    } catch (e) {
      setError(e)
    } finally {
      setBusy(false)
    }
  }

  async function remove() {
    setAsking(null)
    setBusy(true)
    setError(null)
    try {
      await call('invoices.deleteDraft', { id: inv.id })
      navigate(href(['invoices'], { round: inv.roundId }))
    } catch (e) {
      setError(e)
      setBusy(false)
    }
  }

  return (
    <div className="invoice-draft-actions">
      <ErrorMessage error={error ?? dl.error} />
      {status ? <Status>{status}</Status> : null}
      <div className="actions">
        <button type="button" disabled={dl.busy} onClick={() => void dl.get('invoices.exportPdf', inv.id)}>
          {t('invoices.preview')}
        </button>
        <button
          type="button"
          className="primary"
          disabled={busy || unsaved || inv.problems.length > 0}
          aria-describedby={unsaved ? `unsaved-${inv.id}` : undefined}
          onClick={() => setAsking('issue')}
        >
          {t('invoices.issue')}
        </button>
        {unsaved ? (
          <span id={`unsaved-${inv.id}`} className="muted">
            {t('invoices.saveFirst')}
          </span>
        ) : null}
        <span className="spring" />
        <button type="button" className="danger" disabled={busy} onClick={() => setAsking('delete')}>
          {t('invoices.deleteDraft')}
        </button>
      </div>
      <ConfirmDialog
        open={asking === 'issue'}
        title={t('invoices.issueTitle')}
        text={t('invoices.issueConfirm', { buyer: inv.buyerName })}
        confirmLabel={t('invoices.issue')}
        onCancel={() => setAsking(null)}
        onConfirm={() => void issue()}
      />
      <ConfirmDialog
        open={asking === 'delete'}
        title={t('invoices.deleteTitle')}
        text={t('invoices.deleteConfirm', { buyer: inv.buyerName })}
        confirmLabel={t('invoices.deleteDraft')}
        danger
        onCancel={() => setAsking(null)}
        onConfirm={() => void remove()}
      />
    </div>
  )
}

