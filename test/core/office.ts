import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** Re-saves an XLSX file with LibreOffice (headless), as someone using LibreOffice Calc would. */
export function libreOffice(bytes: Buffer): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'puente-lo-'))
  try {
    mkdirSync(join(dir, 'in'))
    writeFileSync(join(dir, 'in', 'form.xlsx'), bytes)
    execFileSync(
      'soffice',
      [`-env:UserInstallation=file://${join(dir, 'profile')}`, '--headless', '--convert-to', 'xlsx', '--outdir', join(dir, 'out'), join(dir, 'in', 'form.xlsx')],
      { timeout: 120_000, stdio: 'pipe' }
    )
    const saved = join(dir, 'out', 'form.xlsx')
    assert.ok(existsSync(saved), 'LibreOffice wrote the converted workbook')
    return readFileSync(saved)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** Whether LibreOffice is installed (CI installs it, so there the tests that need it always run). */
export function hasSoffice(): boolean {
  try {
    execFileSync('soffice', ['--version'], { stdio: 'pipe', timeout: 60_000 })
    return true
  } catch {
    return false
  }
}
