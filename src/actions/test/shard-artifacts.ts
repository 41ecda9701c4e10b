/**
 * The artifacts a matrix of shards stores its results under, one per shard and run attempt:
 * `<base>-shard-K-of-N-attempt-A`. Artifacts are immutable and a name is unique within a run
 * (upload-artifact v4+), so a re-run job (GITHUB_RUN_ATTEMPT 2) needs a name of its own, and the
 * merge takes the newest attempt of each shard.
 */
import type { Shard } from '../../core/layers/shard.js'

/** A shard artifact's name, read back. */
export interface ShardArtifact {
  name: string
  index: number
  total: number
  /** The run attempt (GITHUB_RUN_ATTEMPT) whose job uploaded it, from 1. */
  attempt: number
}

/** The run attempt a job runs in (GITHUB_RUN_ATTEMPT, from 1); 1 outside Actions. */
export function runAttempt(env: NodeJS.ProcessEnv = process.env): number {
  const attempt = Number(env.GITHUB_RUN_ATTEMPT)
  return Number.isSafeInteger(attempt) && attempt >= 1 ? attempt : 1
}

/** `<base>-shard-K-of-N-attempt-A`: where shard K of N stores its results in run attempt A. */
export function shardArtifactName(base: string, shard: Shard, attempt: number): string {
  return `${base}-shard-${shard.index}-of-${shard.total}-attempt-${attempt}`
}

/** The pattern of `base`'s shard artifacts, for messages. */
export function shardArtifactPattern(base: string): string {
  return `${base}-shard-K-of-N-attempt-A`
}

/** `name` read as one of `base`'s shard artifacts; undefined for any other artifact. */
export function parseShardArtifact(base: string, name: string): ShardArtifact | undefined {
  if (!name.startsWith(`${base}-shard-`)) return undefined
  const match = /^(\d+)-of-(\d+)-attempt-(\d+)$/.exec(name.slice(`${base}-shard-`.length))
  if (!match) return undefined
  const [index, total, attempt] = match.slice(1).map(Number) as [number, number, number]
  return { name, index, total, attempt }
}

/** Which attempt of each shard a merge takes: the newest, and the older ones it sets aside. */
export interface ShardAttempts<T extends ShardArtifact = ShardArtifact> {
  /** The newest attempt of each shard, in shard order. */
  taken: T[]
  /** Older attempts of the same shards, never read. */
  setAside: T[]
}

/** Picks the newest attempt of each shard (by index and total) among `artifacts`. */
export function newestAttempts<T extends ShardArtifact>(artifacts: readonly T[]): ShardAttempts<T> {
  const newest = new Map<string, T>()
  for (const artifact of artifacts) {
    const key = `${artifact.index}/${artifact.total}`
    const held = newest.get(key)
    if (!held || artifact.attempt > held.attempt) newest.set(key, artifact)
  }
  const taken = [...newest.values()].sort((a, b) => a.index - b.index || a.total - b.total)
  const setAside = artifacts.filter(a => !taken.includes(a))
  return { taken, setAside }
}

/**
 * What a merge says about attempts, or undefined when every shard ran once and so did the merge:
 * which attempt each shard's results come from, what was set aside, and that a shard taken from
 * an attempt older than the merge's own was not re-run or stored nothing when it was.
 */
export function describeAttempts(picked: ShardAttempts, mergeAttempt: number): string | undefined {
  if (picked.setAside.length === 0 && mergeAttempt === 1) return undefined
  const aside = (a: ShardArtifact): number[] =>
    picked.setAside
      .filter(s => s.index === a.index && s.total === a.total)
      .map(s => s.attempt)
      .sort((x, y) => x - y)
  const each = picked.taken.map(a => {
    const older = aside(a)
    const setAside =
      older.length === 0
        ? ''
        : ` (attempt${older.length > 1 ? 's' : ''} ${older.join(', ')} set aside)`
    return `shard ${a.index}/${a.total} from attempt ${a.attempt}${setAside}`
  })
  const stale = picked.taken.filter(a => a.attempt < mergeAttempt)
  const staleNote =
    stale.length === 0
      ? ''
      : ` A shard taken from an attempt before this one (${mergeAttempt}) was not re-run, or its re-run stored no results.`
  return `Took the newest attempt of each shard: ${each.join('; ')}.${staleNote}`
}
