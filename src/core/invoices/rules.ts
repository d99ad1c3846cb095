import type { InvoiceDocument, VatCategory } from './model.ts'
import { vatOf } from './vat.ts'

/**
 * The arithmetic business rules of EN 16931 for an InvoiceDocument, as its Factur-X XML states them
 * (facturx.ts: BT-106 and BT-109 are both `netMinor`, BT-110 `vatMinor`, BT-112 `grossMinor`, BT-113
 * `prepaidMinor`, BT-115 `dueMinor`, BG-23 `vatRates`, BT-131 each line's `netMinor`). The app runs this
 * before issuing, so a wrong figure is caught without the official (Java) validator; the tests show that
 * the official schematron finds the same rules in the XML.
 *
 * Returns the ids of the violated rules, each once, in a fixed order; [] when the figures hold.
 *
 * - BR-CO-10: BT-106 = Σ BT-131 (line net amounts).
 * - BR-CO-13: BT-109 = BT-106 − allowances + charges. Holds by construction: the model has no
 *   document-level allowances or charges, and BT-106 and BT-109 are written from the same `netMinor`.
 * - BR-CO-14: BT-110 = Σ BT-117.
 * - BR-CO-15: BT-112 = BT-109 + BT-110.
 * - BR-CO-16: BT-115 = BT-112 − BT-113 (no rounding amount BT-114).
 * - BR-CO-17 (and BR-S-09 for S): BT-117 = BT-116 × BT-119 / 100, rounded half up to the cent, per
 *   breakdown (exact here; the CEN schematron tolerates a difference of one currency unit).
 * - BR-CO-18: at least one VAT breakdown.
 * - BR-S-08, BR-E-08, BR-IC-08, BR-G-08, BR-Z-08 (per category): a breakdown's taxable amount BT-116 is
 *   the sum of the line nets of its category and rate; a line whose category and rate has no breakdown
 *   breaks the same rule.
 * - BR-S-05 (line rate > 0 for S), BR-E-05 / BR-IC-05 / BR-G-05 / BR-Z-05 (line rate 0), BR-E-09 /
 *   BR-IC-09 / BR-G-09 / BR-Z-09 (no VAT in an exempt or zero-rated breakdown).
 */
export function checkInvoiceTotals(doc: InvoiceDocument): string[] {
  const violated = new Set<string>()
  const sum = (values: number[]) => values.reduce((a, v) => a + v, 0)

  if (sum(doc.lines.map((l) => l.netMinor)) !== doc.netMinor) violated.add('BR-CO-10')
  if (sum(doc.vatRates.map((r) => r.vatMinor)) !== doc.vatMinor) violated.add('BR-CO-14')
  if (doc.netMinor + doc.vatMinor !== doc.grossMinor) violated.add('BR-CO-15')
  if (doc.grossMinor - doc.prepaidMinor !== doc.dueMinor) violated.add('BR-CO-16')
  for (const r of doc.vatRates) {
    if (vatOf(r.netMinor, r.rateBp) !== r.vatMinor) {
      violated.add('BR-CO-17')
      if (r.category === 'S') violated.add('BR-S-09')
    }
  }
  if (doc.vatRates.length === 0) violated.add('BR-CO-18')

  const key = (category: VatCategory, rateBp: number) => `${category}:${rateBp}`
  const lineNets = new Map<string, number>()
  for (const l of doc.lines) {
    lineNets.set(key(l.vatCategory, l.rateBp), (lineNets.get(key(l.vatCategory, l.rateBp)) ?? 0) + l.netMinor)
    if (l.vatCategory === 'S' ? l.rateBp <= 0 : l.rateBp !== 0) violated.add(`${PREFIX[l.vatCategory]}-05`)
  }
  const breakdowns = new Set(doc.vatRates.map((r) => key(r.category, r.rateBp)))
  for (const r of doc.vatRates) {
    if ((lineNets.get(key(r.category, r.rateBp)) ?? 0) !== r.netMinor) violated.add(`${PREFIX[r.category]}-08`)
    if (r.category !== 'S' && r.vatMinor !== 0) violated.add(`${PREFIX[r.category]}-09`)
  }
  for (const l of doc.lines) {
    if (!breakdowns.has(key(l.vatCategory, l.rateBp))) violated.add(`${PREFIX[l.vatCategory]}-08`)
  }
  return [...violated].sort(byRule)
}

/** The rule family of each VAT category (BR-S-…, BR-E-…, BR-IC-…, BR-G-…, BR-Z-…). */
const PREFIX: Record<VatCategory, string> = { S: 'BR-S', E: 'BR-E', K: 'BR-IC', G: 'BR-G', Z: 'BR-Z' }

/** Rule ids in a readable order: by family, then numerically (BR-CO-10 before BR-CO-9 would be odd). */
function byRule(a: string, b: string): number {
  const split = (id: string) => {
    const m = /^(.*)-(\d+)$/.exec(id)
    return m ? ([m[1]!, Number(m[2])] as const) : ([id, 0] as const)
  }
  const [fa, na] = split(a)
  const [fb, nb] = split(b)
  return fa === fb ? na - nb : fa < fb ? -1 : 1
}
