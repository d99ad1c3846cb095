import type { Font } from 'fontkit'

/**
 * The TrueType subset pdfkit embeds, written from bytes read once per font instead of re-parsed for every
 * document. pdfkit asks fontkit's subset for the font program of a document's glyphs when the document
 * ends; fontkit then decodes every glyph it includes and re-encodes the hinting tables (cvt, prep, fpgm)
 * value by value, which took more time than laying out the invoice itself. This writes the same file,
 * byte for byte (test/core/font-subset.test.ts compares it with fontkit's for many glyph sets): the same
 * tables in the same order (head, hhea, loca, maxp, cvt, prep, glyf, hmtx, fpgm), each glyph's outline
 * copied from the font with a composite glyph's components renumbered and added to the subset, the table
 * directory with zero checksums as fontkit writes it. Only for plain TrueType fonts (no CFF, no variations):
 * any other font keeps fontkit's own encoder.
 */

/** What a glyph contributes: its outline bytes, where its components' glyph ids sit (composite glyphs), its metrics. */
interface GlyphBytes {
  bytes: Uint8Array
  components: { glyphID: number; pos: number }[] | null
  advance: number
  bearing: number
}

interface FontBytes {
  tables: Map<string, Uint8Array>
  /** 0: short loca offsets (halved, 16 bits), 1: long. */
  locaVersion: number
  glyphs: Map<number, GlyphBytes>
}

/** The parts of fontkit's font and glyph objects this reads (not in its type declarations). */
interface FontInternals {
  loca: { version: number; offsets: number[] }
  _variationProcessor?: unknown
  _getTableStream(tag: string): { pos: number; readBuffer(length: number): Uint8Array }
  getGlyph(id: number): { advanceWidth: number; _decode(): { numberOfContours: number; components?: { glyphID: number; pos: number }[] } | null; _getMetrics(): { leftBearing: number } }
  directory: { tables: Record<string, { offset: number; length: number } | undefined> }
}

/** The subset object pdfkit holds (fontkit's TTFSubset): the original ids of its glyphs, in subset order. */
export interface SubsetLike {
  glyphs: number[]
  mapping: Record<number, number>
  includeGlyph(glyph: number | { id: number }): number
  encode(): Uint8Array
  cff?: unknown
}

const TABLE_ORDER = ['head', 'hhea', 'loca', 'maxp', 'cvt ', 'prep', 'glyf', 'hmtx', 'fpgm'] as const

const cache = new WeakMap<object, FontBytes | null>()

function fontBytes(font: Font, file: Uint8Array): FontBytes | null {
  const known = cache.get(font)
  if (known !== undefined) return known
  const f = font as unknown as FontInternals
  let out: FontBytes | null = null
  if (!f._variationProcessor && f.directory.tables.glyf && f.directory.tables.loca && !f.directory.tables['CFF ']) {
    const tables = new Map<string, Uint8Array>()
    for (const tag of ['head', 'hhea', 'maxp', 'cvt ', 'prep', 'fpgm']) {
      const entry = f.directory.tables[tag]
      if (entry) tables.set(tag, file.subarray(entry.offset, entry.offset + entry.length))
    }
    if (tables.has('head') && tables.has('hhea') && tables.has('maxp')) out = { tables, locaVersion: f.loca.version, glyphs: new Map() }
  }
  cache.set(font, out)
  return out
}

function glyphBytes(font: Font, fb: FontBytes, gid: number): GlyphBytes {
  let g = fb.glyphs.get(gid)
  if (g) return g
  const f = font as unknown as FontInternals
  const glyph = f.getGlyph(gid)
  const glyf = glyph._decode()
  const start = f.loca.offsets[gid]!
  const end = f.loca.offsets[gid + 1]!
  const stream = f._getTableStream('glyf')
  stream.pos += start
  const bytes = Uint8Array.from(stream.readBuffer(end - start))
  g = {
    bytes,
    components: glyf && glyf.numberOfContours < 0 ? (glyf.components ?? []).map((c) => ({ glyphID: c.glyphID, pos: c.pos })) : null,
    advance: glyph.advanceWidth,
    bearing: glyph._getMetrics().leftBearing
  }
  fb.glyphs.set(gid, g)
  return g
}

/**
 * Makes `subset` (a fontkit TTFSubset of `font`, whose file is `file`) write its font program from the
 * bytes kept per font and per glyph. Leaves it as it is for a font this does not handle.
 */
export function fastSubset(subset: SubsetLike, font: Font, file: Uint8Array): void {
  if (subset.cff !== undefined) return
  const fb = fontBytes(font, file)
  if (!fb) return
  subset.encode = () => encodeSubset(subset, font, fb)
}

function encodeSubset(subset: SubsetLike, font: Font, fb: FontBytes): Uint8Array {
  const parts: Uint8Array[] = []
  const offsets: number[] = []
  const metrics: { advance: number; bearing: number }[] = []
  let offset = 0
  // Composite glyphs add their components to the subset while it is written (as fontkit does).
  for (let i = 0; i < subset.glyphs.length; i++) {
    const g = glyphBytes(font, fb, subset.glyphs[i]!)
    let bytes = g.bytes
    if (g.components) {
      bytes = Uint8Array.from(bytes)
      const view = new DataView(bytes.buffer)
      for (const c of g.components) view.setUint16(c.pos, subset.includeGlyph(c.glyphID))
    }
    parts.push(bytes)
    offsets.push(offset)
    metrics.push(g)
    offset += bytes.length
  }
  offsets.push(offset)
  const count = parts.length

  const head = Uint8Array.from(fb.tables.get('head')!)
  new DataView(head.buffer).setInt16(50, fb.locaVersion)
  const hhea = Uint8Array.from(fb.tables.get('hhea')!)
  new DataView(hhea.buffer).setUint16(34, count)
  const maxp = Uint8Array.from(fb.tables.get('maxp')!)
  new DataView(maxp.buffer).setUint16(4, count)
  const loca = new Uint8Array(offsets.length * (fb.locaVersion === 0 ? 2 : 4))
  const locaView = new DataView(loca.buffer)
  offsets.forEach((o, i) => (fb.locaVersion === 0 ? locaView.setUint16(i * 2, o >>> 1) : locaView.setUint32(i * 4, o)))
  const glyf = new Uint8Array(offset)
  let at = 0
  for (const p of parts) {
    glyf.set(p, at)
    at += p.length
  }
  const hmtx = new Uint8Array(count * 4)
  const hmtxView = new DataView(hmtx.buffer)
  metrics.forEach((m, i) => {
    hmtxView.setUint16(i * 4, m.advance)
    hmtxView.setInt16(i * 4 + 2, m.bearing)
  })
  const data: Record<(typeof TABLE_ORDER)[number], Uint8Array | undefined> = {
    head,
    hhea,
    loca,
    maxp,
    'cvt ': fb.tables.get('cvt '),
    prep: fb.tables.get('prep'),
    glyf,
    hmtx,
    fpgm: fb.tables.get('fpgm')
  }
  const tables = TABLE_ORDER.filter((tag) => data[tag] !== undefined)
  const numTables = tables.length
  const exponent = Math.floor(Math.log2(numTables))
  const searchRange = 2 ** exponent * 16
  const dirSize = 12 + numTables * 16
  let total = dirSize
  for (const tag of tables) total += data[tag]!.length
  const out = new Uint8Array(total)
  const view = new DataView(out.buffer)
  out.set([0x74, 0x72, 0x75, 0x65]) // 'true', as fontkit tags it
  view.setUint16(4, numTables)
  view.setUint16(6, searchRange)
  view.setUint16(8, exponent)
  view.setUint16(10, numTables * 16 - searchRange)
  let pos = dirSize
  tables.forEach((tag, i) => {
    const entry = 12 + i * 16
    for (let c = 0; c < 4; c++) out[entry + c] = tag.charCodeAt(c)
    view.setUint32(entry + 4, 0)
    view.setUint32(entry + 8, pos)
    view.setUint32(entry + 12, data[tag]!.length)
    out.set(data[tag]!, pos)
    pos += data[tag]!.length
  })
  return out
}
