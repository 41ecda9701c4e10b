/**
 * The GitHub REST client the actions publish with: `@actions/github`'s octokit aimed at the run's
 * own API (GitHub Enterprise Server sets GITHUB_API_URL), with octokit's retry and throttling
 * plugins and a timeout on every request (request-policy.ts), and where a run's repository and
 * pull request come from.
 */
import { getOctokit } from '@actions/github'
import { retry } from '@octokit/plugin-retry'
import { throttling } from '@octokit/plugin-throttling'
import { attemptGuard, pluginOptions, requestPolicyFromEnv } from './request-policy.js'

/** The octokit `createGitHubClient` builds: REST endpoint methods and pagination. */
export type GitHubClient = ReturnType<typeof getOctokit>

/** A repository as every repository endpoint takes it. */
export interface RepoRef {
  owner: string
  repo: string
}

/** GitHub refuses a comment or issue body longer than this with 422 "Body is too long". */
export const MAX_BODY_CHARS = 65_536

/**
 * An octokit client for `token`, talking to `env.GITHUB_API_URL` (api.github.com by default).
 * Every request is cut after 30 s without an answer, a 5xx or dropped connection is retried 3
 * times (1, 4, 9 s apart), a rate limit is waited out as `retry-after` asks within 60 s per
 * request, and writes go 1 s apart; a failed request's error carries its ledger
 * (request-failure.ts says it in words).
 */
export function createGitHubClient(
  token: string,
  env: NodeJS.ProcessEnv = process.env
): GitHubClient {
  // @actions/github reads GITHUB_API_URL once, when first imported; passing it here makes `env`
  // the one source, so tests can aim a client at a loopback emulator without touching process.env.
  const baseUrl = (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, '')
  const policy = requestPolicyFromEnv(env)
  // The guard comes first so it sits innermost: each retry is one more guarded attempt.
  return getOctokit(
    token,
    { baseUrl, ...pluginOptions(policy) },
    attemptGuard(policy),
    retry,
    throttling
  )
}

/** The run's repository from GITHUB_REPOSITORY (`owner/repo`); undefined outside a workflow. */
export function repoFromEnv(env: NodeJS.ProcessEnv = process.env): RepoRef | undefined {
  const match = /^([^/\s]+)\/([^/\s]+)$/.exec(env.GITHUB_REPOSITORY ?? '')
  return match ? { owner: match[1] as string, repo: match[2] as string } : undefined
}

/**
 * The pull request a workflow event is about: `pull_request` and `pull_request_target`, a comment
 * on a pull request, or a `workflow_run` of one. A `workflow_run` started by a fork's pull request
 * lists no pull requests, so the trampoline workflow has to carry the number in its artifact.
 */
export function pullRequestNumber(eventPayload: unknown): number | undefined {
  const payload = (eventPayload ?? {}) as Payload
  const candidates = [
    payload.pull_request?.number,
    payload.issue?.pull_request ? payload.issue.number : undefined,
    payload.workflow_run?.pull_requests?.[0]?.number
  ]
  return candidates.find((n): n is number => typeof n === 'number' && Number.isInteger(n) && n > 0)
}

/** The HTTP status of a failed octokit request, or undefined for any other error. */
export function httpStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('status' in error)) return undefined
  return typeof error.status === 'number' ? error.status : undefined
}

interface Payload {
  pull_request?: { number?: unknown }
  issue?: { number?: unknown; pull_request?: unknown }
  workflow_run?: { pull_requests?: { number?: unknown }[] }
}

/** Link to the workflow run from the runner's environment; undefined outside a workflow. */
export function runUrlFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const { GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: id } = env
  if (!repo || !id) return undefined
  const server = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '')
  return `${server}/${repo}/actions/runs/${id}`
}
