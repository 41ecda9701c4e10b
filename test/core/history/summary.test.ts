/**
 * The job summary and console report of `perf track`: the verdict first, the
 * runner change said, the shifts with their levels and commits, the rule as
 * the run applied it, and untrusted case ids escaped.
 */
import { describe, expect, it } from 'vitest'
import {
  renderTrackConsole,
  renderTrackSummary,
  trackVerdict
} from '../../../src/core/history/render/summary.js'
import type { TrackResult } from '../../../src/core/history/results.js'
import { fingerprint, sha } from '../../../scripts/bench/history-series.js'
import { trackResult } from '../../harness/track-result.js'

function result(overrides: Partial<TrackResult> = {}): TrackResult {
  const f = fingerprint()
  return trackResult({
    history: { kind: 'branch', location: 'mace-actions-data', commit: sha(99), attempts: 2 },
    added: [
      {
        commit: sha(30),
        commitTime: '2026-01-31T00:00:00.000Z',
        time: '2026-01-31T01:00:00.000Z',
        fingerprint: f,
        cases: { 'Put/<b>|x': 1, 'Get/1': 2 }
      }
    ],
    shifts: [
      {
        id: 'Put/<b>|x',
        firstCommit: sha(20),
        lastCommitBefore: sha(19),
        before: 12_300,
        after: 14_100,
        delta_pct: 14.63,
        pointsBefore: 20,
        pointsAfter: 11,
        fingerprint: 'a6a5bab66929',
        new: true
      }
    ],
    ...overrides
  })
}

describe('the perf track summary', () => {
  it('leads with the verdict and lists the shift with its levels, change and commits', () => {
    const text = renderTrackSummary(result())
    const lines = text.split('\n')
    expect(lines[0]).toBe(
      `## ⚠️ perf track: point of ${sha(30).slice(0, 12)} added \\(2 cases\\, perf\\, walltime\\)\\; 1 new lasting shift\\: Put\\/\\<b\\>\\|x \\+14\\.6 \\%`
    )
    expect(text).toContain(
      `| 🆕 🔺 | <code>Put\\/\\<b\\>\\|x</code> | +14.6 % | 12.3 µs | 14.1 µs | <code>${sha(20).slice(0, 12)}</code> | <code>${sha(19).slice(0, 12)}</code> | 20 / 11 |`
    )
    expect(text).toContain('after 2 pushes (another writer came first)')
    expect(text).toContain('with at least 3 points each side and a change of at least 5 %')
    expect(text).not.toContain('<b>')
  })

  it('says a runner change as a warning, and a failed run as a failure', () => {
    const changed = renderTrackSummary(
      result({
        shifts: [],
        warnings: [
          'The runner changed (kernel a → b): this point starts a new series, and no shift is judged across the change.'
        ]
      })
    )
    expect(changed.split('\n')[0]).toMatch(/^## ✅ perf track: point of/)
    expect(changed).toContain('> ⚠️ The runner changed \\(kernel a → b\\)')
    expect(changed).toContain("None in this runner's series of 30 points.")
    const failed = result({
      passed: false,
      reasons: ['No Criterion case was found.', 'No point was added to the history.'],
      added: [],
      shifts: []
    })
    expect(trackVerdict(failed)).toBe(
      'FAIL: No Criterion case was found. No point was added to the history.'
    )
    expect(renderTrackSummary(failed).split('\n')[0]).toMatch(/^## ❌ perf track: FAIL/)
  })

  it('ends the console report with the verdict', () => {
    const lines = renderTrackConsole(result()).trimEnd().split('\n')
    expect(lines).toContain(
      `  NEW   +14.6 %  Put/<b>|x  12.3 µs → 14.1 µs  at ${sha(20).slice(0, 12)} (after ${sha(19).slice(0, 12)})`
    )
    expect(lines.at(-1)).toMatch(/^result: point of /)
  })
})
