/**
 * The ledger as a transparency log: its public key, its newest signed checkpoint, inclusion and
 * consistency proofs anyone can check offline (src/proof-verifier/verifyProof.ts), and the status
 * of its background verification.
 */
import type { FastifyInstance } from 'fastify';
import type { HttpPlatform } from '../httpPlatform.js';
import { InvalidInputError, NotFoundError } from '../../../domain/errors.js';
import { parseInteger } from '../params.js';
import { QUERY_TEXT, responses } from '../schemas/common.js';
import { checkpoint, consistencyProof, inclusionProof, publicKeyAnswer, verificationFailed, verificationStatus } from '../schemas/compliance.js';

/** Ledger positions and tree sizes count events, from 1. */
const EVENTS = { min: 1, max: Number.MAX_SAFE_INTEGER };

export default async function ledgerRoutes(app: FastifyInstance, opts: { platform: HttpPlatform }): Promise<void> {
  const { ledger, verification } = opts.platform;

  app.get('/api/v1/ledger/public-key', { schema: { response: responses({ 200: publicKeyAnswer }) } }, async () => ({ verifierKey: ledger.verifierKey(), format: 'C2SP signed-note verifier key (Ed25519)' }));

  app.get('/api/v1/ledger/checkpoint', { schema: { response: responses({ 200: checkpoint }, ['not_found']) } }, async () => {
    const checkpoint = await ledger.latestCheckpoint();
    if (checkpoint === undefined) throw new NotFoundError('the ledger is empty: it signs its first checkpoint with its first event');
    return checkpoint;
  });

  app.get<{ Querystring: { position?: string; event?: string; treeSize?: string } }>('/api/v1/ledger/proofs/inclusion', {
    schema: { querystring: { type: 'object', properties: { position: QUERY_TEXT, event: QUERY_TEXT, treeSize: QUERY_TEXT } }, response: responses({ 200: inclusionProof }, ['not_found']) },
  }, async (req) => {
    const { event } = req.query;
    const position = parseInteger(req.query.position, 'position', EVENTS);
    const treeSize = parseInteger(req.query.treeSize, 'treeSize', EVENTS);
    if ((position === undefined) === (event === undefined)) throw new InvalidInputError('give one of position (a ledger position, from 1) or event (an event id), for example ?position=42');
    let at = position;
    if (event !== undefined) {
      const found = await ledger.findById(event);
      if (found === undefined) throw new NotFoundError(`no event with id ${event} in the ledger`);
      at = found.position;
    }
    return ledger.inclusionProof(at!, treeSize);
  });

  app.get<{ Querystring: { from?: string; to?: string } }>('/api/v1/ledger/proofs/consistency', {
    schema: { querystring: { type: 'object', properties: { from: QUERY_TEXT, to: QUERY_TEXT } }, response: responses({ 200: consistencyProof }, ['not_found']) },
  }, async (req) => {
    const from = parseInteger(req.query.from, 'from', EVENTS);
    const to = parseInteger(req.query.to, 'to', EVENTS);
    if (from === undefined || to === undefined) throw new InvalidInputError('from and to: required, the sizes of two signed checkpoints, for example ?from=1000&to=2000');
    return ledger.consistencyProof(from, to);
  });

  // Starts a run unless one is running, and answers at once with the status (`?wait=true`: once the run ends).
  app.get<{ Querystring: { wait?: string } }>('/api/v1/ledger/verify', {
    schema: { querystring: { type: 'object', properties: { wait: { type: 'string', enum: ['true', 'false'] } } }, response: responses({ 200: verificationStatus, 409: verificationFailed }) },
  }, async (req, reply) => {
    const run = verification.run();
    if (req.query.wait === 'true') await run;
    else run.catch((err: unknown) => req.log.warn({ err }, 'ledger verification failed to run'));
    const status = verification.status();
    return reply.code(status.ok ? 200 : 409).send(status);
  });
}
