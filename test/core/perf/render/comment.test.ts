import { describe, expect, it } from 'vitest'
import {
  MAX_PERF_COMMENT_CHARS,
  renderPerfComment
} from '../../../../src/core/perf/render/comment.js'
import {
  HOSTILE_ID,
  hostileCompare,
  manyCases,
  markdownHazards,
  newAndMissing,
  passedCompare,
  twoRegressed,
  zeroCases
} from './fixtures.js'

const RUN = 'https://github.com/o/r/actions/runs/42'

describe('perf PR comment', () => {
  it('opens with a compact verdict, then refs and gate, then the counts', () => {
    const comment = renderPerfComment(twoRegressed(), { runUrl: RUN })
    const lines = comment.split('\n')
    expect(lines[0]).toBe(
      '### ❌ perf gate failed: 2 cases regressed beyond 5 %: <code>Scan\\/1000</code>, <code>Put\\/K16\\-V16\\/1</code>'
    )
    expect(lines[2]).toBe(
      '**Base** <code>origin\\/master</code> at <code>1111111</code> → **Head** <code>2222222</code> · noise\\-aware gate on wall time\\, 5 rounds \\(10 for 1 re\\-measured case\\)\\, threshold 5 \\%  '
    )
    expect(lines[3]).toBe(
      '**Cases** 8 compared: 2 regressed, 0 improved, 0 inconclusive, 6 unchanged; 0 skipped, 0 new, 0 missing'
    )
  })

  it('tables the changed cases, folds the unchanged, and links the run at the end', () => {
    const comment = renderPerfComment(twoRegressed(), { runUrl: RUN })
    expect(comment).toContain('| <code>Scan\\/1000</code> | 1.00 ms | 1.30 ms | +30.0 % |')
    expect(comment).toContain('<details><summary>⚪ 6 unchanged</summary>')
    expect(comment.trimEnd().endsWith(`[Job summary, logs and the full results](${RUN})`)).toBe(
      true
    )
  })

  it('lists new and missing cases outside the fold', () => {
    const comment = renderPerfComment(newAndMissing(), {})
    const [main] = comment.split('<details>')
    expect(main).toContain('🆕 new')
    expect(main).toContain('❌ missing')
  })

  it('uses the given title as the subject of the verdict, escaped', () => {
    const comment = renderPerfComment(passedCompare(), { title: 'perf (ubuntu) @team' })
    expect(comment.split('\n')[0]).toBe(
      '### ✅ perf \\(ubuntu\\) \\@\u2060team passed: no case regressed beyond 5 %; this run resolves changes of ±2.0 % (the threshold is 5 %)'
    )
  })

  it('says why a gate with no cases failed', () => {
    const comment = renderPerfComment(zeroCases(), {})
    expect(comment.split('\n')[0]).toBe('### ❌ perf gate failed: no benchmark case was found')
    expect(comment).toContain('- no Criterion case was found under target\\/criterion')
    expect(comment).toContain('_No benchmark case to show._')
  })

  it('links only a web address, with parentheses encoded', () => {
    expect(renderPerfComment(passedCompare(), { runUrl: 'javascript:alert(1)' })).not.toContain(
      'javascript'
    )
    expect(renderPerfComment(passedCompare(), { runUrl: 'https://x.test/a(b)' })).toContain(
      '(https://x.test/a%28b%29)'
    )
    expect(renderPerfComment(passedCompare(), {})).not.toContain('[Job summary')
  })

  it('escapes hostile ids and reasons so nothing breaks out or pings anyone', () => {
    const comment = renderPerfComment(hostileCompare(), { runUrl: RUN })
    expect(markdownHazards(comment)).toEqual([])
    expect(comment).not.toContain(HOSTILE_ID.split('\n')[0])
  })

  it('stays under 65,000 characters with 5,000 long hostile names, and says what it left out', () => {
    const comment = renderPerfComment(manyCases(5_000), { runUrl: RUN })
    expect(comment.length).toBeLessThanOrEqual(MAX_PERF_COMMENT_CHARS)
    expect(MAX_PERF_COMMENT_CHARS).toBeLessThanOrEqual(65_000)
    expect(markdownHazards(comment)).toEqual([])
    expect(comment).toContain(
      '_4000 more cases not shown (see the [run](' + RUN + ')): 4000 unchanged._'
    )
    const shown = comment.match(/\| 🔴 regressed \|/g)?.length ?? 0
    expect(shown).toBeGreaterThan(0)
    const note =
      /_(\d+) more cases not shown \(see the \[run\]\([^)]*\)\): (\d+) regressed, 500 improved\._/.exec(
        comment
      )
    expect(Number(note?.[2])).toBe(500 - shown)
    expect(Number(note?.[1])).toBe(1_000 - shown)
    expect(comment.trimEnd().endsWith(`[Job summary, logs and the full results](${RUN})`)).toBe(
      true
    )
  })
})
