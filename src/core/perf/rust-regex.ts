/**
 * The syntax of Rust's `regex` crate, which Criterion compiles its filter
 * with (`Regex::new(filter)`, a panic on an error), checked before anything
 * is built so that a bad compare filter is named up front. The check refuses
 * only what that crate certainly refuses (its documented syntax,
 * docs.rs/regex "Syntax"): an unclosed or unopened group, an unclosed
 * bracket class, a repetition with nothing to repeat, a bad counted
 * repetition, look-around, backreferences and unknown escapes. Anything
 * subtler is left to Criterion, whose own error the listing of the cases
 * reports before any measuring.
 */

/** Why the crate would refuse `pattern`, and at which character (0-based), or undefined. */
export interface RegexSyntaxError {
  reason: string
  index: number
}

/** Characters with a meaning in the crate's syntax; each may be escaped with `\`. */
const META = new Set([...'\\.+*?()|[]{}^$#&-~'])

/** Letters the crate gives a meaning after `\` (any other letter or digit is an error). */
const ESCAPE_LETTERS = new Set([...'xuUpPdswDSWaftnrvAzbB<>'])

/** `pattern` with every character the crate gives a meaning escaped: it matches itself. */
export function escapeRustRegex(pattern: string): string {
  return [...pattern].map(c => (META.has(c) ? `\\${c}` : c)).join('')
}

/** True when `pattern` holds a character the crate gives a meaning (as a regex it is not plain text). */
export function hasRegexSyntax(pattern: string): boolean {
  return [...pattern].some(c => META.has(c))
}

/**
 * The first error Rust's regex crate would certainly report for `pattern`, or undefined when
 * it finds none (the crate may still refuse a subtler one, e.g. a reversed class range).
 */
export function rustRegexError(pattern: string): RegexSyntaxError | undefined {
  const chars = [...pattern]
  const open: number[] = []
  // Whether the last item can be repeated: not at the start, after `(` or `|`, nor a flag group.
  let atom = false
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!
    const fail = (reason: string, at = i): RegexSyntaxError => ({ reason, index: at })
    if (c === '\\') {
      const next = chars[i + 1]
      if (next === undefined) return fail('a trailing \\ escapes nothing')
      if (/[0-9]/.test(next)) return fail(`backreferences (\\${next}) are not supported`)
      if (/[A-Za-z<>]/.test(next) && !ESCAPE_LETTERS.has(next))
        return fail(`\\${next} is not an escape the crate knows`)
      if (next.codePointAt(0)! > 0x7f) return fail(`\\${next} is not an escape the crate knows`)
      i++
      atom = true
    } else if (c === '(') {
      const group = groupAt(chars, i)
      if ('reason' in group) return group
      if (group.kind === 'verbose') return undefined // whitespace and # change meaning: left to Criterion
      i = group.end
      if (group.kind === 'flags') {
        atom = false
        continue
      }
      open.push(i)
      atom = false
    } else if (c === ')') {
      if (open.length === 0) return fail('a ) closes no group')
      open.pop()
      atom = true
    } else if (c === '|') {
      atom = false
    } else if (c === '*' || c === '+' || c === '?') {
      if (!atom) return fail(`the repetition ${c} has nothing to repeat`)
      if (chars[i + 1] === '?') i++
    } else if (c === '{') {
      if (!atom) return fail('the repetition { has nothing to repeat')
      const counted = countedAt(chars, i)
      if ('reason' in counted) return counted
      i = counted.end
    } else if (c === '[') {
      const end = classEnd(chars, i)
      if (end === undefined) return fail('the bracket class [ is never closed')
      i = end
      atom = true
    } else {
      atom = true
    }
  }
  if (open.length > 0) return { reason: 'the group ( is never closed', index: open[0]! }
  return undefined
}

type Group = { kind: 'group' | 'flags' | 'verbose'; end: number } | RegexSyntaxError

/** The group opening at `i`: its kind and the index of its last opening character. */
function groupAt(chars: readonly string[], i: number): Group {
  if (chars[i + 1] !== '?') return { kind: 'group', end: i }
  const rest = chars.slice(i + 2, i + 5).join('')
  if (/^(=|!|<=|<!)/.test(rest)) {
    return { reason: 'look-around ((?=, (?!, (?<=, (?<!) is not supported', index: i }
  }
  if (rest.startsWith('P<') || rest.startsWith('<')) {
    const close = chars.indexOf('>', i)
    if (close < 0) return { reason: 'the group name is never closed with >', index: i }
    return { kind: 'group', end: close }
  }
  let j = i + 2
  let flags = ''
  while (j < chars.length && /[imsRUux-]/.test(chars[j]!)) flags += chars[j++]
  if (flags.includes('x')) return { kind: 'verbose', end: j }
  if (chars[j] === ')' && flags !== '') return { kind: 'flags', end: j }
  if (chars[j] === ':') return { kind: 'group', end: j }
  if (j >= chars.length) return { reason: 'the group ( is never closed', index: i }
  return { reason: `(?${flags}${chars[j]} is no group the crate knows`, index: i }
}

/** The counted repetition `{m}`, `{m,}` or `{m,n}` opening at `i`, and its last index. */
function countedAt(chars: readonly string[], i: number): { end: number } | RegexSyntaxError {
  const close = chars.indexOf('}', i)
  const body = close < 0 ? chars.slice(i + 1).join('') : chars.slice(i + 1, close).join('')
  const m = /^\s*(\d*)\s*(?:(,)\s*(\d*)\s*)?$/.exec(body)
  if (close < 0 || !m || (m[1] === '' && (m[2] === undefined || m[3] === ''))) {
    return {
      reason:
        'a { must start a counted repetition {m}, {m,} or {m,n} (write \\{ for the character)',
      index: i
    }
  }
  if (m[1] !== '' && m[3] !== undefined && m[3] !== '' && Number(m[1]) > Number(m[3])) {
    return { reason: `the repetition {${body}} counts down`, index: i }
  }
  if (chars[close + 1] === '?') return { end: close + 1 }
  return { end: close }
}

/** The index of the `]` closing the bracket class that opens at `i` (classes nest), or undefined. */
function classEnd(chars: readonly string[], i: number): number | undefined {
  let depth = 0
  let j = i
  while (j < chars.length) {
    const c = chars[j]!
    if (c === '[') {
      const ascii = /^\[:\^?[a-z]+:\]/.exec(chars.slice(j, j + 14).join(''))
      if (ascii && depth > 0) {
        j += ascii[0].length
        continue
      }
      depth++
      j++
      // A ] first in a class (after an optional ^) is the character itself.
      if (chars[j] === '^') j++
      if (chars[j] === ']') j++
      continue
    }
    if (c === '\\') {
      j += 2
      continue
    }
    if (c === ']') {
      depth--
      if (depth === 0) return j
    }
    j++
  }
  return undefined
}
