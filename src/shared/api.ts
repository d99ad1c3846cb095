import type { Api, MethodName } from '../core/api/map.ts'
import type { ApiResponse } from './errors.ts'

/** The API's types, for the renderer and the bridges; a type-only import, so no core code ships to the UI. */
export type { Api, MethodName }
export type Input<K extends MethodName> = Api[K]['input']
export type Output<K extends MethodName> = Api[K]['output']

/** The channel names the preload bridge and Electron's main process share. */
export const IPC_INVOKE = 'puente:invoke'
export const IPC_EVENT = 'puente:event'

/** What the preload exposes on `window.puente`. */
export interface Bridge {
  invoke(method: string, input: unknown): Promise<ApiResponse<unknown>>
  onEvent(listener: (event: unknown) => void): () => void
}
