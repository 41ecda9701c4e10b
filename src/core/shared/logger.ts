/**
 * Where the core writes what a person reads while it runs. The action passes
 * one backed by `@actions/core` (groups fold in the step log); the CLI and the
 * tests pass their own.
 */
export interface Logger {
  info(message: string): void
  warning(message: string): void
  error(message: string): void
  debug(message: string): void
  /** Starts a collapsible group; `endGroup` closes it. */
  startGroup(title: string): void
  endGroup(): void
  /** Raw output of a child process, written as is. */
  write(chunk: string): void
}

/** A logger that writes to the given streams with no workflow commands. */
export function plainLogger(
  out: NodeJS.WritableStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr,
  verbose = false
): Logger {
  return {
    info: m => void out.write(`${m}\n`),
    warning: m => void err.write(`warning: ${m}\n`),
    error: m => void err.write(`error: ${m}\n`),
    debug: m => {
      if (verbose) out.write(`debug: ${m}\n`)
    },
    startGroup: t => void out.write(`── ${t}\n`),
    endGroup: () => undefined,
    write: c => void out.write(c)
  }
}

/** A logger that drops everything (for tests that only look at results). */
export const silentLogger: Logger = {
  info: () => undefined,
  warning: () => undefined,
  error: () => undefined,
  debug: () => undefined,
  startGroup: () => undefined,
  endGroup: () => undefined,
  write: () => undefined
}
