import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'

/**
 * The installers are made by electron-builder from `electron-builder.json` (NSIS for Windows, DMG for
 * macOS, AppImage and deb for Linux). Electron's binary cannot be downloaded where the tests run, so the
 * installers are not built here: this test checks the configuration against the part of
 * electron-builder's schema it uses (https://www.electron.build/configuration, the `electronFuses`
 * option: https://www.electron.build/tutorials/adding-electron-fuses and the FuseOptionsV1 interface,
 * https://www.electron.build/docs/api/app-builder-lib.interface.fuseoptionsv1/), and what the fuses
 * promise (Electron's security checklist item 19, https://www.electronjs.org/docs/latest/tutorial/fuses).
 * The schema is strict: a misspelt key fails here instead of being ignored by a build nobody runs.
 */
const root = fileURLToPath(new URL('../..', import.meta.url))
const read = (path: string) => JSON.parse(readFileSync(join(root, path), 'utf8')) as unknown

const archs = z.array(z.enum(['x64', 'arm64', 'ia32', 'armv7l', 'universal'])).min(1)
const target = <T extends string>(name: T) => z.object({ target: z.literal(name), arch: archs }).strict()
const artifactName = z.string().regex(/\$\{version\}/).optional()

/** FuseOptionsV1: the keys electron-builder hands to @electron/fuses. */
const fuses = z
  .object({
    runAsNode: z.boolean(),
    enableCookieEncryption: z.boolean(),
    enableNodeOptionsEnvironmentVariable: z.boolean(),
    enableNodeCliInspectArguments: z.boolean(),
    enableEmbeddedAsarIntegrityValidation: z.boolean(),
    onlyLoadAppFromAsar: z.boolean(),
    loadBrowserProcessSpecificV8Snapshot: z.boolean().optional(),
    grantFileProtocolExtraPrivileges: z.boolean().optional(),
    resetAdHocDarwinSignature: z.boolean().optional()
  })
  .strict()

const configuration = z
  .object({
    appId: z.string().regex(/^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/),
    productName: z.string().min(1),
    copyright: z.string().optional(),
    electronVersion: z.string().regex(/^\d+\.\d+\.\d+$/),
    directories: z.object({ output: z.string(), buildResources: z.string() }).strict(),
    files: z.array(z.string()).min(1),
    extraResources: z.array(z.object({ from: z.string(), to: z.string() }).strict()),
    asar: z.literal(true),
    asarUnpack: z.array(z.string()),
    npmRebuild: z.boolean(),
    electronFuses: fuses,
    win: z.object({ target: z.array(target('nsis')).length(1) }).strict(),
    nsis: z
      .object({ oneClick: z.boolean(), perMachine: z.boolean(), allowToChangeInstallationDirectory: z.boolean(), artifactName })
      .strict(),
    mac: z
      .object({ target: z.array(target('dmg')).length(1), category: z.string().startsWith('public.app-category.'), hardenedRuntime: z.boolean() })
      .strict(),
    dmg: z.object({ artifactName }).strict(),
    linux: z
      .object({
        target: z.tuple([target('AppImage'), target('deb')]),
        category: z.string(),
        maintainer: z.string(),
        synopsis: z.string().max(80)
      })
      .strict(),
    deb: z.object({ priority: z.string() }).strict()
  })
  .strict()

const pkg = read('package.json') as {
  main: string
  productName: string
  devDependencies: Record<string, string>
  dependencies: Record<string, string>
  allowScripts?: Record<string, boolean>
}

describe('packaging (electron-builder)', () => {
  const config = configuration.parse(read('electron-builder.json'))

  it('flips the fuses: no RunAsNode, NODE_OPTIONS or inspect arguments; cookie encryption, ASAR integrity, the app only from ASAR', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      loadBrowserProcessSpecificV8Snapshot: false,
      // The page comes through app:// (src/main/protocol.ts): file: needs no extra privileges.
      grantFileProtocolExtraPrivileges: false
    })
    // The ASAR fuses mean something only with an archive whose integrity hash is embedded.
    expect(config.asar).toBe(true)
  })

  it('makes installers for Windows (NSIS), macOS (DMG) and Linux (AppImage and deb)', () => {
    expect(config.win.target.map((t) => t.target)).toEqual(['nsis'])
    expect(config.mac.target.map((t) => t.target)).toEqual(['dmg'])
    expect(config.linux.target.map((t) => t.target)).toEqual(['AppImage', 'deb'])
    expect(config.productName).toBe(pkg.productName)
  })

  it('packs what the app loads: the built main, preload and renderer in the archive, the demo and fonts beside it', () => {
    expect(config.files).toContain('out/**/*')
    expect(pkg.main).toBe('./out/main/index.js')
    // Electron's process.resourcesPath is the app's resourcesDir when packaged (src/main/paths.ts).
    for (const { from, to } of config.extraResources) {
      expect(existsSync(join(root, from)), from).toBe(true)
      expect(from).toBe(`resources/${to}`)
    }
    expect(config.extraResources.map((r) => r.to).sort()).toEqual(readdirSync(join(root, 'resources')).sort())
    // better-sqlite3's native module cannot be loaded from inside the archive.
    expect(config.asarUnpack).toContain('**/*.node')
    expect(config.npmRebuild).toBe(true)
    expect(Object.keys(pkg.dependencies)).toContain('better-sqlite3')
  })

  it('builds with the pinned Electron: the newest 45.x, exact in package.json and the lock file', () => {
    const pinned = pkg.devDependencies.electron
    expect(pinned).toMatch(/^45\.\d+\.\d+$/)
    expect(config.electronVersion).toBe(pinned)
    const lock = read('package-lock.json') as { packages: Record<string, { version?: string; devDependencies?: Record<string, string> }> }
    expect(lock.packages['node_modules/electron']?.version).toBe(pinned)
    expect(lock.packages['']?.devDependencies?.electron).toBe(pinned)
    // npm ci installs the package without running its install script (which downloads the binary).
    expect(pkg.allowScripts?.electron).not.toBe(true)
  })

  it('runs no code the fuses switch off: no child process forked with ELECTRON_RUN_AS_NODE, no NODE_OPTIONS, no inspector', () => {
    const dirs = ['src/main', 'src/preload', 'src/core', 'src/shared']
    const offending: string[] = []
    const walk = (dir: string) => {
      for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
        const rel = `${dir}/${entry.name}`
        if (entry.isDirectory()) walk(rel)
        else if (/\.tsx?$/.test(entry.name)) {
          const text = readFileSync(join(root, rel), 'utf8')
          if (/ELECTRON_RUN_AS_NODE|NODE_OPTIONS|child_process|--inspect|node:inspector/.test(text)) offending.push(rel)
        }
      }
    }
    for (const dir of dirs) walk(dir)
    expect(offending).toEqual([])
  })
})
