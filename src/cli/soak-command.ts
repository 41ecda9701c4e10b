/** `mace-actions soak`: the soak loop, as action-soak runs it. */
import { parseArgs } from 'node:util'
import { SOAK_INPUTS } from '../actions/soak/constants.js'
import { InputError } from '../core/shared/errors.js'
import { plainLogger, type Logger } from '../core/shared/logger.js'
import { writeSoakReports } from '../core/soak/reports.js'
import { runSoak } from '../core/soak/run.js'
import { resolveSoakSettings } from '../core/soak/settings.js'
import { withCancellation } from './cancellation.js'
import { gitTopLevel, type CliContext } from './context.js'

/** Flags of `mace-actions soak`: the action's inputs, less those only a workflow has. */
export const SOAK_FLAGS = SOAK_INPUTS.filter(
  i =>
    !['env', 'tracking-issue', 'issue-title', 'issue-label', 'token', 'artifact-name'].includes(i)
)

/** Runs the soak; returns the exit code. */
export async function soakCommand(args: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      ...Object.fromEntries(SOAK_FLAGS.map(f => [f, { type: 'string' as const }])),
      env: { type: 'string', multiple: true },
      quiet: { type: 'boolean', short: 'q' },
      help: { type: 'boolean', short: 'h' }
    },
    allowPositionals: true,
    strict: true
  })
  if (values.help) {
    ctx.out.write(soakUsage())
    return 0
  }
  if (positionals.length > 0) {
    throw new InputError(
      `Unexpected argument: ${positionals.join(' ')}. The soak takes flags only, e.g. --duration 90.`
    )
  }
  const flags = values as Record<string, unknown>
  const raw: Record<string, string | undefined> = {
    ...(Object.fromEntries(
      SOAK_FLAGS.map(f => [f, flags[f]]).filter(([, v]) => typeof v === 'string')
    ) as Record<string, string>),
    env: values.env?.join('\n')
  }
  const source = {
    get: (name: string) => raw[name],
    describe: (name: string) => `flag --${name}`
  }
  const resolved = await resolveSoakSettings(source, ctx.env, ctx.cwd, undefined)
  const repoRoot = gitTopLevel(resolved.test.workingDirectory) ?? resolved.test.workingDirectory
  const settings = {
    ...resolved,
    test: { ...resolved.test, repoRoot },
    perf: { ...resolved.perf, repoRoot }
  }
  const logger: Logger = plainLogger(ctx.out, ctx.err)
  const quiet: Logger = { ...logger, write: () => undefined }
  return withCancellation(async signal => {
    const result = await runSoak(settings, {
      logger: values.quiet ? quiet : logger,
      signal,
      env: ctx.env,
      onSave: r => void writeSoakReports(r)
    })
    const reports = writeSoakReports(result)
    ctx.out.write(`\n${reports.console}\n`)
    ctx.out.write(
      `results: ${reports.jsonPath}\nsummary: ${reports.markdownPath}\ncsv: ${result.csvPath}\n`
    )
    return result.passed ? 0 : 1
  })
}

/** The help text of `mace-actions soak`. */
export function soakUsage(): string {
  return `Usage: mace-actions soak [options]

Loops the stress layer, the chaos layer every N cycles and a Criterion perf
snapshot every M cycles until the duration is spent, then runs the fast layer
as a post-check, like prod_soak.sh; a failure is recorded for its cycle and the
loop goes on. Writes perf_cycle_<n>.json, perf_cycles.csv, soak.json and
soak-summary.md (with a trend chart) to the metrics directory. Settings: flag,
then the reference environment variable, then the default. Durations are
seconds, or take a unit: 90, 25m, 5h.

  --duration D             soak length (SOAK_DURATION_SECS, 21600)
  --deadline D             hard stop for the loop, then the post-check (none)
  --max-cycles N           stop after N cycles (0 = no limit)
  --threads N              --test-threads=N (SOAK_THREADS, 8)
  --stress-timeout S       per stress case (SOAK_STRESS_TIMEOUT, 900)
  --chaos-timeout S        per chaos attempt (SOAK_CHAOS_TIMEOUT, 600)
  --fast-timeout S         post-check command (SOAK_FAST_TIMEOUT, 300)
  --build-timeout S        cargo builds (BUILD_TIMEOUT, 1800)
  --chaos-every N          chaos in every Nth cycle, 0 = never (SOAK_CHAOS_EVERY, 3)
  --perf-every N           perf snapshot every Nth cycle, 0 = never (SOAK_PERF_EVERY, 1)
  --cycle-pause D          pause between cycles (SOAK_CYCLE_PAUSE_SECS, 5)
  --metrics-dir DIR        outputs (SOAK_METRICS_DIR, target/prod_soak)
  --fail-fast true|false   stop at the first failure, as the reference does (false)
  --post-check true|false  run the fast layer at the end (true)
  --drift-threshold P      fitted change over the soak that counts as drift, % (10)
  --drift-action warn|fail what drift does to the verdict (warn)
  --drift-warmup N         perf cycles left out of the trend at the start (1)
  --features, --plan, --fast-targets, --stress-cases, --chaos-cases,
  --chaos-attempts, --kill-grace, --cargo-args, --working-directory
                           as for mace-actions test
  --bench, --bench-args, --threshold-file, --run-timeout
                           as for mace-actions perf (snapshot)
  --env KEY=VALUE          extra environment for every command (repeatable)
  -q, --quiet              do not echo cargo and Criterion output
Every command of cycle N sees MACE_SOAK_CYCLE=N.
Exit codes: 0 pass, 1 failures (or drift with --drift-action fail), 2 bad usage.
`
}
