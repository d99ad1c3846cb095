import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { create, type Font } from 'fontkit'
import { describe, expect, it } from 'vitest'
import { fastSubset, type SubsetLike } from '../../src/core/documents/fontSubset.ts'
import { FONT_FILES } from '../../src/core/documents/pdf.ts'
import { RESOURCES } from '../support/workspace.ts'

/**
 * The font program a PDF embeds, written from bytes kept per font (fontSubset.ts), against fontkit's own
 * subset encoder: the same bytes for the same glyphs, composite glyphs (whose components join the subset
 * while it is written) included.
 */

/** A fixed pseudo-random sequence, so that a failure can be repeated. */
function lcg(seed: number): () => number {
  let s = seed
  return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
}

const TEXTS = [
  'Rechnung RE-2026-00042 · Straße 12 · 1.234,56 EUR · Cooperativa Textiles Pigüé Ltda. · Łódź · Győr · Ærø',
  'ÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝàáâãäåçèéêëìíîïñòóôõöùúûüýÿ ĀāĂăĄąĆćĈĉĊċČčĎďĒēĔĕĖėĘęĚěŐőŰűŠšŽž €–—„“”‘’…',
  ...Array.from({ length: 20 }, (_, t) => {
    const next = lcg(t + 1)
    // Printable ASCII, or Latin-1 and Latin Extended-A (where most of DejaVu's composite glyphs are).
    return Array.from({ length: 60 + t * 5 }, () => String.fromCharCode(t % 2 ? 32 + Math.floor(next() * 95) : 0xa0 + Math.floor(next() * 0xe0))).join('')
  })
]

describe('the embedded font program', () => {
  for (const file of Object.values(FONT_FILES)) {
    it(`is fontkit's subset byte for byte for ${file}`, () => {
      const bytes = readFileSync(join(RESOURCES, 'fonts', file))
      const font = create(bytes) as Font
      let grown = 0
      for (const text of TEXTS) {
        const theirs = font.createSubset() as unknown as SubsetLike
        const ours = font.createSubset() as unknown as SubsetLike
        for (const g of font.layout(text).glyphs) {
          expect(ours.includeGlyph(g.id)).toBe(theirs.includeGlyph(g.id))
        }
        const included = ours.glyphs.length
        fastSubset(ours, font, bytes)
        const expected = Buffer.from(theirs.encode())
        const actual = Buffer.from(ours.encode())
        expect(actual.length).toBe(expected.length)
        expect(actual.equals(expected)).toBe(true)
        expect(ours.glyphs).toEqual(theirs.glyphs)
        if (ours.glyphs.length > included) grown++
      }
      // Composite glyphs were among them: their components were added while the font was written.
      expect(grown).toBeGreaterThan(0)
    })
  }

  it('is written again the same way for the same subset (nothing kept between documents changes it)', () => {
    const bytes = readFileSync(join(RESOURCES, 'fonts', FONT_FILES.regular))
    const font = create(bytes) as Font
    const make = () => {
      const s = font.createSubset() as unknown as SubsetLike
      for (const g of font.layout(TEXTS[1]!).glyphs) s.includeGlyph(g.id)
      fastSubset(s, font, bytes)
      return Buffer.from(s.encode())
    }
    expect(make().equals(make())).toBe(true)
  })
})
