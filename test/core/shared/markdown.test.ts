import { describe, expect, it } from 'vitest'
import {
  codeBlock,
  details,
  escapeHtml,
  escapeMarkdownText,
  htmlCode,
  markdownCode
} from '../../../src/core/shared/markdown.js'

describe('Markdown escaping of untrusted text', () => {
  it('backslash-escapes every ASCII punctuation character, so no inline syntax can start', () => {
    expect(escapeMarkdownText('*bold* _it_ [l](u) `c` <b> a|b ~s~ :x: @me $m$')).toBe(
      '\\*bold\\* \\_it\\_ \\[l\\]\\(u\\) \\`c\\` \\<b\\> a\\|b \\~s\\~ \\:x\\: \\@me \\$m\\$'
    )
  })

  it('puts multi-line text on one line, so it cannot end a table row or start a block', () => {
    expect(escapeMarkdownText('first\n\n# second\r\n| third')).toBe('first \\# second \\| third')
  })

  it('drops terminal colour codes and shows other control characters as U+FFFD', () => {
    expect(escapeMarkdownText('\u001b[31mred\u001b[0m \u0001')).toBe('red \uFFFD')
  })

  it('writes monospace text as <code> around escaped text, which is safe in a table cell', () => {
    expect(markdownCode('a|b<c>')).toBe('<code>a\\|b\\<c\\></code>')
  })

  it('escapes text for raw HTML such as <summary> with entities, on one line', () => {
    expect(escapeHtml(`<script>"x" & 'y'\n\nz`)).toBe(
      '&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39; z'
    )
    expect(htmlCode('</summary>')).toBe('<code>&lt;/summary&gt;</code>')
  })
})

describe('code blocks', () => {
  it('use a three-backtick fence for text without backticks', () => {
    expect(codeBlock('panicked\n')).toBe('```text\npanicked\n```')
  })

  it('use a fence longer than the longest backtick run, so the text cannot close it', () => {
    const text = 'a ``` b\n`````\nc'
    const block = codeBlock(text)
    expect(block.startsWith('``````text\n')).toBe(true)
    expect(block.endsWith('\n``````')).toBe(true)
    expect(block.slice('``````text\n'.length, -'\n``````'.length)).toBe(text)
  })

  it('fold Markdown under an HTML summary with the blank lines GitHub needs to parse it', () => {
    expect(details('<code>x</code>', 'body')).toBe(
      '<details><summary><code>x</code></summary>\n\nbody\n\n</details>'
    )
  })
})
