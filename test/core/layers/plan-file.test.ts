import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { InputError } from '../../../src/core/shared/errors.js'
import { loadPlanFile, parsePlan } from '../../../src/core/layers/plan-file.js'
import type { TestPlan } from '../../../src/core/layers/plan.js'

const EXAMPLE = fileURLToPath(new URL('../../../examples/mace-test-plan.yml', import.meta.url))
const MACE_KV = fileURLToPath(new URL('../../../examples/mace-kv-test-plan.yml', import.meta.url))

/** YAML from lines, so that a test can name the line it expects in a message. */
function yaml(...lines: string[]): string {
  return lines.join('\n') + '\n'
}

/** The message of the InputError that `text` is rejected with. */
function rejection(text: string): string {
  try {
    parsePlan(text, 'plan.yml')
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return (error as InputError).message
  }
  throw new Error('expected the plan to be rejected')
}

function emptyPlan(path = 'plan.yml'): TestPlan {
  return {
    source: { kind: 'file', path },
    fast: { targets: [] },
    stress: [],
    chaos: [],
    groups: [],
    env: {}
  }
}

describe('a valid plan file', () => {
  it('the example plan describes the fixture crate layer by layer', async () => {
    expect(await loadPlanFile(EXAMPLE)).toEqual({
      source: { kind: 'file', path: EXAMPLE },
      fast: { targets: ['basic', 'recovery', 'lib'] },
      stress: [
        { target: 'stress', test: 'stress_bucket_rounds' },
        { target: 'stress', test: 'stress_bucket_churn' },
        { target: 'stress', test: 'stress_evictor' }
      ],
      chaos: [
        { target: 'chaos', test: 'chaos_crash_mid_put' },
        { target: 'chaos', test: 'chaos_crash_before_compact_rename' },
        { target: 'chaos', test: 'chaos_flaky_recovery' }
      ],
      groups: [
        {
          name: 'extra_check',
          features: 'failpoints,extra_check',
          layer: 'fast',
          cases: [
            { target: 'extra_check', test: 'extra_check_invariants', mode: 'normal', exact: true },
            { target: 'extra_check', test: 'chaos_extra_check_crash', mode: 'crash', exact: true }
          ]
        }
      ],
      env: {
        MACE_PROD_BUCKET_STRESS_ROUNDS: '512',
        MACE_PROD_BUCKET_CHURN_ROUNDS: '128',
        MACE_PROD_BUCKET_CHURN_WORKERS: '2',
        MACE_PROD_EVICTOR_STRESS_ROUNDS: '512'
      }
    } satisfies TestPlan)
  })

  it("the mace-kv plan holds prod_test.sh 0.2.0's lists (docs/mace-kv.md)", async () => {
    const plan = await loadPlanFile(MACE_KV)
    expect(plan.fast.targets).toEqual([
      'cli',
      'prod_bucket',
      'prod_concurrency',
      'prod_evictor',
      'prod_gc',
      'prod_workload',
      'prod_recovery',
      'prod_recovery_failpoints',
      'concurrent_write_migration',
      'prod_generation_failpoints'
    ])
    expect(plan.stress.map(c => `${c.target}:${c.test}`)).toEqual([
      'prod_bucket:stress_create_delete',
      'prod_evictor:stress_drop_reload_loop',
      'prod_gc:stress_blob_cycle',
      'prod_recovery:stress_crash_reopen_loop',
      'prod_workload:stress_hotspot'
    ])
    expect(plan.chaos).toHaveLength(60)
    expect(plan.chaos.filter(c => !c.test.startsWith('chaos_')).map(c => c.test)).toEqual([
      'wal_recycle_done_reopen_is_idempotent',
      'wal_recycle_done_does_not_weaken_gap_detection_after_frontier',
      'abort_clean_hint_window_same_file',
      'abort_clean_hint_window_multi_file',
      'abort_clean_hint_control_after_hint',
      'abort_clean_crash_after_abort_sync_before_task_registration'
    ])
    expect(plan.groups.map(g => [g.name, g.features, g.layer, g.cases.length])).toEqual([
      ['gc_space_accounting', 'failpoints,extra_check', 'fast', 36]
    ])
    const modes = plan.groups[0]!.cases.map(c => `${c.target}:${c.mode}`)
    expect(modes.filter(m => m === 'gc:normal')).toHaveLength(3)
    expect(modes.filter(m => m === 'prod_recovery_failpoints:crash')).toHaveLength(33)
    expect(plan.env).toEqual({})
  })

  it('an empty file, or one with only comments, is an empty plan', () => {
    expect(parsePlan('', 'plan.yml')).toEqual(emptyPlan())
    expect(parsePlan(yaml('# nothing yet', '---'), 'plan.yml')).toEqual(emptyPlan())
  })

  it('missing and blank sections are empty', () => {
    const plan = parsePlan(yaml('fast:', 'stress: []', 'chaos: ~', 'env:'), 'p.yml')
    expect(plan).toEqual(emptyPlan('p.yml'))
  })

  it('a shorthand case splits at the first single colon, so libtest paths keep their ::', () => {
    const plan = parsePlan(
      yaml(
        'stress:',
        '  - stress:tests::churn::many_workers',
        '  - lib:store::tests::compaction_under_load',
        '  - bin:mini-kv:tests::smoke'
      ),
      'plan.yml'
    )
    expect(plan.stress).toEqual([
      { target: 'stress', test: 'tests::churn::many_workers' },
      { target: 'lib', test: 'store::tests::compaction_under_load' },
      { target: 'bin:mini-kv', test: 'tests::smoke' }
    ])
  })

  it('a group takes the fast layer, normal mode and exact matching unless told otherwise', () => {
    const plan = parsePlan(
      yaml(
        'groups:',
        '  - name: gated',
        '    features: [failpoints, extra_check]',
        '    cases:',
        '      - extra_check:extra_check_invariants',
        '      - { target: extra_check, test: chaos_, mode: crash, exact: false }',
        '  - name: slow.gated',
        '    features: " failpoints ,extra_check "',
        '    layer: stress',
        '    cases: [extra_check:stress_extra_check_rounds]'
      ),
      'plan.yml'
    )
    expect(plan.groups).toEqual([
      {
        name: 'gated',
        features: 'failpoints,extra_check',
        layer: 'fast',
        cases: [
          { target: 'extra_check', test: 'extra_check_invariants', mode: 'normal', exact: true },
          { target: 'extra_check', test: 'chaos_', mode: 'crash', exact: false }
        ]
      },
      {
        name: 'slow.gated',
        features: 'failpoints,extra_check',
        layer: 'stress',
        cases: [
          { target: 'extra_check', test: 'stress_extra_check_rounds', mode: 'normal', exact: true }
        ]
      }
    ])
  })

  it('env values are passed as strings, numbers and booleans exactly as written', () => {
    const plan = parsePlan(
      yaml(
        'env:',
        '  ROUNDS: 512',
        '  PADDED: 0512',
        '  RATIO: 1.50',
        '  VERBOSE: true',
        '  NAME: "mini kv"',
        '  EMPTY: ""',
        '  __proto__: kept'
      ),
      'plan.yml'
    )
    expect(plan.env).toEqual({
      ROUNDS: '512',
      PADDED: '0512',
      RATIO: '1.50',
      VERBOSE: 'true',
      NAME: 'mini kv',
      EMPTY: '',
      ['__proto__']: 'kept'
    })
    expect(Object.keys(plan.env)).toContain('__proto__')
  })
})

describe('a plan file with mistakes', () => {
  it('a misspelt key names its line and the keys that are accepted', () => {
    expect(rejection(yaml('version: 1', 'stres:', '  - stress:stress_bucket_rounds'))).toBe(
      'plan.yml:2: stres: unknown key; expected one of version, fast, stress, chaos, groups, env'
    )
    expect(
      rejection(yaml('groups:', '  - name: g', '    feature: failpoints', '    cases: [a:b]'))
    ).toContain(
      'plan.yml:3: groups[0].feature: unknown key; expected one of name, features, layer, cases'
    )
  })

  it('a value of the wrong type names its line, what was found and what is accepted', () => {
    expect(rejection(yaml('fast:', '  targets: basic'))).toBe(
      'plan.yml:2: fast.targets: got "basic"; expected a list of cargo targets: ' +
        '`lib`, `bin:NAME` or an integration test name, without spaces'
    )
    expect(
      rejection(
        yaml('groups:', '  - { name: g, features: f, cases: [{ target: t, test: x, exact: 1 }] }')
      )
    ).toBe('plan.yml:2: groups[0].cases[0].exact: got number 1; expected true or false')
    expect(rejection(yaml('- fast'))).toBe(
      'plan.yml:1: got a list; expected a mapping with keys version, fast, stress, chaos, groups, env'
    )
  })

  it('an unknown case mode says which modes exist', () => {
    const text = yaml(
      'groups:',
      '  - name: extra_check',
      '    features: failpoints,extra_check',
      '    cases:',
      '      - { target: extra_check, test: extra_check_invariants }',
      '      - target: extra_check',
      '        test: chaos_extra_check_crash',
      '        mode: crashy'
    )
    expect(rejection(text)).toBe(
      'plan.yml:8: groups[0].cases[1].mode: "crashy" is not a case mode; expected "normal" or "crash"'
    )
  })

  it('an unknown layer says which layers exist', () => {
    const text = yaml(
      'groups:',
      '  - name: g',
      '    features: f',
      '    layer: slow',
      '    cases: [a:b]'
    )
    expect(rejection(text)).toBe(
      'plan.yml:4: groups[0].layer: "slow" is not a layer; expected "fast", "stress", "chaos"'
    )
  })

  it('a feature list with a bad or empty name is rejected with the accepted form', () => {
    const group = (features: string): string =>
      yaml('groups:', '  - name: g', `    features: ${features}`, '    cases: [a:b]')
    expect(rejection(group('"failpoints extra_check"'))).toBe(
      'plan.yml:3: groups[0].features: got "failpoints extra_check", not a feature name; ' +
        'expected a comma-separated list of feature names ([A-Za-z0-9_/-]+), e.g. failpoints,extra_check'
    )
    expect(rejection(group('failpoints,,extra_check'))).toContain(
      'plan.yml:3: groups[0].features: got an empty feature name;'
    )
  })

  it('a case listed twice in a layer names both lines', () => {
    const text = yaml(
      'stress:',
      '  - stress:stress_bucket_rounds',
      '  - stress:stress_evictor',
      '  - { target: stress, test: stress_bucket_rounds }'
    )
    expect(rejection(text)).toBe(
      'plan.yml:4: stress[2]: case "stress:stress_bucket_rounds" is already listed at line 2 ' +
        '(stress[0]); list each case once per layer'
    )
  })

  it('the same case in stress and chaos is not a duplicate', () => {
    const plan = parsePlan(yaml('stress: [t:x]', 'chaos: [t:x]'), 'plan.yml')
    expect(plan.chaos).toEqual(plan.stress)
  })

  it('two groups with one name, or one key given twice, name both lines', () => {
    const groups = yaml(
      'groups:',
      '  - { name: gated, features: f, cases: [a:b] }',
      '  - { name: gated, features: g, cases: [a:b] }'
    )
    expect(rejection(groups)).toBe(
      'plan.yml:3: groups[1].name: group "gated" is already listed at line 2 (groups[0].name); ' +
        'give each group its own name'
    )
    expect(rejection(yaml('chaos: [a:b]', 'fast: {}', 'chaos: [c:d]'))).toBe(
      'plan.yml:3: chaos: duplicate key, first given at line 1; give it once'
    )
  })

  it('a target or test that cargo or libtest would misread is rejected', () => {
    expect(rejection(yaml('fast:', '  targets: [basic, "bin:", --release]'))).toBe(
      [
        'plan.yml:2: fast.targets[1]: target "bin:" names no binary; expected `lib`, `bin:NAME` ' +
          'or an integration test name, without spaces',
        'plan.yml:2: fast.targets[2]: target "--release" starts with "-", which cargo would read ' +
          'as a flag; expected `lib`, `bin:NAME` or an integration test name, without spaces'
      ].join('\n')
    )
    expect(rejection(yaml('chaos:', '  - chaos::chaos_crash_mid_put'))).toBe(
      'plan.yml:2: chaos[0]: "chaos::chaos_crash_mid_put" is not "target:test": it needs a ' +
        'single ":" between a target and a test, both non-empty and without spaces (a "::" ' +
        'belongs to the test name); expected "target:test" or a mapping { target, test }'
    )
    expect(rejection(yaml('chaos:', '  - { target: chaos, test: "crash mid put" }'))).toContain(
      'plan.yml:2: chaos[0].test: test "crash mid put" contains whitespace;'
    )
  })

  it('a group without cases or features is rejected rather than passing with nothing run', () => {
    expect(rejection(yaml('groups:', '  - name: g', '    cases: []'))).toBe(
      [
        'plan.yml:2: groups[0].features: missing; expected a comma-separated list of feature ' +
          'names ([A-Za-z0-9_/-]+), e.g. failpoints,extra_check',
        'plan.yml:3: groups[0].cases: a group needs at least one case; expected "target:test" ' +
          'or a mapping { target, test, mode, exact }'
      ].join('\n')
    )
  })

  it('env names must be variable names and values must be scalars', () => {
    expect(rejection(yaml('env:', '  1ROUNDS: 5', '  ROUNDS:', '  LIST: [1]'))).toBe(
      [
        'plan.yml:2: env.1ROUNDS: "1ROUNDS" is not an environment variable name; expected ' +
          'letters, digits and _, not starting with a digit',
        'plan.yml:3: env.ROUNDS: got no value; expected a string, number or boolean ' +
          '(write "" for an empty value)',
        'plan.yml:4: env.LIST: got a list; expected a string, number or boolean ' +
          '(write "" for an empty value)'
      ].join('\n')
    )
  })

  it('an unsupported version says which one is', () => {
    expect(rejection(yaml('version: 2'))).toBe(
      'plan.yml:1: version: got number 2; expected 1, the only plan format so far'
    )
  })

  it('every mistake is reported at once, in file order', () => {
    const message = rejection(yaml('fast: { targets: [a b] }', 'stres: []', 'chaos: [x]'))
    expect(message.split('\n').map(line => line.split(': ')[0])).toEqual([
      'plan.yml:1',
      'plan.yml:2',
      'plan.yml:3'
    ])
  })

  it('a YAML syntax error names the file and line with the parser message', () => {
    expect(rejection(yaml('stress:', '  - stress:a', ' chaos: [x:y'))).toMatch(
      /^plan\.yml:3: YAML syntax error at column \d+: .+/
    )
    expect(rejection(yaml('fast: {}', '---', 'stress: []'))).toBe(
      'plan.yml:2: YAML syntax error at column 1: a second document starts here; expected one ' +
        'document, so remove this `---`'
    )
  })

  it('a missing plan file names the path and the input or flag that set it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'plan-file-'))
    try {
      const missing = join(dir, 'nope.yml')
      const error = await loadPlanFile(missing).catch((caught: unknown) => caught)
      expect(error).toBeInstanceOf(InputError)
      expect((error as InputError).message).toMatch(
        new RegExp(`^plan file ${missing} not found .*\`plan\` input or the \`--plan\` flag`)
      )
      await expect(loadPlanFile(dir)).rejects.toThrow(/is a directory; expected a plan YAML file/)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('messages name the file as it was given', () => {
    expect(() => parsePlan('stres: []', 'ci/plan.yml')).toThrow(
      /^ci\/plan\.yml:1: stres: unknown key/
    )
  })
})
