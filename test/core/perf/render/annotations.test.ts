import { describe, expect, it } from 'vitest'
import {
  type AnnotationProperties,
  type AnnotationSink,
  emitAnnotations,
  MAX_ANNOTATIONS_PER_LEVEL
} from '../../../../src/core/shared/annotations.js'
import {
  checkRunAnnotations,
  planPerfAnnotations
} from '../../../../src/core/perf/render/annotations.js'
import {
  compare,
  comparison,
  HOSTILE_ID,
  inconclusive,
  passedCompare,
  snapshot,
  tooFewCases,
  twoRegressed,
  unchanged,
  zeroCases
} from './fixtures.js'

function recorder(): { sink: AnnotationSink; calls: [string, string, AnnotationProperties][] } {
  const calls: [string, string, AnnotationProperties][] = []
  const sink: AnnotationSink = {
    error: (message, properties) => void calls.push(['error', message, properties]),
    warning: (message, properties) => void calls.push(['warning', message, properties]),
    notice: (message, properties) => void calls.push(['notice', message, properties])
  }
  return { sink, calls }
}

// 25 regressed and 15 inconclusive-above-threshold cases, deltas shuffled.
function crowded(): ReturnType<typeof compare> {
  return compare([
    ...unchanged(6),
    ...Array.from({ length: 25 }, (_, i) =>
      comparison(`Put/${i}`, 'regressed', 10 + ((i * 7) % 25))
    ),
    ...Array.from({ length: 15 }, (_, i) => comparison(`Get/${i}`, 'inconclusive', 6 + i / 10))
  ])
}

describe('perf annotations', () => {
  it('makes one error per regressed case, largest delta first, with base → head, delta, interval and threshold', () => {
    expect(planPerfAnnotations(twoRegressed())).toEqual({
      annotations: [
        {
          level: 'error',
          title: 'Scan/1000',
          message:
            'Scan/1000 is slower: 1.00 ms → 1.30 ms, Δ +30.0 % (interval [+28.0, +32.0] %), above its 5 % threshold, confirmed by measuring it again.'
        },
        {
          level: 'error',
          title: 'Put/K16-V16/1',
          message:
            'Put/K16-V16/1 is slower: 3.21 ms → 3.60 ms, Δ +12.3 % (interval [+8.1, +16.9] %), above its 5 % threshold.'
        }
      ],
      notAnnotated: 0
    })
  })

  it('warns about an inconclusive case whose delta is above its threshold', () => {
    const { annotations } = planPerfAnnotations(inconclusive())
    expect(annotations).toEqual([
      {
        level: 'warning',
        title: 'Maybe/1',
        message:
          'Maybe/1 may be slower: 1.00 ms → 1.07 ms, Δ +7.0 % (interval [-1.5, +15.5] %); the interval straddles its 5 % threshold, so this run cannot tell a regression from noise.'
      }
    ])
  })

  it('does not warn about an inconclusive case below its threshold', () => {
    const result = compare([...unchanged(6), comparison('Maybe/1', 'inconclusive', 3)])
    expect(planPerfAnnotations(result).annotations).toEqual([])
  })

  it('annotates nothing when the gate passed without a doubt', () => {
    expect(planPerfAnnotations(passedCompare())).toEqual({ annotations: [], notAnnotated: 0 })
  })

  it('puts one error on a gate that failed without a case to blame', () => {
    expect(planPerfAnnotations(zeroCases()).annotations).toEqual([
      {
        level: 'error',
        title: 'perf gate failed',
        message: 'no Criterion case was found under target/criterion'
      }
    ])
    expect(planPerfAnnotations(tooFewCases()).annotations[0]?.message).toBe(
      '3 cases compared; at least 6 needed'
    )
    const failedSnapshot = snapshot({ passed: false, count: 0, cases: [], reasons: ['none'] })
    expect(planPerfAnnotations(failedSnapshot).annotations).toEqual([
      { level: 'error', title: 'perf snapshot failed', message: 'none' }
    ])
  })

  it('keeps at most 10 per level, the largest deltas, and counts the rest in a notice', () => {
    const plan = planPerfAnnotations(crowded())
    const errors = plan.annotations.filter(a => a.level === 'error')
    const warnings = plan.annotations.filter(a => a.level === 'warning')
    expect(errors).toHaveLength(MAX_ANNOTATIONS_PER_LEVEL)
    expect(warnings).toHaveLength(MAX_ANNOTATIONS_PER_LEVEL)
    expect(errors[0]?.message).toContain('Δ +34.0 %')
    expect(errors[9]?.message).toContain('Δ +25.0 %')
    expect(warnings[0]?.title).toBe('Get/14')
    expect(plan.notAnnotated).toBe(20)
    expect(plan.notice).toBe(
      '15 more regressed cases and 5 more inconclusive cases were not annotated: see the job summary'
    )
  })

  it('emits without a file or line, since a bench case has no source location', () => {
    const { sink, calls } = recorder()
    emitAnnotations(planPerfAnnotations(crowded()), sink)
    expect(calls).toHaveLength(21)
    expect(calls[0]?.[2]).toEqual({ title: 'Put/7' })
    expect(calls.every(([, , properties]) => properties.file === undefined)).toBe(true)
    expect(calls.at(-1)?.[0]).toBe('notice')
  })

  it('cuts a long title to 255 characters and keeps a hostile id on one line', () => {
    const id = `${HOSTILE_ID}${'x'.repeat(400)}`
    const [annotation] = planPerfAnnotations(
      compare([...unchanged(6), comparison(id, 'regressed', 9)])
    ).annotations
    expect(annotation?.title).toHaveLength(255)
    expect(annotation?.title).not.toContain('\n')
    expect(annotation?.title.endsWith('…')).toBe(true)
  })
})

describe('perf check run annotations', () => {
  it('places every regressed and inconclusive case on line 1 of the named file, uncapped', () => {
    const annotations = checkRunAnnotations(crowded(), 'benches/perf.rs')
    expect(annotations).toHaveLength(40)
    expect(annotations.filter(a => a.annotation_level === 'failure')).toHaveLength(25)
    expect(annotations.filter(a => a.annotation_level === 'warning')).toHaveLength(15)
    expect(annotations[0]).toEqual({
      path: 'benches/perf.rs',
      start_line: 1,
      end_line: 1,
      annotation_level: 'failure',
      title: 'Put/7',
      message: expect.stringContaining('Δ +34.0 %') as string
    })
  })

  it('includes inconclusive cases below the threshold too, saying only what each shows', () => {
    const result = compare([
      ...unchanged(6),
      comparison('Maybe/1', 'inconclusive', 3, { ci: undefined }),
      comparison('Faster/2', 'inconclusive', -12, { ci: { low: -30, high: 4 } })
    ])
    expect(checkRunAnnotations(result, 'benches/perf.rs')).toMatchObject([
      {
        annotation_level: 'warning',
        title: 'Maybe/1',
        message:
          'Maybe/1 could not be judged: 1.00 ms → 1.03 ms, Δ +3.0 %; too few paired rounds for an interval, so this run cannot tell a change of 5 % from none.'
      },
      {
        annotation_level: 'warning',
        title: 'Faster/2',
        message:
          'Faster/2 could not be judged: 1.00 ms → 880 µs, Δ -12.0 % (interval [-30.0, +4.0] %); the interval reaches past ±5 %, so this run cannot tell a change of 5 % from none.'
      }
    ])
  })

  it('has a failure for a gate that failed without a case to blame', () => {
    expect(checkRunAnnotations(zeroCases(), 'Cargo.toml')).toMatchObject([
      { path: 'Cargo.toml', annotation_level: 'failure', title: 'perf gate failed' }
    ])
  })
})
