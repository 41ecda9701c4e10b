/**
 * Which bench targets a crate has (`cargo metadata --no-deps`: the targets of
 * kind `bench` of the workspace's packages), checked before a side is built:
 * a head without the bench named by `bench` is an input error that lists the
 * benches that exist; a base without it is a change that adds the bench,
 * measured on the head alone.
 */
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { InputError } from '../../shared/errors.js'

/** The names of the bench targets of the workspace `dir` belongs to, sorted. */
export async function benchTargets(dir: string, env: NodeJS.ProcessEnv): Promise<string[]> {
  const { stdout } = await promisify(execFile)(
    'cargo',
    ['metadata', '--format-version', '1', '--no-deps', '--offline'],
    { cwd: dir, env, maxBuffer: 256 * 1024 * 1024 }
  )
  const meta = JSON.parse(stdout) as {
    packages: { targets: { name: string; kind: string[] }[] }[]
  }
  const names = meta.packages.flatMap(p =>
    p.targets.filter(t => t.kind.includes('bench')).map(t => t.name)
  )
  return [...new Set(names)].sort()
}

/**
 * Throws when the head has no bench target `bench`, naming the benches it has and the setting
 * to change.
 * @throws InputError naming `bench`, the crate directory and the benches that exist.
 */
export async function checkHeadBench(
  dir: string,
  env: NodeJS.ProcessEnv,
  bench: string
): Promise<void> {
  const benches = await benchTargets(dir, env)
  if (benches.includes(bench)) return
  throw new InputError(missingBenchMessage(dir, bench, benches))
}

/** Why a bench target is missing, and what to set instead. */
export function missingBenchMessage(
  dir: string,
  bench: string,
  benches: readonly string[]
): string {
  const setting = "input 'bench' (flag --bench, MACE_PERF_BENCH; default perf)"
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
