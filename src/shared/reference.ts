/** Reference lists both sides need: the languages, currencies and countries the app knows. */
export const LANGUAGES = ['de', 'es', 'en'] as const
export type Language = (typeof LANGUAGES)[number]

export const CURRENCIES = ['EUR', 'USD', 'ARS', 'CHF'] as const
export type Currency = (typeof CURRENCIES)[number]

/** EU member states, their European neighbours and the countries goods come from. */
export const COUNTRIES = [
  'AT', 'BE', 'BG', 'CY', 'CZ', 'DE', 'DK', 'EE', 'ES', 'FI', 'FR', 'GR', 'HR', 'HU', 'IE', 'IT', 'LT',
  'LU', 'LV', 'MT', 'NL', 'PL', 'PT', 'RO', 'SE', 'SI', 'SK',
  'CH', 'GB', 'IS', 'LI', 'NO',
  'AR', 'BR', 'UY', 'PY', 'CL', 'BO'
] as const
export type Country = (typeof COUNTRIES)[number]

export const EU_COUNTRIES: readonly string[] = COUNTRIES.slice(0, 27)

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value)
}
