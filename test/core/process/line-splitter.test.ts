/**
 * Splitting a child's output into lines as it arrives in chunks of any size,
 * with a cap on line length so one endless line cannot fill our memory.
 */
import { describe, expect, it } from 'vitest'
import { LineSplitter } from '../../../src/core/process/line-splitter.js'

/** Feeds `chunks` (then ends the stream) and returns the lines seen. */
function split(chunks: (string | Buffer)[], maxLineBytes?: number): string[] {
  const lines: string[] = []
  const splitter = new LineSplitter(line => lines.push(line), maxLineBytes)
  for (const c of chunks) splitter.push(typeof c === 'string' ? Buffer.from(c) : c)
  splitter.end()
  return lines
}

describe('LineSplitter', () => {
  it('gives each newline-terminated line without its newline, empty lines included', () => {
    expect(split(['one\n\nthree\n'])).toEqual(['one', '', 'three'])
  })

  it('joins a line that arrives over several chunks', () => {
    expect(split(['test a', 'lpha ... ', 'ok\ntest b', 'eta ... ok\n'])).toEqual([
      'test alpha ... ok',
      'test beta ... ok'
    ])
  })

  it('emits a complete line as soon as its newline arrives', () => {
    const lines: string[] = []
    const splitter = new LineSplitter(line => lines.push(line))
    splitter.push(Buffer.from('running 1 test\ntest hangs ... '))
    expect(lines).toEqual(['running 1 test'])
  })

  it('keeps a partial line whole when the caller reuses its read buffer for the next chunk', () => {
    const lines: string[] = []
    const splitter = new LineSplitter(line => lines.push(line))
    const buffer = Buffer.alloc(64)
    const read = (text: string): Buffer => buffer.subarray(0, buffer.write(text))
    splitter.push(read('test a_fine_test ... ok\ntest segfaults ... '))
    splitter.push(read('error: test failed, to rerun pass `--test crash`\n'))
    expect(lines).toEqual([
      'test a_fine_test ... ok',
      'test segfaults ... error: test failed, to rerun pass `--test crash`'
    ])
  })

  it('gives a final line that has no newline when the stream ends', () => {
    expect(split(['done\ntest hangs_forever ... '])).toEqual(['done', 'test hangs_forever ... '])
  })

  it('gives nothing more at the end when the stream ended with a newline', () => {
    expect(split(['a\n'])).toEqual(['a'])
    expect(split([])).toEqual([])
  })

  it('drops the carriage return of CRLF line ends, also when CR and LF arrive apart', () => {
    expect(split(['a\r\nb\r', '\nc\r\n'])).toEqual(['a', 'b', 'c'])
  })

  it('keeps a carriage return that is not part of a line end', () => {
    expect(split(['progress 1\rprogress 2\n'])).toEqual(['progress 1\rprogress 2'])
  })

  it('decodes a UTF-8 character split across two chunks', () => {
    const bytes = Buffer.from('naïve ✓\n')
    expect(split([bytes.subarray(0, 3), bytes.subarray(3, 8), bytes.subarray(8)])).toEqual([
      'naïve ✓'
    ])
  })

  it('cuts a line longer than the cap and says so', () => {
    expect(split(['0123456789abcdef\nshort\n'], 10)).toEqual([
      '0123456789 […line truncated]',
      'short'
    ])
  })

  it('applies the cap across chunks, and to a final line without newline', () => {
    expect(split(['01234', '56789', 'abc', 'def\n', 'tail-over-cap'], 10)).toEqual([
      '0123456789 […line truncated]',
      'tail-over- […line truncated]'
    ])
  })

  it('a line exactly at the cap is whole, with LF or CRLF', () => {
    expect(split(['0123456789\n', '0123456789\r\n', '0123456789\r', '\n'], 10)).toEqual([
      '0123456789',
      '0123456789',
      '0123456789'
    ])
  })

  it('does not cut a UTF-8 character in half at the cap', () => {
    expect(split(['abcdefghi✓\n'], 10)).toEqual(['abcdefghi […line truncated]'])
  })

  it('an endless line is cut at the cap and the line after it comes through whole', () => {
    const lines: string[] = []
    const splitter = new LineSplitter(line => lines.push(line), 1024)
    const chunk = Buffer.alloc(64 * 1024, 'x')
    for (let i = 0; i < 100; i++) splitter.push(chunk)
    splitter.push(Buffer.from('\nnext\n'))
    expect(lines).toEqual(['x'.repeat(1024) + ' […line truncated]', 'next'])
  })
})
