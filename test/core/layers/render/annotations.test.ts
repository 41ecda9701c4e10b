import type * as core from '@actions/core'
import { describe, expect, it } from 'vitest'
import {
  type AnnotationProperties,
  type AnnotationSink,
  emitAnnotations
} from '../../../../src/core/shared/annotations.js'
import { planAnnotations } from '../../../../src/core/layers/render/annotations.js'
import {
  attempt,
  buildFailure,
  fastFailure,
  flakyChaos,
  layer,
  manyFailures,
  run,
  selectionProblem,
  stressTimeout,
  test,
  testCase
} from './fixtures.js'

// @actions/core's functions are what the action passes as the sink.
const coreIsASink = (sink: typeof core): AnnotationSink => sink
void coreIsASink

function recorder(): { sink: AnnotationSink; calls: [string, string, AnnotationProperties][] } {
  const calls: [string, string, AnnotationProperties][] = []
  const sink: AnnotationSink = {
    error: (message, properties) => void calls.push(['error', message, properties]),
    warning: (message, properties) => void calls.push(['warning', message, properties]),
    notice: (message, properties) => void calls.push(['notice', message, properties])
  }
  return { sink, calls }
}

describe('planning annotations', () => {
  it('puts an error at the file:line where a fast test panicked', () => {
    expect(planAnnotations(fastFailure())).toEqual({
      annotations: [
        {
          level: 'error',
          title: 'fast: put_then_get failed',
          message: 'assertion `left == right` failed\n  left: 1\n right: 2',
          file: 'tests/basic.rs',
          startLine: 12,
          startColumn: 5
        }
      ],
      notAnnotated: 0
    })
  })

  it('reports a timed-out test as an error without a location when none is known', () => {
    const [annotation] = planAnnotations(stressTimeout()).annotations
    expect(annotation).toEqual({
      level: 'error',
      title: 'stress:stress_bucket_rounds: stress_bucket_rounds timed out',
      message: 'did not finish within 600s'
    })
  })

  it('warns about a flaky case at the location of the failure in the failed attempt', () => {
    const [annotation] = planAnnotations(flakyChaos()).annotations
    expect(annotation).toMatchObject({
      level: 'warning',
      title: 'chaos:chaos_recover is flaky',
      file: 'tests/chaos.rs',
      startLine: 40,
      startColumn: 9
    })
    expect(annotation?.message).toBe(
      'chaos:chaos_recover passed on attempt 2 of 3. Attempt 1: chaos_recover failed at tests/chaos.rs:40:9: recovered state differs'
    )
  })

  it('puts a build error at its compiler location, and does not repeat it for the case that never ran', () => {
    const { annotations } = planAnnotations(buildFailure())
    expect(annotations).toHaveLength(1)
    expect(annotations[0]).toMatchObject({
      level: 'error',
      title: 'build failed (features failpoints)',
      file: 'tests/basic.rs',
      startLine: 3,
      startColumn: 13
    })
    expect(annotations[0]?.message).toContain('error[E0425]')
  })

  it('reports a selection that listed no test as an error', () => {
    expect(planAnnotations(selectionProblem()).annotations).toEqual([
      {
        level: 'error',
        title: 'selection problem: fast:extra_check:crash_recovery',
        message: 'expected exactly one test named crash_recovery, the selection listed 0'
      }
    ])
  })

  it('keeps 10 of 25 failures, in run order, and says how many were not annotated', () => {
    const plan = planAnnotations(manyFailures(25))
    expect(plan.annotations).toHaveLength(10)
    expect(plan.annotations.map(a => a.startLine)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19])
    expect(plan.notAnnotated).toBe(15)
    expect(plan.notice).toBe('15 more failures were not annotated: see the job summary')
  })

  it('ranks build errors, then failed tests, then timeouts and crashes, then flaky cases', () => {
    const failed = Array.from({ length: 9 }, (_, i) =>
      test(`t${i}`, { outcome: 'failed', location: { file: 'tests/a.rs', line: i + 1 } })
    )
    const hung = test('hang', { outcome: 'timed-out' })
    const crashed = test('crash', { outcome: 'crashed' })
    const result = run(
      [
        layer('fast', [testCase('fast', [attempt(1, [hung, ...failed, crashed])])]),
        ...flakyChaos().layers
      ],
      { builds: buildFailure().builds }
    )
    const plan = planAnnotations(result)
    expect(plan.annotations.map(a => a.title)).toEqual([
      'build failed (features failpoints)',
      ...failed.map(t => `fast: ${t.name} failed`),
      'chaos:chaos_recover is flaky'
    ])
    expect(plan.notAnnotated).toBe(2)
    expect(plan.notice).toBe('2 more failures were not annotated: see the job summary')
  })

  it('places only repository-relative locations', () => {
    const at = (file: string): ReturnType<typeof test> =>
      test(file, { outcome: 'failed', location: { file, line: 3 } })
    const tests = [
      at('/home/runner/.cargo/registry/src/dep/lib.rs'),
      at('../outside.rs'),
      at('/work/repo/tests/inside.rs'),
      at('tests\\windows.rs')
    ]
    const result = run([layer('fast', [testCase('fast', [attempt(1, tests)])])])
    const files = planAnnotations(result, '/work/repo').annotations.map(a => a.file)
    expect(files).toEqual([undefined, undefined, 'tests/inside.rs', 'tests/windows.rs'])
  })

  it('names a crash before any test ran at the case, with what ended it', () => {
    const crash = attempt(1, [], {
      passed: false,
      command: { ...attempt(1, []).command, exitCode: null, signal: 'SIGSEGV' }
    })
    const result = run([layer('chaos', [testCase('chaos:c', [crash], { status: 'error' })])])
    expect(planAnnotations(result).annotations).toEqual([
      {
        level: 'error',
        title: 'chaos:c error',
        message: 'The command ended: killed by SIGSEGV; see target/mace-test/fast-1.log'
      }
    ])
  })

  it('keeps 10 flaky warnings apart from the 10 errors and counts the rest in the notice', () => {
    const flaky = Array.from({ length: 12 }, (_, i) => {
      const failed = test(`chaos_${i}`, {
        outcome: 'failed',
        location: { file: 'tests/c.rs', line: i + 1 }
      })
      return testCase(
        `chaos:chaos_${i}`,
        [attempt(1, [failed]), attempt(2, [test(`chaos_${i}`)])],
        {
          maxAttempts: 3
        }
      )
    })
    const plan = planAnnotations(run([...manyFailures(11).layers, layer('chaos', flaky)]))
    expect(plan.annotations.filter(a => a.level === 'error')).toHaveLength(10)
    expect(plan.annotations.filter(a => a.level === 'warning')).toHaveLength(10)
    expect(plan.notice).toBe(
      '1 more failure and 2 more flaky cases were not annotated: see the job summary'
    )
  })
})

describe('emitting annotations', () => {
  it('sends each annotation with @actions/core-shaped properties, then the notice', () => {
    const { sink, calls } = recorder()
    emitAnnotations(planAnnotations(manyFailures(11)), sink)
    expect(calls).toHaveLength(11)
    expect(calls[0]).toEqual([
      'error',
      'failure number 1',
      { title: 'fast: case_01 failed', file: 'tests/many.rs', startLine: 10 }
    ])
    expect(calls[10]).toEqual([
      'notice',
      '1 more failure was not annotated: see the job summary',
      { title: 'Not every failure annotated' }
    ])
  })

  it('sends nothing for a green run', () => {
    const { sink, calls } = recorder()
    emitAnnotations(planAnnotations(run([])), sink)
    expect(calls).toEqual([])
  })
})
