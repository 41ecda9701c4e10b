/**
 * Reads a YAML document node by node, keeping every node's line, so that a
 * mistake in a hand-written file can be reported as `file:line: key.path: what
 * was wrong; expected what`. All problems are collected before throwing, so a
 * user fixes a file in one round instead of one error per CI run.
 */
import { isAlias, isMap, isNode, isScalar, isSeq, LineCounter, parseDocument } from 'yaml'
import type { Node } from 'yaml'
import { InputError } from './errors.js'

/** A value found at a key path, with the line to blame when it is wrong. */
export interface Field {
  /** Key path in the user's words, e.g. `groups[0].cases[1].mode`; `''` for the root. */
  path: string
  /** `null` when the key has no value at all (`key:` or a flow `{ key }`). */
  node: Node | null
  /** 1-based line of the value, or of its key when there is no value. */
  line: number
}

/** Longest quoted value shown in a message; libtest names can be long, messages should not be. */
const QUOTE_LIMIT = 60

/**
 * Parses `text` as one YAML document. Throws an InputError naming `fileName`,
 * the line and the parser's message on a syntax error.
 */
export function readYaml(text: string, fileName: string): { reader: YamlReader; root: Field } {
  const lines = new LineCounter()
  // uniqueKeys off: the reader reports duplicate keys itself, with the key path and both lines.
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false })
  const [first] = doc.errors
  if (first !== undefined) {
    // Only the first: a syntax error usually cascades into several that are noise.
    const { line, col } = lines.linePos(first.pos[0])
    // The parser's own advice here (parseAllDocuments) is for programmers, not for the user.
    const message =
      first.code === 'MULTIPLE_DOCS'
        ? 'a second document starts here; expected one document, so remove this `---`'
        : first.message
    throw new InputError(`${fileName}:${line}: YAML syntax error at column ${col}: ${message}`)
  }
  const reader = new YamlReader(fileName, lines)
  const root = isNode(doc.contents) ? doc.contents : null
  return { reader, root: { path: '', node: root, line: reader.lineOf(root, 1) } }
}

/** Typed access to the fields of a parsed document, collecting problems as it goes. */
export class YamlReader {
  private readonly problems: Array<{ line: number; text: string }> = []

  constructor(
    private readonly fileName: string,
    private readonly lines: LineCounter
  ) {}

  /** 1-based line where `node` starts, or `fallback` for a missing node. */
  lineOf(node: unknown, fallback: number): number {
    if (!isNode(node) || node.range == null) return fallback
    return this.lines.linePos(node.range[0]).line
  }

  /** Records a problem at `field`; `message` says what was wrong and what is accepted. */
  report(field: Field, message: string): void {
    const where = field.path === '' ? '' : `${field.path}: `
    this.problems.push({
      line: field.line,
      text: `${this.fileName}:${field.line}: ${where}${message}`
    })
  }

  /** Throws one InputError listing every problem recorded, one per line, in file order. */
  throwIfProblems(): void {
    if (this.problems.length === 0) return
    // Problems are found section by section; the user reads the file top to bottom.
    const sorted = [...this.problems].sort((a, b) => a.line - b.line)
    throw new InputError(sorted.map(problem => problem.text).join('\n'))
  }

  /**
   * The entries of a mapping by key. `known` lists the accepted keys (others
   * are reported with that list); `undefined` accepts any key. A blank value
   * reads as an empty mapping; anything else is reported and reads as `undefined`,
   * so that callers do not pile "missing key" reports on top.
   */
  map(
    field: Field,
    known: readonly string[] | undefined,
    expected: string
  ): Map<string, Field> | undefined {
    const entries = new Map<string, Field>()
    if (isBlank(field)) return entries
    if (!isMap(field.node)) {
      this.mismatch(field, expected)
      return undefined
    }
    for (const pair of field.node.items) {
      const name = keyText(pair.key)
      const keyLine = this.lineOf(pair.key, field.line)
      const keyField = absent({ ...field, line: keyLine }, name)
      const path = keyField.path
      const previous = entries.get(name)
      if (known !== undefined && !known.includes(name)) {
        this.report(keyField, `unknown key; expected one of ${known.join(', ')}`)
      } else if (previous !== undefined) {
        this.report(keyField, `duplicate key, first given at line ${previous.line}; give it once`)
      } else {
        const node = isNode(pair.value) ? pair.value : null
        entries.set(name, { path, node, line: this.lineOf(node, keyLine) })
      }
    }
    return entries
  }

  /** The items of a sequence; a blank value reads as an empty list. */
  list(field: Field, expected: string): Field[] {
    if (isBlank(field)) return []
    if (!isSeq(field.node)) {
      this.mismatch(field, expected)
      return []
    }
    return field.node.items.map((item, index) => {
      const node = isNode(item) ? item : null
      return { path: `${field.path}[${index}]`, node, line: this.lineOf(node, field.line) }
    })
  }

  /** A non-empty string, or `undefined` after reporting what was found instead. */
  string(field: Field, expected: string): string | undefined {
    const node = field.node
    if (isScalar(node) && typeof node.value === 'string' && node.value !== '') return node.value
    this.mismatch(field, expected)
    return undefined
  }

  /** `true` or `false`, or `undefined` after reporting. */
  boolean(field: Field, expected: string): boolean | undefined {
    const node = field.node
    if (isScalar(node) && typeof node.value === 'boolean') return node.value
    this.mismatch(field, expected)
    return undefined
  }

  /**
   * A string, number or boolean as text. Numbers and booleans keep the text
   * the user wrote (`0512` stays `0512`, `1.50` stays `1.50`), since the
   * consumer is a program reading a string, not YAML.
   */
  scalarText(field: Field, expected: string): string | undefined {
    const node = field.node
    if (isScalar(node)) {
      if (typeof node.value === 'string') return node.value
      if (typeof node.value === 'number' || typeof node.value === 'boolean') {
        return node.source ?? String(node.value)
      }
    }
    this.mismatch(field, expected)
    return undefined
  }

  /** A required key's field; reports the key as missing, at its parent's line, when absent. */
  need(
    parent: Field,
    entries: Map<string, Field>,
    name: string,
    expected: string
  ): Field | undefined {
    const found = entries.get(name)
    if (found === undefined) this.report(absent(parent, name), `missing; expected ${expected}`)
    return found
  }

  /** Reports that `field` holds the wrong kind of value. */
  mismatch(field: Field, expected: string): void {
    this.report(field, `got ${describe(field.node)}; expected ${expected}`)
  }
}

/** A field for a key that is not there, blamed on its parent's line. */
export function absent(parent: Field, name: string): Field {
  return {
    path: parent.path === '' ? name : `${parent.path}.${name}`,
    node: null,
    line: parent.line
  }
}

/** Whether a field has no value: absent, `key:`, `key: ~` or `key: null`. */
export function isBlank(field: Field): boolean {
  return field.node === null || (isScalar(field.node) && field.node.value === null)
}

/** A value as a user would name it in an error message. */
export function describe(node: Node | null): string {
  if (node === null) return 'no value'
  if (isAlias(node)) return `an alias (*${node.source}), which is not supported here`
  if (isMap(node)) return 'a mapping'
  if (isSeq(node)) return 'a list'
  const value: unknown = node.value
  if (value === null) return 'no value'
  if (typeof value === 'string') return value === '' ? 'an empty string' : quote(value)
  // Parsed scalars always carry their source text; a number is best shown as written.
  return `${typeof value} ${node.source ?? ''}`.trim()
}

/** `text` in double quotes, shortened when long. */
export function quote(text: string): string {
  const shown = text.length > QUOTE_LIMIT ? `${text.slice(0, QUOTE_LIMIT)}…` : text
  return JSON.stringify(shown)
}

/** A mapping key as the user wrote it; complex keys cannot match a known name anyway. */
function keyText(key: unknown): string {
  if (isScalar(key)) return key.source ?? ''
  if (isAlias(key)) return `*${key.source}`
  if (isMap(key) || isSeq(key)) return '(complex key)'
  return '(empty key)'
}
