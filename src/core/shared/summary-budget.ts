/**
 * Fitting a Markdown document into a byte budget. GitHub drops a job summary
 * over 1 MiB whole, so a long report must lose items, and say how many, rather
 * than vanish.
 */
import { byteLength } from './text.js'

/** A heading and a list of blocks that can be cut short when the budget runs out. */
export interface SummarySection {
  /** Heading and fixed lead-in (a table's header rows); empty for none. */
  head: string
  blocks: string[]
  /** `'\n'` keeps blocks on consecutive lines (table rows); `'\n\n'` makes paragraphs. */
  joiner: '\n' | '\n\n'
  /** What the blocks are, a plural in -s, for the "N more … not shown" note. */
  noun: string
}

const SECTION_GAP = '\n\n'
// The widest count a note can carry: reserving for it keeps every note affordable.
const WIDEST_COUNT = 9_999_999

/** The sections in full, each separated by a blank line. */
export function joinSections(sections: SummarySection[]): string {
  return sections
    .map(section => [section.head, ...section.blocks].filter(Boolean).join(section.joiner))
    .filter(Boolean)
    .join(SECTION_GAP)
}

/**
 * The sections within `budget` bytes: blocks are taken in order while they
 * fit, and each section that lost some ends with a note saying how many and
 * where the full results are (`moreHint`, already Markdown). Room is kept for
 * every later section to show its heading and first block, so a long list of
 * failures cannot crowd out the sections after it.
 */
export function fitSections(sections: SummarySection[], budget: number, moreHint: string): string {
  // Nouns are plain English plurals in -s, so one item drops the -s.
  const noteFor = (count: number, noun: string): string =>
    `_${count} more ${count === 1 ? noun.replace(/s$/, '') : noun} not shown: ${moreHint}._`
  const notes = sections.map(s => byteLength(SECTION_GAP + noteFor(WIDEST_COUNT, s.noun)))
  const openings = sections.map(s => byteLength(SECTION_GAP + opening(s)))
  const sumFrom = (values: number[], start: number): number =>
    values.slice(start).reduce((sum, v) => sum + v, 0)
  const out: string[] = []
  let used = 0
  sections.forEach((section, index) => {
    const laterNotes = sumFrom(notes, index + 1)
    const laterOpenings = sumFrom(openings, index + 1)
    const ownNote = section.blocks.length > 1 ? (notes[index] ?? 0) : 0
    const fits = (text: string, reserve: number): boolean =>
      used + byteLength(text) + ownNote + reserve <= budget
    const gap = out.length === 0 ? '' : SECTION_GAP
    const first = gap + opening(section)
    // A section's own opening outranks those of later sections, never their notes.
    if (!fits(first, laterNotes + laterOpenings) && !fits(first, laterNotes)) {
      if (section.blocks.length > 0) omit(section.blocks.length, section.noun)
      return
    }
    out.push(first)
    used += byteLength(first)
    let omitted = 0
    for (const block of section.blocks.slice(1)) {
      const next = section.joiner + block
      if (fits(next, laterNotes + laterOpenings)) {
        out.push(next)
        used += byteLength(next)
      } else omitted += 1
    }
    if (omitted > 0) omit(omitted, section.noun)
  })
  function omit(count: number, noun: string): void {
    const note = `${out.length === 0 ? '' : SECTION_GAP}${noteFor(count, noun)}`
    out.push(note)
    used += byteLength(note)
  }
  return clipToBytes(out.join(''), budget)
}

// The least of a section worth showing: its heading and first block.
function opening(section: SummarySection): string {
  const [first] = section.blocks
  if (first === undefined) return section.head
  return section.head === '' ? first : `${section.head}${section.joiner}${first}`
}

/** The text cut at a line end so it is at most `budget` bytes (a last resort). */
export function clipToBytes(text: string, budget: number): string {
  if (byteLength(text) <= budget) return text
  const bytes = Buffer.from(text, 'utf8').subarray(0, budget)
  const cut = bytes.lastIndexOf(0x0a)
  return bytes.subarray(0, cut > 0 ? cut : 0).toString('utf8')
}
