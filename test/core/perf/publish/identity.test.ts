/**
 * Which step a published compare belongs to: two action-perf steps in one job, or the legs of a
 * matrix, each keep their own sticky comment and check run; a lone step keeps its old key.
 */
import { describe, expect, it } from 'vitest'
import { matrixLeg, perfIdentity } from '../../../../src/core/perf/publish/identity.js'
import { stickyMarker } from '../../../../src/core/github/sticky-comment.js'

const env = { GITHUB_WORKFLOW: 'perf', GITHUB_JOB: 'perf-regression' }

describe('perfIdentity', () => {
  it('keeps the key and name of earlier releases for a lone step with the defaults', () => {
    expect(
      perfIdentity(env, {
        bench: 'perf',
        workingDirectory: '.',
        metric: 'walltime',
        matrix: 'null'
      })
    ).toEqual({
      checkName: 'perf gate (perf-regression)',
      commentKey: 'perf/perf-regression/action-perf'
    })
  })

  it('tells two steps of one job apart by bench, crate and metric', () => {
    const a = perfIdentity(env, { bench: 'perf' })
    const b = perfIdentity(env, { bench: 'micro' })
    const c = perfIdentity(env, { bench: 'iai', metric: 'instructions' })
    const d = perfIdentity(env, { bench: 'perf', workingDirectory: 'crates/kv' })
    const keys = [a, b, c, d].map(i => i.commentKey)
    expect(new Set(keys).size).toBe(4)
    expect(new Set([a, b, c, d].map(i => i.checkName)).size).toBe(4)
    expect(b.checkName).toBe('perf gate (perf-regression, bench micro)')
    expect(c.checkName).toBe('perf gate (perf-regression, bench iai, instructions)')
    expect(d.checkName).toBe('perf gate (perf-regression, in crates/kv)')
  })

  it('tells the legs of a matrix apart by their values, in one comment each', () => {
    const ubuntu = perfIdentity(env, { matrix: '{"os":"ubuntu-latest","rust":"stable"}' })
    const arm = perfIdentity(env, {
      matrix: '{\n  "os": "ubuntu-24.04-arm",\n  "rust": "stable"\n}'
    })
    expect(ubuntu.checkName).toBe('perf gate (perf-regression, ubuntu-latest, stable)')
    expect(arm.checkName).toBe('perf gate (perf-regression, ubuntu-24.04-arm, stable)')
    expect(stickyMarker(ubuntu.commentKey)).not.toBe(stickyMarker(arm.commentKey))
  })

  it('takes a given name for the check run and the key, over everything else', () => {
    expect(perfIdentity(env, { name: 'perf (nightly)', bench: 'micro' })).toEqual({
      checkName: 'perf (nightly)',
      commentKey: 'perf/perf-regression/action-perf/name=perf (nightly)'
    })
  })

  it('keys a report step by the artifact it publishes, when not the default', () => {
    expect(perfIdentity(env, { artifactName: 'mace-perf-results' }).commentKey).toBe(
      'perf/perf-regression/action-perf'
    )
    expect(perfIdentity(env, { artifactName: 'perf-arm' }).checkName).toBe(
      'perf gate (perf-regression, artifact perf-arm)'
    )
  })
})

describe('matrixLeg', () => {
  it('reads toJSON(matrix): the values in order; nothing for a job without a matrix or text that is not JSON', () => {
    expect(matrixLeg('{"os":"ubuntu","n":2,"x":{"a":1}}')).toBe('ubuntu, 2, {"a":1}')
    expect(matrixLeg('null')).toBe('')
    expect(matrixLeg('')).toBe('')
    expect(matrixLeg(undefined)).toBe('')
    expect(matrixLeg('not json')).toBe('')
    expect(matrixLeg('[1,2]')).toBe('')
  })
})
