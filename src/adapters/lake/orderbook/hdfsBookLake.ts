/**
 * The cluster profile's order-book lake: interval files under the lake's root on HDFS, so every
 * process of the cluster (an api-only one too) replays the same books, and Spark reads them where
 * it reads the trades. A file is written beside its final name (a dot-name, which Spark and the
 * replay skip) and renamed into place in one NameNode step, so a reader sees it whole or not at all;
 * once WebHDFS has answered the write, the file is closed on its DataNodes (HDFS's durability is
 * replication, not an fsync per file).
 */
import { posix as path } from 'node:path';
import { hdfsLakeFolder, type LakeLocation } from '../lakeLocation.js';
import type { WebHdfs } from '../webHdfs.js';
import type { BookLake } from '../../../domain/ports.js';
import { decodeBookRowTexts, encodeBookRows } from './bookRowsParquet.js';

export const hdfsBookLake = (lake: LakeLocation, files: WebHdfs): BookLake => {
  const root = hdfsLakeFolder(lake);
  const at = (file: string): string => path.join(root.path, file);
  return {
    uri: root.uri,
    async writeRows(file, rows) {
      const final = at(file);
      const temporary = path.join(path.dirname(final), `.${path.basename(final)}.${process.pid}.tmp`);
      const bytes = encodeBookRows(rows);
      await files.create(temporary, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      await files.rename(temporary, final);
    },
    async readRows(file) {
      const bytes = await files.readBytes(at(file));
      return bytes === undefined ? undefined : decodeBookRowTexts(bytes);
    },
  };
};
