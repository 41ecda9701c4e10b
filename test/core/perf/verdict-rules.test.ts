/**
 * The verdict rules as data: the code walks them and the summary prints them, so the
 * explanation a reader sees is the rule that decided.
 */
import { describe, expect, it } from 'vitest'
import {
  firstRule,
  NOISE_AWARE_RULES,
  rulesSentence,
  THRESHOLD_RULES
} from '../../../src/core/perf/verdict-rules.js'

const verdict = (deltaPct: number, ci?: [number, number]): string =>
  firstRule(NOISE_AWARE_RULES, {
    deltaPct,
    thresholdPct: 5,
    ...(ci ? { ci: { low: ci[0], high: ci[1] } } : {})
  }).verdict

describe('the noise-aware rules', () => {
  it('call nothing without an interval, whatever Δ says', () => {
    expect(verdict(-51.8)).toBe('inconclusive')
    expect(verdict(0.1)).toBe('inconclusive')
    expect(verdict(+62.6)).toBe('inconclusive')
  })

  it('call unchanged only an interval within ±threshold', () => {
    expect(verdict(0, [-4.9, 4.9])).toBe('unchanged')
    expect(verdict(-19.1, [-53.2, 59.2])).toBe('inconclusive')
    expect(verdict(2, [-1, 5.1])).toBe('inconclusive')
  })

  it('call regressed a Δ above the threshold whose whole interval lies above 0', () => {
    expect(verdict(6, [0.5, 11.5])).toBe('regressed')
    expect(verdict(6, [-0.5, 12.5])).toBe('inconclusive')
    // A real change smaller than the threshold, not shown within it: undecided, measure more.
    expect(verdict(3, [0.5, 5.5])).toBe('inconclusive')
    expect(verdict(-6, [-11, -1])).toBe('improved')
  })
})

describe('rulesSentence', () => {
  it('renders the table in its order, conditions of one verdict joined', () => {
    expect(rulesSentence(THRESHOLD_RULES)).toBe(
      'a case is regressed when its Δ is above its threshold; improved when its Δ is below minus its threshold; unchanged when its Δ is within ± its threshold'
    )
    expect(rulesSentence(NOISE_AWARE_RULES)).toMatch(
      /^a case is inconclusive when it has no interval \(fewer than 3 paired rounds\), whatever its Δ, or its interval reaches past ± its threshold without showing a change beyond it; regressed when /
    )
  })
})
