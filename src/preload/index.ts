/**
 * The preload bridge: the page gets `window.puente` with exactly two functions, and nothing of
 * Electron or Node. Bundled to CommonJS (sandboxed preloads cannot load ES modules) that only requires
 * 'electron'.
 */
import { contextBridge, ipcRenderer } from 'electron'
import type { IpcRendererEvent } from 'electron'
import { type Bridge, IPC_EVENT, IPC_INVOKE } from '../shared/api.ts'

const bridge: Bridge = {
  invoke(method, input) {
    return ipcRenderer.invoke(IPC_INVOKE, method, input)
  },
  onEvent(listener) {
    if (typeof listener !== 'function') throw new TypeError('onEvent needs a function')
    // The page gets the payload only, never the IpcRendererEvent (it carries `sender`, an ipcRenderer).
    const relay = (_event: IpcRendererEvent, payload: unknown) => listener(payload)
    ipcRenderer.on(IPC_EVENT, relay)
    let active = true
    return () => {
      if (!active) return
      active = false
      ipcRenderer.removeListener(IPC_EVENT, relay)
    }
  }
}

contextBridge.exposeInMainWorld('puente', bridge)
