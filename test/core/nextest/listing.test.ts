/** nextest's list JSON as the test domain's listing (test/samples/nextest/README.md). */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseNextestList } from '../../../src/core/nextest/listing.js'
import { filterset, nextestRunArgv } from '../../../src/core/nextest/command.js'
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

describe('nextest commands and config', () => {
  it('a case selection is a filterset of exact tests by binary id', () => {
    expect(
      filterset([
        { binaryId: 'k::chaos', test: 'chaos_a', exact: true },
        { binaryId: 'k', test: 'tests::x', exact: false }
      ])
    ).toBe('(binary_id(=k::chaos) & test(=chaos_a)) | (binary_id(=k) & test(tests::x))')
  })

  it('a shard runs its partition and does not fail for holding none of a layer', () => {
    const argv = nextestRunArgv({
      cargoArgs: ['--locked'],
      features: 'failpoints',
      targetArgs: ['--test', 'chaos'],
      runIgnored: 'all',
      tests: [{ binaryId: 'k::chaos', test: 'chaos_a', exact: true }],
      profile: 'mace-actions-chaos',
      toolConfig: 'mace-actions:/tmp/c.toml',
      threads: 2,
      partition: 'slice:2/3'
    })
    expect(argv.join(' ')).toBe(
      'cargo nextest run --locked --features failpoints --test chaos --profile mace-actions-chaos --tool-config-file mace-actions:/tmp/c.toml --test-threads 2 --no-fail-fast --run-ignored all -E (binary_id(=k::chaos) & test(=chaos_a)) --partition slice:2/3 --no-tests pass'
    )
  })

  it('the tool config holds one profile per layer with its timeout, grace, retries and JUnit', () => {
    const config = parse(
      toolConfigText([
        {
          name: 'mace-actions-chaos',
          timeoutSeconds: 300,
          graceSeconds: 5,
          retries: 2,
          junitPath: '/o/chaos.xml'
        },
        {
          name: 'mace-actions-fast',
          timeoutSeconds: 60,
          graceSeconds: 5,
          retries: 0,
          junitPath: '/o/fast.xml'
        }
      ])
    ) as { profile: Record<string, Record<string, unknown>> }
    expect(config.profile['mace-actions-chaos']).toEqual({
      'fail-fast': false,
      'slow-timeout': { period: '300s', 'terminate-after': 1, 'grace-period': '5s' },
      retries: { backoff: 'fixed', count: 2, delay: '1s' },
      junit: { path: '/o/chaos.xml', 'store-success-output': false, 'store-failure-output': true }
    })
    expect(config.profile['mace-actions-fast']?.retries).toBe(0)
  })
})
