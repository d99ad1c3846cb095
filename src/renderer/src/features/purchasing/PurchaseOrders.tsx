import { Fragment, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { Output } from '../../../../shared/api.ts'
import type { RoundStatus, Stage } from '../../../../shared/vocabulary.ts'
import { call } from '../../ui/api.ts'
import { ConfirmDialog } from '../../ui/components.tsx'
import { formatMoneyCode } from './moneyCode.ts'
import { PoDocuments } from './PoDocuments.tsx'
import { PoQuantities } from './PoQuantities.tsx'
import { PoTerms } from './PoTerms.tsx'

type PurchaseOrderRow = Output<'purchaseOrders.list'>[number]

/**
 * The purchase orders of a round, one per cooperative or exporter of record: created from the
 * consolidation once the round is closed, marked sent and confirmed (or a sent one set back to draft
 * after asking), with panels for one order's quantities and for its language and payment terms.
 */
export function PurchaseOrders(props: {
  roundId: string
  /** The consolidation's stage: the change notices tell what changed up to it. */
  stage: Stage
  /** The round's status: orders are created once it is closed. */
  roundStatus: RoundStatus | undefined
  orders: PurchaseOrderRow[] | null
  onRun: (fn: () => Promise<string | null>) => Promise<void>
}) {
  const { roundId, roundStatus, onRun: run } = props
  const { t, i18n } = useTranslation()
  const lang = i18n.language
  const [quantitiesFor, setQuantitiesFor] = useState<string | null>(null)
  const [termsFor, setTermsFor] = useState<string | null>(null)
  const [documentsFor, setDocumentsFor] = useState<string | null>(null)
  /** A draft whose document was never produced, that the coordinator asked to mark as sent. */
  const [sendUnmade, setSendUnmade] = useState<PurchaseOrderRow | null>(null)
  const setStatus = (id: string, status: 'sent' | 'confirmed') =>
    void run(async () => {
      await call('purchaseOrders.setStatus', { id, status })
      return null
    })
  /** A sent order the coordinator asked to set back to draft, until they confirm or cancel. */
  const [backToDraft, setBackToDraft] = useState<{ id: string; number: string; supplierName: string } | null>(null)
  return (
    <>
      <h2>{t('consolidation.purchaseOrders')}</h2>
      <div className="actions">
        <button
          type="button"
          className="primary"
          disabled={!(roundStatus === 'closed' || roundStatus === 'ordered')}
          onClick={() => void run(async () => t('consolidation.created', { count: (await call('purchaseOrders.create', { roundId })).length }))}
        >
          {t('consolidation.createPurchaseOrders')}
        </button>
        {roundStatus && roundStatus !== 'closed' && roundStatus !== 'ordered' ? <span className="muted">{t('consolidation.closeFirst')}</span> : null}
      </div>
      <div className="table-wrap">
        <table className="lines">
          <thead>
            <tr>
              <th scope="col">{t('consolidation.number')}</th>
              <th scope="col">{t('consolidation.supplier')}</th>
              <th scope="col">{t('rounds.status')}</th>
              <th scope="col">{t('consolidation.language')}</th>
              <th scope="col" className="num">{t('consolidation.value')}</th>
              <th scope="col">{t('consolidation.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {(props.orders ?? []).map((po) => (
              <Fragment key={po.id}>
                <tr>
                  <td className="nowrap">{po.number}</td>
                  <td title={po.supplierName}>{po.supplierShortName}</td>
                  <td>{t(`consolidation.poStatus.${po.status}`)}</td>
                  <td>{t(`language.${po.language}`)}</td>
                  <td className="num">
                    {formatMoneyCode(po.totalMinor, po.currency, lang)}
                    {po.shippedMinor !== null && po.shippedMinor !== po.totalMinor ? (
                      <>
                        <br />
                        <small className="muted">{t('consolidation.shippedValue', { amount: formatMoneyCode(po.shippedMinor, po.currency, lang) })}</small>
                      </>
                    ) : null}
                  </td>
                  <td>
                    <div className="row-buttons">
                      <button type="button" aria-expanded={documentsFor === po.id} onClick={() => setDocumentsFor(documentsFor === po.id ? null : po.id)}>
                        {t('consolidation.documents')}
                      </button>
                      <button type="button" aria-expanded={quantitiesFor === po.id} onClick={() => setQuantitiesFor(quantitiesFor === po.id ? null : po.id)}>
                        {t('consolidation.quantities')}
                      </button>
                      <button type="button" aria-expanded={termsFor === po.id} onClick={() => setTermsFor(termsFor === po.id ? null : po.id)}>
                        {t('consolidation.terms')}
                      </button>
                      {po.status !== 'confirmed' ? (
                        <button
                          type="button"
                          onClick={() => {
                            // Sending an order whose document was never produced asks first.
                            if (po.status === 'draft' && !po.documentAt) setSendUnmade(po)
                            else setStatus(po.id, po.status === 'draft' ? 'sent' : 'confirmed')
                          }}
                        >
                          {t('consolidation.markAs', { status: t(`consolidation.poStatus.${po.status === 'draft' ? 'sent' : 'confirmed'}`) })}
                        </button>
                      ) : null}
                      {/* A shipped order stays as it is (the core refuses it too). */}
                      {po.status === 'sent' && po.shippedMinor === null ? (
                        <button type="button" onClick={() => setBackToDraft({ id: po.id, number: po.number, supplierName: po.supplierName })}>
                          {t('consolidation.backToDraft')}
                        </button>
                      ) : null}
                    </div>
                  </td>
                </tr>
                {documentsFor === po.id ? (
                  <tr className="detail">
                    <td colSpan={6}>
                      <PoDocuments id={po.id} number={po.number} roundId={roundId} stage={props.stage} documentAt={po.documentAt} />
                    </td>
                  </tr>
                ) : null}
              </Fragment>
            ))}
          </tbody>
        </table>
      </div>
      <ConfirmDialog
        open={sendUnmade !== null}
        text={sendUnmade ? t('consolidation.confirmSendWithoutDocument', { number: sendUnmade.number, supplier: sendUnmade.supplierName }) : ''}
        onCancel={() => setSendUnmade(null)}
        onConfirm={() => {
          const po = sendUnmade
          setSendUnmade(null)
          if (po) setStatus(po.id, 'sent')
        }}
      />
      <ConfirmDialog
        open={backToDraft !== null}
        text={backToDraft ? t('consolidation.confirmBackToDraft', { number: backToDraft.number, supplier: backToDraft.supplierName }) : ''}
        confirmLabel={t('consolidation.backToDraft')}
        onCancel={() => setBackToDraft(null)}
        onConfirm={() => {
          const po = backToDraft
          setBackToDraft(null)
          if (po)
            void run(async () => {
              await call('purchaseOrders.setStatus', { id: po.id, status: 'draft' })
              // What it is for: the order's language and payment terms open, ready to correct.
              setTermsFor(po.id)
              return t('consolidation.backToDraftDone', { number: po.number })
            })
        }}
      />
      {quantitiesFor ? <PoQuantities key={quantitiesFor} id={quantitiesFor} onRun={run} /> : null}
      {termsFor ? <PoTerms key={termsFor} id={termsFor} /> : null}
    </>
  )
}
