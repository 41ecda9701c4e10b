/**
 * Whose nextest policy a run applies, setting by setting: the crate's own
 * `.config/nextest.toml` (the profile run and the chain it inherits), a
 * setting the user gave (which wins over the crate's), or our default (beneath
 * the crate's). The same facts write the tool config (`config.ts`) and the
 * results document, so what a summary says is what nextest was told.
 */
import { availableParallelism } from 'node:os'
import parse from 'parse-duration'
import type { PolicySettings, TestLimit, ToolConfig } from './config.js'
import {
  DEFAULT_PROFILE,
  overridesOf,
  profileChain,
  setBy,
  type RepoConfig
} from './repo-config.js'

/** One setting as a run applied it, and whose it was. */
export interface PolicyValue {
  /** In words, e.g. `killed after 6 × 10s (60 s)`, `2, 1 s apart`. */
  value: string
  /** `crate`: its nextest config; `given`: a setting the user gave; `default`: ours. */
  source: 'crate' | 'given' | 'default'
  /** Where exactly, e.g. `[profile.default] of .config/nextest.toml`, `input 'chaos-attempts'`. */
  from: string
}

/** One layer's per-test timeout and retries. */
export interface LayerPolicy {
  slowTimeout: PolicyValue
  retries: PolicyValue
  /** Seconds after which a test without an override of its own is killed; absent: never. */
  limitSeconds?: number
  /** Retries of a test without an override of its own. */
  retryCount: number
  /** The crate's per-test overrides of these settings, which apply to their tests unless given. */
  overrides: number
}

/** The nextest policy of a run (results document `nextest`). */
export interface NextestPolicy {
  /** The crate's profile run (our layer profiles inherit it). */
  profile: string
  /** Why that one: `input 'nextest-profile'`, `the crate's config defines [profile.ci]`. */
  profileFrom: string
  /** The crate's config file, relative to the working directory; absent when it has none. */
  configFile?: string
  testThreads: PolicyValue
  /** Test threads as a number (the crate's `num-cpus` or negative counts resolved here). */
  threads: number
  /** By layer name. */
  layers: Record<string, LayerPolicy>
  /** The crate's `[test-groups]`: they apply through its overrides. */
  testGroups: string[]
  /** Always off (`--no-fail-fast`): every failing test is reported. */
  failFast: PolicyValue
}

/** Our defaults and what the user gave, for one layer. */
export interface LayerRequest {
  name: string
  limit: TestLimit
  /** Where the user gave the timeout, when they did. */
  limitGiven?: string
  retries: number
  retriesGiven?: string
}

/** What the policy is resolved from. */
export interface PolicyRequest {
  config: RepoConfig | undefined
  profile: string
  profileFrom: string
  threads: number
  threadsGiven?: string
  layers: LayerRequest[]
}

/**
 * The profile run when the user names none: `ci` when the crate's config
 * defines it (nextest's documented profile for CI, which a crate's own CI runs
 * with `--profile ci`), else `default` (what a plain `cargo nextest run` uses).
 */
export function defaultProfile(config: RepoConfig | undefined): { name: string; from: string } {
  return config?.profiles.has('ci') === true
    ? { name: 'ci', from: `${config.file} defines [profile.ci]` }
    : { name: DEFAULT_PROFILE, from: "nextest's default profile" }
}

/**
 * Resolves every setting's value and source.
 * @throws InputError when the profile or its chain is not in the crate's config.
 */
export function resolvePolicy(req: PolicyRequest): NextestPolicy {
  const chain = profileChain(req.config, req.profile)
  const where = (profile: string): string =>
    `[profile.${profile}] of ${req.config?.file ?? 'the crate'}`
  const crateThreads = setBy(req.config, chain, 'test-threads')
  const testThreads: PolicyValue = req.threadsGiven
    ? { value: String(req.threads), source: 'given', from: req.threadsGiven }
    : crateThreads
      ? { value: String(crateThreads.value), source: 'crate', from: where(crateThreads.profile) }
      : { value: String(req.threads), source: 'default', from: 'our default' }
  const layers: Record<string, LayerPolicy> = {}
  for (const layer of req.layers) layers[layer.name] = layerPolicy(req.config, chain, layer, where)
  return {
    profile: req.profile,
    profileFrom: req.profileFrom,
    ...(req.config ? { configFile: req.config.file } : {}),
    testThreads,
    threads: threadCount(testThreads.source === 'crate' ? crateThreads?.value : req.threads),
    layers,
    testGroups: req.config?.testGroups ?? [],
    failFast: { value: 'off', source: 'default', from: 'always: every failing test is reported' }
  }
}

function layerPolicy(
  config: RepoConfig | undefined,
  chain: string[],
  layer: LayerRequest,
  where: (profile: string) => string
): LayerPolicy {
  const crateTimeout = setBy(config, chain, 'slow-timeout')
  const crateRetries = setBy(config, chain, 'retries')
  const ours = { value: limitText(layer.limit), limit: layer.limit.seconds }
  const timeout = layer.limitGiven
    ? { ...ours, source: 'given' as const, from: layer.limitGiven }
    : crateTimeout
      ? {
          ...crateLimit(crateTimeout.value),
          source: 'crate' as const,
          from: where(crateTimeout.profile)
        }
      : { ...ours, source: 'default' as const, from: 'our default' }
  const retries = layer.retriesGiven
    ? { count: layer.retries, source: 'given' as const, from: layer.retriesGiven }
    : crateRetries
      ? {
          count: retryCount(crateRetries.value),
          source: 'crate' as const,
          from: where(crateRetries.profile)
        }
      : { count: layer.retries, source: 'default' as const, from: 'our default' }
  return {
    slowTimeout: { value: timeout.value, source: timeout.source, from: timeout.from },
    retries: { value: retriesText(retries.count), source: retries.source, from: retries.from },
    ...(timeout.limit !== undefined ? { limitSeconds: timeout.limit } : {}),
    retryCount: retries.count,
    overrides: overridesOf(config, chain, 'slow-timeout') + overridesOf(config, chain, 'retries')
  }
}

/** The tool config of one layer's run under the policy (see `config.ts`). */
export function toolConfigOf(
  req: PolicyRequest,
  layer: LayerRequest,
  profile: string,
  junitPath: string
): ToolConfig {
  const chain = profileChain(req.config, req.profile)
  const parents = chain.slice(0, -1).map((name, i): [string, string] => [name, chain[i + 1]!])
  const defaults: PolicySettings = {
    limit: layer.limit,
    retries: layer.retries,
    testThreads: req.threads
  }
  const given: PolicySettings = {
    ...(layer.limitGiven ? { limit: layer.limit } : {}),
    ...(layer.retriesGiven ? { retries: layer.retries } : {})
  }
  return { profile, inherits: req.profile, chain: parents, defaults, given, junitPath }
}

function limitText(limit: TestLimit): string {
  return `killed at ${limit.seconds} s (${limit.graceSeconds} s grace)`
}

/** A crate's `slow-timeout` in words, and the limit it sets, if any. */
function crateLimit(value: unknown): { value: string; limit?: number } {
  const table =
    typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {}
  const period =
    typeof value === 'string' ? value : typeof table.period === 'string' ? table.period : '60s'
  const after = Number(table['terminate-after'])
  const passes = table['on-timeout'] === 'pass' ? '; a test that times out passes (on-timeout)' : ''
  if (!Number.isInteger(after) || after < 1) {
    return {
      value: `slow after ${period}, never killed by nextest (the layer's deadline bounds it)${passes}`
    }
  }
  const seconds = Math.round(((parse(period, 'ms') ?? 0) * after) / 1000)
  return { value: `killed after ${after} × ${period} (${seconds} s)${passes}`, limit: seconds }
}

function retryCount(value: unknown): number {
  if (typeof value === 'number') return value
  const count = (value as Record<string, unknown> | null)?.count
  return typeof count === 'number' ? count : 0
}

function retriesText(count: number): string {
  return count === 0 ? 'none' : `${count}`
}

/** nextest's `test-threads`: a count, `num-cpus`, or a negative count below the CPUs. */
function threadCount(value: unknown): number {
  const cpus = availableParallelism()
  if (typeof value === 'number') return value > 0 ? value : Math.max(1, cpus + value)
  return cpus
}
