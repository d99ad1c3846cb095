import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { pickLanguage } from '../../shared/i18n/index.ts'
import { call } from './api.ts'
import { App } from './App.tsx'
import { initI18n } from './i18n.ts'
import './styles.css'

async function start(): Promise<void> {
  let language = pickLanguage(navigator.language)
  try {
    const prefs = await call('prefs.get')
    if (prefs.language) language = prefs.language
  } catch {
    // The app still starts; the shell shows the connection error itself.
  }
  await initI18n(language)
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App />
    </StrictMode>
  )
}

void start()
