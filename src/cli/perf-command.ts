/** `mace-actions perf snapshot|compare`: the perf gate, as action-perf runs it. */
import { InputError } from '../core/shared/errors.js'
import { plainLogger, type Logger } from '../core/shared/logger.js'
import { writePerfReports } from '../core/perf/reports.js'
import { runPerfCompare, runPerfSnapshot } from '../core/perf/run.js'
import { resolvePerfSettings } from '../core/perf/settings.js'
import { withCancellation } from './cancellation.js'
import { gitTopLevel, type CliContext } from './context.js'
import type { ParsedArgs } from './program.js'

/** Runs a perf snapshot or compare; returns the exit code. */
export async function perfCommand(args: ParsedArgs, ctx: CliContext): Promise<number> {
  const { positionals } = args
  if (positionals.length > 1) {
    throw new InputError(
      `Too many arguments: ${positionals.join(' ')}. Expected snapshot or compare.`
    )
  }
  const raw: Record<string, string | undefined> = { ...args.flags, mode: positionals[0] }
  const source = {
    get: (name: string) => raw[name],
    describe: (name: string) => (name === 'mode' ? `mode argument` : `flag --${name}`)
  }
  const resolved = await resolvePerfSettings(source, ctx.env, ctx.cwd, undefined)
  const top = gitTopLevel(resolved.workingDirectory)
  if (!top) {
    throw new InputError(
      `${resolved.workingDirectory} is not inside a git checkout: perf needs git for the base.`
    )
  }
  const settings = { ...resolved, repoRoot: top }
  const logger: Logger = plainLogger(ctx.out, ctx.err)
  const quiet: Logger = { ...logger, write: () => undefined }
  return withCancellation(async signal => {
    const deps = { logger: args.quiet ? quiet : logger, signal, env: ctx.env }
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
