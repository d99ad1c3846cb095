import { isSEPACountry } from 'ibantools'
import { create } from 'xmlbuilder2'
import { AppError } from '../../shared/errors.ts'
import { parseDate } from '../../shared/dates.ts'
import { checkBic, checkIban, normalizeBic, normalizeIban } from '../validate/bank.ts'

/**
 * A SEPA credit transfer file (issue 12, money out): ISO 20022 pain.001.001.09 in the European Payments
 * Council's customer-to-bank variant (EPC132-08, 2023 v1.0), the file European banking apps import to pay
 * refunds and other euro transfers in one go. One payment information block (one debit account, one
 * execution date) with batch booking requested, its number of transfers and control sum; each transfer
 * with its end-to-end reference, amount, the payee's name, IBAN, BIC when known, and the payment text.
 *
 * The XML is built as a document tree with xmlbuilder2 (escaping and namespaces are its job), in the
 * element order the EPC schema prescribes. Amounts come in as integer cents and are written as exact
 * decimals; the control sum is added up in integers. Names and texts are cut down to the EPC's basic
 * Latin character set (letters, digits and / - ? : ( ) . , ' + space): umlauts and accents transliterated,
 * anything else a space. The schema check runs in test/core/pain001.test.ts (xmllint and the EPC XSD);
 * what the XSD does not check (the character set, the currency, the IBAN's mod-97) is refused here.
 */

const NS = 'urn:iso:std:iso:20022:tech:xsd:pain.001.001.09'

/** 0.01 to 999,999,999.99 euros per transfer (EPC132-08 AT-T002), in cents. */
export const SEPA_MIN_AMOUNT_MINOR = 1
export const SEPA_MAX_AMOUNT_MINOR = 99_999_999_999
/** Names of the parties: the EPC variant allows 70 characters. */
export const SEPA_NAME_MAX = 70
/** Unstructured remittance information. */
export const SEPA_REMITTANCE_MAX = 140
/** Message and end-to-end identifications. */
export const SEPA_ID_MAX = 35

export interface SepaTransfer {
  /** The payee's reference travelling with the money to the bank statement (≤ 35, the EPC character set). */
  endToEndId: string
  /** In cents; 1 to 99,999,999,999. */
  amountMinor: number
  /** ISO 4217; only EUR is accepted. */
  currency: string
  creditorName: string
  creditorIban: string
  creditorBic: string | null
  /** The payment text (transliterated and cut to 140 characters; empty → none). */
  remittance: string
}

export interface SepaCreditTransferInput {
  /** Unique per file for the bank (≤ 35, the EPC character set); also the payment information's id. */
  messageId: string
  /** When the file is made, an ISO 8601 instant (2026-12-06T10:15:00Z). */
  createdAt: string
  /** The day the debit account is to be debited, YYYY-MM-DD. */
  executionDate: string
  debtor: { name: string; iban: string; bic: string | null }
  transfers: readonly SepaTransfer[]
}

// ---------------------------------------------------------------------------------------------------
// The EPC character set

/** Letters whose accents do not come off by Unicode decomposition, or that take two Latin letters. */
const SPECIAL: Record<string, string> = {
  ä: 'ae',
  ö: 'oe',
  ü: 'ue',
  Ä: 'Ae',
  Ö: 'Oe',
  Ü: 'Ue',
  ß: 'ss',
  ẞ: 'SS',
  æ: 'ae',
  Æ: 'Ae',
  œ: 'oe',
  Œ: 'Oe',
  ø: 'o',
  Ø: 'O',
  å: 'a',
  Å: 'A',
  ð: 'd',
  Ð: 'D',
  đ: 'd',
  Đ: 'D',
  þ: 'th',
  Þ: 'Th',
  ł: 'l',
  Ł: 'L',
  ı: 'i',
  ħ: 'h',
  Ħ: 'H',
  ŀ: 'l',
  Ŀ: 'L',
  // Typographic punctuation that has a plain twin in the set.
  '\u2018': "'",
  '\u2019': "'",
  '\u201a': "'",
  '\u00b4': "'",
  '`': "'",
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '-',
  '\u2013': '-',
  '\u2014': '-'
}

/** One character of the EPC basic Latin set (EPC217-08). */
const ALLOWED = /^[A-Za-z0-9/\-?:().,'+ ]$/
const UPPER_UMLAUT = /^[ÄÖÜ]$/

/**
 * `text` in the EPC basic Latin character set: umlauts as ae/oe/ue (AE/OE/UE inside capitals), ß as ss,
 * other accents dropped (é → e, ñ → n), everything else a space; runs of spaces made one, the ends
 * trimmed, then cut to `max` characters (and trimmed again).
 */
export function sepaText(text: string, max: number): string {
  const out: string[] = []
  const chars = [...text]
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!
    if (ALLOWED.test(c)) {
      out.push(c)
      continue
    }
    const special = SPECIAL[c]
    if (special !== undefined) {
      // "MÜLLER" → "MUELLER", "Müller" → "Mueller", "Ärger" → "Aerger".
      const next = chars[i + 1] ?? ''
      const prev = chars[i - 1] ?? ''
      const inCapitals = UPPER_UMLAUT.test(c) && (/^[A-Z]$/.test(next) || (next === '' && /^[A-Z]$/.test(prev)))
      out.push(inCapitals ? special.toUpperCase() : special)
      continue
    }
    // Accented letters: the base letter when decomposition leaves exactly one allowed letter.
    const base = c.normalize('NFD').replace(/\p{M}/gu, '')
    out.push(base.length === 1 && /^[A-Za-z]$/.test(base) ? base : ' ')
  }
  return out.join('').replace(/ {2,}/g, ' ').trim().slice(0, max).trim()
}

// ---------------------------------------------------------------------------------------------------
// Checks

const ID = /^[A-Za-z0-9/\-?:().,'+ ]{1,35}$/

/** A message or end-to-end identification: 1–35 characters of the set, not starting or ending with "/" nor holding "//". */
function checkId(id: string): string {
  if (!ID.test(id) || id.trim() !== id || id.startsWith('/') || id.endsWith('/') || id.includes('//')) throw new AppError('payments.sepa_id', { id })
  return id
}

/** A party's name in the character set, 1–70 characters; a name with nothing left is refused. */
function partyName(name: string): string {
  const clean = sepaText(name, SEPA_NAME_MAX)
  if (clean === '') throw new AppError('payments.sepa_name', { name })
  return clean
}

/** The IBAN in electronic form after its ISO 13616 check and the SEPA country check; refusals name the account holder. */
function sepaIban(iban: string, party: string): string {
  if (checkIban(iban) !== null) throw new AppError('payments.sepa_iban', { party, iban })
  const clean = normalizeIban(iban)
  if (!/^[A-Z]{2}[0-9]{2}[A-Z0-9]{1,30}$/.test(clean)) throw new AppError('payments.sepa_iban', { party, iban })
  if (!isSEPACountry(clean.slice(0, 2))) throw new AppError('payments.sepa_not_sepa', { party, country: clean.slice(0, 2) })
  return clean
}

/** The BIC (ISO 9362) or null when none is given. */
function sepaBic(bic: string | null, party: string): string | null {
  const s = (bic ?? '').trim()
  if (s === '') return null
  if (checkBic(s) !== null) throw new AppError('payments.sepa_bic', { party, bic: s })
  return normalizeBic(s)
}

/** Cents as an exact decimal with two places (no floats): 123456 → "1234.56", 5n → "0.05". */
export function sepaAmount(minor: bigint): string {
  if (minor < 0n) throw new Error(`amount ${minor} is negative`)
  return `${minor / 100n}.${String(minor % 100n).padStart(2, '0')}`
}

/** An ISO 8601 instant as xs:dateTime in UTC, whole seconds: "2026-12-06T10:15:00Z". */
function instant(iso: string): string {
  const ms = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(iso) ? Date.parse(iso) : Number.NaN
  if (Number.isNaN(ms)) throw new Error(`createdAt ${iso} is not an ISO 8601 instant`)
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

interface CheckedTransfer {
  endToEndId: string
  amountMinor: number
  name: string
  iban: string
  bic: string | null
  remittance: string
}

function checkTransfer(t: SepaTransfer): CheckedTransfer {
  const name = partyName(t.creditorName)
  if (t.currency !== 'EUR') throw new AppError('payments.sepa_currency', { party: name, currency: t.currency })
  if (!Number.isSafeInteger(t.amountMinor) || t.amountMinor < SEPA_MIN_AMOUNT_MINOR || t.amountMinor > SEPA_MAX_AMOUNT_MINOR)
    throw new AppError('payments.sepa_amount', { party: name })
  return {
    endToEndId: checkId(t.endToEndId),
    amountMinor: t.amountMinor,
    name,
    iban: sepaIban(t.creditorIban, name),
    bic: sepaBic(t.creditorBic, name),
    remittance: sepaText(t.remittance, SEPA_REMITTANCE_MAX)
  }
}

// ---------------------------------------------------------------------------------------------------
// The file

/**
 * The pain.001.001.09 XML (UTF-8) for `input`. Everything is checked before anything is written: no
 * transfers (`payments.sepa_empty`), an amount outside 0.01–999,999,999.99 (`payments.sepa_amount`), a
 * currency other than EUR (`payments.sepa_currency`), an IBAN failing its check (`payments.sepa_iban`) or
 * outside SEPA (`payments.sepa_not_sepa`), a bad BIC (`payments.sepa_bic`), a name with no letter left
 * (`payments.sepa_name`), an identification outside the set (`payments.sepa_id`) and an execution date
 * that is no day (`payments.sepa_date`) are refused with an AppError naming whose it is.
 */
export function sepaCreditTransferXml(input: SepaCreditTransferInput): string {
  const messageId = checkId(input.messageId)
  const createdAt = instant(input.createdAt)
  const executionDate = parseDate(input.executionDate)
  if (executionDate === null || executionDate !== input.executionDate) throw new AppError('payments.sepa_date', { date: input.executionDate })
  const debtorName = partyName(input.debtor.name)
  const debtorIban = sepaIban(input.debtor.iban, debtorName)
  const debtorBic = sepaBic(input.debtor.bic, debtorName)
  if (input.transfers.length === 0) throw new AppError('payments.sepa_empty')
  const transfers = input.transfers.map(checkTransfer)

  // Integer cents added up as big integers: exact however many transfers there are.
  const total = transfers.reduce((sum, t) => sum + BigInt(t.amountMinor), 0n)
  const count = String(transfers.length)
  const ctrlSum = sepaAmount(total)

  const doc = create({ version: '1.0', encoding: 'UTF-8' })
  const root = doc.ele(NS, 'Document').ele('CstmrCdtTrfInitn')

  const header = root.ele('GrpHdr')
  header.ele('MsgId').txt(messageId)
  header.ele('CreDtTm').txt(createdAt)
  header.ele('NbOfTxs').txt(count)
  header.ele('CtrlSum').txt(ctrlSum)
  header.ele('InitgPty').ele('Nm').txt(debtorName)

  const block = root.ele('PmtInf')
  block.ele('PmtInfId').txt(messageId)
  block.ele('PmtMtd').txt('TRF')
  block.ele('BtchBookg').txt('true')
  block.ele('NbOfTxs').txt(count)
  block.ele('CtrlSum').txt(ctrlSum)
  block.ele('PmtTpInf').ele('SvcLvl').ele('Cd').txt('SEPA')
  block.ele('ReqdExctnDt').ele('Dt').txt(executionDate)
  block.ele('Dbtr').ele('Nm').txt(debtorName)
  block.ele('DbtrAcct').ele('Id').ele('IBAN').txt(debtorIban)
  // The debtor's bank: its BIC, or "NOTPROVIDED" (the only other identification the EPC variant takes).
  const debtorBank = block.ele('DbtrAgt').ele('FinInstnId')
  if (debtorBic !== null) debtorBank.ele('BICFI').txt(debtorBic)
  else debtorBank.ele('Othr').ele('Id').txt('NOTPROVIDED')
  block.ele('ChrgBr').txt('SLEV')

  for (const t of transfers) {
    const tx = block.ele('CdtTrfTxInf')
    tx.ele('PmtId').ele('EndToEndId').txt(t.endToEndId)
    tx.ele('Amt').ele('InstdAmt', { Ccy: 'EUR' }).txt(sepaAmount(BigInt(t.amountMinor)))
    // The payee's bank only with a BIC: the EPC variant wants none rather than an empty one.
    if (t.bic !== null) tx.ele('CdtrAgt').ele('FinInstnId').ele('BICFI').txt(t.bic)
    tx.ele('Cdtr').ele('Nm').txt(t.name)
    tx.ele('CdtrAcct').ele('Id').ele('IBAN').txt(t.iban)
    if (t.remittance !== '') tx.ele('RmtInf').ele('Ustrd').txt(t.remittance)
  }

  return doc.end({ prettyPrint: true })
}
