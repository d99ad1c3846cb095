/** A file the core made, for the UI to save or download. */
export interface FileResult {
  fileName: string
  mime: string
  dataBase64: string
}

export const MIME = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
  csv: 'text/csv;charset=utf-8',
  xml: 'application/xml',
  zip: 'application/zip'
} as const

export function fileResult(fileName: string, format: keyof typeof MIME, bytes: Buffer): FileResult {
  return { fileName, mime: MIME[format], dataBase64: bytes.toString('base64') }
}
