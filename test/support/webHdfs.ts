/**
 * A folder on the stack's HDFS over WebHDFS (the NameNode's REST interface): the tests look into
 * a streaming job's checkpoint and sink log on HDFS the way they would look into a local folder,
 * and remove their own folder; the batch bench copies a local lake there byte for byte.
 */
import type { HdfsEndpoint } from '../../src/adapters/lake/lakeLocation.js';
import { webHdfs as webHdfsWriter, webHdfsUrl } from '../../src/adapters/lake/webHdfs.js';

interface FileStatus {
  readonly pathSuffix: string;
  readonly type: 'FILE' | 'DIRECTORY';
}

export interface HdfsFolder {
  /** Names directly in `dir` ([] when it does not exist yet). */
  names(dir: string): Promise<string[]>;
  /** Files anywhere under `dir`, as paths relative to it ([] when it does not exist yet). */
  filesUnder(dir: string): Promise<string[]>;
  /** A file's content as text. */
  text(file: string): Promise<string>;
  /** Deletes `dir` and everything under it. */
  remove(dir: string): Promise<void>;
  /** Writes `file` (parents created, an existing file replaced). */
  put(file: string, content: Buffer): Promise<void>;
}

/** The platform's own writer (src/adapters/lake/webHdfs.ts) for writes and removals, plus the reads tests need. */
export const webHdfs = (endpoint: Pick<HdfsEndpoint, 'webUrl' | 'user'>): HdfsFolder => {
  const url = (file: string, op: string) => webHdfsUrl(endpoint, file, op);
  const writer = webHdfsWriter(endpoint);
  const list = async (dir: string): Promise<FileStatus[]> => {
    const res = await fetch(url(dir, 'LISTSTATUS'), { signal: AbortSignal.timeout(10_000) });
    if (res.status === 404) return [];
    if (!res.ok) throw new Error(`WebHDFS LISTSTATUS ${dir}: HTTP ${res.status} ${await res.text()}`);
    return ((await res.json()) as { FileStatuses: { FileStatus: FileStatus[] } }).FileStatuses.FileStatus;
  };
  const filesUnder = async (dir: string, prefix = ''): Promise<string[]> => {
    const found: string[] = [];
    for (const s of await list(dir)) {
      if (s.type === 'FILE') found.push(`${prefix}${s.pathSuffix}`);
      else found.push(...(await filesUnder(`${dir}/${s.pathSuffix}`, `${prefix}${s.pathSuffix}/`)));
    }
    return found;
  };
  return {
    names: async (dir) => (await list(dir)).map((s) => s.pathSuffix),
    filesUnder: (dir) => filesUnder(dir),
    text: async (file) => {
      // The NameNode redirects the read to a DataNode holding the block; fetch follows it.
      const res = await fetch(url(file, 'OPEN'), { signal: AbortSignal.timeout(20_000) });
      if (!res.ok) throw new Error(`WebHDFS OPEN ${file}: HTTP ${res.status} ${await res.text()}`);
      return res.text();
    },
    remove: (dir) => writer.remove(dir),
    put: (file, content) => writer.create(file, content),
  };
};

/** The NameNode's block and DataNode figures (its JMX servlet), as `stack status` shows them. */
export interface NameNodeFigures {
  readonly liveDataNodes: number;
  readonly deadDataNodes: number;
  readonly underReplicatedBlocks: number;
  readonly missingBlocks: number;
}

export const nameNodeFigures = async (endpoint: Pick<HdfsEndpoint, 'webUrl'>): Promise<NameNodeFigures> => {
  const bean = async (name: string): Promise<Record<string, number>> => {
    const res = await fetch(`${endpoint.webUrl}/jmx?qry=Hadoop:service=NameNode,name=${name}`, { signal: AbortSignal.timeout(5_000) });
    if (!res.ok) throw new Error(`NameNode JMX ${name}: HTTP ${res.status}`);
    const found = ((await res.json()) as { beans: Record<string, number>[] }).beans[0];
    if (found === undefined) throw new Error(`NameNode JMX ${name}: no such bean`);
    return found;
  };
  const [fs, state] = await Promise.all([bean('FSNamesystem'), bean('FSNamesystemState')]);
  return {
    liveDataNodes: state['NumLiveDataNodes']!,
    deadDataNodes: state['NumDeadDataNodes']!,
    underReplicatedBlocks: fs['UnderReplicatedBlocks']!,
    missingBlocks: fs['MissingBlocks']!,
  };
};
