/**
 * The cargo command of each kind of case, argument for argument as the
 * reference prod_test.sh builds it (SPEC §1 "Test layers"), so a user can
 * copy a command from the report and rerun it. The one deliberate difference:
 * the fast command adds --no-fail-fast, so every failing target is reported.
 */
import { describe, expect, it } from 'vitest'
import {
  fastArgv,
  groupCaseArgv,
  ignoredCaseArgv
} from '../../../src/core/layers/layer-commands.js'
import { targetArgs, targetsArgs, type GroupCase } from '../../../src/core/layers/plan.js'

const BASE = { cargoArgs: [], threads: 8 }

describe('fast layer', () => {
  it('is one cargo test over every fast target, --nocapture and the thread count after --', () => {
    expect(fastArgv(BASE, 'failpoints', ['basic', 'recovery'])).toEqual([
      'cargo',
      'test',
      '--features',
      'failpoints',
      '--no-fail-fast',
      '--test',
      'basic',
      '--test',
      'recovery',
      '--',
      '--nocapture',
      '--test-threads=8'
    ])
  })

  it('selects unit tests of the library and of binaries with --lib and --bin', () => {
    expect(fastArgv({ cargoArgs: [], threads: 2 }, 'failpoints', ['lib', 'bin:mini_kv'])).toEqual([
      'cargo',
      'test',
      '--features',
      'failpoints',
      '--no-fail-fast',
      '--lib',
      '--bin',
      'mini_kv',
      '--',
      '--nocapture',
      '--test-threads=2'
    ])
  })
})

describe('stress and chaos cases', () => {
  it('run one #[ignore] test exactly', () => {
    expect(ignoredCaseArgv(BASE, 'failpoints', 'stress', 'stress_bucket_rounds')).toEqual([
      'cargo',
      'test',
      '--features',
      'failpoints',
      '--test',
      'stress',
      'stress_bucket_rounds',
      '--',
      '--ignored',
      '--exact',
      '--nocapture',
      '--test-threads=8'
    ])
  })

  it('a library unit test keeps its module path', () => {
    expect(ignoredCaseArgv(BASE, 'failpoints', 'lib', 'tests::chaos_torn_write')).toEqual([
      'cargo',
      'test',
      '--features',
      'failpoints',
      '--lib',
      'tests::chaos_torn_write',
      '--',
      '--ignored',
      '--exact',
      '--nocapture',
      '--test-threads=8'
    ])
  })
})

describe('feature-gated group cases', () => {
  const FEATURES = 'failpoints,extra_check'

  it('a normal case is a plain run of the exact test', () => {
    const c: GroupCase = {
      target: 'extra_check',
      test: 'extra_check_invariants',
      mode: 'normal',
      exact: true
    }
    expect(groupCaseArgv(BASE, FEATURES, c)).toEqual([
      'cargo',
      'test',
      '--features',
      'failpoints,extra_check',
      '--test',
      'extra_check',
      'extra_check_invariants',
      '--',
      '--exact',
      '--nocapture',
      '--test-threads=8'
    ])
  })

  it('a crash case runs the #[ignore] test with --ignored', () => {
    const c: GroupCase = {
      target: 'extra_check',
      test: 'chaos_extra_check_crash',
      mode: 'crash',
      exact: true
    }
    expect(groupCaseArgv(BASE, FEATURES, c)).toEqual([
      'cargo',
      'test',
      '--features',
      'failpoints,extra_check',
      '--test',
      'extra_check',
      'chaos_extra_check_crash',
      '--',
      '--ignored',
      '--exact',
      '--nocapture',
      '--test-threads=8'
    ])
  })

  it('a filter case leaves out --exact, so libtest matches by substring', () => {
    const c: GroupCase = { target: 'extra_check', test: 'invariants', mode: 'normal', exact: false }
    expect(groupCaseArgv(BASE, FEATURES, c)).toEqual([
      'cargo',
      'test',
      '--features',
      'failpoints,extra_check',
      '--test',
      'extra_check',
      'invariants',
      '--',
      '--nocapture',
      '--test-threads=8'
    ])
  })
})

describe('shared parts', () => {
  it('extra cargo arguments come right after cargo test, before the features', () => {
    const base = { cargoArgs: ['--release', '--locked', '-p', 'mini_kv'], threads: 1 }
    expect(ignoredCaseArgv(base, 'failpoints', 'chaos', 'chaos_a').slice(0, 8)).toEqual([
      'cargo',
      'test',
      '--release',
      '--locked',
      '-p',
      'mini_kv',
      '--features',
      'failpoints'
    ])
    expect(fastArgv(base, 'failpoints', ['basic']).slice(2, 6)).toEqual([
      '--release',
      '--locked',
      '-p',
      'mini_kv'
    ])
  })

  it('with no features, no --features is passed (cargo uses the default features)', () => {
    expect(fastArgv(BASE, '', ['basic'])).not.toContain('--features')
    expect(ignoredCaseArgv(BASE, '  ', 'stress', 'stress_a').slice(0, 4)).toEqual([
      'cargo',
      'test',
      '--test',
      'stress'
    ])
  })
})

describe('targets of a workspace', () => {
  it('select their packages once, then each selector once (cargo runs the cross product)', () => {
    expect(targetsArgs(['alpha/lib', 'alpha/integration', 'beta/lib'])).toEqual([
      '-p',
      'alpha',
      '-p',
      'beta',
      '--lib',
      '--test',
      'integration'
    ])
    expect(targetArgs('gamma/bin:tool')).toEqual(['-p', 'gamma', '--bin', 'tool'])
    expect(targetsArgs(['lib', 'basic'])).toEqual(['--lib', '--test', 'basic'])
  })
})
