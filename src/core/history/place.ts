/**
 * Writing to a history wherever it is kept: a directory is written in place;
 * a branch is written through `branch.ts` (fetch, change, commit, push, and
 * again on the new tip when another writer came first).
 */
import { readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { InputError } from '../shared/errors.js'
import { ensureDirectory } from '../shared/paths.js'
import type { Logger } from '../shared/logger.js'
import { writeBranch } from './branch.js'
import type { HistoryPlace } from './results.js'
import type { HistoryLocation } from './settings.js'
import { META_FILE } from './update.js'

/** Test hooks of a branch write. */
export interface PlaceHooks {
  /** Called before each push, with its attempt number (a test lets another writer in here). */
  beforePush?: (attempt: number) => Promise<void>
}

/**
 * Runs `change` on the history's files and keeps the result: in the directory, or pushed to the
 * branch (`change` may run again there, on the branch's new tip).
 * @throws InputError when the directory cannot be made; Error when the branch cannot be pushed.
 */
export async function writeHistory<T>(
  location: HistoryLocation,
  change: (dir: string) => T,
  message: (value: T) => string,
  logger: Logger,
  hooks: PlaceHooks = {}
): Promise<{ value: T; place: HistoryPlace }> {
  if (location.kind === 'directory') {
    ensureDirectory(location.dir, 'the history directory')
    checkOurs(location.dir, `the history directory '${location.dir}'`)
    const value = change(location.dir)
    writeReadme(location.dir)
    return { value, place: { kind: 'directory', location: location.dir } }
  }
  const { value, commit, attempts } = await writeBranch(
    { repoRoot: location.repoRoot, remote: location.remote, branch: location.branch },
    dir => {
      checkOurs(dir, `the history branch '${location.branch}'`)
      const value = change(dir)
      writeReadme(dir)
      return value
    },
    message,
    logger,
    hooks
  )
  return {
    value,
    place: {
      kind: 'branch',
      location: location.branch,
      attempts,
      ...(commit ? { commit } : {})
    }
  }
}

/**
 * A history writes index.html and README.md at its root: it goes only where it is alone, an
 * empty place or one a history already wrote (`history.json`), never over a site or a project.
 * @throws InputError naming the place and what it holds.
 */
function checkOurs(dir: string, what: string): void {
  const entries = readdirSync(dir).filter(e => e !== '.mace-actions')
  if (entries.length === 0 || entries.includes(META_FILE)) return
  throw new InputError(
    `Invalid ${what}: it holds files a history did not write (${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', …' : ''}) and no ${META_FILE}, and a history writes index.html and README.md at its root. Expected an empty or new directory or branch, or one a history already wrote.`
  )
}

/** What the history is, for whoever finds the branch or the directory. */
function writeReadme(dir: string): void {
  writeFileSync(
    join(dir, 'README.md'),
    `# Performance history

Written by [mace-actions](https://github.com/mace/mace-actions) (\`perf track\`, and the soak with \`history: true\`).
Do not edit by hand: each run appends to these files.

- \`index.html\` with \`data.js\`: the charts (serve this branch with GitHub Pages, or open the file).
- \`<part>/<bench>/<metric>/YYYY-MM.jsonl\`: one point per line, one file per month of measuring
  (\`perf/\`: tracked snapshots; \`soak/\`: the soak's nights). Each point: the commit, its time,
  the runner's fingerprint, and per case the value and its interval.
- \`squashed.jsonl\`: older months folded to one point per month and runner, past the cap.
- \`shifts.json\`: the lasting shifts already announced.
`
  )
}
