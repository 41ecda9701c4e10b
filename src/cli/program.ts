/**
 * The `mace-actions` command line, built with commander from the flag lists in
 * usage.ts: `test [mode] [threads]`, `perf <snapshot|compare>`, `soak`, each
 * with its own `--help`; `--version`; an unknown flag or command names itself
 * and the nearest one. Commander only parses: settings are still resolved
 * (flag, then environment, then default) and validated by the core.
 */
import { Command, Option } from 'commander'
import type { CliContext } from './context.js'
import {
  EXIT_CODES,
  PERF_FLAGS,
  PERF_FLAG_HELP,
  PERF_HELP,
  PROGRAM_HELP,
  SOAK_FLAGS,
  SOAK_FLAG_HELP,
  SOAK_HELP,
  SOAK_NOTES,
  TEST_FLAGS,
  TEST_FLAG_HELP,
  TEST_HELP,
  type FlagHelp
} from './usage.js'
import { VERSION } from './version.js'

/** One command's parsed command line, before any setting is resolved. */
export interface ParsedArgs {
  /** Positional arguments, as given (their count is checked by the command). */
  positionals: string[]
  /** Flag name (as the action's input) → value, for the flags given. */
  flags: Record<string, string>
  /** `--env KEY=VALUE`, in order. */
  env: string[]
  quiet: boolean
}

/** What runs a command once its command line is parsed; returns the exit code. */
export type CommandRunner = (args: ParsedArgs, ctx: CliContext) => Promise<number>

/** The runners of the three commands. */
export interface CommandRunners {
  test: CommandRunner
  perf: CommandRunner
  soak: CommandRunner
}

/**
 * The program; the exit code of the command it ran is given to `done`.
 * Commander's own errors are thrown (exitOverride), never printed: main.ts
 * words them.
 */
export function buildProgram(
  ctx: CliContext,
  runners: CommandRunners,
  done: (code: number) => void
): Command {
  const program = new Command('mace-actions')
    .usage('<command> [options]')
    .description(PROGRAM_HELP)
    .version(VERSION, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show this help')
    .helpCommand('help [command]', 'show the help of a command')
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: s => void ctx.out.write(s),
      writeErr: s => void ctx.err.write(s),
      outputError: () => undefined
    })
    .addHelpText('after', `\n${EXIT_CODES}\nRun 'mace-actions <command> --help' for its flags.`)
  const action =
    (run: CommandRunner) =>
    async (...params: unknown[]): Promise<void> => {
      const command = params[params.length - 1] as Command
      done(await run(parsed(command), ctx))
    }
  command(program, 'test', TEST_HELP, TEST_FLAGS, TEST_FLAG_HELP, 'do not echo cargo output')
    .summary('layered cargo test, like prod_test.sh')
    .usage('[mode] [threads] [options]')
    .argument('[mode]', 'fast, stress, chaos or all, as prod_test.sh takes it')
    .argument('[threads]', '--test-threads=N')
    .addOption(envOption())
    .addHelpText('after', `\n${EXIT_CODES}`)
    .action(action(runners.test))
  command(program, 'perf', PERF_HELP, PERF_FLAGS, PERF_FLAG_HELP, 'do not echo Criterion output')
    .summary('Criterion snapshot or base-vs-head gate, like perf_gate.sh; or track a history')
    .usage('<snapshot|compare|track> [options]')
    .argument(
      '<mode>',
      'snapshot (head only), compare (base vs head, with the gate) or track (a snapshot added to a history)'
    )
    .addHelpText('after', `\nExit codes: 0 pass, 1 gate failed, 2 bad usage.`)
    .action(action(runners.perf))
  command(program, 'soak', SOAK_HELP, SOAK_FLAGS, SOAK_FLAG_HELP, 'do not echo cargo output')
    .summary('hours-long stress/chaos loop with perf snapshots, like prod_soak.sh')
    .usage('[options]')
    .addOption(envOption())
    .addHelpText('after', `\n${SOAK_NOTES}`)
    .action(action(runners.soak))
  return program
}

/** Flags that, like cargo's, may stand alone for `true`. */
const CARGO_SWITCHES = ['all-features', 'no-default-features']

/** A command with one `--flag VALUE` per name, plus --quiet. */
function command(
  program: Command,
  name: string,
  description: string,
  flags: readonly string[],
  help: Record<string, FlagHelp>,
  quiet: string
): Command {
  const cmd = program
    .command(name)
    .description(description)
    .helpOption('-h, --help', 'show this help')
    // Our own messages name a stray argument better than commander's count.
    .allowExcessArguments(true)
  for (const flag of flags) {
    const text = help[flag] ?? { value: 'VALUE', help: '' }
    // cargo's own feature switches read as cargo's: a bare `--all-features` is `true`.
    const value = CARGO_SWITCHES.includes(flag) ? `[${text.value}]` : `<${text.value}>`
    cmd.addOption(new Option(`--${flag} ${value}`, text.help))
  }
  cmd.option('-q, --quiet', quiet)
  return cmd
}

function envOption(): Option {
  return new Option(
    '--env <KEY=VALUE>',
    'extra environment for every command (repeatable)'
  ).argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value])
}

/** The positionals and the given flags, keyed by the flag's own name. */
function parsed(command: Command): ParsedArgs {
  const values = command.opts<Record<string, unknown>>()
  const flags: Record<string, string> = {}
  for (const option of command.options) {
    const name = option.long?.replace(/^--/, '')
    const value = values[option.attributeName()]
    if (name && typeof value === 'string') flags[name] = value
    // A bare switch: commander keeps `--no-NAME` as NAME = false (true when absent).
    else if (name && value === !option.negate) flags[name] = 'true'
  }
  return {
    positionals: command.args,
    flags,
    env: (values.env as string[] | undefined) ?? [],
    quiet: values.quiet === true
  }
}
