import QRCode, { type QRCode as QrSymbol, type QRCodeSegment } from 'qrcode'
import { AppError } from '../../shared/errors.ts'

/**
 * The EPC QR symbol (EPC069-12): the payload as one byte-mode segment of UTF-8, error correction
 * level M, QR version at most 13, a quiet zone of 4 modules. Encoding is the `qrcode` package's
 * (ISO/IEC 18004); this file only fixes the parameters the EPC guideline demands.
 */

export const EPC_QR_MAX_VERSION = 13
export const EPC_QR_QUIET_ZONE = 4

export interface EpcQrMatrix {
  version: number
  /** Modules per side, without the quiet zone. */
  size: number
  /** Whether the module at row, column is dark. */
  dark(row: number, col: number): boolean
}

function segments(payload: string): QRCodeSegment[] {
  return [{ mode: 'byte', data: Buffer.from(payload, 'utf8') }]
}

/** The symbol's modules; AppError `payment.qr_version` when the payload needs a version above 13. */
export function epcQrMatrix(payload: string): EpcQrMatrix {
  let qr: QrSymbol
  try {
    qr = QRCode.create(segments(payload), { errorCorrectionLevel: 'M' })
  } catch {
    // Beyond version 40 the library refuses; that is far past the EPC limit too.
    throw new AppError('payment.qr_version', { max: EPC_QR_MAX_VERSION })
  }
  if (qr.version > EPC_QR_MAX_VERSION) throw new AppError('payment.qr_version', { max: EPC_QR_MAX_VERSION })
  const { modules } = qr
  return { version: qr.version, size: modules.size, dark: (row, col) => modules.get(row, col) !== 0 }
}

export interface EpcQrPngOptions {
  /** Pixels per module (default 8). */
  scale?: number
}

/** The symbol as a PNG (black on white, quiet zone included), e.g. for `doc.image` in pdfkit. */
export async function epcQrPng(payload: string, options: EpcQrPngOptions = {}): Promise<Buffer> {
  const { version } = epcQrMatrix(payload)
  return QRCode.toBuffer(segments(payload), {
    type: 'png',
    errorCorrectionLevel: 'M',
    version,
    margin: EPC_QR_QUIET_ZONE,
    scale: options.scale ?? 8,
    color: { dark: '#000000ff', light: '#ffffffff' }
  })
}
