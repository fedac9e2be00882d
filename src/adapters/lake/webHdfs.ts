/**
 * Writes, reads and removes files on HDFS through WebHDFS, the NameNode's REST interface: how the
 * platform (which has no Hadoop client) puts a Spark job's input on the cluster's lake and
 * clears it afterwards. Simple authentication: every request names the Hadoop user it acts as.
 */
import { request } from 'node:http';
import { Readable } from 'node:stream';
import type { HdfsEndpoint } from './lakeLocation.js';

export interface WebHdfs {
  /** Writes `file` (an absolute HDFS path; parents created, an existing file replaced) from `body`. */
  create(file: string, body: Readable | Buffer): Promise<void>;
  /** The text of `file` (an absolute HDFS path; a Spark job's answer). */
  read(file: string): Promise<string>;
  /** The bytes of `file` (an absolute HDFS path), or undefined when there is no such file. */
  readBytes(file: string): Promise<Buffer | undefined>;
  /**
   * Renames `from` to `to` (absolute HDFS paths; `to`'s folder must exist) in one NameNode step,
   * replacing a file at `to`: a reader sees the old file or the new one, never neither.
   */
  rename(from: string, to: string): Promise<void>;
  /** Deletes `path` and everything under it; nothing to delete is not an error. */
  remove(path: string): Promise<void>;
}

/** No byte in or out for this long: the NameNode or DataNode is gone, not slow. */
const IDLE_TIMEOUT_MS = 60_000;

interface Answer {
  readonly status: number;
  readonly location: string | undefined;
  readonly body: Buffer;
  /** The body as UTF-8 (an error's JSON, a text file). */
  readonly text: string;
}

/** One exchange with node:http: a DataNode answers a PUT with "100 Continue" first, which fetch rejects. */
export const webHdfsExchange = (url: string, method: string, body?: Readable | Buffer): Promise<Answer> =>
  new Promise((resolve, reject) => {
    const req = request(url, { method, timeout: IDLE_TIMEOUT_MS }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, location: res.headers.location, body, text: body.toString('utf8') });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${url}: no answer in ${IDLE_TIMEOUT_MS / 1000} s`)));
    req.on('error', reject);
    if (body instanceof Readable) {
      body.once('error', (e) => req.destroy(e));
      body.pipe(req);
    } else {
      req.end(body);
    }
  });

/** The URL of operation `op` on `path` (absolute, on the endpoint's NameNode), as the endpoint's user. */
export const webHdfsUrl = (endpoint: Pick<HdfsEndpoint, 'webUrl' | 'user'>, path: string, op: string): string =>
  `${endpoint.webUrl}/webhdfs/v1${encodeURI(path)}?op=${op}&user.name=${encodeURIComponent(endpoint.user)}`;

export const webHdfs = (endpoint: Pick<HdfsEndpoint, 'webUrl' | 'user'>): WebHdfs => {
  const readBytes = async (file: string): Promise<Buffer | undefined> => {
    // As for CREATE, the NameNode names the DataNode that serves the bytes.
    const named = await webHdfsExchange(webHdfsUrl(endpoint, file, 'OPEN'), 'GET');
    if (named.status === 404) return undefined;
    if (named.status !== 307 || named.location === undefined) throw new Error(`WebHDFS OPEN ${file} on ${endpoint.webUrl}: HTTP ${named.status} ${named.text}`);
    const read = await webHdfsExchange(named.location, 'GET');
    if (read.status !== 200) throw new Error(`WebHDFS OPEN ${file} on ${named.location}: HTTP ${read.status} ${read.text}`);
    return read.body;
  };
  return {
    async create(file, body) {
      // The NameNode names the DataNode to send the bytes to; only that second request carries them.
      const named = await webHdfsExchange(`${webHdfsUrl(endpoint, file, 'CREATE')}&overwrite=true`, 'PUT');
      if (named.status !== 307 || named.location === undefined) throw new Error(`WebHDFS CREATE ${file} on ${endpoint.webUrl}: HTTP ${named.status} ${named.text}`);
      const written = await webHdfsExchange(named.location, 'PUT', body);
      if (written.status !== 201) throw new Error(`WebHDFS CREATE ${file} on ${named.location}: HTTP ${written.status} ${written.text}`);
    },
    async read(file) {
      const bytes = await readBytes(file);
      if (bytes === undefined) throw new Error(`WebHDFS OPEN ${file} on ${endpoint.webUrl}: no such file`);
      return bytes.toString('utf8');
    },
    readBytes,
    async rename(from, to) {
      // OVERWRITE: the NameNode's rename with options, which replaces a file in one step (plain RENAME refuses an existing one).
      const res = await webHdfsExchange(`${webHdfsUrl(endpoint, from, 'RENAME')}&destination=${encodeURIComponent(to)}&renameoptions=OVERWRITE`, 'PUT');
      if (res.status !== 200) throw new Error(`WebHDFS RENAME ${from} to ${to} on ${endpoint.webUrl}: HTTP ${res.status} ${res.text}`);
    },
    async remove(path) {
      const res = await webHdfsExchange(`${webHdfsUrl(endpoint, path, 'DELETE')}&recursive=true`, 'DELETE');
      if (res.status !== 200) throw new Error(`WebHDFS DELETE ${path} on ${endpoint.webUrl}: HTTP ${res.status} ${res.text}`);
    },
  };
};
