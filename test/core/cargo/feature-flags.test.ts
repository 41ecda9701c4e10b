/** cargo's feature flags read from extra cargo arguments, and the sentence that names a build's features. */
import { describe, expect, it } from 'vitest'
import {
  cargoFeatureFlags,
  describeFeatures,
  featuresLabel,
  withFeatureFlags
} from '../../../src/core/cargo/feature-flags.js'

describe('cargoFeatureFlags', () => {
  it('reads every spelling cargo accepts', () => {
    expect(
      cargoFeatureFlags([
        '--release',
        '--features',
        'a,b',
        '-F',
        'c d',
        '--features=e',
        '-Ff',
        '--no-default-features'
      ])
    ).toEqual({ all: false, noDefault: true, named: ['a', 'b', 'c', 'd', 'e', 'f'] })
    expect(cargoFeatureFlags(['--all-features', '--locked'])).toEqual({
      all: true,
      noDefault: false,
      named: []
    })
    expect(cargoFeatureFlags(['--release'])).toEqual({ all: false, noDefault: false, named: [] })
  })
})

describe('withFeatureFlags', () => {
  it('adds each switch once, never twice (cargo refuses a repeated flag)', () => {
    expect(
      withFeatureFlags(['--all-features'], { allFeatures: true, noDefaultFeatures: true })
    ).toEqual(['--all-features', '--no-default-features'])
    expect(
      withFeatureFlags(['--locked'], { allFeatures: false, noDefaultFeatures: false })
    ).toEqual(['--locked'])
  })
})

describe('describeFeatures', () => {
  const one = [{ name: 'kv', features: ['default', 'failpoints', 'zstd'] }]

  it('lists every declared feature under --all-features, per package in a workspace', () => {
    expect(describeFeatures(['--all-features'], '', one)).toBe(
      'all features (--all-features): failpoints, zstd'
    )
    expect(describeFeatures(['--all-features'], '', [...one, { name: 'cli', features: [] }])).toBe(
      'all features (--all-features): kv: failpoints, zstd; cli: none declared'
    )
  })

  it('names the features of both the input and cargo-args, and what became of the defaults', () => {
    expect(describeFeatures(['--features', 'zstd'], 'failpoints', one)).toBe(
      'features zstd, failpoints, with the default features'
    )
    expect(describeFeatures(['--no-default-features'], '', one)).toBe(
      'no extra features, without the default features (--no-default-features)'
    )
    expect(describeFeatures([], 'x', [{ name: 'a', features: ['x'] }])).toBe(
      'features x, no default features declared'
    )
  })
})

describe('featuresLabel', () => {
  it("reads a build's features from the command it ran, not from --features alone", () => {
    const argv = ['cargo', 'test', '--all-features', '--no-run']
    expect(featuresLabel('', argv)).toBe('all')
    expect(featuresLabel('failpoints', ['cargo', 'test', '--features', 'failpoints'])).toBe(
      'failpoints'
    )
    expect(featuresLabel('', ['cargo', 'test', '-F', 'x', '--no-default-features'])).toBe(
      'x (no default)'
    )
    expect(featuresLabel('', ['cargo', 'test', '--no-run'])).toBe('(none)')
  })
})
