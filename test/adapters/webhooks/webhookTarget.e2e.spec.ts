/**
 * Webhook targets: internal addresses are refused before anything is sent, whether written as an
 * address or as a name that resolves to one (localhost, or a name our resolver points at
 * 127.0.0.1), unless an admin allowed the range; the connection goes to the address checked;
 * redirects are not followed. A real receiver on loopback counts what reaches it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LookupAddress } from 'node:dns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpWebhookPoster } from '../../../src/adapters/webhooks/httpWebhookPoster.js';
import { addressCheck, parseRanges } from '../../../src/adapters/webhooks/webhookTarget.js';
import { isWebhookDeliveryError } from '../../../src/domain/errors.js';

const post = (url: string) => ({ url, secret: 'a-long-shared-secret', body: '{"alert":1}', idempotencyKey: 'a1' });

/** A resolver that answers every name with `addresses`. */
const resolver = (...addresses: string[]) =>
  ((_host: string, _opts: unknown, cb: (err: Error | null, a: LookupAddress[]) => void) =>
    cb(null, addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })))) as never;

describe('webhook targets', () => {
  let receiver: Server;
  let port: number;
  const arrived: Array<{ host: string | undefined; url: string | undefined }> = [];
  beforeAll(async () => {
    receiver = createServer((req, res) => {
      arrived.push({ host: req.headers.host, url: req.url });
      if (req.url === '/redirect') {
        res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
        return;
      }
      res.writeHead(204).end();
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    port = (receiver.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => receiver.close(() => r())));

  const refusal = async (poster: ReturnType<typeof createHttpWebhookPoster>, url: string): Promise<string> => {
    try {
      await poster(post(url));
    } catch (e) {
      expect(isWebhookDeliveryError(e), String(e)).toBe(true);
      return (e as Error).message;
    }
    throw new Error(`${url} was delivered`);
  };

  it('refuses internal addresses written as addresses, and names that resolve to them, sending nothing', async () => {
    const poster = createHttpWebhookPoster({ timeoutMs: 2_000, allowedRanges: '' });
    const cases: Array<[string, RegExp]> = [
      [`http://127.0.0.1:${port}/hook`, /127\.0\.0\.1 is a loopback address/],
      [`http://[::1]:${port}/hook`, /::1 is a loopback address/],
      ['http://169.254.169.254/latest/meta-data/', /link-local \(cloud metadata\)/],
      ['http://10.0.0.7/hook', /private/],
      ['http://192.168.1.1/hook', /private/],
      ['http://172.20.0.1/hook', /private/],
      ['http://100.64.1.1/hook', /shared/],
      ['http://[fd00::1]/hook', /private/],
      ['http://[fe80::1]/hook', /link-local/],
      ['http://224.0.0.1/hook', /multicast/],
      ['http://0.0.0.0/hook', /unspecified/],
      [`http://[::ffff:127.0.0.1]:${port}/hook`, /loopback/],
      [`http://localhost:${port}/hook`, /localhost resolves to .* loopback address/],
    ];
    for (const [url, reason] of cases) expect(await refusal(poster, url), url).toMatch(reason);
    const named = createHttpWebhookPoster({ timeoutMs: 2_000, allowedRanges: '', resolve: resolver('127.0.0.1') });
    expect(await refusal(named, `http://hooks.example:${port}/hook`)).toMatch(/hooks\.example resolves to 127\.0\.0\.1 is a loopback address/);
    // A name answering a public and an internal address is trusted with neither.
    const mixed = createHttpWebhookPoster({ timeoutMs: 2_000, allowedRanges: '', resolve: resolver('93.184.216.34', '127.0.0.1') });
    expect(await refusal(mixed, `http://rebind.example:${port}/hook`)).toMatch(/loopback/);
    expect(arrived).toEqual([]);
  });

  it('delivers to an allowed range, connecting to the address it checked; does not follow a redirect', async () => {
    const poster = createHttpWebhookPoster({ timeoutMs: 2_000, allowedRanges: '127.0.0.1/32', resolve: resolver('127.0.0.1') });
    expect(await poster(post(`http://hooks.example:${port}/hook`))).toBe(204);
    expect(arrived.at(-1)).toEqual({ host: `hooks.example:${port}`, url: '/hook' });
    expect(await refusal(poster, `http://hooks.example:${port}/redirect`)).toMatch(/HTTP 302 redirect to http:\/\/169\.254\.169\.254\/latest\/meta-data\/ not followed/);
    expect(arrived.map((a) => a.url)).toEqual(['/hook', '/redirect']);
  });

  it('public addresses pass; allowed ranges are CIDR, and anything else is refused with an example', () => {
    const check = addressCheck('10.1.0.0/16, fd00::/8');
    expect(check('8.8.8.8')).toBeUndefined();
    expect(check('2606:4700::1111')).toBeUndefined();
    expect(check('10.1.2.3')).toBeUndefined();
    expect(check('10.2.0.1')).toMatch(/private/);
    expect(check('fd00::5')).toBeUndefined();
    expect(() => parseRanges('10.0.0.0/33')).toThrow(/not an address range in CIDR form \(for example 10\.1\.0\.0\/16/);
    expect(() => parseRanges('example.com/8')).toThrow(/CIDR/);
  });
});
