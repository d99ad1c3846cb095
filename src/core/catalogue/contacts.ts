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
 * Replaces an owner's contacts with the given list (empty entries are dropped): the contact at each
 * position is updated in place, new positions are added, positions no longer there are deleted.
 */
export function replaceContacts(ws: Workspace, owner: Owner, id: string, contacts: ContactInput[]): void {
  const existing = ws.db.prepare(`SELECT id FROM contact WHERE ${owner} = ? AND deleted_at IS NULL ORDER BY position, created_at, id`).pluck().all(id) as string[]
  const wanted = contacts.filter((c) => c.name || c.email || c.phone)
  wanted.forEach((c, position) => {
    const values = { position, name: c.name, email: c.email, phone: c.phone, language: c.language }
    const current = existing[position]
    if (current) ws.write.update('contact', current, values)
    else ws.write.insert('contact', { id: ws.env.uuid(), [owner]: id, ...values })
  })
  for (const gone of existing.slice(wanted.length)) ws.write.tombstone('contact', gone)
}

/** Deletes all of an owner's contacts (with the owner). */
export function deleteContacts(ws: Workspace, owner: Owner, id: string): void {
  for (const c of ws.db.prepare(`SELECT id FROM contact WHERE ${owner} = ? AND deleted_at IS NULL`).pluck().all(id) as string[]) ws.write.tombstone('contact', c)
}
