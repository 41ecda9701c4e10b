/**
 * A completed check run on the commit, with its report and annotations, within the Checks API's
 * limits: 50 annotations per request, a 255-character annotation title, 65,535 characters of
 * summary and of text. Publishing it is optional: a token without `checks: write` costs a warning.
 */
import type { GitHubClient } from './client.js'
import { describeRequestFailure, isPermissionFailure } from './request-failure.js'
import type { Logger } from '../shared/logger.js'
import { plural, truncate } from '../shared/text.js'

/** One annotation in the Checks API form: a file of the repository and a line range in it. */
export interface CheckAnnotation {
  /** Relative to the repository root, with `/` separators. */
  path: string
  start_line: number
  end_line: number
  start_column?: number
  end_column?: number
  annotation_level: 'notice' | 'warning' | 'failure'
  message: string
  title?: string
  raw_details?: string
}

/** How a check run can end (GitHub alone sets `stale`). */
export type CheckConclusion =
  'success' | 'failure' | 'neutral' | 'cancelled' | 'skipped' | 'timed_out' | 'action_required'

/** The check run to publish and where. */
export interface CheckRunOptions {
  octokit: GitHubClient
  owner: string
  repo: string
  headSha: string
  name: string
  conclusion: CheckConclusion
  title: string
  summary: string
  text?: string
  annotations?: readonly CheckAnnotation[]
  logger: Logger
}

/** The check run and how many annotations it carries, or why there is none. */
export type CheckRunResult =
  | { action: 'created'; id: number; url: string; annotations: number }
  | { action: 'skipped'; reason: string }

/** The Checks API takes at most this many annotations per request; later updates append. */
export const ANNOTATIONS_PER_REQUEST = 50
const MAX_TITLE_CHARS = 255
const MAX_OUTPUT_CHARS = 65_535
// 64 KB for an annotation's message and raw details; a UTF-16 unit is at most 3 bytes in UTF-8.
const MAX_ANNOTATION_TEXT_UNITS = Math.floor((64 * 1024) / 3)

/**
 * Creates the completed check run with the first 50 annotations and appends the rest 50 at a time.
 * A run made with GITHUB_TOKEN may be listed under another workflow's check suite (a GitHub
 * quirk), so its address is logged.
 */
export async function publishCheckRun(options: CheckRunOptions): Promise<CheckRunResult> {
  const { octokit, owner, repo, logger } = options
  const { usable, unplaced } = placeable(options.annotations ?? [])
  const note =
    unplaced > 0
      ? `\n\n${plural(unplaced, 'annotation')} had no file and line to point at and ` +
        `${unplaced === 1 ? 'is' : 'are'} not shown.`
      : ''
  const output = {
    title: truncate(options.title, MAX_TITLE_CHARS),
    summary: fitOutput(options.summary, note),
    ...(options.text === undefined ? {} : { text: fitOutput(options.text, '') })
  }
  const batches: CheckAnnotation[][] = []
  for (let i = 0; i < usable.length; i += ANNOTATIONS_PER_REQUEST)
    batches.push(usable.slice(i, i + ANNOTATIONS_PER_REQUEST))

  let run: { id: number; html_url: string | null }
  try {
    const { data } = await octokit.rest.checks.create({
      owner,
      repo,
      name: options.name,
      head_sha: options.headSha,
      status: 'completed',
      conclusion: options.conclusion,
      output: { ...output, annotations: batches[0] ?? [] }
    })
    run = data
  } catch (error) {
    return skipped(logger, error)
  }
  const url = run.html_url ?? ''
  let posted = batches[0]?.length ?? 0
  try {
    for (const batch of batches.slice(1)) {
      // Title, summary and text go along each time so an update cannot blank them.
      const update = { ...output, annotations: batch }
      await octokit.rest.checks.update({ owner, repo, check_run_id: run.id, output: update })
      posted += batch.length
    }
  } catch (error) {
    logger.warning(
      `The check run ${url} got ${posted} of ${usable.length} annotations: ${describeRequestFailure(error).message}`
    )
  }
  logger.info(`Check run "${options.name}": ${url}`)
  return { action: 'created', id: run.id, url, annotations: posted }
}

/**
 * Annotations GitHub can place, made to fit its rules; the rest are counted. A path that is
 * absolute or not a path at all, or a line that is not a whole number from 1 (a parser that
 * fell back to NaN or 0), would put the annotation nowhere or somewhere wrong.
 */
function placeable(annotations: readonly CheckAnnotation[]): {
  usable: CheckAnnotation[]
  unplaced: number
} {
  const usable: CheckAnnotation[] = []
  for (const annotation of annotations) {
    const path = annotation.path.replace(/\\/g, '/').replace(/^(\.\/)+/, '')
    const start = annotation.start_line
    if (!isLine(start) || path === '' || /^\/|^[A-Za-z]:\/|(^|\/)\.\.(\/|$)/.test(path)) continue
    const end =
      isLine(annotation.end_line) && annotation.end_line >= start ? annotation.end_line : start
    const { start_column, end_column, title, raw_details, ...rest } = annotation
    usable.push({
      ...rest,
      path,
      start_line: start,
      end_line: end,
      message: truncate(annotation.message, MAX_ANNOTATION_TEXT_UNITS),
      // Columns are only allowed within one line.
      ...(end === start && isLine(start_column) ? { start_column } : {}),
      ...(end === start && isLine(end_column) ? { end_column } : {}),
      ...(title === undefined ? {} : { title: truncate(title, MAX_TITLE_CHARS) }),
      ...(raw_details === undefined
        ? {}
        : { raw_details: truncate(raw_details, MAX_ANNOTATION_TEXT_UNITS) })
    })
  }
  return { usable, unplaced: annotations.length - usable.length }
}

const isLine = (n: number | undefined): n is number => Number.isInteger(n) && (n as number) >= 1

/** The text with `note` after it, cut to the Checks API limit and saying so if cut. */
function fitOutput(text: string, note: string): string {
  const whole = text + note
  if (whole.length <= MAX_OUTPUT_CHARS) return whole
  const cutNote = `\n\n… cut to fit GitHub's limit of ${MAX_OUTPUT_CHARS} characters.${note}`
  return truncate(text, MAX_OUTPUT_CHARS - cutNote.length) + cutNote
}

function skipped(logger: Logger, error: unknown): CheckRunResult {
  const failure = describeRequestFailure(error)
  const reason = `GitHub did not take the check run: ${failure.message}`
  const fix = isPermissionFailure(failure)
    ? ' The token needs `permissions: checks: write`; a pull request from a fork gets a ' +
      'read-only GITHUB_TOKEN, so publish from a `workflow_run` workflow for those.'
    : ''
  logger.warning(`Skipped the check run: ${reason}.${fix}`)
  return { action: 'skipped', reason }
}
