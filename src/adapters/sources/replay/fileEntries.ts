/**
 * The streams of lines a replayed file holds: the file itself (plain or gzip) or, for a zip,
 * each member. Compression is told by the first bytes, whatever the file is called.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { pipeline, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { openZipEntry, readZipEntries } from './zipArchive.js';

export interface FileEntry {
  /** Label in reasons and batch sources: the file name, or `archive.zip/entry.csv`. */
  readonly label: string;
  /** The name the format is read from. */
  readonly name: string;
  /** The entry's decompressed bytes, and how many bytes of the file have been read for them so far (progress). */
  open(): Promise<{ data: Readable; bytesRead: () => number }>;
}

const sniff = async (file: string): Promise<'gzip' | 'zip' | 'plain'> => {
  const fh = await open(file, 'r');
  try {
    const b = Buffer.alloc(4);
    const { bytesRead } = await fh.read(b, 0, 4, 0);
    if (bytesRead >= 2 && b[0] === 0x1f && b[1] === 0x8b) return 'gzip';
    if (bytesRead >= 4 && b.readUInt32LE(0) === 0x04034b50) return 'zip';
    return 'plain';
  } finally {
    await fh.close();
  }
};

export const entriesOf = async (file: string): Promise<FileEntry[]> => {
  const base = path.basename(file);
  const kind = await sniff(file);
  if (kind === 'zip') {
    const entries = await readZipEntries(file);
    return entries.map((e) => ({ label: `${base}/${e.name}`, name: path.basename(e.name), open: () => openZipEntry(file, e) }));
  }
  return [
    {
      label: base,
      name: base,
      open: async () => {
        const raw = createReadStream(file);
        const bytesRead = (): number => raw.bytesRead;
        if (kind === 'plain') return { data: raw, bytesRead };
        const gunzip = createGunzip();
        pipeline(raw, gunzip, () => undefined); // errors surface on the gunzip stream being read
        return { data: gunzip, bytesRead };
      },
    },
  ];
};
