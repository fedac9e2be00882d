/**
 * Compliance: a symbol replayed as recorded at T beside what is true now, differences
 * highlighted; the ledger's verification status and newest signed checkpoint; and any event's
 * inclusion proof fetched and verified here in the browser (WebCrypto), step by step, with a
 * tampered copy to show what a rejection looks like.
 */
import { get } from '../api.js';
import { errorBox, h, replace } from '../dom.js';
import { num, price, utc } from '../format.js';
import { every, type Cleanup } from '../page.js';
import { verifyInclusionInBrowser, type InclusionProof, type Step } from '../proof.js';

interface SymbolState {
  readonly throughPosition: number;
  readonly trades: number;
  readonly candles: number;
  readonly lastByExchange: Record<string, { price: string; eventTime: number; tradeId: string | null; position: number }>;
  readonly dayToT: { open: number; high: number; low: number; close: number; volume: number; trades: number } | null;
  readonly correctionsApplied: { correctionId: string; position: number }[];
}
interface Replay {
  readonly symbol: string;
  readonly asOf: number;
  readonly day: string;
  readonly asRecorded: SymbolState;
  readonly validNow: SymbolState;
  readonly correctedSince: { correctionId: string; position: number; action: string; target: { exchange: string; tradeId: string }; reason: string }[];
  readonly lateArrivals: number;
}
interface Checkpoint {
  readonly size: number;
  readonly root: string;
  readonly time: number;
  readonly note: string;
}
interface Verification {
  readonly ok: boolean;
  readonly state?: string;
  readonly progress?: { verified: number; total: number };
  readonly lastVerified?: { size: number; verifiedAt: number } | null;
  readonly failure?: { position: number; reason: string };
}

/** The rows of the side-by-side replay: a label and the text of each side. */
const replayRows = (r: Replay): [string, string, string][] => {
  const rows: [string, string, string][] = [
    ['Trades folded', num(r.asRecorded.trades, 0), num(r.validNow.trades, 0)],
    ['Exchange candles folded', num(r.asRecorded.candles, 0), num(r.validNow.candles, 0)],
  ];
  const day = (s: SymbolState, k: 'open' | 'high' | 'low' | 'close'): string => (s.dayToT === null ? '–' : price(s.dayToT[k]));
  for (const k of ['open', 'high', 'low', 'close'] as const) rows.push([`Day ${k}`, day(r.asRecorded, k), day(r.validNow, k)]);
  rows.push(['Day volume', num(r.asRecorded.dayToT?.volume, 4), num(r.validNow.dayToT?.volume, 4)]);
  rows.push(['Day trades', num(r.asRecorded.dayToT?.trades, 0), num(r.validNow.dayToT?.trades, 0)]);
  const exchanges = [...new Set([...Object.keys(r.asRecorded.lastByExchange), ...Object.keys(r.validNow.lastByExchange)])].sort();
  for (const ex of exchanges) {
    const side = (s: SymbolState): string => {
      const l = s.lastByExchange[ex];
      return l === undefined ? '–' : `${price(l.price)} (${l.tradeId === null ? 'candle close' : `trade ${l.tradeId}`}, position ${l.position})`;
    };
    rows.push([`Last on ${ex}`, side(r.asRecorded), side(r.validNow)]);
  }
  const corrections = (s: SymbolState): string => s.correctionsApplied.map((c) => `${c.correctionId} (position ${c.position})`).join(', ') || 'none';
  rows.push(['Corrections applied', corrections(r.asRecorded), corrections(r.validNow)]);
  return rows;
};

export default async function compliancePage(root: HTMLElement, args: readonly string[]): Promise<Cleanup> {
  const status = h('div', { id: 'ledger-status', class: 'panel' }, 'Reading the ledger status…');
  const symbol = h('select', { id: 'replay-symbol', 'aria-label': 'Symbol' });
  const asOf = h('input', { id: 'replay-asof', 'aria-label': 'As of (UTC, ISO-8601)', value: new Date(Date.now() - 60_000).toISOString().slice(0, 19) + 'Z', size: 24 });
  const replayOut = h('div', { id: 'replay-result' });
  const replayForm = h('form', { class: 'toolbar', id: 'replay-form' }, h('label', {}, 'Symbol ', symbol), h('label', {}, 'As of (UTC) ', asOf), h('button', { class: 'primary' }, 'Replay'));
  const proofInput = h('input', { id: 'proof-input', 'aria-label': 'Event id or ledger position', placeholder: 'event id or ledger position', size: 40, value: args[0] ?? '' });
  const proofSteps = h('ol', { id: 'proof-steps', class: 'steps' });
  const verdict = h('p', { id: 'proof-verdict', role: 'status' });
  const tamper = h('button', { type: 'button', id: 'proof-tamper', disabled: true }, 'Verify a tampered copy');
  const proofForm = h('form', { class: 'toolbar', id: 'proof-form' }, proofInput, h('button', { class: 'primary', id: 'proof-verify' }, 'Fetch proof and verify'), tamper);
  replace(
    root,
    h('h1', {}, 'Compliance'),
    h('section', {}, h('h2', {}, 'Ledger'), status),
    h('section', {}, h('h2', {}, 'Replay as recorded at T, beside now'), replayForm, replayOut),
    h('section', {}, h('h2', {}, 'Inclusion proof, verified in this browser'), h('p', { class: 'muted' }, 'Paste an event id or a ledger position (or follow “verify” from an alert). The page checks the signed checkpoint with Ed25519 and the audit path with SHA-256 itself; nothing is trusted from the server but the bytes.'), proofForm, verdict, proofSteps),
  );

  const showStatus = async (): Promise<void> => {
    const [v, checkpoint, key] = await Promise.all([
      get<Verification>('/api/v1/ledger/verify').catch((e: unknown) => (e instanceof Error && 'body' in e ? ((e as { body: Verification }).body ?? null) : null)),
      get<Checkpoint>('/api/v1/ledger/checkpoint').catch(() => null),
      get<{ verifierKey: string }>('/api/v1/ledger/public-key'),
    ]);
    const verified =
      v === null ? 'verification status unavailable' : !v.ok ? `BROKEN at position ${v.failure?.position.toLocaleString('en-US')}: ${v.failure?.reason}` : v.lastVerified ? `verified through ${v.lastVerified.size.toLocaleString('en-US')} events at ${utc(v.lastVerified.verifiedAt)}${v.state === 'verifying' && v.progress ? ` (verifying ${v.progress.verified.toLocaleString('en-US')} / ${v.progress.total.toLocaleString('en-US')})` : ''}` : 'verifying…';
    replace(
      status,
      h('p', { class: v?.ok === false ? 'down' : 'up', id: 'verify-state' }, `Ledger ${verified}`),
      checkpoint === null
        ? h('p', { class: 'muted' }, 'No signed checkpoint yet: the ledger signs one with its first event.')
        : h('div', {}, h('p', {}, `Latest signed checkpoint: ${checkpoint.size.toLocaleString('en-US')} events at ${utc(checkpoint.time)}, root `, h('code', {}, checkpoint.root)), h('details', {}, h('summary', {}, 'Signed note'), h('pre', { id: 'checkpoint-note' }, checkpoint.note))),
      h('p', { class: 'muted' }, 'Verifier key ', h('code', { id: 'verifier-key' }, key.verifierKey)),
    );
  };

  const runReplay = async (): Promise<void> => {
    const t = Date.parse(asOf.value);
    if (Number.isNaN(t)) {
      replace(replayOut, errorBox('As of: not a date. Write an ISO-8601 time such as 2024-01-01T12:00:00Z.'));
      return;
    }
    const r = await get<Replay>(`/api/v1/compliance/replay?symbol=${encodeURIComponent(symbol.value)}&asOf=${t}`);
    const rows = replayRows(r);
    const differing = rows.filter(([, a, b]) => a !== b).length;
    replace(
      replayOut,
      h('p', {}, `${r.symbol}, day ${r.day}, as of ${utc(r.asOf)}: recorded through ledger position ${r.asRecorded.throughPosition.toLocaleString('en-US')}; ${differing === 0 ? 'nothing differs now' : `${differing} figure(s) differ now`}; ${r.lateArrivals.toLocaleString('en-US')} late arrival(s) recorded after T.`),
      h(
        'table',
        { class: 'replay' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, ''), h('th', { scope: 'col' }, `As recorded at ${utc(r.asOf)}`), h('th', { scope: 'col' }, 'True now'))),
        h('tbody', {}, ...rows.map(([label, a, b]) => h('tr', { class: a === b ? '' : 'diff', 'data-differs': String(a !== b) }, h('th', { scope: 'row' }, label), h('td', {}, a), h('td', {}, b)))),
      ),
      r.correctedSince.length === 0
        ? h('p', { class: 'muted' }, 'No correction since T changes what was known then.')
        : h('div', {}, h('h3', {}, 'Corrections since T'), h('ul', { id: 'corrections-since' }, ...r.correctedSince.map((c) => h('li', {}, `${c.correctionId}: ${c.action} trade ${c.target.tradeId} on ${c.target.exchange} (${c.reason}) `, h('button', { type: 'button', class: 'link', onclick: () => void proveEvent(String(c.position)) }, 'verify'))))),
    );
  };
  replayForm.addEventListener('submit', (e) => {
    e.preventDefault();
    runReplay().catch((err: unknown) => replace(replayOut, errorBox(err instanceof Error ? err.message : String(err))));
  });

  let proof: InclusionProof | null = null;
  let verifierKey = '';
  const showSteps = (steps: Step[], what: string): void => {
    const ok = steps.length > 0 && steps.every((s) => s.ok);
    verdict.textContent = ok ? `✔ ${what} verified: the event is in the signed ledger.` : `✘ ${what} rejected: ${steps.find((s) => !s.ok)?.detail ?? 'no step ran'}.`;
    verdict.className = ok ? 'up verdict' : 'down verdict';
    verdict.dataset['verdict'] = ok ? 'verified' : 'rejected';
    replace(proofSteps, ...steps.map((s) => h('li', { class: s.ok ? 'ok' : 'bad' }, h('strong', {}, `${s.ok ? '✔' : '✘'} ${s.label}`), h('span', {}, ` ${s.detail}`))));
  };
  const proveEvent = async (idOrPosition: string): Promise<void> => {
    proofInput.value = idOrPosition;
    const q = /^[1-9][0-9]*$/.test(idOrPosition.trim()) ? `position=${idOrPosition.trim()}` : `event=${encodeURIComponent(idOrPosition.trim())}`;
    try {
      verifierKey = (await get<{ verifierKey: string }>('/api/v1/ledger/public-key')).verifierKey;
      proof = await get<InclusionProof>(`/api/v1/ledger/proofs/inclusion?${q}`);
      showSteps(await verifyInclusionInBrowser(proof, verifierKey), `Position ${proof.position.toLocaleString('en-US')}`);
      tamper.disabled = false;
    } catch (e) {
      verdict.textContent = `No proof: ${e instanceof Error ? e.message : String(e)}`;
      verdict.dataset['verdict'] = 'error';
      proofSteps.replaceChildren();
    }
  };
  proofForm.addEventListener('submit', (e) => {
    e.preventDefault();
    void proveEvent(proofInput.value);
  });
  tamper.addEventListener('click', () => {
    if (proof === null) return;
    // One character of the event changed: its leaf hash changes, so the path no longer reaches the signed root.
    const bytes = proof.eventBytes;
    const at = Math.max(0, bytes.search(/[0-9]/));
    const changed = bytes.slice(0, at) + (bytes[at] === '1' ? '2' : '1') + bytes.slice(at + 1);
    void verifyInclusionInBrowser({ ...proof, eventBytes: changed }, verifierKey).then((steps) => showSteps(steps, 'Tampered copy'));
  });

  const { symbols } = await get<{ symbols: string[] }>('/api/v1/symbols');
  replace(symbol, ...symbols.map((s) => h('option', { value: s }, s)));
  const stop = every(30_000, () => showStatus().catch((e: unknown) => replace(status, errorBox(e instanceof Error ? e.message : String(e)))));
  if (args[0] !== undefined) void proveEvent(args[0]);
  return stop;
}
