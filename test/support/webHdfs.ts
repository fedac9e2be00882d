/**
 * A folder on the stack's HDFS over WebHDFS (the NameNode's REST interface): the tests look into
 * a streaming job's checkpoint and sink log on HDFS the way they would look into a local folder,
 * and remove their own folder; the batch bench copies a local lake there byte for byte.
 */
import { request } from 'node:http';
import type { HdfsEndpoint } from '../../src/adapters/lake/lakeLocation.js';

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

/** One exchange with node:http: a DataNode answers a PUT with "100 Continue" first, which fetch rejects. */
const exchange = (url: string, method: string, body?: Buffer): Promise<{ status: number; location: string | undefined; text: string }> =>
  new Promise((resolve, reject) => {
    const req = request(url, { method, timeout: 60_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${url}: no answer in 60 s`)));
    req.on('error', reject);
    req.end(body);
  });

export const webHdfs = (endpoint: Pick<HdfsEndpoint, 'webUrl' | 'user'>): HdfsFolder => {
  const url = (file: string, op: string) => `${endpoint.webUrl}/webhdfs/v1${file}?op=${op}&user.name=${encodeURIComponent(endpoint.user)}`;
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
    remove: async (dir) => {
      const res = await fetch(`${url(dir, 'DELETE')}&recursive=true`, { method: 'DELETE', signal: AbortSignal.timeout(30_000) });
      if (!res.ok) throw new Error(`WebHDFS DELETE ${dir}: HTTP ${res.status} ${await res.text()}`);
    },
    put: async (file, content) => {
      // The NameNode names the DataNode to send the bytes to; only that second request carries them.
      const named = await exchange(`${url(file, 'CREATE')}&overwrite=true`, 'PUT');
      if (named.status !== 307 || named.location === undefined) throw new Error(`WebHDFS CREATE ${file}: HTTP ${named.status} ${named.text}`);
      const written = await exchange(named.location, 'PUT', content);
      if (written.status !== 201) throw new Error(`WebHDFS CREATE ${file} on ${named.location}: HTTP ${written.status} ${written.text}`);
    },
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
