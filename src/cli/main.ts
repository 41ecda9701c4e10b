/**
 * The `mace-actions` command: the same core as the actions, driven by flags
 * (then the reference environment variables). Exit codes: 0 pass, 1 failures,
 * 2 bad usage.
 */
import { InputError, errorMessage } from '../core/shared/errors.js'
import { perfCommand } from './perf-command.js'
import { soakCommand } from './soak-command.js'
import { testCommand } from './test-command.js'
import { usage } from './usage.js'
import type { CliContext } from './context.js'

/** Runs the CLI and returns its exit code. */
export async function main(args: string[], ctx: CliContext): Promise<number> {
  const [command, ...rest] = args
  try {
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      ctx.out.write(usage())
      return command === undefined ? 2 : 0
    }
    if (command === 'test') return await testCommand(rest, ctx)
    if (command === 'perf') return await perfCommand(rest, ctx)
    if (command === 'soak') return await soakCommand(rest, ctx)
    throw new InputError(`Unknown command '${command}'. Expected: test, perf or soak.`)
  } catch (error) {
    ctx.err.write(`mace-actions: ${errorMessage(error)}\n`)
    if (
      error instanceof InputError ||
      (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
    ) {
      ctx.err.write(`Run 'mace-actions --help' for usage.\n`)
      return 2
    }
    return 1
  }
}
