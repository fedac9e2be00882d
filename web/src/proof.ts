/**
 * Inclusion proofs checked in the browser with WebCrypto alone, each step reported: the
 * verifier key's id, the checkpoint's Ed25519 signature (C2SP signed note), its size and root, the
 * event's leaf hash (RFC 6962: SHA-256(0x00 ‖ bytes)) and the audit path up to the signed root
 * (RFC 9162 §2.1.3.2). The same checks as the offline verifier the CLI ships, written for a page.
 */
export interface InclusionProof {
  readonly position: number;
  readonly leafIndex: number;
  readonly eventBytes: string;
  readonly path: readonly string[];
  readonly checkpoint: { readonly size: number; readonly root: string; readonly time: number; readonly note: string };
}

export interface Step {
  readonly label: string;
  readonly ok: boolean;
  readonly detail: string;
}

const utf8 = (s: string): Uint8Array<ArrayBuffer> => new TextEncoder().encode(s);
const concat = (...parts: Uint8Array[]): Uint8Array<ArrayBuffer> => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};
const sha256 = async (...parts: Uint8Array[]): Promise<Uint8Array> => new Uint8Array(await crypto.subtle.digest('SHA-256', concat(...parts)));
export const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const fromHex = (s: string): Uint8Array => {
  if (!/^([0-9a-f]{2})*$/i.test(s)) throw new Error(`not hex: ${s.slice(0, 16)}…`);
  return new Uint8Array((s.match(/../g) ?? []).map((x) => parseInt(x, 16)));
};
/** Strict base64: undefined unless it encodes back to the same text. */
const fromBase64 = (s: string): Uint8Array | undefined => {
  try {
    const bin = atob(s);
    const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
    return btoa(bin) === s ? bytes : undefined;
  } catch {
    return undefined;
  }
};
const equal = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/** RFC 9162 §2.1.3.2: the root the path leads to from `leaf` at `index` in a tree of `size` leaves, or why there is none. */
export const rootFromPath = async (index: number, size: number, leaf: Uint8Array, path: readonly Uint8Array[]): Promise<Uint8Array | string> => {
  if (index < 0 || index >= size) return `leaf index ${index} is outside a tree of ${size} leaves`;
  let fn = BigInt(index);
  let sn = BigInt(size - 1);
  let r = leaf;
  for (const p of path) {
    if (p.length !== 32) return 'a proof hash is not 32 bytes';
    if (sn === 0n) return 'the proof is longer than the path to the root';
    if ((fn & 1n) === 1n || fn === sn) {
      r = await sha256(new Uint8Array([1]), p, r);
      while ((fn & 1n) === 0n && fn !== 0n) {
        fn >>= 1n;
        sn >>= 1n;
      }
    } else {
      r = await sha256(new Uint8Array([1]), r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return sn === 0n ? r : 'the proof is shorter than the path to the root';
};

/** Every step, in order, stopping at the first that fails; the proof verifies when the last step is ok. */
export const verifyInclusionInBrowser = async (proof: InclusionProof, verifierKey: string): Promise<Step[]> => {
  const steps: Step[] = [];
  const step = (label: string, ok: boolean, detail: string): boolean => {
    steps.push({ label, ok, detail });
    return ok;
  };

  const m = /^([^+]+)\+([0-9a-f]{8})\+(\S+)$/.exec(verifierKey.trim());
  const raw = m === null ? undefined : fromBase64(m[3]!);
  if (!step('Verifier key', m !== null && raw !== undefined && raw.length === 33 && raw[0] === 1, m === null ? 'not <name>+<key id>+<base64 key>' : `${m[1]} (Ed25519)`)) return steps;
  const [name, idHex] = [m![1]!, m![2]!];
  const publicKey = raw!.subarray(1);
  const id = (await sha256(utf8(`${name}\n`), new Uint8Array([1]), publicKey)).subarray(0, 4);
  if (!step('Key id = SHA-256(name ‖ 0x01 ‖ key)[0..4]', hex(id) === idHex, `${hex(id)} ${hex(id) === idHex ? '=' : '≠'} ${idHex}`)) return steps;

  const note = proof.checkpoint.note;
  const split = note.lastIndexOf('\n\n');
  const text = note.slice(0, split + 1);
  const signatures = split < 0 ? [] : note.slice(split + 2, -1).split('\n');
  const mine = signatures
    .map((line) => /^\u2014 (\S+) (\S+)$/.exec(line))
    .map((s) => (s === null || s[1] !== name ? undefined : fromBase64(s[2]!)))
    .find((sig) => sig !== undefined && sig.length > 4 && hex(sig.subarray(0, 4)) === idHex);
  if (!step('Checkpoint carries a signature by that key', mine !== undefined, mine === undefined ? 'no signature line by this key' : `signed note of ${text.split('\n').length - 1} lines`)) return steps;
  const key = await crypto.subtle.importKey('raw', concat(publicKey), { name: 'Ed25519' }, false, ['verify']);
  const signed = await crypto.subtle.verify({ name: 'Ed25519' }, key, concat(mine!.subarray(4)), utf8(text));
  if (!step('Ed25519 signature over the checkpoint', signed, signed ? 'valid' : 'the signature does not verify')) return steps;

  const [, sizeText = '', rootText = ''] = text.split('\n');
  const root = fromBase64(rootText);
  const size = Number(sizeText);
  const bodyOk = root !== undefined && root.length === 32 && size === proof.checkpoint.size && hex(root) === proof.checkpoint.root;
  if (!step('Signed size and root match the proof', bodyOk, `size ${size.toLocaleString('en-US')}, root ${root === undefined ? '?' : hex(root).slice(0, 16)}…`)) return steps;

  const leaf = await sha256(new Uint8Array([0]), utf8(proof.eventBytes));
  step('Leaf hash = SHA-256(0x00 ‖ event bytes)', true, `${hex(leaf).slice(0, 16)}… (${utf8(proof.eventBytes).length.toLocaleString('en-US')} bytes)`);
  let path: Uint8Array[];
  try {
    path = proof.path.map(fromHex);
  } catch (e) {
    step('Audit path', false, e instanceof Error ? e.message : String(e));
    return steps;
  }
  const computed = await rootFromPath(proof.leafIndex, size, leaf, path);
  if (typeof computed === 'string') {
    step(`Audit path (${path.length} hashes) to the root`, false, computed);
    return steps;
  }
  const matches = equal(computed, root!);
  step(`Audit path (${path.length} hashes) to the root`, matches, matches ? `leads to the signed root ${hex(computed).slice(0, 16)}…` : `leads to ${hex(computed).slice(0, 16)}…, not the signed root: the event or the path was altered`);
  return steps;
};
