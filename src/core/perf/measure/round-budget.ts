/**
 * The measurement budget of one Criterion run, shared by the rounds of the
 * noise-aware gate. The reference measures each side once with the budget the
 * bench arguments give; the noise-aware gate measures each side in k rounds
 * (k processes, so a process's luck is averaged out), and each round gets a
 * k-th of that budget, so the whole compare costs about what the reference's
 * does instead of k times as much.
 */

/** Criterion's time budget per case (its defaults when the arguments give none). */
export interface CriterionBudget {
  warmUpSeconds: number
  measurementSeconds: number
  sampleSize: number
  /** Bootstrap resamples of Criterion's own analysis, a CPU cost per case. */
  resamples: number
}

/** Criterion 0.8's defaults, assumed when the bench arguments do not set a value. */
export const CRITERION_DEFAULTS: CriterionBudget = {
  warmUpSeconds: 3,
  measurementSeconds: 5,
  sampleSize: 100,
  resamples: 100_000
}

/** Criterion refuses fewer samples than this. */
export const MIN_SAMPLE_SIZE = 10

const FLAGS: Record<keyof CriterionBudget, string> = {
  warmUpSeconds: '--warm-up-time',
  measurementSeconds: '--measurement-time',
  sampleSize: '--sample-size',
  resamples: '--nresamples'
}

/** The budget the bench arguments give one Criterion run (last value of a flag wins). */
export function criterionBudget(args: readonly string[]): CriterionBudget {
  const budget = { ...CRITERION_DEFAULTS }
  for (const key of Object.keys(FLAGS) as (keyof CriterionBudget)[]) {
    const value = flagValue(args, FLAGS[key])
    if (value !== undefined) budget[key] = value
  }
  return budget
}

/**
 * Bench arguments for one of `rounds` rounds that share the budget of one run:
 * warm-up, measurement time and resamples divided by `rounds`, sample size too
 * (at least Criterion's minimum of 10; Criterion stretches the time of a case
 * whose samples do not fit). Other arguments are kept as given.
 */
export function roundBenchArgs(args: readonly string[], rounds: number): string[] {
  if (!(Number.isInteger(rounds) && rounds >= 1)) throw new Error(`rounds ${rounds} is not >= 1`)
  if (rounds === 1) return [...args]
  const full = criterionBudget(args)
  const share: CriterionBudget = {
    warmUpSeconds: seconds(full.warmUpSeconds / rounds),
    measurementSeconds: seconds(full.measurementSeconds / rounds),
    sampleSize: Math.max(MIN_SAMPLE_SIZE, Math.round(full.sampleSize / rounds)),
    resamples: Math.max(1000, Math.round(full.resamples / rounds))
  }
  const kept = withoutFlags(args, Object.values(FLAGS))
  return [
    ...kept,
    ...(Object.keys(FLAGS) as (keyof CriterionBudget)[]).flatMap(key => [
      FLAGS[key],
      String(share[key])
    ])
  ]
}

/** Rounded to the millisecond, and never zero (Criterion rejects a zero time). */
function seconds(value: number): number {
  return Math.max(0.001, Math.round(value * 1000) / 1000)
}

/** The number after `--flag value` or `--flag=value`, the last one given. */
function flagValue(args: readonly string[], flag: string): number | undefined {
  let found: number | undefined
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    let text: string | undefined
    if (arg === flag) text = args[i + 1]
    else if (arg.startsWith(`${flag}=`)) text = arg.slice(flag.length + 1)
    if (text === undefined) continue
    const n = Number(text)
    if (text.trim() !== '' && Number.isFinite(n) && n > 0) found = n
  }
  return found
}

function withoutFlags(args: readonly string[], flags: readonly string[]): string[] {
  const kept: string[] = []
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    if (flags.includes(arg)) {
      i++
      continue
    }
    if (flags.some(f => arg.startsWith(`${f}=`))) continue
    kept.push(arg)
  }
  return kept
}
