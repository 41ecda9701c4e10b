/**
 * The crate's own nextest configuration, `.config/nextest.toml` at the cargo
 * workspace root (nextest's "repository config"), read only to know what it
 * sets: which profiles exist, the chain a profile inherits along (`inherits`,
 * nextest 0.9.115; otherwise `default`), and which profile of that chain sets a
 * key. nextest itself applies the file; this lets a run say whose policy applied
 * and lay our defaults beneath it (see `config.ts`).
 */
import { execFile } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { promisify } from 'node:util'
import { parse } from 'smol-toml'
import { InputError } from '../shared/errors.js'

/** Where nextest looks for the repository config, from the workspace root. */
export const REPO_CONFIG_PATH = join('.config', 'nextest.toml')

/** The profile nextest runs when none is named, and that every chain ends with. */
export const DEFAULT_PROFILE = 'default'

type Table = Record<string, unknown>

/** A crate's nextest config, as far as a run needs to know it. */
export interface RepoConfig {
  /** The file, relative to the working directory, e.g. `.config/nextest.toml`. */
  file: string
  /** `[profile.NAME]` tables by name. */
  profiles: Map<string, Table>
  /** `[test-groups]` names. */
  testGroups: string[]
}

/**
 * The cargo workspace root of `cwd` (`cargo locate-project --workspace`), where
 * nextest reads its config; `cwd` itself when cargo cannot say.
 */
export async function workspaceRoot(cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  try {
    const argv = ['locate-project', '--workspace', '--message-format', 'plain']
    const { stdout } = await promisify(execFile)('cargo', argv, { cwd, env })
    const manifest = stdout.trim()
    return manifest === '' ? cwd : dirname(manifest)
  } catch {
    return cwd
  }
}

/**
 * Reads `<root>/.config/nextest.toml`; undefined when the crate has none.
 * @throws InputError naming the file when it is not TOML nextest could read.
 */
export function readRepoConfig(root: string, cwd: string): RepoConfig | undefined {
  const path = join(root, REPO_CONFIG_PATH)
  if (!existsSync(path)) return undefined
  const file = relative(cwd, path) || path
  let doc: Table
  try {
    doc = parse(readFileSync(path, 'utf8'))
  } catch (e) {
    throw new InputError(
      `Invalid nextest config ${file}: ${(e as Error).message.split('\n')[0]}. Expected the TOML cargo-nextest reads (runner nextest applies the crate's own config).`
    )
  }
  const profiles = new Map<string, Table>()
  for (const [name, table] of Object.entries(asTable(doc.profile))) {
    profiles.set(name, asTable(table))
  }
  return { file, profiles, testGroups: Object.keys(asTable(doc['test-groups'])) }
}

/**
 * The profiles `profile` takes its settings from, nearest first, ending with
 * `default`: its `inherits` chain.
 * @throws InputError when the chain names a profile the file lacks, or loops.
 */
export function profileChain(config: RepoConfig | undefined, profile: string): string[] {
  const chain: string[] = []
  let name: string | undefined = profile
  while (name !== undefined && name !== DEFAULT_PROFILE) {
    if (chain.includes(name)) {
      throw new InputError(
        `Invalid nextest config ${config?.file}: profile '${name}' inherits from itself (${[...chain, name].join(' → ')}).`
      )
    }
    const table: Table | undefined = config?.profiles.get(name)
    if (table === undefined) {
      throw new InputError(
        `Invalid nextest config ${config?.file ?? REPO_CONFIG_PATH}: no [profile.${name}]${chain.length > 0 ? ` (inherited by '${chain.at(-1)}')` : ''}.`
      )
    }
    chain.push(name)
    name = typeof table.inherits === 'string' ? table.inherits : DEFAULT_PROFILE
  }
  return [...chain, DEFAULT_PROFILE]
}

/** The crate's profile a setting comes from: the nearest of `chain` that sets `key`. */
export function setBy(
  config: RepoConfig | undefined,
  chain: readonly string[],
  key: string
): { profile: string; value: unknown } | undefined {
  for (const profile of chain) {
    const value = config?.profiles.get(profile)?.[key]
    if (value !== undefined) return { profile, value }
  }
  return undefined
}

/** How many per-test overrides of the chain's profiles set `key` (they win over profile settings). */
export function overridesOf(
  config: RepoConfig | undefined,
  chain: readonly string[],
  key: string
): number {
  return chain.reduce((n, profile) => {
    const list = config?.profiles.get(profile)?.overrides
    return n + (Array.isArray(list) ? list.filter(o => asTable(o)[key] !== undefined).length : 0)
  }, 0)
}

function asTable(value: unknown): Table {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Table)
    : {}
}
