/**
 * The request for one call over HTTP: JSON, or, when the input holds a file's bytes (a Uint8Array field,
 * at most one), those bytes as they are for the body with the other fields as JSON in a header; the host
 * puts them back together (src/host/server.ts). A file is never turned into base64.
 */
export function httpRequest(input: unknown, token: string): { headers: Record<string, string>; body: BodyInit } {
  const fields = input && typeof input === 'object' && !Array.isArray(input) ? Object.entries(input) : []
  const files = fields.filter(([, v]) => v instanceof Uint8Array)
  if (files.length === 1) {
    const [field, bytes] = files[0] as [string, Uint8Array<ArrayBuffer>]
    const rest = Object.fromEntries(fields.filter(([k]) => k !== field))
    return {
      headers: {
        'content-type': 'application/octet-stream',
        'x-puente-token': token,
        'x-puente-file-field': field,
        'x-puente-input': encodeURIComponent(JSON.stringify(rest))
      },
      body: bytes
    }
  }
  return { headers: { 'content-type': 'application/json', 'x-puente-token': token }, body: JSON.stringify(input ?? {}) }
}
