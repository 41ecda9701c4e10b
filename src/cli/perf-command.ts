/** `mace-actions perf snapshot|compare`: the perf gate, as action-perf runs it. */
import { parseArgs } from 'node:util'
import { InputError } from '../core/shared/errors.js'
import { plainLogger, type Logger } from '../core/shared/logger.js'
import { writePerfReports } from '../core/perf/reports.js'
import { runPerfCompare, runPerfSnapshot } from '../core/perf/run.js'
import { resolvePerfSettings } from '../core/perf/settings.js'
import { withCancellation } from './cancellation.js'
import { gitTopLevel, type CliContext } from './context.js'
import { PERF_FLAGS, perfUsage } from './usage.js'

/** Runs a perf snapshot or compare; returns the exit code. */
export async function perfCommand(args: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      ...Object.fromEntries(PERF_FLAGS.map(f => [f, { type: 'string' as const }])),
      quiet: { type: 'boolean', short: 'q' },
      help: { type: 'boolean', short: 'h' }
    },
    allowPositionals: true,
    strict: true
  })
  if (values.help) {
    ctx.out.write(perfUsage())
    return 0
  }
  if (positionals.length > 1) {
    throw new InputError(
      `Too many arguments: ${positionals.join(' ')}. Expected snapshot or compare.`
    )
  }
  const flags = values as Record<string, unknown>
  const raw: Record<string, string | undefined> = {
    mode: positionals[0],
    ...(Object.fromEntries(
      PERF_FLAGS.map(f => [f, flags[f]]).filter(([, v]) => typeof v === 'string')
    ) as Record<string, string>)
  }
  const source = {
    get: (name: string) => raw[name],
    describe: (name: string) => (name === 'mode' ? `mode argument or --mode` : `flag --${name}`)
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
    const deps = { logger: values.quiet ? quiet : logger, signal, env: ctx.env }
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
