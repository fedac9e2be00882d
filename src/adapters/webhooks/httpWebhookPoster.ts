/**
 * Posts one alert to one webhook: JSON body, `X-Tickvault-Signature: sha256=<hex HMAC-SHA256 of
 * the body with the subscription's secret>`, `Idempotency-Key: <alert id>` (a receiver that sees
 * a key twice — at-least-once — drops the second), and a timeout so a hung receiver is a failure,
 * not a stuck queue. Only to addresses webhookTarget.ts allows, checked as the socket connects;
 * a redirect is not followed (it is a failed delivery), so it cannot lead anywhere unchecked.
 */
import { createHmac } from 'node:crypto';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { WebhookDeliveryError } from '../../domain/errors.js';
import type { WebhookPoster } from '../../domain/ports.js';
import { addressCheck, checkedLookup } from './webhookTarget.js';

export const SIGNATURE_HEADER = 'x-tickvault-signature';
export const IDEMPOTENCY_HEADER = 'idempotency-key';

export const signBody = (secret: string, body: string): string => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

export interface HttpWebhookPosterOptions {
  readonly timeoutMs: number;
  /** CIDR ranges allowed although internal (the webhookAllowedRanges setting). */
  readonly allowedRanges: string;
  /** Name resolution (tests give their own); default the system's. */
  readonly resolve?: Parameters<typeof checkedLookup>[1];
}

export const createHttpWebhookPoster = (options: HttpWebhookPosterOptions): WebhookPoster => {
  const check = addressCheck(options.allowedRanges);
  const lookup = checkedLookup(check, options.resolve);
  return async (post) => {
    const url = new URL(post.url);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    // A literal address is connected to without a lookup: checked here instead.
    const refused = isIP(host) === 0 ? undefined : check(host);
    if (refused !== undefined) throw new WebhookDeliveryError(`POST ${post.url}: refused: ${refused}`, null);
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    let res: IncomingMessage;
    try {
      res = await new Promise<IncomingMessage>((resolve, reject) => {
        const req = request(url, {
          method: 'POST',
          lookup,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(post.body), [SIGNATURE_HEADER]: signBody(post.secret, post.body), [IDEMPOTENCY_HEADER]: post.idempotencyKey },
          signal: AbortSignal.timeout(options.timeoutMs),
        }, resolve);
        req.on('error', reject);
        req.end(post.body);
      });
    } catch (e) {
      throw new WebhookDeliveryError(`POST ${post.url}: ${e instanceof Error ? e.message : String(e)}`, null);
    }
    res.resume();
    const status = res.statusCode ?? 0;
    if (status >= 300 && status < 400) throw new WebhookDeliveryError(`POST ${post.url}: HTTP ${status} redirect to ${res.headers.location ?? '(no location)'} not followed: register the final URL`, status);
    if (status < 200 || status >= 300) throw new WebhookDeliveryError(`POST ${post.url}: HTTP ${status}`, status);
    return status;
  };
};
