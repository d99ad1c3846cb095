import { lazy, Suspense, useEffect, useRef, useState, type MouseEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { isLanguage, LANGUAGES } from '../../shared/reference.ts'
import { call, onEvent } from './ui/api.ts'
import { ErrorMessage } from './ui/components.tsx'
import { useData } from './ui/data.ts'
import { switchLanguage } from './i18n.ts'
import { Overview } from './features/app/Overview.tsx'
import { Upcoming } from './features/app/Upcoming.tsx'
import { parseHash, type Route, useHash } from './ui/route.ts'

// Sections other than the overview load on first visit: the first paint ships only the shell.
const BuyerList = lazy(() => import('./features/buyers/Buyers.tsx').then((m) => ({ default: m.BuyerList })))
const BuyerForm = lazy(() => import('./features/buyers/Buyers.tsx').then((m) => ({ default: m.BuyerForm })))
const Catalogue = lazy(() => import('./features/catalogue/Catalogue.tsx').then((m) => ({ default: m.Catalogue })))
const Diagnostics = lazy(() => import('./features/app/Diagnostics.tsx').then((m) => ({ default: m.Diagnostics })))
const Settings = lazy(() => import('./features/settings/Settings.tsx').then((m) => ({ default: m.Settings })))
const Consolidation = lazy(() => import('./features/consolidation/ConsolidationPage.tsx').then((m) => ({ default: m.Consolidation })))
const Orders = lazy(() => import('./features/orders/Orders.tsx').then((m) => ({ default: m.Orders })))
const Rounds = lazy(() => import('./features/rounds/Rounds.tsx').then((m) => ({ default: m.Rounds })))
const Shipments = lazy(() => import('./features/shipments/Shipments.tsx').then((m) => ({ default: m.Shipments })))
const Distribution = lazy(() => import('./features/distribution/Distribution.tsx').then((m) => ({ default: m.Distribution })))
const Invoices = lazy(() => import('./features/invoices/Invoices.tsx').then((m) => ({ default: m.Invoices })))
const Payments = lazy(() => import('./features/payments/Payments.tsx').then((m) => ({ default: m.Payments })))
const Closing = lazy(() => import('./features/closing/Closing.tsx').then((m) => ({ default: m.Closing })))

const SECTIONS = [
  'overview',
  'catalogue',
  'buyers',
  'rounds',
  'orders',
  'consolidation',
  'shipments',
  'distribution',
  'invoices',
  'payments',
  'closing',
  'settings',
  'diagnostics'
] as const
type Section = (typeof SECTIONS)[number]

/** Below this width the navigation folds away behind a button (styles.css has the same width). */
const NARROW = '(max-width: 1100px)'
/** Whether the folded navigation was last open, remembered on this machine. */
const NAV_OPEN = 'puente.navOpen'

function useNarrow(): boolean {
  const [narrow, setNarrow] = useState(() => window.matchMedia(NARROW).matches)
  useEffect(() => {
    const query = window.matchMedia(NARROW)
    const change = () => setNarrow(query.matches)
    query.addEventListener('change', change)
    return () => query.removeEventListener('change', change)
  }, [])
  return narrow
}

function sectionOf(route: Route): Section {
  const name = route.segments[0] ?? ''
  return (SECTIONS as readonly string[]).includes(name) ? (name as Section) : 'overview'
}

export function App() {
  const { t, i18n } = useTranslation()
  const route = parseHash(useHash())
  const section = sectionOf(route)
  const [languageError, setLanguageError] = useState<unknown>(null)
  const info = useData('app.info')
  const narrow = useNarrow()
  const [navOpen, setNavOpen] = useState(() => localStorage.getItem(NAV_OPEN) === 'true')
  const mainRef = useRef<HTMLElement>(null)
  const expanded = !narrow || navOpen

  function toggleNav() {
    setNavOpen(!navOpen)
    localStorage.setItem(NAV_OPEN, String(!navOpen))
  }

  // Routing lives in the hash: the skip link moves focus to the content without changing the address.
  function skipToContent(e: MouseEvent<HTMLAnchorElement>) {
    e.preventDefault()
    mainRef.current?.focus()
    mainRef.current?.scrollIntoView({ block: 'start' })
  }

  useEffect(() => {
    const off = onEvent((e) => {
      if (e.type === 'language' && isLanguage(e.language) && e.language !== i18n.language) void switchLanguage(e.language)
      if (e.type === 'navigate') window.location.hash = `#/${e.to}`
    })
    return off
  }, [i18n])

  useEffect(() => {
    document.title = `${t(`nav.${section}`)} · ${t('app.name')}`
  }, [section, t, i18n.language])

  async function changeLanguage(value: string) {
    if (!isLanguage(value)) return
    setLanguageError(null)
    await switchLanguage(value)
    try {
      await call('prefs.setLanguage', { language: value })
    } catch (e) {
      setLanguageError(e)
    }
  }

  return (
    <div className={`shell${expanded ? ' nav-open' : ''}`}>
      <a className="skip" href="#main" onClick={skipToContent}>
        {t('app.skipToContent')}
      </a>
      <header className="top">
        <button
          type="button"
          className="nav-toggle"
          aria-expanded={expanded}
          aria-controls="side-nav"
          title={t(expanded ? 'app.hideNavigation' : 'app.showNavigation')}
          onClick={toggleNav}
        >
          <span aria-hidden="true">☰</span>
          <span className="visually-hidden">{t('app.navigationToggle')}</span>
        </button>
        <div className="brand">
          <img className="logo" src="./favicon.svg" alt="" width="28" height="28" />
          <span className="name">{t('app.name')}</span>
          <span className="tagline">{t('app.tagline')}</span>
        </div>
        {info.data?.isDemo ? <span className="badge">{t('app.demoBadge')}</span> : null}
        <div className="language">
          <label htmlFor="ui-language">{t('language.label')}</label>
          <select id="ui-language" value={i18n.language} onChange={(e) => void changeLanguage(e.target.value)}>
            {LANGUAGES.map((l) => (
              <option key={l} value={l} lang={l}>
                {t(`language.${l}`)}
              </option>
            ))}
          </select>
        </div>
      </header>
      <nav id="side-nav" className="side" aria-label={t('app.mainNavigation')} hidden={!expanded}>
        <ul>
          {SECTIONS.map((s) => (
            <li key={s}>
              <a href={`#/${s}`} aria-current={s === section ? 'page' : undefined}>
                {t(`nav.${s}`)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" className="content" tabIndex={-1} ref={mainRef}>
        <ErrorMessage error={languageError ?? info.error} />
        <Suspense fallback={<p className="muted">{t('app.loading')}</p>}>
          <Page section={section} route={route} />
        </Suspense>
      </main>
    </div>
  )
}

function Page({ section, route }: { section: Section; route: Route }) {
  const id = route.segments[1]
  switch (section) {
    case 'catalogue':
      return <Catalogue route={route} />
    case 'buyers':
      return id ? <BuyerForm key={id} id={id} /> : <BuyerList />
    case 'rounds':
      return <Rounds />
    case 'orders':
      return <Orders route={route} />
    case 'consolidation':
      return <Consolidation />
    case 'shipments':
      return <Shipments route={route} />
    case 'distribution':
      return <Distribution route={route} />
    case 'invoices':
      return <Invoices route={route} />
    case 'payments':
      return <Payments route={route} />
    case 'closing':
      return <Closing route={route} />
    case 'overview':
      return <Overview />
    case 'settings':
      return <Settings />
    case 'diagnostics':
      return <Diagnostics />
    default:
      return <Upcoming section={section} />
  }
}
