/**
 * Discovering a plan from what libtest lists, and the zero-test guard: a
 * selection that would run no test is reported as a failure ("feature gate
 * drift"), never passed silently.
 */
import { describe, expect, it } from 'vitest'
import {
  activeGroups,
  checkGroupSelections,
  checkMainSelections,
  discoverPlan,
  layersOf,
  mainTargets
} from '../../../src/core/layers/plan-selection.js'
import type { GroupCase, PlanGroup, TestPlan } from '../../../src/core/layers/plan.js'
import type { TestListing } from '../../../src/core/cargo/listing.js'

/** A listing from `{ target: [tests...] }`; names ending in ` (ignored)` are #[ignore]. */
function listing(targets: Record<string, string[]>): TestListing {
  const out: TestListing = new Map()
  for (const [target, tests] of Object.entries(targets)) {
    const all = new Set<string>()
    const ignored = new Set<string>()
    for (const t of tests) {
      const name = t.replace(/ \(ignored\)$/, '')
      all.add(name)
      if (name !== t) ignored.add(name)
    }
    out.set(target, { all, ignored })
  }
  return out
}

function plan(parts: Partial<TestPlan> = {}): TestPlan {
  return {
    source: { kind: 'file', path: 'plan.yml' },
    fast: { targets: [] },
    stress: [],
    chaos: [],
    groups: [],
    env: {},
    ...parts
  }
}

const LISTING = listing({
  stress: [
    'stress_evictor (ignored)',
    'stress_bucket_rounds (ignored)',
    'helper_is_fast',
    'slow_but_not_stress (ignored)'
  ],
  chaos: ['chaos_crash_mid_put (ignored)', 'chaos_only_named_so'],
  basic: ['put_then_get', 'delete'],
  'bin:mini_kv': ['tests::parses_args'],
  lib: ['tests::helper_rejects_long_key', 'tests::stress_inside_lib (ignored)'],
  recovery: ['recovery::chaos_reopen (ignored)']
})

describe('discoverPlan', () => {
  const discovered = discoverPlan(LISTING)

  it('targets with a test that is not #[ignore] form fast: lib, then binaries, then tests by name', () => {
    expect(discovered.fast.targets).toEqual(['lib', 'bin:mini_kv', 'basic', 'chaos', 'stress'])
  })

  it('#[ignore] tests named stress_* form stress, in each target sorted by name', () => {
    expect(discovered.stress).toEqual([
      { target: 'lib', test: 'tests::stress_inside_lib' },
      { target: 'stress', test: 'stress_bucket_rounds' },
      { target: 'stress', test: 'stress_evictor' }
    ])
  })

  it('#[ignore] tests named chaos_* (after their module path) form chaos', () => {
    expect(discovered.chaos).toEqual([
      { target: 'chaos', test: 'chaos_crash_mid_put' },
      { target: 'recovery', test: 'recovery::chaos_reopen' }
    ])
  })

  it('is marked as discovered, with no groups and no environment', () => {
    expect(discovered).toMatchObject({ source: { kind: 'discovered' }, groups: [], env: {} })
  })

  it('an empty listing discovers an empty plan', () => {
    expect(discoverPlan(new Map())).toEqual({
      source: { kind: 'discovered' },
      fast: { targets: [] },
      stress: [],
      chaos: [],
      groups: [],
      env: {}
    })
  })
})

describe('layers and what they need', () => {
  it('mode all runs fast, then stress, then chaos; other modes run their own layer', () => {
    expect(layersOf('all')).toEqual(['fast', 'stress', 'chaos'])
    expect(layersOf('chaos')).toEqual(['chaos'])
  })

  const group = (name: string, layer: PlanGroup['layer']): PlanGroup => ({
    name,
    features: 'failpoints,extra_check',
    layer,
    cases: []
  })
  const p = plan({
    fast: { targets: ['basic', 'lib'] },
    stress: [{ target: 'stress', test: 'stress_a' }],
    chaos: [
      { target: 'chaos', test: 'chaos_a' },
      { target: 'stress', test: 'chaos_b' }
    ],
    groups: [group('extra', 'fast'), group('crash', 'chaos')]
  })

  it('only the active layers’ targets are built, each once', () => {
    expect(mainTargets(p, ['fast'])).toEqual(['basic', 'lib'])
    expect(mainTargets(p, ['stress', 'chaos'])).toEqual(['stress', 'chaos'])
  })

  it('only groups of an active layer run', () => {
    expect(activeGroups(p, ['stress', 'chaos']).map(g => g.name)).toEqual(['crash'])
  })
})

describe('checkMainSelections', () => {
  it('a plan whose every selection lists tests has no problem', () => {
    const p = plan({
      fast: { targets: ['basic', 'lib'] },
      stress: [{ target: 'stress', test: 'stress_evictor' }],
      chaos: [{ target: 'chaos', test: 'chaos_crash_mid_put' }]
    })
    expect(checkMainSelections(p, layersOf('all'), LISTING, 'failpoints')).toEqual([])
  })

  it('a fast layer with no target fails, unless a fast group gives it tests', () => {
    expect(checkMainSelections(plan(), ['fast'], LISTING, 'failpoints')).toEqual([
      { id: 'fast', message: "The fast layer selects no test target (features 'failpoints')." }
    ])
    const withGroup = plan({
      groups: [{ name: 'extra', features: 'extra_check', layer: 'fast', cases: [] }]
    })
    expect(checkMainSelections(withGroup, ['fast'], LISTING, 'failpoints')).toEqual([])
  })

  it('a fast target that is missing, or has only #[ignore] tests, is feature gate drift', () => {
    const p = plan({ fast: { targets: ['basic', 'recovery', 'gone'] } })
    expect(checkMainSelections(p, ['fast'], LISTING, 'failpoints')).toEqual([
      {
        id: 'fast',
        message:
          "Fast target 'recovery' lists no test that is not #[ignore] (features 'failpoints'): feature gate drift, or a target without tests."
      },
      {
        id: 'fast',
        message:
          "Fast target 'gone' lists no test that is not #[ignore] (features 'failpoints'): feature gate drift, or a target without tests."
      }
    ])
  })

  it('with default features the message says so', () => {
    expect(checkMainSelections(plan(), ['fast'], LISTING, '')[0]?.message).toBe(
      "The fast layer selects no test target (features 'default')."
    )
  })

  it('an empty discovered stress or chaos layer says no test of that name was found', () => {
    const empty = discoverPlan(listing({ basic: ['put'] }))
    expect(checkMainSelections(empty, ['stress', 'chaos'], LISTING, 'failpoints')).toEqual([
      {
        id: 'stress',
        message:
          "The stress layer selects no test (features 'failpoints'): no #[ignore] test named stress_* was found."
      },
      {
        id: 'chaos',
        message:
          "The chaos layer selects no test (features 'failpoints'): no #[ignore] test named chaos_* was found."
      }
    ])
  })

  it('an empty stress or chaos layer of a plan says the plan has no case for it', () => {
    expect(checkMainSelections(plan(), ['chaos'], LISTING, 'failpoints')).toEqual([
      {
        id: 'chaos',
        message:
          "The chaos layer selects no test (features 'failpoints'): the plan has no case for it."
      }
    ])
  })

  it('a stress or chaos case must list as an #[ignore] test of its target, exactly', () => {
    const p = plan({
      stress: [
        { target: 'stress', test: 'helper_is_fast' }, // not #[ignore]
        { target: 'stress', test: 'stress_bucket' } // only a prefix of a real name
      ],
      chaos: [{ target: 'nowhere', test: 'chaos_crash_mid_put' }]
    })
    expect(checkMainSelections(p, ['stress', 'chaos'], LISTING, 'failpoints')).toEqual([
      {
        id: 'stress:helper_is_fast',
        message:
          "'stress:helper_is_fast' lists 0 tests with --ignored --exact (features 'failpoints'): the test is missing, not #[ignore], or behind another feature."
      },
      {
        id: 'stress:stress_bucket',
        message:
          "'stress:stress_bucket' lists 0 tests with --ignored --exact (features 'failpoints'): the test is missing, not #[ignore], or behind another feature."
      },
      {
        id: 'chaos:chaos_crash_mid_put',
        message:
          "'nowhere:chaos_crash_mid_put' lists 0 tests with --ignored --exact (features 'failpoints'): the test is missing, not #[ignore], or behind another feature."
      }
    ])
  })

  it('layers the mode does not run are not checked', () => {
    const p = plan({ fast: { targets: ['basic'] } })
    expect(checkMainSelections(p, ['fast'], LISTING, 'failpoints')).toEqual([])
  })
})

describe('checkGroupSelections', () => {
  const GROUP_LISTING = listing({
    extra_check: [
      'extra_check_invariants',
      'extra_check_invariants_deep',
      'chaos_extra_check_crash (ignored)',
      'chaos_extra_check_crash_twice (ignored)'
    ]
  })
  const group = (...cases: Partial<GroupCase>[]): PlanGroup => ({
    name: 'extra_check',
    features: 'failpoints,extra_check',
    layer: 'fast',
    cases: cases.map(c => ({
      target: 'extra_check',
      test: 'extra_check_invariants',
      mode: 'normal',
      exact: true,
      ...c
    }))
  })
  const messages = (g: PlanGroup): string[] =>
    checkGroupSelections(g, GROUP_LISTING).map(p => `${p.id} | ${p.message}`)

  it('an exact case that lists exactly one test, normal or crash, has no problem', () => {
    const g = group({}, { test: 'chaos_extra_check_crash', mode: 'crash' })
    expect(checkGroupSelections(g, GROUP_LISTING)).toEqual([])
  })

  it('a filter case passes when it lists one test or more', () => {
    const g = group(
      { test: 'invariants', exact: false },
      { test: 'chaos_extra', mode: 'crash', exact: false }
    )
    expect(checkGroupSelections(g, GROUP_LISTING)).toEqual([])
  })

  it('an exact normal case fails when its test is missing or #[ignore]', () => {
    const g = group({ test: 'extra_check_gone' }, { test: 'chaos_extra_check_crash' })
    expect(messages(g)).toEqual([
      "fast:extra_check:extra_check_gone | Group 'extra_check': 'extra_check:extra_check_gone' lists 0 tests with --exact (features 'failpoints,extra_check'); expected exactly one: feature gate drift.",
      "fast:extra_check:chaos_extra_check_crash | Group 'extra_check': 'extra_check:chaos_extra_check_crash' lists 0 tests with --exact (features 'failpoints,extra_check'); expected exactly one: feature gate drift."
    ])
  })

  it('an exact crash case fails when its test is not #[ignore]', () => {
    expect(messages(group({ mode: 'crash' }))).toEqual([
      "fast:extra_check:extra_check_invariants | Group 'extra_check': 'extra_check:extra_check_invariants' lists 0 tests with --ignored --exact (features 'failpoints,extra_check'); expected exactly one: feature gate drift."
    ])
  })

  it('a filter case fails when it matches nothing of its mode', () => {
    const g = group(
      { test: 'chaos_extra', exact: false },
      { test: 'invariants', mode: 'crash', exact: false }
    )
    expect(messages(g)).toEqual([
      "fast:extra_check:chaos_extra | Group 'extra_check': 'extra_check:chaos_extra' lists 0 tests with (filter) (features 'failpoints,extra_check'); expected at least one: feature gate drift.",
      "fast:extra_check:invariants | Group 'extra_check': 'extra_check:invariants' lists 0 tests with --ignored (filter) (features 'failpoints,extra_check'); expected at least one: feature gate drift."
    ])
  })

  it('a case whose target is not listed (gated behind a feature) lists 0 tests', () => {
    const g = group({ target: 'gated' })
    expect(checkGroupSelections(g, GROUP_LISTING)).toEqual([
      {
        id: 'fast:extra_check:extra_check_invariants',
        message:
          "Group 'extra_check': 'gated:extra_check_invariants' lists 0 tests with --exact (features 'failpoints,extra_check'); expected exactly one: feature gate drift."
      }
    ])
  })
})
