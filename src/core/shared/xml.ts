/**
 * Just enough XML writing for JUnit: escaping of text and attribute values,
 * including characters XML 1.0 cannot carry at all, and element assembly.
 */
import { cleanText } from './text.js'

/** Attribute values; `undefined` leaves the attribute out. */
export type XmlAttributes = Record<string, string | number | undefined>

// Everything outside XML 1.0's Char production: C0 controls other than tab and
// line breaks, lone surrogates, U+FFFE and U+FFFF. A parser rejects the whole
// file over one of them, even escaped as a character reference.
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu

/** Text that XML 1.0 can carry: terminal escapes removed, forbidden characters as U+FFFD. */
export function xmlSafe(text: string): string {
  return cleanText(text).replace(NOT_XML_CHAR, '\uFFFD')
}

/** Escapes text for element content (`>` too, so `]]>` cannot appear). */
export function escapeXmlText(text: string): string {
  return xmlSafe(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

/** Escapes text for a double-quoted attribute, keeping line breaks and tabs as references. */
export function escapeXmlAttribute(text: string): string {
  return escapeXmlText(text)
    .replace(/"/g, '&quot;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;')
}

/** `<name a="v">children</name>`, or `<name a="v"/>` without children. */
export function xmlElement(
  name: string,
  attributes: XmlAttributes,
  children: string[] = []
): string {
  const attrs = Object.entries(attributes)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([key, value]) => ` ${key}="${escapeXmlAttribute(String(value))}"`)
    .join('')
  if (children.length === 0) return `<${name}${attrs}/>`
  return `<${name}${attrs}>\n${children.join('\n')}\n</${name}>`
}

/** `<name a="v">text</name>` with the text escaped. */
export function xmlTextElement(name: string, attributes: XmlAttributes, text: string): string {
  const open = xmlElement(name, attributes).slice(0, -2)
  return `${open}>${escapeXmlText(text)}</${name}>`
}
