/**
 * Electron's main process: see app.ts for the lifecycle. Everything is in small modules that tests
 * import with `electron` mocked; this file only starts it.
 */
import { main } from './app.ts'

main()
