/**
 * The perf threshold file (`scripts/perf_thresholds.env` in the reference): defaults for the perf
 * gate, one per line. The reference `source`s it; we read it as data and run nothing, so only the
 * forms whose meaning is plain are accepted:
 *
 * ```sh
 * # comment
 * MACE_PERF_COMPARE_FILTERS=Put,Get           # also `export KEY=VALUE`, 'single' or "double" quotes
 * : "${MACE_PERF_REGRESS_PCT:=5}"             # also `: ${KEY:=VALUE}` and `${KEY=VALUE}`
 * ```
 *
 * Everything else (expansions, command substitution, `;`, pipes, redirections) is an InputError
 * naming the file and line, rather than a value that differs from what a shell would have made.
 */
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { InputError } from '../../shared/errors.js'

/**
 * How a line sets its key. The reference sources the file with `set -a`, so an `assign` line
 * overrides the environment there, while `default` (`:=`) only fills an unset or empty variable
 * and `default-if-unset` (`=`) only an unset one.
 */
export type ThresholdKind = 'assign' | 'default' | 'default-if-unset'

/** One key's value as the file leaves it, and the line that set it. */
export interface ThresholdEntry {
  value: string
  /** 1-based line number. */
  line: number
  kind: ThresholdKind
}

/** The file's keys in the order they were first set. */
export type ThresholdFile = Map<string, ThresholdEntry>

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/
const ACCEPTED =
  'accepted lines are KEY=VALUE, export KEY=VALUE, : "${KEY:=VALUE}" and # comments; ' +
  'the file is read as data, never run by a shell'

/** Why a line was refused; becomes an InputError naming the file and line. */
class LineError extends Error {}

/**
 * Parses threshold-file text. Later lines win as they would in a shell: an assignment replaces,
 * a `:=` default only fills a key that is still unset or empty.
 */
export function parseThresholdFile(text: string, fileName: string): ThresholdFile {
  const entries: ThresholdFile = new Map()
  const lines = text.replace(/^\uFEFF/, '').split('\n')
  lines.forEach((raw, index) => {
    const source = raw.replace(/\r$/, '')
    try {
      const parsed = parseLine(source.trim())
      if (parsed) apply(entries, { ...parsed, line: index + 1 })
    } catch (error) {
      if (!(error instanceof LineError)) throw error
      const shown = source.trim().length > 200 ? `${source.trim().slice(0, 200)}…` : source.trim()
      throw new InputError(
        `${fileName}:${index + 1}: ${error.message} in \`${shown}\`; ${ACCEPTED}`
      )
    }
  })
  return entries
}

/**
 * Reads the threshold file at `path`. A missing file is an empty map, because the default path is
 * optional; pass `required` when the user named the file, to make a missing file an InputError.
 */
export async function loadThresholdFile(
  path: string,
  options: { required?: boolean } = {}
): Promise<ThresholdFile> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      if (!options.required) return new Map()
      throw new InputError(
        `threshold file ${path} not found (looked for ${resolve(path)}); point the threshold ` +
          'file setting at an existing file, or leave it unset to use scripts/perf_thresholds.env'
      )
    }
    if (code === 'EISDIR') {
      throw new InputError(`threshold file ${path} is a directory; expected a KEY=VALUE file`)
    }
    throw error
  }
  return parseThresholdFile(text, path)
}

function apply(entries: ThresholdFile, entry: ThresholdEntry & { key: string }): void {
  const { key, ...rest } = entry
  const current = entries.get(key)
  const fills =
    entry.kind === 'assign' ||
    current === undefined ||
    (entry.kind === 'default' && current.value === '')
  if (fills) entries.set(key, rest)
}

interface ParsedLine {
  key: string
  value: string
  kind: ThresholdKind
}

/** One trimmed line: nothing for blanks and comments, else the key it sets. */
function parseLine(line: string): ParsedLine | undefined {
  if (line === '' || line.startsWith('#')) return undefined
  if (/^:\s/.test(line)) return parseDefault(line.replace(/^:\s+/, ''))
  const assignment = line.replace(/^export\s+/, '')
  const key = NAME.exec(assignment)?.[0]
  if (key === undefined || assignment[key.length] !== '=') {
    throw new LineError('not an assignment')
  }
  const { value, end } = readWord(assignment, key.length + 1)
  expectEnd(assignment, end)
  return { key, value, kind: 'assign' }
}

/** `"${KEY:=VALUE}"` or `${KEY:=VALUE}` after the `:` command. */
function parseDefault(rest: string): ParsedLine {
  const quoted = rest.startsWith('"')
  let at = quoted ? 1 : 0
  if (!rest.startsWith('${', at)) throw new LineError('a `:` line must hold "${KEY:=VALUE}"')
  at += 2
  const key = NAME.exec(rest.slice(at))?.[0]
  if (key === undefined) throw new LineError('no variable name after `${`')
  at += key.length
  const operator = /^:?[-=?+]/.exec(rest.slice(at))?.[0]
  if (operator === undefined) throw new LineError(`\${${key}} without \`:=\``)
  if (operator.endsWith('-')) {
    throw new LineError(
      `\`\${${key}${operator}…}\` assigns nothing when the file is sourced; ` +
        `write \`: "\${${key}:=VALUE}"\` to set a default`
    )
  }
  if (!operator.endsWith('=')) throw new LineError(`the \`${operator}\` expansion is not supported`)
  at += operator.length
  const close = rest.indexOf('}', at)
  if (close < 0) throw new LineError('no closing `}`')
  const value = rest.slice(at, close)
  const bad = /[$`\\"'{]/.exec(value)?.[0]
  if (bad !== undefined) throw new LineError(`\`${bad}\` inside a \${…} default is not supported`)
  at = close + 1
  if (quoted) {
    if (rest[at] !== '"') throw new LineError('no closing `"` after `}`')
    at += 1
  }
  expectEnd(rest, at)
  return { key, value, kind: operator === ':=' ? 'default' : 'default-if-unset' }
}

/** Only blanks and a `#` comment may follow a value. */
function expectEnd(line: string, at: number): void {
  const tail = line.slice(at)
  if (tail === '' || /^\s+(#.*)?$/.test(tail)) return
  if (/^\s/.test(tail)) {
    throw new LineError(
      'more than one word after `=` (a shell would run the rest): quote the value'
    )
  }
  throw new LineError(`unexpected \`${tail.slice(0, 1)}\``)
}

/**
 * A shell word without expansions: unquoted text, 'single quotes' (all literal) and "double
 * quotes" (with \" \\ \$ \` escapes), joined until an unquoted blank.
 */
function readWord(line: string, start: number): { value: string; end: number } {
  let value = ''
  let at = start
  while (at < line.length && !/\s/.test(line.charAt(at))) {
    const char = line.charAt(at)
    if (char === "'") {
      const close = line.indexOf("'", at + 1)
      if (close < 0) throw new LineError("unterminated ' quote (values span one line)")
      value += line.slice(at + 1, close)
      at = close + 1
    } else if (char === '"') {
      const read = readDoubleQuoted(line, at + 1)
      value += read.value
      at = read.end
    } else {
      refuseUnquoted(char, line.charAt(at + 1))
      value += char
      at += 1
    }
  }
  return { value, end: at }
}

function readDoubleQuoted(line: string, start: number): { value: string; end: number } {
  let value = ''
  for (let at = start; at < line.length; at += 1) {
    const char = line.charAt(at)
    if (char === '"') return { value, end: at + 1 }
    if (char === '\\' && at + 1 < line.length) {
      const next = line.charAt(at + 1)
      // Inside double quotes a shell drops the backslash only before these four characters.
      value += '"\\$`'.includes(next) ? next : `\\${next}`
      at += 1
    } else if (char === '$' || char === '`') {
      refuseExpansion(char, line.charAt(at + 1))
    } else {
      value += char
    }
  }
  throw new LineError('unterminated " quote (values span one line)')
}

function refuseUnquoted(char: string, next: string): void {
  if (char === '$' || char === '`') refuseExpansion(char, next)
  if (char === '\\') throw new LineError('backslash escapes outside quotes are not supported')
  if (char === '~') throw new LineError('`~` would expand to a home directory: quote it')
  if (';|&<>()'.includes(char)) {
    throw new LineError(`\`${char}\` (more than one command, a pipe or a redirection)`)
  }
}

function refuseExpansion(char: string, next: string): never {
  if (char === '`' || next === '(') throw new LineError('command substitution is not supported')
  throw new LineError(
    '`$` expansion is not supported: write the value itself, or use single quotes for a literal `$`'
  )
}
