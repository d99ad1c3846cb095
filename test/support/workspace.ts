import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Session } from '../../src/core/app/session.ts'
import type { Env } from '../../src/core/common/env.ts'
import { Workspace } from '../../src/core/db/workspace.ts'

/**
 * Fresh workspaces for tests, each in its own folder under the system's temp folder. A test calls
 * `dispose()` when done (usually in `afterEach`); nothing here registers hooks of its own.
 */

/** The project's `resources/` folder: the demo seed and the fonts. */
export const RESOURCES: string = fileURLToPath(new URL('../../resources', import.meta.url))

/** A new empty folder under the system's temp folder, named `<prefix>XXXXXX`. */
export function tempDir(prefix = 'puente-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix))
}

export interface TempSession {
  /** The temp folder; `dispose()` removes it with everything in it. */
  readonly dir: string
  /** The session's per-user data (device id, language, recent files, the demo): `<dir>/home`. */
  readonly appDataDir: string
  readonly session: Session
  /** Creates the workspace file `<dir>/<name>`, opens it and makes it the session's current one. */
  create(name?: string): Promise<Workspace>
  /** Closes the session's workspace and removes the folder. */
  dispose(): void
}

export interface TempSessionOptions {
  /** The clock and ids (e.g. `frozenEnv(…)`); the system's by default. The device id is its first id. */
  env?: Env
  /** The start of the temp folder's name. */
  prefix?: string
  /** Where the demo seed and fonts come from; the project's `resources/` by default. */
  resourcesDir?: string
}

/**
 * A `Session` (as the app runs it) on a fresh temp folder, with no workspace open yet: follow with
 * `create('x.puente')` for an empty workspace or `session.openDemo()` for the seeded demo.
 */
export function tempSession(options: TempSessionOptions = {}): TempSession {
  const dir = tempDir(options.prefix)
  const appDataDir = join(dir, 'home')
  const session = new Session({
    appDataDir,
    resourcesDir: options.resourcesDir ?? RESOURCES,
    ...(options.env ? { env: options.env } : {})
  })
  return {
    dir,
    appDataDir,
    session,
    create: (name = 'test.puente') => session.open(join(dir, name), true),
    dispose: () => {
      session.close()
      rmSync(dir, { recursive: true, force: true })
    }
  }
}

export interface FreshWorkspace {
  /** The temp folder holding the file; `dispose()` removes it. */
  readonly dir: string
  /** The workspace file, `<dir>/<name>`. */
  readonly path: string
  readonly ws: Workspace
  /** Closes the workspace and removes the folder. */
  dispose(): void
}

export interface FreshWorkspaceOptions {
  /** Recorded as the device that created the workspace. */
  deviceId: string
  /** The clock and ids (e.g. `frozenEnv(…)`); the system's by default. */
  env?: Env
  /** The start of the temp folder's name. */
  prefix?: string
  /** The file's name in the folder. */
  name?: string
}

/** A new workspace file made by `Workspace.open(path, { create: true, deviceId, env })` in a fresh temp folder. */
export async function freshWorkspace(options: FreshWorkspaceOptions): Promise<FreshWorkspace> {
  const dir = tempDir(options.prefix)
  const path = join(dir, options.name ?? 'test.puente')
  let ws: Workspace
  try {
    ws = await Workspace.open(path, { create: true, deviceId: options.deviceId, ...(options.env ? { env: options.env } : {}) })
  } catch (e) {
    rmSync(dir, { recursive: true, force: true })
    throw e
  }
  return {
    dir,
    path,
    ws,
    dispose: () => {
      ws.close()
      rmSync(dir, { recursive: true, force: true })
    }
  }
}
