/**
 * Who is asking, checked before any route runs: the key in `Authorization: Bearer <key>` (or, for
 * WebSocket routes, whose browser clients cannot set headers, `?key=<key>`), looked up by its
 * hash among the active keys, and the role the route needs (routeRoles.ts). A missing, malformed,
 * unknown or revoked key is 401, a key of too small a role 403; every body says what is needed.
 * The key's id is then the actor of whatever the request records (commandOrigin.ts).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ROLES, roleAllows, type Role } from '../../../domain/access/roles.js';
import { sendError } from '../apiErrors.js';
import { openWithoutKey, type AccessSettings } from './accessPolicy.js';
import { accessFor } from './routeRoles.js';

export interface Principal {
  readonly keyId: string;
  readonly name: string;
  readonly role: Role;
}

export interface KeyChecker {
  /** The active key presented, or undefined when it is unknown or revoked. */
  authenticate(key: string): Principal | undefined;
}

const principals = new WeakMap<FastifyRequest, Principal>();

/** The key a request was made with; undefined for a request to an open route without one. */
export const principalOf = (req: FastifyRequest): Principal | undefined => principals.get(req);

/** The URL without a `key` query value, for logs. */
export const withoutKey = (url: string): string => url.replace(/([?&]key=)[^&#]*/g, '$1…');

const rolesFrom = (role: Role): string => ROLES.slice(ROLES.indexOf(role)).join(' or ');

type Presented = { key: string } | { malformed: string } | undefined;

const presentedKey = (req: FastifyRequest, websocket: boolean): Presented => {
  const header = req.headers.authorization;
  if (header !== undefined) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return m === null ? { malformed: 'the Authorization header is not of the form "Bearer <key>"' } : { key: m[1]! };
  }
  if (websocket) {
    const key = (req.query as { key?: unknown } | undefined)?.key;
    if (typeof key === 'string' && key !== '') return { key };
  }
  return undefined;
};

/** What a refused request is told: the route, how to send a key and how to get one (built only for a refusal, never on the way of an accepted request). */
const advice = (req: FastifyRequest, url: string, role: Role, websocket: boolean) => ({
  what: `${req.method} ${url.replace(/:([A-Za-z]+)/g, '{$1}')}`,
  howToSend: websocket ? 'Authorization: Bearer <key>, or ?key=<key> on the WebSocket URL' : 'Authorization: Bearer <key>',
  howToGet: `an admin makes one with \`tickvault keys create --role ${role} --name NAME\``,
});

export const installAuthentication = (app: FastifyInstance, keys: KeyChecker, settings: AccessSettings): void => {
  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    const url = req.routeOptions.url;
    // No route: the 404 answer lists the routes, which are no secret.
    if (url === undefined) return;
    const access = accessFor(req.method, url);
    // Set by @fastify/websocket's own onRequest hook, registered before this one.
    const websocket = req.ws;
    const presented = presentedKey(req, websocket);
    if (presented === undefined) {
      if (openWithoutKey(access.open, settings)) return;
      const { what, howToSend, howToGet } = advice(req, url, access.role, websocket);
      return sendError(reply.header('www-authenticate', 'Bearer'), 'unauthorized', `${what} needs an API key of role ${rolesFrom(access.role)}: send ${howToSend} (${howToGet})`, { needed: access.role });
    }
    if ('malformed' in presented) {
      return sendError(reply.header('www-authenticate', 'Bearer'), 'unauthorized', `${presented.malformed}: send ${advice(req, url, access.role, websocket).howToSend}`, { needed: access.role });
    }
    const principal = keys.authenticate(presented.key);
    if (principal === undefined) {
      return sendError(reply.header('www-authenticate', 'Bearer error="invalid_token"'), 'unauthorized', `the API key is unknown or revoked: ask an admin for a key of role ${rolesFrom(access.role)} (${advice(req, url, access.role, websocket).howToGet})`, {
        needed: access.role,
      });
    }
    if (!roleAllows(principal.role, access.role)) {
      const { what, howToGet } = advice(req, url, access.role, websocket);
      return sendError(reply, 'forbidden', `${what} needs a key of role ${rolesFrom(access.role)}; key ${principal.keyId} ("${principal.name}") has role ${principal.role}: ${howToGet}`, {
        needed: access.role,
        role: principal.role,
        keyId: principal.keyId,
      });
    }
    principals.set(req, principal);
  });
};
