import type { Language } from '../reference.ts'
import de from './de.ts'
import en, { type Translation } from './en.ts'
import es from './es.ts'

/** All UI and document texts, for the core (documents print in the recipient's language). The renderer loads one language at a time (src/renderer/src/i18n.ts). */
export const resources: Record<Language, { translation: Translation }> = {
  de: { translation: de },
  es: { translation: es },
  en: { translation: en }
}

export { pickLanguage } from './language.ts'
