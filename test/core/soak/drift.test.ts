/**
 * The soak's trend verdict: a robust slope (Theil–Sen) after the warm-up, a
 * one-sided Mann–Kendall test, and a threshold on the fitted change over the
 * soak; cases share the significance level (Bonferroni).
 */
import { describe, expect, it } from 'vitest'
import {
  judgeDrift,
  mannKendallUpward,
  MIN_TREND_POINTS,
  theilSen,
  TREND_ALPHA,
  type PerfSample
} from '../../../src/core/soak/drift.js'

/** Deterministic noise in [-1, 1) (a small LCG), so a "noisy" series is the same every run. */
function noise(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0
    return (state / 2 ** 32) * 2 - 1
  }
}

/** Samples for cycles 1..n with p50, p95 and the cases' medians from `value(cycle)`. */
function samples(
  n: number,
  value: (series: string, cycle: number) => number,
  cases: readonly string[] = ['Get/K16/1', 'Put/K16-V16/1']
): PerfSample[] {
  return Array.from({ length: n }, (_, i) => {
    const cycle = i + 1
    return {
      cycle,
      p50: value('p50', cycle),
      p95: value('p95', cycle),
      medians: Object.fromEntries(cases.map(id => [id, value(id, cycle)]))
    }
  })
}

const points = (ys: readonly number[]): Array<[number, number]> => ys.map((y, i) => [i + 1, y])

describe('theilSen', () => {
  it('recovers the slope of points on an exact line', () => {
    expect(theilSen(points([10, 12, 14, 16, 18]))).toBe(2)
    expect(theilSen(points([50, 45, 40, 35]))).toBe(-5)
  })

  it('ignores one outlying point, which would tilt a least-squares fit', () => {
    expect(theilSen(points([10, 12, 100, 16, 18]))).toBe(2)
    expect(theilSen(points([1000, 12, 14, 16, 18]))).toBe(2)
  })

  it('skips pairs taken in the same cycle and is 0 without any usable pair', () => {
    expect(
      theilSen([
        [1, 10],
        [1, 99],
        [2, 12],
        [3, 14]
      ])
    ).toBe(2)
    expect(theilSen([[1, 10]])).toBe(0)
    expect(theilSen([])).toBe(0)
  })
})

describe('mannKendallUpward', () => {
  it('finds a strictly rising series of 6 significant (p < 0.01)', () => {
    const p = mannKendallUpward([1, 2, 3, 4, 5, 6])
    expect(p).toBeGreaterThan(0)
    expect(p).toBeLessThan(0.01)
  })

  it('gives a falling series a p-value near 1 (it is one-sided)', () => {
    expect(mannKendallUpward([6, 5, 4, 3, 2, 1])).toBeGreaterThan(0.99)
  })

  it('gives a constant series (all ties) p = 1', () => {
    expect(mannKendallUpward([7, 7, 7, 7, 7, 7])).toBe(1)
  })

  it('is less sure of a rise with one step back than of a clean rise', () => {
    const clean = mannKendallUpward([1, 2, 3, 4, 5, 6])
    const oneSwap = mannKendallUpward([1, 3, 2, 4, 5, 6])
    expect(oneSwap).toBeGreaterThan(clean)
    expect(oneSwap).toBeLessThan(TREND_ALPHA)
  })
})

describe('judgeDrift', () => {
  it(`calls no trend with fewer than ${MIN_TREND_POINTS} samples after the warm-up, and says how many there were`, () => {
    const d = judgeDrift(
      samples(4, () => 100),
      10,
      1
    )
    expect(d.verdict).toBe('insufficient')
    expect(d.series).toEqual([])
    expect(d.message).toBe(
      `4 perf cycles, 3 after a warm-up of 1: a trend needs at least ${MIN_TREND_POINTS}.`
    )
    expect(d.thresholdPct).toBe(10)
    expect(d.warmupCycles).toBe(1)
  })

  it('says "cycle" for a single perf cycle and handles none', () => {
    expect(
      judgeDrift(
        samples(1, () => 100),
        10,
        0
      ).message
    ).toMatch(/^1 perf cycle, 1 after/)
    expect(judgeDrift([], 10, 1).message).toMatch(/^0 perf cycles, 0 after a warm-up of 1/)
  })

  it('judges a steady series with ±5 % noise over 10 cycles steady', () => {
    const rand = noise(42)
    const base: Record<string, number> = {
      p50: 10_000,
      p95: 80_000,
      'Get/K16/1': 10_000,
      'Put/K16-V16/1': 40_000
    }
    const d = judgeDrift(
      samples(10, series => base[series]! * (1 + 0.05 * rand())),
      10,
      1
    )
    expect(d.verdict).toBe('steady')
    expect(d.series.map(s => s.series).slice(0, 2)).toEqual(['p50', 'p95'])
    expect(d.series).toHaveLength(4)
    for (const s of d.series) {
      expect(s.points).toBe(9)
      expect(s.drifted).toBe(false)
      expect(Math.abs(s.changePct)).toBeLessThan(10)
    }
    expect(d.message).toBe(
      'No series changed by more than 10% with a significant trend over 9 perf cycles.'
    )
  })

  it('judges a series rising 30 % per cycle drifted, naming p50, p95 and the case', () => {
    const d = judgeDrift(
      samples(8, (series, cycle) =>
        series === 'Get/K16/1' ? 5_000 : 1_000 * (series === 'p95' ? 4 : 1) * 1.3 ** cycle
      ),
      10,
      1
    )
    expect(d.verdict).toBe('drifted')
    const byName = Object.fromEntries(d.series.map(s => [s.series, s]))
    expect(byName.p50!.drifted).toBe(true)
    expect(byName.p95!.drifted).toBe(true)
    expect(byName['Put/K16-V16/1']!.drifted).toBe(true)
    expect(byName['Get/K16/1']!.drifted).toBe(false)
    expect(byName.p50!.changePct).toBeGreaterThan(100)
    expect(byName.p50!.slopeNsPerCycle).toBeGreaterThan(0)
    expect(byName.p50!.pValue).toBeLessThan(0.01)
    expect(d.message).toMatch(
      /^p50 \+\d+\.\d%, p95 \+\d+\.\d%, Put\/K16-V16\/1 \+\d+\.\d% over 7 perf cycles \(threshold 10%\)\.$/
    )
  })

  it('lists p50 and p95 first, then the cases, largest change first', () => {
    const growth: Record<string, number> = { a: 1.01, b: 1.2, c: 1.05 }
    const d = judgeDrift(
      samples(6, (series, cycle) => 1_000 * (growth[series] ?? 1) ** cycle, ['a', 'b', 'c']),
      10,
      0
    )
    expect(d.series.map(s => s.series)).toEqual(['p50', 'p95', 'b', 'c', 'a'])
  })

  it('leaves warm-up cycles out: a huge first sample neither cancels a rise nor makes one', () => {
    const rising = [1_000_000, 100, 120, 140, 160, 180, 200]
    const steady = [1, 100, 101, 99, 100, 101, 100]
    const series = (ys: number[]): PerfSample[] =>
      ys.map((y, i) => ({ cycle: i + 1, p50: y, p95: y, medians: {} }))

    const up = judgeDrift(series(rising), 10, 1)
    expect(up.verdict).toBe('drifted')
    expect(up.series[0]!.points).toBe(6)
    expect(up.series[0]!.changePct).toBeCloseTo(100, 5)

    const flat = judgeDrift(series(steady), 10, 1)
    expect(flat.verdict).toBe('steady')
    expect(flat.series[0]!.points).toBe(6)
  })

  it('does not call a consistent rise that stays below the threshold drift', () => {
    // +1 per cycle from 102: significant, but the fitted change over 9 samples is +7.8 %.
    const d = judgeDrift(
      samples(10, (_, cycle) => 100 + cycle),
      10,
      1
    )
    const p50 = d.series[0]!
    expect(p50.pValue).toBeLessThan(0.001)
    expect(p50.changePct).toBeCloseTo(((110 - 102) / 102) * 100, 5)
    expect(p50.drifted).toBe(false)
    expect(d.verdict).toBe('steady')
  })

  it('holds each case to alpha / cases (Bonferroni) while p50 and p95 use alpha', () => {
    // One step back among five rising samples: S = 8, p ≈ 0.043, between 0.05 / 2 and 0.05.
    const wobbly = [100, 130, 120, 150, 170]
    const p = mannKendallUpward(wobbly)
    expect(p).toBeGreaterThan(TREND_ALPHA / 2)
    expect(p).toBeLessThan(TREND_ALPHA)
    const d = judgeDrift(
      wobbly.map((y, i) => ({
        cycle: i + 1,
        p50: y,
        p95: 500,
        medians: { wobbly: y, flat: 300 }
      })),
      10,
      0
    )
    const byName = Object.fromEntries(d.series.map(s => [s.series, s]))
    expect(byName.p50!.pValue).toBeCloseTo(p, 12)
    expect(byName.p50!.drifted).toBe(true)
    expect(byName.wobbly!.pValue).toBeCloseTo(p, 12)
    expect(byName.wobbly!.changePct).toBeGreaterThan(10)
    expect(byName.wobbly!.drifted).toBe(false)
  })

  it('leaves out a case with too few samples after the warm-up', () => {
    const d = judgeDrift(
      [1, 2, 3, 4, 5, 6].map((cycle): PerfSample => ({
        cycle,
        p50: 100,
        p95: 200,
        medians: cycle >= 4 ? { late: 100 * cycle, steady: 100 } : { steady: 100 }
      })),
      10,
      0
    )
    expect(d.series.map(s => s.series)).toEqual(['p50', 'p95', 'steady'])
  })
})
