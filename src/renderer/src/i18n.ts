import i18next from 'i18next'
import { initReactI18next } from 'react-i18next'
import type { Translation } from '../../shared/i18n/en.ts'
import type { Language } from '../../shared/reference.ts'

/** Collects keys the UI asked for but no language has: the browser tests fail when this is not empty. */
export const missingKeys = new Set<string>()

/** Where the last UI language is remembered locally, so the first paint needs no round trip. */
export const LANGUAGE_HINT = 'puente.language'

/**
 * The texts of one language each, in chunks of their own: the first paint loads only the language
 * shown (index.html preloads all three, see electron.vite.config.ts, so no fetch waits for another).
 */
const TEXTS: Record<Language, () => Promise<{ default: Translation }>> = {
  de: () => import('../../shared/i18n/de.ts'),
  es: () => import('../../shared/i18n/es.ts'),
  en: () => import('../../shared/i18n/en.ts')
}

async function load(language: Language): Promise<void> {
  if (!i18next.hasResourceBundle(language, 'translation')) i18next.addResourceBundle(language, 'translation', (await TEXTS[language]()).default)
}

/** Loads the language's texts and sets up i18next; the app renders once this has resolved. */
export async function initI18n(language: Language): Promise<void> {
  const texts = (await TEXTS[language]()).default
  await i18next.use(initReactI18next).init({
    resources: { [language]: { translation: texts } },
    lng: language,
    fallbackLng: false,
    initAsync: false,
    interpolation: { escapeValue: false },
    returnNull: false,
    saveMissing: true,
    missingKeyHandler: (_lngs, _ns, key) => {
      missingKeys.add(key)
    }
  })
  document.documentElement.lang = language
  ;(window as unknown as { __puenteMissingKeys: Set<string> }).__puenteMissingKeys = missingKeys
}

export async function switchLanguage(language: Language): Promise<void> {
  await load(language)
  await i18next.changeLanguage(language)
  document.documentElement.lang = language
  localStorage.setItem(LANGUAGE_HINT, language)
}
