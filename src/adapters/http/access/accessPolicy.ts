/**
 * When reads may go without a key: only where nobody but this machine can reach the server.
 * That is the embedded profile bound to a loopback address with `openReads` at `loopback` (the
 * default); the cluster profile, or any other address (0.0.0.0 included), needs a key on every
 * route but the liveness answer.
 */
import { isIP } from 'node:net';
import type { Openness } from './routeRoles.js';

export interface AccessSettings {
  readonly profile: 'embedded' | 'cluster';
  readonly host: string;
  readonly openReads: 'loopback' | 'never';
}

export const isLoopbackHost = (host: string): boolean => {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  return h === '::1' || h === '0:0:0:0:0:0:0:1' || /^::ffff:127\./.test(h);
};

/** Whether a route of this openness answers without a key on a server with these settings. */
export const openWithoutKey = (open: Openness, settings: AccessSettings): boolean =>
  open === 'always' || (open === 'local' && settings.openReads === 'loopback' && settings.profile === 'embedded' && isLoopbackHost(settings.host));
