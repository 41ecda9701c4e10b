/**
 * The statistics of the noise-aware perf gate: medians of rounds and the
 * Student-t interval of paired per-round log ratios, as percent change.
 */
import { describe, expect, it } from 'vitest'
import {
  bonferroniLevel,
  chooseInterval,
  estimateChange,
  isEstimate,
  logRatioInterval,
  logRatioToPct,
  median,
  pairedEstimate,
  pairedLogRatios,
  sidesEstimate,
  sidesLogInterval,
  withoutOutliers
} from '../../../../src/core/perf/judge/stats.js'

describe('median', () => {
  it('takes the middle value of an odd count', () => {
    expect(median([300, 100, 200])).toBe(200)
  })

  it('averages the middle two of an even count', () => {
    expect(median([400, 100, 300, 200])).toBe(250)
  })

  it('refuses an empty list, which would be a bug upstream', () => {
    expect(() => median([])).toThrow(/empty/)
  })
})

describe('isEstimate', () => {
  it('accepts a positive finite time and rejects a failed or zero round', () => {
    expect(isEstimate(12.5)).toBe(true)
    expect([NaN, 0, -1, Infinity, undefined].map(isEstimate)).toEqual([
      false,
      false,
      false,
      false,
      false
    ])
  })
})

describe('pairedLogRatios', () => {
  it('pairs round i of base with round i of head', () => {
    const ratios = pairedLogRatios([100, 200], [150, 100])
    expect(ratios[0]).toBeCloseTo(Math.log(1.5), 12)
    expect(ratios[1]).toBeCloseTo(Math.log(0.5), 12)
  })

  it('drops a round either side failed and rounds only one side ran', () => {
    const ratios = pairedLogRatios([100, NaN, 100, 100], [110, 120, NaN])
    expect(ratios).toHaveLength(1)
    expect(ratios[0]).toBeCloseTo(Math.log(1.1), 12)
  })
})

describe('bonferroniLevel', () => {
  it('splits the error rate evenly across the cases', () => {
    expect(bonferroniLevel(0.95, 10)).toBeCloseTo(0.995, 12)
  })

  it('leaves the level alone for one case or none', () => {
    expect(bonferroniLevel(0.95, 1)).toBe(0.95)
    expect(bonferroniLevel(0.95, 0)).toBe(0.95)
  })
})

describe('logRatioInterval', () => {
  it('turns a log ratio into percent change', () => {
    expect(logRatioToPct(Math.log(1.5))).toBeCloseTo(50, 10)
    expect(logRatioToPct(Math.log(0.8))).toBeCloseTo(-20, 10)
  })

  it('is the t interval of the mean log ratio, in percent', () => {
    // mean 0.2, sd 0.1, n 3; t(0.975, df 2) = 4.302653 from the t table.
    const half = (4.302653 * 0.1) / Math.sqrt(3)
    const ci = logRatioInterval([0.1, 0.2, 0.3], 0.95)!
    expect(ci.low).toBeCloseTo((Math.exp(0.2 - half) - 1) * 100, 3)
    expect(ci.high).toBeCloseTo((Math.exp(0.2 + half) - 1) * 100, 3)
  })

  it('is a single point when every round agrees', () => {
    expect(logRatioInterval([0, 0, 0], 0.95)).toEqual({ low: 0, high: 0 })
  })

  it('widens as the level rises', () => {
    const ratios = [0.01, -0.02, 0.03, 0.0, 0.02]
    const at95 = logRatioInterval(ratios, 0.95)!
    const at99 = logRatioInterval(ratios, 0.99)!
    expect(at99.low).toBeLessThan(at95.low)
    expect(at99.high).toBeGreaterThan(at95.high)
  })

  it('gives none for a single round, which has no spread', () => {
    expect(logRatioInterval([0.1], 0.95)).toBeUndefined()
    expect(logRatioInterval([], 0.95)).toBeUndefined()
  })
})

describe('pairedEstimate', () => {
  const at = (logs: number[]): { base: number[]; head: number[] } => ({
    base: logs.map(() => 100),
    head: logs.map(l => 100 * Math.exp(l))
  })

  it('is the plain Student-t interval of the mean log ratio below 5 rounds, Δ its center', () => {
    const ratios = [0.1, 0.2, 0.3, 0.05]
    const { base, head } = at(ratios)
    const e = pairedEstimate(base, head, 0.95)!
    const plain = logRatioInterval(ratios, 0.95)!
    expect(e.ci!.low).toBeCloseTo(plain.low, 10)
    expect(e.ci!.high).toBeCloseTo(plain.high, 10)
    expect(e.deltaPct).toBeCloseTo(logRatioToPct(0.1625), 10)
    expect(e).toMatchObject({ rounds: 4, outliers: 0 })
  })

  it('keeps a steady +10% clear of zero when one round ran in another speed mode', () => {
    const steady = [0.09, 0.1, 0.11, 0.095, 0.105, 0.1, 0.098, 0.102, 0.1]
    const ratios = [...steady, Math.log(1 / 1.7)]
    const plain = logRatioInterval(ratios, 0.99)!
    const { base, head } = at(ratios)
    const e = pairedEstimate(base, head, 0.99)!
    expect(plain.low).toBeLessThan(0)
    expect(e.outliers).toBe(1)
    expect(e.ci!.low).toBeGreaterThan(5)
    expect(e.ci!.high).toBeLessThan(15)
    expect(e.deltaPct).toBeGreaterThan(e.ci!.low)
    expect(e.deltaPct).toBeLessThan(e.ci!.high)
  })

  it('leaves out at most a third of the rounds, the most extreme first', () => {
    const ratios = [0.01, -0.01, 0, 0.005, -0.005, 0.5, 0.6, -0.7, 0.002]
    expect(withoutOutliers(ratios)).toEqual([0.01, -0.01, 0, 0.005, -0.005, 0.002])
    const many = [0, 0.001, -0.001, 0.002, -0.002, 0.003, 0.4, 0.5, 0.6, -0.7]
    // Four far rounds of ten: only three may go, the farthest.
    expect(withoutOutliers(many)).toEqual([0, 0.001, -0.001, 0.002, -0.002, 0.003, 0.4])
  })

  it('keeps every round below 5, and when most rounds agree exactly', () => {
    expect(withoutOutliers([0, 0, 0.9, 0])).toEqual([0, 0, 0.9, 0])
    expect(withoutOutliers([0, 0, 0, 0, 0.3])).toEqual([0, 0, 0, 0, 0.3])
  })

  it('gives a point without an interval for one round, and nothing without a pair', () => {
    const one = pairedEstimate([100], [110], 0.95)!
    expect(one).toMatchObject({ rounds: 1, outliers: 0 })
    expect(one.deltaPct).toBeCloseTo(10, 10)
    expect(one.ci).toBeUndefined()
    expect(pairedEstimate([100], [NaN], 0.95)).toBeUndefined()
  })
})

describe('sidesLogInterval', () => {
  const at = (logs: number[]): number[] => logs.map(l => 100 * Math.exp(l))

  it("is Welch's t interval of the difference of mean log estimates, 2n - 2 degrees of freedom", () => {
    // Means 0 and 0.2, variance 0.01 a side, n 3: se^2 = 0.02 / 3, df 4; t(0.975, 4) = 2.776445.
    const half = 2.776445 * Math.sqrt(0.02 / 3)
    const ci = sidesLogInterval(at([0, 0.1, -0.1]), at([0.2, 0.3, 0.1]), 0.95)!
    expect(ci.low).toBeCloseTo((Math.exp(0.2 - half) - 1) * 100, 3)
    expect(ci.high).toBeCloseTo((Math.exp(0.2 + half) - 1) * 100, 3)
  })

  it('leaves failed rounds out and gives none with fewer than two estimates a side', () => {
    expect(sidesLogInterval([100, NaN, 100], [110, 110, 0], 0.95)).toEqual(
      sidesLogInterval([100, 100], [110, 110], 0.95)
    )
    expect(sidesLogInterval([100], [110, 120], 0.95)).toBeUndefined()
  })

  it('is the single point of the change when every round of each side agrees', () => {
    const ci = sidesLogInterval([100, 100, 100], [110, 110, 110], 0.95)!
    expect(ci.low).toBeCloseTo(10, 10)
    expect(ci.high).toBeCloseTo(10, 10)
  })

  it('trims from 8 rounds a side, so one round in another speed mode does not blur a steady +10%', () => {
    const steady = [0, 0.01, -0.01, 0.005, -0.005, 0.002, -0.002, 0, 0.003, -0.003]
    const base = at([...steady.slice(0, 9), Math.log(1.7)])
    const head = at(steady.map(l => l + Math.log(1.1)))
    const ci = sidesLogInterval(base, head, 0.99)!
    expect(ci.low).toBeGreaterThan(8)
    expect(ci.high).toBeLessThan(12)
  })
})

describe('chooseInterval', () => {
  it('keeps the paired ratios when back-to-back rounds share the drift of the machine', () => {
    const drift = [1, 1.3, 0.8, 1.15, 0.9]
    const cases = [
      { base: drift.map(d => 100 * d), head: drift.map(d => 105 * d * 1.01) },
      { base: drift.map(d => 50 * d * 1.01), head: drift.map(d => 50 * d) }
    ]
    expect(chooseInterval(cases, 0.95)).toBe('paired')
  })

  it("takes each side's own spread when the rounds share nothing", () => {
    const cases = [{ base: [100, 112, 94, 106, 90], head: [104, 91, 110, 97, 108] }]
    expect(chooseInterval(cases, 0.95)).toBe('sides')
  })

  it('keeps the paired ratios when no case has two paired rounds', () => {
    expect(chooseInterval([{ base: [100], head: [110] }], 0.95)).toBe('paired')
    expect(chooseInterval([], 0.95)).toBe('paired')
  })

  it('gives the interval the choice names', () => {
    const base = [100, 112, 94, 106, 90]
    const head = [104, 91, 110, 97, 108]
    expect(estimateChange('sides', base, head, 0.95)!.ci).toEqual(
      sidesLogInterval(base, head, 0.95)
    )
    expect(estimateChange('paired', base, head, 0.95)).toEqual(pairedEstimate(base, head, 0.95))
    const sides = sidesEstimate(base, head, 0.95)!
    expect(sides.deltaPct).toBeGreaterThan(sides.ci!.low)
    expect(sides.deltaPct).toBeLessThan(sides.ci!.high)
  })
})
