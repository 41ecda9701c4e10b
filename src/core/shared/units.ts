/**
 * Quantities as people read them, shared by every rendering that shows a
 * measurement: times in the unit that keeps three significant digits.
 */

// Each unit is used while the rounded value stays below 1000 of it.
const TIME_UNITS: readonly (readonly [string, number])[] = [
  ['ns', 1],
  ['µs', 1e3],
  ['ms', 1e6],
  ['s', 1e9]
]

/** Shown where a value does not exist (one round has no interval; a new case has no base). */
export const NO_VALUE = '—'

/** A time in nanoseconds as `812 ns`, `12.4 µs`, `3.21 ms`, `1.05 s`. */
export function formatNs(ns: number | undefined): string {
  if (ns === undefined || !Number.isFinite(ns)) return NO_VALUE
  if (ns === 0) return '0 ns'
  const sign = ns < 0 ? '-' : ''
  const abs = Math.abs(ns)
  for (const [index, [unit, scale]] of TIME_UNITS.entries()) {
    const digits = threeDigits(abs / scale)
    // 999.7 ns rounds to 1000 ns, which reads better as 1.00 µs.
    if (Number(digits) < 1000 || index === TIME_UNITS.length - 1) return `${sign}${digits} ${unit}`
  }
  return NO_VALUE
}

function threeDigits(value: number): string {
  if (value >= 99.95) return value.toFixed(0)
  if (value >= 9.995) return value.toFixed(1)
  return value.toFixed(2)
}

/** A count (instructions) with thousands separators: `1,102,978`; `—` when absent. */
export function formatCount(count: number | undefined): string {
  if (count === undefined || !Number.isFinite(count)) return NO_VALUE
  return Math.round(count).toLocaleString('en-US')
}

/** A size in bytes as `512 B`, `3.2 KiB`, `64.0 MiB`, `1.5 GiB` (binary units, as `df -h` shows). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB']
  let value = bytes
  let unit = 0
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`
}
