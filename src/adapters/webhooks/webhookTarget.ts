/**
 * Where a webhook may be posted: not to this machine, the local network or the cloud's metadata
 * service, which a subscriber could otherwise make tickvault reach for them. Refused: unspecified,
 * loopback, link-local (169.254.0.0/16, fe80::/10), private (RFC 1918, fc00::/7), shared
 * (100.64.0.0/10), multicast and reserved addresses, IPv4 ones inside IPv6 too; an admin may
 * allow ranges of them (the webhookAllowedRanges setting). A name is resolved when a delivery
 * connects, and the connection goes to the address that was checked (the lookup below is the
 * socket's own), so a name that resolves elsewhere a second later (DNS rebinding) gains nothing.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { InvalidInputError } from '../../domain/errors.js';

const FORBIDDEN: ReadonlyArray<readonly [string, number, 'ipv4' | 'ipv6', string]> = [
  ['0.0.0.0', 8, 'ipv4', 'unspecified'],
  ['10.0.0.0', 8, 'ipv4', 'private'],
  ['100.64.0.0', 10, 'ipv4', 'shared (carrier-grade NAT)'],
  ['127.0.0.0', 8, 'ipv4', 'loopback'],
  ['169.254.0.0', 16, 'ipv4', 'link-local (cloud metadata)'],
  ['172.16.0.0', 12, 'ipv4', 'private'],
  ['192.168.0.0', 16, 'ipv4', 'private'],
  ['224.0.0.0', 4, 'ipv4', 'multicast'],
  ['240.0.0.0', 4, 'ipv4', 'reserved'],
  ['::', 128, 'ipv6', 'unspecified'],
  ['::1', 128, 'ipv6', 'loopback'],
  ['fc00::', 7, 'ipv6', 'private'],
  ['fe80::', 10, 'ipv6', 'link-local'],
  ['ff00::', 8, 'ipv6', 'multicast'],
];

export type AddressCheck = (address: string) => string | undefined;

const familyOf = (address: string): 'ipv4' | 'ipv6' => (isIP(address) === 4 ? 'ipv4' : 'ipv6');

/** `10.1.0.0/16,fd00::/8` → a BlockList of them; InvalidInputError naming a range that is not one. */
export const parseRanges = (ranges: string): BlockList => {
  const list = new BlockList();
  for (const range of ranges.split(',').map((r) => r.trim()).filter((r) => r !== '')) {
    const [net, bits] = range.split('/');
    const family = isIP(net ?? '');
    const prefix = Number(bits);
    if (family === 0 || !Number.isInteger(prefix) || prefix < 0 || prefix > (family === 4 ? 32 : 128)) {
      throw new InvalidInputError(`webhookAllowedRanges: ${JSON.stringify(range)} is not an address range in CIDR form (for example 10.1.0.0/16 or fd00::/8)`);
    }
    list.addSubnet(net!, prefix, family === 4 ? 'ipv4' : 'ipv6');
  }
  return list;
};

/** The IPv4 address inside an IPv4-mapped IPv6 one, dotted (::ffff:127.0.0.1) or as URLs write it (::ffff:7f00:1). */
const ipv4Inside = (address: string): string | undefined => {
  const dotted = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (dotted !== null) return dotted[1];
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (hex === null) return undefined;
  const [hi, lo] = [parseInt(hex[1]!, 16), parseInt(hex[2]!, 16)];
  return [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
};

/** Why `address` may not be posted to, or undefined when it may. */
export const addressCheck = (allowedRanges: string): AddressCheck => {
  const allowed = parseRanges(allowedRanges);
  return (raw) => {
    const address = ipv4Inside(raw) ?? raw;
    const family = familyOf(address);
    if (allowed.check(address, family)) return undefined;
    const hit = FORBIDDEN.find(([net, prefix, f]) => {
      if (f !== family) return false;
      const one = new BlockList();
      one.addSubnet(net, prefix, f);
      return one.check(address, family);
    });
    return hit === undefined ? undefined : `${raw} is a ${hit[3]} address (webhooks are posted to public addresses only; an admin may allow a range with --webhook-allowed-ranges)`;
  };
};

/** Thrown by the lookup (and for a literal address) when a target is refused. */
export class WebhookTargetRefusedError extends Error {}

/**
 * A socket lookup that resolves like the system's but refuses a name if any address it resolves to
 * is refused (a name answering both a public and an internal address is not trusted with either).
 */
export const checkedLookup = (check: AddressCheck, resolve: typeof dnsLookup = dnsLookup): LookupFunction =>
  ((hostname: string, options: { all?: boolean }, callback: (err: Error | null, address: string | LookupAddress[], family?: number) => void) => {
    resolve(hostname, { all: true }, (err, addresses) => {
      if (err !== null) return callback(err, []);
      const list = addresses as LookupAddress[];
      const refused = list.map((a) => check(a.address)).find((r) => r !== undefined);
      if (refused !== undefined) return callback(new WebhookTargetRefusedError(`${hostname} resolves to ${refused}`), []);
      if (options.all === true) return callback(null, list);
      return callback(null, list[0]!.address, list[0]!.family);
    });
  }) as LookupFunction;
