/**
 * Posts one alert to one webhook: JSON body, `X-Tickvault-Signature: sha256=<hex HMAC-SHA256 of
 * the body with the subscription's secret>`, `Idempotency-Key: <alert id>` (a receiver that sees
 * a key twice — at-least-once — drops the second), and a timeout so a hung receiver is a failure,
 * not a stuck queue.
 */
import { createHmac } from 'node:crypto';
import { WebhookDeliveryError } from '../../domain/errors.js';
import type { WebhookPoster } from '../../domain/ports.js';

export const SIGNATURE_HEADER = 'x-tickvault-signature';
export const IDEMPOTENCY_HEADER = 'idempotency-key';

export const signBody = (secret: string, body: string): string => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

export const createHttpWebhookPoster = (options: { timeoutMs: number }): WebhookPoster => async (post) => {
  let res: Response;
  try {
    res = await fetch(post.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signBody(post.secret, post.body), [IDEMPOTENCY_HEADER]: post.idempotencyKey },
      body: post.body,
      signal: AbortSignal.timeout(options.timeoutMs),
    });
  } catch (e) {
    throw new WebhookDeliveryError(`POST ${post.url}: ${e instanceof Error ? e.message : String(e)}`, null);
  }
  await res.body?.cancel();
  if (res.status < 200 || res.status >= 300) throw new WebhookDeliveryError(`POST ${post.url}: HTTP ${res.status}`, res.status);
  return res.status;
};
