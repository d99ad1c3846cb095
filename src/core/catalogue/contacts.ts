import type Database from 'better-sqlite3'
import { z } from 'zod'
import { LANGUAGES } from '../../shared/reference.ts'
import type { Workspace } from '../db/workspace.ts'
import { optionalText } from '../common/zod.ts'

export const contactInput = z.object({
  name: optionalText(120),
  email: z
    .string()
    .trim()
    .max(200)
    .nullish()
    .transform((s) => s || null)
    .pipe(z.email({ message: 'email' }).nullable()),
  phone: optionalText(40),
  language: z.enum(LANGUAGES, { message: 'language' }).nullish().transform((l) => l ?? null)
})
export type ContactInput = z.output<typeof contactInput>
export interface Contact {
  name: string | null
  email: string | null
  phone: string | null
  language: (typeof LANGUAGES)[number] | null
}

type Owner = 'supplier_id' | 'buyer_id'

export function getContacts(db: Database.Database, owner: Owner, id: string): Contact[] {
  return db
    .prepare(`SELECT name, email, phone, language FROM contact WHERE ${owner} = ? AND deleted_at IS NULL ORDER BY position`)
    .all(id) as Contact[]
}

/**
 * Replaces an owner's contacts with the given list (empty entries are dropped). A contact that is still
 * there unchanged keeps its row (only its position may change); a changed or new one is a new row; one
 * no longer there is deleted. So a contact keeps its identity as long as it is the same person's details.
 */
export function replaceContacts(ws: Workspace, owner: Owner, id: string, contacts: ContactInput[]): void {
  const existing = ws.db
    .prepare(`SELECT id, name, email, phone, language FROM contact WHERE ${owner} = ? AND deleted_at IS NULL ORDER BY position, created_at, id`)
    .all(id) as ({ id: string } & Contact)[]
  const same = (a: Contact, b: Contact) => a.name === b.name && a.email === b.email && a.phone === b.phone && a.language === b.language
  const wanted = contacts.filter((c) => c.name || c.email || c.phone)
  const kept = new Set<string>()
  wanted.forEach((c, position) => {
    const match = existing.find((e) => !kept.has(e.id) && same(e, c))
    if (match) {
      kept.add(match.id)
      ws.write.update('contact', match.id, { position })
    } else {
      const newId = ws.env.uuid()
      kept.add(newId)
      ws.write.insert('contact', { id: newId, [owner]: id, position, name: c.name, email: c.email, phone: c.phone, language: c.language })
    }
  })
  for (const e of existing) if (!kept.has(e.id)) ws.write.tombstone('contact', e.id)
}

/** Deletes all of an owner's contacts (with the owner). */
export function deleteContacts(ws: Workspace, owner: Owner, id: string): void {
  for (const c of ws.db.prepare(`SELECT id FROM contact WHERE ${owner} = ? AND deleted_at IS NULL`).pluck().all(id) as string[]) ws.write.tombstone('contact', c)
}
