import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { Output } from '../../../../shared/api.ts'
import { call } from '../../ui/api.ts'
import { ConfirmDialog, ErrorMessage, PageTitle, Status } from '../../ui/components.tsx'
import { useData } from '../../ui/data.ts'
import { downloadFile } from '../../ui/download.ts'
import { DateField, TextField } from '../../ui/form.tsx'
import { formatDate, formatMoney, formatNumber } from '../../ui/format.ts'
import { href, type Route } from '../../ui/route.ts'
import { RoundField, useRoundChoice } from '../rounds/roundChoice.tsx'

type Preview = Output<'closing.get'>
type Figures = Preview['figures']

/**
 * Closing a round (`#/closing?round=…`): what still stands in the way, the result explained step by step,
 * the solidarity contributions per cooperative as transfers due with their bank details, the reserve,
 * per group what was invoiced and paid; closing (asks first, says it locks the round) and reopening (with
 * a reason), and the report as PDF and CSV.
 */
export function Closing({ route }: { route: Route }) {
  const { t, i18n } = useTranslation()
  const lang = i18n.language
  const rounds = useRoundChoice(['invoiced', 'settled', 'received'], route.query.get('round') ?? '')
  const roundId = rounds.roundId
  const preview = useData('closing.get', roundId ? { roundId } : null, ['closing', 'rounds', 'invoices', 'payments', 'shipments', 'purchaseOrders', 'stock'])
  const [confirm, setConfirm] = useState(false)
  const [reopening, setReopening] = useState(false)
  const [reason, setReason] = useState('')
  const [reasonError, setReasonError] = useState<string | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [status, setStatus] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [executionDate, setExecutionDate] = useState('')
  const p = preview.data
  const f = p?.figures
  const m = (minor: number) => (f ? formatMoney(minor, f.currency, lang) : '')

  async function run(work: () => Promise<string>) {
    setError(null)
    setStatus(null)
    setBusy(true)
    try {
      // Kept as a key: the line follows a change of language.
      setStatus(await work())
    } catch (e) {
      setError(e)
    } finally {
      setBusy(false)
    }
  }

  const close = () =>
    run(async () => {
      setConfirm(false)
      await call('closing.close', { roundId, accept: true })
      return 'closing.closed'
    })

  const reopen = () => {
    if (!reason.trim()) {
      setReasonError(t('fieldErrors.required'))
      return
    }
    void run(async () => {
      await call('closing.reopen', { roundId, reason })
      setReopening(false)
      setReason('')
      return 'closing.reopened'
    })
  }

  const download = (method: 'closing.reportPdf' | 'closing.reportCsv') =>
    run(async () => {
      downloadFile(await call(method, { roundId }))
      return 'closing.downloaded'
    })

  return (
    <section className="closing-page">
      <PageTitle>{t('closing.title')}</PageTitle>
      <p>{t('closing.intro')}</p>
      <div className="toolbar">
        <RoundField
          label={t('closing.round')}
          rows={rounds.rows}
          value={roundId}
          onChange={(v) => {
            rounds.setRoundId(v)
            setStatus(null)
            setError(null)
          }}
        />
      </div>
      <ErrorMessage error={rounds.error ?? preview.error ?? error} />
      {status ? <Status>{t(status)}</Status> : null}
      {p && f ? (
        <>
          {p.status === 'closed' ? (
            <p className="message ok closed-note">{t('closing.isClosed', { when: f.closedAt ? formatDate(f.closedAt, lang, 'datetime') : '' })}</p>
          ) : null}
          {p.blockers.length ? (
            <div className="message error" role="note">
              <p>{t('closing.blockedIntro')}</p>
              <ul>
                {p.blockers.map((b) => (
                  <li key={b.code}>{t(`errors.closing.${b.code}`, b.params)}</li>
                ))}
              </ul>
            </div>
          ) : null}
          {p.warnings.length ? (
            <div className="message warning" role="note">
              <ul>
                {p.warnings.map((w) => (
                  <li key={w.code}>{t(`errors.closing.${w.code}`, w.params)}</li>
                ))}
              </ul>
            </div>
          ) : null}
          <div className="actions">
            {p.status === 'open' ? (
              <button type="button" className="primary" disabled={busy || p.blockers.length > 0} onClick={() => setConfirm(true)}>
                {t('closing.close')}
              </button>
            ) : (
              <button type="button" disabled={busy} onClick={() => setReopening(true)}>
                {t('closing.reopen')}
              </button>
            )}
            <button type="button" disabled={busy} onClick={() => void download('closing.reportPdf')}>
              {t('closing.reportPdf')}
            </button>
            <button type="button" disabled={busy} onClick={() => void download('closing.reportCsv')}>
              {t('closing.reportCsv')}
            </button>
          </div>
          {reopening ? (
            <form
              className="reopen-form"
              noValidate
              onSubmit={(e) => {
                e.preventDefault()
                reopen()
              }}
            >
              <p>{t('closing.reopenWhat')}</p>
              <TextField
                name="reason"
                label={t('closing.reason')}
                value={reason}
                error={reasonError}
               
                onChange={(v) => {
                  setReason(v)
                  setReasonError(null)
                }}
              />
              <div className="actions">
                <button type="button" onClick={() => setReopening(false)}>
                  {t('common.cancel')}
                </button>
                <button type="submit" className="primary" disabled={busy}>
                  {t('closing.reopenSubmit')}
                </button>
              </div>
            </form>
          ) : null}
          <Statement f={f} m={m} />
          <Cooperatives f={f} m={m} />
          {p.status === 'closed' && f.contributionsMinor > 0 ? (
            <div className="toolbar transfers">
              <DateField name="executionDate" label={t('closing.transfersDay')} value={executionDate} error={null} onChange={setExecutionDate} />
              <button type="button" disabled={busy} onClick={() => void run(async () => {
                downloadFile(await call('closing.contributionsFile', { roundId, executionDate }))
                return 'closing.transfersDone'
              })}>
                {t('closing.transfersFile')}
              </button>
              <p className="hint">{t('closing.transfersHint')}</p>
            </div>
          ) : null}
          <Groups f={f} m={m} />
          {f.stock.length ? <Stock f={f} m={m} /> : null}
          {f.exchange.length ? <Exchange f={f} m={m} /> : null}
          {p.events.length ? (
            <>
              <h2>{t('closing.history')}</h2>
              <ul className="closing-history">
                {p.events.map((e, i) => (
                  <li key={i}>
                    {formatDate(e.at, lang, 'datetime')}: {t(`closing.event.${e.action}`)}
                    {e.reason ? ` – ${e.reason}` : ''}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          <ConfirmDialog
            open={confirm}
            title={t('closing.confirmTitle', { round: f.roundName })}
            text={[t('closing.confirmText', { reserve: m(f.reserveMinor), contributions: m(f.contributionsMinor) }), ...p.warnings.map((w) => t(`errors.closing.${w.code}`, w.params))].join(' ')}
            confirmLabel={t('closing.close')}
            danger
            onCancel={() => setConfirm(false)}
            onConfirm={() => void close()}
          />
        </>
      ) : null}
      {!roundId && rounds.rows.length === 0 ? <p className="muted">{t('closing.noRounds')}</p> : null}
      <p className="hint">
        <a href={href(['payments', 'exporter'])}>{t('closing.toExporter')}</a>
      </p>
    </section>
  )
}

type Part = { f: Figures; m: (minor: number) => string }

/** The result explained step by step, then the reserve. */
function Statement({ f, m }: Part) {
  const { t } = useTranslation()
  const signed = (minor: number) => (minor < 0 ? `− ${m(-minor)}` : `+ ${m(minor)}`)
  return (
    <>
      <h2>{t('closing.resultTitle')}</h2>
      <table className="lines closing-statement">
        <caption className="visually-hidden">{t('closing.resultTitle')}</caption>
        <tbody>
          <tr>
            <th scope="row">{t('closing.goodsNet')}</th>
            <td className="num nowrap">{m(f.goodsNetMinor)}</td>
          </tr>
          <tr>
            <th scope="row">{t('closing.stockValue')}</th>
            <td className="num nowrap">{signed(f.stockValueMinor)}</td>
          </tr>
          <tr>
            <th scope="row">{t('closing.landed')}</th>
            <td className="num nowrap">{signed(-f.landedMinor)}</td>
          </tr>
          <tr>
            <th scope="row">{t('closing.exchangeDifference')}</th>
            <td className="num nowrap">{signed(f.exchangeDifferenceMinor)}</td>
          </tr>
          <tr className="sum">
            <th scope="row">{t('closing.result')}</th>
            <td className="num nowrap">{m(f.resultMinor)}</td>
          </tr>
          <tr>
            <th scope="row">{t('closing.contributions')}</th>
            <td className="num nowrap">{signed(-f.contributionsMinor)}</td>
          </tr>
          <tr className="sum">
            <th scope="row">{t('closing.reserve')}</th>
            <td className="num nowrap">{m(f.reserveMinor)}</td>
          </tr>
        </tbody>
      </table>
      <p className="hint">{t('closing.passThrough', { shipping: m(f.shippingNetMinor), charges: m(f.chargesNetMinor) })}</p>
      {f.stockContributionsMinor ? <p className="hint">{t('closing.stockContributions', { amount: m(f.stockContributionsMinor) })}</p> : null}
    </>
  )
}

function Cooperatives({ f, m }: Part) {
  const { t, i18n } = useTranslation()
  const lang = i18n.language
  return (
    <>
      <h2>{t('closing.cooperativesTitle')}</h2>
      <div className="table-wrap">
        <table className="lines closing-cooperatives">
          <caption className="visually-hidden">{t('closing.cooperativesTitle')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('closing.cooperative')}</th>
              <th scope="col" className="num">
                {t('closing.goodsValue')}
              </th>
              <th scope="col" className="num">
                {t('closing.contribution')}
              </th>
              <th scope="col">{t('closing.bank')}</th>
            </tr>
          </thead>
          <tbody>
            {f.cooperatives.map((c) => (
              <tr key={c.supplierId}>
                <th scope="row">
                  {c.name}
                  {c.products.length ? (
                    <span className="sub-line">
                      {c.products
                        .map((p) =>
                          t('closing.productLine', { sku: p.sku, quantity: formatNumber(p.deliveredMilli / 1000, lang), unit: p.unit, perUnit: formatMoney(p.perUnitMinor, p.perUnitCurrency, lang) })
                        )
                        .join(' · ')}
                    </span>
                  ) : null}
                </th>
                <td className="num nowrap">{m(c.goodsNetMinor)}</td>
                <td className="num nowrap">{m(c.contributionMinor)}</td>
                <td>{bankText(c.bank) || <span className="muted">{t('closing.noBank')}</span>}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">{t('closing.total')}</th>
              <td className="num nowrap">{m(f.goodsNetMinor)}</td>
              <td className="num nowrap">{m(f.contributionsMinor)}</td>
              <td />
            </tr>
          </tfoot>
        </table>
      </div>
    </>
  )
}

const bankText = (b: Figures['cooperatives'][number]['bank']) =>
  [b.iban ? `IBAN ${b.iban.replace(/(.{4})/g, '$1 ').trim()}` : null, b.bic ? `BIC ${b.bic}` : null, b.cbu ? `CBU ${b.cbu}` : null, b.bankName].filter(Boolean).join(' · ')

function Groups({ f, m }: Part) {
  const { t } = useTranslation()
  return (
    <>
      <h2>{t('closing.groupsTitle')}</h2>
      <div className="table-wrap">
        <table className="lines closing-groups">
          <caption className="visually-hidden">{t('closing.groupsTitle')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('closing.group')}</th>
              <th scope="col" className="num">
                {t('closing.goodsNetShort')}
              </th>
              <th scope="col" className="num">
                {t('closing.gross')}
              </th>
              <th scope="col" className="num">
                {t('closing.received')}
              </th>
              <th scope="col" className="num">
                {t('closing.open')}
              </th>
            </tr>
          </thead>
          <tbody>
            {f.groups.map((g) => (
              <tr key={g.buyerId}>
                <th scope="row">{g.name}</th>
                <td className="num nowrap">{m(g.goodsNetMinor)}</td>
                <td className="num nowrap">{m(g.grossMinor)}</td>
                <td className="num nowrap">{m(g.receivedMinor)}</td>
                <td className="num nowrap">{m(g.openMinor)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">{t('closing.total')}</th>
              <td className="num nowrap">{m(f.goodsNetMinor)}</td>
              <td className="num nowrap">{m(f.invoicedGrossMinor)}</td>
              <td className="num nowrap">{m(f.receivedMinor)}</td>
              <td className="num nowrap">{m(f.invoicedGrossMinor - f.receivedMinor)}</td>
            </tr>
          </tfoot>
        </table>
      </div>
      {f.refundedMinor ? <p className="hint">{t('closing.refunded', { amount: m(f.refundedMinor) })}</p> : null}
    </>
  )
}

function Stock({ f, m }: Part) {
  const { t, i18n } = useTranslation()
  return (
    <>
      <h2>{t('closing.stockTitle')}</h2>
      <table className="lines closing-stock">
        <caption className="visually-hidden">{t('closing.stockTitle')}</caption>
        <tbody>
          {f.stock.map((s) => (
            <tr key={s.sku}>
              <th scope="row">
                {s.sku} · {s.name}
              </th>
              <td className="num nowrap">
                {formatNumber(s.quantityMilli / 1000, i18n.language)} {s.unit}
              </td>
              <td className="num nowrap">{m(s.valueMinor)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  )
}

function Exchange({ f, m }: Part) {
  const { t, i18n } = useTranslation()
  return (
    <>
      <h2>{t('closing.exchangeTitle')}</h2>
      <div className="table-wrap">
        <table className="lines closing-exchange">
          <caption className="visually-hidden">{t('closing.exchangeTitle')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('closing.order')}</th>
              <th scope="col" className="num">
                {t('closing.paid')}
              </th>
              <th scope="col" className="num">
                {t('closing.paidBase')}
              </th>
              <th scope="col" className="num">
                {t('closing.bookValue')}
              </th>
              <th scope="col" className="num">
                {t('closing.difference')}
              </th>
            </tr>
          </thead>
          <tbody>
            {f.exchange.map((e) => (
              <tr key={e.purchaseOrderNumber}>
                <th scope="row">
                  {e.purchaseOrderNumber} · {e.supplierName}
                </th>
                <td className="num nowrap">{formatMoney(e.paidMinor, e.currency, i18n.language)}</td>
                <td className="num nowrap">{m(e.paidBaseMinor)}</td>
                <td className="num nowrap">{m(e.bookValueMinor)}</td>
                <td className="num nowrap">{m(e.differenceMinor)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  )
}
