import { describe, expect, it } from 'vitest'
import de from '../../src/shared/i18n/de.ts'
import en from '../../src/shared/i18n/en.ts'
import es from '../../src/shared/i18n/es.ts'
import { pickLanguage, resources } from '../../src/shared/i18n/index.ts'
import { ERROR_CODES, FIELD_ERROR_CODES } from '../../src/shared/errors.ts'

type Tree = { [key: string]: unknown }

/** Every leaf as "a.b.c" → value, failing loudly on anything that is neither a string nor an object. */
function flatten(tree: Tree, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>()
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of flatten(value as Tree, path)) out.set(k, v)
    } else {
      out.set(path, value)
    }
  }
  return out
}

/** The {{variables}} a text interpolates, by name (formats after a comma ignored), sorted. */
function variables(text: string): string[] {
  return [...text.matchAll(/\{\{\s*([^,}\s]+)\s*(?:,[^}]*)?\}\}/g)].map((m) => m[1]!).sort()
}

const languages = { de, es, en } as const
const flat = {
  de: flatten(de as unknown as Tree),
  es: flatten(es as unknown as Tree),
  en: flatten(en as unknown as Tree)
}

/** Looks up a key whose last part may itself contain dots (errors.workspace.too_new). */
function lookup(tree: Tree, section: string, key: string): unknown {
  const group = tree[section]
  if (group === null || typeof group !== 'object') return undefined
  return Object.prototype.hasOwnProperty.call(group, key) ? (group as Tree)[key] : undefined
}

describe('translations', () => {
  it('the bundled resources are the three language objects', () => {
    expect(resources.de.translation).toBe(de)
    expect(resources.es.translation).toBe(es)
    expect(resources.en.translation).toBe(en)
    expect(Object.keys(resources).sort()).toEqual(['de', 'en', 'es'])
  })

  it('there is something to compare', () => {
    expect(flat.en.size).toBeGreaterThan(50)
  })

  it.each(['de', 'es'] as const)('%s has exactly the keys of en', (lang) => {
    const missing = [...flat.en.keys()].filter((k) => !flat[lang].has(k))
    const extra = [...flat[lang].keys()].filter((k) => !flat.en.has(k))
    expect({ missing, extra }).toEqual({ missing: [], extra: [] })
  })

  it.each(['de', 'es', 'en'] as const)('%s: every value is a non-empty string', (lang) => {
    const bad = [...flat[lang]].filter(([, v]) => typeof v !== 'string' || v.trim() === '').map(([k]) => k)
    expect(bad).toEqual([])
  })

  it.each(['de', 'es'] as const)('%s uses the same {{variables}} as en in every text', (lang) => {
    const mismatches: string[] = []
    for (const [key, text] of flat.en) {
      const other = flat[lang].get(key)
      if (typeof text !== 'string' || typeof other !== 'string') continue
      const want = variables(text).join(',')
      const got = variables(other).join(',')
      if (want !== got) mismatches.push(`${key}: en {${want}} ${lang} {${got}}`)
    }
    expect(mismatches).toEqual([])
  })

  it('the variable finder reads i18next syntax', () => {
    expect(variables('Open {{name}} on {{ date, datetime }}')).toEqual(['date', 'name'])
    expect(variables('No variables')).toEqual([])
  })

  it.each(['de', 'es', 'en'] as const)('%s has a text for every error code', (lang) => {
    const tree = languages[lang] as unknown as Tree
    const missing = ERROR_CODES.filter((code) => typeof lookup(tree, 'errors', code) !== 'string')
    expect(missing).toEqual([])
  })

  it.each(['de', 'es', 'en'] as const)('%s has a text for every field error code', (lang) => {
    const tree = languages[lang] as unknown as Tree
    const missing = FIELD_ERROR_CODES.filter((code) => typeof lookup(tree, 'fieldErrors', code) !== 'string')
    expect(missing).toEqual([])
  })

  it.each(['de', 'es'] as const)('%s is a translation, not a copy of en', (lang) => {
    const keys = [...flat.en.keys()]
    const same = keys.filter((k) => flat[lang].get(k) === flat.en.get(k))
    // Names of languages and the app are the same everywhere; most texts must differ.
    expect(same.length).toBeLessThan(keys.length * 0.2)
  })

  it('de and es differ from each other too', () => {
    const keys = [...flat.en.keys()]
    const same = keys.filter((k) => flat.de.get(k) === flat.es.get(k))
    expect(same.length).toBeLessThan(keys.length * 0.2)
  })

  it('pickLanguage maps BCP 47 tags to a supported language', () => {
    expect(pickLanguage('de-AT')).toBe('de')
    expect(pickLanguage('es_AR')).toBe('es')
    expect(pickLanguage('ES')).toBe('es')
    expect(pickLanguage('fr-FR')).toBe('en')
    expect(pickLanguage('')).toBe('en')
    expect(pickLanguage(null)).toBe('en')
    expect(pickLanguage(undefined)).toBe('en')
  })
})
