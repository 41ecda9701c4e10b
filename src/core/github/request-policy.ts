/**
 * How every GitHub API request behaves when GitHub answers badly, the way octokit's own plugins
 * do it: a transient answer (5xx, a dropped connection, no answer within the timeout) is retried
 * with growing pauses (`@octokit/plugin-retry`); a rate limit (403 or 429 with `retry-after`, or
 * `x-ratelimit-remaining: 0`) is waited out as GitHub asks, within a bounded total wait, and
 * writes are spaced as GitHub asks of integrations (`@octokit/plugin-throttling`). Each request
 * keeps a ledger of its attempts, so a failure can say what GitHub answered, and how often.
 */
import Bottleneck from 'bottleneck/light.js'
import type { Octokit } from '@octokit/core'
import type { ThrottlingOptions } from '@octokit/plugin-throttling'

/** The bounds one request lives within. */
export interface RequestPolicy {
  /** Milliseconds one attempt may wait for GitHub's answer (Node's own default is 300 s). */
  timeoutMs: number
  /** Retries of a transient answer after the first attempt. */
  retries: number
  /** Pause before retry n is n² × this, in milliseconds (1, 4, 9 s by default). */
  retryBaseMs: number
  /** Seconds of rate-limit waiting one request may spend in all; a longer wait is not taken. */
  maxWaitSecs: number
  /** Milliseconds between two writes (and 3× between two that notify); GitHub asks for 1 s. */
  writeGapMs: number
}

/** What the actions use on GitHub. */
export const DEFAULT_REQUEST_POLICY: RequestPolicy = {
  timeoutMs: 30_000,
  retries: 3,
  retryBaseMs: 1000,
  maxWaitSecs: 60,
  writeGapMs: 1000
}

// Tests shorten the bounds through these; they are not settings a workflow needs.
const ENV: Record<keyof RequestPolicy, string> = {
  timeoutMs: 'MACE_GITHUB_TIMEOUT_MS',
  retries: 'MACE_GITHUB_RETRIES',
  retryBaseMs: 'MACE_GITHUB_RETRY_BASE_MS',
  maxWaitSecs: 'MACE_GITHUB_MAX_WAIT_SECS',
  writeGapMs: 'MACE_GITHUB_WRITE_GAP_MS'
}

/** The default policy, with any bound the environment sets (whole numbers from 0) instead. */
export function requestPolicyFromEnv(env: NodeJS.ProcessEnv): RequestPolicy {
  const policy = { ...DEFAULT_REQUEST_POLICY }
  for (const key of Object.keys(ENV) as (keyof RequestPolicy)[]) {
    const text = env[ENV[key]]?.trim()
    if (text && /^\d+$/.test(text)) policy[key] = Number(text)
  }
  return policy
}

/** One attempt of a request: the status GitHub answered, or none when it did not answer. */
export interface RequestAttempt {
  status?: number
  /** True when the attempt was cut by the timeout. */
  timedOut: boolean
}

/** Everything one request went through, attached to its final error as `ledger`. */
export interface RequestLedger {
  attempts: RequestAttempt[]
  /** Seconds already spent waiting out rate limits. */
  waitedSecs: number
  /** A rate-limit wait GitHub asked for that would have passed the bound, in seconds. */
  refusedWaitSecs?: number
  policy: RequestPolicy
}

// One ledger per request: plugin-retry and plugin-throttling retry with the same options object.
const ledgers = new WeakMap<object, RequestLedger>()

/** The ledger a failed request's error carries, if it went through a client of this policy. */
export function ledgerOf(error: unknown): RequestLedger | undefined {
  const ledger = (error as { ledger?: RequestLedger } | null)?.ledger
  return ledger && Array.isArray(ledger.attempts) ? ledger : undefined
}

/**
 * An octokit plugin, innermost of the request hooks: each attempt gets its own timeout and is
 * written down in the request's ledger, which the error of a failed attempt carries.
 */
export function attemptGuard(policy: RequestPolicy) {
  return (octokit: Octokit): void => {
    octokit.hook.wrap('request', async (request, options) => {
      const ledger = ledgerFor(options, policy)
      const signal = AbortSignal.timeout(policy.timeoutMs)
      // In place: the hooks inside this one (the token's) are bound to this very options object.
      options.request = { ...options.request, signal }
      try {
        const response = await request(options)
        ledger.attempts.push({ status: response.status, timedOut: false })
        return response
      } catch (error) {
        const status = (error as { response?: { status?: number } }).response?.status
        ledger.attempts.push({ timedOut: signal.aborted, ...(status ? { status } : {}) })
        if (typeof error === 'object' && error !== null) Object.assign(error, { ledger })
        throw error
      }
    })
  }
}

function ledgerFor(options: object, policy: RequestPolicy): RequestLedger {
  let ledger = ledgers.get(options)
  if (!ledger) {
    ledger = { attempts: [], waitedSecs: 0, policy }
    ledgers.set(options, ledger)
  }
  return ledger
}

/**
 * Whether to wait `retryAfter` seconds and try again: yes while the request's waits stay within
 * the policy's bound. What was waited, or refused, goes in the ledger.
 */
function waitWithinBound(policy: RequestPolicy) {
  return (retryAfter: number, options: object, _octokit: unknown, retryCount: number): boolean => {
    const ledger = ledgerFor(options, policy)
    // retry-after: 0 again and again must not loop for ever either.
    if (retryCount >= policy.retries) return false
    if (ledger.waitedSecs + retryAfter > policy.maxWaitSecs) {
      ledger.refusedWaitSecs = retryAfter
      return false
    }
    ledger.waitedSecs += retryAfter
    return true
  }
}

// plugin-throttling shares its limiters across clients; ours are shared the same way, per gap.
const writeGroups = new Map<number, { write: Bottleneck.Group; notifications: Bottleneck.Group }>()

function groupsFor(gapMs: number): { write: Bottleneck.Group; notifications: Bottleneck.Group } {
  let groups = writeGroups.get(gapMs)
  if (!groups) {
    groups = {
      write: new Bottleneck.Group({ maxConcurrent: 1, minTime: gapMs }),
      notifications: new Bottleneck.Group({ maxConcurrent: 1, minTime: 3 * gapMs })
    }
    writeGroups.set(gapMs, groups)
  }
  return groups
}

/**
 * The options of octokit's retry and throttling plugins for `policy`. Rate limits (403, 429) are
 * left to the throttling plugin alone, which honours `retry-after`; the retry plugin takes 5xx
 * and failures to connect or answer.
 */
export function pluginOptions(policy: RequestPolicy): {
  retry: { doNotRetry: number[]; retries: number; retryAfterBaseValue: number }
  throttle: ThrottlingOptions
} {
  const wait = waitWithinBound(policy)
  return {
    retry: {
      doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451],
      retries: policy.retries,
      retryAfterBaseValue: policy.retryBaseMs
    },
    throttle: {
      onRateLimit: wait,
      onSecondaryRateLimit: wait,
      // GitHub's 403 for a secondary limit without retry-after: wait a minute, as octokit does.
      fallbackSecondaryRateRetryAfter: 60,
      ...(policy.writeGapMs === DEFAULT_REQUEST_POLICY.writeGapMs
        ? {}
        : groupsFor(policy.writeGapMs))
    }
  }
}
