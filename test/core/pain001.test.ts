import { spawnSync } from 'node:child_process'
import { create } from 'xmlbuilder2'
import { describe, expect, it } from 'vitest'
import { type SepaCreditTransferInput, type SepaTransfer, sepaCreditTransferXml, sepaText } from '../../src/core/payments/pain001.ts'
import { AppError } from '../../src/shared/errors.ts'
import { artefactPath } from '../support/artefacts.ts'

/**
 * The SEPA credit transfer file (issue 12, money out): ISO 20022 pain.001.001.09 in the EPC's
 * customer-to-bank variant 2023, checked against that variant's XSD (kept in test/fixtures/iso20022.ts)
 * with xmllint, and read back element by element. Every expected figure and name is written out by hand.
 */

const SCHEMA = artefactPath('iso20022', 'pain.001.001.09.xsd')

/** xmllint's verdict on `xml` (read from stdin): exit status and what it said. */
function xsd(xml: string): { status: number | null; stderr: string } {
  const run = spawnSync('xmllint', ['--noout', '--schema', SCHEMA, '-'], { encoding: 'utf8', input: xml })
  expect(run.error, 'xmllint must be installed (Debian package libxml2-utils)').toBeUndefined()
  return { status: run.status, stderr: run.stderr }
}

// ---------------------------------------------------------------------------------------------------
// The samples: refunds to three groups after a round.

const DEBTOR = { name: 'Solidarische Importe e.V.', iban: 'DE89 3704 0044 0532 0130 00', bic: 'COBADEFFXXX' }

const KOELN: SepaTransfer = {
  endToEndId: 'R2026-1-G001',
  amountMinor: 4870,
  currency: 'EUR',
  creditorName: 'Weltladen Köln – Müller & Söhne',
  creditorIban: 'DE33 1002 0500 0001 1947 00',
  creditorBic: 'bfsw de33 ber',
  remittance: 'Erstattung Runde 2026-1 – Guthaben für Gruppe Köln'
}
const PENA: SepaTransfer = {
  endToEndId: 'R2026-1-G002',
  amountMinor: 11205,
  currency: 'EUR',
  creditorName: "Cooperativa Peña Ñandú d'Oro",
  creditorIban: 'ES9121000418450200051332',
  creditorBic: null,
  remittance: 'Reembolso ronda 2026-1 (señal)'
}
const WIEN: SepaTransfer = {
  endToEndId: 'R2026-1-G003',
  amountMinor: 725,
  currency: 'EUR',
  creditorName: 'Foodcoop Österreich – Großeinkauf Wien',
  creditorIban: 'AT611904300234573201',
  creditorBic: 'BKAUATWW',
  remittance: 'Erstattung Runde 2026-1'
}

const REFUNDS: SepaCreditTransferInput = {
  messageId: 'PUENTE-R2026-1-REFUNDS',
  createdAt: '2026-12-06T10:15:00.000Z',
  executionDate: '2026-12-08',
  debtor: DEBTOR,
  transfers: [KOELN, PENA, WIEN]
}

// ---------------------------------------------------------------------------------------------------
// Reading the XML back: a tiny path reader over xmlbuilder2's DOM (no XPath).

interface Node {
  nodeType: number
  nodeName: string
  namespaceURI: string | null
  textContent: string | null
  childNodes: ArrayLike<Node>
  getAttribute?: (name: string) => string | null
}

function parse(xml: string): Node {
  const root = create(xml).root().node as unknown as Node
  expect(root.nodeName).toBe('Document')
  expect(root.namespaceURI).toBe('urn:iso:std:iso:20022:tech:xsd:pain.001.001.09')
  return root
}

function all(node: Node, path: string): Node[] {
  let nodes: Node[] = [node]
  for (const step of path.split('/')) nodes = nodes.flatMap((n) => Array.from(n.childNodes).filter((c) => c.nodeType === 1 && c.nodeName === step))
  return nodes
}
const texts = (node: Node, path: string): string[] => all(node, path).map((n) => n.textContent ?? '')
const one = (node: Node, path: string): string => {
  const found = texts(node, path)
  expect(found, path).toHaveLength(1)
  return found[0]!
}

const HDR = 'CstmrCdtTrfInitn/GrpHdr'
const PMT = 'CstmrCdtTrfInitn/PmtInf'
const TX = `${PMT}/CdtTrfTxInf`

/** The EPC basic Latin character set, for every name and text written. */
const EPC_SET = /^[A-Za-z0-9/\-?:().,'+ ]+$/

// ---------------------------------------------------------------------------------------------------

describe('sepaCreditTransferXml: refunds to three groups', () => {
  const xml = sepaCreditTransferXml(REFUNDS)

  it('validates against the EPC pain.001.001.09 schema (xmllint exit 0)', () => {
    const run = xsd(xml)
    expect(run.stderr).toContain('validates')
    expect(run.status).toBe(0)
  })

  it('one payment block: count, control sum (hand-computed 48.70 + 112.05 + 7.25 = 168.00), TRF, SEPA, SLEV, batch booking', () => {
    const x = parse(xml)
    expect(one(x, `${HDR}/MsgId`)).toBe('PUENTE-R2026-1-REFUNDS')
    expect(one(x, `${HDR}/CreDtTm`)).toBe('2026-12-06T10:15:00Z')
    expect(one(x, `${HDR}/NbOfTxs`)).toBe('3')
    expect(one(x, `${HDR}/CtrlSum`)).toBe('168.00')
    expect(one(x, `${HDR}/InitgPty/Nm`)).toBe('Solidarische Importe e.V.')
    expect(all(x, PMT)).toHaveLength(1)
    expect(one(x, `${PMT}/PmtInfId`)).toBe('PUENTE-R2026-1-REFUNDS')
    expect(one(x, `${PMT}/PmtMtd`)).toBe('TRF')
    expect(one(x, `${PMT}/BtchBookg`)).toBe('true')
    expect(one(x, `${PMT}/NbOfTxs`)).toBe('3')
    expect(one(x, `${PMT}/CtrlSum`)).toBe('168.00')
    expect(one(x, `${PMT}/PmtTpInf/SvcLvl/Cd`)).toBe('SEPA')
    expect(one(x, `${PMT}/ReqdExctnDt/Dt`)).toBe('2026-12-08')
    expect(one(x, `${PMT}/ChrgBr`)).toBe('SLEV')
  })

  it('the debtor: name, IBAN in electronic form, BIC', () => {
    const x = parse(xml)
    expect(one(x, `${PMT}/Dbtr/Nm`)).toBe('Solidarische Importe e.V.')
    expect(one(x, `${PMT}/DbtrAcct/Id/IBAN`)).toBe('DE89370400440532013000')
    expect(one(x, `${PMT}/DbtrAgt/FinInstnId/BICFI`)).toBe('COBADEFFXXX')
    expect(all(x, `${PMT}/DbtrAgt/FinInstnId/Othr`)).toEqual([])
  })

  it('amounts, IBANs and references round-trip; a BIC only where one was given', () => {
    const x = parse(xml)
    expect(texts(x, `${TX}/PmtId/EndToEndId`)).toEqual(['R2026-1-G001', 'R2026-1-G002', 'R2026-1-G003'])
    expect(texts(x, `${TX}/Amt/InstdAmt`)).toEqual(['48.70', '112.05', '7.25'])
    expect(all(x, `${TX}/Amt/InstdAmt`).map((n) => n.getAttribute?.('Ccy'))).toEqual(['EUR', 'EUR', 'EUR'])
    expect(texts(x, `${TX}/CdtrAcct/Id/IBAN`)).toEqual(['DE33100205000001194700', 'ES9121000418450200051332', 'AT611904300234573201'])
    const txs = all(x, TX)
    expect(txs.map((t) => texts(t, 'CdtrAgt/FinInstnId/BICFI'))).toEqual([['BFSWDE33BER'], [], ['BKAUATWW']])
    expect(all(txs[1]!, 'CdtrAgt')).toEqual([])
  })

  it('names and texts in the EPC character set: umlauts, ß, ñ, dashes and the ampersand transliterated', () => {
    const x = parse(xml)
    expect(texts(x, `${TX}/Cdtr/Nm`)).toEqual(['Weltladen Koeln - Mueller Soehne', "Cooperativa Pena Nandu d'Oro", 'Foodcoop Oesterreich - Grosseinkauf Wien'])
    expect(texts(x, `${TX}/RmtInf/Ustrd`)).toEqual(['Erstattung Runde 2026-1 - Guthaben fuer Gruppe Koeln', 'Reembolso ronda 2026-1 (senal)', 'Erstattung Runde 2026-1'])
    const written = [...texts(x, `${TX}/Cdtr/Nm`), ...texts(x, `${TX}/RmtInf/Ustrd`), one(x, `${PMT}/Dbtr/Nm`), one(x, `${HDR}/InitgPty/Nm`)]
    for (const text of written) expect(text).toMatch(EPC_SET)
  })
})

describe('sepaCreditTransferXml: edges that still validate', () => {
  it('without the debtor’s BIC: NOTPROVIDED; no payment text: no RmtInf; 0.01 and 999,999,999.99 summed exactly', () => {
    const input: SepaCreditTransferInput = {
      ...REFUNDS,
      messageId: 'PUENTE/EDGES-1',
      debtor: { ...DEBTOR, bic: null },
      transfers: [
        { ...PENA, amountMinor: 1, remittance: '' },
        { ...WIEN, amountMinor: 99_999_999_999 },
        { ...KOELN, amountMinor: 12_345 }
      ]
    }
    const xml = sepaCreditTransferXml(input)
    expect(xsd(xml).status).toBe(0)
    const x = parse(xml)
    expect(all(x, `${PMT}/DbtrAgt/FinInstnId/BICFI`)).toEqual([])
    expect(one(x, `${PMT}/DbtrAgt/FinInstnId/Othr/Id`)).toBe('NOTPROVIDED')
    expect(texts(x, `${TX}/Amt/InstdAmt`)).toEqual(['0.01', '999999999.99', '123.45'])
    // 0.01 + 999,999,999.99 + 123.45 = 1,000,000,123.45, by hand.
    expect(one(x, `${HDR}/CtrlSum`)).toBe('1000000123.45')
    expect(one(x, `${PMT}/CtrlSum`)).toBe('1000000123.45')
    expect(all(all(x, TX)[0]!, 'RmtInf')).toEqual([])
  })

  it('a name longer than 70 characters is cut to 70; a remittance to 140; characters outside Latin become spaces', () => {
    const longName = 'Asociación de Consumidores Responsables y Solidarios del Barrio de Lavapiés, Madrid'
    const longText = `${'Rückerstattung '.repeat(10)}Ende`
    const xml = sepaCreditTransferXml({
      ...REFUNDS,
      transfers: [{ ...PENA, creditorName: longName }, { ...KOELN, creditorName: '東京 Food Coop «Sakura» №5', remittance: longText }]
    })
    expect(xsd(xml).status).toBe(0)
    const x = parse(xml)
    const [first, second] = texts(x, `${TX}/Cdtr/Nm`)
    expect(first).toBe('Asociacion de Consumidores Responsables y Solidarios del Barrio de Lav')
    expect(first).toHaveLength(70)
    expect(second).toBe('Food Coop Sakura 5')
    const ustrd = texts(x, `${TX}/RmtInf/Ustrd`)[1]!
    // "Rueckerstattung " is 16 characters: eight of them (128) and the first 12 of the ninth.
    expect(ustrd).toBe(`${'Rueckerstattung '.repeat(8)}Rueckerstatt`)
    expect(ustrd).toHaveLength(140)
  })
})

describe('sepaText: the EPC basic Latin character set', () => {
  it.each([
    ['Müller & Söhne', 'Mueller Soehne'],
    ['MÜLLER', 'MUELLER'],
    ['Ärger', 'Aerger'],
    ['Straße', 'Strasse'],
    ['José Peña Ñandú', 'Jose Pena Nandu'],
    ['Café Crème à Noël', 'Cafe Creme a Noel'],
    ['Łódź Smørrebrød Æble', 'Lodz Smorrebrod Aeble'],
    ['Coop „La Esperanza“ – 50 %', 'Coop La Esperanza - 50'],
    ["O’Brien + Co. (Ltd)/1?:", "O'Brien + Co. (Ltd)/1?:"],
    ['line\nbreak\ttab', 'line break tab'],
    ['中文', '']
  ])('%s → %s', (input, expected) => {
    expect(sepaText(input, 70)).toBe(expected)
  })
})

// ---------------------------------------------------------------------------------------------------
// Refusals: an AppError with its code and whose it is, and nothing returned.

function refusal(input: SepaCreditTransferInput): { code: string; params: Record<string, unknown> } {
  let returned: string | undefined
  try {
    returned = sepaCreditTransferXml(input)
  } catch (e) {
    expect(e).toBeInstanceOf(AppError)
    const err = e as AppError
    return { code: err.code, params: err.params }
  }
  throw new Error(`not refused; returned ${returned?.length ?? 0} characters`)
}

describe('sepaCreditTransferXml refuses, naming whose it is', () => {
  it('a zero amount', () => {
    expect(refusal({ ...REFUNDS, transfers: [KOELN, { ...PENA, amountMinor: 0 }] })).toEqual({
      code: 'payments.sepa_amount',
      params: { party: "Cooperativa Pena Nandu d'Oro" }
    })
  })

  it('a negative amount, one above 999,999,999.99 and one that is not whole cents', () => {
    for (const amountMinor of [-4870, 100_000_000_000, 48.5])
      expect(refusal({ ...REFUNDS, transfers: [{ ...KOELN, amountMinor }] })).toEqual({
        code: 'payments.sepa_amount',
        params: { party: 'Weltladen Koeln - Mueller Soehne' }
      })
  })

  it('a creditor IBAN that fails its check digits', () => {
    expect(refusal({ ...REFUNDS, transfers: [KOELN, PENA, { ...WIEN, creditorIban: 'AT611904300234573202' }] })).toEqual({
      code: 'payments.sepa_iban',
      params: { party: 'Foodcoop Oesterreich - Grosseinkauf Wien', iban: 'AT611904300234573202' }
    })
  })

  it('the debtor’s IBAN that fails its check digits', () => {
    expect(refusal({ ...REFUNDS, debtor: { ...DEBTOR, iban: 'DE89370400440532013001' } })).toEqual({
      code: 'payments.sepa_iban',
      params: { party: 'Solidarische Importe e.V.', iban: 'DE89370400440532013001' }
    })
  })

  it('a valid IBAN outside SEPA (Brazil)', () => {
    expect(refusal({ ...REFUNDS, transfers: [{ ...PENA, creditorIban: 'BR1800360305000010009795493C1' }] })).toEqual({
      code: 'payments.sepa_not_sepa',
      params: { party: "Cooperativa Pena Nandu d'Oro", country: 'BR' }
    })
  })

  it('an empty list', () => {
    expect(refusal({ ...REFUNDS, transfers: [] })).toEqual({ code: 'payments.sepa_empty', params: {} })
  })

  it('a currency other than EUR (which the XSD itself lets through, see below)', () => {
    expect(refusal({ ...REFUNDS, transfers: [KOELN, { ...WIEN, currency: 'CHF' }] })).toEqual({
      code: 'payments.sepa_currency',
      params: { party: 'Foodcoop Oesterreich - Grosseinkauf Wien', currency: 'CHF' }
    })
  })

  it('a bad BIC, a name with no Latin letter, a reference outside the set and a date that does not exist', () => {
    expect(refusal({ ...REFUNDS, transfers: [{ ...WIEN, creditorBic: 'BKAU' }] })).toEqual({
      code: 'payments.sepa_bic',
      params: { party: 'Foodcoop Oesterreich - Grosseinkauf Wien', bic: 'BKAU' }
    })
    expect(refusal({ ...REFUNDS, transfers: [{ ...WIEN, creditorName: '東京' }] })).toEqual({ code: 'payments.sepa_name', params: { name: '東京' } })
    for (const id of ['', 'R2026_1', '/R1', 'R1/', 'R//1', 'Ä1', 'X'.repeat(36)])
      expect(refusal({ ...REFUNDS, transfers: [{ ...WIEN, endToEndId: id }] })).toEqual({ code: 'payments.sepa_id', params: { id } })
    expect(refusal({ ...REFUNDS, messageId: 'PUENTE#1' })).toEqual({ code: 'payments.sepa_id', params: { id: 'PUENTE#1' } })
    expect(refusal({ ...REFUNDS, executionDate: '2026-02-30' })).toEqual({ code: 'payments.sepa_date', params: { date: '2026-02-30' } })
  })
})

// ---------------------------------------------------------------------------------------------------
// The schema check bites: hand-broken copies of a valid file fail xmllint.

describe('the EPC schema refuses hand-broken copies', () => {
  const xml = sepaCreditTransferXml(REFUNDS)

  it('the copies below start from a valid file', () => {
    expect(xsd(xml).status).toBe(0)
  })

  it('an amount of 0.00', () => {
    const broken = xml.replace('<InstdAmt Ccy="EUR">48.70</InstdAmt>', '<InstdAmt Ccy="EUR">0.00</InstdAmt>')
    expect(broken).not.toBe(xml)
    const run = xsd(broken)
    expect(run.status).not.toBe(0)
    expect(run.stderr).toMatch(/InstdAmt.*minInclusive/)
  })

  it('a negative amount', () => {
    const broken = xml.replace('<InstdAmt Ccy="EUR">7.25</InstdAmt>', '<InstdAmt Ccy="EUR">-7.25</InstdAmt>')
    expect(broken).not.toBe(xml)
    expect(xsd(broken).status).not.toBe(0)
  })

  it('a creditor without IBAN', () => {
    const broken = xml.replace(/<CdtrAcct>\s*<Id>\s*<IBAN>ES9121000418450200051332<\/IBAN>\s*<\/Id>\s*<\/CdtrAcct>/, '<CdtrAcct><Id/></CdtrAcct>')
    expect(broken).not.toBe(xml)
    const run = xsd(broken)
    expect(run.status).not.toBe(0)
    expect(run.stderr).toMatch(/Id.*Missing child element/)
  })

  it('a name longer than 70 characters', () => {
    const broken = xml.replace('<Nm>Weltladen Koeln - Mueller Soehne</Nm>', `<Nm>${'W'.repeat(71)}</Nm>`)
    expect(broken).not.toBe(xml)
    expect(xsd(broken).status).not.toBe(0)
  })

  it('but not a currency other than EUR: the XSD only checks three capitals, which is why the code refuses it', () => {
    const other = xml.replace('<InstdAmt Ccy="EUR">48.70</InstdAmt>', '<InstdAmt Ccy="CHF">48.70</InstdAmt>')
    expect(other).not.toBe(xml)
    expect(xsd(other).status).toBe(0)
  })
})
