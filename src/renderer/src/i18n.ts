import i18next from 'i18next'
import { initReactI18next } from 'react-i18next'
import { resources } from '../../shared/i18n/index.ts'
import type { Language } from '../../shared/reference.ts'

/** Collects keys the UI asked for but no language has: the browser tests fail when this is not empty. */
export const missingKeys = new Set<string>()

export async function initI18n(language: Language): Promise<void> {
  await i18next.use(initReactI18next).init({
    resources,
    lng: language,
    fallbackLng: false,
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
}
