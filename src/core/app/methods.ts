import { z } from 'zod'
import { AppError } from '../../shared/errors.ts'
import { LANGUAGES } from '../../shared/reference.ts'
import { action, type Context, none, query } from '../api/define.ts'
import { APP_VERSION } from '../common/env.ts'
import { LATEST_SCHEMA_VERSION } from '../db/migrations/index.ts'
import { dashboard } from './dashboard.ts'
import { logFile, readRecentLog } from './log.ts'

async function pickAndOpen(ctx: Context, purpose: 'open' | 'create') {
  if (!ctx.pickFile) throw new AppError('shell.unsupported')
  const path = await ctx.pickFile(purpose)
  if (!path) return { opened: false }
  await ctx.session.open(path, purpose === 'create')
  return { opened: true }
}

/** The app itself: versions, preferences, which workspace is open, backups, the demo. */
export const appMethods = {
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

  /** The overview: the current round, orders per buyer, what is missing, the next step. Reads only. */
  'app.dashboard': query(none, ({ session }) => dashboard(session.requireWorkspace())),

  'prefs.get': query(none, ({ session }) => ({ language: session.appData.language })),
  'prefs.setLanguage': action(z.object({ language: z.enum(LANGUAGES, { message: 'language' }) }), async ({ session }, { language }) => {
    session.appData.setLanguage(language)
    session.emit({ type: 'language', language })
    return { language }
  }),

  'workspace.recent': query(none, ({ session }) => session.recent()),
  'workspace.openRecent': action(z.object({ path: z.string().min(1).max(4096) }), async ({ session }, { path }) => {
    await session.openRecent(path)
    return { opened: true }
  }),
  'workspace.open': action(none, (ctx) => pickAndOpen(ctx, 'open')),
  'workspace.create': action(none, (ctx) => pickAndOpen(ctx, 'create')),
  'workspace.backup': action(none, async ({ session }) => ({ path: await session.backupNow() })),
  /**
   * Asks a running job (an import, app/jobs.ts) to stop; what it was writing is rolled back. Touches no
   * workspace data, so it is answered at once, also while the job writes. `cancelled`: false when no such
   * job runs (it had finished).
   */
  'jobs.cancel': query(z.object({ id: z.uuid() }), ({ session }, { id }) => ({ cancelled: session.jobs.cancel(id) })),
  /** The error log's newest entries (ids, times, methods, messages, stacks; never a call's input), for Diagnostics. */
  'app.log': query(none, ({ session }) => readRecentLog(session.appData.dir)),
  /** The whole error log as a text file to save. */
  'app.logFile': query(none, ({ session }) => logFile(session.appData.dir, session.env.now())),
  /** The backups of the open workspace, newest first (db/backups.ts). */
  'workspace.backups': query(none, ({ session }) => session.backups()),
  /** Puts a backup in place of the open workspace's file, after backing up the current state. */
  'workspace.restore': action(z.object({ file: z.string().min(1).max(255) }), async ({ session }, { file }) => session.restoreBackup(file)),
  'demo.recreate': action(none, async ({ session }) => {
    await session.openDemo(true)
    return { path: session.demoPath }
  }),
}
