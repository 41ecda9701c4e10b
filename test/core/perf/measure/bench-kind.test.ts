/**
 * Which harness a bench runs under, read from its manifest and its file before
 * anything is built: the fixture's real Criterion and gungraun benches, and
 * crates written here for the libtest harness and a program of its own.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  benchKind,
  checkBenchKind,
  type BenchTarget
} from '../../../../src/core/perf/measure/bench-kind.js'
import { fixtureDir } from '../../../harness/fixture.js'
import { InputError } from '../../../../src/core/shared/errors.js'

function fixtureBench(name: string): BenchTarget {
  const dir = fixtureDir()
  return {
    name,
    manifestPath: join(dir, 'Cargo.toml'),
    srcPath: join(dir, 'benches', `${name}.rs`)
  }
}

/** A crate with one bench `b` whose entry is `entry` and whose file is `source`. */
function crate(entry: string, source: string): BenchTarget {
  const dir = mkdtempSync(join(tmpdir(), 'mace-kind-'))
  mkdirSync(join(dir, 'benches'))
  writeFileSync(join(dir, 'Cargo.toml'), `[package]\nname = "k"\nversion = "0.1.0"\n\n${entry}`)
  writeFileSync(join(dir, 'benches', 'b.rs'), source)
  return { name: 'b', manifestPath: join(dir, 'Cargo.toml'), srcPath: join(dir, 'benches', 'b.rs') }
}

const NO_HARNESS = '[[bench]]\nname = "b"\nharness = false\n'

describe('benchKind', () => {
  it("tells the fixture's Criterion bench from its gungraun bench", () => {
    expect(benchKind(fixtureBench('perf'))).toBe('criterion')
    expect(benchKind(fixtureBench('iai'))).toBe('gungraun')
  })

  it("calls a bench without harness = false libtest's, with or without a [[bench]] entry", () => {
    expect(benchKind(crate('', 'criterion_main!(benches);'))).toBe('libtest')
    expect(benchKind(crate('[[bench]]\nname = "b"\n', 'criterion_main!(benches);'))).toBe('libtest')
  })

  it('calls a harness = false bench with neither macro a program of its own', () => {
    expect(benchKind(crate(NO_HARNESS, 'fn main() { println!("hi") }'))).toBe('own')
    expect(benchKind(crate(NO_HARNESS, 'criterion::criterion_main! { benches }'))).toBe('criterion')
  })

  it('leaves a file it cannot read to the build', () => {
    const t = crate(NO_HARNESS, '')
    expect(benchKind({ ...t, srcPath: join(t.srcPath, 'missing.rs') })).toBeUndefined()
  })
})

describe('checkBenchKind', () => {
  const check = (t: BenchTarget, metric: 'walltime' | 'instructions'): void =>
    checkBenchKind(t, metric, "input 'bench'", "input 'metric'")

  it('accepts the bench each metric measures', () => {
    expect(() => check(fixtureBench('perf'), 'walltime')).not.toThrow()
    expect(() => check(fixtureBench('iai'), 'instructions')).not.toThrow()
  })

  it('refuses wall time on a gungraun bench, naming the metric that fits', () => {
    const t = fixtureBench('iai')
    expect(() => check(t, 'walltime')).toThrow(InputError)
    expect(() => check(t, 'walltime')).toThrow(
      `Invalid input 'bench': 'iai' (${t.srcPath}) is a gungraun bench (its file ends in gungraun's main! with library_benchmark_groups), which counts instructions; input 'metric' is walltime, which measures only a Criterion bench (its file ends in criterion_main!), which measures wall time. Accepted: set input 'metric' to instructions, or name another bench.`
    )
  })

  it('names a harness = false program of its own and a libtest bench, under either metric', () => {
    const own = crate(NO_HARNESS, 'fn main() {}')
    expect(() => check(own, 'walltime')).toThrow(
      /^Invalid input 'bench': 'b' \(.*b\.rs\) is a harness = false program of its own \(its file has neither criterion_main! nor gungraun's main!\), which ignores the arguments Criterion and gungraun take; input 'metric' is walltime, .* Accepted: name a bench that is a Criterion bench/
    )
    const libtest = crate('', '#![feature(test)]')
    expect(() => check(libtest, 'instructions')).toThrow(
      /is a libtest #\[bench\] bench \(its \[\[bench\]\] entry does not set harness = false.*Accepted: name a bench that is a gungraun bench/
    )
  })
})
