import { z } from 'zod'
import { AppError } from '../../shared/errors.ts'
import { LANGUAGES } from '../../shared/reference.ts'
import { LATEST_SCHEMA_VERSION } from '../db/migrations/index.ts'
import { APP_VERSION } from '../env.ts'
import { getOrganisation, organisationInput, saveOrganisation } from '../settings.ts'
import { catalogueMethods } from './catalogue.ts'
import { exchangeMethods } from './exchange.ts'
import { consolidationMethods } from './consolidation.ts'
import { roundMethods } from './rounds.ts'
import { action, type Context, mutation, none, query } from './define.ts'

/**
 * The one list of what the UI may ask of the core. Each method has a zod schema for its input and a
 * kind: a `query` only reads; a `mutation` writes to the workspace and runs in one transaction (it must
 * be synchronous); an `action` is asynchronous work (files, backups, switching workspaces, imports that
 * read a file first and then write in one transaction). Electron's IPC and the browser host both route to this map and nothing else.
 */
export type { Context } from './define.ts'

async function pickAndOpen(ctx: Context, purpose: 'open' | 'create') {
  if (!ctx.pickFile) throw new AppError('shell.unsupported')
  const path = await ctx.pickFile(purpose)
  if (!path) return { opened: false }
  await ctx.session.open(path, purpose === 'create')
  return { opened: true }
}

export const methods = {
  'app.info': query(none, ({ session, pickFile }) => {
    const ws = session.workspace
    return {
      appVersion: APP_VERSION,
      latestSchemaVersion: LATEST_SCHEMA_VERSION,
      schemaVersion: ws?.schemaVersion ?? null,
      workspacePath: ws?.path ?? null,
      workspaceId: ws?.id ?? null,
      workspaceCreatedAt: ws?.createdAt ?? null,
      isDemo: ws?.path === session.demoPath,
      deviceId: session.appData.deviceId,
      sqliteVersion: ws ? (ws.db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v : null,
      runtime: `Node ${process.versions.node}${process.versions.electron ? ` · Electron ${process.versions.electron}` : ''}`,
      canPickFiles: Boolean(pickFile)
    }
  }),

  'prefs.get': query(none, ({ session }) => ({ language: session.appData.language })),
  'prefs.setLanguage': action(z.object({ language: z.enum(LANGUAGES, { message: 'language' }) }), async ({ session }, { language }) => {
    session.appData.setLanguage(language)
    session.emit({ type: 'language', language })
    return { language }
  }),

  'settings.get': query(none, ({ session }) => getOrganisation(session.requireWorkspace())),
  'settings.save': mutation(['settings'], organisationInput, ({ session }, input) =>
    saveOrganisation(session.requireWorkspace(), input)
  ),

  'workspace.recent': query(none, ({ session }) => session.recent()),
  'workspace.openRecent': action(z.object({ path: z.string().min(1).max(4096) }), async ({ session }, { path }) => {
    await session.openRecent(path)
    return { opened: true }
  }),
  'workspace.open': action(none, (ctx) => pickAndOpen(ctx, 'open')),
  'workspace.create': action(none, (ctx) => pickAndOpen(ctx, 'create')),
  'workspace.backup': action(none, async ({ session }) => ({ path: await session.backupNow() })),
  'demo.recreate': action(none, async ({ session }) => {
    await session.openDemo(true)
    return { path: session.demoPath }
  }),
  ...catalogueMethods,
  ...roundMethods,
  ...consolidationMethods,
  ...exchangeMethods
}

export type Methods = typeof methods
export type MethodName = keyof Methods
/** The API as the UI sees it: each method's input (before parsing) and its awaited result. */
export type Api = {
  [K in MethodName]: {
    input: z.input<Methods[K]['input']>
    output: Awaited<ReturnType<Methods[K]['run']>>
  }
}
