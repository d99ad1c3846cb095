import { EventEmitter } from 'node:events'
import { describe, expect, it, vi } from 'vitest'
import { IPC_EVENT, IPC_INVOKE } from '../../src/shared/api.ts'

const fakes = vi.hoisted(() => {
  const exposed: { key: string; api: unknown }[] = []
  return { exposed }
})

vi.mock('electron', async () => {
  const { EventEmitter: Emitter } = await import('node:events')
  class FakeIpcRenderer extends Emitter {
    invoke = vi.fn(async (channel: string, method: unknown, input: unknown) => ({ ok: true, result: { channel, method, input } }))
  }
  return {
    contextBridge: {
      exposeInMainWorld: vi.fn((key: string, api: unknown) => {
        fakes.exposed.push({ key, api })
      })
    },
    ipcRenderer: new FakeIpcRenderer()
  }
})

const electron = (await import('electron')) as unknown as {
  ipcRenderer: EventEmitter & { invoke: ReturnType<typeof vi.fn> }
}
await import('../../src/preload/index.ts')

interface Exposed {
  invoke(method: string, input: unknown): Promise<unknown>
  onEvent(listener: (...args: unknown[]) => void): () => void
}
function bridge(): Exposed {
  expect(fakes.exposed).toHaveLength(1)
  return fakes.exposed[0]?.api as Exposed
}

describe('preload bridge', () => {
  it('exposes exactly invoke and onEvent as window.puente', () => {
    expect(fakes.exposed.map((e) => e.key)).toEqual(['puente'])
    const api = bridge()
    expect(Object.keys(api).sort()).toEqual(['invoke', 'onEvent'])
    expect(typeof api.invoke).toBe('function')
    expect(typeof api.onEvent).toBe('function')
    expect(Object.values(api).some((v) => v === electron.ipcRenderer)).toBe(false)
  })

  it('invokes over the one channel and returns the answer', async () => {
    const r = await bridge().invoke('app.info', { a: 1 })
    expect(electron.ipcRenderer.invoke).toHaveBeenCalledExactlyOnceWith(IPC_INVOKE, 'app.info', { a: 1 })
    expect(r).toEqual({ ok: true, result: { channel: IPC_INVOKE, method: 'app.info', input: { a: 1 } } })
  })

  it('hands a file’s bytes to the one channel as they are (a Uint8Array, not base64)', async () => {
    const data = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0xff])
    await bridge().invoke('catalogue.importPreview', { fileName: 'lista.xlsx', data })
    const sent = electron.ipcRenderer.invoke.mock.calls.at(-1)?.[2] as { data: unknown }
    expect(sent.data).toBe(data)
  })

  it('passes only the payload to listeners, never the IPC event, and unsubscribes', () => {
    const listener = vi.fn()
    const unsubscribe = bridge().onEvent(listener)
    expect(electron.ipcRenderer.listenerCount(IPC_EVENT)).toBe(1)

    const ipcEvent = { sender: electron.ipcRenderer, senderId: 0, ports: [] }
    electron.ipcRenderer.emit(IPC_EVENT, ipcEvent, { type: 'changed', topics: ['settings'] })
    expect(listener).toHaveBeenCalledOnce()
    expect(listener.mock.calls[0]).toEqual([{ type: 'changed', topics: ['settings'] }])

    electron.ipcRenderer.emit('some-other-channel', ipcEvent, { type: 'changed', topics: [] })
    expect(listener).toHaveBeenCalledOnce()

    unsubscribe()
    expect(electron.ipcRenderer.listenerCount(IPC_EVENT)).toBe(0)
    electron.ipcRenderer.emit(IPC_EVENT, ipcEvent, { type: 'language', language: 'de' })
    expect(listener).toHaveBeenCalledOnce()
    unsubscribe() // a second call is harmless
  })

  it('keeps separate subscriptions apart', () => {
    const a = vi.fn()
    const b = vi.fn()
    const stopA = bridge().onEvent(a)
    const stopB = bridge().onEvent(b)
    stopA()
    electron.ipcRenderer.emit(IPC_EVENT, {}, { type: 'navigate', to: 'diagnostics' })
    expect(a).not.toHaveBeenCalled()
    expect(b).toHaveBeenCalledExactlyOnceWith({ type: 'navigate', to: 'diagnostics' })
    stopB()
  })

  it('refuses a listener that is not a function', () => {
    expect(() => bridge().onEvent('alert(1)' as unknown as () => void)).toThrow(TypeError)
    expect(electron.ipcRenderer.listenerCount(IPC_EVENT)).toBe(0)
  })
})
