/**
 * Just enough ZIP reading for data.binance.vision downloads, with Node built-ins only: the
 * central directory gives each entry's place and size; an entry streams straight from the
 * file through zlib's raw inflate (method 8) or as is (method 0). Nothing is held in memory
 * beyond a stream buffer. ZIP64 sizes and offsets are understood; encryption, multi-disk
 * archives and other compression methods are reported as errors (the caller turns them into
 * `rejected` items). CRCs are not checked: inflate already fails on corrupt deflate data.
 */
import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { pipeline, Readable } from 'node:stream';
import { createInflateRaw } from 'node:zlib';

export interface ZipEntry {
  readonly name: string;
  readonly method: number;
  readonly flags: number;
  readonly compressedSize: number;
  readonly localHeaderOffset: number;
}

const EOCD_SIGNATURE = 0x06054b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const MAX_COMMENT = 0xffff;
const U32_MAX = 0xffffffff;

export class ZipFormatError extends Error {}

const readAt = async (fh: FileHandle, position: number, length: number): Promise<Buffer> => {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await fh.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
};

const u64 = (b: Buffer, offset: number): number => Number(b.readBigUInt64LE(offset));

/** Where the central directory is and how long it is. */
const findCentralDirectory = async (fh: FileHandle, size: number): Promise<{ offset: number; length: number }> => {
  const tailLength = Math.min(size, 22 + MAX_COMMENT);
  const tailStart = size - tailLength;
  const tail = await readAt(fh, tailStart, tailLength);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD_SIGNATURE) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ZipFormatError('not a zip archive (no end-of-central-directory record)');
  if (tail.readUInt16LE(eocd + 4) !== 0 || tail.readUInt16LE(eocd + 6) !== 0) throw new ZipFormatError('multi-disk zip archives are not supported');
  let length = tail.readUInt32LE(eocd + 12);
  let offset = tail.readUInt32LE(eocd + 16);
  if (offset === U32_MAX || length === U32_MAX) {
    // ZIP64: a locator just before the record points at the 64-bit end-of-central-directory.
    const locatorAt = tailStart + eocd - 20;
    const locator = locatorAt >= 0 ? await readAt(fh, locatorAt, 20) : Buffer.alloc(0);
    if (locator.length < 20 || locator.readUInt32LE(0) !== ZIP64_LOCATOR_SIGNATURE) throw new ZipFormatError('zip64 locator missing');
    const record = await readAt(fh, u64(locator, 8), 56);
    if (record.length < 56 || record.readUInt32LE(0) !== ZIP64_EOCD_SIGNATURE) throw new ZipFormatError('zip64 end-of-central-directory record missing');
    length = u64(record, 40);
    offset = u64(record, 48);
  }
  if (offset + length > size) throw new ZipFormatError('central directory lies beyond the end of the file (truncated download?)');
  return { offset, length };
};

/** The entries of a zip file, in directory order (directories left out). */
export const readZipEntries = async (file: string): Promise<ZipEntry[]> => {
  const fh = await open(file, 'r');
  try {
    const { size } = await fh.stat();
    const { offset, length } = await findCentralDirectory(fh, size);
    const dir = await readAt(fh, offset, length);
    const entries: ZipEntry[] = [];
    let p = 0;
    while (p + 46 <= dir.length && dir.readUInt32LE(p) === CENTRAL_SIGNATURE) {
      const flags = dir.readUInt16LE(p + 8);
      const method = dir.readUInt16LE(p + 10);
      let compressedSize = dir.readUInt32LE(p + 20);
      const uncompressedSize = dir.readUInt32LE(p + 24);
      const nameLength = dir.readUInt16LE(p + 28);
      const extraLength = dir.readUInt16LE(p + 30);
      const commentLength = dir.readUInt16LE(p + 32);
      let localHeaderOffset = dir.readUInt32LE(p + 42);
      const name = dir.toString('utf8', p + 46, p + 46 + nameLength);
      // ZIP64 extra field (id 1): the 64-bit values, in this order, of whichever fields are 0xffffffff.
      let x = p + 46 + nameLength;
      const extraEnd = x + extraLength;
      while (x + 4 <= extraEnd) {
        const id = dir.readUInt16LE(x);
        const len = dir.readUInt16LE(x + 2);
        if (id === 1) {
          let q = x + 4;
          if (uncompressedSize === U32_MAX) q += 8;
          if (compressedSize === U32_MAX) {
            compressedSize = u64(dir, q);
            q += 8;
          }
          if (localHeaderOffset === U32_MAX) localHeaderOffset = u64(dir, q);
        }
        x += 4 + len;
      }
      if (!name.endsWith('/')) entries.push({ name, method, flags, compressedSize, localHeaderOffset });
      p = extraEnd + commentLength;
    }
    return entries;
  } finally {
    await fh.close();
  }
};

/**
 * A stream of the entry's uncompressed bytes, and how many bytes of the archive it has read
 * so far (for progress).
 */
export const openZipEntry = async (file: string, entry: ZipEntry): Promise<{ data: Readable; bytesRead: () => number }> => {
  if ((entry.flags & 1) !== 0) throw new ZipFormatError(`${entry.name}: encrypted zip entries are not supported`);
  if (entry.method !== 0 && entry.method !== 8) throw new ZipFormatError(`${entry.name}: compression method ${entry.method} is not supported (only stored and deflate)`);
  const fh = await open(file, 'r');
  let header: Buffer;
  try {
    header = await readAt(fh, entry.localHeaderOffset, 30);
  } finally {
    await fh.close();
  }
  if (header.length < 30 || header.readUInt32LE(0) !== LOCAL_SIGNATURE) throw new ZipFormatError(`${entry.name}: local header missing`);
  if (entry.compressedSize === 0) return { data: Readable.from([]), bytesRead: () => 0 };
  const start = entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
  const raw = createReadStream(file, { start, end: start + entry.compressedSize - 1 });
  const bytesRead = (): number => raw.bytesRead;
  if (entry.method === 0) return { data: raw, bytesRead };
  const inflate = createInflateRaw();
  // Errors travel to the inflate stream, where the reader sees them; nothing else to do here.
  pipeline(raw, inflate, () => undefined);
  return { data: inflate, bytesRead };
};
