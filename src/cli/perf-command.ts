/** `mace-actions perf snapshot|compare|track`: the perf gate, as action-perf runs it. */
import { InputError } from '../core/shared/errors.js'
import { plainLogger, type Logger } from '../core/shared/logger.js'
import { writePerfReports } from '../core/perf/reports.js'
import { runPerfCompare, runPerfSnapshot } from '../core/perf/run.js'
import { resolvePerfSettings } from '../core/perf/settings.js'
import { writeTrackReports } from '../core/history/reports.js'
import { resolveHistorySettings } from '../core/history/settings.js'
import { runPerfTrack } from '../core/history/track.js'
import { withCancellation } from './cancellation.js'
import { gitTopLevel, type CliContext } from './context.js'
import type { ParsedArgs } from './program.js'

/** The modes of `mace-actions perf`. */
const CLI_PERF_MODES = ['snapshot', 'compare', 'track']

/** Flags only `perf track` reads. */
const HISTORY_FLAGS = ['history-dir', 'history-branch', 'shift-pct', 'history-max-points']

/** Runs a perf snapshot, compare or track; returns the exit code. */
export async function perfCommand(args: ParsedArgs, ctx: CliContext): Promise<number> {
  const { positionals } = args
  if (positionals.length > 1) {
    throw new InputError(
      `Too many arguments: ${positionals.join(' ')}. Expected snapshot, compare or track.`
    )
  }
  const mode = positionals[0]
  if (mode !== undefined && !CLI_PERF_MODES.includes(mode)) {
    throw new InputError(
      `Invalid mode argument: '${mode}'. Expected one of: ${CLI_PERF_MODES.join(', ')}.`
    )
  }
  const track = mode === 'track'
  const stray = HISTORY_FLAGS.filter(f => args.flags[f] !== undefined)
  if (!track && stray.length > 0) {
    throw new InputError(
      `Invalid flag --${stray[0]}: it applies to perf track only, not to perf ${mode}.`
    )
  }
  // Track measures as a snapshot does; the history settings are its own.
  const raw: Record<string, string | undefined> = {
    ...args.flags,
    mode: track ? 'snapshot' : positionals[0]
  }
  const source = {
    get: (name: string) => raw[name],
    describe: (name: string) => (name === 'mode' ? `mode argument` : `flag --${name}`)
  }
  const resolved = await resolvePerfSettings(source, ctx.env, ctx.cwd, undefined)
  const top = gitTopLevel(resolved.workingDirectory)
  if (!top) {
    throw new InputError(
      `${resolved.workingDirectory} is not inside a git checkout: perf needs git for the ${track ? 'commit' : 'base'}.`
    )
  }
  const settings = { ...resolved, repoRoot: top }
  const history = track
    ? resolveHistorySettings(source, ctx.cwd, {
        repoRoot: top,
        metric: settings.metric,
        env: ctx.env
      })
    : undefined
  const logger: Logger = plainLogger(ctx.out, ctx.err)
  const quiet: Logger = { ...logger, write: () => undefined }
  return withCancellation(async signal => {
    const deps = { logger: args.quiet ? quiet : logger, signal, env: ctx.env }
    if (history) {
      const result = await runPerfTrack(settings, history, deps)
      const reports = writeTrackReports(result)
      ctx.out.write(`\n${reports.console}\n`)
      ctx.out.write(`results: ${reports.jsonPath}\nreport: ${reports.markdownPath}\n`)
      return result.passed ? 0 : 1
    }
    const result =
      settings.mode === 'snapshot'
        ? await runPerfSnapshot(settings, deps)
        : await runPerfCompare(settings, deps)
    const reports = writePerfReports(result)
    ctx.out.write(`\n${reports.console}\n`)
    ctx.out.write(`results: ${reports.jsonPath}\nreport: ${reports.markdownPath}\n`)
    return result.passed ? 0 : 1
  })
}
