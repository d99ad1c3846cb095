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
}

/** Static imports and re-exports, `import x = require()`, `import()` (also in types) and `require()`. */
function importsOf(sf: ts.SourceFile): ImportRef[] {
  const out: ImportRef[] = []
  const literal = (n: ts.Node | undefined): string | null =>
    n && (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) ? n.text : null
  const visit = (node: ts.Node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      const s = literal(node.moduleSpecifier)
      if (s !== null) out.push({ specifier: s, node })
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      const s = literal(node.moduleReference.expression)
      if (s !== null) out.push({ specifier: s, node })
    } else if (ts.isCallExpression(node)) {
      const isImport = node.expression.kind === ts.SyntaxKind.ImportKeyword
      const isRequire = ts.isIdentifier(node.expression) && node.expression.text === 'require'
      const isRequireResolve =
        ts.isPropertyAccessExpression(node.expression) &&
        ts.isIdentifier(node.expression.expression) &&
        node.expression.expression.text === 'require'
      if (isImport || isRequire || isRequireResolve) {
        const s = literal(node.arguments[0])
        if (s !== null) out.push({ specifier: s, node })
      }
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      const s = literal(node.argument.literal)
      if (s !== null) out.push({ specifier: s, node })
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
