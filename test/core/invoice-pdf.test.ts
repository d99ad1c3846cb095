import { execFileSync, spawnSync } from 'node:child_process'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { SaxesParser } from 'saxes'
import { afterAll, describe, expect, it } from 'vitest'
import { invoicePdf, invoicesPdf } from '../../src/core/documents/invoicePdf.ts'
import type { InvoiceDocument, InvoiceLanguage, InvoiceLine } from '../../src/core/invoices/model.ts'
import { CREDIT_NOTE, DOMESTIC, EU_CONSUMER, EXPORT, INTRA_EU, SMALL_BUSINESS } from '../support/invoiceSamples.ts'
import { RESOURCES, tempDir } from '../support/workspace.ts'

/**
 * The invoice PDF read back with the tools a recipient's software would use: qpdf (structure, the
 * attached XML, the XMP), pdftotext (every mandatory item of § 14 Abs. 4 UStG, against the samples'
 * hand-computed figures), pdftoppm + zbarimg (the EPC QR code, against payloads written out by hand).
 */

const FONTS = join(RESOURCES, 'fonts')
const DIR = tempDir('puente-invoice-pdf-')
afterAll(() => rmSync(DIR, { recursive: true, force: true }))

const XML = `<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100" xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100">
  <rsm:ExchangedDocument><ram:ID>RE-2026-00001</ram:ID><ram:TypeCode>380</ram:TypeCode></rsm:ExchangedDocument>
  <rsm:SupplyChainTradeTransaction><ram:ApplicableHeaderTradeSettlement><ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode></ram:ApplicableHeaderTradeSettlement></rsm:SupplyChainTradeTransaction>
</rsm:CrossIndustryInvoice>
`
const CREATED = '2026-11-30T09:15:00.000Z'
let counter = 0

async function write(data: InvoiceDocument, options: { xml?: string | null; draft?: boolean } = {}): Promise<string> {
  const pdf = await invoicePdf(data, { fontsDir: FONTS, xml: options.xml === undefined ? XML : options.xml, draft: options.draft, createdAt: CREATED })
  const path = join(DIR, `${data.number}-${data.language}-${counter++}.pdf`)
  writeFileSync(path, pdf)
  return path
}

/** The text in reading layout (a label beside its value), every run of spaces and line breaks as one space. */
function text(path: string, page?: number): string {
  const range = page ? ['-f', String(page), '-l', String(page)] : []
  return execFileSync('pdftotext', ['-layout', ...range, path, '-'], { encoding: 'utf8' })
    .replace(/[\s\u00a0\u202f]+/g, ' ')
    .trim()
}

function pages(path: string): number {
  return Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [path], { encoding: 'utf8' }))![1])
}

function qpdfCheck(path: string): void {
  const r = spawnSync('qpdf', ['--check', path], { encoding: 'utf8' })
  expect(r.status, r.stdout + r.stderr).toBe(0)
  expect(r.stdout).toContain('No syntax or stream encoding errors found')
}

/** The QR codes zbarimg finds on the first page rendered at 200 dpi, as raw bytes (null: none). */
function qr(path: string): string | null {
  const png = join(DIR, `qr-${counter++}`)
  execFileSync('pdftoppm', ['-r', '200', '-png', '-f', '1', '-l', '1', '-singlefile', path, png])
  const r = spawnSync('zbarimg', ['-q', '-Sbinary', '--raw', `${png}.png`], { encoding: 'utf8' })
  if (r.status === 4) return null
  expect(r.status, r.stderr).toBe(0)
  return r.stdout
}

/** "1.234,50" as the language writes it: de and es as given, en with the separators swapped. */
function n(de: string, language: InvoiceLanguage): string {
  return language === 'en' ? de.replace(/[.,]/g, (c) => (c === ',' ? '.' : ',')) : de
}

/** An amount as a pattern; a negative one in English may stand before the currency code ("-EUR 80.00"). */
function amountPattern(de: string, language: InvoiceLanguage): RegExp {
  const plain = n(de, language).replace(/[.]/g, '\\.')
  return new RegExp(language === 'en' && plain.startsWith('-') ? `-(EUR )?${plain.slice(1)}` : plain)
}

/** 30.11.2026 as the invoice prints a day. */
function d(de: string, language: InvoiceLanguage): string {
  return language === 'de' ? de : de.replace(/\./g, '/')
}

const LANGUAGES: InvoiceLanguage[] = ['de', 'es', 'en']

const WORDS = {
  de: { invoice: 'Rechnung', credit: 'Stornorechnung', issue: 'Rechnungsdatum', delivery: 'Lieferdatum', due: 'Fällig am', refund: 'Erstattung', scan: 'Mit der Banking-App scannen', page: 'Seite', vat: ['Umsatzsteuer', 'USt.', 'USt-IdNr.'] },
  es: { invoice: 'Factura', credit: 'Factura rectificativa', issue: 'Fecha de emisión', delivery: 'Fecha de entrega', due: 'Vencimiento', refund: 'Reembolso', scan: 'Escanear con la app del banco', page: 'Página', vat: ['IVA'] },
  en: { invoice: 'Invoice', credit: 'Credit note', issue: 'Invoice date', delivery: 'Delivery date', due: 'Due date', refund: 'Refund', scan: 'Scan with your banking app', page: 'Page', vat: ['VAT'] }
} as const

const SELLER_ITEMS = ['Solidarische Importe e.V.', 'Venloer Straße 1', '50672 Köln', 'DE89 3704 0044 0532 0130 00', 'COBADEFFXXX', 'Commerzbank']

/** Every figure below is the sample's hand-computed one (test/support/invoiceSamples.ts), written out again. */
const CASES: { name: string; data: InvoiceDocument; items: string[]; amounts: string[]; qr: string | null; extra?: (t: string, l: InvoiceLanguage) => void }[] = [
  {
    name: 'domestic',
    data: DOMESTIC,
    items: ['RE-2026-00001', 'Weltladen Ehrenfeld', 'Körnerstraße 77', '50823 Köln', 'DE136695976', '214/5678/1234', 'Herbst 2026', 'RF90RE2026001', 'Yerba Mate 1 kg', '11 bestellt + 1 aus Toleranz', '12 Stk.', 'Malbec 0,75 l', '6 Stk.', 'Versand'],
    amounts: ['6,50', '78,00', '8,90', '53,40', '12,00', '65,40', '12,43', '5,46', '143,40', '17,89', '161,29', '-80,00', '81,29'],
    qr: 'BCD\n002\n1\nSCT\nCOBADEFFXXX\nSolidarische Importe e.V.\nDE89370400440532013000\nEUR81.29\n\nRF90RE2026001'
  },
  {
    name: 'EU consumer with a refund',
    data: EU_CONSUMER,
    items: ['RE-2026-00002', 'Foodcoop Salzburg', 'Linzer Gasse 12', '5020 Salzburg', 'DE136695976', 'Versand (Anteil 7 %)'],
    amounts: ['26,00', '17,80', '5,94', '4,06', '31,94', '2,24', '21,86', '4,15', '53,80', '6,39', '60,19', '-70,00', '9,81'],
    qr: null,
    extra: (t, l) => {
      expect(t).toContain(WORDS[l].refund)
      expect(t).not.toContain('-9,81')
      expect(t).not.toContain('RF63RE2026002')
    }
  },
  {
    name: 'intra-EU supply',
    data: INTRA_EU,
    items: ['RE-2026-00003', 'Épicerie Solidaire SARL', '12 rue de la République', '69002 Lyon', 'DE136695976', 'FR40303265045', 'PO 2026/118', 'RF36RE2026003', INTRA_EU.legalNote!],
    amounts: ['106,80', '65,00', '15,00', '186,80', '-90,00', '96,80'],
    qr: 'BCD\n002\n1\nSCT\nCOBADEFFXXX\nSolidarische Importe e.V.\nDE89370400440532013000\nEUR96.80\n\nRF36RE2026003'
  },
  {
    name: 'export',
    data: EXPORT,
    items: ['RE-2026-00004', 'Claro Weltladen Bern', 'Marktgasse 3', '3011 Bern', 'RF09RE2026004', 'Steuerfreie Ausfuhrlieferung (§ 4 Nr. 1 Buchst. a i. V. m. § 6 UStG).'],
    amounts: ['130,00', '53,40', '25,00', '208,40', '-100,00', '108,40'],
    qr: 'BCD\n002\n1\nSCT\nCOBADEFFXXX\nSolidarische Importe e.V.\nDE89370400440532013000\nEUR108.40\n\nRF09RE2026004'
  },
  {
    name: 'small business',
    data: SMALL_BUSINESS,
    items: ['RE-2026-00005', 'Colectivo Mate Berlín', 'Oranienstraße 45', '10969 Berlin', '214/5678/1234', 'RF79RE2026005', 'Exento como pequeña empresa (§ 19 UStG).'],
    amounts: ['19,50', '8,90', '4,50', '32,90'],
    qr: 'BCD\n002\n1\nSCT\nCOBADEFFXXX\nSolidarische Importe e.V.\nDE89370400440532013000\nEUR32.90\n\nRF79RE2026005',
    extra: (t, l) => {
      // § 19 UStG: no VAT figure at all (a VAT shown would be owed, § 14c), only the note.
      for (const word of WORDS[l].vat) expect(t).not.toContain(word)
      expect(t).not.toContain('%')
      expect(t).not.toContain('DE136695976')
    }
  },
  {
    name: 'credit note',
    data: CREDIT_NOTE,
    items: ['ST-2026-00001', 'RE-2026-00001', 'Weltladen Ehrenfeld', 'DE136695976', 'Storno der Rechnung RE-2026-00001 vom 30.11.2026.', '-12 Stk.'],
    amounts: ['-78,00', '-53,40', '-12,00', '-65,40', '-12,43', '-5,46', '-143,40', '-17,89', '-161,29'],
    qr: null,
    extra: (t, l) => {
      expect(t).toContain(WORDS[l].credit)
      expect(t).toContain(d('02.12.2026', l))
      expect(t).not.toMatch(/Gutschrift/i)
      // The figures are only ever printed negative.
      expect(t).not.toMatch(/(?<![-\d.,])(?<!-EUR )161[.,]29/)
      expect(t).not.toMatch(/(?<![-\d.,])(?<!-EUR )17[.,]89/)
      expect(t).not.toContain('RF14ST2026001')
    }
  }
]

describe('invoicePdf: the mandatory contents, per sample and language', () => {
  for (const c of CASES) {
    for (const language of LANGUAGES) {
      it(`${c.name}, ${language}`, async () => {
        const data = { ...c.data, language }
        const path = await write(data)
        qpdfCheck(path)
        expect(pages(path)).toBe(1)
        const t = text(path)
        const w = WORDS[language]
        for (const item of [...SELLER_ITEMS, ...c.items]) expect(t, item).toContain(item)
        for (const a of c.amounts) expect(t, a).toMatch(amountPattern(a, language))
        expect(t).toContain(data.kind === 'credit_note' ? w.credit : w.invoice)
        expect(t).toContain(`${w.issue} ${d(data.kind === 'credit_note' ? '02.12.2026' : '30.11.2026', language)}`)
        expect(t).toContain(`${w.delivery} ${d('20.11.2026', language)}`)
        expect(t).toContain(`${w.page} 1 / 1`)
        if (c.qr) {
          expect(t).toContain(`${w.due} ${d('14.12.2026', language)}`)
          expect(t).toContain(w.scan)
        } else expect(t).not.toContain(w.scan)
        if (c.data.legalNote) expect(t).toContain(c.data.legalNote)
        for (const mark of ['ENTWURF', 'BORRADOR', 'DRAFT']) expect(t).not.toContain(mark)
        c.extra?.(t, language)
      })
    }
  }
})

describe('invoicePdf: the EPC QR code', () => {
  for (const c of CASES) {
    it(`${c.name}: ${c.qr ? 'the payload written by hand' : 'no code'}`, async () => {
      expect(qr(await write(c.data))).toBe(c.qr)
    })
  }

  it('none when the deposits cover the invoice exactly', async () => {
    const path = await write({ ...DOMESTIC, prepaidMinor: 16_129, dueMinor: 0 })
    expect(qr(path)).toBeNull()
    expect(text(path)).toContain('Der Rechnungsbetrag ist durch Ihre Anzahlungen vollständig beglichen.')
  })
})

function xmp(path: string): string {
  const qdf = `${path}.qdf`
  execFileSync('qpdf', ['--qdf', '--object-streams=disable', path, qdf])
  const raw = readFileSync(qdf, 'latin1')
  const packet = /<\?xpacket begin=[\s\S]*?<\?xpacket end="w"\?>/.exec(raw)
  expect(packet, 'an XMP packet').not.toBeNull()
  return Buffer.from(packet![0], 'latin1').toString('utf8')
}

function wellFormed(xml: string): void {
  const parser = new SaxesParser({ xmlns: true })
  parser.write(xml).close()
}

describe('invoicePdf: PDF/A-3b with the Factur-X XML', () => {
  it('attaches exactly the XML given as factur-x.xml, declared in the XMP', async () => {
    const path = await write(DOMESTIC)
    qpdfCheck(path)
    expect(execFileSync('qpdf', [`--show-attachment=factur-x.xml`, path], { encoding: 'utf8' })).toBe(XML)
    const list = execFileSync('qpdf', ['--list-attachments', '--verbose', path], { encoding: 'utf8' })
    expect(list).toContain('mime type: text/xml')
    expect(list).toContain('/UF -> factur-x.xml')
    expect(readFileSync(path, 'latin1').slice(0, 8)).toBe('%PDF-1.7')

    const x = xmp(path)
    wellFormed(x)
    expect(x).toMatch(/<pdfaid:part>3<\/pdfaid:part>/)
    expect(x).toMatch(/<pdfaid:conformance>B<\/pdfaid:conformance>/)
    expect(x).toContain('<pdfaSchema:namespaceURI>urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#</pdfaSchema:namespaceURI>')
    expect(x).toContain('<pdfaSchema:prefix>fx</pdfaSchema:prefix>')
    for (const p of ['DocumentFileName', 'DocumentType', 'Version', 'ConformanceLevel']) expect(x).toContain(`<pdfaProperty:name>${p}</pdfaProperty:name>`)
    expect(x).toContain('xmlns:fx="urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#"')
    expect(x).toContain('<fx:DocumentFileName>factur-x.xml</fx:DocumentFileName>')
    expect(x).toContain('<fx:DocumentType>INVOICE</fx:DocumentType>')
    expect(x).toContain('<fx:Version>1.0</fx:Version>')
    expect(x).toContain('<fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>')
    expect(x).toContain('<xmp:CreateDate>2026-11-30T09:15:00Z</xmp:CreateDate>')
    expect(x).toContain('<xmp:ModifyDate>2026-11-30T09:15:00Z</xmp:ModifyDate>')

    // The catalog: the file spec in /AF with /AFRelationship, the sRGB output intent, the metadata stream.
    const qdf = readFileSync(`${path}.qdf`, 'latin1')
    expect(qdf).toMatch(/\/AFRelationship \/Alternative/)
    expect(qdf).toMatch(/\/AF \[/)
    expect(qdf).toMatch(/\/Subtype \/text#2Fxml/i)
    expect(qdf).toMatch(/\/S \/GTS_PDFA1/)
    expect(qdf).toMatch(/\/Type \/Metadata/)
    // Every font embedded (PDF/A): pdffonts marks each "emb yes".
    const fonts = execFileSync('pdffonts', [path], { encoding: 'utf8' }).trim().split('\n').slice(2)
    expect(fonts.length).toBeGreaterThan(0)
    for (const f of fonts) expect(f).toMatch(/CID TrueType\s+Identity-H\s+yes/)
  })

  it('names it xrechnung.xml with conformance level XRECHNUNG for the XRechnung profile', async () => {
    const path = await write({ ...INTRA_EU, profile: 'xrechnung' })
    qpdfCheck(path)
    expect(execFileSync('qpdf', ['--show-attachment=xrechnung.xml', path], { encoding: 'utf8' })).toBe(XML)
    const x = xmp(path)
    wellFormed(x)
    expect(x).toContain('<fx:DocumentFileName>xrechnung.xml</fx:DocumentFileName>')
    expect(x).toContain('<fx:ConformanceLevel>XRECHNUNG</fx:ConformanceLevel>')
  })

  it('keeps the XMP well-formed when names hold & < >', async () => {
    const path = await write({ ...DOMESTIC, buyer: { ...DOMESTIC.buyer, name: 'Müller & Söhne <Laden>' } })
    qpdfCheck(path)
    wellFormed(xmp(path))
    expect(text(path)).toContain('Müller & Söhne <Laden>')
  })

  it('is a plain PDF without attachment when no XML is given', async () => {
    const path = await write(DOMESTIC, { xml: null })
    qpdfCheck(path)
    expect(execFileSync('qpdf', ['--list-attachments', path], { encoding: 'utf8' })).toContain('has no embedded files')
    expect(readFileSync(path, 'latin1')).not.toContain('pdfaid')
  })
})

describe('invoicePdf: drafts, deposit requests, long invoices', () => {
  it('prints the draft mark in the invoice language', async () => {
    for (const [language, mark] of [['de', 'ENTWURF'], ['es', 'BORRADOR'], ['en', 'DRAFT']] as const) {
      const path = await write({ ...DOMESTIC, language }, { draft: true })
      qpdfCheck(path)
      expect(text(path)).toContain(mark)
    }
  })

  it('titles a deposit request and leaves out the date of supply it does not have', async () => {
    for (const [language, title, delivery] of [['de', 'Anzahlungsanforderung', 'Lieferdatum'], ['es', 'Solicitud de anticipo', 'Fecha de entrega'], ['en', 'Deposit request', 'Delivery date']] as const) {
      const t = text(await write({ ...DOMESTIC, kind: 'deposit', language, deliveryDate: null, prepaidMinor: 0, dueMinor: 16_129 }))
      expect(t).toContain(`${title} RE-2026-00001`)
      expect(t).not.toContain(delivery)
    }
  })

  /** 80 lines of 1 × 1,00 € at 19 %, written out: net 80,00, VAT 15,20, gross 95,20. */
  const LONG: InvoiceDocument = {
    ...DOMESTIC,
    number: 'RE-2026-00099',
    lines: Array.from({ length: 80 }, (_, i): InvoiceLine => ({
      position: i + 1,
      description: `Artikel ${i + 1}`,
      sku: `A-${i + 1}`,
      quantityMilli: 1000,
      unitCode: 'H87',
      unitLabel: 'Stk.',
      unitPriceMinor: 100,
      netMinor: 100,
      vatCategory: 'S',
      rateBp: 1900,
      note: null
    })),
    vatRates: [{ category: 'S', rateBp: 1900, netMinor: 8000, vatMinor: 1520, exemptionReason: null, exemptionCode: null }],
    netMinor: 8000,
    vatMinor: 1520,
    grossMinor: 9520,
    prepaidMinor: 0,
    dueMinor: 9520
  }

  it('runs a long table across pages with its header and "Seite n / N" on each, the QR on the last', async () => {
    const path = await write(LONG)
    qpdfCheck(path)
    const count = pages(path)
    expect(count).toBeGreaterThanOrEqual(3)
    for (let p = 1; p <= count; p++) {
      const t = text(path, p)
      expect(t).toContain(`Seite ${p} / ${count}`)
      if (p < count) expect(t).toContain('Pos. Beschreibung Menge Einzelpreis USt. Netto (EUR)')
    }
    expect(text(path, 1)).toContain('Artikel 1 ')
    expect(text(path)).toContain('Artikel 80')
    expect(text(path)).toContain('Gesamtbetrag brutto 95,20 EUR')
    expect(text(path, count)).toContain('Mit der Banking-App scannen')
  })

  it('prints a whole round in one file, each invoice on its own pages numbered by itself, without attachments', async () => {
    const docs = [DOMESTIC, LONG, { ...CREDIT_NOTE, language: 'es' as const }, SMALL_BUSINESS]
    const path = join(DIR, 'round.pdf')
    writeFileSync(path, await invoicesPdf(docs, { fontsDir: FONTS, createdAt: CREATED }))
    qpdfCheck(path)
    expect(execFileSync('qpdf', ['--list-attachments', path], { encoding: 'utf8' })).toContain('has no embedded files')
    const long = pages(await write(LONG))
    expect(pages(path)).toBe(long + 3)
    expect(text(path, 1)).toContain('RE-2026-00001')
    expect(text(path, 1)).toContain('Seite 1 / 1')
    expect(text(path, 2)).toContain('RE-2026-00099')
    expect(text(path, 2)).toContain(`Seite 1 / ${long}`)
    expect(text(path, 1 + long)).toContain(`Seite ${long} / ${long}`)
    expect(text(path, 2 + long)).toContain('Factura rectificativa ST-2026-00001')
    expect(text(path, 2 + long)).toContain('Página 1 / 1')
    expect(text(path, 3 + long)).toContain('RE-2026-00005')
    expect(qr(path)).toBe('BCD\n002\n1\nSCT\nCOBADEFFXXX\nSolidarische Importe e.V.\nDE89370400440532013000\nEUR81.29\n\nRF90RE2026001')
  })
})
