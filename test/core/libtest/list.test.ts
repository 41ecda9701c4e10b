/**
 * Reading `cargo test -- --list` output (captured from a real run, see
 * test/samples/libtest/README.md) and naming targets from cargo's `Running` headers.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseListCounts, parseTestList, targetFromHeader } from '../../../src/core/libtest/list.js'

function sample(name: string): string {
  return readFileSync(new URL(`../../samples/libtest/${name}`, import.meta.url), 'utf8')
}

describe('parseTestList', () => {
  it('lists every test of every target, under the target cargo ran it as', () => {
    const tests = parseTestList(sample('list.txt'))
    const count = (target: string): number => tests.filter(t => t.target === target).length
    expect(tests).toHaveLength(27)
    expect([count('lib'), count('bin:mini_kv'), count('basic'), count('doc:lib')]).toEqual([
      2, 1, 17, 2
    ])
    expect(tests).toContainEqual({ target: 'lib', name: 'tests::helper_rejects_long_key' })
    expect(tests).toContainEqual({ target: 'hang', name: 'hangs_forever' })
    expect(tests).toContainEqual({
      target: 'doc:lib',
      name: 'crates/mini_kv/src/lib.rs - sub_one (line 14)'
    })
  })

  it('with --ignored lists only the #[ignore] tests', () => {
    expect(parseTestList(sample('list-ignored.txt'))).toEqual([
      { target: 'basic', name: 'ignored_plain' },
      { target: 'basic', name: 'ignored_with_reason' }
    ])
  })

  it('leaves out benchmarks, and needs no header for plain libtest output', () => {
    const text = ['put: test', 'bench_put: benchmark', '', '1 test, 1 benchmark'].join('\n')
    expect(parseTestList(text)).toEqual([{ name: 'put' }])
  })
})

describe('parseListCounts', () => {
  it('gives the summary of each test binary, empty ones included', () => {
    expect(parseListCounts(sample('list-ignored.txt'))).toEqual([
      { target: 'lib', tests: 0, benchmarks: 0 },
      { target: 'bin:mini_kv', tests: 0, benchmarks: 0 },
      { target: 'basic', tests: 2, benchmarks: 0 },
      { target: 'crash', tests: 0, benchmarks: 0 },
      { target: 'hang', tests: 0, benchmarks: 0 },
      { target: 'doc:lib', tests: 0, benchmarks: 0 }
    ])
  })
})

describe('targetFromHeader', () => {
  const cases: [string, string | undefined][] = [
    ['     Running tests/basic.rs (target/debug/deps/basic-084bd2d0d776b721)', 'basic'],
    ['     Running unittests src/lib.rs (/w/target/debug/deps/mini_kv-1a3b1cdcfa37b6bd)', 'lib'],
    [
      '     Running unittests src/main.rs (target/debug/deps/mini_kv-c06bd806ff0339ea)',
      'bin:mini_kv'
    ],
    [
      '     Running unittests src/bin/kv-tool.rs (target/debug/deps/kv_tool-0123456789abcdef)',
      'bin:kv-tool'
    ],
    [
      '     Running tests/crash-recovery.rs (target/debug/deps/crash_recovery-0123456789abcdef)',
      'crash-recovery'
    ],
    ['     Running tests/stress/main.rs (target/debug/deps/stress-0123456789abcdef)', 'stress'],
    ['     Running tests\\basic.rs (target\\debug\\deps\\basic-0123456789abcdef.exe)', 'basic'],
    ['     Running target/debug/deps/basic-0123456789abcdef', 'basic'],
    ['   Doc-tests mini_kv', 'doc:lib'],
    [
      '\u001b[1m\u001b[92m     Running\u001b[0m tests/crash.rs (target/debug/deps/crash-2b6e60f6c8bb89d4)',
      'crash'
    ],
    ['Running migrations (step 1)', undefined],
    ['     Running the compactor', undefined]
  ]

  it.each(cases)('%s → %s', (line, target) => {
    expect(targetFromHeader(line)).toBe(target)
  })
})

describe('headers of a workspace', () => {
  const named = (executable: string): string | undefined =>
    ({
      'alpha-e62994b938fd5803': 'alpha/lib',
      'beta-04b5d311d386c8df': 'beta/lib',
      'integration-800a6e2bd2f0b5e6': 'alpha/integration',
      'integration-86c9b3b456804810': 'beta/integration'
    })[executable.split('/').pop() ?? '']

  it('names each binary as its build did, though cargo prints one header for every library', () => {
    const text = [
      '     Running unittests src/lib.rs (target/debug/deps/alpha-e62994b938fd5803)',
      'tests::shared_name: test',
      '     Running unittests src/lib.rs (target/debug/deps/beta-04b5d311d386c8df)',
      'tests::shared_name: test',
      '     Running tests/integration.rs (target/debug/deps/integration-800a6e2bd2f0b5e6)',
      'same_test: test',
      '     Running tests/integration.rs (target/debug/deps/integration-86c9b3b456804810)',
      'same_test: test'
    ].join('\n')
    expect(parseTestList(text, named).map(t => `${t.target} ${t.name}`)).toEqual([
      'alpha/lib tests::shared_name',
      'beta/lib tests::shared_name',
      'alpha/integration same_test',
      'beta/integration same_test'
    ])
    // Without the build's names, the headers read as a single crate's.
    expect(parseTestList(text).map(t => t.target)).toEqual([
      'lib',
      'lib',
      'integration',
      'integration'
    ])
  })
})
