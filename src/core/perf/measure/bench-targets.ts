/**
 * Which bench targets a crate has (`cargo metadata --no-deps`: the targets of
 * kind `bench` of the workspace's packages), checked before a side is built:
 * a head without the bench named by `bench` is an input error that lists the
 * benches that exist; a base without it is a change that adds the bench,
 * measured on the head alone. A bench the metric cannot measure (bench-kind.ts)
 * is refused before anything is built.
 */
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { InputError } from '../../shared/errors.js'
import type { PerfMetric } from '../results.js'
import { checkBenchKind, type BenchTarget } from './bench-kind.js'

/** The setting that names the bench, as errors name it. */
export const BENCH_SETTING = "input 'bench' (flag --bench, MACE_PERF_BENCH; default perf)"

/** The setting that names the metric, as errors name it. */
export const METRIC_SETTING = "input 'metric' (flag --metric, MACE_PERF_METRIC; default walltime)"

/** The bench targets of the workspace `dir` belongs to, sorted by name. */
export async function benchTargetList(dir: string, env: NodeJS.ProcessEnv): Promise<BenchTarget[]> {
  const { stdout } = await promisify(execFile)(
    'cargo',
    ['metadata', '--format-version', '1', '--no-deps', '--offline'],
    { cwd: dir, env, maxBuffer: 256 * 1024 * 1024 }
  )
  const meta = JSON.parse(stdout) as {
    packages: {
      manifest_path: string
      targets: { name: string; kind: string[]; src_path: string }[]
    }[]
  }
  return meta.packages
    .flatMap(p =>
      p.targets
        .filter(t => t.kind.includes('bench'))
        .map(t => ({ name: t.name, manifestPath: p.manifest_path, srcPath: t.src_path }))
    )
    .sort((a, b) => a.name.localeCompare(b.name))
}

/** The names of the bench targets of the workspace `dir` belongs to, sorted. */
export async function benchTargets(dir: string, env: NodeJS.ProcessEnv): Promise<string[]> {
  return [...new Set((await benchTargetList(dir, env)).map(t => t.name))]
}

/**
 * Throws when the head has no bench target `bench`, naming the benches it has and the setting
 * to change, or when `metric` cannot measure that bench (bench-kind.ts).
 * @throws InputError naming `bench`, the crate directory and the benches that exist, or the
 *   bench's file, what kind of bench it is and the metric that fits it.
 */
export async function checkHeadBench(
  dir: string,
  env: NodeJS.ProcessEnv,
  bench: string,
  metric: PerfMetric = 'walltime'
): Promise<void> {
  const targets = await benchTargetList(dir, env)
  const target = targets.find(t => t.name === bench)
  if (!target) {
    throw new InputError(missingBenchMessage(dir, bench, [...new Set(targets.map(t => t.name))]))
  }
  checkBenchKind(target, metric, BENCH_SETTING, METRIC_SETTING)
}

/** Why a bench target is missing, and what to set instead. */
export function missingBenchMessage(
  dir: string,
  bench: string,
  benches: readonly string[]
): string {
  const setting = BENCH_SETTING
  if (benches.length === 0) {
    return (
      `Invalid ${setting}: '${bench}'. The crate in ${dir} has no bench target at all: add one ` +
      '(e.g. benches/perf.rs with [[bench]] name = "perf", harness = false) or point working-directory at the crate that has it.'
    )
  }
  const list = benches.map(b => `'${b}'`).join(', ')
  return (
    `Invalid ${setting}: '${bench}'. The crate in ${dir} has no bench target '${bench}'; its ` +
    `bench ${benches.length === 1 ? 'target is' : 'targets are'} ${list}: set bench to ${benches.length === 1 ? 'it' : 'one of them'}.`
  )
}
