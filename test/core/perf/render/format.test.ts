import { describe, expect, it } from 'vitest'
import {
  formatInterval,
  formatNs,
  formatPct,
  formatThreshold,
  markdownProse,
  shortenId,
  verdictLabel
} from '../../../../src/core/perf/render/format.js'

describe('perf numbers as people read them', () => {
  it('shows a time in the unit that keeps three significant digits', () => {
    expect(formatNs(812)).toBe('812 ns')
    expect(formatNs(12_400)).toBe('12.4 µs')
    expect(formatNs(3_210_000)).toBe('3.21 ms')
    expect(formatNs(1_050_000_000)).toBe('1.05 s')
    expect(formatNs(4.2)).toBe('4.20 ns')
    expect(formatNs(0)).toBe('0 ns')
  })

  it('moves to the next unit when rounding reaches 1000', () => {
    expect(formatNs(999.7)).toBe('1.00 µs')
    expect(formatNs(999_960)).toBe('1.00 ms')
    expect(formatNs(2_500e9)).toBe('2500 s')
  })

  it('shows a dash for a time that does not exist', () => {
    expect(formatNs(undefined)).toBe('—')
    expect(formatNs(Number.NaN)).toBe('—')
  })

  it('signs a delta, and never shows a rounded zero as a change', () => {
    expect(formatPct(12.34)).toBe('+12.3 %')
    expect(formatPct(-4)).toBe('-4.0 %')
    expect(formatPct(-0.04)).toBe('0.0 %')
    expect(formatPct(undefined)).toBe('—')
  })

  it('shows an interval of deltas, or a dash with one round', () => {
    expect(formatInterval({ low: 8.1, high: 16.9 })).toBe('[+8.1, +16.9] %')
    expect(formatInterval({ low: -1.25, high: 3 })).toBe('[-1.3, +3.0] %')
    expect(formatInterval(undefined)).toBe('—')
  })

  it('shows a threshold without trailing zeros', () => {
    expect(formatThreshold(5)).toBe('5 %')
    expect(formatThreshold(2.5)).toBe('2.5 %')
  })

  it('labels each verdict with its icon', () => {
    expect(verdictLabel('regressed')).toBe('🔴 regressed')
    expect(verdictLabel('improved')).toBe('🟢 improved')
    expect(verdictLabel('unchanged')).toBe('⚪ unchanged')
    expect(verdictLabel('inconclusive')).toBe('🟡 inconclusive')
    expect(verdictLabel('new')).toBe('🆕 new')
    expect(verdictLabel('missing')).toBe('❌ missing')
    expect(verdictLabel('skipped')).toBe('⏭️ skipped')
  })

  it('shortens a long id in the middle, keeping the end that tells cases apart', () => {
    const id = `${'Group/'.repeat(20)}K16/7`
    expect(shortenId(id, 21)).toBe('Group/Grou…roup/K16/7')
    expect(shortenId('Put/1', 21)).toBe('Put/1')
  })

  it('escapes prose for Markdown and breaks @mentions so nobody is notified', () => {
    expect(markdownProse('ask @octocat about <b>x</b>')).toBe(
      'ask \\@\u2060octocat about \\<b\\>x\\<\\/b\\>'
    )
  })
})
