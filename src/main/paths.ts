import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { APP_HOST, APP_PAGE_URL, APP_SCHEME } from './protocol.ts'

/** Where the running app finds its pieces. */
export interface AppPaths {
  /** The project's `resources/` (demo seed, …). */
  resourcesDir: string
  /** The built preload script (CommonJS: sandboxed windows only run that). */
  preload: string
  /** The built renderer folder: the only files `app://puente/` answers (see protocol.ts). */
  rendererDir: string
  /** The job worker's bundled entry (src/core/app/jobWorker.ts, emitted beside the main bundle). */
  jobWorker: string
  /** The dev server's address while `electron-vite dev` runs; never used in a packaged app. */
  rendererUrl: string | null
}

export interface PathOptions {
  /** The folder of the running main bundle (`out/main` when built). */
  mainDir: string
  packaged: boolean
  /** Electron's `process.resourcesPath`; only read when packaged. */
  resourcesPath?: string | undefined
  env?: NodeJS.ProcessEnv
}

/** The folder this module runs from: `out/main` in the bundle, `src/main` under tests (both two below the project root). */
export const MAIN_DIR = dirname(fileURLToPath(import.meta.url))

export function appPaths(options: PathOptions): AppPaths {
  const { mainDir, packaged } = options
  const env = options.env ?? process.env
  const root = resolve(mainDir, '..', '..')
  const devUrl = env.ELECTRON_RENDERER_URL
  return {
    resourcesDir: packaged && options.resourcesPath ? options.resourcesPath : join(root, 'resources'),
    preload: join(mainDir, '..', 'preload', 'index.cjs'),
    rendererDir: join(mainDir, '..', 'renderer'),
    jobWorker: join(mainDir, 'jobWorker.js'),
    rendererUrl: !packaged && devUrl ? devUrl : null
  }
}

/** The workspace given on the command line as `--workspace=FILE` (or `--workspace FILE`). */
export function workspaceArg(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === undefined) continue
    if (arg.startsWith('--workspace=')) return arg.slice('--workspace='.length) || undefined
    if (arg === '--workspace') {
      const next = argv[i + 1]
      return next && !next.startsWith('--') ? next : undefined
    }
  }
  return undefined
}

/** The address the window loads: the dev server while developing, else the built page through `app://`. */
export function pageUrl(paths: Pick<AppPaths, 'rendererUrl'>): string {
  return paths.rendererUrl ?? APP_PAGE_URL
}

/**
 * Whether a URL is the app's own page: `app://puente/index.html` (any hash or query), or, in development,
 * a page of the dev server. Everything else is foreign, `file:` included.
 */
export function isAppUrl(url: string, paths: Pick<AppPaths, 'rendererUrl'>): boolean {
  let target: URL
  try {
    target = new URL(url)
  } catch {
    return false
  }
  if (paths.rendererUrl) {
    let dev: URL
    try {
      dev = new URL(paths.rendererUrl)
    } catch {
      return false
    }
    return (target.protocol === 'http:' || target.protocol === 'https:') && target.origin === dev.origin
  }
  return (
    target.protocol === `${APP_SCHEME}:` &&
    target.host === APP_HOST &&
    !target.username &&
    !target.password &&
    (target.pathname === '/index.html' || target.pathname === '/')
  )
}
