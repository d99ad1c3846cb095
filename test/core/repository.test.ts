import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { FIXTURES_DIR, fixturePath } from '../support/fixtures.ts'

/**
 * The repository must stand alone: a fresh clone runs its tests, builds and lints with nothing but
 * `npm install`. So no file may reach outside the repository, e.g. into the project's steering folder
 * next to the clone or into one machine's absolute paths (its work folder).
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

/** Folders scanned whole, and folders never scanned (installed, built or generated files). */
const SCANNED = ['src', 'test', 'scripts', '.ci']
const SKIPPED = new Set(['node_modules', 'out', 'dist', 'test-results', '.vite', '.git'])

interface TextFile {
  /** Absolute path (it need not exist: the self-test uses made-up files). */
  path: string
  text: string
}

/** Every regular file under `dir` (symbolic links are not followed), sorted. */
function filesUnder(dir: string): string[] {
  const out: string[] = []
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      if (SKIPPED.has(entry.name)) continue
      const full = join(d, entry.name)
      if (entry.isDirectory()) walk(full)
      else if (entry.isFile()) out.push(full)
    }
  }
  walk(dir)
  return out.sort()
}

/**
 * The top-level configuration files: every regular file at the root except the Markdown documents and
 * `.git` (in a worktree, git's own pointer to the main repository, not a project file).
 */
function topLevelFiles(): string[] {
  return readdirSync(ROOT, { withFileTypes: true })
    .filter((e) => e.isFile() && e.name !== '.git' && !e.name.endsWith('.md'))
    .map((e) => join(ROOT, e.name))
    .sort()
}

/** The scanned files as text; binary files (with a NUL byte) are left out. */
function repositoryFiles(): TextFile[] {
  const paths = [...topLevelFiles(), ...SCANNED.flatMap((d) => filesUnder(join(ROOT, d)))]
  return paths
    .map((path) => ({ path, text: readFileSync(path, 'utf8') }))
    .filter((f) => !f.text.includes('\0'))
}

const rel = (path: string) => relative(ROOT, path).split(sep).join('/')

/**
 * Relative paths anywhere in a text (imports, `new URL(…, import.meta.url)`, strings, comments,
 * documents): one or more `./` or `../` steps and what follows up to a quote, space or bracket; and a
 * quoted `'..'` on its own. The left boundary keeps `a/../b` and `x../` out.
 */
const RELATIVE = /(?<![\w./\\-])(?:\.\.?\/)+[^\s'"`<>()[\]{},;|*]*|(?<=['"`])\.\.(?=['"`])/g
/** Absolute paths into the machine's work folder, as plain paths or file URLs. */
const ABSOLUTE = /(?<![\w./-])(?:file:\/\/)?\/work\/[^\s'"`<>()[\]{},;|*]*/g

/**
 * Every place in `files` that leads out of the repository at `root`: `file:line: path (why)`. Relative
 * paths are resolved against the folder of the file they are written in, as imports and
 * `new URL(path, import.meta.url)` are; `../../src/shared/x.ts` in `test/core/` stays inside and is fine.
 */
function pathsLeavingRepository(files: readonly TextFile[], root: string = ROOT): string[] {
  const out: string[] = []
  const inside = (p: string) => p === resolve(root) || p.startsWith(resolve(root) + sep)
  for (const { path, text } of files) {
    const name = relative(root, path).split(sep).join('/')
    const lineOf = (index: number) => text.slice(0, index).split('\n').length
    for (const m of text.matchAll(RELATIVE)) {
      const target = resolve(dirname(path), m[0])
      if (!inside(target)) out.push(`${name}:${lineOf(m.index)}: ${m[0]} (resolves to ${target}, outside the repository)`)
    }
    for (const m of text.matchAll(ABSOLUTE)) {
      out.push(`${name}:${lineOf(m.index)}: ${m[0]} (an absolute path on one machine)`)
    }
  }
  return out
}

describe('the repository stands alone', () => {
  const files = repositoryFiles()

  it('the scan sees the real files: sources, tests, scripts and the top-level configuration', () => {
    const names = files.map((f) => rel(f.path))
    for (const expected of [
      'package.json',
      'tsconfig.json',
      'vitest.config.ts',
      'eslint.config.js',
      'electron.vite.config.ts',
      '.ci/run',
      'scripts/start.ts',
      'src/core/db/workspace.ts',
      'src/renderer/src/App.tsx',
      'test/core/catalogue.test.ts',
      'test/fixtures/README.md',
      'test/support/fixtures.ts'
    ])
      expect(names).toContain(expected)
    expect(names).not.toContain('README.md')
    expect(names.some((n) => n.startsWith('node_modules/'))).toBe(false)
    // The renderer's relative imports are seen, resolved, and stay inside.
    const app = files.find((f) => rel(f.path) === 'src/renderer/src/App.tsx')!
    expect([...app.text.matchAll(RELATIVE)].map((m) => m[0])).toContain('./ui/api.ts')
  })

  it('no file reaches outside the repository (the steering folder beside it, absolute work-folder paths)', () => {
    expect(pathsLeavingRepository(files)).toEqual([])
  })

  it('the checker flags paths that leave the repository and passes those that stay inside (self-test)', () => {
    // Put together here so that this file itself holds no such path.
    const up = '..'
    const steering = [up, up, up, 'shared', 'fixtures', 'vectors.json'].join('/')
    const machine = ['', 'work', 'shared', 'fixtures'].join('/')
    const bad: TextFile = {
      path: join(ROOT, 'test', 'core', 'made-up.test.ts'),
      text: [
        `import { x } from '../../src/core/x.ts'`,
        `const v = readFileSync(fileURLToPath(new URL('${steering}', import.meta.url)), 'utf8')`,
        `const dir = '${machine}'`,
        `// see ${[up, up, up, 'shared', 'DOMAIN.md'].join('/')}`,
        `const top = new URL('${up}', import.meta.url)`
      ].join('\n')
    }
    const topLevel: TextFile = { path: join(ROOT, 'made-up.config.ts'), text: `export default { root: '${up}' }` }
    const problems = pathsLeavingRepository([bad, topLevel])
    expect(problems).toHaveLength(4)
    expect(problems[0]).toMatch(/^test\/core\/made-up\.test\.ts:2: \.\.\/\.\.\/\.\.\/shared\/fixtures\/vectors\.json \(resolves to .*, outside the repository\)$/)
    expect(problems[1]).toMatch(/^test\/core\/made-up\.test\.ts:4: \.\.\/\.\.\/\.\.\/shared\/DOMAIN\.md /)
    expect(problems[2]).toBe(`test/core/made-up.test.ts:3: ${machine} (an absolute path on one machine)`)
    expect(problems[3]).toMatch(/^made-up\.config\.ts:1: \.\. \(resolves to/)

    // Deep in src/renderer, four steps up is still src/ and five is the root: both inside.
    const fine: TextFile = {
      path: join(ROOT, 'src', 'renderer', 'src', 'pages', 'rounds', 'Made.tsx'),
      text: [
        `import type { Output } from '${[up, up, up, up, 'shared', 'api.ts'].join('/')}'`,
        `import { useCall } from './useCall.ts'`,
        `const fonts = new URL('${[up, up, up, up, up, 'resources', 'fonts'].join('/')}', import.meta.url)`,
        `const root = new URL('${up}', import.meta.url)`,
        `const entry = 'xl/${up}/xl/worksheets/sheet1.xml'`,
        `const fake = '/opt/puente/out/main'`,
        `const ws = '../../src/core/db/workspace.ts'`
      ].join('\n')
    }
    expect(pathsLeavingRepository([fine])).toEqual([])
  })
})

describe('test/fixtures', () => {
  it('every fixture file is described in its README, and every file the README names is there', () => {
    const readme = readFileSync(fixturePath('README.md'), 'utf8')
    const files = readdirSync(FIXTURES_DIR, { withFileTypes: true })
      .filter((e) => e.name !== 'README.md')
      .map((e) => (e.isDirectory() ? `${e.name}/` : e.name))
      .sort()
    expect(files).toEqual(['en16931-cii.ts', 'iso20022.ts', 'products.csv', 'statements.ts', 'suppliers.csv', 'vectors.json', 'workspace-v4.puente'])
    // Each copy names where it came from (a data file by its own name; a module by the folder it keeps);
    // a file made here says so.
    for (const name of files)
      expect(
        readme.includes(`| \`${name}\` | steering folder, \`fixtures/${name}\` |`) ||
          readme.includes(`| \`${name}\` | steering folder, \`validation/${name.replace(/\.ts$/, '/')}\` |`) ||
          readme.includes(`| \`${name}\` | made here, not copied |`),
        name
      ).toBe(true)
    const named = [...readme.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]).sort()
    expect(named).toEqual(files)
  })

  it('fixturePath refuses a name that leads out of test/fixtures', () => {
    expect(fixturePath('vectors.json')).toBe(join(FIXTURES_DIR, 'vectors.json'))
    expect(() => fixturePath('../core/repository.test.ts')).toThrow(/not inside test\/fixtures/)
  })
})
