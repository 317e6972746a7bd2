/**
 * Builders of hostile zip archives for the upload tests and `npm run bench:uploads`: bombs of zeros, archives of
 * very many entries, archives whose headers lie about their sizes.
 */
import { Readable } from "node:stream";
import zlib from "node:zlib";
import yazl from "yazl";

const MB = 1024 * 1024;

/** A stream of `bytes` zeros, so no one holds a bomb's inflated contents to build it. */
export function zeros(bytes: number): Readable {
  const chunk = Buffer.alloc(MB);
  let left = bytes;
  return new Readable({
    read() {
      if (left <= 0) return void this.push(null);
      const n = Math.min(left, chunk.length);
      left -= n;
      this.push(n === chunk.length ? chunk : chunk.subarray(0, n));
    },
  });
}

/** An entry of a deflated zip: text/bytes as given, or that many zeros. */
export type ZipPart = { name: string; data?: string | Buffer; zeros?: number };

/** A deflated zip (yazl) of the parts, in order. */
export function deflatedZip(parts: Iterable<ZipPart>): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const z = new yazl.ZipFile();
    for (const p of parts) {
      if (p.data !== undefined) z.addBuffer(Buffer.isBuffer(p.data) ? p.data : Buffer.from(p.data), p.name);
      else z.addReadStream(zeros(p.zeros ?? 0), p.name, { size: p.zeros ?? 0 });
    }
    z.end();
    const chunks: Buffer[] = [];
    z.outputStream.on("data", (c: Buffer) => chunks.push(c));
    z.outputStream.on("end", () => resolve(Buffer.concat(chunks)));
    z.outputStream.on("error", reject);
  });
}

/**
 * A zip of stored (uncompressed) entries, written by hand: yazl recurses once per tiny entry and overflows the stack
 * at 100,000 of them. Past 65,534 entries the count goes in a zip64 end record, as zip tools write it.
 */
export function storedZip(entries: [string, Buffer][]): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, data] of entries) {
    const n = Buffer.from(name);
    const crc = zlib.crc32(data);
    // The same run of fields (CRC-32, compressed and uncompressed size, name length) in both headers: stored, so the sizes are equal.
    const entryFields = (header: Buffer, at: number): void => {
      header.writeUInt32LE(crc, at);
      header.writeUInt32LE(data.length, at + 4);
      header.writeUInt32LE(data.length, at + 8);
      header.writeUInt16LE(n.length, at + 12);
    };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    entryFields(local, 14);
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE(20, 4);
    cd.writeUInt16LE(20, 6);
    entryFields(cd, 16);
    cd.writeUInt32LE(offset, 42);
    locals.push(local, n, data);
    central.push(cd, n);
    offset += 30 + n.length + data.length;
  }
  const cdSize = central.reduce((a, b) => a + b.length, 0);
  const zip64 = Buffer.alloc(56 + 20);
  zip64.writeUInt32LE(0x06064b50, 0);
  zip64.writeBigUInt64LE(44n, 4);
  zip64.writeUInt16LE(45, 12);
  zip64.writeUInt16LE(45, 14);
  zip64.writeBigUInt64LE(BigInt(entries.length), 24);
  zip64.writeBigUInt64LE(BigInt(entries.length), 32);
  zip64.writeBigUInt64LE(BigInt(cdSize), 40);
  zip64.writeBigUInt64LE(BigInt(offset), 48);
  zip64.writeUInt32LE(0x07064b50, 56);
  zip64.writeBigUInt64LE(BigInt(offset + cdSize), 64);
  zip64.writeUInt32LE(1, 72);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Math.min(entries.length, 0xffff), 8);
  end.writeUInt16LE(Math.min(entries.length, 0xffff), 10);
  end.writeUInt32LE(cdSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...central, ...(entries.length > 0xfffe ? [zip64] : []), end]);
}

/** `count` empty folders `d0/` … (plus the given files first): the zip that once slipped past the entry cap. */
export function folderZip(count: number, files: [string, Buffer][] = []): Buffer {
  return storedZip([...files, ...Array.from({ length: count }, (_, i): [string, Buffer] => [`d${i}/`, Buffer.alloc(0)])]);
}

/**
 * A deflated zip whose first entry claims (in its local header and central directory entry) to inflate to `claimed`
 * bytes while it really inflates to `actual` zeros: an archive that lies to get past declared-size checks. `after`
 * are honest entries behind it.
 */
export async function lyingZip(name: string, actual: number, claimed: number, after: ZipPart[] = []): Promise<Buffer> {
  const bytes = await deflatedZip([{ name, zeros: actual }, ...after]);
  const patchFirst = (sig: number, sizeAt: number): void => {
    const magic = Buffer.alloc(4);
    magic.writeUInt32LE(sig);
    const at = bytes.indexOf(magic);
    if (at >= 0) bytes.writeUInt32LE(claimed, at + sizeAt);
  };
  patchFirst(0x04034b50, 22); // local header: uncompressed size
  patchFirst(0x02014b50, 24); // central directory: uncompressed size
  patchFirst(0x08074b50, 12); // data descriptor (yazl writes one after a streamed entry)
  return bytes;
}
