import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { deflateSync } from 'node:zlib'
import { create, type Font } from 'fontkit'
import PDFDocument from 'pdfkit'
import { AppError } from '../../shared/errors.ts'
import { fastSubset, type SubsetLike } from './fontSubset.ts'

/**
 * What every PDF document shares: A4, the embedded DejaVu Sans (full Latin coverage: ñ, ß, ő, €…;
 * resources/fonts, with its licence), and page numbers "1 / 3" once all pages exist. The fonts folder
 * is passed in (the app's resources folder differs between development, tests and the packaged app).
 */
export const FONT_FILES = { regular: 'DejaVuSans.ttf', bold: 'DejaVuSans-Bold.ttf' } as const

export const A4 = { width: 595.28, height: 841.89 }

export interface PdfOptions {
  fontsDir: string
  title: string
  author: string
  subject?: string
  /** BCP 47 language of the text, for screen readers. */
  lang: string
  createdAt: string
  margins: { top: number; bottom: number; left: number; right: number }
  /**
   * PDF/A-3b (ISO 19005-3): PDF 1.7 with XMP metadata (pdfaid part 3, conformance B) and the sRGB output
   * intent, as pdfkit writes them; the fonts are embedded anyway. The form that may carry attached files
   * (the e-invoice's XML). The title and author also go into the XMP unescaped: keep them free of & < >.
   */
  pdfa?: boolean
  /**
   * zlib's level for the compressed streams (pages, fonts, attachments) instead of pdfkit's default (6):
   * 1 compresses an invoice's streams in about half the time, for about 3 % more bytes. Only for a
   * document made in one go (createPdfSync).
   */
  deflateLevel?: number
}

export function fontPaths(fontsDir: string): { regular: string; bold: string } {
  const regular = join(fontsDir, FONT_FILES.regular)
  const bold = join(fontsDir, FONT_FILES.bold)
  for (const p of [regular, bold]) if (!existsSync(p)) throw new AppError('documents.font_missing', { path: p })
  return { regular, bold }
}

const parsed = new Map<string, Font>()

/**
 * A font file parsed once per process and shared by every document (pdfkit takes a fontkit font as well
 * as a file): parsing DejaVu's tables is most of the time a short document takes. Each document still
 * embeds its own subset of the glyphs it uses.
 */
function parsedFont(path: string): PDFKit.Mixins.PDFFontSource {
  let font = parsed.get(path)
  if (!font) {
    const file = readFileSync(path)
    parsed.set(path, (font = withLayoutCache(create(file) as Font, file)))
  }
  return font as unknown as PDFKit.Mixins.PDFFontSource
}

/** A shaped run as pdfkit reads it: its glyphs, its positions (which pdfkit scales) and their advance. */
class CachedRun {
  readonly glyphs: unknown[]
  readonly positions: { xAdvance: number }[]

  constructor(glyphs: unknown[], positions: { xAdvance: number }[]) {
    this.glyphs = glyphs
    this.positions = positions
  }

  get advanceWidth(): number {
    let width = 0
    for (const p of this.positions) width += p.xAdvance
    return width
  }
}

/** Words shaped per font at most (then the cache starts again): bounds the memory a long run of documents takes. */
const LAYOUT_CACHE_MAX = 20_000

/**
 * The font with its text shaping remembered across documents: shaping a word (OpenType substitutions
 * and positioning) is the costliest part of laying out text, and invoices repeat the same words. pdfkit
 * scales the positions of a run in place, so each caller gets its own copy of them; the glyphs are shared
 * (pdfkit only reads them).
 */
function withLayoutCache(font: Font, file: Uint8Array): Font {
  const runs = new Map<string, { glyphs: unknown[]; positions: object[] }>()
  const cached = Object.create(font) as Font
  Object.defineProperty(cached, 'layout', {
    value: (text: string, features?: unknown) => {
      const key = features === undefined ? text : `${JSON.stringify(features)}\u0000${text}`
      let run = runs.get(key)
      if (!run) {
        if (runs.size >= LAYOUT_CACHE_MAX) runs.clear()
        const r = font.layout(text, features as never)
        run = { glyphs: r.glyphs, positions: r.positions as unknown as object[] }
        runs.set(key, run)
      }
      return new CachedRun(run.glyphs, run.positions.map((p) => ({ ...p }) as { xAdvance: number }))
    }
  })
  // Each document's subset writes its font program from bytes kept per font (see fontSubset.ts).
  Object.defineProperty(cached, 'createSubset', {
    value: () => {
      const subset = font.createSubset() as unknown as SubsetLike
      fastSubset(subset, font, file)
      return subset
    }
  })
  return cached
}

/** A new document with the fonts registered as 'regular' and 'bold', and a promise of its bytes. */
export function createPdf(options: PdfOptions): { doc: PDFKit.PDFDocument; done: Promise<Buffer> } {
  const doc = newPdf(options)
  // pdfkit hands over many small chunks, a compressed stream often as a view on a 16 kB zlib buffer:
  // they are copied together every so often, so that a long document (a round's invoices) does not keep
  // every one of those buffers alive until its end.
  const chunks: Buffer[] = []
  let pending: Buffer[] = []
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => {
      pending.push(c)
      if (pending.length >= 2048) {
        chunks.push(Buffer.concat(pending))
        pending = []
      }
    })
    doc.on('end', () => resolve(Buffer.concat([...chunks, ...pending])))
    doc.on('error', reject)
  })
  return { doc, done }
}

type PdfConstructor = new (options: PDFKit.PDFDocumentOptions) => PDFKit.PDFDocument

/**
 * A document whose bytes are kept as pdfkit writes them instead of going through its stream (a Node
 * Readable), for documents made in one go. The stream would also schedule a callback for the next tick
 * (process.nextTick) when the document ends; a bulk issue makes its invoices without ever giving the
 * event loop a turn, so those callbacks, and every document they hold, would pile up until it ends.
 */
class BufferedPdf extends (PDFDocument as unknown as PdfConstructor) {
  /** Set on first use: pdfkit writes the header from its constructor, before this class's fields exist. */
  declare private pieces: Uint8Array[] | undefined
  declare private ended: boolean | undefined

  _write(data: Uint8Array | string): void {
    const bytes = data instanceof Uint8Array ? data : Buffer.from(`${data}\n`, 'latin1')
    ;(this.pieces ??= []).push(bytes)
    ;(this as unknown as { _offset: number })._offset += bytes.length
  }

  /** pdfkit's end of the file (it pushes null): nothing goes through the stream. */
  override push(chunk: unknown): boolean {
    if (chunk !== null) throw new Error('a buffered PDF got bytes past its writer')
    this.ended = true
    return false
  }

  /** The whole file, once ended. */
  bytes(): Buffer {
    if (!this.ended) throw new Error('the PDF did not end')
    return Buffer.concat(this.pieces ?? [])
  }
}

/**
 * The same, written synchronously: `finish()` ends the document and returns its bytes at once. For
 * documents made inside a write transaction, such as an invoice issued with its PDF.
 */
export function createPdfSync(options: PdfOptions): { doc: PDFKit.PDFDocument; finish: () => Buffer } {
  const doc = newPdf(options, BufferedPdf) as BufferedPdf
  return {
    doc,
    finish: () => {
      doc.end()
      const bytes = doc.bytes()
      if (bytes.subarray(-6).toString('latin1').trim() !== '%%EOF') throw new Error('the PDF did not end')
      return bytes
    }
  }
}

function newPdf(options: PdfOptions, Pdf: PdfConstructor = PDFDocument as unknown as PdfConstructor): PDFKit.PDFDocument {
  const fonts = fontPaths(options.fontsDir)
  const created = new Date(options.createdAt)
  const doc = new Pdf({
    size: 'A4',
    margins: options.margins,
    bufferPages: true,
    // No font here: pdfkit caches a font opened in the constructor under its path, and then re-reads
    // and re-parses the whole TTF on every doc.font('regular') (its cache lookup by name misses). And not
    // its default either: it would load Helvetica's metrics (kerning table and all) for every document
    // and never use them; the registered fonts are set right below.
    font: '',
    // The first page once its content's stream is ours (streamsOf).
    autoFirstPage: false,
    lang: options.lang,
    displayTitle: true,
    ...(options.pdfa ? { pdfVersion: '1.7' as const, subset: 'PDF/A-3b' as const } : {}),
    info: {
      Title: options.title,
      Author: options.author,
      Subject: options.subject ?? options.title,
      Creator: 'Puente',
      Producer: 'Puente (pdfkit)',
      CreationDate: created,
      ModDate: created
    }
  })
  if (Pdf === BufferedPdf) streamsOf(doc, options.deflateLevel)
  else if (options.deflateLevel !== undefined) throw new Error('a streamed PDF compresses at pdfkit’s level')
  doc.addPage()
  doc.registerFont('regular', parsedFont(fonts.regular))
  doc.registerFont('bold', parsedFont(fonts.bold))
  doc.font('regular')
  return doc
}

/** The parts of pdfkit's object reference (PDFReference) its stream is written with. */
interface StreamRef {
  compress: boolean
  buffer: Uint8Array[]
  data: { Length?: number; Filter?: string }
  uncompressedLength: number
  write(chunk: Uint8Array | string): void
  finalize(): void
}

/**
 * How a document made in one go (BufferedPdf) writes its objects' streams (a page's content, a font, an
 * attachment): the same bytes as pdfkit writes, with less work. (A streamed document, such as a round's
 * print file, keeps pdfkit's own: its peak memory was lower with it.) pdfkit turns every operator a page's content gets (a few dozen
 * characters each, thousands per invoice) into bytes of its own, character by character in JavaScript;
 * here the text written in a row is kept as text and turned into bytes at once. And the stream is
 * deflated here, just before pdfkit writes it out (pdfkit has set its /Filter /FlateDecode as it was
 * written), at zlib's default level as pdfkit does, or at `level`.
 */
function streamsOf(doc: PDFKit.PDFDocument, level: number | undefined): void {
  const ref = doc.ref.bind(doc)
  const zlibOptions = level === undefined ? {} : { level }
  doc.ref = (data: object = {}) => {
    const r = ref(data) as unknown as StreamRef
    const write = r.write.bind(r)
    const finalize = r.finalize.bind(r)
    let text: string[] = []
    const flush = () => {
      if (text.length === 0) return
      r.buffer.push(Buffer.from(text.join(''), 'latin1'))
      text = []
    }
    r.write = (chunk) => {
      if (chunk instanceof Uint8Array) {
        flush()
        write(chunk)
        return
      }
      // What pdfkit's write does with a piece of text, but keeping it as text for now.
      const line = `${chunk}\n`
      text.push(line)
      r.uncompressedLength += line.length
      r.data.Length = (r.data.Length ?? 0) + line.length
      if (r.compress) r.data.Filter = 'FlateDecode'
    }
    r.finalize = () => {
      flush()
      if (r.compress && r.buffer.length) {
        r.buffer = [deflateSync(r.buffer.length === 1 ? r.buffer[0]! : Buffer.concat(r.buffer), zlibOptions)]
        r.compress = false
      }
      finalize()
    }
    return r as unknown as PDFKit.PDFKitReference
  }
}

/** Writes "n / N" (and a left note, the same or per page) at the foot of every buffered page. */
export function footers(doc: PDFKit.PDFDocument, note: string | ((page: number) => string)): void {
  const range = doc.bufferedPageRange()
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i)
    const bottom = doc.page.margins.bottom
    doc.page.margins.bottom = 0
    const y = doc.page.height - 30
    const left = doc.page.margins.left
    const width = doc.page.width - left - doc.page.margins.right
    doc.font('regular').fontSize(7.5).fillColor('#6b7280')
    doc.text(typeof note === 'string' ? note : note(i - range.start), left, y, { width: width - 60, lineBreak: false, ellipsis: true })
    doc.text(`${i + 1 - range.start} / ${range.count}`, left, y, { width, align: 'right', lineBreak: false })
    doc.page.margins.bottom = bottom
  }
  doc.fillColor('black')
}
