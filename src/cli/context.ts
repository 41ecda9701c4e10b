/** What the CLI commands share: their world, and where the repository is. */
import { execFileSync } from 'node:child_process'

/** Where the CLI writes, and its environment (tests pass their own). */
export interface CliContext {
  env: NodeJS.ProcessEnv
  cwd: string
  out: NodeJS.WritableStream
  err: NodeJS.WritableStream
}

/** The repository root of `dir`, if it is in a git checkout. */
export function gitTopLevel(dir: string): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', '--show-toplevel'], {
      cwd: dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore']
    }).trim()
  } catch {
    return undefined
  }
}
