/**
 * The alert fold's snapshot: restoring what was saved after events A and folding B gives exactly
 * the outputs and the state of folding A and B in one go, wherever A ends (pending trades held
 * by the watermark, open episodes, half-built windows included), through the text codec. A
 * snapshot that is not one (any value, any text, a valid one with one field replaced) is refused
 * with a reason and never throws.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALERT_FOLD_VERSION, createAlertFold, restoreAlertFold, type AlertFold, type AlertOutput } from '../../../src/domain/detectors/alertFold.js';
import { decodeSnapshot, encodeSnapshot } from '../../../src/domain/detectors/snapshotCodec.js';
import type { DomainEvent } from '../../../src/domain/events/catalogue.js';
import { everyDetectorRules, marketArb, ruleEvent, tradeEvents } from '../../support/alertScenarios.js';

const OPTIONS = { allowedLatenessMs: 3_000 };

/** Rules, then the market's trades delivered up to the lateness bound out of order, with a rule retired and one registered mid-way. */
const eventsArb = marketArb.chain((market) =>
  fc.tuple(fc.constant(market), fc.array(fc.integer({ min: 0, max: OPTIONS.allowedLatenessMs }), { minLength: market.length, maxLength: market.length })).map(([m, delays]) => {
    const trades = tradeEvents(m, 10)
      .map((e, i) => ({ e, at: m[i]!.t + delays[i]! }))
      .sort((a, b) => a.at - b.at)
      .map((x) => x.e);
    const middle = trades.length >> 1;
    const retire = { ...ruleEvent(8, 'level', 'price-level', { level: 100 }), type: 'AlertRuleRetired', data: { ruleId: 'level', reason: 'test' } } as DomainEvent;
    const late = ruleEvent(9, 'level-2', 'price-level', { level: 101, direction: 1 }, ['BTC-USDT']);
    return [...everyDetectorRules(), ...trades.slice(0, middle), retire, late, ...trades.slice(middle)];
  }),
);

const cutsArb = (n: number): fc.Arbitrary<number[]> => fc.uniqueArray(fc.integer({ min: 0, max: n }), { maxLength: 4 }).map((c) => c.sort((a, b) => a - b));

const roundTrip = (fold: AlertFold): AlertFold => {
  const decoded = decodeSnapshot(encodeSnapshot(fold.snapshot()));
  if (!decoded.ok) throw new Error(decoded.reason);
  const restored = restoreAlertFold(OPTIONS, decoded.value);
  if (!restored.ok) throw new Error(restored.reason);
  return restored.fold;
};

/** Every path of a JSON value, for replacing one field. */
const pathsOf = (v: unknown, at: Array<string | number> = []): Array<Array<string | number>> => {
  const here = [at];
  if (Array.isArray(v)) return [...here, ...v.flatMap((x, i) => pathsOf(x, [...at, i]))];
  if (typeof v === 'object' && v !== null) return [...here, ...Object.entries(v).flatMap(([k, x]) => pathsOf(x, [...at, k]))];
  return here;
};
const replaced = (v: unknown, path: ReadonlyArray<string | number>, value: unknown): unknown => {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  const copy = (Array.isArray(v) ? [...v] : { ...(v as object) }) as Record<string | number, unknown>;
  copy[head!] = replaced(copy[head!], rest, value);
  return copy;
};

describe('alert fold snapshots', () => {
  it('restore(snapshot after A) then B = A + B: same outputs, same state, for any split points', () => {
    let continuedOutputs = 0;
    let pendingSaved = 0;
    fc.assert(
      fc.property(eventsArb.chain((events) => fc.tuple(fc.constant(events), cutsArb(events.length))), ([events, cuts]) => {
        const whole = createAlertFold(OPTIONS);
        const expected: AlertOutput[] = events.flatMap((e) => whole.apply(e));

        let fold = createAlertFold(OPTIONS);
        const got: AlertOutput[] = [];
        let from = 0;
        for (const cut of [...cuts, events.length]) {
          for (const e of events.slice(from, cut)) {
            const out = fold.apply(e);
            got.push(...out);
            if (from > 0) continuedOutputs += out.length;
          }
          if (cut < events.length) {
            const saved = fold.snapshot() as { order: { pending: unknown[] } };
            if (saved.order.pending.length > 0) pendingSaved++;
            fold = roundTrip(fold);
          }
          from = cut;
        }
        expect(got).toEqual(expected);
        expect(encodeSnapshot(fold.snapshot())).toBe(encodeSnapshot(whole.snapshot()));
        expect(fold.late()).toBe(whole.late());
        expect(fold.activeRules()).toBe(whole.activeRules());
      }),
      { numRuns: 80 },
    );
    // Not vacuous: cuts fell where the watermark was holding trades back, and restored folds concluded alerts.
    expect(pendingSaved).toBeGreaterThan(10);
    expect(continuedOutputs).toBeGreaterThan(10);
  });

  it('a restored fold raises what the saved one had open only once, and resolves it with the same alert id', () => {
    fc.assert(
      fc.property(eventsArb, fc.nat(), (events, seed) => {
        const whole = createAlertFold(OPTIONS);
        const outputs = events.map((e) => whole.apply(e));
        const raised = outputs.flat().filter((o) => o.type === 'AlertRaised');
        fc.pre(raised.length > 0);
        // Cut right after a raise: its episode is open in the snapshot.
        const raiseAt = outputs.findIndex((o) => o.some((x) => x.type === 'AlertRaised' && x.data.alertId === raised[seed % raised.length]!.data.alertId));
        let fold = createAlertFold(OPTIONS);
        for (const e of events.slice(0, raiseAt + 1)) fold.apply(e);
        fold = roundTrip(fold);
        const after = events.slice(raiseAt + 1).flatMap((e) => fold.apply(e));
        expect(after).toEqual(outputs.slice(raiseAt + 1).flat());
      }),
      { numRuns: 40 },
    );
  });

  it('any value that is not a snapshot is refused with a reason, never a throw', () => {
    fc.assert(
      fc.property(fc.anything(), (garbage) => {
        const r = restoreAlertFold(OPTIONS, garbage);
        expect(r.ok).toBe(false);
        if (!r.ok) expect(r.reason).toMatch(/^snapshot /);
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.string(), (text) => {
        const decoded = decodeSnapshot(text);
        if (decoded.ok) expect(restoreAlertFold(OPTIONS, decoded.value).ok).toBe(false);
        else expect(decoded.reason).toMatch(/^not JSON/);
      }),
      { numRuns: 300 },
    );
  });

  it('a valid snapshot with any one field replaced by any value: a reason or a fold, never a throw', () => {
    fc.assert(
      fc.property(eventsArb, fc.nat(), fc.anything(), (events, pick, value) => {
        const fold = createAlertFold(OPTIONS);
        for (const e of events.slice(0, events.length >> 1)) fold.apply(e);
        const saved = fold.snapshot();
        const paths = pathsOf(saved);
        const r = restoreAlertFold(OPTIONS, replaced(saved, paths[pick % paths.length]!, value));
        if (!r.ok) expect(r.reason.length).toBeGreaterThan(10);
      }),
      { numRuns: 300 },
    );
  });

  it('names what is wrong: another fold version, other options, a broken field', () => {
    const fold = createAlertFold(OPTIONS);
    for (const e of [...everyDetectorRules(), ...tradeEvents([{ t: 1_704_067_200_000, price: 99 }, { t: 1_704_067_201_000, price: 101 }, { t: 1_704_067_210_000, price: 101 }])]) fold.apply(e);
    const saved = fold.snapshot() as Record<string, unknown>;
    expect(restoreAlertFold(OPTIONS, { ...saved, version: ALERT_FOLD_VERSION + 1 })).toEqual({ ok: false, reason: `snapshot version: expected ${ALERT_FOLD_VERSION} (this engine's), got ${ALERT_FOLD_VERSION + 1}` });
    expect(restoreAlertFold({ allowedLatenessMs: 10_000 }, saved)).toMatchObject({ ok: false, reason: expect.stringContaining('allowedLatenessMs: expected 10000') });
    const broken = replaced(saved, ['rules', 4, 1, 'detector', 'previous', 0, 1, 5], 'cheap');
    expect(restoreAlertFold(OPTIONS, broken)).toEqual({ ok: false, reason: 'snapshot rules[4][1].detector.previous[0][1].price: expected a finite number, got "cheap"' });
    const badParams = replaced(saved, ['rules', 0, 1, 'rule', 'params', 'k'], -1);
    expect(restoreAlertFold(OPTIONS, badParams)).toMatchObject({ ok: false, reason: expect.stringContaining('rules[0][1].rule.params: expected valid params') });
    expect(restoreAlertFold(OPTIONS, saved).ok).toBe(true);
  });
});
