import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

/** Where the running app finds its pieces. */
export interface AppPaths {
  /** The project's `resources/` (demo seed, …). */
  resourcesDir: string
  /** The built preload script (CommonJS: sandboxed windows only run that). */
  preload: string
  /** The built renderer page. */
  rendererFile: string
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
    rendererFile: join(mainDir, '..', 'renderer', 'index.html'),
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

/**
 * Whether a URL is the app's own page: the built index.html (any hash or query), or, in development,
 * a page of the dev server. Everything else is foreign.
 */
export function isAppUrl(url: string, paths: Pick<AppPaths, 'rendererFile' | 'rendererUrl'>): boolean {
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
  if (target.protocol !== 'file:' || target.host !== '') return false
  const own = pathToFileURL(paths.rendererFile)
  const a = decodePath(target.pathname)
  const b = decodePath(own.pathname)
  if (a === null || b === null) return false
  return process.platform === 'win32' ? a.toLowerCase() === b.toLowerCase() : a === b
}

function decodePath(pathname: string): string | null {
  try {
    return decodeURIComponent(pathname)
  } catch {
    return null
  }
}
