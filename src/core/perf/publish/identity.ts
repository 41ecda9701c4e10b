/**
 * Which step of a workflow a published compare belongs to: the name of its
 * check run and the key of its sticky PR comment. Two action-perf steps in one
 * job (different benches, metrics or crates) and the legs of a matrix job each
 * keep their own comment and check run; a lone step keeps the key earlier
 * releases used (`<workflow>/<job>/action-perf`), so its comment is found again.
 */
import type { PerfMetric } from '../results.js'

/** A step's check-run name and sticky-comment key. */
export interface PerfIdentity {
  checkName: string
  /** The comment's hidden marker (sticky-comment.ts), one comment per key. */
  commentKey: string
}

/** What tells one action-perf step from another in the same job. */
export interface IdentityParts {
  /** Input `name`: names the check run and keys the comment, over everything below. */
  name?: string
  /** The bench target, when not the default `perf`. */
  bench?: string
  /** The crate directory relative to the repository root, when not `.`. */
  workingDirectory?: string
  metric?: PerfMetric
  /** `toJSON(matrix)` of the job (input `matrix`): the leg's values. */
  matrix?: string
  /** Mode report: the artifact it publishes, when not the default. */
  artifactName?: string
}

/**
 * `perf gate (<job>, <matrix values>, bench <b>, in <dir>, instructions)` and the key
 * `<workflow>/<job>/action-perf[/…]`; a given `name` is the check run's name and keys the comment.
 */
export function perfIdentity(env: NodeJS.ProcessEnv, parts: IdentityParts): PerfIdentity {
  const job = env.GITHUB_JOB || 'perf'
  const base = `${env.GITHUB_WORKFLOW || 'workflow'}/${env.GITHUB_JOB || 'job'}/action-perf`
  const name = parts.name?.trim()
  if (name) return { checkName: name, commentKey: `${base}/name=${name}` }
  const extras = [
    matrixLeg(parts.matrix),
    parts.bench && parts.bench !== 'perf' ? `bench ${parts.bench}` : '',
    parts.workingDirectory && parts.workingDirectory !== '.' && parts.workingDirectory !== ''
      ? `in ${parts.workingDirectory}`
      : '',
    parts.metric === 'instructions' ? 'instructions' : '',
    parts.artifactName && parts.artifactName !== 'mace-perf-results'
      ? `artifact ${parts.artifactName}`
      : ''
  ].filter(e => e !== '')
  return {
    checkName: `perf gate (${[job, ...extras].join(', ')})`,
    commentKey: extras.length === 0 ? base : `${base}/${extras.join('/')}`
  }
}

/**
 * The leg of a matrix job from `toJSON(matrix)`: its values in key order, joined by `, `
 * (`ubuntu-latest, stable`); '' for a job without a matrix (`null`) or text that is not JSON.
 */
export function matrixLeg(json: string | undefined): string {
  if (json === undefined || json.trim() === '') return ''
  let value: unknown
  try {
    value = JSON.parse(json)
  } catch {
    return ''
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return ''
  return Object.values(value as Record<string, unknown>)
    .map(v => (typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)))
    .join(', ')
}
