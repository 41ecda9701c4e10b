/**
 * The annotation model every action emits: errors, warnings and notices with
 * an optional repository-relative place. GitHub keeps 10 per level per step
 * (workflow commands, documented in actions/toolkit's problem-matchers.md)
 * and silently drops the rest, so each domain plans its own ranked, capped
 * list and this file sends it.
 */

/** One annotation to show on the run and, with a file, on the diff. */
export interface Annotation {
  level: 'error' | 'warning' | 'notice'
  message: string
  title: string
  /** Repository-relative path. */
  file?: string
  startLine?: number
  startColumn?: number
}

/** The annotations to emit, and how many were left out to stay within GitHub's caps. */
export interface AnnotationPlan {
  annotations: Annotation[]
  notAnnotated: number
  /** Says how many were left out and where to find them; absent when none were. */
  notice?: string
}

/** Annotation properties, the subset of @actions/core's `AnnotationProperties` we set. */
export interface AnnotationProperties {
  title?: string
  file?: string
  startLine?: number
  startColumn?: number
}

/** Where annotations go; the action passes @actions/core, tests a recorder. */
export interface AnnotationSink {
  error(message: string, properties: AnnotationProperties): void
  warning(message: string, properties: AnnotationProperties): void
  notice(message: string, properties: AnnotationProperties): void
}

/** GitHub shows at most this many annotations of one level per step. */
export const MAX_ANNOTATIONS_PER_LEVEL = 10

/** Sends the plan to the sink: errors, warnings, then the notice about what was left out. */
export function emitAnnotations(plan: AnnotationPlan, sink: AnnotationSink): void {
  for (const annotation of plan.annotations) {
    const properties: AnnotationProperties = { title: annotation.title }
    if (annotation.file !== undefined) properties.file = annotation.file
    if (annotation.startLine !== undefined) properties.startLine = annotation.startLine
    if (annotation.startColumn !== undefined) properties.startColumn = annotation.startColumn
    sink[annotation.level](annotation.message, properties)
  }
  if (plan.notice !== undefined) sink.notice(plan.notice, { title: 'Not every failure annotated' })
}

/**
 * One plan from several (a soak's cycles, a matrix's shards): each plan's
 * titles get its label in front, annotations keep the plans' order, and the
 * whole stays within `MAX_ANNOTATIONS_PER_LEVEL` per level, with a notice
 * counting what was left out here and in the plans themselves.
 */
export function mergeAnnotationPlans(
  labelled: readonly { label: string; plan: AnnotationPlan }[],
  where = 'the job summary'
): AnnotationPlan {
  const all = labelled.flatMap(({ label, plan }) =>
    plan.annotations.map(a => ({ ...a, title: `${label}: ${a.title}` }))
  )
  const kept = (level: Annotation['level']): Annotation[] =>
    all.filter(a => a.level === level).slice(0, MAX_ANNOTATIONS_PER_LEVEL)
  const annotations = [...kept('error'), ...kept('warning')]
  const notAnnotated =
    all.filter(a => a.level !== 'notice').length -
    annotations.length +
    labelled.reduce((sum, { plan }) => sum + plan.notAnnotated, 0)
  const plan: AnnotationPlan = { annotations, notAnnotated }
  if (notAnnotated > 0) {
    plan.notice = `${notAnnotated} more ${notAnnotated === 1 ? 'problem was' : 'problems were'} not annotated: see ${where}`
  }
  return plan
}
