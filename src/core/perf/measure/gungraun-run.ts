/**
 * Runs a built gungraun bench binary once (`<bin> --bench [args] [filter]`, as
 * `cargo bench` would) with its own gungraun home, so each run's summaries
 * stand alone (gungraun compares with nothing it finds there), and reads the
 * cases from the `summary.json` files it wrote. A failed run is explained from
 * gungraun's own messages where they name a known cause.
 */
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import {
  runBenchProcess,
  type BenchContext,
  type BenchSide,
  type RunLabel
} from './bench-runner.js'
import { exactId } from '../compare-filters.js'
import { readGungraunCases } from './gungraun-reader.js'
import { benchPath, runnerInstallCommand } from './gungraun-setup.js'
import type { InstructionCase } from '../results.js'

/** gungraun settings from the caller's environment that would change what a run writes. */
const OVERRIDDEN = [
  'GUNGRAUN_FILTER',
  'GUNGRAUN_LIST',
  'GUNGRAUN_BASELINE',
  'GUNGRAUN_LOAD_BASELINE',
  'GUNGRAUN_SAVE_BASELINE',
  'GUNGRAUN_OUTPUT_FORMAT'
]

/**
 * A user's compare filter as a gungraun filter. gungraun matches one wildcard
 * pattern (`*`, `?`, `[…]`) against the whole id (`iai::store::scan::k16_v16_10`),
 * so a filter with a wildcard goes as it is, one without (`scan`) matches
 * every id containing it (`*scan*`), as a Criterion filter would, and `=ID`
 * is the whole id ID alone (compare-filters.ts).
 */
export function gungraunFilter(filter: string): string {
  const id = exactId(filter)
  if (id !== undefined) return id
  return /[*?[]/.test(filter) ? filter : `*${filter}*`
}

/** The environment of a run: summaries as JSON into `home`, no colour, the runner found. */
export function gungraunEnv(
  env: NodeJS.ProcessEnv,
  home: string,
  packageDir: string
): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env }
  for (const name of OVERRIDDEN) delete out[name]
  return {
    ...out,
    GUNGRAUN_HOME: home,
    GUNGRAUN_SAVE_SUMMARY: 'json',
    GUNGRAUN_COLOR: 'never',
    // With a home and a workspace root the runner needs no `cargo metadata`.
    GUNGRAUN_WORKSPACE_ROOT: env.GUNGRAUN_WORKSPACE_ROOT ?? packageDir,
    PATH: benchPath(env)
  }
}

/**
 * Runs the side's binary once and reads its cases (possibly none: the caller decides).
 * @throws Error with gungraun's reason and the fix when the run fails.
 */
export async function runGungraun(
  ctx: BenchContext,
  side: BenchSide,
  label: RunLabel,
  gungraunVersion: string
): Promise<InstructionCase[]> {
  const id = `${side.name}.r${label.round}${label.part > 0 ? `.f${label.part}` : ''}`
  const home = join(ctx.outDir, 'runs', id)
  rmSync(home, { recursive: true, force: true })
  const filter = label.filter === undefined ? [] : [gungraunFilter(label.filter)]
  const argv = [side.executable, '--bench', ...ctx.benchArgs, ...filter]
  const logPath = join(ctx.outDir, 'logs', `${id}.bench.log`)
  const why = await runBenchProcess(ctx, side, {
    argv,
    env: gungraunEnv(ctx.env, home, side.packageDir),
    logPath,
    group: `${side.name}: ${argv.join(' ')}`,
    explain: tail => explainFailure(tail, gungraunVersion, ctx.benchArgs)
  })
  if (why !== undefined) {
    throw new Error(`The ${side.name} gungraun benchmarks failed (${why}); log: ${logPath}`)
  }
  return readGungraunCases(home)
}

/**
 * The cause of a failed run and its fix, when the log shows one gungraun names
 * (messages of gungraun-runner 0.20); undefined otherwise.
 */
export function explainFailure(
  log: string,
  version: string,
  benchArgs: readonly string[]
): string | undefined {
  const line = (pattern: RegExp): string | undefined =>
    log
      .split('\n')
      .find(l => pattern.test(l))
      ?.trim()
  const mismatch = line(/gungraun-runner \(.*\) is (older|newer) than gungraun/)
  if (mismatch) {
    return `${mismatch}; install the runner of the crate's gungraun: \`${runnerInstallCommand(version)}\``
  }
  const valgrind = line(/failed to execute .*valgrind|Error launching 'callgrind'/)
  if (valgrind) {
    return `${valgrind}: Valgrind is missing; install it, e.g. \`sudo apt-get install -y valgrind\``
  }
  if (/Is gungraun-runner installed/.test(log)) {
    return `gungraun-runner was not found; install it: \`${runnerInstallCommand(version)}\``
  }
  const refused = line(/unexpected argument|Unrecognized option|unexpected value/)
  if (refused) {
    const args = benchArgs.length > 0 ? ` (bench-args: ${benchArgs.join(' ')})` : ''
    return (
      `${refused}: the bench target did not take gungraun's arguments${args}; bench-args go ` +
      "to gungraun-runner for metric instructions, and Criterion's do not apply"
    )
  }
  return undefined
}
