/** `mace-actions soak`: the soak loop, as action-soak runs it. */
import { InputError } from '../core/shared/errors.js'
import { plainLogger, type Logger } from '../core/shared/logger.js'
import { writeSoakReports } from '../core/soak/reports.js'
import { runSoak } from '../core/soak/run.js'
import { resolveSoakSettings } from '../core/soak/settings.js'
import { withCancellation } from './cancellation.js'
import { gitTopLevel, type CliContext } from './context.js'
import type { ParsedArgs } from './program.js'

/** Runs the soak; returns the exit code. */
export async function soakCommand(args: ParsedArgs, ctx: CliContext): Promise<number> {
  const { positionals } = args
  if (positionals.length > 0) {
    throw new InputError(
      `Unexpected argument: ${positionals.join(' ')}. The soak takes flags only, e.g. --duration 90.`
    )
  }
  const raw: Record<string, string | undefined> = {
    ...args.flags,
    env: args.env.length > 0 ? args.env.join('\n') : undefined
  }
  const source = {
    get: (name: string) => raw[name],
    describe: (name: string) => `flag --${name}`
  }
  const resolved = await resolveSoakSettings(source, ctx.env, ctx.cwd, undefined)
  const repoRoot = gitTopLevel(resolved.test.workingDirectory) ?? resolved.test.workingDirectory
  const history = resolved.history
  const settings = {
    ...resolved,
    test: { ...resolved.test, repoRoot },
    perf: { ...resolved.perf, repoRoot },
    ...(history
      ? {
          history:
            history.location.kind === 'branch'
              ? { ...history, location: { ...history.location, repoRoot } }
              : history
        }
      : {})
  }
  const logger: Logger = plainLogger(ctx.out, ctx.err)
  const quiet: Logger = { ...logger, write: () => undefined }
  return withCancellation(async signal => {
    const result = await runSoak(settings, {
      logger: args.quiet ? quiet : logger,
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
