/**
 * Writes zip files for tests that need a zip no archiver would make: a zip bomb (1 GiB of zeros
 * deflated to about 1 MB), an entry whose header declares fewer bytes than it holds, thousands of
 * entries. The format is PKWARE's APPNOTE (local headers, central directory, end record; no
 * zip64), entries deflated, CRC-32 from node:zlib.
 */
import { crc32, createDeflateRaw } from 'node:zlib'

/** One entry: its content, or `zeros` bytes of zeros streamed through deflate. */
export interface ZipEntrySpec {
  name: string
  data?: Buffer
  zeros?: number
  /** The uncompressed size the headers declare, when it should lie. */
  declaredSize?: number
}

const CHUNK = 1 << 20

/** The zip of `entries`, in memory. */
export async function buildZip(entries: ZipEntrySpec[]): Promise<Buffer> {
  const parts: Buffer[] = []
  const central: Buffer[] = []
  let offset = 0
  for (const entry of entries) {
    const { deflated, crc, size } = await deflate(entry)
    const name = Buffer.from(entry.name, 'utf8')
    const declared = entry.declaredSize ?? size
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0)
    writeCommon(local, 4, crc, deflated.length, declared, name.length)
    parts.push(local, name, deflated)
    const header = Buffer.alloc(46)
    header.writeUInt32LE(0x02014b50, 0)
    header.writeUInt16LE(20, 4)
    writeCommon(header, 6, crc, deflated.length, declared, name.length)
    header.writeUInt32LE(offset, 42)
    central.push(header, name)
    offset += local.length + name.length + deflated.length
  }
  const directory = Buffer.concat(central)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(entries.length, 8)
  end.writeUInt16LE(entries.length, 10)
  end.writeUInt32LE(directory.length, 12)
  end.writeUInt32LE(offset, 16)
  return Buffer.concat([...parts, directory, end])
}

/** Version needed, flags, method (8: deflate), time and date, CRC, sizes, name length. */
function writeCommon(
  b: Buffer,
  at: number,
  crc: number,
  compressed: number,
  size: number,
  nameLength: number
): void {
  b.writeUInt16LE(20, at)
  b.writeUInt16LE(0, at + 2)
  b.writeUInt16LE(8, at + 4)
  b.writeUInt16LE(0, at + 6)
  b.writeUInt16LE(0x21, at + 8) // 1980-01-01
  b.writeUInt32LE(crc >>> 0, at + 10)
  b.writeUInt32LE(compressed, at + 14)
  b.writeUInt32LE(size, at + 18)
  b.writeUInt16LE(nameLength, at + 22)
}

type Deflated = { deflated: Buffer; crc: number; size: number }

// Deflating 1 GiB of zeros takes seconds: done once per size and process.
const zerosDeflated = new Map<number, Promise<Deflated>>()

function deflate(entry: ZipEntrySpec): Promise<Deflated> {
  if (entry.data || entry.zeros === undefined) return deflateNow(entry)
  let deflated = zerosDeflated.get(entry.zeros)
  if (!deflated) {
    deflated = deflateNow(entry)
    zerosDeflated.set(entry.zeros, deflated)
  }
  return deflated
}

async function deflateNow(entry: ZipEntrySpec): Promise<Deflated> {
  const stream = createDeflateRaw({ level: 9 })
  const out: Buffer[] = []
  stream.on('data', (chunk: Buffer) => out.push(chunk))
  const done = new Promise<void>((resolve, reject) => stream.on('end', resolve).on('error', reject))
  let crc = 0
  let size = 0
  const feed = async (chunk: Buffer): Promise<void> => {
    crc = crc32(chunk, crc)
    size += chunk.length
    if (!stream.write(chunk)) await new Promise(resolve => stream.once('drain', resolve))
  }
  if (entry.data) await feed(entry.data)
  const zeros = Buffer.alloc(CHUNK)
  for (let left = entry.zeros ?? 0; left > 0; left -= CHUNK) {
    await feed(left >= CHUNK ? zeros : zeros.subarray(0, left))
  }
  stream.end()
  await done
  return { deflated: Buffer.concat(out), crc, size }
}
