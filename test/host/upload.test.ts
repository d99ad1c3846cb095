import { mkdirSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import i18next from 'i18next'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CatalogueImportPreview } from '../../src/core/catalogue/priceListImport.ts'
import type { Session } from '../../src/core/app/session.ts'
import { MAX_BODY, type RunningHost, startHost } from '../../src/host/server.ts'
import { httpRequest } from '../../src/renderer/src/ui/wire.ts'
import { MAX_UPLOAD_BYTES } from '../../src/shared/errors.ts'
import de from '../../src/shared/i18n/de.ts'
import es from '../../src/shared/i18n/es.ts'
import { type TempSession, tempSession } from '../support/workspace.ts'

interface Reply {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
  /** How many body bytes the client had written when the answer's headers came. */
  sentWhenAnswered: number
}

/**
 * A raw upload: the headers, then the body in 64 KB chunks as fast as the server takes them. Resolves
 * with the answer (failing on a dropped connection, which is what the host did before).
 */
function upload(port: number, path: string, headers: Record<string, string>, body: Buffer, options: { chunked?: boolean } = {}): Promise<Reply> {
  return new Promise((ok, ko) => {
    let sent = 0
    let answeredAt = -1
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', headers: options.chunked ? headers : { ...headers, 'content-length': String(body.length) }, setHost: false }, (res) => {
      answeredAt = sent
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => ok({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), sentWhenAnswered: answeredAt }))
      res.on('error', ko)
    })
    req.on('error', ko)
    const CHUNK = 64 * 1024
    const pump = () => {
      while (sent < body.length) {
        const part = body.subarray(sent, sent + CHUNK)
        sent += part.length
        if (!req.write(part)) return void req.once('drain', pump)
      }
      req.end()
    }
    pump()
  })
}

describe('browser host: files', () => {
  let temp: TempSession
  let session: Session
  let host: RunningHost
  let hostHeader: string
  let supplierId: string

  beforeAll(async () => {
    temp = tempSession({ prefix: 'puente-upload-' })
    const rendererDir = join(temp.dir, 'renderer')
    mkdirSync(rendererDir, { recursive: true })
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Puente</title>')
    session = temp.session
    await session.openDemo()
    host = await startHost({ session, rendererDir })
    hostHeader = `127.0.0.1:${host.port}`
    supplierId = session.requireWorkspace().db.prepare("SELECT id FROM supplier WHERE code = 'CT'").pluck().get() as string
  })

  afterAll(async () => {
    await host.close()
    temp.dispose()
  })

  const fileHeaders = (input: Record<string, unknown>, field = 'data') => ({
    host: hostHeader,
    'content-type': 'application/octet-stream',
    'x-puente-token': host.token,
    'x-puente-file-field': field,
    'x-puente-input': encodeURIComponent(JSON.stringify(input))
  })

  const tooLarge = { ok: false, error: { code: 'api.too_large', params: { maxMb: 16 } } }

  it('takes the schema’s limit as its body limit: 16 MB', () => {
    expect(MAX_BODY).toBe(MAX_UPLOAD_BYTES)
    expect(MAX_UPLOAD_BYTES).toBe(16 * 1024 * 1024)
  })

  it('answers a file above the limit with 413 and too_large naming the limit, before it has read the body', async () => {
    const body = Buffer.alloc(MAX_UPLOAD_BYTES + 1, 0x41)
    const r = await upload(host.port, '/api/catalogue.importPreview', fileHeaders({ supplierId, fileName: 'riesig.csv' }), body)
    expect(r.status).toBe(413)
    expect(JSON.parse(r.body)).toEqual(tooLarge)
    // The Content-Length alone was enough: the answer came while most of the body was still to be sent.
    expect(r.sentWhenAnswered).toBeLessThan(body.length)
    // The message the user reads names the limit, in German and Spanish.
    const t = i18next.createInstance()
    await t.init({ lng: 'de', resources: { de: { translation: de }, es: { translation: es } }, interpolation: { escapeValue: false } })
    expect(t.t('errors.api.too_large', { maxMb: 16 })).toBe(
      'Die Datei ist zu groß: Puente nimmt Dateien bis 16 MB an. Bitte eine kleinere Datei wählen (zum Beispiel nur das Blatt mit den Daten). Es wurde nichts gespeichert.'
    )
    expect(t.t('errors.api.too_large', { maxMb: 16, lng: 'es' })).toContain('hasta 16 MB')
    // The host goes on answering.
    const info = await upload(host.port, '/api/app.info', { host: hostHeader, 'content-type': 'application/json', 'x-puente-token': host.token }, Buffer.from('{}'))
    expect(info.status).toBe(200)
  })

  it('stops reading a body without a length at the limit and answers 413 (chunked upload)', async () => {
    const body = Buffer.alloc(MAX_UPLOAD_BYTES + 256 * 1024, 0x42)
    const r = await upload(host.port, '/api/catalogue.importPreview', fileHeaders({ supplierId, fileName: 'riesig.csv' }), body, { chunked: true })
    expect(r.status).toBe(413)
    expect(JSON.parse(r.body)).toEqual(tooLarge)
  })

  it('answers a JSON body above the limit the same way', async () => {
    const body = Buffer.from(JSON.stringify({ note: 'x'.repeat(MAX_UPLOAD_BYTES) }))
    const r = await upload(host.port, '/api/app.info', { host: hostHeader, 'content-type': 'application/json', 'x-puente-token': host.token }, body)
    expect(r.status).toBe(413)
    expect(JSON.parse(r.body)).toEqual(tooLarge)
  })

  it('takes a file of exactly the limit (the schema then decides what is in it)', async () => {
    // A zip signature and nothing behind it: the reader refuses it at once, as a file problem.
    const body = Buffer.alloc(MAX_UPLOAD_BYTES)
    body.write('PK\x03\x04', 'latin1')
    const r = await upload(host.port, '/api/catalogue.importPreview', fileHeaders({ supplierId, fileName: 'gross.xlsx' }), body)
    expect(r.status).toBe(200)
    expect(JSON.parse(r.body)).toMatchObject({ ok: true, result: { rows: [], fileErrors: [{ code: 'unreadable' }] } })
  })

  it('checks the token before it reads a file', async () => {
    const headers = { ...fileHeaders({ supplierId, fileName: 'a.csv' }), 'x-puente-token': 'wrong' }
    const r = await upload(host.port, '/api/catalogue.importPreview', headers, Buffer.alloc(MAX_UPLOAD_BYTES + 1))
    expect(r.status).toBe(401)
    expect(JSON.parse(r.body).error.code).toBe('host.bad_token')
  })

  it('refuses a file call whose field name or input header is not what the renderer sends', async () => {
    const bytes = Buffer.from('SKU;Precio\nCT-X;1\n')
    for (const [headers, reason] of [
      [fileHeaders({ supplierId, fileName: 'a.csv' }, '__proto__'), 'file-field'],
      [{ ...fileHeaders({}), 'x-puente-input': '%7B' }, 'input-header'],
      [{ ...fileHeaders({}), 'x-puente-input': encodeURIComponent('[1]') }, 'input-header']
    ] as const) {
      const r = await upload(host.port, '/api/catalogue.importPreview', headers, bytes)
      expect(r.status).toBe(400)
      expect(JSON.parse(r.body)).toEqual({ ok: false, error: { code: 'api.bad_request', params: { reason } } })
    }
  })

  it('carries a real XLSX price list as raw bytes, as the renderer sends it, into the import preview', async () => {
    const wb = new ExcelJS.Workbook()
    const ws = wb.addWorksheet('Lista')
    ws.addRow(['Código', 'Nombre', 'Precio', 'Moneda', 'Unidades por caja', 'Unidad'])
    ws.addRow(['CT-NUEVO1', 'Dulce de leche colonial 450 g', 3.15, 'USD', 12, 'frasco'])
    ws.addRow(['CT-NUEVO2', 'Alfajores de maicena × 6', 2.4, 'USD', 24, 'caja'])
    const xlsx = new Uint8Array(await wb.xlsx.writeBuffer())
    // The renderer's own request for this call (src/renderer/src/ui/wire.ts), sent with Node's fetch.
    const fileName = 'Lista de precios – Cooperativa, año 2026.xlsx'
    const { headers, body } = httpRequest({ supplierId, fileName, data: xlsx }, host.token)
    expect(headers['content-type']).toBe('application/octet-stream')
    expect(body).toBe(xlsx)
    const res = await fetch(`${host.origin}/api/catalogue.importPreview`, { method: 'POST', headers, body })
    expect(res.status).toBe(200)
    const answer = (await res.json()) as { ok: true; result: CatalogueImportPreview }
    expect(answer.ok).toBe(true)
    expect(answer.result).toMatchObject({ format: 'xlsx', headerRow: 1, blocking: false, fileErrors: [] })
    expect(answer.result.rows.map((r) => [r.line, r.sku, r.action])).toEqual([
      [2, 'CT-NUEVO1', 'insert'],
      [3, 'CT-NUEVO2', 'insert']
    ])
    // The same bytes as base64 inside JSON are no file: the schema wants bytes.
    const old = await fetch(`${host.origin}/api/catalogue.importPreview`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-puente-token': host.token },
      body: JSON.stringify({ supplierId, fileName: 'a.xlsx', dataBase64: Buffer.from(xlsx).toString('base64') })
    })
    expect(((await old.json()) as { error: { code: string; params: unknown } }).error).toMatchObject({
      code: 'validation',
      params: { fields: { data: { code: 'required' } } }
    })
  })

  it('sends calls without a file as JSON, as before', () => {
    expect(httpRequest({ id: 'x' }, 't')).toEqual({ headers: { 'content-type': 'application/json', 'x-puente-token': 't' }, body: '{"id":"x"}' })
    expect(httpRequest(undefined, 't').body).toBe('{}')
  })
})
