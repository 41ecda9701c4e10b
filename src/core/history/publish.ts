/**
 * Announcing new lasting slowdowns: the tracking issue, opened for them or
 * commented on while it is open (`github/tracking-issue.ts`, as the soak uses
 * it). A shift is announced once: the history remembers it, so closing the
 * issue acknowledges it and the next new shift opens a fresh one.
 */
import { createGitHubClient, MAX_BODY_CHARS, repoFromEnv, runUrlFromEnv } from '../github/client.js'
import { syncTrackingIssue, type TrackingIssueResult } from '../github/tracking-issue.js'
import type { Logger } from '../shared/logger.js'
import { newSlowdowns, renderShiftIssue } from './render/issue.js'
import type { TrackResult } from './results.js'

/** The tracking issue's settings. */
export interface ShiftIssueOptions {
  enabled: boolean
  title: string
  label: string
  token: string
  env: NodeJS.ProcessEnv
  /** A commit's page with `{sha}`, for the compare links. */
  commitUrl?: string
  logger: Logger
}

/**
 * Opens or comments on the tracking issue when the run found new slowdowns; leaves it alone
 * otherwise (a shift does not end by itself: a person closes the issue).
 */
export async function announceShifts(
  r: TrackResult,
  o: ShiftIssueOptions
): Promise<TrackingIssueResult> {
  if (!o.enabled || newSlowdowns(r).length === 0) return { action: 'none' }
  const repo = repoFromEnv(o.env)
  if (!repo || !o.token) {
    const reason = 'no GITHUB_REPOSITORY or no token'
    o.logger.warning(`Skipped the tracking issue of the new shifts: ${reason}.`)
    return { action: 'skipped', reason }
  }
  let body = renderShiftIssue(r, o.commitUrl)
  if (body.length > MAX_BODY_CHARS - 1000) {
    body = `### ${newSlowdowns(r).length} lasting slowdowns on the default branch\n\nThe list did not fit an issue; it is in the run's summary and track.json.`
  }
  return syncTrackingIssue({
    octokit: createGitHubClient(o.token, o.env),
    ...repo,
    title: o.title,
    label: o.label,
    failed: true,
    body,
    runUrl: runUrlFromEnv(o.env) ?? '(run link unavailable)',
    logger: o.logger
  })
}
