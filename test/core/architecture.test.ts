import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, extname, join, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const SRC = join(ROOT, 'src')

interface SourceText {
  /** Absolute path (it need not exist: the self-tests use made-up files). */
  path: string
  text: string
}

/** Every file under `dir` whose name ends with one of `extensions`, sorted; skips node_modules. */
function filesUnder(dir: string, extensions: string[]): string[] {
  const out: string[] = []
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      if (entry.name === 'node_modules') continue
      const full = join(d, entry.name)
      if (entry.isDirectory()) walk(full)
      else if (entry.isFile() && extensions.includes(extname(entry.name))) out.push(full)
    }
  }
  walk(dir)
  return out.sort()
}

function read(paths: string[]): SourceText[] {
  return paths.map((path) => ({ path, text: readFileSync(path, 'utf8') }))
}

function parse({ path, text }: SourceText): ts.SourceFile {
  const kind = path.endsWith('.tsx') ? ts.ScriptKind.TSX : path.endsWith('.ts') ? ts.ScriptKind.TS : ts.ScriptKind.JS
  return ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, kind)
}

function where(sf: ts.SourceFile, node: ts.Node): string {
  const line = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1
  return `${relative(ROOT, sf.fileName).split(sep).join('/')}:${line}`
}

// ---------------------------------------------------------------------------------------------------
// Imports: the core and the shared code must not know Electron, React or the other layers.

interface ImportRef {
  specifier: string
  node: ts.Node
  /** Erased when compiled: `import type`, `export type`, imports of types only, `import('…')` in a type. */
  typeOnly: boolean
}

function isTypeOnly(node: ts.Node): boolean {
  if (ts.isImportTypeNode(node)) return true
  if (ts.isImportDeclaration(node)) {
    const clause = node.importClause
    if (!clause) return false
    if (clause.isTypeOnly) return true
    const named = clause.namedBindings
    return !clause.name && named !== undefined && ts.isNamedImports(named) && named.elements.length > 0 && named.elements.every((e) => e.isTypeOnly)
  }
  if (ts.isExportDeclaration(node)) {
    if (node.isTypeOnly) return true
    const clause = node.exportClause
    return clause !== undefined && ts.isNamedExports(clause) && clause.elements.length > 0 && clause.elements.every((e) => e.isTypeOnly)
  }
  return false
}

/** Static imports and re-exports, `import x = require()`, `import()` (also in types) and `require()`. */
function importsOf(sf: ts.SourceFile): ImportRef[] {
  const out: ImportRef[] = []
  const literal = (n: ts.Node | undefined): string | null =>
    n && (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) ? n.text : null
  const visit = (node: ts.Node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      const s = literal(node.moduleSpecifier)
      if (s !== null) out.push({ specifier: s, node, typeOnly: isTypeOnly(node) })
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      const s = literal(node.moduleReference.expression)
      if (s !== null) out.push({ specifier: s, node, typeOnly: node.isTypeOnly })
    } else if (ts.isCallExpression(node)) {
      const isImport = node.expression.kind === ts.SyntaxKind.ImportKeyword
      const isRequire = ts.isIdentifier(node.expression) && node.expression.text === 'require'
      const isRequireResolve =
        ts.isPropertyAccessExpression(node.expression) &&
        ts.isIdentifier(node.expression.expression) &&
        node.expression.expression.text === 'require'
      if (isImport || isRequire || isRequireResolve) {
        const s = literal(node.arguments[0])
        if (s !== null) out.push({ specifier: s, node, typeOnly: false })
      }
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      const s = literal(node.argument.literal)
      if (s !== null) out.push({ specifier: s, node, typeOnly: true })
    }
    ts.forEachChild(node, visit)
  }
  visit(sf)
  return out
}

const FORBIDDEN_PACKAGES = ['electron', 'react', 'react-dom', 'react-i18next']
const FORBIDDEN_DIRS = ['main', 'renderer', 'preload'].map((d) => join(SRC, d))

function forbidden(fromFile: string, specifier: string): boolean {
  const bare = specifier.startsWith('.') || specifier.startsWith('/') ? null : specifier
  if (bare !== null) return FORBIDDEN_PACKAGES.some((p) => bare === p || bare.startsWith(`${p}/`))
  const target = resolve(dirname(fromFile), specifier)
  return FORBIDDEN_DIRS.some((d) => target === d || target.startsWith(d + sep))
}

/** Offending imports as `file:line specifier`. */
function forbiddenImports(sources: SourceText[]): string[] {
  const out: string[] = []
  for (const source of sources) {
    const sf = parse(source)
    for (const ref of importsOf(sf)) {
      if (forbidden(source.path, ref.specifier)) out.push(`${where(sf, ref.node)} ${ref.specifier}`)
    }
  }
  return out
}

describe('layering: src/core and src/shared stay free of Electron, React and the UI layers', () => {
  const sources = read([...filesUnder(join(SRC, 'core'), ['.ts', '.tsx']), ...filesUnder(join(SRC, 'shared'), ['.ts', '.tsx'])])

  it('the scan sees the real files and their imports', () => {
    expect(sources.length).toBeGreaterThanOrEqual(15)
    const workspace = sources.find((s) => s.path === join(SRC, 'core', 'db', 'workspace.ts'))
    expect(workspace).toBeDefined()
    const specifiers = importsOf(parse(workspace!)).map((r) => r.specifier)
    expect(specifiers).toContain('better-sqlite3')
    expect(specifiers).toContain('../../shared/errors.ts')
  })

  it('no file imports electron, react, react-dom or anything under src/main, src/renderer, src/preload', () => {
    expect(forbiddenImports(sources)).toEqual([])
  })

  it('the checker flags every kind of forbidden import (self-test)', () => {
    const fake: SourceText = {
      path: join(SRC, 'core', 'fake.ts'),
      text: [
        `import { app } from 'electron'`,
        `import type { FC } from 'react'`,
        `import { z } from 'zod'`,
        `import { AppError } from '../shared/errors.ts'`,
        `import './helpers/electron-free.ts'`,
        `export * from '../renderer/src/App.tsx'`,
        `export { bridge } from '../preload/index.ts'`,
        `import fs = require('../main/fs.ts')`,
        `const client = await import('react-dom/client')`,
        `const shell = require('electron/main')`,
        `type Win = import('../main/window.ts').Win`,
        `const ok = await import('node:fs')`,
        `const i18n = await import('react-i18next')`
      ].join('\n')
    }
    expect(forbiddenImports([fake])).toEqual([
      'src/core/fake.ts:1 electron',
      'src/core/fake.ts:2 react',
      'src/core/fake.ts:6 ../renderer/src/App.tsx',
      'src/core/fake.ts:7 ../preload/index.ts',
      'src/core/fake.ts:8 ../main/fs.ts',
      'src/core/fake.ts:9 react-dom/client',
      'src/core/fake.ts:10 electron/main',
      'src/core/fake.ts:11 ../main/window.ts',
      'src/core/fake.ts:13 react-i18next'
    ])
  })
})

// ---------------------------------------------------------------------------------------------------
// The UI: every visible text comes from the translations, none is written into a component.

const TEXT_ATTRIBUTES = new Set(['title', 'aria-label', 'alt', 'placeholder', 'label'])
const HAS_LETTER = /\p{L}/u

/** The literal text parts of an attribute value, without descending into calls such as t('key'). */
function literalTexts(expr: ts.Expression): string[] {
  if (ts.isStringLiteral(expr) || ts.isNoSubstitutionTemplateLiteral(expr)) return [expr.text]
  if (ts.isTemplateExpression(expr)) return [expr.head.text, ...expr.templateSpans.map((s) => s.literal.text)]
  if (ts.isParenthesizedExpression(expr) || ts.isAsExpression(expr) || ts.isSatisfiesExpression(expr))
    return literalTexts(expr.expression)
  if (ts.isConditionalExpression(expr)) return [...literalTexts(expr.whenTrue), ...literalTexts(expr.whenFalse)]
  if (ts.isBinaryExpression(expr)) return [...literalTexts(expr.left), ...literalTexts(expr.right)]
  return []
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim()

/** Texts with letters written directly into JSX, as `file:line text`. */
function literalJsxTexts(sources: SourceText[]): string[] {
  const out: string[] = []
  for (const source of sources) {
    const sf = parse(source)
    const visit = (node: ts.Node) => {
      if (ts.isJsxText(node)) {
        if (HAS_LETTER.test(node.text)) out.push(`${where(sf, node)} ${oneLine(node.text)}`)
      } else if (ts.isJsxExpression(node) && node.expression && (ts.isJsxElement(node.parent) || ts.isJsxFragment(node.parent))) {
        // {'Save'} as a child is the same as writing Save.
        for (const t of literalTexts(node.expression)) if (HAS_LETTER.test(t)) out.push(`${where(sf, node)} ${oneLine(t)}`)
      } else if (ts.isJsxAttribute(node)) {
        const name = node.name.getText(sf)
        const init = node.initializer
        if (TEXT_ATTRIBUTES.has(name) && init) {
          const texts = ts.isStringLiteral(init)
            ? [init.text]
            : ts.isJsxExpression(init) && init.expression
              ? literalTexts(init.expression)
              : []
          for (const t of texts) if (HAS_LETTER.test(t)) out.push(`${where(sf, node)} ${name}=${oneLine(t)}`)
        }
      }
      ts.forEachChild(node, visit)
    }
    visit(sf)
  }
  return out
}

describe('no literal strings in components', () => {
  const rendererDir = join(SRC, 'renderer')

  it('finds the renderer folder and has nothing to report in its .tsx files', () => {
    expect(existsSync(rendererDir)).toBe(true)
    expect(statSync(rendererDir).isDirectory()).toBe(true)
    const files = filesUnder(rendererDir, ['.tsx'])
    for (const f of files) expect(f.startsWith(rendererDir + sep)).toBe(true)
    expect(literalJsxTexts(read(files))).toEqual([])
  })

  it('the checker flags literals and lets translations and symbols through (self-test)', () => {
    const snippet: SourceText = {
      path: join(SRC, 'renderer', 'src', 'Snippet.tsx'),
      text: [
        `export function Snippet({ t, count, open }: { t: (k: string) => string; count: number; open: boolean }) {`,
        `  return (`,
        `    <form className="settings wide" aria-describedby="hint-1">`,
        `      <h1>{t('settings.title')}</h1>`,
        `      <button type="submit" title="Save now">Speichern</button>`,
        `      <input placeholder={t('settings.name')} aria-label={'Name'} />`,
        `      <img alt="" src="logo.png" />`,
        `      <span>{count} · 42 % — ({count})</span>`,
        `      <Field label={open ? t('a') : 'Cerrar'} />`,
        `      <p>{'Literal child'}</p>`,
        `      <abbr title={\`IBAN \${count}\`}>{t('settings.iban')}</abbr>`,
        `      <>Ñandú</>`,
        `    </form>`,
        `  )`,
        `}`
      ].join('\n')
    }
    expect(literalJsxTexts([snippet])).toEqual([
      'src/renderer/src/Snippet.tsx:5 title=Save now',
      'src/renderer/src/Snippet.tsx:5 Speichern',
      'src/renderer/src/Snippet.tsx:6 aria-label=Name',
      'src/renderer/src/Snippet.tsx:9 label=Cerrar',
      'src/renderer/src/Snippet.tsx:10 Literal child',
      'src/renderer/src/Snippet.tsx:11 title=IBAN',
      'src/renderer/src/Snippet.tsx:12 Ñandú'
    ])
  })
})

// ---------------------------------------------------------------------------------------------------
// One write path: no SQL that writes outside src/core/db.

/** A table name as SQL writes it: plain, quoted, bracketed, with a schema (`main.t`, `"my table"`). */
const NAME = String.raw`(?:(?:"[^"]+"|\[[^\]]+\]|\w+)\.)?(?:"[^"]+"|\[[^\]]+\]|\w+)`
const SQL_WRITE = new RegExp(
  [
    String.raw`\binsert\s+(?:or\s+\w+\s+)?into\b`,
    String.raw`\breplace\s+into\b`,
    // UPDATE [OR …] name [AS alias] [INDEXED BY i | NOT INDEXED] SET
    String.raw`\bupdate\s+(?:or\s+\w+\s+)?${NAME}(?:\s+as\s+\w+)?(?:\s+indexed\s+by\s+\w+|\s+not\s+indexed)?\s+set\b`,
    String.raw`\bdelete\s+from\b`,
    String.raw`\bcreate\s+(?:temp\s+|temporary\s+|unique\s+|virtual\s+)?(?:table|trigger|index|view)\b`,
    String.raw`\bdrop\s+(?:table|trigger|index|view)\b`,
    String.raw`\balter\s+table\b`
  ].join('|'),
  'i'
)

/**
 * The text of an expression built from literals, as SQL would see it: string and template literals
 * (each `${…}` standing for one identifier), and `+` joins of them. Null for anything else.
 */
function staticText(expr: ts.Expression): string | null {
  if (ts.isStringLiteral(expr) || ts.isNoSubstitutionTemplateLiteral(expr)) return expr.text
  if (ts.isTemplateExpression(expr)) return expr.head.text + expr.templateSpans.map((s) => `x${s.literal.text}`).join('')
  if (ts.isParenthesizedExpression(expr) || ts.isAsExpression(expr)) return staticText(expr.expression)
  if (ts.isBinaryExpression(expr) && expr.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const l = staticText(expr.left)
    const r = staticText(expr.right)
    return l === null && r === null ? null : (l ?? 'x') + (r ?? 'x')
  }
  return null
}

/** Literal texts that write SQL, as `file:line text`. A join is judged as a whole, not part by part. */
function sqlWrites(sources: SourceText[]): string[] {
  const out: string[] = []
  for (const source of sources) {
    const sf = parse(source)
    const visit = (node: ts.Node): void => {
      if (ts.isBinaryExpression(node) || ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node)) {
        const text = staticText(node as ts.Expression)
        if (text !== null) {
          if (SQL_WRITE.test(text.replace(/\s+/g, ' '))) out.push(`${where(sf, node)} ${oneLine(text).slice(0, 60)}`)
          return
        }
      }
      ts.forEachChild(node, visit)
    }
    visit(sf)
  }
  return out
}

describe('one write path: SQL writes only in the writer, the change log, the workspace file and its migrations', () => {
  const DB = join(SRC, 'core', 'db')
  /** The only places allowed to write SQL; the rest of src/core/db (numbering, the clock, …) writes through the writer. */
  const WRITERS = ['writer.ts', 'changelog.ts', 'workspace.ts', 'schema.ts'].map((f) => join(DB, f))
  const MIGRATIONS_DIR = join(DB, 'migrations')
  // Translations are texts for people, not code.
  const I18N = join(SRC, 'shared', 'i18n')
  const sources = read(
    filesUnder(SRC, ['.ts', '.tsx']).filter((f) => !WRITERS.includes(f) && !f.startsWith(MIGRATIONS_DIR + sep) && !f.startsWith(I18N + sep))
  )

  it('no other file writes SQL (INSERT, UPDATE, DELETE, REPLACE, DDL)', () => {
    expect(sources.length).toBeGreaterThanOrEqual(60)
    expect(sources.some((x) => x.path === join(DB, 'numbering.ts'))).toBe(true)
    expect(sqlWrites(sources)).toEqual([])
  })

  it('no other file runs db.exec (several statements at once, used for schema changes only)', () => {
    const calls: string[] = []
    for (const source of sources) {
      const sf = parse(source)
      const visit = (node: ts.Node): void => {
        // A database's exec (db.exec, ws.db.exec, this.db.exec), not a RegExp's.
        if (
          ts.isCallExpression(node) &&
          ts.isPropertyAccessExpression(node.expression) &&
          node.expression.name.text === 'exec' &&
          /(^|\.)db$/.test(node.expression.expression.getText(sf))
        )
          calls.push(where(sf, node))
        ts.forEachChild(node, visit)
      }
      visit(sf)
    }
    expect(calls).toEqual([])
  })

  it('the writer itself is where the writes are (the scan sees them there)', () => {
    const writer = read([join(DB, 'writer.ts'), join(DB, 'changelog.ts')])
    expect(sqlWrites(writer).length).toBeGreaterThanOrEqual(5)
  })

  it('the checker finds every spelling (self-test)', () => {
    const fake: SourceText = {
      path: join(SRC, 'core', 'orders', 'fake.ts'),
      text: [
        `db.prepare('INSERT INTO order_line (id) VALUES (?)').run(id)`,
        `db.prepare("insert or ignore into currency (code) values ('EUR')")`,
        'db.prepare(`UPDATE ${table} SET archived_at = ? WHERE id = ?`)',
        `db.prepare('update\\n  round\\n  set status = ?')`,
        `db.exec('DELETE ' + 'FROM contact WHERE id = 1')`,
        `const sql = "replace into x values (1)"`,
        `db.exec(\`CREATE TRIGGER t AFTER INSERT ON x BEGIN SELECT 1; END\`)`,
        `db.prepare('UPDATE "buyer" SET name = ?')`,
        `db.prepare('UPDATE main.buyer AS b INDEXED BY buyer_name SET name = ?')`,
        `db.prepare('update "my table" not indexed set x = 1')`,
        `db.exec('CREATE UNIQUE INDEX x ON t (a)')`,
        `db.exec('create virtual table f using fts5(a)')`,
        `db.prepare('SELECT id FROM buyer WHERE deleted_at IS NULL')`,
        `const label = 'Update the prices, then set the status'`,
        `const hint = 'Deleted from the list'`,
        `ws.write.update('buyer', id, { name })`
      ].join('\n')
    }
    expect(sqlWrites([fake]).map((x) => x.split(' ')[0])).toEqual([
      'src/core/orders/fake.ts:1',
      'src/core/orders/fake.ts:2',
      'src/core/orders/fake.ts:3',
      'src/core/orders/fake.ts:4',
      'src/core/orders/fake.ts:5',
      'src/core/orders/fake.ts:6',
      'src/core/orders/fake.ts:7',
      'src/core/orders/fake.ts:8',
      'src/core/orders/fake.ts:9',
      'src/core/orders/fake.ts:10',
      'src/core/orders/fake.ts:11',
      'src/core/orders/fake.ts:12'
    ])
  })
})

// ---------------------------------------------------------------------------------------------------
// The import graph: no circles, and the layer rules.

const EXTENSIONS = ['.ts', '.tsx']

/** The project file a relative specifier names, or null for packages (and for paths that are not files). */
function target(fromFile: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null
  const resolved = resolve(dirname(fromFile), specifier)
  if (EXTENSIONS.includes(extname(resolved))) return resolved
  return null
}

interface Edge {
  from: string
  to: string
  typeOnly: boolean
  at: string
}

function edges(sources: SourceText[]): Edge[] {
  const out: Edge[] = []
  for (const source of sources) {
    const sf = parse(source)
    for (const ref of importsOf(sf)) {
      const to = target(source.path, ref.specifier)
      if (to) out.push({ from: source.path, to, typeOnly: ref.typeOnly, at: where(sf, ref.node) })
    }
  }
  return out
}

/** Every import circle (strongly connected group of files, or a file importing itself), as sorted relative paths. */
function cycles(graph: Edge[]): string[][] {
  const next = new Map<string, string[]>()
  for (const e of graph) next.set(e.from, [...(next.get(e.from) ?? []), e.to])
  // Tarjan's algorithm.
  let index = 0
  const idx = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const found: string[][] = []
  const nodes = [...new Set(graph.flatMap((e) => [e.from, e.to]))].sort()
  const strong = (v: string): void => {
    idx.set(v, index)
    low.set(v, index++)
    stack.push(v)
    onStack.add(v)
    for (const w of next.get(v) ?? []) {
      if (!idx.has(w)) {
        strong(w)
        low.set(v, Math.min(low.get(v)!, low.get(w)!))
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!))
    }
    if (low.get(v) === idx.get(v)) {
      const group: string[] = []
      let w: string
      do {
        w = stack.pop()!
        onStack.delete(w)
        group.push(w)
      } while (w !== v)
      if (group.length > 1 || (next.get(v) ?? []).includes(v)) found.push(group.map((f) => relative(ROOT, f).split(sep).join('/')).sort())
    }
  }
  for (const v of nodes) if (!idx.has(v)) strong(v)
  return found
}

const within = (file: string, dir: string) => file === dir || file.startsWith(dir + sep)

describe('the import graph of src/', () => {
  const graph = edges(read(filesUnder(SRC, ['.ts', '.tsx'])))
  const rel = (f: string) => relative(ROOT, f).split(sep).join('/')

  it('sees the real imports', () => {
    expect(graph.length).toBeGreaterThan(300)
    expect(graph.some((e) => rel(e.from) === 'src/core/api/map.ts' && rel(e.to) === 'src/core/orders/methods.ts')).toBe(true)
  })

  it('every relative import names an existing .ts/.tsx file (or an asset), so none can hide from this graph', () => {
    const ASSETS = ['.css', '.json', '.svg', '.png']
    const bad: string[] = []
    for (const source of read(filesUnder(SRC, ['.ts', '.tsx']))) {
      const sf = parse(source)
      for (const ref of importsOf(sf)) {
        if (!ref.specifier.startsWith('.')) continue
        const resolved = resolve(dirname(source.path), ref.specifier)
        const known = EXTENSIONS.includes(extname(resolved)) || ASSETS.includes(extname(resolved))
        if (!known || !existsSync(resolved)) bad.push(`${where(sf, ref.node)} ${ref.specifier}`)
      }
    }
    expect(bad).toEqual([])
  })

  it('has no import circles (type-only imports included)', () => {
    expect(cycles(graph)).toEqual([])
  })

  it('the cycle finder finds circles (self-test)', () => {
    const f = (n: string) => join(SRC, 'core', `${n}.ts`)
    const fake: Edge[] = [
      { from: f('a'), to: f('b'), typeOnly: false, at: '' },
      { from: f('b'), to: f('c'), typeOnly: true, at: '' },
      { from: f('c'), to: f('a'), typeOnly: false, at: '' },
      { from: f('c'), to: f('d'), typeOnly: false, at: '' },
      { from: f('e'), to: f('e'), typeOnly: false, at: '' }
    ]
    expect(cycles(fake).sort()).toEqual([['src/core/a.ts', 'src/core/b.ts', 'src/core/c.ts'], ['src/core/e.ts']])
  })

  it('src/renderer imports no core, main, host or preload code; core types come through src/shared', () => {
    const bad = graph.filter((e) => within(e.from, join(SRC, 'renderer')) && ['core', 'main', 'host', 'preload'].some((d) => within(e.to, join(SRC, d))))
    expect(bad.map((e) => `${e.at} ${rel(e.to)}`)).toEqual([])
    // The renderer does use the core's types, through src/shared/api.ts.
    expect(graph.some((e) => within(e.from, join(SRC, 'renderer')) && rel(e.to) === 'src/shared/api.ts')).toBe(true)
  })

  it('src/shared imports core only as types, and nothing of the UI or the shells', () => {
    const fromShared = graph.filter((e) => within(e.from, join(SRC, 'shared')))
    expect(fromShared.filter((e) => within(e.to, join(SRC, 'core')) && !e.typeOnly).map((e) => e.at)).toEqual([])
    expect(fromShared.filter((e) => ['renderer', 'main', 'host', 'preload'].some((d) => within(e.to, join(SRC, d)))).map((e) => e.at)).toEqual([])
  })

  it('src/core/db (migrations included) imports only db, common and shared: never a feature', () => {
    const DB = join(SRC, 'core', 'db')
    const allowed = [DB, join(SRC, 'core', 'common'), join(SRC, 'shared')]
    const bad = graph.filter((e) => within(e.from, DB) && !allowed.some((d) => within(e.to, d)))
    expect(bad.map((e) => `${e.at} ${rel(e.to)}`)).toEqual([])
  })

  it('documents and spreadsheets render data they are given: they import no API, app or database code', () => {
    const renderers = [join(SRC, 'core', 'documents'), join(SRC, 'core', 'spreadsheets')]
    const banned = ['api', 'app', 'db'].map((d) => join(SRC, 'core', d))
    const bad = graph.filter((e) => renderers.some((r) => within(e.from, r)) && banned.some((b) => within(e.to, b)) && !e.typeOnly)
    expect(bad.map((e) => `${e.at} ${rel(e.to)}`)).toEqual([])
  })

  it('src/core/api holds only define, dispatch and map; each feature brings its own methods', () => {
    expect(readdirSync(join(SRC, 'core', 'api')).sort()).toEqual(['define.ts', 'dispatch.ts', 'map.ts'])
    const spread = graph.filter((e) => rel(e.from) === 'src/core/api/map.ts').map((e) => rel(e.to))
    for (const f of spread) expect(f).toMatch(/^src\/core\/[a-z]+\/methods\.ts$|^src\/core\/api\/define\.ts$/)
    for (const feature of ['app', 'settings', 'catalogue', 'buyers', 'reference', 'rounds', 'orders', 'consolidation', 'purchasing'])
      expect(spread).toContain(`src/core/${feature}/methods.ts`)
  })
})

// ---------------------------------------------------------------------------------------------------
// The map for newcomers: src/README.md names every folder.

describe('src/README.md', () => {
  const readme = readFileSync(join(SRC, 'README.md'), 'utf8')
  const folders = (dir: string) =>
    readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)

  it('describes every folder of src/, of the core and of the renderer', () => {
    const expected = [
      ...folders(SRC).map((d) => `${d}/`),
      ...folders(join(SRC, 'core')).map((d) => `core/${d}/`),
      ...folders(join(SRC, 'renderer', 'src')).map((d) => `renderer/src/${d}/`),
      ...folders(join(SRC, 'renderer', 'src', 'features')).map((d) => `features/${d}/`)
    ]
    expect(expected.length).toBeGreaterThan(25)
    expect(expected.filter((f) => !readme.includes(`\`${f}\``))).toEqual([])
  })

  it('names no folder that is not there', () => {
    const named = [...readme.matchAll(/`((?:core|renderer\/src|features)\/[a-z-]+)\/`/g)].map((m) => m[1]!)
    const missing = named.filter((n) => {
      const path = n.startsWith('features/') ? join(SRC, 'renderer', 'src', n) : join(SRC, n)
      return !existsSync(path)
    })
    expect(named.length).toBeGreaterThan(20)
    expect(missing).toEqual([])
  })
})
