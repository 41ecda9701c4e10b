/**
 * A merge of a shard cut short (SIGKILL before its last write): the cut is
 * named as such, not as an edit; no layer the shard left unfinished shows as
 * passed; and every case dealt to it that never ran is listed, in the merged
 * document and in each rendering (summary, console report, JUnit).
 */
import { describe, expect, it } from 'vitest'
import { mergeShardResults, type ShardDocument } from '../../../src/core/layers/merge.js'
import { recheckDocument } from '../../../src/core/layers/merge-check.js'
import type { TestRunResult } from '../../../src/core/layers/results.js'
import { renderConsoleReport } from '../../../src/core/layers/render/console-report.js'
import { renderJobSummary } from '../../../src/core/layers/render/job-summary.js'
import { renderJUnit } from '../../../src/core/layers/render/junit.js'
import { attempt, layer, run, test, testCase } from './render/fixtures.js'

const options = {
  outputDir: '/work/merged',
  expectedSource: (index: number) => `artifact 'tests-shard-${index}-of-2'`
}

/** Shard 1/2 killed while its fast case ran: the fast layer open, nothing saved in it. */
function killedShard(status: 'incomplete' | 'passed'): ShardDocument {
  const result = run([{ name: 'fast', status, durationMs: 0, cases: [] }], {
    mode: 'all',
    finished: false,
    passed: false,
    running: { step: 'case', case: 'fast', startedAt: '2025-06-01T12:00:01.000Z' },
    shard: {
      index: 1,
      total: 2,
      planDigest: 'p1',
      share: 'fast targets fast; 2 of 4 chaos cases',
      planned: ['fast', 'chaos:chaos_fails', 'chaos:chaos_slow']
    }
  })
  return { source: 'shard-1/results.json', result }
}

/** Shard 2/2, finished: a stress case passed, a chaos case flaky. */
function finishedShard(): ShardDocument {
  const stress = testCase('stress:stress_rounds', [attempt(1, [test('stress_rounds')])])
  const chaos = testCase(
    'chaos:chaos_retry',
    [
      attempt(1, [test('chaos_retry', { outcome: 'failed' })], { passed: false }),
      attempt(2, [test('chaos_retry')])
    ],
    { maxAttempts: 3 }
  )
  const result = run(
    [
      { name: 'fast', status: 'skipped', durationMs: 0, cases: [] },
      layer('stress', [stress]),
      layer('chaos', [chaos])
    ],
    {
      mode: 'all',
      shard: {
        index: 2,
        total: 2,
        planDigest: 'p1',
        share: 'stress; 2 of 4 chaos cases',
        planned: ['stress:stress_rounds', 'chaos:chaos_retry']
      }
    }
  )
  return { source: 'shard-2/results.json', result }
}

describe.each(['incomplete', 'passed'] as const)(
  'merging a shard killed with its fast layer written as %s',
  status => {
    const merged = mergeShardResults([killedShard(status), finishedShard()], options)
    const message = merged.merged?.problems.find(p => p.id === 'shard 1/2')?.message ?? ''

    it('says it was cut short, and does not call the cut an edit', () => {
      expect(merged.passed).toBe(false)
      expect(merged.failures).toEqual(['shard 1/2'])
      expect(message).toContain('did not finish: its results document was never marked finished')
      expect(message).toContain('while running case fast')
      expect(message).not.toContain('contradicts its own evidence')
      expect(message).toContain(
        'these never ran to their end (listed as cancelled): fast, chaos:chaos_fails, chaos:chaos_slow'
      )
    })

    it('gives no layer the shard left unfinished a pass, and lists the cases it never ran', () => {
      expect(merged.layers.map(l => [l.name, l.status])).toEqual([
        ['fast', 'incomplete'],
        ['stress', 'passed'],
        ['chaos', 'incomplete']
      ])
      const unrun = merged.layers.flatMap(l => l.cases.filter(c => c.attempts.length === 0))
      expect(unrun.map(c => [c.id, c.status, c.shard])).toEqual([
        ['fast', 'cancelled', 1],
        ['chaos:chaos_fails', 'cancelled', 1],
        ['chaos:chaos_slow', 'cancelled', 1]
      ])
    })

    it('renders the unfinished layers without ✅ and names the cases never run', () => {
      const summary = renderJobSummary(merged)
      expect(summary).toContain('⏸️ fast, ✅ stress, ⏸️ chaos')
      expect(summary).not.toContain('✅ chaos')
      // Markdown escapes its punctuation: read the words.
      const words = summary.replace(/\\/g, '')
      expect(words).toContain(
        'these never ran to their end (listed as cancelled): fast, chaos:chaos_fails, chaos:chaos_slow'
      )
      expect(words).toMatch(/chaos:chaos_slow \(shard 1\)<\/code> \| 🚫 cancelled \| 0 \/ 1/)
      const report = renderConsoleReport(merged)
      expect(report).toContain('layer chaos: INCOMPLETE')
      expect(report).toMatch(
        /CANCELLED chaos:chaos_fails \(shard 1\) .*\n {4}never ran: shard 1 stopped before it ended/
      )
      const junit = renderJUnit(merged)
      expect(junit).toMatch(
        /<testcase name="chaos:chaos_slow"[^>]*>\s*<skipped message="not run: shard 1 stopped before this case"/
      )
    })
  }
)

describe('a shard document recomputed on its own', () => {
  it('a layer still open in a killed run is incomplete, not passed, and no contradiction', () => {
    const checked = recheckDocument(killedShard('incomplete').result)
    expect(checked.result.layers[0]?.status).toBe('incomplete')
    expect(checked.contradictions).toEqual([])
  })

  it('a finished document with a layer left incomplete contradicts itself', () => {
    const done: TestRunResult = {
      ...finishedShard().result,
      layers: finishedShard().result.layers.map(l =>
        l.name === 'chaos' ? { ...l, status: 'incomplete' as const } : l
      )
    }
    expect(recheckDocument(done).contradictions).toContain(
      'layer chaos says incomplete, its cases passed'
    )
  })
})
