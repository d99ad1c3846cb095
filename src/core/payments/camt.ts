import { SaxesParser, type SaxesTagNS } from 'saxes'
import { AppError, MAX_UPLOAD_BYTES, MAX_UPLOAD_MB } from '../../shared/errors.ts'
import { isoDigits } from '../documents/format.ts'

/**
 * Reading a bank statement in ISO 20022 CAMT.053 (what European banks export for download; versions
 * 001.02 to 001.08 share the parts read here). Each booked entry becomes one transaction, or one per
 * transaction detail when the bank booked a batch as one entry. saxes parses the XML (no DTD, no
 * external entities); the statement is read as a stream of tags, never built as a tree, so a large file
 * costs its size once.
 */

export const CAMT_MAX_TRANSACTIONS = 200_000

export interface CamtTransaction {
  /** A key for this transaction that stays the same when the file is read again (see `entryKey`). */
  key: string
  direction: 'in' | 'out'
  amountMinor: number
  currency: string
  bookedOn: string
  /** The other party: the debtor of money in, the creditor of money out. */
  counterparty: string | null
  counterpartyIban: string | null
  /** Structured creditor reference (RF…) when the payer gave one. */
  creditorReference: string | null
  /** The unstructured remittance lines, joined. */
  remittance: string | null
  endToEndId: string | null
}

export interface CamtStatement {
  id: string
  accountIban: string | null
  fromOn: string | null
  toOn: string | null
  transactions: CamtTransaction[]
}

interface Tx {
  amount: string | null
  currency: string | null
  endToEndId: string | null
  txRef: string | null
  debtor: string | null
  debtorIban: string | null
  creditor: string | null
  creditorIban: string | null
  ustrd: string[]
  strdRef: string | null
}

interface Entry {
  amount: string
  currency: string
  credit: boolean | null
  status: string | null
  bookedOn: string | null
  acctSvcrRef: string | null
  ntryRef: string | null
  info: string | null
  txs: Tx[]
}

const newTx = (): Tx => ({ amount: null, currency: null, endToEndId: null, txRef: null, debtor: null, debtorIban: null, creditor: null, creditorIban: null, ustrd: [], strdRef: null })

/** An amount as written ("123.4") in minor units of its currency; null when it is no amount or has more decimals than the currency. */
export function amountToMinor(text: string, currency: string): number | null {
  const m = /^\s*(\d{1,15})(?:\.(\d{1,5}))?\s*$/.exec(text)
  if (!m) return null
  const digits = isoDigits(currency)
  const frac = (m[2] ?? '').replace(/0+$/, '')
  if (frac.length > digits) return null
  const minor = Number(m[1]) * 10 ** digits + Number(frac.padEnd(digits, '0') || '0')
  return Number.isSafeInteger(minor) ? minor : null
}

/**
 * Reads a CAMT.053 file. Refused as `payments.not_camt` when it is no XML, not a CAMT.053 statement, or
 * an entry lacks what a booking needs; `payments.too_many` past CAMT_MAX_TRANSACTIONS.
 */
export function parseCamt053(bytes: Uint8Array): CamtStatement[] {
  if (bytes.length > MAX_UPLOAD_BYTES) throw new AppError('api.too_large', { maxMb: MAX_UPLOAD_MB })
  const parser = new SaxesParser({ xmlns: true, position: false })
  const path: string[] = []
  const statements: CamtStatement[] = []
  let statement: CamtStatement | null = null
  let entry: Entry | null = null
  let tx: Tx | null = null
  let text = ''
  let count = 0
  let rootChecked = false
  const refuse = (): never => {
    throw new AppError('payments.not_camt')
  }
  parser.on('error', () => refuse())
  parser.on('doctype', () => refuse())
  parser.on('opentag', (tag: SaxesTagNS) => {
    const name = tag.local
    if (!rootChecked) {
      rootChecked = true
      if (name !== 'Document' || !/^urn:iso:std:iso:20022:tech:xsd:camt\.053\.001\.\d{2}$/.test(tag.uri)) refuse()
    }
    path.push(name)
    text = ''
    const at = path.join('/')
    if (at === 'Document/BkToCstmrStmt/Stmt') statement = { id: '', accountIban: null, fromOn: null, toOn: null, transactions: [] }
    else if (at === 'Document/BkToCstmrStmt/Stmt/Ntry') {
      const ccy = tag.attributes['Ccy']
      entry = { amount: '', currency: typeof ccy === 'string' ? ccy : (ccy?.value ?? ''), credit: null, status: null, bookedOn: null, acctSvcrRef: null, ntryRef: null, info: null, txs: [] }
    } else if (at === 'Document/BkToCstmrStmt/Stmt/Ntry/Amt' && entry) {
      const ccy = tag.attributes['Ccy']
      entry.currency = typeof ccy === 'string' ? ccy : (ccy?.value ?? '')
    } else if (at === 'Document/BkToCstmrStmt/Stmt/Ntry/NtryDtls/TxDtls') tx = newTx()
    else if (at === 'Document/BkToCstmrStmt/Stmt/Ntry/NtryDtls/TxDtls/Amt' && tx) {
      const ccy = tag.attributes['Ccy']
      tx.currency = typeof ccy === 'string' ? ccy : (ccy?.value ?? null)
    }
  })
  parser.on('text', (t) => {
    if (text.length < 2000) text += t
  })
  parser.on('closetag', () => {
    const at = path.join('/')
    const value = text.trim()
    const s = statement as CamtStatement | null
    const e = entry as Entry | null
    const x = tx as Tx | null
    const stmt = 'Document/BkToCstmrStmt/Stmt'
    const ntry = `${stmt}/Ntry`
    const txd = `${ntry}/NtryDtls/TxDtls`
    if (s) {
      if (at === `${stmt}/Id`) s.id = value
      else if (at === `${stmt}/Acct/Id/IBAN`) s.accountIban = value
      else if (at === `${stmt}/FrToDt/FrDtTm`) s.fromOn = value.slice(0, 10)
      else if (at === `${stmt}/FrToDt/ToDtTm`) s.toOn = value.slice(0, 10)
    }
    if (e) {
      if (at === `${ntry}/Amt`) e.amount = value
      else if (at === `${ntry}/CdtDbtInd`) e.credit = value === 'CRDT' ? true : value === 'DBIT' ? false : null
      else if (at === `${ntry}/Sts/Cd` || at === `${ntry}/Sts`) e.status = e.status ?? (value || null)
      else if (at === `${ntry}/BookgDt/Dt` || at === `${ntry}/BookgDt/DtTm`) e.bookedOn = value.slice(0, 10)
      else if (at === `${ntry}/AcctSvcrRef`) e.acctSvcrRef = value
      else if (at === `${ntry}/NtryRef`) e.ntryRef = value
      else if (at === `${ntry}/AddtlNtryInf`) e.info = value
    }
    if (x) {
      if (at === `${txd}/Amt`) x.amount = value
      else if (at === `${txd}/Refs/EndToEndId`) x.endToEndId = value === 'NOTPROVIDED' ? null : value
      else if (at === `${txd}/Refs/AcctSvcrRef`) x.txRef = value
      else if (at === `${txd}/RltdPties/Dbtr/Pty/Nm` || at === `${txd}/RltdPties/Dbtr/Nm`) x.debtor = value
      else if (at === `${txd}/RltdPties/DbtrAcct/Id/IBAN`) x.debtorIban = value
      else if (at === `${txd}/RltdPties/Cdtr/Pty/Nm` || at === `${txd}/RltdPties/Cdtr/Nm`) x.creditor = value
      else if (at === `${txd}/RltdPties/CdtrAcct/Id/IBAN`) x.creditorIban = value
      else if (at === `${txd}/RmtInf/Ustrd`) x.ustrd.push(value)
      else if (at === `${txd}/RmtInf/Strd/CdtrRefInf/Ref`) x.strdRef = value
      else if (at === txd && e) {
        e.txs.push(x)
        tx = null
      }
    }
    if (at === ntry && s && e) {
      const added = transactionsOf(s, e, s.transactions.length)
      count += added.length
      if (count > CAMT_MAX_TRANSACTIONS) throw new AppError('payments.too_many', { max: CAMT_MAX_TRANSACTIONS })
      s.transactions.push(...added)
      entry = null
    } else if (at === stmt && s) {
      if (!s.id) refuse()
      statements.push(s)
      statement = null
    }
    path.pop()
    text = ''
  })
  try {
    parser.write(new TextDecoder('utf-8', { fatal: true }).decode(bytes)).close()
  } catch (e) {
    if (e instanceof AppError) throw e
    refuse()
  }
  if (!rootChecked || statements.length === 0) refuse()
  return statements
}

/** The booked transactions of an entry: one per transaction detail, or the entry itself. Pending entries are left out. */
function transactionsOf(s: CamtStatement, e: Entry, index: number): CamtTransaction[] {
  if (e.status !== null && e.status !== 'BOOK') return []
  if (e.credit === null || !e.bookedOn || !e.currency) throw new AppError('payments.not_camt')
  const total = amountToMinor(e.amount, e.currency)
  if (total === null) throw new AppError('payments.not_camt')
  const details = e.txs.length ? e.txs : [newTx()]
  return details.map((x, i) => {
    const amount = x.amount !== null ? amountToMinor(x.amount, x.currency ?? e.currency) : details.length === 1 ? total : null
    if (amount === null) throw new AppError('payments.not_camt')
    const credit = e.credit!
    const remittance = [...x.ustrd, ...(x.ustrd.length === 0 && e.info ? [e.info] : [])].join(' ').trim() || null
    return {
      key: entryKey(s.accountIban, e, i, x, index),
      direction: credit ? 'in' : 'out',
      amountMinor: amount,
      currency: x.currency ?? e.currency,
      bookedOn: e.bookedOn!,
      counterparty: (credit ? x.debtor : x.creditor) ?? null,
      counterpartyIban: (credit ? x.debtorIban : x.creditorIban)?.replace(/\s+/g, '').toUpperCase() ?? null,
      creditorReference: x.strdRef?.replace(/\s+/g, '').toUpperCase() ?? null,
      remittance,
      endToEndId: x.endToEndId
    }
  })
}

/**
 * A transaction's identity across imports of the same statement (or of overlapping statements of the
 * same account): the account, the bank's own references of entry and transaction when it gives them,
 * else the entry's position with its day, direction and amount.
 */
function entryKey(iban: string | null, e: Entry, i: number, x: Tx, index: number): string {
  const bankRef = x.txRef ?? e.acctSvcrRef ?? e.ntryRef
  const own = bankRef ? `ref:${bankRef}:${x.txRef ? '' : i}` : `pos:${index}:${i}`
  return [iban ?? '', e.bookedOn, e.credit ? 'C' : 'D', e.amount, x.amount ?? '', x.endToEndId ?? '', own].join('|')
}
