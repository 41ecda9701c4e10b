/**
 * The nextest configuration a run brings, as a tool config file
 * (`--tool-config-file mace-actions:<path>`, nextest's documented way for a
 * tool to add profiles beneath the repository's own `.config/nextest.toml`,
 * which still wins where both set a key). One profile per layer: its
 * per-test timeout (`slow-timeout` with `terminate-after = 1` and the kill
 * grace), its retries (chaos attempts, 1 s apart as the reference pauses),
 * no fail-fast, and JUnit written where the run reads it.
 */
import { writeFileSync } from 'node:fs'
import { stringify } from 'smol-toml'

/** The tool name nextest shows for settings that come from our file. */
export const TOOL_NAME = 'mace-actions'

/** How one profile runs its tests. */
export interface NextestProfile {
  /** Profile name, e.g. `mace-actions-chaos`. */
  name: string
  /** Per-test time limit, seconds. */
  timeoutSeconds: number
  /** SIGTERM → SIGKILL grace at the limit, seconds. */
  graceSeconds: number
  /** Retries after a failed attempt (0 = one attempt). */
  retries: number
  /** Absolute path of the JUnit report. */
  junitPath: string
}

/** The profile name of a layer. */
export function profileName(layer: string): string {
  return `${TOOL_NAME}-${layer}`
}

/** The TOML text of a tool config file holding these profiles. */
export function toolConfigText(profiles: readonly NextestProfile[]): string {
  const profile: Record<string, unknown> = {}
  for (const p of profiles) {
    profile[p.name] = {
      'fail-fast': false,
      'slow-timeout': {
        period: `${p.timeoutSeconds}s`,
        'terminate-after': 1,
        'grace-period': `${p.graceSeconds}s`
      },
      retries: p.retries === 0 ? 0 : { backoff: 'fixed', count: p.retries, delay: '1s' },
      junit: { path: p.junitPath, 'store-success-output': false, 'store-failure-output': true }
    }
  }
  return `# Written by mace-actions for this run; layered under .config/nextest.toml.\n${stringify({ profile })}\n`
}

/** Writes the tool config file; returns the `--tool-config-file` value naming it. */
export function writeToolConfig(path: string, profiles: readonly NextestProfile[]): string {
  writeFileSync(path, toolConfigText(profiles))
  return `${TOOL_NAME}:${path}`
}
