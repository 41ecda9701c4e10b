import { describe, expect, it } from 'vitest'
import { clipMiddle, firstLine, formatDuration, truncate } from '../../../src/core/shared/text.js'

describe('plain text shared by the renderings', () => {
  it('formats durations the way the reports show them', () => {
    expect([400, 12_345, 125_000, 3_720_000].map(formatDuration)).toEqual([
      '0.4s',
      '12.3s',
      '2m 05s',
      '1h 02m'
    ])
  })

  it('keeps both ends of a long output and says how much of the middle was cut', () => {
    const clipped = clipMiddle(`HEAD${'x'.repeat(10_000)}TAIL`, 300)
    expect(clipped.startsWith('HEAD')).toBe(true)
    expect(clipped.endsWith('TAIL')).toBe(true)
    expect(clipped).toContain('… 9708 characters not shown …')
  })

  it('never cuts through a surrogate pair', () => {
    expect(truncate('ab😀cd', 4)).toBe('ab…')
    expect(clipMiddle('😀'.repeat(100), 31)).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/)
  })

  it('takes the first non-blank line of a message', () => {
    expect(firstLine('\n\n  panicked here  \nmore')).toBe('panicked here')
    expect(firstLine(undefined)).toBe('')
  })
})
