/** A file the core made (its FileResult, the answer of the exchange API's export methods). */
export interface DownloadFile {
  fileName: string
  mime: string
  dataBase64: string
}

/** The bytes of base64 text (atob gives one character per byte). */
export function base64ToBytes(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64)
  const bytes = new Uint8Array(text.length)
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i)
  return bytes
}

/**
 * Saves a file the core made through the browser's download: a Blob behind an object URL, clicked as a
 * temporary `<a download>`. Electron shows its save dialog for it; a browser saves it to its downloads.
 * A download is no navigation and no fetch, so the CSP does not stand in the way.
 */
export function downloadFile(file: DownloadFile): void {
  const blob = new Blob([base64ToBytes(file.dataBase64)], { type: file.mime })
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = file.fileName
  link.hidden = true
  document.body.append(link)
  try {
    link.click()
  } finally {
    link.remove()
    // The download has taken the blob once the click returns; revoking a moment later is safe everywhere.
    setTimeout(() => URL.revokeObjectURL(url), 10_000)
  }
}
