/** A `perf track` results document to render and publish in unit tests (a walltime series). */
import type { TrackResult } from '../../src/core/history/results.js'
import { fingerprint } from '../../scripts/bench/history-series.js'

/** A passed track run of 30 points and no shift, with `overrides` on top. */
export function trackResult(overrides: Partial<TrackResult> = {}): TrackResult {
  const f = fingerprint()
  return {
    schemaVersion: 1,
    tool: 'mace-actions perf',
    mode: 'track',
    passed: true,
    reasons: [],
    warnings: [],
    history: { kind: 'branch', location: 'mace-actions-data' },
    series: { part: 'perf', bench: 'perf', metric: 'walltime' },
    fingerprint: { ...f, id: 'a6a5bab66929' },
    rule: { shiftPct: 5, minPoints: 3, alpha: 0.001, maxPoints: 1000 },
    added: [],
    seriesPoints: 30,
    shifts: [],
    cap: { squashedMonths: [], dropped: 0 },
    unreadable: [],
    snapshot: 'snapshot.json',
    startedAt: '2026-01-31T01:00:00.000Z',
    durationMs: 1,
    outputDir: '/tmp',
    ...overrides
  }
}
