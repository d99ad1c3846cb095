import { execFileSync } from 'node:child_process'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { closingCsv } from '../../src/core/closing/closingCsv.ts'
import type { ClosingFigures } from '../../src/core/closing/model.ts'
import { closingReportFileName, closingReportPdf } from '../../src/core/documents/closingReportPdf.ts'
import type { Language } from '../../src/shared/reference.ts'
import { RESOURCES, tempDir } from '../support/workspace.ts'

/**
 * The round's closing report (issue 12, item 5) from figures written out by hand: two cooperatives (one
 * with bank details, one without), three groups, a stock line, two purchase orders paid in dollars. The
 * PDF is read back with qpdf and pdftotext, the CSV parsed back field by field; every expected amount is
 * written by hand. With CLOSING_REPORT_SHOTS=<folder> the pages are also written there as PNG, to look at.
 */

const FONTS = join(RESOURCES, 'fonts')
const DIR = tempDir('puente-closing-report-')
afterAll(() => rmSync(DIR, { recursive: true, force: true }))
const CREATED = '2026-12-06T10:00:00.000Z'

const LONG_COOP = 'Cooperativa de Trabajo Agroecológico La Hoja Verde de Misiones Limitada, Sección Yerba Mate'

function figures(language: Language, closedAt: string | null): ClosingFigures {
  return {
    roundId: 'round-1',
    roundName: 'Winterrunde 2026-27',
    currency: 'EUR',
    digits: 2,
    language,
    organisation: 'Puente Solidario e. V.',
    day: '2026-12-06',
    closedAt,
    goodsNetMinor: 1_234_456,
    shippingNetMinor: 41_250,
    chargesNetMinor: 3_500,
    stock: [{ sku: 'LH-YM1K', name: 'Mate-Tee mit Stängeln 1 kg', quantityMilli: 10_000, unit: 'bag', valueMinor: 5_350, contributionMinor: 500 }],
    stockValueMinor: 5_350,
    shipments: [
      { number: 'SE-2026-001', landedMinor: 780_000, goodsMinor: 650_000 },
      { number: 'SE-2026-002', landedMinor: 265_432, goodsMinor: 230_000 }
    ],
    landedMinor: 1_045_432,
    exchange: [
      { purchaseOrderNumber: 'EB-2026-0001', supplierName: LONG_COOP, currency: 'USD', paidMinor: 700_000, paidDigits: 2, paidBaseMinor: 640_000, bookValueMinor: 641_234, differenceMinor: 1_234 },
      { purchaseOrderNumber: 'EB-2026-0002', supplierName: 'Bodega Del Contratista', currency: 'USD', paidMinor: 250_000, paidDigits: 2, paidBaseMinor: 229_500, bookValueMinor: 229_000, differenceMinor: -500 }
    ],
    exchangeDifferenceMinor: 734,
    resultMinor: 195_108,
    cooperatives: [
      {
        supplierId: 'coop-a',
        name: LONG_COOP,
        goodsNetMinor: 845_000,
        contributionMinor: 8_400,
        stockContributionMinor: 500,
        products: [
          { sku: 'LH-YM1K', name: 'Mate-Tee mit Stängeln 1 kg', deliveredMilli: 120_000, unit: 'bag', perUnitMinor: 50, perUnitCurrency: 'EUR', contributionMinor: 6_000 },
          { sku: 'LH-YM500', name: 'Mate-Tee mit Stängeln 500 g', deliveredMilli: 80_000, unit: 'bag', perUnitMinor: 30, perUnitCurrency: 'EUR', contributionMinor: 2_400 }
        ],
        bank: { iban: 'DE89370400440532013000', bic: 'COBADEFFXXX', cbu: null, bankName: 'Commerzbank' }
      },
      {
        supplierId: 'coop-b',
        name: 'Bodega Del Contratista',
        goodsNetMinor: 389_456,
        contributionMinor: 4_908,
        stockContributionMinor: 0,
        products: [
          { sku: 'CT-DC750', name: 'Del Contratista Syrah-Bonarda 750 ml', deliveredMilli: 36_000, unit: 'bottle', perUnitMinor: 75, perUnitCurrency: 'EUR', contributionMinor: 2_700 },
          { sku: 'CT-MB750', name: 'Malbec Reserva 750 ml', deliveredMilli: 24_000, unit: 'bottle', perUnitMinor: 100, perUnitCurrency: 'USD', contributionMinor: 2_208 }
        ],
        bank: { iban: null, bic: null, cbu: null, bankName: null }
      }
    ],
    contributionsMinor: 13_308,
    stockContributionsMinor: 500,
    reserveMinor: 181_800,
    groups: [
      { buyerId: 'g1', name: 'Foodcoop Kornblume', goodsNetMinor: 600_000, grossMinor: 714_000, receivedMinor: 714_000, openMinor: 0 },
      { buyerId: 'g2', name: 'Weltladen Connewitz', goodsNetMinor: 434_456, grossMinor: 517_002, receivedMinor: 400_000, openMinor: 117_002 },
      { buyerId: 'g3', name: 'Solikreis "Nord"; Dortmund', goodsNetMinor: 200_000, grossMinor: 238_000, receivedMinor: 250_000, openMinor: -12_000 }
    ],
    invoicedGrossMinor: 1_469_002,
    receivedMinor: 1_364_000,
    refundedMinor: 0
  }
}

const SCREENSHOTS = process.env.CLOSING_REPORT_SHOTS
let counter = 0

/** Writes the report, checks its structure with qpdf and returns where it is. */
function render(data: ClosingFigures, name: string): string {
  const path = join(DIR, `${name}-${counter++}.pdf`)
  writeFileSync(path, closingReportPdf(data, { fontsDir: FONTS, createdAt: CREATED }))
  execFileSync('qpdf', ['--check', path])
  if (SCREENSHOTS) execFileSync('pdftoppm', ['-png', '-r', '70', path, join(SCREENSHOTS, name)])
  return path
}

/** The text in reading layout, pages split at form feeds, no-break spaces as spaces. */
function pagesOf(path: string): string[] {
  const text = execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' }).replace(/[\u00a0\u202f]/g, ' ')
  return text.split('\f').filter((p) => p.trim())
}

interface Word {
  text: string
  x0: number
  y0: number
  x1: number
  y1: number
}

/** Every word with its box, per page (pdftotext -bbox). */
function wordsOf(path: string): Word[][] {
  const html = execFileSync('pdftotext', ['-bbox', path, '-'], { encoding: 'utf8' })
  return html
    .split('<page ')
    .slice(1)
    .map((page) =>
      [...page.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((m) => ({
        text: m[5]!,
        x0: Number(m[1]),
        y0: Number(m[2]),
        x1: Number(m[3]),
        y1: Number(m[4])
      }))
    )
}

/** Nothing runs past the margins (40 pt each side on A4) and no word is drawn over another. */
function expectTidy(path: string): void {
  for (const [i, words] of wordsOf(path).entries()) {
    const outside = words.filter((w) => w.x0 < 39.5 || w.x1 > 595.28 - 39.5)
    expect(outside.map((w) => `${i + 1}: ${w.text}`)).toEqual([])
    const overlaps: string[] = []
    for (let a = 0; a < words.length; a++) {
      for (let b = a + 1; b < words.length; b++) {
        const p = words[a]!
        const q = words[b]!
        const dx = Math.min(p.x1, q.x1) - Math.max(p.x0, q.x0)
        const dy = Math.min(p.y1, q.y1) - Math.max(p.y0, q.y0)
        if (dx > 0.5 && dy > 1) overlaps.push(`${i + 1}: ${p.text} / ${q.text}`)
      }
    }
    expect(overlaps).toEqual([])
  }
}

/** A page as pixels (pdftoppm's PPM: a text header, then RGB bytes). */
function pixels(path: string, page: number, dpi: number): { width: number; height: number; rgb: Buffer } {
  const out = join(DIR, `px-${counter++}`)
  execFileSync('pdftoppm', ['-r', String(dpi), '-f', String(page), '-l', String(page), '-singlefile', path, out])
  const bytes = readFileSync(`${out}.ppm`)
  const header = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(bytes.subarray(0, 40).toString('latin1'))
  expect(header).not.toBeNull()
  const width = Number(header![1])
  const height = Number(header![2])
  return { width, height, rgb: bytes.subarray(header![0].length) }
}

/**
 * The bars of one colour on a page: the length of each (longest run in a band of rows), top to bottom.
 * Runs shorter than `least` pixels are strokes of letters in that colour, not bars.
 */
function bars(img: { width: number; height: number; rgb: Buffer }, hex: string, least = 16): number[] {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16))
  const runs: number[] = []
  for (let y = 0; y < img.height; y++) {
    let best = 0
    let run = 0
    for (let x = 0; x < img.width; x++) {
      const o = (y * img.width + x) * 3
      const near = Math.abs(img.rgb[o]! - r!) + Math.abs(img.rgb[o + 1]! - g!) + Math.abs(img.rgb[o + 2]! - b!) <= 12
      run = near ? run + 1 : 0
      best = Math.max(best, run)
    }
    runs.push(best)
  }
  const found: number[] = []
  let band = 0
  for (const len of [...runs, 0]) {
    if (len >= least) band = Math.max(band, len)
    else if (band) {
      found.push(band)
      band = 0
    }
  }
  return found
}

/** CSV back into rows of fields: ';' between fields, CRLF between rows, quotes doubled inside quoted fields. */
function parseCsv(bytes: Uint8Array): string[][] {
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
  const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(3))
  expect(text.endsWith('\r\n')).toBe(true)
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"'
        i++
      } else if (ch === '"') quoted = false
      else field += ch
    } else if (ch === '"') quoted = true
    else if (ch === ';') {
      row.push(field)
      field = ''
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field)
      rows.push(row)
      row = []
      field = ''
      i++
    } else field += ch
  }
  expect(quoted).toBe(false)
  expect(row).toEqual([])
  return rows
}

/** "12344,56" → 1234456 (the CSV's decimal comma, read by hand). */
const minorOf = (decimal: string) => {
  expect(decimal).toMatch(/^-?\d+,\d{2}$/)
  return Number(decimal.replace(',', ''))
}

describe('the figures of the test round', () => {
  it('add up as the closing defines them', () => {
    const f = figures('de', null)
    expect(f.goodsNetMinor + f.stockValueMinor - f.landedMinor + f.exchangeDifferenceMinor).toBe(f.resultMinor)
    expect(f.resultMinor - f.contributionsMinor).toBe(f.reserveMinor)
    expect(f.cooperatives.reduce((a, c) => a + c.contributionMinor, 0)).toBe(f.contributionsMinor)
    for (const c of f.cooperatives) expect(c.products.reduce((a, p) => a + p.contributionMinor, 0)).toBe(c.contributionMinor)
    expect(f.cooperatives.reduce((a, c) => a + c.goodsNetMinor, 0)).toBe(f.goodsNetMinor)
    expect(f.cooperatives.reduce((a, c) => a + c.stockContributionMinor, 0)).toBe(f.stockContributionsMinor)
    expect(f.stock.reduce((a, s) => a + s.valueMinor, 0)).toBe(f.stockValueMinor)
    expect(f.stock.reduce((a, s) => a + s.contributionMinor, 0)).toBe(f.stockContributionsMinor)
    expect(f.shipments.reduce((a, s) => a + s.landedMinor, 0)).toBe(f.landedMinor)
    expect(f.exchange.reduce((a, e) => a + e.differenceMinor, 0)).toBe(f.exchangeDifferenceMinor)
    for (const e of f.exchange) expect(e.bookValueMinor - e.paidBaseMinor).toBe(e.differenceMinor)
    expect(f.groups.reduce((a, g) => a + g.goodsNetMinor, 0)).toBe(f.goodsNetMinor)
    expect(f.groups.reduce((a, g) => a + g.grossMinor, 0)).toBe(f.invoicedGrossMinor)
    expect(f.groups.reduce((a, g) => a + g.receivedMinor, 0)).toBe(f.receivedMinor)
    for (const g of f.groups) expect(g.grossMinor - g.receivedMinor).toBe(g.openMinor)
    // Per unit × units delivered, in euros (the Malbec's dollar is 0,92 €: 24 × 0,92 = 22,08).
    expect(f.cooperatives[0]!.products.map((p) => (p.deliveredMilli / 1000) * p.perUnitMinor)).toEqual([6_000, 2_400])
    expect(f.cooperatives[1]!.products.map((p) => (p.deliveredMilli / 1000) * p.perUnitMinor)).toEqual([2_700, 2_400])
  })
})

describe('the closing report PDF', () => {
  it('explains the result step by step in German, with the transfers and their bank details, and marks a preview', () => {
    const path = render(figures('de', null), 'closing-de')
    const pages = pagesOf(path)
    const all = pages.join('\n')
    const first = pages[0]!
    expect(first).toMatch(/^\s*Abschluss der Runde Winterrunde 2026-27\s+VORSCHAU\n/)
    expect(first).toContain('Puente Solidario e. V. · Stand: 6. Dezember 2026')
    expect(first).toContain('Vorschau: Die Runde ist noch nicht abgeschlossen')
    // The statement, line by line, with its signs.
    expect(first).toMatch(/\n\s+Waren netto berechnet \(Rechnungen abzüglich Stornorechnungen, ohne USt\)\s+12\.344,56\n/)
    expect(first).toMatch(/\n\s+\+\s+Lagerbestand zum Einstandswert\s+53,50\n/)
    expect(first).toMatch(/\n\s+−\s+Einstandswert aller erhaltenen Waren \(auch zerbrochene\)\s+10\.454,32\n/)
    expect(first).toMatch(/\n\s+\+\s+Kursdifferenzen\s+7,34\n/)
    expect(first).toMatch(/\n\s+=\s+Ergebnis\s+1\.951,08\n/)
    expect(first).toMatch(/\n\s+−\s+Solidaritätsbeiträge an die Kooperativen\s+133,08\n/)
    expect(first).toMatch(/\n\s+=\s+Rücklage\s+1\.818,00\n/)
    const flat = all.replace(/\s+/g, ' ')
    expect(flat).toContain('Versand (412,50 EUR) und sonstige Kosten (35,00 EUR) wurden zum Selbstkostenpreis weiterberechnet: Sie gehen durch und sind nicht im Ergebnis.')
    expect(flat).toContain('Beiträge auf den Lagerbestand (5,00 EUR) werden fällig, wenn die Waren verkauft sind')
    expect(flat).toContain('Rechnungen brutto 14.690,02 EUR · erhalten 13.640,00 EUR · erstattet 0,00 EUR')
    // The charts: a bar per cooperative and group, the long name cut to its label's width.
    expect(first).toContain('Warenwert je Kooperative (netto berechnet)')
    expect(first).toMatch(/\nCooperativa de Trabajo Agroecológico…\s+8\.450,00\n/)
    expect(first).toMatch(/\nBodega Del Contratista\s+3\.894,56\n/)
    expect(first).toMatch(/\nCooperativa de Trabajo Agroecológico…\s+84,00\n/)
    expect(first).toMatch(/\nBodega Del Contratista\s+49,08\n/)
    expect(first).toMatch(/\nSolikreis "Nord"; Dortmund\s+2\.380,00\n/)
    // The transfers: the first cooperative's bank details, the second has none.
    expect(all).toContain(LONG_COOP)
    expect(all).toMatch(/\n\s*IBAN DE89 3704 0044 0532 0130 00 · BIC COBADEFFXXX · Bank: Commerzbank\n/)
    expect(all).toMatch(/LH-YM1K\s+Mate-Tee mit Stängeln 1 kg\s+120 Beutel\s+0,50 EUR\s+60,00\n/)
    expect(all).toMatch(/Zu überweisen\s+84,00\n/)
    expect(all).toMatch(/Auf Lagerbestand, fällig bei Verkauf\s+5,00\n/)
    expect(all).toMatch(/Bodega Del Contratista\s*\n\s*Keine Bankverbindung hinterlegt\n/)
    expect(all).toMatch(/CT-MB750\s+Malbec Reserva 750 ml\s+24 Flasche\s+1,00 USD\s+22,08\n/)
    expect(all).toMatch(/Zu überweisen\s+49,08\n/)
    expect(all).toMatch(/Beiträge insgesamt\s+133,08\n/)
    // Stock, shipments, exchange, groups.
    expect(all).toMatch(/LH-YM1K\s+Mate-Tee mit Stängeln 1 kg\s+10 Beutel\s+53,50\s+5,00\n/)
    expect(all).toMatch(/SE-2026-002\s+2\.300,00\s+2\.654,32\n/)
    expect(all).toMatch(/Summe\s+8\.800,00\s+10\.454,32\n/)
    expect(all).toMatch(/EB-2026-0001\s+Cooperativa de Trabajo\s+7\.000,00 USD\s+6\.400,00\s+6\.412,34\s+12,34\n/)
    expect(all).toMatch(/EB-2026-0002\s+Bodega Del Contratista\s+2\.500,00 USD\s+2\.295,00\s+2\.290,00\s+-5,00\n/)
    expect(all).toMatch(/Solikreis "Nord"; Dortmund\s+2\.000,00\s+2\.380,00\s+2\.500,00\s+-120,00\n/)
    expect(all).toMatch(/Summe\s+12\.344,56\s+14\.690,02\s+13\.640,00\s+1\.050,02\n/)
    // Every page says it is a preview (the running header of the later ones), and carries its number.
    expect(pages.length).toBeGreaterThanOrEqual(2)
    pages.forEach((p, i) => {
      expect(p).toContain('VORSCHAU')
      expect(p).toMatch(new RegExp(`\\s${i + 1} ?/ ?${pages.length}\\s*$`))
    })
    expectTidy(path)
  })

  it('writes the Spanish report with the amounts as Spanish writes them, and no preview mark once closed', () => {
    const path = render(figures('es', '2026-12-06T16:30:00.000Z'), 'closing-es')
    const pages = pagesOf(path)
    const all = pages.join('\n')
    const first = pages[0]!
    expect(first).toMatch(/^\s*Cierre de la ronda Winterrunde 2026-27\n/)
    expect(first).toContain('Puente Solidario e. V. · Cerrada el 6 de diciembre de 2026')
    // Spanish groups thousands from five digits on (CLDR es): 12.344,56 but 1951,08.
    expect(first).toMatch(/\n\s+Mercadería facturada, neta \(facturas menos notas de crédito, sin IVA\)\s+12\.344,56\n/)
    expect(first).toMatch(/\n\s+\+\s+Stock a costo de importación\s+53,50\n/)
    expect(first).toMatch(/\n\s+−\s+Costo de importación de todo lo recibido \(incluidas las unidades rotas\)\s+10\.454,32\n/)
    expect(first).toMatch(/\n\s+\+\s+Diferencias de cambio\s+7,34\n/)
    expect(first).toMatch(/\n\s+=\s+Resultado\s+1951,08\n/)
    expect(first).toMatch(/\n\s+−\s+Aportes solidarios a las cooperativas\s+133,08\n/)
    expect(first).toMatch(/\n\s+=\s+Reserva\s+1818,00\n/)
    expect(all.replace(/\s+/g, ' ')).toContain('El envío (412,50 EUR) y otros gastos (35,00 EUR) se facturaron al costo: pasan de largo y no forman parte del resultado.')
    expect(all).toMatch(/\n\s*IBAN DE89 3704 0044 0532 0130 00 · BIC COBADEFFXXX · Banco: Commerzbank\n/)
    expect(all).toMatch(/Bodega Del Contratista\s*\n\s*Sin datos bancarios\n/)
    expect(all).toMatch(/A transferir\s+84,00\n/)
    expect(all).not.toMatch(/VISTA PREVIA|VORSCHAU|PREVIEW/)
    expectTidy(path)
  })

  it('marks the Spanish preview and not the closed German report', () => {
    const preview = pagesOf(render(figures('es', null), 'closing-es-preview'))
    expect(preview[0]).toMatch(/^\s*Cierre de la ronda Winterrunde 2026-27\s+VISTA PREVIA\n/)
    expect(preview[0]).toContain('Al 6 de diciembre de 2026')
    for (const p of preview) expect(p).toContain('VISTA PREVIA')
    const closed = pagesOf(render(figures('de', '2026-12-06T16:30:00.000Z'), 'closing-de-closed')).join('\n')
    expect(closed).toContain('Abgeschlossen am 6. Dezember 2026')
    expect(closed).not.toMatch(/VORSCHAU|Vorschau/)
  })

  it('draws the bars to scale: each as long as its amount against the largest', () => {
    const path = render(figures('de', '2026-12-06T16:30:00.000Z'), 'closing-bars')
    const img = pixels(path, 1, 144)
    // Value per cooperative 8.450,00 and 3.894,56; contributions 84,00 and 49,08; groups 7.140,00, 5.170,02, 2.380,00.
    const value = bars(img, '#2f7a93')
    const contributions = bars(img, '#b45309')
    const groups = bars(img, '#4f6d3a')
    expect(value).toHaveLength(2)
    expect(contributions).toHaveLength(2)
    expect(groups).toHaveLength(3)
    expect(value[1]! / value[0]!).toBeCloseTo(3894.56 / 8450, 1)
    expect(contributions[1]! / contributions[0]!).toBeCloseTo(49.08 / 84, 1)
    expect(groups[1]! / groups[0]!).toBeCloseTo(5170.02 / 7140, 1)
    expect(groups[2]! / groups[0]!).toBeCloseTo(2380 / 7140, 1)
    // The longest bar of each chart fills the same width: about half the page.
    for (const longest of [value[0]!, contributions[0]!, groups[0]!]) expect(longest / img.width).toBeGreaterThan(0.4)
  })

  it('runs 40 groups over several pages, repeating the table headers and naming every group', () => {
    const f = figures('de', null)
    const names = Array.from({ length: 40 }, (_, i) => `Gruppe ${String(i + 1).padStart(2, '0')} ${['Nord', 'Süd', 'Ost', 'West'][i % 4]}`)
    const long = 'Verbraucherinnen- und Verbrauchergemeinschaft für fairen Handel im Stadtteil Connewitz-Süd und Umgebung'
    f.groups = names.map((name, i) => ({ buyerId: `g${i}`, name, goodsNetMinor: 10_000 + i * 250, grossMinor: 11_900 + i * 300, receivedMinor: 11_900, openMinor: i * 300 }))
    f.groups.push({ buyerId: 'long', name: long, goodsNetMinor: 5_000, grossMinor: 5_950, receivedMinor: 0, openMinor: 5_950 })
    const path = render(f, 'closing-40')
    const pages = pagesOf(path)
    expect(pages.length).toBeGreaterThanOrEqual(3)
    const all = pages.join('\n')
    // Each group in its chart and in its table.
    for (const name of names) expect(all.split(name).length - 1).toBe(2)
    expect(all).toContain('Summe je Gruppe (brutto) (Fortsetzung)')
    const tablePages = pages.filter((p) => /Gruppe 40 West\s+\d|Gruppe 01 Nord\s+\d/.test(p) || p.includes('Offen (−:'))
    expect(pages.filter((p) => p.includes('Offen (−:')).length).toBeGreaterThanOrEqual(2)
    expect(tablePages.length).toBeGreaterThanOrEqual(2)
    // The long name is cut in the chart and wraps inside its cell in the table.
    expect(all).toMatch(/Verbraucherinnen- und Verbrauche.*…/)
    expect(all.replace(/\s+/g, ' ')).toContain('Umgebung')
    expectTidy(path)
  })

  it('names the file in the organisation’s language', () => {
    expect(closingReportFileName(figures('de', null))).toBe('Rundenabschluss Winterrunde 2026-27.pdf')
    expect(closingReportFileName({ ...figures('es', null), roundName: 'Otoño 2026/27: "mate"' })).toBe('Cierre de ronda Otoño 2026-27- -mate-.pdf')
  })

  it('renders a round with nothing in it, and one whose credit notes outweigh its invoices (bars to the left of zero)', () => {
    const empty: ClosingFigures = {
      ...figures('en', null),
      goodsNetMinor: 0,
      shippingNetMinor: 0,
      chargesNetMinor: 0,
      stock: [],
      stockValueMinor: 0,
      shipments: [],
      landedMinor: 0,
      exchange: [],
      exchangeDifferenceMinor: 0,
      resultMinor: 0,
      cooperatives: [],
      contributionsMinor: 0,
      stockContributionsMinor: 0,
      reserveMinor: 0,
      groups: [],
      invoicedGrossMinor: 0,
      receivedMinor: 0,
      refundedMinor: 0
    }
    const path = render(empty, 'closing-empty')
    const text = pagesOf(path).join('\n')
    expect(text).toMatch(/Closing of the round Winterrunde 2026-27\s+PREVIEW/)
    expect(text).toMatch(/=\s+Reserve\s+0\.00\n/)
    expect(text.split('Nothing to show.').length - 1).toBe(3)
    for (const none of ['Nothing from this round is in stock.', 'No shipments.', 'No payments in a foreign currency.', 'No invoices.']) expect(text).toContain(none)
    expectTidy(path)

    const credited = figures('en', '2026-12-06T16:30:00.000Z')
    credited.groups[2] = { ...credited.groups[2]!, grossMinor: -238_000, receivedMinor: 0, openMinor: -238_000 }
    const negative = render(credited, 'closing-negative')
    expect(pagesOf(negative)[0]).toMatch(/\nSolikreis "Nord"; Dortmund\s+-2,380\.00\n/)
    const img = pixels(negative, 1, 144)
    // The refund's bar in red, left of the zero line; the other two in the chart's colour to its right.
    expect(bars(img, '#4f6d3a')).toHaveLength(2)
    const red = bars(img, '#b91c1c')
    expect(red).toHaveLength(1)
    expect(red[0]! / bars(img, '#4f6d3a')[0]!).toBeCloseTo(2380 / 7140, 1)
    expectTidy(negative)
  })
})

describe('the closing CSV', () => {
  it('gives the bookkeeper every section in German, one row each, amounts with a decimal comma', () => {
    const csv = closingCsv(figures('de', null))
    expect(csv.fileName).toBe('Rundenabschluss Winterrunde 2026-27.csv')
    const rows = parseCsv(csv.bytes)
    expect(rows[0]).toEqual(['Abschnitt', 'Posten', 'Wert', 'Währung'])
    expect(rows.slice(1, 5)).toEqual([
      ['Runde', 'Runde', 'Winterrunde 2026-27', ''],
      ['Runde', 'Organisation', 'Puente Solidario e. V.', ''],
      ['Runde', 'Stichtag', '2026-12-06', ''],
      ['Runde', 'Status', 'Vorschau', '']
    ])
    const summary = rows.filter((r) => r[0] === 'Ergebnis')
    expect(summary).toEqual([
      ['Ergebnis', 'Waren netto berechnet (Rechnungen abzüglich Stornorechnungen, ohne USt)', '12344,56', 'EUR'],
      ['Ergebnis', 'Lagerbestand zum Einstandswert', '53,50', 'EUR'],
      ['Ergebnis', 'Einstandswert aller erhaltenen Waren (auch zerbrochene)', '-10454,32', 'EUR'],
      ['Ergebnis', 'Kursdifferenzen', '7,34', 'EUR'],
      ['Ergebnis', 'Ergebnis', '1951,08', 'EUR'],
      ['Ergebnis', 'Solidaritätsbeiträge an die Kooperativen', '-133,08', 'EUR'],
      ['Ergebnis', 'Rücklage', '1818,00', 'EUR'],
      ['Ergebnis', 'Versand, weiterberechnet', '412,50', 'EUR'],
      ['Ergebnis', 'Sonstige Kosten, weiterberechnet', '35,00', 'EUR'],
      ['Ergebnis', 'Beiträge auf Lagerbestand, fällig bei Verkauf', '5,00', 'EUR'],
      ['Ergebnis', 'Rechnungen brutto', '14690,02', 'EUR'],
      ['Ergebnis', 'Erhalten', '13640,00', 'EUR'],
      ['Ergebnis', 'Erstattet', '0,00', 'EUR']
    ])
    // The statement's lines add up in the file too.
    const m = summary.map((r) => minorOf(r[2]!))
    expect(m[0]! + m[1]! + m[2]! + m[3]!).toBe(m[4])
    expect(m[4]! + m[5]!).toBe(m[6])
    expect(rows.filter((r) => r[0] === 'Kooperativen')).toEqual([
      ['Kooperativen', LONG_COOP, '8450,00', '84,00', '5,00', 'EUR', 'DE89370400440532013000', 'COBADEFFXXX', '', 'Commerzbank'],
      ['Kooperativen', 'Bodega Del Contratista', '3894,56', '49,08', '0,00', 'EUR', '', '', '', '']
    ])
    expect(rows.find((r) => r[0] === 'Abschnitt' && r[1] === 'Kooperative' && r[2] === 'Warenwert')).toEqual([
      'Abschnitt',
      'Kooperative',
      'Warenwert',
      'Zu überweisen',
      'Auf Lagerbestand, fällig bei Verkauf',
      'Währung',
      'IBAN',
      'BIC',
      'CBU',
      'Bank'
    ])
    const lines = rows.filter((r) => r[0] === 'Beiträge je Produkt')
    expect(lines).toHaveLength(4)
    expect(lines[3]).toEqual(['Beiträge je Produkt', 'Bodega Del Contratista', 'CT-MB750', 'Malbec Reserva 750 ml', '24', 'Flasche', '1,00', 'USD', '22,08', 'EUR'])
    expect(rows.filter((r) => r[0] === 'Gruppen').map((r) => r.slice(1))).toEqual([
      ['Foodcoop Kornblume', '6000,00', '7140,00', '7140,00', '0,00', 'EUR'],
      ['Weltladen Connewitz', '4344,56', '5170,02', '4000,00', '1170,02', 'EUR'],
      ['Solikreis "Nord"; Dortmund', '2000,00', '2380,00', '2500,00', '-120,00', 'EUR']
    ])
    expect(rows.filter((r) => r[0] === 'Lager')).toEqual([['Lager', 'LH-YM1K', 'Mate-Tee mit Stängeln 1 kg', '10', 'Beutel', '53,50', '5,00', 'EUR']])
    expect(rows.filter((r) => r[0] === 'Sendungen').map((r) => r[3])).toEqual(['7800,00', '2654,32'])
    expect(rows.filter((r) => r[0] === 'Kursdifferenzen')).toEqual([
      ['Kursdifferenzen', 'EB-2026-0001', LONG_COOP, '7000,00', 'USD', '6400,00', '6412,34', '12,34', 'EUR'],
      ['Kursdifferenzen', 'EB-2026-0002', 'Bodega Del Contratista', '2500,00', 'USD', '2295,00', '2290,00', '-5,00', 'EUR']
    ])
    // Every row names its section (or is a section's heading row).
    const sections = new Set(['Abschnitt', 'Runde', 'Ergebnis', 'Kooperativen', 'Beiträge je Produkt', 'Gruppen', 'Lager', 'Sendungen', 'Kursdifferenzen'])
    expect(rows.filter((r) => !sections.has(r[0]!))).toEqual([])
    // The group name with a quote and a separator is quoted in the file.
    expect(Buffer.from(csv.bytes).toString('utf8')).toContain('Gruppen;"Solikreis ""Nord""; Dortmund";2000,00;')
  })

  it('writes the Spanish file with Spanish names and a closed round', () => {
    const csv = closingCsv(figures('es', '2026-12-06T16:30:00.000Z'))
    expect(csv.fileName).toBe('Cierre de ronda Winterrunde 2026-27.csv')
    const rows = parseCsv(csv.bytes)
    expect(rows[0]).toEqual(['Sección', 'Concepto', 'Valor', 'Moneda'])
    expect(rows).toContainEqual(['Ronda', 'Estado', 'cerrada', ''])
    expect(rows).toContainEqual(['Resultado', 'Resultado', '1951,08', 'EUR'])
    expect(rows).toContainEqual(['Resultado', 'Reserva', '1818,00', 'EUR'])
    expect(rows).toContainEqual(['Cooperativas', 'Bodega Del Contratista', '3894,56', '49,08', '0,00', 'EUR', '', '', '', ''])
  })
})
