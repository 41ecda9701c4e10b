/**
 * A failed GitHub API request in words a user can act on: rate limited (and for how long GitHub
 * asked to wait), GitHub unavailable (what it answered, and how many times), no answer within the
 * timeout, or refused (a 403 or 404 that is not a rate limit: the token's permissions). Read from
 * octokit's `RequestError` and the ledger request-policy.ts attaches to it.
 */
import { errorMessage } from '../shared/errors.js'
import { ledgerOf, type RequestAttempt } from './request-policy.js'

/** Why a request failed, as far as the caller's advice goes. */
export type RequestFailureKind =
  'rate-limited' | 'unavailable' | 'no-answer' | 'forbidden' | 'not-found' | 'refused' | 'other'

/** A failed request: its kind and a sentence naming the request and what GitHub did. */
export interface RequestFailure {
  kind: RequestFailureKind
  status?: number
  /** E.g. `GitHub answered 502 four times to POST /repos/o/r/issues/1/comments`. */
  message: string
}

interface RequestErrorLike {
  status?: number
  message?: string
  request?: { method?: string; url?: string }
  response?: { headers?: Record<string, string | undefined> }
}

/** Describes anything a GitHub API call threw. */
export function describeRequestFailure(error: unknown): RequestFailure {
  const e = (typeof error === 'object' && error !== null ? error : {}) as RequestErrorLike
  const ledger = ledgerOf(error)
  const what = e.request?.method ? `${e.request.method} ${pathOf(e.request.url)}` : 'the request'
  const attempts = ledger?.attempts ?? []
  const last = attempts.at(-1)
  const headers = e.response?.headers ?? {}
  const status = last?.status ?? (e.response ? e.status : undefined)
  if ((status === 403 || status === 429) && isRateLimit(e, headers)) {
    const message = `rate limited by GitHub (${status} to ${what}: ${firstSentence(e.message)})${rateLimitWait(ledger, headers)}`
    return { kind: 'rate-limited', status, message }
  }
  if (last?.timedOut) {
    const secs = Math.round((ledger?.policy.timeoutMs ?? 0) / 100) / 10
    return {
      kind: 'no-answer',
      message: `GitHub did not answer ${what} within ${secs} s${answered(attempts)}`
    }
  }
  if (status !== undefined && status >= 500) {
    return {
      kind: 'unavailable',
      status,
      message: `GitHub ${answered(attempts, status)} to ${what}`
    }
  }
  if (status === undefined) {
    const tries = attempts.length > 1 ? ` (${times(attempts.length)})` : ''
    return {
      kind: 'unavailable',
      message: `could not reach GitHub for ${what}${tries}: ${errorMessage(error)}`
    }
  }
  const kind = status === 403 ? 'forbidden' : status === 404 ? 'not-found' : 'refused'
  return { kind, status, message: `GitHub answered ${status} to ${what}: ${errorMessage(error)}` }
}

/** `true` when the failure is the token's permissions, for advice on the job's `permissions:`. */
export function isPermissionFailure(failure: RequestFailure): boolean {
  return failure.kind === 'forbidden' || failure.kind === 'not-found'
}

function isRateLimit(e: RequestErrorLike, headers: Record<string, string | undefined>): boolean {
  return (
    headers['retry-after'] !== undefined ||
    headers['x-ratelimit-remaining'] === '0' ||
    /rate limit/i.test(e.message ?? '')
  )
}

function rateLimitWait(
  ledger: ReturnType<typeof ledgerOf>,
  headers: Record<string, string | undefined>
): string {
  const parts: string[] = []
  const waited = ledger && ledger.waitedSecs > 0 ? `, after waiting ${ledger.waitedSecs} s` : ''
  if (ledger?.refusedWaitSecs !== undefined) {
    const bound = ledger.policy.maxWaitSecs
    parts.push(
      `it asked to wait ${ledger.refusedWaitSecs} s more${waited}, past the ${bound} s one request may wait`
    )
  } else if (ledger && ledger.attempts.length > 1) {
    parts.push(`${times(ledger.attempts.length)}${waited}`)
  }
  const reset = Number(headers['x-ratelimit-reset'])
  if (headers['x-ratelimit-remaining'] === '0' && reset > 0)
    parts.push(`the token's limit resets at ${new Date(reset * 1000).toISOString()}`)
  return parts.map(p => `; ${p}`).join('')
}

/** `answered 502 four times`, `answered 502, 500 and 503`, or `` for one attempt of no status. */
function answered(attempts: RequestAttempt[], status?: number): string {
  const said = attempts.map(a => (a.timedOut ? 'no answer' : String(a.status ?? 'no answer')))
  if (said.length <= 1) return status === undefined ? '' : `answered ${status}`
  if (said.every(s => s === said[0])) {
    return status === undefined
      ? `, ${times(said.length)}`
      : `answered ${said[0]} ${times(said.length)}`
  }
  const list = `${said.slice(0, -1).join(', ')} and ${said.at(-1)}`
  return status === undefined ? ` (${list} in ${said.length} attempts)` : `answered ${list}`
}

const WORDS = ['', 'once', 'twice', 'three times', 'four times', 'five times', 'six times']

function times(n: number): string {
  return WORDS[n] ?? `${n} times`
}

function pathOf(url: string | undefined): string {
  try {
    return new URL(url ?? '', 'http://github.invalid').pathname
  } catch {
    return String(url)
  }
}

function firstSentence(text: string | undefined): string {
  const first = /^[^.]*\.?/.exec(text ?? '')?.[0] ?? ''
  return first.trim() || 'no message'
}
