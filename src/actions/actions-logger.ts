/**
 * A Logger for the GitHub runner: groups fold in the step log, and the output
 * of child processes is fenced with `stop-commands`, so a test that prints
 * `::error::` or `::add-mask::` (text from a pull request) is never obeyed.
 */
import { randomUUID } from 'node:crypto'
import * as core from '@actions/core'
import type { Logger } from '../core/shared/logger.js'

/** Logger backed by @actions/core. */
export function actionsLogger(): Logger {
  let fence: string | undefined
  return {
    info: m => core.info(m),
    warning: m => core.warning(m),
    error: m => core.error(m),
    debug: m => core.debug(m),
    startGroup: title => {
      core.startGroup(title)
      fence = randomUUID()
      process.stdout.write(`::stop-commands::${fence}\n`)
    },
    endGroup: () => {
      if (fence) process.stdout.write(`\n::${fence}::\n`)
      fence = undefined
      core.endGroup()
    },
    write: chunk => void process.stdout.write(chunk)
  }
}
