/**
 * The nextest policy of a test run: the crate's own `.config/nextest.toml`
 * under the profile chosen (`nextest-profile`, else `ci` when the crate has
 * one, else `default`), the settings the user gave over it, our defaults
 * (the reference's timeouts and chaos attempts, 8 threads) beneath it; and
 * the notices that say whose each setting was.
 */
import {
  defaultProfile,
  resolvePolicy,
  type LayerPolicy,
  type NextestPolicy,
  type PolicyRequest,
  type PolicyValue
} from '../nextest/policy.js'
import { readRepoConfig, workspaceRoot } from '../nextest/repo-config.js'
import { layersOf } from './plan-selection.js'
import { LAYERS, type LayerName, type RunNote } from './results.js'
import type { TestSettings } from './settings.js'

/** The policy as resolved, and the request it came from (to write each layer's tool config). */
export interface RunPolicy {
  request: PolicyRequest
  resolved: NextestPolicy
}

/**
 * Reads the crate's nextest config and resolves the run's policy.
 * @throws InputError when the config is not TOML, or the profile (or one it inherits) is not in it.
 */
export async function nextestPolicy(s: TestSettings, env: NodeJS.ProcessEnv): Promise<RunPolicy> {
  const root = await workspaceRoot(s.workingDirectory, env)
  const config = readRepoConfig(root, s.workingDirectory)
  const profile = s.nextestProfile ?? defaultProfile(config)
  const request: PolicyRequest = {
    config,
    profile: profile.name,
    profileFrom: profile.from,
    threads: s.threads,
    ...(s.given.threads ? { threadsGiven: s.given.threads } : {}),
    layers: LAYERS.map(layer => ({
      name: layer,
      limit: { seconds: s.timeouts[layer], graceSeconds: s.killGraceMs / 1000 },
      ...given('limitGiven', s.given[`${layer}-timeout`]),
      retries: layer === 'chaos' ? s.chaosAttempts - 1 : 0,
      ...given('retriesGiven', layer === 'chaos' ? s.given['chaos-attempts'] : undefined)
    }))
  }
  return { request, resolved: resolvePolicy(request) }
}

/** A layer's policy (every layer has one). */
export function layerPolicy(policy: NextestPolicy, layer: LayerName): LayerPolicy {
  const found = policy.layers[layer]
  if (found === undefined) throw new Error(`no nextest policy for layer ${layer}`)
  return found
}

/**
 * What the run tells the user: one notice of whose policy applied, and a warning
 * where the crate lets a test run longer than the layer's timeout, which still
 * bounds the layer's run as a whole.
 */
export function policyNotes(policy: NextestPolicy, s: TestSettings): RunNote[] {
  const layers = layersOf(s.mode)
  // Layers with the same settings are said once: `fast, stress: timeout …`.
  const said = new Map<string, LayerName[]>()
  for (const layer of layers) {
    const p = layerPolicy(policy, layer)
    const overrides =
      p.overrides > 0 && (p.slowTimeout.source !== 'given' || p.retries.source !== 'given')
        ? `; the crate's per-test overrides (${p.overrides}) apply to the tests they name`
        : ''
    const text = `timeout ${whose(p.slowTimeout)}, retries ${whose(p.retries)}${overrides}`
    said.set(text, [...(said.get(text) ?? []), layer])
  }
  const perLayer = [...said].map(([text, names]) => `${names.join(', ')}: ${text}`)
  const groups =
    policy.testGroups.length > 0
      ? ` Test groups (the crate's): ${policy.testGroups.join(', ')}.`
      : ''
  const file = policy.configFile ?? 'none (no .config/nextest.toml)'
  const notes: RunNote[] = [
    {
      level: 'notice',
      message: `nextest policy: profile '${policy.profile}' (${policy.profileFrom}); crate config ${file}. ${perLayer.join('; ')}. Test threads ${whose(policy.testThreads)}.${groups} Fail-fast off (always: every failing test is reported).`
    }
  ]
  for (const layer of layers) {
    const limit = layerPolicy(policy, layer).limitSeconds
    if (limit !== undefined && limit > s.timeouts[layer]) {
      notes.push({
        level: 'warning',
        message: `The crate's nextest config lets a ${layer} test run ${limit} s, longer than the ${layer} timeout of ${s.timeouts[layer]} s, which still bounds the ${layer} layer's run as a whole; set ${layer}-timeout to allow more.`
      })
    }
  }
  return notes
}

/** A value and whose it is: `1 (the crate's: [profile.default] of .config/nextest.toml)`. */
function whose(v: PolicyValue): string {
  if (v.source === 'default') return `${v.value} (our default)`
  return `${v.value} (${v.source === 'crate' ? "the crate's" : 'given'}: ${v.from})`
}

function given<K extends string>(key: K, from: string | undefined): Partial<Record<K, string>> {
  return from === undefined ? {} : ({ [key]: from } as Record<K, string>)
}
