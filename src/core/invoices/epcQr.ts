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

/**
 * The symbol's modules; AppError `payment.qr_version` when the payload needs a version above 13. The
 * symbol is the `qrcode` package's, mask included: the package picks the mask by trying all eight on its
 * matrix of modules (ISO/IEC 18004 § 7.8.3), which took most of the time an invoice's code takes; the
 * same choice is made here on plain arrays (`bestMasked`) from the symbol the package made with the first
 * mask (test/core/payment-codes.test.ts compares the result with the package's own for many payloads).
 */
export function epcQrMatrix(payload: string): EpcQrMatrix {
  let qr: QrSymbol
  try {
    qr = QRCode.create(segments(payload), { errorCorrectionLevel: 'M', maskPattern: 0 })
  } catch {
    // Beyond version 40 the library refuses; that is far past the EPC limit too.
    throw new AppError('payment.qr_version', { max: EPC_QR_MAX_VERSION })
  }
  if (qr.version > EPC_QR_MAX_VERSION) throw new AppError('payment.qr_version', { max: EPC_QR_MAX_VERSION })
  const size = qr.modules.size
  const modules = bestMasked(qr.modules)
  return { version: qr.version, size, dark: (row, col) => modules[row * size + col] !== 0 }
}

/** Whether mask pattern `p` inverts the module at row i, column j (ISO/IEC 18004 table 10). */
function maskAt(p: number, i: number, j: number): boolean {
  switch (p) {
    case 0:
      return (i + j) % 2 === 0
    case 1:
      return i % 2 === 0
    case 2:
      return j % 3 === 0
    case 3:
      return (i + j) % 3 === 0
    case 4:
      return (Math.floor(i / 2) + Math.floor(j / 3)) % 2 === 0
    case 5:
      return ((i * j) % 2) + ((i * j) % 3) === 0
    case 6:
      return (((i * j) % 2) + ((i * j) % 3)) % 2 === 0
    default:
      return (((i * j) % 3) + ((i + j) % 2)) % 2 === 0
  }
}

/** Per symbol size: the data modules (those a mask inverts) and, per mask, which of them it inverts. */
const maskTables = new Map<number, { cells: Uint32Array; masks: Uint8Array[] }>()

function maskTable(size: number, reserved: Uint8Array): { cells: Uint32Array; masks: Uint8Array[] } {
  let t = maskTables.get(size)
  if (!t) {
    const cells: number[] = []
    for (let i = 0; i < size * size; i++) if (!reserved[i]) cells.push(i)
    const masks = Array.from({ length: 8 }, (_, p) => Uint8Array.from(cells, (c) => (maskAt(p, Math.floor(c / size), c % size) ? 1 : 0)))
    maskTables.set(size, (t = { cells: Uint32Array.from(cells), masks }))
  }
  return t
}

/** The 15 format bits of error correction level M (its indicator is 00) and mask `p`: BCH(15,5), XOR 101010000010010. */
function formatBits(p: number): number {
  let d = p << 10
  for (let b = 14; b >= 10; b--) if (d & (1 << b)) d ^= 0b10100110111 << (b - 10)
  return ((p << 10) | d) ^ 0b101010000010010
}

/** Puts the format bits where the `qrcode` package puts them (beside the finder patterns), and the dark module. */
function placeFormat(m: Uint8Array, size: number, bits: number): void {
  for (let i = 0; i < 15; i++) {
    const mod = (bits >> i) & 1
    const row = i < 6 ? i : i < 8 ? i + 1 : size - 15 + i
    m[row * size + 8] = mod
    const col = i < 8 ? size - i - 1 : i < 9 ? 15 - i : 15 - i - 1
    m[8 * size + col] = mod
  }
  m[(size - 8) * size + 8] = 1
}

/** The penalty of a masked symbol (ISO/IEC 18004 § 7.8.3.1), counted as the `qrcode` package counts it. */
function penalty(m: Uint8Array, size: number): number {
  let n1 = 0
  let n2 = 0
  let n3 = 0
  let dark = 0
  for (let a = 0; a < size; a++) {
    let runRow = 0
    let runCol = 0
    let lastRow = -1
    let lastCol = -1
    let bitsRow = 0
    let bitsCol = 0
    for (let b = 0; b < size; b++) {
      // Along row a, and down column a.
      const h = m[a * size + b]!
      const v = m[b * size + a]!
      dark += h
      if (h === lastRow) runRow++
      else {
        if (runRow >= 5) n1 += 3 + runRow - 5
        lastRow = h
        runRow = 1
      }
      if (v === lastCol) runCol++
      else {
        if (runCol >= 5) n1 += 3 + runCol - 5
        lastCol = v
        runCol = 1
      }
      bitsRow = ((bitsRow << 1) & 0x7ff) | h
      bitsCol = ((bitsCol << 1) & 0x7ff) | v
      if (b >= 10) {
        if (bitsRow === 0x5d0 || bitsRow === 0x05d) n3++
        if (bitsCol === 0x5d0 || bitsCol === 0x05d) n3++
      }
      if (a < size - 1 && b < size - 1) {
        const s = h + m[a * size + b + 1]! + m[(a + 1) * size + b]! + m[(a + 1) * size + b + 1]!
        if (s === 4 || s === 0) n2++
      }
    }
    if (runRow >= 5) n1 += 3 + runRow - 5
    if (runCol >= 5) n1 += 3 + runCol - 5
  }
  const k = Math.abs(Math.ceil((dark * 100) / (size * size) / 5) - 10)
  return n1 + n2 * 3 + n3 * 40 + k * 10
}

/**
 * The symbol's modules with the mask the `qrcode` package would choose, from the symbol it made with
 * mask 0: the data modules (the others, finder and timing patterns, format and version bits, are never
 * masked) unmasked, then each of the eight masks tried with its own format bits, as the package tries
 * them; the lowest penalty wins, the first of equal ones.
 */
function bestMasked(modules: QrSymbol['modules']): Uint8Array {
  const { size, data, reservedBit } = modules
  const { cells, masks } = maskTable(size, reservedBit)
  const plain = Uint8Array.from(data)
  const zero = masks[0]!
  for (let k = 0; k < cells.length; k++) plain[cells[k]!]! ^= zero[k]!
  let best = new Uint8Array(0)
  let lowest = Infinity
  for (let p = 0; p < 8; p++) {
    const m = Uint8Array.from(plain)
    const mask = masks[p]!
    for (let k = 0; k < cells.length; k++) m[cells[k]!]! ^= mask[k]!
    placeFormat(m, size, formatBits(p))
    const score = penalty(m, size)
    if (score < lowest) {
      lowest = score
      best = m
    }
  }
  return best
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
