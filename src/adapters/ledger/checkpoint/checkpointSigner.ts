/**
 * Writes C2SP tlog-checkpoint signed notes: `<origin>\n<size>\n<base64 root>\ntime <epoch ms>\n`,
 * a blank line, and one Ed25519 signature line `— <origin> base64(key id ‖ signature)`.
 * The key name is the log's origin, so a verifier key names the log it vouches for.
 */
import { createPublicKey, sign, type KeyObject } from 'node:crypto';
import { keyIdOf } from '../../../proof-verifier/verifyProof.js';

export interface CheckpointBody {
  readonly size: number;
  readonly root: Buffer;
  readonly time: number;
}

export interface CheckpointSigner {
  readonly origin: string;
  /** `<origin>+<key id hex>+<base64(0x01 ‖ public key)>`: what a verifier needs, and all it needs. */
  readonly verifierKey: string;
  sign(body: CheckpointBody): string;
}

const rawPublicKey = (privateKey: KeyObject): Buffer => {
  const jwk = createPublicKey(privateKey).export({ format: 'jwk' });
  return Buffer.from(jwk.x!, 'base64url');
};

export const checkpointText = (origin: string, body: CheckpointBody): string =>
  `${origin}\n${body.size}\n${body.root.toString('base64')}\ntime ${body.time}\n`;

export const createCheckpointSigner = (origin: string, privateKey: KeyObject): CheckpointSigner => {
  if (origin === '' || /[\s+]/u.test(origin)) throw new Error(`ledger origin ${JSON.stringify(origin)} must be non-empty with no spaces or '+'`);
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`the ledger signing key must be Ed25519, not ${privateKey.asymmetricKeyType ?? 'unknown'}`);
  const publicKey = rawPublicKey(privateKey);
  const keyId = keyIdOf(origin, publicKey);
  return {
    origin,
    verifierKey: `${origin}+${keyId.toString('hex')}+${Buffer.concat([Buffer.from([0x01]), publicKey]).toString('base64')}`,
    sign(body) {
      const text = checkpointText(origin, body);
      const signature = sign(null, Buffer.from(text, 'utf8'), privateKey);
      return `${text}\n\u2014 ${origin} ${Buffer.concat([keyId, signature]).toString('base64')}\n`;
    },
  };
};
