import type Database from 'better-sqlite3'
import { z } from 'zod'
import { LANGUAGES } from '../../shared/reference.ts'
import { type Env, stamp } from '../common/env.ts'
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

/** Replaces an owner's contacts with the given list (empty entries are dropped). */
export function replaceContacts(db: Database.Database, env: Env, owner: Owner, id: string, contacts: ContactInput[]): void {
  const now = stamp(env)
  db.prepare(`UPDATE contact SET deleted_at = ?, updated_at = ? WHERE ${owner} = ? AND deleted_at IS NULL`).run(now, now, id)
  const insert = db.prepare(
    `INSERT INTO contact (id, ${owner}, position, name, email, phone, language, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`
  )
  contacts
    .filter((c) => c.name || c.email || c.phone)
    .forEach((c, i) => insert.run(env.uuid(), id, i, c.name, c.email, c.phone, c.language, now, now))
}
