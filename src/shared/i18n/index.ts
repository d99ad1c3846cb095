import type { Language } from '../reference.ts'
import de from './de.ts'
import en, { type Translation } from './en.ts'
import es from './es.ts'

/** All UI and document texts, bundled (three small objects; no lazy loading needed yet). */
export const resources: Record<Language, { translation: Translation }> = {
  de: { translation: de },
  es: { translation: es },
  en: { translation: en }
}

/** The best supported language for a BCP 47 tag such as "de-AT" (English when none fits). */
export function pickLanguage(tag: string | null | undefined): Language {
  const base = (tag ?? '').toLowerCase().split(/[-_]/)[0]
  return base === 'de' || base === 'es' ? base : 'en'
}
