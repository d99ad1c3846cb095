import { randomBytes } from 'node:crypto'
import { appendFileSync, chmodSync, existsSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { FileResult } from '../common/files.ts'
import { PRIVATE_FILE, privateDir, privateFile } from '../common/private.ts'

/**
 * The error log: what went wrong unexpectedly (an `internal` error), for whoever helps the user. The
 * user sees only a translated message with the entry's id; the entry holds the id, the time, the API
 * method, the message and the stack, never the call's input (it may hold IBANs and contacts). One text
 * file in the app data folder (`logs/puente.log`, 0600 in a 0700 folder), rotated: when an entry would
 * take it past LOG_MAX_BYTES it becomes `puente.log.1` (the older ones move up), and LOG_KEEP old files
 * are kept.
 */
export const LOG_MAX_BYTES = 1024 * 1024
export const LOG_KEEP = 3
export const LOG_FILE_NAME = 'puente.log'

export interface LogEntry {
  /** 8 hex characters, the id the user reads in the error message. */
  id: string
  /** When it happened (ISO 8601). */
  time: string
  /** The API method, or what else was running ("host"). */
  method: string
  message: string
  stack: string | null
}

export interface LogOptions {
  maxBytes?: number
  keep?: number
}

/** The log's folder in an app data folder. */
export function logDir(appDataDir: string): string {
  return join(appDataDir, 'logs')
}

/** The current log file in an app data folder. */
export function logPath(appDataDir: string): string {
  return join(logDir(appDataDir), LOG_FILE_NAME)
}

/** A new error id: 8 hex characters (4 random bytes), short enough to read out on the phone. */
export function newErrorId(): string {
  return randomBytes(4).toString('hex')
}

/** The text of one entry: a header line, the message, the stack, a blank line. */
export function formatEntry(e: LogEntry): string {
  const lines = [`[${e.time}] error ${e.id} in ${oneLine(e.method).slice(0, 100)}`, `message: ${oneLine(e.message)}`]
  // A stack starts with the message again ("Error: …"); then only its frames follow.
  const stack = e.stack?.startsWith(e.message) ? e.stack.slice(e.message.length).replace(/^\n/, '') : e.stack
  if (stack) lines.push(...stack.split('\n').map((l) => `  ${l}`))
  return `${lines.join('\n')}\n\n`
}

const oneLine = (s: string) => s.replace(/\s*\n\s*/g, ' ')

/** Moves puente.log to .1, .1 to .2 … and drops what falls beyond `keep`. */
function rotate(file: string, keep: number): void {
  rmSync(`${file}.${keep}`, { force: true })
  for (let i = keep - 1; i >= 1; i--) if (existsSync(`${file}.${i}`)) renameSync(`${file}.${i}`, `${file}.${i + 1}`)
  if (keep >= 1) renameSync(file, `${file}.1`)
  else rmSync(file, { force: true })
}

/** Appends an entry to the app data folder's log, rotating first when the file would grow past the limit. */
export function appendLog(appDataDir: string, entry: LogEntry, options: LogOptions = {}): void {
  const maxBytes = options.maxBytes ?? LOG_MAX_BYTES
  const keep = options.keep ?? LOG_KEEP
  const file = logPath(appDataDir)
  const text = formatEntry(entry)
  privateDir(logDir(appDataDir))
  if (existsSync(file) && statSync(file).size > 0 && statSync(file).size + Buffer.byteLength(text) > maxBytes) rotate(file, keep)
  privateFile(file)
  appendFileSync(file, text, { mode: PRIVATE_FILE })
  chmodSync(file, PRIVATE_FILE)
}

/**
 * Records an unexpected error and returns its id. Writing the log must never turn one error into two:
 * when the file cannot be written the entry goes to stderr only.
 */
export function logError(appDataDir: string | null, method: string, error: unknown, now: Date = new Date()): string {
  const id = newErrorId()
  const entry: LogEntry = {
    id,
    time: now.toISOString(),
    method,
    message: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    stack: error instanceof Error ? (error.stack ?? null) : null
  }
  console.error(`[puente] unexpected error ${id} in ${method}:`, error)
  if (appDataDir) {
    try {
      appendLog(appDataDir, entry)
    } catch (e) {
      console.error('[puente] could not write the error log', e)
    }
  }
  return id
}

/** The log files, newest first: the current one, then .1, .2 … */
function logFiles(appDataDir: string): string[] {
  const file = logPath(appDataDir)
  const out: string[] = []
  if (existsSync(file)) out.push(file)
  for (let i = 1; existsSync(`${file}.${i}`); i++) out.push(`${file}.${i}`)
  return out
}

export interface RecentLog {
  /** The newest entries' text, oldest first (as in the file), at most `maxBytes` of it. */
  text: string
  /** Whether older entries were left out. */
  truncated: boolean
  path: string
}

/** The last `maxBytes` of the log (the current file, topped up from the rotated ones), cut at an entry's start. */
export function readRecentLog(appDataDir: string, maxBytes = 64 * 1024): RecentLog {
  const parts: string[] = []
  let size = 0
  let truncated = false
  for (const f of logFiles(appDataDir)) {
    const text = readFileSync(f, 'utf8')
    if (size + text.length > maxBytes) {
      const tail = text.slice(text.length - (maxBytes - size))
      const start = tail.indexOf('\n[')
      parts.unshift(start >= 0 ? tail.slice(start + 1) : '')
      truncated = true
      break
    }
    parts.unshift(text)
    size += text.length
  }
  return { text: parts.join(''), truncated, path: logPath(appDataDir) }
}

/** The whole log (every kept file, oldest first), for saving. */
export function readWholeLog(appDataDir: string): string {
  return logFiles(appDataDir)
    .reverse()
    .map((f) => readFileSync(f, 'utf8'))
    .join('')
}

/** The whole log as a file for the UI to save ("puente-log-2026-03-01.txt"). */
export function logFile(appDataDir: string, now: Date): FileResult {
  return {
    fileName: `puente-log-${now.toISOString().slice(0, 10)}.txt`,
    mime: 'text/plain;charset=utf-8',
    dataBase64: Buffer.from(readWholeLog(appDataDir), 'utf8').toString('base64')
  }
}
