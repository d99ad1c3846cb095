import type { Language } from '../reference.ts'

/** The best supported language for a BCP 47 tag such as "de-AT" (English when none fits). */
export function pickLanguage(tag: string | null | undefined): Language {
  const base = (tag ?? '').toLowerCase().split(/[-_]/)[0]
  return base === 'de' || base === 'es' ? base : 'en'
}
