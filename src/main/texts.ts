import i18next from 'i18next'
import { resources } from '../shared/i18n/index.ts'
import type { Language } from '../shared/reference.ts'

/** The main process's own translations (menu, dialogs): a separate i18next instance, not the UI's. */
export interface Texts {
  readonly language: Language
  setLanguage(language: Language): void
  t(key: string, params?: Record<string, unknown>): string
}

export function createTexts(initial: Language): Texts {
  const i18n = i18next.createInstance()
  void i18n.init({
    resources,
    lng: initial,
    fallbackLng: 'en',
    supportedLngs: ['de', 'es', 'en'],
    interpolation: { escapeValue: false },
    initAsync: false
  })
  let language = initial
  return {
    get language() {
      return language
    },
    setLanguage(next) {
      language = next
      void i18n.changeLanguage(next)
    },
    t(key, params) {
      return String(i18n.getFixedT(language)(key, params ?? {}))
    }
  }
}
