/**
 * Which harness a bench target runs under, read before anything is built, so
 * that a bench the metric cannot measure is refused up front: `walltime`
 * measures a Criterion bench (its file ends in `criterion_main!`),
 * `instructions` a gungraun bench (its file ends in gungraun's `main!` with
 * `library_benchmark_groups` or `binary_benchmark_groups`). A bench without
 * `harness = false` in its `[[bench]]` entry runs under libtest's bench
 * harness (a nightly `#[bench]` bench); one with it that has neither macro is
 * a program of its own, which ignores the arguments both tools pass. The
 * manifest keys are cargo's (doc.rust-lang.org/cargo "Cargo Targets"); the
 * macros are the ones each tool's guide ends a bench with.
 */
import { readFileSync } from 'node:fs'
import { parse } from 'smol-toml'
import { InputError } from '../../shared/errors.js'
import type { PerfMetric } from '../results.js'

/** The harness a bench target runs under. */
export type BenchKind = 'criterion' | 'gungraun' | 'libtest' | 'own'

/** A bench target as cargo metadata gives it. */
export interface BenchTarget {
  name: string
  /** The Cargo.toml of its package. */
  manifestPath: string
  /** Its main source file (cargo metadata's `src_path`). */
  srcPath: string
}

/** The kind each metric measures. */
const MEASURES: Record<PerfMetric, BenchKind> = { walltime: 'criterion', instructions: 'gungraun' }

/**
 * The harness of `target`, from its `[[bench]]` entry and its source file; undefined when a file
 * cannot be read (the build then says why).
 */
export function benchKind(target: BenchTarget): BenchKind | undefined {
  let manifest: { bench?: { name?: string; harness?: boolean }[] }
  let source: string
  try {
    manifest = parse(readFileSync(target.manifestPath, 'utf8'))
    source = readFileSync(target.srcPath, 'utf8')
  } catch {
    return undefined
  }
  // Without an entry (found in benches/) or without harness = false, libtest's harness runs it.
  if (manifest.bench?.find(b => b.name === target.name)?.harness !== false) return 'libtest'
  if (/\bcriterion_main!\s*[([{]/.test(source)) return 'criterion'
  if (/\bmain!\s*[([{][^]*?\b(library|binary)_benchmark_groups\s*=/.test(source)) return 'gungraun'
  return 'own'
}

/** How the kinds are named in errors. */
const KIND_TEXT: Record<BenchKind, string> = {
  criterion: 'a Criterion bench (its file ends in criterion_main!), which measures wall time',
  gungraun:
    "a gungraun bench (its file ends in gungraun's main! with library_benchmark_groups), which counts instructions",
  libtest:
    "a libtest #[bench] bench (its [[bench]] entry does not set harness = false, so libtest's bench harness runs it), which neither Criterion nor gungraun drives",
  own: "a harness = false program of its own (its file has neither criterion_main! nor gungraun's main!), which ignores the arguments Criterion and gungraun take"
}

/**
 * Throws when `metric` cannot measure `target`.
 * @param benchFrom how the user named the bench, e.g. "input 'bench'".
 * @param metricFrom how the user named the metric, e.g. "input 'metric'".
 * @throws InputError naming the bench, its source file, what it is, and the metric that fits it.
 */
export function checkBenchKind(
  target: BenchTarget,
  metric: PerfMetric,
  benchFrom: string,
  metricFrom: string
): void {
  const kind = benchKind(target)
  if (kind === undefined || kind === MEASURES[metric]) return
  const fits =
    kind === 'criterion'
      ? `set ${metricFrom} to walltime`
      : kind === 'gungraun'
        ? `set ${metricFrom} to instructions`
        : `name a bench that is ${KIND_TEXT[MEASURES[metric]]}`
  throw new InputError(
    `Invalid ${benchFrom}: '${target.name}' (${target.srcPath}) is ${KIND_TEXT[kind]}; ` +
      `${metricFrom} is ${metric}, which measures only ${KIND_TEXT[MEASURES[metric]]}. ` +
      `Accepted: ${fits}${kind === 'criterion' || kind === 'gungraun' ? ', or name another bench' : ''}.`
  )
}
