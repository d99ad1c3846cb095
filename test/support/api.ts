import assert from 'node:assert/strict'
import { dispatch } from '../../src/core/api/dispatch.ts'
import type { Session } from '../../src/core/app/session.ts'
import type { Input, MethodName, Output } from '../../src/shared/api.ts'

/**
 * The API as a test calls it, through the same dispatch as the app: `call` returns a method's result and
 * throws when it is refused; `fail` returns the error of a call that must be refused (and throws when it
 * is not). `session` is read at each call, so a test's beforeEach may replace it.
 */
export function api(session: () => Session) {
  const call = async <K extends MethodName>(method: K, input?: Input<K>): Promise<Output<K>> => {
    const r = await dispatch({ session: session() }, method, input)
    assert.ok(r.ok, `${method}: ${r.ok ? '' : JSON.stringify(r.error)}`)
    return r.result as Output<K>
  }
  const fail = async (method: string, input?: unknown) => {
    const r = await dispatch({ session: session() }, method, input)
    assert.ok(!r.ok, `${method} should fail`)
    return r.error
  }
  return { call, fail }
}
