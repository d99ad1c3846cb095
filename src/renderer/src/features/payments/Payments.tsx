import { useTranslation } from 'react-i18next'
import { href, type Route } from '../../ui/route.ts'
import { Balances } from './Balances.tsx'
import { ExporterPayments } from './ExporterPayments.tsx'
import { Inbox } from './Inbox.tsx'
import { Refunds } from './Refunds.tsx'

const VIEWS = ['inbox', 'balances', 'refunds', 'exporter'] as const
type View = (typeof VIEWS)[number]

/**
 * Money in and out: the payments inbox (`#/payments`: bank statements imported, payments matched by hand),
 * the buyers' balances (`#/payments/balances`), the refunds of their credit (`#/payments/refunds`) and the
 * payments to the exporter (`#/payments/exporter`).
 */
export function Payments({ route }: { route: Route }) {
  const { t } = useTranslation()
  const second = route.segments[1] ?? ''
  const view: View = (VIEWS as readonly string[]).includes(second) ? (second as View) : 'inbox'
  return (
    <>
      <nav className="tabs" aria-label={t('payments.sections')}>
        {VIEWS.map((v) => (
          <a key={v} href={href(v === 'inbox' ? ['payments'] : ['payments', v])} aria-current={v === view ? 'page' : undefined}>
            {t(`payments.tab.${v}`)}
          </a>
        ))}
      </nav>
      {view === 'inbox' ? <Inbox /> : null}
      {view === 'balances' ? <Balances /> : null}
      {view === 'refunds' ? <Refunds /> : null}
      {view === 'exporter' ? <ExporterPayments /> : null}
    </>
  )
}
