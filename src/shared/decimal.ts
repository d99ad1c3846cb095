/**
 * Exact decimals as scaled integers, for money and measured quantities: "2,10" with 2 digits is 210.
 * No binary float is ever involved; pure functions, usable by the core and the UI alike.
 */

/**
 * Parses a decimal typed by a person or read from a file ("1234.5", "1.234,50", "1 234,5", "-3") into
 * an integer scaled by 10^digits. Returns null when it is not a number or has more decimals than allowed.
 */
export function parseScaled(input: string | number, digits: number): number | null {
  let s = typeof input === 'number' ? numberToPlain(input) : input.trim().replace(/[\s\u00a0\u202f']/g, '')
  if (s === '') return null
  const neg = s.startsWith('-')
  if (neg || s.startsWith('+')) s = s.slice(1)
  const lastComma = s.lastIndexOf(',')
  const lastDot = s.lastIndexOf('.')
  let intPart: string
  let frac = ''
  if (lastComma >= 0 && lastDot >= 0) {
    // Both present: the later one is the decimal separator, the other groups thousands.
    const dec = lastComma > lastDot ? ',' : '.'
    const group = dec === ',' ? '.' : ','
    const [i, f = ''] = s.split(dec)
    if (s.split(dec).length > 2 || s.lastIndexOf(group) > s.indexOf(dec)) return null
    const groups = i!.split(group)
    // Thousands groups must be real ones: 1.234.567,5 but not 1,5.3 or 12.34,5.
    if (!/^\d{1,3}$/.test(groups[0]!) || !groups.slice(1).every((g) => /^\d{3}$/.test(g))) return null
    intPart = groups.join('')
    frac = f
  } else if (lastComma >= 0 || lastDot >= 0) {
    const sep = lastComma >= 0 ? ',' : '.'
    const parts = s.split(sep)
    if (parts.length > 2) {
      // "1.234.567": only grouping.
      if (!parts.slice(1).every((p) => p.length === 3)) return null
      intPart = parts.join('')
    } else {
      intPart = parts[0]!
      frac = parts[1]!
    }
  } else intPart = s
  if (!/^\d*$/.test(intPart) || !/^\d*$/.test(frac) || (intPart === '' && frac === '')) return null
  frac = frac.replace(/0+$/, '')
  if (frac.length > digits) return null
  const scaled = BigInt((intPart || '0') + frac.padEnd(digits, '0'))
  const value = Number(neg ? -scaled : scaled)
  return Number.isSafeInteger(value) ? value : null
}

/** A JS number as plain decimal text (no exponent), for numbers read from spreadsheets. */
function numberToPlain(n: number): string {
  if (!Number.isFinite(n)) return ''
  const s = String(n)
  if (!/e/i.test(s)) return s
  return n.toFixed(20).replace(/\.?0+$/, '')
}

/** The scaled integer as a plain decimal string with a dot: (210, 2) → "2.10"; (12500, 3) → "12.5". */
export function formatScaled(value: number, digits: number, trim = false): string {
  const neg = value < 0
  const abs = String(Math.abs(value)).padStart(digits + 1, '0')
  const int = abs.slice(0, abs.length - digits)
  let frac = abs.slice(abs.length - digits)
  if (trim) frac = frac.replace(/0+$/, '')
  return `${neg ? '-' : ''}${int}${frac ? '.' + frac : ''}`
}
