/**
 * The book archive's write-ahead journal: rows it has acknowledged but not yet written to the lake,
 * as JSON lines in a local folder (`journal-<n>.jsonl`). An append is flushed to disk before it
 * resolves. A compaction writes what is still open to the next file under a temporary name and
 * renames it into place, then removes the older files: the newest file is always the whole
 * journal, so a crash at any step leaves either the old journal or the new one, never a mix.
 */
import { mkdir, open, readdir, readFile, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { canonicalJson } from '../../../domain/events/canonical.js';
import { JournalEntryCodec, type JournalEntry } from '../../../domain/orderbook/archive/bookRow.js';
import type { BookJournal } from '../../../domain/ports.js';
import { validate } from '../../../domain/validation.js';
import { writeFileDurably } from './localBookLake.js';

const JOURNAL_FILE = /^journal-(\d+)\.jsonl$/;

const linesOf = (entries: readonly JournalEntry[]): string => entries.map((e) => `${canonicalJson(e)}\n`).join('');

export const openFileBookJournal = async (folder: string): Promise<BookJournal> => {
  await mkdir(folder, { recursive: true });
  const numbers = async (): Promise<number[]> =>
    (await readdir(folder))
      .map((f) => JOURNAL_FILE.exec(f))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => Number(m[1]))
      .sort((a, b) => a - b);
  const fileOf = (n: number): string => path.join(folder, `journal-${n}.jsonl`);
  let current = (await numbers()).at(-1) ?? 0;
  let handle: FileHandle | undefined;
  const writer = async (): Promise<FileHandle> => (handle ??= await open(fileOf(current), 'a'));

  return {
    async append(entries) {
      if (entries.length === 0) return;
      const h = await writer();
      await h.write(linesOf(entries));
      await h.datasync();
    },
    async compact(entries) {
      await handle?.close();
      handle = undefined;
      const older = await numbers();
      current += 1;
      await writeFileDurably(fileOf(current), Buffer.from(linesOf(entries)));
      for (const n of older) await rm(fileOf(n), { force: true });
    },
    async load() {
      let text: string;
      try {
        text = await readFile(fileOf(current), 'utf8');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw e;
      }
      const lines = text.split('\n');
      // A line without its newline was being written when the process died: it was never acknowledged.
      lines.pop();
      return lines.map((line, i) => {
        const v = validate(JournalEntryCodec, JSON.parse(line));
        if (!v.ok) throw new Error(`book journal ${fileOf(current)} line ${i + 1}: ${v.reason}; the journal is damaged, move it aside to start without its unarchived rows`);
        return v.value;
      });
    },
    async close() {
      await handle?.close();
      handle = undefined;
    },
  };
};
