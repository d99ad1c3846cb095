import { currencyDisplay } from '../../shared/currency.ts'
import { formatScaled } from '../../shared/decimal.ts'
import { resources } from '../../shared/i18n/index.ts'
import { type Language } from '../../shared/reference.ts'

/**
 * Texts for documents and files the core writes, in the reader's language: the same resources the UI
 * uses (`forms.` section), so there is one place to translate.
 */
export function formTexts(lang: Language) {
  return resources[lang].translation.forms
}

/** A sales or net unit by its name in a language (the `units.` texts the UI shows too); an unknown code as it is. */
export function unitName(lang: Language, unit: string): string {
  return (resources[lang].translation.units as Record<string, string>)[unit] ?? unit
}

/** Fills {{name}} placeholders. */
export function fill(text: string, params: Record<string, string | number>): string {
  return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (m, k: string) => (k in params ? String(params[k]) : m))
}

export interface Names {
  nameEs: string | null
  nameDe: string | null
  nameEn: string | null
}

/** A product's name in the reader's language, else Spanish, English, German (the order of the catalogue). */
export function localName(p: Names, lang: Language): string {
  const own = lang === 'de' ? p.nameDe : lang === 'es' ? p.nameEs : p.nameEn
  return own ?? p.nameEs ?? p.nameEn ?? p.nameDe ?? ''
}

export const LOCALES: Record<Language, string> = { de: 'de-DE', es: 'es-ES', en: 'en-GB' }

/** An amount from minor units, handed to Intl as an exact decimal string (no binary float); never a bare "$". */
export function formatMoney(minor: number, digits: number, currency: string, lang: Language): string {
  const display = currencyDisplay(LOCALES[lang], currency)
  return new Intl.NumberFormat(LOCALES[lang], { style: 'currency', currency, currencyDisplay: display, minimumFractionDigits: digits, maximumFractionDigits: digits }).format(
    formatScaled(minor, digits) as `${number}`
  )
}

export function formatNumber(value: number, lang: Language, maxDigits = 3): string {
  return new Intl.NumberFormat(LOCALES[lang], { maximumFractionDigits: maxDigits }).format(value)
}

/** An instant as date and time in a zone, with the zone's name: "5. Dezember 2026, 18:00 (Europe/Berlin)". */
export function formatDeadline(iso: string, timeZone: string, lang: Language): string {
  const text = new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: 'long', timeStyle: 'short', timeZone }).format(new Date(iso))
  return `${text} (${timeZone})`
}

export function formatDate(iso: string, lang: Language, timeZone?: string): string {
  return new Intl.DateTimeFormat(LOCALES[lang], timeZone ? { dateStyle: 'medium', timeZone } : { dateStyle: 'medium' }).format(new Date(iso))
}

/** A file name without characters Windows, macOS or Linux refuse. */
export function safeFileName(name: string): string {
  return name
    .replace(/[\\/:*?"<>|]+/g, '-')
    .replace(/\p{Cc}+/gu, '')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 150)
}
