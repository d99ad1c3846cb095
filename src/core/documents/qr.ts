import { EPC_QR_QUIET_ZONE, epcQrMatrix } from '../invoices/epcQr.ts'

/**
 * Draws the EPC QR code of `payload` as vector squares: a white square of `size` points at x, y (the
 * quiet zone of 4 modules included) with the dark modules filled as one path, so the code stays sharp
 * at any print resolution and costs no image encoding. Throws like `epcQrMatrix` (version above 13).
 */
export function drawEpcQr(doc: PDFKit.PDFDocument, payload: string, x: number, y: number, size: number): void {
  const matrix = epcQrMatrix(payload)
  const modules = matrix.size + 2 * EPC_QR_QUIET_ZONE
  const unit = size / modules
  doc.save()
  doc.rect(x, y, size, size).fill('#ffffff')
  const left = x + EPC_QR_QUIET_ZONE * unit
  const top = y + EPC_QR_QUIET_ZONE * unit
  for (let row = 0; row < matrix.size; row++) {
    let col = 0
    while (col < matrix.size) {
      if (!matrix.dark(row, col)) {
        col++
        continue
      }
      const start = col
      while (col < matrix.size && matrix.dark(row, col)) col++
      doc.rect(left + start * unit, top + row * unit, (col - start) * unit, unit)
    }
  }
  doc.fill('#000000')
  doc.restore()
}
