import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { pickLanguage } from '../../shared/i18n/language.ts'
import { isLanguage } from '../../shared/reference.ts'
import { call } from './ui/api.ts'
import { App } from './App.tsx'
import { initI18n, LANGUAGE_HINT, switchLanguage } from './i18n.ts'
import './styles.css'

// Paint at once in the language used last time (kept locally as a hint), then confirm it with the
// saved preference, which wins when they differ. First start: the system's language.
const hint = localStorage.getItem(LANGUAGE_HINT)
const language = isLanguage(hint) ? hint : pickLanguage(navigator.language)
await initI18n(language)
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>
)
call('prefs.get')
  .then((prefs) => {
    if (prefs.language && prefs.language !== language) void switchLanguage(prefs.language)
  })
  .catch(() => {
    // The shell shows the connection error itself.
  })
