/**
 * A strict little XML 1.0 reader for the JUnit tests: it throws on anything
 * not well-formed (unbalanced tags, bad entities, raw `<` or `]]>` in text,
 * characters XML forbids, duplicate attributes) and returns the element tree.
 * No XML parser is a declared dependency, and this is all the tests need.
 */

/** An element with its decoded attributes, child elements and text. */
export interface XmlNode {
  name: string
  attributes: Record<string, string>
  children: XmlNode[]
  text: string
}

const NAME = '[A-Za-z_][\\w.:-]*'
const TOKEN = new RegExp(
  `<(/?)(${NAME})((?:\\s+${NAME}\\s*=\\s*"[^"]*")*)\\s*(/?)>|([^<]+)|(<)`,
  'gy'
)
const ATTRIBUTE = new RegExp(`(${NAME})\\s*=\\s*"([^"]*)"`, 'g')
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u
const BAD_AMPERSAND = /&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/

/** Parses the document, throwing with the reason when it is not well-formed. */
export function readXml(xml: string): XmlNode {
  if (NOT_XML_CHAR.test(xml)) throw new Error('character not allowed in XML 1.0')
  const body = xml.replace(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n/, '')
  const stack: XmlNode[] = []
  let root: XmlNode | undefined
  // Every position starts either a tag, a stray '<' or text, so the sticky scan consumes it all.
  TOKEN.lastIndex = 0
  for (let match = TOKEN.exec(body); match !== null; match = TOKEN.exec(body)) {
    const [, closing, name, attributes, selfClosing, text, stray] = match
    if (stray !== undefined) throw new Error(`stray '<' at ${match.index}`)
    const top = stack[stack.length - 1]
    if (text !== undefined) {
      if (text.includes(']]>')) throw new Error("']]>' in text")
      if (top === undefined) {
        if (text.trim() !== '') throw new Error('text outside the root element')
        continue
      }
      top.text += decode(text)
      continue
    }
    if (closing === '/') {
      if (top?.name !== name) throw new Error(`</${name}> closes <${top?.name ?? 'nothing'}>`)
      stack.pop()
      continue
    }
    const node: XmlNode = {
      name: name ?? '',
      attributes: parseAttributes(attributes ?? ''),
      children: [],
      text: ''
    }
    if (top === undefined) {
      if (root !== undefined) throw new Error('second root element')
      root = node
    } else top.children.push(node)
    if (selfClosing !== '/') stack.push(node)
  }
  if (stack.length > 0) throw new Error(`<${stack[stack.length - 1]?.name}> is not closed`)
  if (root === undefined) throw new Error('no root element')
  return root
}

/** Every element named `name` below `node`, in document order. */
export function findAll(node: XmlNode, name: string): XmlNode[] {
  return node.children.flatMap(child => [
    ...(child.name === name ? [child] : []),
    ...findAll(child, name)
  ])
}

function parseAttributes(source: string): Record<string, string> {
  const attributes: Record<string, string> = {}
  for (const [, key = '', value = ''] of source.matchAll(ATTRIBUTE)) {
    if (key in attributes) throw new Error(`duplicate attribute ${key}`)
    if (value.includes('<')) throw new Error(`'<' in attribute ${key}`)
    attributes[key] = decode(value)
  }
  return attributes
}

function decode(text: string): string {
  if (BAD_AMPERSAND.test(text))
    throw new Error(`bad entity in ${JSON.stringify(text.slice(0, 40))}`)
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_, entity: string) => {
    if (entity.startsWith('#x')) return String.fromCodePoint(parseInt(entity.slice(2), 16))
    if (entity.startsWith('#')) return String.fromCodePoint(parseInt(entity.slice(1), 10))
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[entity] ?? ''
  })
}
