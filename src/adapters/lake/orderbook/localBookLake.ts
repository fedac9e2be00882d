/**
 * The embedded profile's order-book lake: interval files in a local folder. A file is written
 * beside its final name (a dot-name, which Spark and the replay skip), flushed to disk, renamed
 * into place and the folder flushed, so it is there whole or not at all, even across a power cut.
 */
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BookLake } from '../../../domain/ports.js';
import { decodeBookRowTexts, encodeBookRows } from './bookRowsParquet.js';

/** Writes `bytes` to `file` durably and atomically (temporary name, fsync, rename, fsync of the folder). */
export const writeFileDurably = async (file: string, bytes: Uint8Array): Promise<void> => {
  const dir = path.dirname(file);
  await mkdir(dir, { recursive: true });
  const temporary = path.join(dir, `.${path.basename(file)}.${process.pid}.tmp`);
  const handle = await open(temporary, 'w');
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, file);
  const folder = await open(dir, 'r');
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
};

export const localBookLake = (folder: string): BookLake => {
  const absolute = path.resolve(folder);
  const at = (file: string): string => path.join(absolute, ...file.split('/'));
  return {
    uri: pathToFileURL(absolute).href,
    writeRows: (file, rows) => writeFileDurably(at(file), encodeBookRows(rows)),
    async readRows(file) {
      let bytes: Buffer;
      try {
        bytes = await readFile(at(file));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw e;
      }
      return decodeBookRowTexts(bytes);
    },
  };
};
