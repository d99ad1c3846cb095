import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import react from '@vitejs/plugin-react'
import type { Plugin } from 'vite'
import { CONTENT_SECURITY_POLICY_META } from './src/shared/csp.ts'

/** Puts the strict CSP into the built page (the dev server needs inline scripts for hot reload). */
function cspMeta(): Plugin {
  return {
    name: 'puente-csp-meta',
    apply: 'build',
    transformIndexHtml(html) {
      return html.replace(
        '<meta charset="UTF-8" />',
        `<meta charset="UTF-8" />\n    <meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY_META}" />`
      )
    }
  }
}

/**
 * Preloads the chunks of the three UI languages: the app imports only the one it shows (see
 * src/renderer/src/i18n.ts), and with the preload that import waits for no fetch.
 */
function preloadLanguages(): Plugin {
  return {
    name: 'puente-preload-languages',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        const chunks = Object.values(ctx.bundle ?? {}).filter(
          (c) => c.type === 'chunk' && /shared[\\/]i18n[\\/](de|es|en)\.ts$/.test(c.facadeModuleId ?? '')
        )
        if (chunks.length !== 3) throw new Error(`expected one chunk per UI language, found ${chunks.length}`)
        return chunks.map((c) => ({ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `./${c.fileName}` }, injectTo: 'head' as const }))
      }
    }
  }
}

export default defineConfig({
  main: {
    build: {
      // The job worker (src/core/app/jobs.ts) is its own entry: out/main/jobWorker.js, beside index.js.
      rollupOptions: { input: { index: resolve('src/main/index.ts'), jobWorker: resolve('src/core/app/jobWorker.ts') } }
    }
  },
  preload: {
    build: {
      rollupOptions: {
        input: { index: resolve('src/preload/index.ts') },
        // Sandboxed windows only run CommonJS preloads.
        output: { format: 'cjs', entryFileNames: '[name].cjs' }
      }
    }
  },
  renderer: {
    root: resolve('src/renderer'),
    plugins: [react(), cspMeta(), preloadLanguages()],
    build: {
      minify: true,
      rollupOptions: { input: { index: resolve('src/renderer/index.html') } }
    }
  }
})
