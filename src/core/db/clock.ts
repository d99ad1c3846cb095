import { type Clock, makeClock, merkle, setClock, Timestamp } from '@actual-app/crdt'
import type Database from 'better-sqlite3'
import murmurhash from 'murmurhash'

/**
 * The hybrid logical clock that stamps every change, from Actual Budget's CRDT package (the same clock
 * and merkle trie Actual uses to sync its SQLite files between devices). A timestamp reads
 * `2026-12-06T10:15:00.123Z-0001-9F3A…` (wall-clock milliseconds, a counter, the device): stamps of one
 * workspace are unique and strictly increasing, also when the computer's clock jumps back.
 *
 * Two deliberate departures from Actual's defaults, both inside this file:
 * - No drift limit. Actual refuses to write once its clock runs more than five minutes ahead of the
 *   computer's (ClockDriftError). A volunteer's laptop whose clock was wrong and then corrected must go
 *   on saving orders, so the logical time simply stays ahead until the wall clock catches up.
 * - No counter overflow. Actual allows 65,536 stamps per millisecond; a 100,000-line import writes more
 *   than that at once. When the counter is full, the logical time moves on by one millisecond.
 *
 * The clock's state is not stored separately: the newest stamp in the change log is the clock, read at
 * the start of every batch of writes, so two connections to one file (or a copy brought back) never hand
 * out the same stamp.
 */

/** A little over a century: in effect, no limit on how far ahead of the wall clock the logical time may run. */
Timestamp.init({ maxDrift: 100 * 365 * 86_400_000 })

/** The device part of a stamp: the last 16 hex digits of the installation's id, upper case. */
export function nodeOf(deviceId: string): string {
  const hex = deviceId.replace(/[^0-9a-fA-F]/g, '').toUpperCase()
  return hex.slice(-16).padStart(16, '0')
}

/**
 * A stamp with what the log and the merkle trie need of it: its text (`Timestamp.toString()`) and its
 * hash (`Timestamp.hash()`, murmurhash v3 of the text), each computed once. A bulk write makes tens of
 * thousands of stamps, and the library formats a Date for every `toString()` and again for every
 * `hash()`; here the text of the millisecond is reused while it stays the same.
 */
export interface Stamp {
  ts: Timestamp
  text: string
  hash: number
}

let lastMillis = -1
let lastIso = ''

/** Exactly `ts.toString()`: ISO time, counter as 4 hex digits, node as 16. */
export function stampText(ts: Timestamp): string {
  const ms = ts.millis()
  if (ms !== lastMillis) {
    lastMillis = ms
    lastIso = new Date(ms).toISOString()
  }
  const counter = ts.counter().toString(16).toUpperCase().padStart(4, '0')
  return `${lastIso}-${counter}-${('0000000000000000' + ts.node()).slice(-16)}`
}

export function stampOf(ts: Timestamp, text = stampText(ts)): Stamp {
  return { ts, text, hash: murmurhash.v3(text) }
}

export class HybridClock {
  readonly node: string
  private readonly clock: Clock
  private readonly newest: Database.Statement

  constructor(db: Database.Database, node: string) {
    this.node = node
    this.clock = makeClock(new Timestamp(0, 0, node), merkle.emptyTrie())
    this.newest = db.prepare('SELECT max(ts) AS ts FROM change_log').pluck()
  }

  /** Moves the clock past the newest stamp already in the log (written by any device or connection). */
  private catchUp(): void {
    const newest = this.newest.get() as string | null
    if (!newest) return
    const t = Timestamp.parse(newest)
    if (!t) throw new Error(`unreadable stamp in the change log: ${newest}`)
    const mine = this.clock.timestamp
    if (t.millis() > mine.millis() || (t.millis() === mine.millis() && t.counter() > mine.counter())) {
      mine.setMillis(t.millis())
      mine.setCounter(t.counter())
    }
  }

  private sendOne(): Timestamp {
    try {
      return Timestamp.send()!
    } catch (e) {
      if (!(e instanceof Timestamp.OverflowError)) throw e
      // The counter is full for this millisecond: continue in the next one.
      this.clock.timestamp.setMillis(this.clock.timestamp.millis() + 1)
      this.clock.timestamp.setCounter(0)
      return new Timestamp(this.clock.timestamp.millis(), 0, this.node)
    }
  }

  /** `n` new stamps, strictly increasing and later than every stamp in the log. */
  next(n: number): Stamp[] {
    this.catchUp()
    setClock(this.clock)
    const out = new Array<Stamp>(n)
    for (let i = 0; i < n; i++) out[i] = stampOf(this.sendOne())
    return out
  }

  /** Takes in a stamp made elsewhere (a change applied from another workspace), as the HLC requires. */
  receive(ts: Timestamp): void {
    const mine = this.clock.timestamp
    if (ts.millis() > mine.millis() || (ts.millis() === mine.millis() && ts.counter() > mine.counter())) {
      mine.setMillis(ts.millis())
      mine.setCounter(ts.counter())
    }
  }
}

/**
 * The merkle trie of the change log, as Actual keeps it: a ternary trie over the minutes of the stamps,
 * each node holding the XOR of the hashes of the stamps below it. Two workspaces compare tries to find
 * the first minute from which one lacks changes of the other (`merkle.diff`).
 *
 * The workspace keeps its leaves, one XOR per minute (table `change_merkle`), updated in the same
 * transaction as the log; the trie is built from them when asked for. Inserting a minute's XOR gives the
 * same trie as inserting each of its stamps, because XOR is associative.
 */
export function minuteOf(ts: Timestamp): number {
  return Math.floor(ts.millis() / 60_000)
}

/** XORs the hashes of stamps per minute. */
export function minuteHashes(stamps: readonly Stamp[]): Map<number, number> {
  const out = new Map<number, number>()
  for (const s of stamps) {
    const m = minuteOf(s.ts)
    // Unsigned, as murmurhash gives a single hash: the same leaf value however the stamps came in.
    out.set(m, ((out.get(m) ?? 0) ^ s.hash) >>> 0)
  }
  return out
}

/** A whole minute's stamps as one leaf: the trie only asks a stamp for its time and its hash. */
class MinuteLeaf extends Timestamp {
  private readonly xor: number
  constructor(minute: number, xor: number) {
    super(minute * 60_000, 0, '')
    this.xor = xor
  }
  override hash(): number {
    return this.xor
  }
}

export function trieOf(leaves: Iterable<[minute: number, hash: number]>): merkle.TrieNode {
  let trie = merkle.emptyTrie()
  for (const [minute, hash] of leaves) trie = merkle.insert(trie, new MinuteLeaf(minute, hash))
  return trie
}
