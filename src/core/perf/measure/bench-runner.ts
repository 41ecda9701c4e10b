/**
 * Builds a Criterion bench target once and runs its binary as many times as
 * the gate needs, each run with its own Criterion output directory so the
 * results of base, head and each round never mix.
 */
import { execFile } from 'node:child_process'
import { copyFileSync, mkdirSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { promisify } from 'node:util'
import { buildTests } from '../../cargo/build.js'
import { readCriterionCases } from './criterion-reader.js'
import type { Logger } from '../../shared/logger.js'
import type { CriterionCase, PerfRunning } from '../results.js'
import type { RunningMark } from '../../shared/running-mark.js'
import { readLogTail, runProcess } from '../../process/runner.js'
import type { BuildResult } from '../../cargo/build.js'
import { escapeRustRegex } from '../rust-regex.js'

/** One side of a compare (or the head of a snapshot), built. */
export interface BenchSide {
  name: 'base' | 'head'
  /** Package directory the binary runs in. */
  packageDir: string
  executable: string
  build: BuildResult
}

/** Shared parts of every build and run. */
export interface BenchContext {
  bench: string
  benchArgs: string[]
  cargoArgs: string[]
  env: NodeJS.ProcessEnv
  buildTimeoutSeconds: number
  runTimeoutSeconds: number
  repoRoot: string
  outDir: string
  logger: Logger
  signal?: AbortSignal
  /** Marked with each build and run as it starts, so a stopped compare can say what ran. */
  running?: RunningMark<Omit<PerfRunning, 'startedAt'>>
}

/** Compiles the bench target in `dir` (`cargo bench --bench NAME --no-run`). */
export async function buildBench(
  ctx: BenchContext,
  name: BenchSide['name'],
  dir: string,
  targetDir?: string
): Promise<BenchSide> {
  const env = targetDir ? { ...ctx.env, CARGO_TARGET_DIR: targetDir } : ctx.env
  const out = await buildTests({
    command: 'bench',
    features: '',
    targetArgs: ['--bench', ctx.bench],
    cargoArgs: ctx.cargoArgs,
    cwd: dir,
    env,
    timeoutSeconds: ctx.buildTimeoutSeconds,
    repoRoot: ctx.repoRoot,
    logPath: join(ctx.outDir, 'logs', `${name}.build.log`),
    logger: ctx.logger,
    ...(ctx.signal ? { signal: ctx.signal } : {})
  })
  const exe = out.executables.find(e => e.target === `bench:${ctx.bench}`)
  if (!out.result.passed || !exe) {
    const why = out.result.command.timedOut
      ? `timed out after ${ctx.buildTimeoutSeconds}s`
      : (out.result.diagnostics.find(d => d.level === 'error')?.message ??
        (exe ? readLogTail(out.result.command.logPath, 600) : `no bench target '${ctx.bench}'`))
    throw new Error(`Building the ${name} benchmarks in ${dir} failed: ${why}`)
  }
  // Cargo names the bench binary the same for base and head (the package id does not hold
  // its path), so in a shared target dir the second build would replace the first: keep a copy.
  const kept = join(ctx.outDir, 'bin', `${name}-${ctx.bench}`)
  mkdirSync(dirname(kept), { recursive: true })
  copyFileSync(exe.executable, kept)
  return { name, packageDir: exe.manifestDir, executable: kept, build: out.result }
}

/** The target directory cargo uses in `dir` (honours CARGO_TARGET_DIR) and the workspace's packages. */
export async function cargoWorkspace(
  dir: string,
  env: NodeJS.ProcessEnv
): Promise<{ targetDir: string; packages: string[] }> {
  const { stdout } = await promisify(execFile)(
    'cargo',
    ['metadata', '--format-version', '1', '--no-deps'],
    { cwd: dir, env, maxBuffer: 256 * 1024 * 1024 }
  )
  const meta = JSON.parse(stdout) as { target_directory: string; packages: { name: string }[] }
  return { targetDir: meta.target_directory, packages: meta.packages.map(p => p.name) }
}

/**
 * Removes the workspace's own bench artifacts from a shared target dir. Base and
 * head compile to the same file names there (the unit hash does not hold the
 * path), and cargo would take one side's binary as fresh for the other; the
 * compiled dependencies stay, which is the point of sharing.
 */
export async function cleanWorkspaceArtifacts(
  dir: string,
  env: NodeJS.ProcessEnv,
  packages: string[]
): Promise<void> {
  if (packages.length === 0) return
  await promisify(execFile)(
    'cargo',
    ['clean', '--profile', 'bench', ...packages.flatMap(p => ['-p', p])],
    { cwd: dir, env }
  )
}

/** Names one run: side, round and filter index. */
export interface RunLabel {
  round: number
  /** Filter index within the round (or the case's index in a duet round), for separate directories. */
  part: number
  filter?: string
  /** A command that runs the bench binary, e.g. `taskset -c 1` to pin it to a CPU. */
  prefix?: string[]
  /** Keep the process's output out of the step log (a duet's two processes would interleave). */
  quiet?: boolean
}

/** One bench process of a side: its command line, environment, log and step-log group. */
export interface BenchProcess {
  argv: string[]
  env: NodeJS.ProcessEnv
  logPath: string
  group: string
  /** A better reason than the exit code, read from the log's tail (e.g. a version mismatch). */
  explain?: (logTail: string) => string | undefined
  /** Seconds before it is killed, when shorter than the run timeout (a listing). */
  timeoutSeconds?: number
}

/**
 * Runs one bench process in the side's package directory under the run
 * timeout, echoed in a step-log group with heartbeats.
 * @returns undefined when it exited 0, else why it failed (timed out, cancelled,
 * or the exit code with the log's tail).
 */
export async function runBenchProcess(
  ctx: BenchContext,
  side: BenchSide,
  p: BenchProcess
): Promise<string | undefined> {
  ctx.logger.startGroup(p.group)
  const timeoutSeconds = Math.min(ctx.runTimeoutSeconds, p.timeoutSeconds ?? Infinity)
  const outcome = await runProcess({
    argv: p.argv,
    cwd: side.packageDir,
    env: p.env,
    timeoutSeconds,
    logPath: p.logPath,
    echo: chunk => ctx.logger.write(chunk),
    heartbeat: line => ctx.logger.info(line),
    ...(ctx.signal ? { signal: ctx.signal } : {})
  })
  ctx.logger.endGroup()
  if (outcome.exitCode === 0) return undefined
  if (outcome.timedOut) return `timed out after ${timeoutSeconds}s`
  if (outcome.cancelled) return 'cancelled'
  return (
    p.explain?.(readLogTail(p.logPath, 2000)) ??
    `exit code ${outcome.exitCode ?? outcome.signal}: ${readLogTail(p.logPath, 600).trim()}`
  )
}

/** Runs the bench binary once and reads the cases it measured. */
export async function runBench(
  ctx: BenchContext,
  side: BenchSide,
  label: RunLabel
): Promise<CriterionCase[]> {
  const id = `${side.name}.r${label.round}${label.part > 0 ? `.f${label.part}` : ''}`
  const home = join(ctx.outDir, 'runs', id)
  // Criterion results are cleared before each run, as the reference clears them per side.
  rmSync(home, { recursive: true, force: true })
  const argv = [
    ...(label.prefix ?? []),
    side.executable,
    '--bench',
    ...ctx.benchArgs,
    ...(label.filter ? [label.filter] : [])
  ]
  const logPath = join(ctx.outDir, 'logs', `${id}.bench.log`)
  const why = await runBenchProcess(label.quiet ? quietContext(ctx) : ctx, side, {
    argv,
    env: { ...ctx.env, CRITERION_HOME: home },
    logPath,
    group: `${side.name} round ${label.round}: ${argv.join(' ')}`
  })
  if (why !== undefined) {
    throw new Error(
      `The ${side.name} benchmarks failed in round ${label.round} (${why}); log: ${logPath}`
    )
  }
  return readCriterionCases(home, ctx.logger)
}

/** The context with a logger that keeps a process's output and groups out of the step log. */
function quietContext(ctx: BenchContext): BenchContext {
  const { logger: l } = ctx
  const logger = {
    info: (m: string) => l.info(m),
    warning: (m: string) => l.warning(m),
    error: (m: string) => l.error(m),
    debug: (m: string) => l.debug(m),
    write: () => undefined,
    startGroup: () => undefined,
    endGroup: () => undefined
  }
  return { ...ctx, logger }
}

/** A Criterion filter matching exactly these case ids (Criterion filters are regexes). */
export function exactFilter(ids: string[]): string {
  return `^(?:${ids.map(escapeRustRegex).join('|')})$`
}
