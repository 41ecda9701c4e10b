/** nextest's list JSON as the test domain's listing (test/samples/nextest/README.md). */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseNextestList } from '../../../src/core/nextest/listing.js'
import { filterset, nextestListArgv, nextestRunArgv } from '../../../src/core/nextest/command.js'
import { toolConfigText } from '../../../src/core/nextest/config.js'
import { parse } from 'smol-toml'

describe('nextest listing', () => {
  const listing = parseNextestList(
    readFileSync(new URL('../../samples/nextest/list.json', import.meta.url), 'utf8')
  )

  it('names targets as the test domain does, with their binary ids', () => {
    expect([...listing.keys()].sort()).toEqual(['basic', 'chaos', 'crash', 'hang', 'lib', 'stress'])
    expect(listing.get('lib')?.binaryId).toBe('labcrate')
    expect(listing.get('basic')?.binaryId).toBe('labcrate::basic')
  })

  it('keeps ignored tests apart, as --list --ignored does', () => {
    expect([...(listing.get('chaos')?.ignored ?? [])].sort()).toEqual(['chaos_flaky', 'chaos_ok'])
    expect(listing.get('basic')?.ignored.size).toBe(0)
    expect(listing.get('lib')?.all.has('tests::unit_add')).toBe(true)
  })
})

describe('nextest listing of a workspace', () => {
  /** Two members, each with a library and an `integration` test, as nextest lists them. */
  const json = JSON.stringify({
    'rust-suites': Object.fromEntries(
      ['alpha', 'beta'].flatMap((pkg): [string, object][] => [
        [
          pkg,
          {
            'binary-id': pkg,
            'binary-name': pkg,
            'package-name': pkg,
            kind: 'lib',
            testcases: { 'tests::shared_name': { ignored: false } }
          }
        ],
        [
          `${pkg}::integration`,
          {
            'binary-id': `${pkg}::integration`,
            'binary-name': 'integration',
            'package-name': pkg,
            kind: 'test',
            testcases: { same_test: { ignored: false } }
          }
        ]
      ])
    )
  })

  it('names each target by its package, so no member hides another', () => {
    const listing = parseNextestList(json, true)
    expect([...listing.keys()].sort()).toEqual([
      'alpha/integration',
      'alpha/lib',
      'beta/integration',
      'beta/lib'
    ])
    expect(listing.get('beta/lib')?.binaryId).toBe('beta')
  })

  it('refuses to let one target id hide another, rather than drop its tests', () => {
    expect(() => parseNextestList(json)).toThrow(
      "nextest lists two test binaries as target 'lib' (alpha and beta)"
    )
  })
})

describe('nextest commands and config', () => {
  it('a case selection is a filterset of exact tests by binary id', () => {
    expect(
      filterset([
        { binaryId: 'k::chaos', test: 'chaos_a', exact: true },
        { binaryId: 'k', test: 'tests::x', exact: false }
      ])
    ).toBe('(binary_id(=k::chaos) & test(=chaos_a)) | (binary_id(=k) & test(tests::x))')
  })

  it('a shard lists and runs the same selection, with its partition, and passes when it holds none', () => {
    const sel = {
      cargoArgs: ['--locked'],
      features: 'failpoints',
      targetArgs: ['--test', 'chaos'],
      runIgnored: 'all' as const,
      tests: [{ binaryId: 'k::chaos', test: 'chaos_a', exact: true }],
      partition: 'slice:2/3'
    }
    const selection =
      '--locked --features failpoints --test chaos --run-ignored all -E (binary_id(=k::chaos) & test(=chaos_a)) --partition slice:2/3'
    expect(nextestListArgv(sel).join(' ')).toBe(
      `cargo nextest list ${selection} --message-format json`
    )
    const run = nextestRunArgv(sel, {
      profile: 'mace-actions-chaos',
      toolConfig: 'mace-actions:/tmp/c.toml',
      threads: 2
    })
    expect(run.join(' ')).toBe(
      `cargo nextest run ${selection} --profile mace-actions-chaos --tool-config-file mace-actions:/tmp/c.toml --test-threads 2 --no-fail-fast --no-tests pass`
    )
  })

  it('from an archive, the binaries come from the archive and the workspace is remapped', () => {
    const argv = nextestListArgv({
      cargoArgs: ['--release'],
      features: 'failpoints',
      targetArgs: ['--test', 'basic'],
      archive: { file: '/a/tests.tar.zst', workspace: '/w/crate' },
      runIgnored: 'default',
      tests: []
    })
    expect(argv.join(' ')).toBe(
      'cargo nextest list --archive-file /a/tests.tar.zst --workspace-remap /w/crate --run-ignored default --message-format json'
    )
  })

  it('tests of one binary share its term, so a large share stays one short argument', () => {
    expect(
      filterset([
        { binaryId: 'k', test: 'a', exact: true },
        { binaryId: 'k::basic', test: 'put', exact: true },
        { binaryId: 'k', test: 'b', exact: true }
      ])
    ).toBe('(binary_id(=k) & (test(=a) | test(=b))) | (binary_id(=k::basic) & test(=put))')
  })

  it('the tool config lays our defaults beneath the crate’s profiles and what was given over them', () => {
    const config = parse(
      toolConfigText({
        profile: 'mace-actions-chaos',
        inherits: 'ci',
        chain: [
          ['ci', 'base'],
          ['base', 'default']
        ],
        defaults: { limit: { seconds: 300, graceSeconds: 5 }, retries: 2, testThreads: 8 },
        given: { retries: 4 },
        junitPath: '/o/chaos.xml'
      })
    ) as { profile: Record<string, Record<string, unknown>> }
    expect(config.profile).toEqual({
      // nextest looks here last, after every profile of the crate's chain.
      default: {
        'slow-timeout': { period: '300s', 'terminate-after': 1, 'grace-period': '5s' },
        retries: { backoff: 'fixed', count: 2, delay: '1s' },
        'test-threads': 8
      },
      ci: { inherits: 'base' },
      base: {},
      'mace-actions-chaos': {
        junit: { path: '/o/chaos.xml' },
        inherits: 'ci',
        // An override of every test wins over the crate's settings and its own overrides.
        overrides: [{ filter: 'all()', retries: { backoff: 'fixed', count: 4, delay: '1s' } }]
      }
    })
  })
})
