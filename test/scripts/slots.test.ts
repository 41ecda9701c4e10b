/**
 * The duet slots read from a finished bench:gate run: odd against even rounds per noise level,
 * and each unslowed case's rounds balanced over the two.
 */
import { describe, expect, it } from 'vitest'
import { renderSlotTable, slotFigures } from '../../scripts/bench/slots.js'
import type { CompareRecord } from '../../scripts/bench/gate-table.js'

/** A record whose cases' rounds give ln(head/base) of `odd` % in odd rounds, `even` % else. */
function record(noise: string, slowPct: number, odd: number, even: number): CompareRecord {
  const base = [1000, 1000, 1000, 1000, 1000]
  const head = base.map((b, i) => b * Math.exp((i % 2 === 0 ? odd : even) / 100))
  return {
    noise,
    variant: slowPct > 0 ? `slow${slowPct}` : 'aa',
    slowPct,
    gate: 'duet',
    run: 1,
    wallMs: 1,
    load1: 1,
    passed: true,
    rounds: 5,
    flagged: [],
    cases: [
      { id: 'Put/a', verdict: 'inconclusive', baseRounds: base, headRounds: head },
      { id: 'Get/b', verdict: 'inconclusive', baseRounds: base, headRounds: head }
    ] as unknown as CompareRecord['cases']
  }
}

describe('slotFigures', () => {
  it("gives half the odd-even gap and the balanced mean, leaving the slowed cases' out", () => {
    const records = [record('busy', 0, 8, -4), record('busy', 10, 12, 0), record('quiet', 0, 1, 1)]
    const figures = slotFigures(records, { duet: ['Put/a'] })
    expect(figures).toHaveLength(2)
    const busy = figures.find(f => f.noise === 'busy')!
    expect(busy.cases).toBe(4)
    expect(busy.halfGapPct).toBeCloseTo(6, 10)
    expect(busy.oddAbove).toBe(4)
    // A/A: both cases (+2 %); +10 %: Get/b only (+6 %), Put/a is the slowed one.
    expect(busy.unslowed).toBe(3)
    expect(busy.balancedPct).toBeCloseTo((2 + 2 + 6) / 3, 10)
    expect(busy.balancedAbove).toBe(3)
    expect(figures.find(f => f.noise === 'quiet')).toMatchObject({ halfGapPct: 0, oddAbove: 0 })
    expect(renderSlotTable(figures)).toContain('| busy  | 4     | +6.00%')
  })

  it('skips a case without a round of each parity and a failed round', () => {
    const r = record('busy', 0, 8, -4)
    r.cases = [
      { id: 'one', verdict: 'inconclusive', baseRounds: [1000], headRounds: [1100] },
      { id: 'failed', verdict: 'inconclusive', baseRounds: [1000, null], headRounds: [1100, 900] }
    ] as unknown as CompareRecord['cases']
    expect(slotFigures([r], {})).toEqual([
      {
        noise: 'busy',
        cases: 0,
        halfGapPct: NaN,
        oddAbove: 0,
        unslowed: 0,
        balancedPct: NaN,
        balancedAbove: 0
      }
    ])
  })
})
