/**
 * The `mace-actions` command: the same core as the actions, driven by flags
 * (then the reference environment variables). Exit codes: 0 pass, 1 failures,
 * 2 bad usage.
 */
import { CommanderError } from 'commander'
import { InputError, errorMessage } from '../core/shared/errors.js'
import type { CliContext } from './context.js'
import { perfCommand } from './perf-command.js'
import { buildProgram } from './program.js'
import { soakCommand } from './soak-command.js'
import { testCommand } from './test-command.js'

const COMMANDS = ['test', 'perf', 'soak']

/** Runs the CLI and returns its exit code. */
export async function main(args: string[], ctx: CliContext): Promise<number> {
  let code = 0
  const program = buildProgram(
    ctx,
    { test: testCommand, perf: perfCommand, soak: soakCommand },
    c => (code = c)
  )
  try {
    await program.parseAsync(args, { from: 'user' })
    return code
  } catch (error) {
    const help = COMMANDS.includes(args[0] ?? '')
      ? `mace-actions ${args[0]} --help`
      : 'mace-actions --help'
    if (error instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      if (error.exitCode === 0) return 0
      // Help shown for a missing command is already on stderr.
      if (error.code !== 'commander.help') {
        ctx.err.write(`mace-actions: ${commanderMessage(error)}\nRun '${help}' for usage.\n`)
      }
      return 2
    }
    ctx.err.write(`mace-actions: ${errorMessage(error)}\n`)
    if (error instanceof InputError) {
      ctx.err.write(`Run '${help}' for usage.\n`)
      return 2
    }
    return 1
  }
}

// Words that are a command's mode or subcommand, not a command: `merge` is `test merge`.
const COMMAND_OF_WORD: Record<string, string> = {
  merge: 'test merge',
  all: 'test all',
  fast: 'test fast',
  stress: 'test stress',
  chaos: 'test chaos',
  snapshot: 'perf snapshot',
  compare: 'perf compare'
}

/** Commander's message on one line, without its `error: ` prefix. */
function commanderMessage(error: CommanderError): string {
  if (error.code === 'commander.missingArgument' && /'mode'/.test(error.message)) {
    return 'perf needs a mode: snapshot, compare or track, e.g. mace-actions perf compare.'
  }
  const word = /unknown command '([^']*)'/.exec(error.message)?.[1]
  const meant = word === undefined ? undefined : COMMAND_OF_WORD[word]
  if (error.code === 'commander.unknownCommand' && meant !== undefined) {
    return `unknown command '${word}' (did you mean '${meant}'?)`
  }
  return error.message
    .replace(/^error: /, '')
    .replace(/\n\(Did you mean (.+)\?\)$/, ' (did you mean $1?)')
    .trim()
}
