/**
 * The offline verifier for tickvault's ledger proofs: RFC 9162 inclusion and consistency checks,
 * C2SP signed-note checkpoints (Ed25519) and C2SP tlog-proof files. It depends on nothing but
 * node:crypto, so an auditor can read it in a few minutes and run it with no platform and no
 * database. Hashing is RFC 6962: leaf = SHA-256(0x00 ‖ bytes), node = SHA-256(0x01 ‖ left ‖ right).
 */
import { createHash, createPublicKey, verify as verifySignature, type KeyObject } from 'node:crypto';

export type Verdict<T = object> = ({ ok: true } & T) | { ok: false; reason: string };

const HASH_BYTES = 32;
const sha256 = (...parts: Uint8Array[]): Buffer => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};
export const leafHashOf = (bytes: Uint8Array): Buffer => sha256(Buffer.from([0]), bytes);
const node = (left: Uint8Array, right: Uint8Array): Buffer => sha256(Buffer.from([1]), left, right);
const fail = (reason: string): { ok: false; reason: string } => ({ ok: false, reason });

/** RFC 9162 §2.1.3.2: does `proof` take `leafHash` at `index` to `root` in a tree of `size` leaves? */
export const verifyInclusion = (index: number, size: number, leafHash: Uint8Array, proof: readonly Uint8Array[], root: Uint8Array): Verdict => {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) {
    return fail(`leaf index ${index} is outside a tree of ${size} leaves`);
  }
  if (leafHash.length !== HASH_BYTES || root.length !== HASH_BYTES) return fail('leaf hash and root must be 32-byte SHA-256 hashes');
  let fn = BigInt(index);
  let sn = BigInt(size - 1);
  let r: Uint8Array = leafHash;
  for (const p of proof) {
    if (p.length !== HASH_BYTES) return fail('a proof hash is not 32 bytes');
    if (sn === 0n) return fail('the proof is longer than the path to the root');
    if ((fn & 1n) === 1n || fn === sn) {
      r = node(p, r);
      while ((fn & 1n) === 0n && fn !== 0n) {
        fn >>= 1n;
        sn >>= 1n;
      }
    } else {
      r = node(r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  if (sn !== 0n) return fail('the proof is shorter than the path to the root');
  return Buffer.compare(Buffer.from(r), Buffer.from(root)) === 0 ? { ok: true } : fail('the proof does not lead to the root');
};

/** RFC 9162 §2.1.4.2: is the tree (size2, root2) an append-only extension of (size1, root1)? */
export const verifyConsistency = (size1: number, size2: number, proof: readonly Uint8Array[], root1: Uint8Array, root2: Uint8Array): Verdict => {
  if (!Number.isSafeInteger(size1) || !Number.isSafeInteger(size2) || size1 < 0 || size2 < size1) {
    return fail(`no consistency from size ${size1} to size ${size2}`);
  }
  if (size1 === 0) return fail('every tree extends the empty one: a proof from size 0 proves nothing');
  if (size1 === size2) {
    if (proof.length > 0) return fail('trees of equal size need an empty proof');
    return Buffer.compare(Buffer.from(root1), Buffer.from(root2)) === 0 ? { ok: true } : fail('trees of equal size have different roots');
  }
  if (proof.length === 0) return fail('the proof is empty');
  if (proof.some((p) => p.length !== HASH_BYTES)) return fail('a proof hash is not 32 bytes');
  const path = Number.isInteger(Math.log2(size1)) ? [root1, ...proof] : [...proof];
  let fn = BigInt(size1 - 1);
  let sn = BigInt(size2 - 1);
  while ((fn & 1n) === 1n) {
    fn >>= 1n;
    sn >>= 1n;
  }
  let fr: Uint8Array = path[0]!;
  let sr: Uint8Array = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0n) return fail('the proof is longer than it should be');
    if ((fn & 1n) === 1n || fn === sn) {
      fr = node(c, fr);
      sr = node(c, sr);
      while ((fn & 1n) === 0n && fn !== 0n) {
        fn >>= 1n;
        sn >>= 1n;
      }
    } else {
      sr = node(sr, c);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  if (sn !== 0n) return fail('the proof is shorter than it should be');
  if (Buffer.compare(Buffer.from(fr), Buffer.from(root1)) !== 0) return fail('the proof does not lead to the old root');
  if (Buffer.compare(Buffer.from(sr), Buffer.from(root2)) !== 0) return fail('the proof does not lead to the new root');
  return { ok: true };
};

/** Strict standard base64 (RFC 4648 §4): what encodes back to the same text. */
const base64 = (text: string): Buffer | undefined => {
  const b = Buffer.from(text, 'base64');
  return b.toString('base64') === text ? b : undefined;
};

export interface Checkpoint {
  readonly origin: string;
  readonly size: number;
  readonly root: Buffer;
  /** Extension lines after the root (tickvault writes `time <epoch ms>`). */
  readonly extensions: readonly string[];
  /** The signed text: the body lines, each ending in a newline. */
  readonly text: string;
}

/** A verifier key as the C2SP signed-note ecosystem writes it: `<name>+<key id hex>+<base64(0x01 ‖ public key)>`. */
export interface VerifierKey {
  readonly name: string;
  readonly id: Buffer;
  readonly key: KeyObject;
}

const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export const keyIdOf = (name: string, publicKey: Uint8Array): Buffer =>
  sha256(Buffer.from(`${name}\n`, 'utf8'), Buffer.from([0x01]), publicKey).subarray(0, 4);

export const parseVerifierKey = (text: string): Verdict<{ key: VerifierKey }> => {
  // Split at the first two '+' only: standard base64 of the key may itself contain '+'.
  const m = /^([^+]+)\+([0-9a-f]{8})\+(\S+)$/.exec(text.trim());
  if (m === null) return fail('a verifier key is <name>+<key id hex>+<base64 key>');
  const [, name, idHex, keyB64] = m as unknown as [string, string, string, string];
  const raw = base64(keyB64);
  if (raw === undefined || raw.length !== 33 || raw[0] !== 0x01) return fail('the verifier key is not an Ed25519 key (0x01 ‖ 32 bytes, base64)');
  const publicKey = raw.subarray(1);
  const id = keyIdOf(name, publicKey);
  if (id.toString('hex') !== idHex) return fail('the verifier key\'s id does not match its name and key');
  const key = createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' });
  return { ok: true, key: { name, id, key } };
};

/** Checks a C2SP signed-note checkpoint against one trusted key and parses its body. */
export const verifyCheckpoint = (note: string, key: VerifierKey): Verdict<{ checkpoint: Checkpoint }> => {
  if ([...note].some((ch) => ch < ' ' && ch !== '\n')) return fail('the checkpoint holds control characters');
  const split = note.lastIndexOf('\n\n');
  if (split < 0 || !note.endsWith('\n')) return fail('the checkpoint has no signature block');
  const text = note.slice(0, split + 1);
  const signatures = note.slice(split + 2, -1).split('\n');
  let verified = false;
  for (const line of signatures) {
    const m = /^\u2014 (\S+) (\S+)$/.exec(line);
    if (m === null) return fail(`not a signature line: ${JSON.stringify(line.slice(0, 80))}`);
    const sig = base64(m[2]!);
    if (sig === undefined || sig.length < 5) return fail('a signature is not base64 of a key id and a signature');
    if (m[1] !== key.name || !sig.subarray(0, 4).equals(key.id)) continue; // another key's signature: ignored, as the spec says
    if (!verifySignature(null, Buffer.from(text, 'utf8'), key.key, sig.subarray(4))) return fail(`the signature by ${key.name} does not verify`);
    verified = true;
  }
  if (!verified) return fail(`the checkpoint carries no signature by ${key.name}`);
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) return fail('a checkpoint body has an origin, a size and a root');
  const [origin, sizeText, rootText, ...extensions] = lines as [string, string, string, ...string[]];
  if (origin === '' || !/^(0|[1-9][0-9]*)$/.test(sizeText)) return fail('the checkpoint\'s origin or size is malformed');
  const root = base64(rootText);
  if (root === undefined || root.length !== HASH_BYTES) return fail('the checkpoint\'s root is not a base64 SHA-256 hash');
  const size = Number(sizeText);
  if (!Number.isSafeInteger(size)) return fail('the checkpoint\'s size is too large');
  return { ok: true, checkpoint: { origin, size, root, extensions, text } };
};

export interface TlogProof {
  readonly extra: Buffer | undefined;
  readonly index: number;
  readonly path: readonly Buffer[];
  readonly checkpointNote: string;
}

/** Parses a C2SP tlog-proof file (`c2sp.org/tlog-proof@v1`, optional `extra`, `index`, hashes, blank line, checkpoint). */
export const parseTlogProof = (text: string): Verdict<{ proof: TlogProof }> => {
  const lines = text.split('\n');
  if (lines[0] !== 'c2sp.org/tlog-proof@v1') return fail('not a c2sp.org/tlog-proof@v1 file');
  let i = 1;
  let extra: Buffer | undefined;
  if (lines[i]?.startsWith('extra ')) {
    extra = base64(lines[i]!.slice('extra '.length));
    if (extra === undefined) return fail('the extra line is not base64');
    i++;
  }
  const indexMatch = /^index (0|[1-9][0-9]*)$/.exec(lines[i] ?? '');
  if (indexMatch === null) return fail('the index line is missing or malformed');
  const index = Number(indexMatch[1]);
  i++;
  const path: Buffer[] = [];
  for (; i < lines.length && lines[i] !== ''; i++) {
    const h = base64(lines[i]!);
    if (h === undefined || h.length !== HASH_BYTES) return fail(`proof line ${i + 1} is not a base64 SHA-256 hash`);
    path.push(h);
  }
  if (lines[i] !== '') return fail('the checkpoint is missing after the proof hashes');
  return { ok: true, proof: { extra, index, path, checkpointNote: lines.slice(i + 1).join('\n') } };
};

/**
 * Verifies a tickvault proof file: the checkpoint is signed by the given key, and the entry (the
 * event's canonical bytes, carried in `extra`) is in the checkpointed tree at `index`.
 */
export const verifyProofFile = (text: string, verifierKey: string): Verdict<{ index: number; checkpoint: Checkpoint; entry: Buffer }> => {
  const key = parseVerifierKey(verifierKey);
  if (!key.ok) return key;
  const parsed = parseTlogProof(text);
  if (!parsed.ok) return parsed;
  const { proof } = parsed;
  if (proof.extra === undefined) return fail('the proof carries no entry bytes (extra line)');
  const cp = verifyCheckpoint(proof.checkpointNote, key.key);
  if (!cp.ok) return cp;
  const inclusion = verifyInclusion(proof.index, cp.checkpoint.size, leafHashOf(proof.extra), proof.path, cp.checkpoint.root);
  if (!inclusion.ok) return inclusion;
  return { ok: true, index: proof.index, checkpoint: cp.checkpoint, entry: proof.extra };
};
