import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

/**
 * Files that hold an organisation's data (workspaces, backups, migration copies, the app's state with
 * the recent files) are readable by their owner only: files 0600, the folders the app makes 0700. Modes
 * are set explicitly, never through the process's umask. On Windows chmod only sets or clears the
 * read-only flag; these calls then change nothing and do not fail.
 */
export const PRIVATE_FILE = 0o600
export const PRIVATE_DIR = 0o700

/** Makes a folder (and its missing parents) 0700; an existing one is set to 0700 too. Only for the app's own folders. */
export function privateDir(path: string): void {
  mkdirSync(path, { recursive: true, mode: PRIVATE_DIR })
  chmodSync(path, PRIVATE_DIR)
}

/** Makes the folders a new file goes into (the missing ones, 0700), leaving an existing folder as it is (e.g. the user's Documents). */
export function privateParents(path: string): void {
  if (!existsSync(path)) mkdirSync(path, { recursive: true, mode: PRIVATE_DIR })
}

/** Creates `path` as an empty 0600 file when missing, and sets an existing one to 0600. */
export function privateFile(path: string): void {
  if (!existsSync(path)) closeSync(openSync(path, 'a', PRIVATE_FILE))
  chmodSync(path, PRIVATE_FILE)
}

/** Sets the files that exist among `paths` to 0600 (e.g. a database and its -wal/-shm files). */
export function tightenFiles(...paths: string[]): void {
  for (const p of paths) if (existsSync(p)) chmodSync(p, PRIVATE_FILE)
}

/**
 * Tightens what older versions of Puente made readable by others (0644 files, 0755 folders): an existing
 * file whose group or others may read or write it becomes 0600, a folder 0700 (with the files in it).
 * Files already private are not touched; one that cannot be changed (another user's) is left as it is
 * (the workspace still opens). On Windows modes mean nothing here and nothing changes.
 */
export function tightenExisting(path: string): void {
  if (process.platform === 'win32') return
  let isDir: boolean
  try {
    const info = statSync(path)
    isDir = info.isDirectory()
    if ((info.mode & 0o077) !== 0) chmodSync(path, isDir ? PRIVATE_DIR : PRIVATE_FILE)
  } catch {
    return
  }
  if (!isDir) return
  let names: string[]
  try {
    names = readdirSync(path)
  } catch {
    return
  }
  for (const name of names) {
    const child = join(path, name)
    try {
      const info = statSync(child)
      if (info.isFile() && (info.mode & 0o077) !== 0) chmodSync(child, PRIVATE_FILE)
    } catch {
      // Gone in between, or not ours: left as it is.
    }
  }
}
