import assert from 'node:assert/strict'
import { dispatch } from '../../src/core/api/dispatch.ts'
import { parseCamt053 } from '../../src/core/payments/camt.ts'
import { importStatement } from '../../src/core/payments/payments.ts'
import { tempSession } from '../support/workspace.ts'
import { type Comparison, compare } from './lib.ts'

/**
 * A CAMT.053.001.08 statement of `n` booked credit transfers, as a bank exports it: a third name a deposit
 * request's RF reference, a third write a document number in the text, a third come from people nobody
 * invoiced (they wait in the inbox). `refs` are the open documents' [number, reference] pairs.
 */
export function bigStatement(n: number, refs: readonly [string, string][]): Uint8Array {
  const entries: string[] = []
  for (let i = 0; i < n; i++) {
    const [number, reference] = refs[i % refs.length]!
    const amount = `${10 + (i % 90)}.${String(i % 100).padStart(2, '0')}`
    const rmt =
      i % 3 === 0
        ? `<RmtInf><Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>${reference}</Ref></CdtrRefInf></Strd></RmtInf>`
        : i % 3 === 1
          ? `<RmtInf><Ustrd>Zahlung ${number} vielen Dank</Ustrd></RmtInf>`
          : `<RmtInf><Ustrd>Spende ${i}</Ustrd></RmtInf>`
    entries.push(`<Ntry><Amt Ccy="EUR">${amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2026-12-0${1 + (i % 9)}</Dt></BookgDt><AcctSvcrRef>B-${i}</AcctSvcrRef>
<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>
<NtryDtls><TxDtls><Amt Ccy="EUR">${amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><RltdPties><Dbtr><Pty><Nm>Zahler ${i % 500}</Nm></Pty></Dbtr><DbtrAcct><Id><IBAN>DE89370400440532013000</IBAN></Id></DbtrAcct></RltdPties>${rmt}</TxDtls></NtryDtls></Ntry>`)
  }
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt><GrpHdr><MsgId>BENCH</MsgId><CreDtTm>2026-12-10T10:00:00Z</CreDtTm></GrpHdr>
<Stmt><Id>BENCH-1</Id><Acct><Id><IBAN>DE89370400440532013000</IBAN></Id></Acct>
<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">0.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-12-10</Dt></Dt></Bal>
${entries.join('\n')}
</Stmt></BkToCstmrStmt></Document>`
  return new TextEncoder().encode(xml)
}

/**
 * payments.camt_10k: importing a 10,000-entry statement into the demo workspace (its round closed, the
 * deposits requested): reading it, booking every transaction through the writer (change log included) and
 * matching each by reference, number, or amount and name, in one transaction — vs reading the same file
 * alone (parseCamt053). Each run starts from no payments (the import would skip what it booked before).
 */
export async function benchCamt10k(): Promise<Comparison> {
  const temp = tempSession({ prefix: 'puente-bench-camt-' })
  try {
    await temp.session.openDemo()
    const session = temp.session
    const ws = session.requireWorkspace()
    const roundId = ws.db.prepare('SELECT id FROM round').pluck().get() as string
    assert.ok((await dispatch({ session }, 'rounds.setStatus', { id: roundId, status: 'closed' })).ok)
    assert.ok((await dispatch({ session }, 'invoices.requestDeposits', { roundId, sharePercent: 50 })).ok)
    const refs = ws.db.prepare("SELECT number, payment_reference FROM invoice WHERE kind = 'deposit'").raw().all() as [string, string][]
    assert.ok(refs.length >= 5, 'the demo has deposit requests to match')
    const data = bigStatement(10_000, refs)
    const clear = () =>
      ws.db.transaction(() => {
        ws.db.prepare('DELETE FROM payment_allocation').run()
        ws.db.prepare('DELETE FROM payment').run()
        ws.db.prepare('DELETE FROM bank_statement').run()
      })()
    return await compare({
      pairs: 10,
      warm: 2,
      setup: clear,
      ours: () => {
        const r = importStatement(ws, { fileName: 'bench.xml', data })
        assert.equal(r.booked, 10_000)
        assert.ok(r.matched > 0 && r.unmatched > 0)
      },
      baseline: () => {
        const statements = parseCamt053(data)
        assert.equal(statements[0]!.transactions.length, 10_000)
      }
    })
  } finally {
    temp.dispose()
  }
}
