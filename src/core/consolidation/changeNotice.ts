import { resources } from '../../shared/i18n/index.ts'
import { isLanguage, type Language } from '../../shared/reference.ts'
import { buyerChanges, type ChangeFilter, type ChangeReason } from './changes.ts'
import type { Stage } from '../../shared/vocabulary.ts'
import type { Workspace } from '../db/workspace.ts'
import { stamp } from '../common/env.ts'
import { getRound } from '../rounds/rounds.ts'
import { getOrganisation } from '../settings/organisation.ts'
import { fill, localName, safeFileName } from '../common/text.ts'

/**
 * The notice telling each buyer where they get other than they ordered, and why: per buyer, in that
 * buyer's language (product names and reasons alike). A plain data object: the PDF (one section per
 * buyer) and the CSV (all buyers, for the coordinators) render it.
 */
export interface ChangeNoticeLine {
  sku: string
  /** The product's name in the buyer's language. */
  product: string
  /** A hub's member the line is for, or null. */
  member: string | null
  /** Quantities ×1000 in the product's sales unit (1,5 kg = 1500): goods ordered in steps show as typed. */
  ordered: number
  tolerance: number
  allocated: number
  /** Of `allocated`, the units from what was ordered and those from the tolerance. */
  fromOrdered: number
  fromTolerance: number
  reason: ChangeReason
  /** The reason as the buyer reads it. */
  why: string
}

export interface ChangeNoticeBuyer {
  buyerId: string
  name: string
  language: Language
  lines: ChangeNoticeLine[]
}

export interface ChangeNoticeData {
  organisation: { name: string; street: string | null; postalCode: string | null; city: string | null; email: string | null; phone: string | null }
  round: { id: string; name: string }
  stage: Stage
  /** The language of what is not any one buyer's (the file name, the CSV's headers). */
  language: Language
  buyers: ChangeNoticeBuyer[]
  createdAt: string
}

export function changeNoticeTexts(lang: Language) {
  return resources[lang].translation.changeNotice
}

export function changeNoticeData(ws: Workspace, roundId: string, stage: Stage, language: Language, filter: ChangeFilter = {}): ChangeNoticeData {
  const round = getRound(ws, roundId)
  const org = getOrganisation(ws)
  const buyers = buyerChanges(ws, roundId, stage, filter).map((b): ChangeNoticeBuyer => {
    const lang: Language = isLanguage(b.language) ? b.language : org.defaultLanguage
    const reasons = resources[lang].translation.changeReasons
    return {
      buyerId: b.buyerId,
      name: b.buyerName,
      language: lang,
      lines: b.changes.map((c) => ({
        sku: c.sku,
        product: localName(c, lang),
        member: c.subBuyerName,
        ordered: c.ordered * c.stepMilli,
        tolerance: c.tolerance * c.stepMilli,
        allocated: c.allocated * c.stepMilli,
        fromOrdered: c.fromOrdered * c.stepMilli,
        fromTolerance: c.fromTolerance * c.stepMilli,
        reason: c.reason,
        // Every reason the line changed for (the main one first), each in the buyer's words.
        why: c.causes.map((x) => fill(reasons[x.reason], { note: c.note ?? '' })).join(' ')
      }))
    }
  })
  return {
    organisation: { name: org.name, street: org.street, postalCode: org.postalCode, city: org.city, email: org.email, phone: org.phone },
    round: { id: round.id, name: round.name },
    stage,
    language,
    buyers,
    createdAt: stamp(ws.env)
  }
}

/** "Änderungen Winterrunde 2026-27.pdf"; a notice for one buyer adds the buyer's name. */
export function changeNoticeFileName(data: ChangeNoticeData, ext: 'pdf' | 'csv', buyerId?: string): string {
  const buyer = buyerId ? data.buyers.find((b) => b.buyerId === buyerId) : undefined
  const base = fill(changeNoticeTexts(data.language).fileName, { round: data.round.name })
  return `${safeFileName(buyer ? `${base} ${buyer.name}` : base)}.${ext}`
}
