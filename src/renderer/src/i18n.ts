import i18next from 'i18next'
import { initReactI18next } from 'react-i18next'
import { resources } from '../../shared/i18n/index.ts'
import type { Language } from '../../shared/reference.ts'

/** Collects keys the UI asked for but no language has: the browser tests fail when this is not empty. */
export const missingKeys = new Set<string>()

/** Where the last UI language is remembered locally, so the first paint needs no round trip. */
export const LANGUAGE_HINT = 'puente.language'

/** Synchronous: every text is bundled, so the first render already has them. */
export function initI18n(language: Language): void {
  void i18next.use(initReactI18next).init({
    resources,
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
  await i18next.changeLanguage(language)
  document.documentElement.lang = language
  localStorage.setItem(LANGUAGE_HINT, language)
}
