/**
 * action-perf's feature settings (`features`, `all-features`,
 * `no-default-features`) reach `cargo bench`: a bench target with
 * `required-features` (cargo skips or refuses it without them) builds on a
 * scratch crate with the real cargo, the settings read as the inputs give them.
 */
import { appendFileSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { silentLogger } from '../../../src/core/shared/logger.js'
import { InputError } from '../../../src/core/shared/errors.js'
import { benchFeaturesLine } from '../../../src/core/perf/bench-features.js'
import { buildBench } from '../../../src/core/perf/measure/bench-runner.js'
import { resolvePerfSettings, type PerfSettings } from '../../../src/core/perf/settings.js'
import { scratchCrate } from '../../harness/scratch-crate.js'

// A bench without Criterion (harness = false, a plain main): the build is what is tested.
const GATED_BENCH = `fn main() { println!("gated bench ran"); }\n`

async function settings(dir: string, given: Record<string, string>): Promise<PerfSettings> {
  return resolvePerfSettings({ get: n => given[n], describe: n => `input '${n}'` }, {}, dir, dir)
}

function gatedCrate(): string {
  const dir = scratchCrate('gated_bench', { 'benches/gated.rs': GATED_BENCH }, ['gated', 'other'])
  // scratchCrate writes [features]; the bench target needs its own section.
  appendFileSync(
    join(dir, 'Cargo.toml'),
    '\n[[bench]]\nname = "gated"\nharness = false\nrequired-features = ["gated"]\n'
  )
  return dir
}

async function build(dir: string, s: PerfSettings): Promise<void> {
  const outDir = mkdtempSync(join(tmpdir(), 'mace-bench-features-'))
  await buildBench(
    {
      bench: 'gated',
      benchArgs: [],
      cargoArgs: s.cargoArgs,
      env: { ...process.env, CARGO_TARGET_DIR: join(outDir, 'target') },
      buildTimeoutSeconds: 600,
      runTimeoutSeconds: 60,
      repoRoot: dir,
      outDir,
      logger: silentLogger
    },
    'head',
    dir
  )
}

describe('the benches build with the features the inputs give', () => {
  const dir = gatedCrate()

  it('a bench with required-features builds with features, or with all-features', async () => {
    const named = await settings(dir, { features: 'gated', 'cargo-args': '--offline' })
    expect(named.cargoArgs).toEqual(['--offline', '--features', 'gated'])
    await build(dir, named)
    const all = await settings(dir, { 'all-features': 'true', 'no-default-features': 'true' })
    expect(all.cargoArgs).toEqual(['--all-features', '--no-default-features'])
    await build(dir, all)
    expect(benchFeaturesLine(all.cargoArgs)).toBe(
      'The benches build with all features (--all-features), on both sides.'
    )
  }, 120_000)

  it('without them it does not build, and the error says so', async () => {
    await expect(build(dir, await settings(dir, {}))).rejects.toThrow(
      /required-features|requires the features/
    )
    expect(benchFeaturesLine([])).toBeUndefined()
  }, 120_000)

  it('a features value that is not a list is refused, naming the input', async () => {
    await expect(settings(dir, { features: 'a b' })).rejects.toThrow(InputError)
    await expect(settings(dir, { features: 'a b' })).rejects.toThrow(
      /^Invalid input 'features': 'a b'\. Expected a comma-separated list/
    )
  })
})
