/**
 * Reads raw setting values in the order every action and the CLI share:
 * the source (input or flag), then the reference environment variable, then
 * a threshold file, then the default; and validates them with messages that
 * name where the bad value came from.
 */
import { DURATION_EXAMPLES, parseDuration } from './duration.js'
import { InputError } from './errors.js'

/** Where raw setting values come from, and how to name one in an error. */
export interface SettingSource {
  get(name: string): string | undefined
  /** e.g. "input 'threads'" or "flag --threads". */
  describe(name: string): string
}

/** A raw value and where it came from. */
export interface RawSetting {
  value: string
  from: string
}

/** Values from a threshold file: key → value and line. */
export type FileValues = Map<string, { value: string; line: number }>

/** Typed readers over one source. */
export interface SettingReader {
  read: (name: string) => RawSetting | undefined
  string: (name: string, fallback: string) => string
  int: (name: string, fallback: number, min: number, max: number) => number
  number: (name: string, fallback: number, min: number, max: number) => number
  /** Seconds: plain seconds or a duration with units (`90`, `25m`, `5h30m`, `1h 30m`). */
  duration: (name: string, fallback: number, min: number, max: number) => number
  choice: <T extends string>(name: string, choices: readonly T[], fallback: T) => T
  bool: (name: string, fallback: boolean) => boolean
}

// The boolean words of the YAML 1.2 core schema, as @actions/core's getBooleanInput takes them.
const TRUE_WORDS = ['true', 'True', 'TRUE']
const FALSE_WORDS = ['false', 'False', 'FALSE']

/** A reader over source → env fallback (→ file values under the same env name). */
export function settingReader(
  source: SettingSource,
  envFallbacks: Record<string, string>,
  env: NodeJS.ProcessEnv,
  file?: { path: string; values: FileValues }
): SettingReader {
  const read = (name: string): RawSetting | undefined => {
    const v = source.get(name)?.trim()
    if (v !== undefined && v !== '') return { value: v, from: source.describe(name) }
    const envName = envFallbacks[name]
    if (!envName) return undefined
    const e = env[envName]?.trim()
    if (e !== undefined && e !== '') return { value: e, from: `environment variable ${envName}` }
    const f = file?.values.get(envName)
    if (f && f.value.trim() !== '') {
      return { value: f.value.trim(), from: `${envName} in ${file!.path}:${f.line}` }
    }
    return undefined
  }
  const bad = (r: RawSetting, expected: string): InputError =>
    new InputError(`Invalid ${r.from}: '${r.value}'. Expected ${expected}.`)
  return {
    read,
    string: (name, fallback) => read(name)?.value ?? fallback,
    int: (name, fallback, min, max) => {
      const r = read(name)
      if (!r) return fallback
      if (!/^\d+$/.test(r.value) || +r.value < min || +r.value > max) {
        throw bad(r, `a whole number from ${min} to ${max}`)
      }
      return Number(r.value)
    },
    number: (name, fallback, min, max) => {
      const r = read(name)
      if (!r) return fallback
      const n = Number(r.value)
      if (!/^-?\d+(\.\d+)?$/.test(r.value) || n < min || n > max) {
        throw bad(r, `a number from ${min} to ${max}`)
      }
      return n
    },
    duration: (name, fallback, min, max) => {
      const r = read(name)
      if (!r) return fallback
      const seconds = parseDuration(r.value)
      if (seconds === undefined || seconds < min || seconds > max) {
        throw bad(
          r,
          `seconds (${min} to ${max}) or a duration with units, e.g. ${DURATION_EXAMPLES}`
        )
      }
      return seconds
    },
    choice: (name, choices, fallback) => {
      const r = read(name)
      if (!r) return fallback
      if (!(choices as readonly string[]).includes(r.value)) {
        throw bad(r, `one of: ${choices.join(', ')}`)
      }
      return r.value as (typeof choices)[number]
    },
    bool: (name, fallback) => {
      const r = read(name)
      if (!r) return fallback
      if (TRUE_WORDS.includes(r.value)) return true
      if (FALSE_WORDS.includes(r.value)) return false
      throw bad(
        r,
        'true or false (True, TRUE, False and FALSE also work, as in GitHub boolean inputs)'
      )
    }
  }
}

/**
 * Splits an argument setting into words as a shell would (quotes join the word they
 * touch: `--features="a b"` is one word); unbalanced quotes are an error naming it.
 */
export function splitArgs(
  raw: RawSetting | undefined,
  what = 'cargo arguments',
  example = '--release --locked'
): string[] {
  if (!raw) return []
  const args: string[] = []
  let word: string | undefined
  for (const m of raw.value.matchAll(/"([^"]*)"|'([^']*)'|([^\s"']+)|(\s+)|(["'])/g)) {
    if (m[5] !== undefined) {
      throw new InputError(
        `Invalid ${raw.from}: '${raw.value}'. Expected ${what} with balanced quotes, e.g. '${example}'.`
      )
    }
    if (m[4] === undefined) word = (word ?? '') + (m[1] ?? m[2] ?? m[3]!)
    else if (word !== undefined) {
      args.push(word)
      word = undefined
    }
  }
  if (word !== undefined) args.push(word)
  return args
}
