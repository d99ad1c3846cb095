/**
 * Types of `@actual-app/crdt` (MIT, Actual Budget) for the parts Puente uses. The package ships its own
 * declarations, but they import their siblings without file extensions ('./crdt'), which TypeScript's
 * NodeNext resolution does not follow, so every name would be `any`. tsconfig.json's `paths` points the
 * package's types here; the signatures are those of its dist/crdt/*.d.ts (version 3.1).
 */

type Node = {
  '0'?: Node
  '1'?: Node
  '2'?: Node
  hash?: number
}
export type TrieNode = Node

export declare namespace merkle {
  type TrieNode = Node
  function emptyTrie(): TrieNode
  function getKeys(trie: TrieNode): ('0' | '1' | '2')[]
  function keyToTimestamp(key: string): number
  function insert(trie: TrieNode, timestamp: Timestamp): TrieNode
  function build(timestamps: Timestamp[]): TrieNode
  function diff(trie1: TrieNode, trie2: TrieNode): number | null
  function prune(trie: TrieNode, n?: number): TrieNode
  function debug(trie: TrieNode, k?: string, indent?: number): string
}

export type Clock = {
  timestamp: MutableTimestamp
  merkle: TrieNode
}

export declare function setClock(clock_: Clock): void
export declare function getClock(): Clock
export declare function makeClock(timestamp: Timestamp, merkle?: TrieNode): Clock
export declare function serializeClock(clock: Clock): string
export declare function deserializeClock(clock: string): Clock
export declare function makeClientId(): string

export declare class Timestamp {
  _state: { millis: number; counter: number; node: string }
  constructor(millis: number, counter: number, node: string)
  valueOf(): string
  toString(): string
  millis(): number
  counter(): number
  node(): string
  hash(): number
  static init(options?: { maxDrift?: number; node?: string }): void
  static max: Timestamp
  static parse(timestamp: string | Timestamp): Timestamp | null
  static send(): Timestamp | null
  static recv(msg: Timestamp): Timestamp | null
  static zero: Timestamp
  static since: (isoString: string) => string
  static DuplicateNodeError: new (node: string) => Error
  static ClockDriftError: new (...args: unknown[]) => Error
  static OverflowError: new () => Error
  static InvalidError: new (...args: unknown[]) => Error
}

declare class MutableTimestamp extends Timestamp {
  static from(timestamp: Timestamp): MutableTimestamp
  setMillis(n: number): void
  setCounter(n: number): void
  setNode(n: string): void
}
