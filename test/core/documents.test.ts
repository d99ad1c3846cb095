import { execFileSync, spawnSync } from 'node:child_process'
import { readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { dispatch } from '../../src/core/api/dispatch.ts'
import { Session } from '../../src/core/app/session.ts'
import de from '../../src/shared/i18n/de.ts'
import es from '../../src/shared/i18n/es.ts'
import { RESOURCES, type TempSession, tempSession } from '../support/workspace.ts'

let temp: TempSession
let dir: string
let session: Session

beforeEach(async () => {
  temp = tempSession({ prefix: 'puente-docs-' })
  dir = temp.dir
  session = temp.session
  await session.openDemo()
})

afterEach(() => temp.dispose())

const db = () => session.requireWorkspace().db
const roundId = () => (db().prepare('SELECT id FROM round').get() as { id: string }).id
const buyerId = (name: string) => (db().prepare('SELECT id FROM buyer WHERE name = ?').get(name) as { id: string }).id

/** The orderable products of the demo round (not blocked, priced) with their names. */
function orderable() {
  return db()
    .prepare(
      `SELECT p.sku, p.name_de AS de, p.name_es AS es FROM round_product rp JOIN product p ON p.id = rp.product_id
       WHERE rp.round_id = ? AND rp.blocked = 0 AND rp.price_minor IS NOT NULL ORDER BY p.sku`
    )
    .all(roundId()) as { sku: string; de: string; es: string }[]
}

async function pdfFor(buyer: string, s: Session = session): Promise<{ fileName: string; path: string }> {
  const res = await dispatch({ session: s }, 'orders.exportForm', { roundId: roundId(), buyerId: buyerId(buyer), format: 'pdf' })
  if (!res.ok) throw new Error(JSON.stringify(res.error))
  const r = res.result as { fileName: string; mime: string; dataBase64: string }
  expect(r.mime).toBe('application/pdf')
  const path = join(dir, r.fileName)
  writeFileSync(path, Buffer.from(r.dataBase64, 'base64'))
  return { fileName: r.fileName, path }
}

/** The text in reading order, whitespace collapsed (long names wrap inside their cell). */
const text = (path: string) => execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', path, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ')

function qpdfCheck(path: string) {
  const r = spawnSync('qpdf', ['--check', path], { encoding: 'utf8' })
  expect(r.stderr).toBe('')
  expect(r.status).toBe(0)
  expect(r.stdout).toContain('No syntax or stream encoding errors')
}

describe('order form PDF', () => {
  it('German buyer: the buyer, every orderable SKU with its German name, page numbers; qpdf passes', async () => {
    const { fileName, path } = await pdfFor('Foodcoop Kornblume')
    expect(fileName).toBe('Bestellformular Winterrunde 2026-27 Foodcoop Kornblume.pdf')
    qpdfCheck(path)
    const t = text(path)
    expect(t).toContain('Solidarische Importe e.V.')
    expect(t).toContain('Foodcoop Kornblume')
    expect(t).toContain('Wrangelstraße 40, 10997 Berlin')
    expect(t).toContain('Winterrunde 2026/27')
    for (const label of [de.forms.title, de.forms.deadline, de.forms.quantity, de.forms.tolerance, de.forms.sku]) expect(t).toContain(label)
    const products = orderable()
    expect(products.length).toBe(43)
    for (const p of products) {
      expect(t).toContain(p.sku)
      expect(t).toContain(p.de)
    }
    expect(t).not.toContain('AP-MI500')
    expect(t).not.toContain('Yerba mate con palo 500 g')
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [path], { encoding: 'utf8' }))![1])
    expect(pages).toBeGreaterThan(1)
    for (let i = 1; i <= pages; i++) expect(t).toContain(`${i} / ${pages}`)
    // The fonts are embedded (subsets of DejaVu Sans), none is a base-14 font.
    const fonts = execFileSync('pdffonts', [path], { encoding: 'utf8' }).trim().split('\n').slice(2)
    expect(fonts.length).toBe(2)
    for (const f of fonts) expect(f).toMatch(/DejaVuSans.*\byes\s+yes\s+yes\b/)
  })

  it('Spanish buyer: Spanish texts and names', async () => {
    const { fileName, path } = await pdfFor('Cooperativa Germinal')
    expect(fileName).toBe('Formulario de pedido Winterrunde 2026-27 Cooperativa Germinal.pdf')
    qpdfCheck(path)
    const t = text(path)
    expect(t).toContain('Cooperativa Germinal')
    for (const label of [es.forms.title, es.forms.deadline, es.forms.quantity, es.forms.tolerance, es.forms.buyer]) expect(t).toContain(label)
    for (const p of orderable()) {
      expect(t).toContain(p.sku)
      expect(t).toContain(p.es)
    }
    expect(t).not.toContain('Mate-Tee mit Stängeln 500 g')
    expect(t).toMatch(/diciembre|enero|noviembre|febrero|marzo|octubre/)
  })

  it('renders to an image (pdftoppm)', async () => {
    const { path } = await pdfFor('Mate-Kollektiv Bochum')
    execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', path, join(dir, 'page')])
    const png = readFileSync(join(dir, 'page-1.png'))
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG')
    expect(statSync(join(dir, 'page-1.png')).size).toBeGreaterThan(10_000)
    expect(text(path)).toContain('Bestellt über Verteilknoten Ruhr')
  })

  it('without the fonts the export fails with a clear error', async () => {
    const bare = join(dir, 'bare')
    execFileSync('mkdir', ['-p', bare])
    symlinkSync(join(RESOURCES, 'demo'), join(bare, 'demo'))
    const other = new Session({ appDataDir: join(dir, 'appdata2'), resourcesDir: bare })
    try {
      await other.openDemo()
      const res = await dispatch({ session: other }, 'orders.exportForm', {
        roundId: (other.requireWorkspace().db.prepare('SELECT id FROM round').get() as { id: string }).id,
        buyerId: (other.requireWorkspace().db.prepare("SELECT id FROM buyer WHERE name = 'Foodcoop Kornblume'").get() as { id: string }).id,
        format: 'pdf'
      })
      expect(res.ok).toBe(false)
      if (!res.ok) expect(res.error).toMatchObject({ code: 'documents.font_missing', params: { path: join(bare, 'fonts', 'DejaVuSans.ttf') } })
    } finally {
      other.close()
    }
  })

  it('the fonts ship with their licence', () => {
    expect(readFileSync(join(RESOURCES, 'fonts', 'LICENSE-DejaVu.txt'), 'utf8')).toContain('Bitstream Vera')
  })
})
