/**
 * A table that runs across pages: the header row is repeated on every page, a row never splits, a
 * group heading is repeated ("… (continued)") when its rows go on on the next page. Cells that fit on
 * one line are drawn without pdfkit's line wrapper (the common case, and the fast one); longer texts
 * wrap inside their cell and make the row taller.
 */
export interface PdfColumn<K extends string> {
  key: K
  width: number
  align?: 'left' | 'right' | 'center'
}

export interface PdfTableOptions<K extends string> {
  left: number
  columns: readonly PdfColumn<K>[]
  headers: Record<K, string>
  /** Where the table goes on after a page break (below the page header). */
  top: number
  /** The lowest y a row may reach on the current page. */
  bottom: () => number
  fontSize?: number
  headerFontSize?: number
  pad?: number
  minRowHeight?: number
  ink?: string
  headerFill?: string
  headerInk?: string
  groupFill?: string
  rule?: string
}

interface Measured {
  height: number
  width: number
}

export class PdfTable<K extends string> {
  y: number
  readonly width: number
  private readonly doc: PDFKit.PDFDocument
  private readonly o: Required<PdfTableOptions<K>>
  private group: { text: string; continued: string } | null = null

  constructor(doc: PDFKit.PDFDocument, y: number, options: PdfTableOptions<K>) {
    this.doc = doc
    this.y = y
    this.o = {
      fontSize: 8.5,
      headerFontSize: 7.5,
      pad: 4,
      minRowHeight: 18,
      ink: '#111827',
      headerFill: '#1f4e5f',
      headerInk: '#ffffff',
      groupFill: '#e5e7eb',
      rule: '#9ca3af',
      ...options
    }
    this.width = options.columns.reduce((a, c) => a + c.width, 0)
  }

  /**
   * A text's height in a column's inner width at the current font, and its width when it fits on one
   * line (else -1); measured once per cell, since measuring is most of what drawing a table costs.
   */
  private measure(text: string, inner: number, lineHeight: number): Measured {
    if (!text) return { height: 0, width: 0 }
    if (text.indexOf('\n') < 0) {
      const width = this.doc.widthOfString(text)
      if (width <= inner) return { height: lineHeight, width }
    }
    return { height: this.doc.heightOfString(text, { width: inner }), width: -1 }
  }

  private drawText(text: string, x: number, y: number, inner: number, align: 'left' | 'right' | 'center', m: Measured) {
    if (!text) return
    if (m.width >= 0) {
      const dx = align === 'right' ? inner - m.width : align === 'center' ? (inner - m.width) / 2 : 0
      this.doc.text(text, x + dx, y, { lineBreak: false })
    } else this.doc.text(text, x, y, { width: inner, align })
  }

  /** Draws the header row (call once at the start; page breaks repeat it). */
  header(): void {
    const { doc, o } = this
    doc.font('bold').fontSize(o.headerFontSize)
    const lh = doc.currentLineHeight(true)
    const sizes = o.columns.map((c) => this.measure(o.headers[c.key], c.width - 2 * o.pad, lh))
    const h = Math.max(...sizes.map((m) => m.height)) + 2 * o.pad
    doc.rect(o.left, this.y, this.width, h).fill(o.headerFill)
    doc.fillColor(o.headerInk)
    let x = o.left
    o.columns.forEach((c, i) => {
      this.drawText(o.headers[c.key], x + o.pad, this.y + o.pad, c.width - 2 * o.pad, c.align ?? 'left', sizes[i]!)
      x += c.width
    })
    doc.fillColor(o.ink)
    this.y += h
  }

  /** Starts a new page when `height` does not fit on this one; returns whether it did. */
  ensure(height: number): boolean {
    if (this.y + height <= this.o.bottom()) return false
    this.doc.addPage()
    this.y = this.o.top
    this.header()
    if (this.group) this.groupRow(this.group.continued)
    return true
  }

  private groupRow(text: string) {
    const { doc, o } = this
    doc.font('bold').fontSize(o.fontSize)
    const h = doc.currentLineHeight(true) + 2 * o.pad
    doc.rect(o.left, this.y, this.width, h).fill(o.groupFill)
    doc.fillColor(o.ink).text(text, o.left + o.pad, this.y + o.pad, { width: this.width - 2 * o.pad, lineBreak: false, ellipsis: true })
    this.y += h
  }

  /** A heading row over the rows that follow (repeated as `continued` after a page break). */
  heading(text: string, continued: string, firstRowHeight = this.o.minRowHeight): void {
    this.group = null
    this.doc.font('bold').fontSize(this.o.fontSize)
    this.ensure(this.doc.currentLineHeight(true) + 2 * this.o.pad + firstRowHeight)
    this.groupRow(text)
    this.group = { text, continued }
  }

  /** The height a row of these cells takes. */
  rowHeight(cells: Partial<Record<K, string>>, bold = false): number {
    const { doc, o } = this
    doc.font(bold ? 'bold' : 'regular').fontSize(o.fontSize)
    const lh = doc.currentLineHeight(true)
    let h = 0
    for (const c of o.columns) h = Math.max(h, this.measure(cells[c.key] ?? '', c.width - 2 * o.pad, lh).height)
    return Math.max(o.minRowHeight, h + 2 * o.pad)
  }

  /** One row; it goes to the next page whole when it does not fit. */
  row(cells: Partial<Record<K, string>>, options: { bold?: boolean; fill?: string; rule?: boolean } = {}): void {
    const { doc, o } = this
    const font = options.bold ? 'bold' : 'regular'
    doc.font(font).fontSize(o.fontSize)
    const lh = doc.currentLineHeight(true)
    const sizes = o.columns.map((c) => this.measure(cells[c.key] ?? '', c.width - 2 * o.pad, lh))
    const textH = Math.max(...sizes.map((m) => m.height))
    const h = Math.max(o.minRowHeight, textH + 2 * o.pad)
    if (this.ensure(h)) doc.font(font).fontSize(o.fontSize)
    if (options.fill) doc.rect(o.left, this.y, this.width, h).fill(options.fill)
    doc.fillColor(o.ink)
    let x = o.left
    // Text shorter than the row's least height sits in its middle; taller rows start at the padding.
    const top = this.y + (textH + 2 * o.pad < h ? (h - textH) / 2 : o.pad)
    o.columns.forEach((c, i) => {
      this.drawText(cells[c.key] ?? '', x + o.pad, top, c.width - 2 * o.pad, c.align ?? 'left', sizes[i]!)
      x += c.width
    })
    this.y += h
    if (options.rule !== false) doc.moveTo(o.left, this.y).lineTo(o.left + this.width, this.y).lineWidth(0.4).strokeColor(o.rule).stroke()
  }

  /** Text across the whole table width (a note in place of rows). */
  note(text: string): void {
    const { doc, o } = this
    doc.font('regular').fontSize(o.fontSize)
    const h = doc.heightOfString(text, { width: this.width - 2 * o.pad }) + 2 * o.pad
    this.ensure(h)
    doc.fillColor(o.ink).text(text, o.left + o.pad, this.y + o.pad, { width: this.width - 2 * o.pad })
    this.y += h
  }

  /** Ends the current group (a later page break repeats no heading). */
  endGroup(): void {
    this.group = null
  }
}
