/**
 * The dashboard's built files (web/, built by Vite into dist/web/) served at `/` and `/assets/*`.
 * They are read once when the server starts and kept with their gzip form, so a page load costs
 * no disk read and no compression. Assets are content-hashed by the build: cached for a year as
 * immutable; index.html names the current hashes, so it is revalidated on every load.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { acceptsGzip } from '../acceptsGzip.js';
import { sendError } from '../apiErrors.js';
import { responses, type Schema } from '../schemas/common.js';

/** dist/web/ from this module, compiled (dist/adapters/http/dashboard/) or run from source (src/adapters/http/dashboard/). */
export const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../../../dist/web/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json; charset=utf-8',
};

interface ServedFile {
  readonly type: string;
  readonly body: Buffer;
  readonly gzipped: Buffer;
  readonly cacheControl: string;
}

/** A file of one of `types`, as its bytes. */
const fileAnswer = (types: readonly string[]): Schema => ({ content: Object.fromEntries([...new Set(types)].map((t) => [t, { schema: { type: 'string' } }])) });
const pageResponses = responses({ 200: fileAnswer([TYPES['.html']!]) }, ['not_found']);
const assetResponses = responses({ 200: fileAnswer([...Object.values(TYPES), 'application/octet-stream']) }, ['not_found']);

const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

const serve = (file: ServedFile, req: FastifyRequest, reply: FastifyReply): FastifyReply => {
  void reply.type(file.type).header('cache-control', file.cacheControl).header('vary', 'accept-encoding').header('x-content-type-options', 'nosniff');
  if (!acceptsGzip(req.headers['accept-encoding'])) return reply.send(file.body);
  return reply.header('content-encoding', 'gzip').send(file.gzipped);
};

const readServed = (file: string, cacheControl: string): ServedFile => {
  const body = readFileSync(file);
  return { type: TYPES[path.extname(file)] ?? 'application/octet-stream', body, gzipped: gzipSync(body, { level: 9 }), cacheControl };
};

/** Registers `/` and `/assets/:file` from `webRoot`; without a build, both answer 404 saying how to build it. */
export const registerDashboard = (app: FastifyInstance, webRoot: string = DEFAULT_WEB_ROOT): void => {
  const indexFile = path.join(webRoot, 'index.html');
  const index = existsSync(indexFile) ? readServed(indexFile, REVALIDATE) : undefined;
  const assetsDir = path.join(webRoot, 'assets');
  const assets = new Map<string, ServedFile>();
  if (index !== undefined && existsSync(assetsDir)) for (const name of readdirSync(assetsDir)) assets.set(name, readServed(path.join(assetsDir, name), IMMUTABLE));
  const notBuilt = (reply: FastifyReply): FastifyReply =>
    sendError(reply, 'not_found', 'the dashboard is not built: `npm run build:web` builds web/ into dist/web/ (npm start and npm test build it)');

  app.get('/', { schema: { response: pageResponses } }, async (req, reply) => (index === undefined ? notBuilt(reply) : serve(index, req, reply)));
  app.get<{ Params: { file: string } }>('/assets/:file', { schema: { params: { type: 'object', properties: { file: { type: 'string' } }, required: ['file'] }, response: assetResponses } }, async (req, reply) => {
    if (index === undefined) return notBuilt(reply);
    const file = assets.get(req.params.file);
    if (file === undefined) return sendError(reply, 'not_found', `no dashboard asset ${req.params.file.slice(0, 100)}: reload the page (a newer build names other files)`);
    return serve(file, req, reply);
  });
};
