/**
 * The nextest configuration a run brings, as a tool config file
 * (`--tool-config-file mace-actions:<path>`, nextest's documented way for a
 * tool to add settings beneath the repository's own `.config/nextest.toml`).
 *
 * How nextest layers it (checked on cargo-nextest 0.9.143): a setting of the
 * profile run is looked up profile by profile along its `inherits` chain down
 * to `default`, and within each profile the repository's file before ours;
 * per-test `overrides` are looked up the same way and win over every profile
 * setting. So the file holds:
 * - our defaults (the layer's per-test timeout with `terminate-after = 1`, the
 *   chaos attempts as retries 1 s apart, 8 test threads) in `[profile.default]`,
 *   the last link of every chain: the crate's file wins wherever it sets them;
 * - a profile per layer (`mace-actions-<layer>`) that inherits the crate's
 *   profile and sets only the JUnit path, plus an `all()` override with the
 *   settings the user gave (a timeout, `chaos-attempts`), which then win over
 *   the crate's file, its per-test overrides included;
 * - an empty stub of each profile of the crate's chain, with its `inherits`,
 *   since nextest checks a file's `inherits` against that file's own profiles.
 */
import { writeFileSync } from 'node:fs'
import { stringify } from 'smol-toml'
import { DEFAULT_PROFILE } from './repo-config.js'

/** The tool name nextest shows for settings that come from our file. */
export const TOOL_NAME = 'mace-actions'

/** A per-test time limit: nextest's `slow-timeout` with `terminate-after = 1`. */
export interface TestLimit {
  /** Seconds. */
  seconds: number
  /** SIGTERM → SIGKILL grace at the limit, seconds. */
  graceSeconds: number
}

/** The settings of one layer's run, ours or the user's. */
export interface PolicySettings {
  limit?: TestLimit
  /** Retries after a failed attempt (0 = one attempt), 1 s apart. */
  retries?: number
  testThreads?: number
}

/** What one tool config file holds. */
export interface ToolConfig {
  /** Profile name run, e.g. `mace-actions-chaos`. */
  profile: string
  /** The crate's profile it inherits, and that profile's chain: `[name, parent]` pairs. */
  inherits: string
  chain: [string, string][]
  /** Beneath the crate's file. */
  defaults: PolicySettings
  /** Over the crate's file (settings the user gave). */
  given: PolicySettings
  /** Absolute path of the JUnit report. */
  junitPath: string
}

/** The profile name of a layer. */
export function profileName(layer: string): string {
  return `${TOOL_NAME}-${layer}`
}

/** The TOML text of the tool config file; see the module comment. */
export function toolConfigText(config: ToolConfig): string {
  const ours: Record<string, unknown> = { junit: { path: config.junitPath } }
  if (config.inherits !== DEFAULT_PROFILE) ours.inherits = config.inherits
  const given = settingsToml(config.given)
  if (Object.keys(given).length > 0) ours.overrides = [{ filter: 'all()', ...given }]
  const profile: Record<string, unknown> = { [DEFAULT_PROFILE]: settingsToml(config.defaults) }
  for (const [name, parent] of config.chain) {
    profile[name] = parent === DEFAULT_PROFILE ? {} : { inherits: parent }
  }
  profile[config.profile] = ours
  return `# Written by mace-actions for this run; layered under .config/nextest.toml.\n${stringify({ profile })}\n`
}

/** Writes the tool config file; returns the `--tool-config-file` value naming it. */
export function writeToolConfig(path: string, config: ToolConfig): string {
  writeFileSync(path, toolConfigText(config))
  return `${TOOL_NAME}:${path}`
}

/** nextest's keys for the settings (overrides take `slow-timeout` and `retries`, not `test-threads`). */
function settingsToml(s: PolicySettings): Record<string, unknown> {
  return {
    ...(s.limit ? { 'slow-timeout': slowTimeout(s.limit) } : {}),
    ...(s.retries !== undefined ? { retries: retries(s.retries) } : {}),
    ...(s.testThreads !== undefined ? { 'test-threads': s.testThreads } : {})
  }
}

/** `slow-timeout` that kills at the limit. */
export function slowTimeout(limit: TestLimit): Record<string, unknown> {
  return {
    period: `${limit.seconds}s`,
    'terminate-after': 1,
    'grace-period': `${limit.graceSeconds}s`
  }
}

/** `retries`, 1 s apart as the reference pauses between chaos attempts. */
export function retries(count: number): unknown {
  return count === 0 ? 0 : { backoff: 'fixed', count, delay: '1s' }
}
