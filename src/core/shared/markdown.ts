/**
 * Escaping for untrusted text (test names, panic messages, compiler output from
 * PR code) on its way into GitHub-flavoured Markdown. Each function is for one
 * context; text placed in the wrong one is the injection.
 */
import { cleanText, oneLine } from './text.js'

// Backslash-escaping every ASCII punctuation character is always valid
// CommonMark and renders as the character itself, so no construct (emphasis,
// links, HTML, table pipes, list markers, emoji shortcodes) can start inside.
const ASCII_PUNCTUATION = /[!-/:-@[-`{-~]/g

/**
 * Text for Markdown inline context: paragraphs, list items, headings and table
 * cells. Made single-line, so it cannot end a table row or start a block.
 */
export function escapeMarkdownText(text: string): string {
  return oneLine(text).replace(ASCII_PUNCTUATION, '\\$&')
}

/**
 * Monospace text for Markdown inline context, table cells included. A backtick
 * code span cannot hold a table pipe reliably, so this is `<code>` around
 * escaped text, which GitHub renders the same way.
 */
export function markdownCode(text: string): string {
  return `<code>${escapeMarkdownText(text)}</code>`
}

/**
 * Text inside raw HTML such as `<summary>`, where Markdown is not parsed and
 * backslashes would show. Single-line, because a blank line would end the HTML
 * block and let the rest be read as Markdown.
 */
export function escapeHtml(text: string): string {
  return oneLine(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}

/** Monospace text inside raw HTML (`<summary>`). */
export function htmlCode(text: string): string {
  return `<code>${escapeHtml(text)}</code>`
}

/**
 * A fenced code block holding the text verbatim. The fence is one backtick
 * longer than the longest backtick run inside, so no line of the text can
 * close it early.
 */
export function codeBlock(text: string, info = 'text'): string {
  const body = cleanText(text).replace(/\n+$/, '')
  const longestRun = (body.match(/`+/g) ?? []).reduce((max, run) => Math.max(max, run.length), 0)
  const fence = '`'.repeat(Math.max(3, longestRun + 1))
  return `${fence}${info}\n${body}\n${fence}`
}

/**
 * A folded block. `summaryHtml` must already be escaped for HTML (see
 * `escapeHtml`, `htmlCode`); `bodyMarkdown` is Markdown, set off by blank lines
 * so GitHub parses it.
 */
export function details(summaryHtml: string, bodyMarkdown: string): string {
  return `<details><summary>${summaryHtml}</summary>\n\n${bodyMarkdown}\n\n</details>`
}
