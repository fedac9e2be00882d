/**
 * Reading a rule's params: each detector declares its numeric params with a default (none when
 * the rule must give it) and a sane range, and an unknown, missing or out-of-range param is an
 * error that names it and its range, so a bad rule is refused at registration (400) rather than
 * misbehaving later.
 *
 * Ranges may tighten over time; a rule the ledger already holds was valid when it was recorded
 * and keeps running as recorded (`readRecordedParams`, which takes a tightened param's former
 * range), so a replay of old history never stops at it.
 */
import { clipText, describeValue } from '../validation.js';

export interface NumberParam {
  /** Absent: the rule must give this param. */
  readonly default?: number;
  readonly min: number;
  readonly max: number;
  readonly integer?: boolean;
  /** The name of a param this one may not exceed (a minimum count of windows within the history kept, say); new rules only. */
  readonly atMost?: string;
  /** The range before it was tightened: rules recorded then keep running. */
  readonly formerly?: { readonly min: number; readonly max: number };
  readonly help: string;
}

export type ParamSpec = Readonly<Record<string, NumberParam>>;
export type ParamValues<S extends ParamSpec> = { readonly [K in keyof S]: number };

export type ParamsResult<S extends ParamSpec> = { ok: true; value: ParamValues<S> } | { ok: false; reason: string };

const unknownParam = (detector: string, spec: ParamSpec, raw: Readonly<Record<string, unknown>>): string | undefined => {
  const name = Object.keys(raw).find((n) => !(n in spec));
  return name === undefined ? undefined : `params.${clipText(name)}: ${detector} has no such param (known: ${Object.keys(spec).join(', ')})`;
};

const readValues = (spec: ParamSpec, raw: Readonly<Record<string, unknown>>, recorded: boolean): { ok: true; value: Record<string, number> } | { ok: false; reason: string } => {
  const out: Record<string, number> = {};
  for (const [name, p] of Object.entries(spec)) {
    const v = raw[name] ?? p.default;
    const { min, max } = recorded ? (p.formerly ?? p) : p;
    const expected = `${p.integer === true ? 'an integer' : 'a number'} from ${min} to ${max} (${p.help})`;
    if (v === undefined) return { ok: false, reason: `params.${name}: required, ${expected}` };
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max || (p.integer === true && !Number.isInteger(v))) {
      return { ok: false, reason: `params.${name}: expected ${expected}, got ${describeValue(v)}` };
    }
    out[name] = v;
  }
  return { ok: true, value: out };
};

/** Checks a new rule's params against the declared ranges, filling in defaults: what registration accepts. */
export const readParams = <S extends ParamSpec>(detector: string, spec: S, raw: Readonly<Record<string, unknown>>): ParamsResult<S> => {
  const unknown = unknownParam(detector, spec, raw);
  if (unknown !== undefined) return { ok: false, reason: unknown };
  const read = readValues(spec, raw, false);
  if (!read.ok) return read;
  for (const [name, p] of Object.entries(spec)) {
    if (p.atMost !== undefined && read.value[name]! > read.value[p.atMost]!) {
      return { ok: false, reason: `params.${name}: at most params.${p.atMost} (${read.value[p.atMost]}), got ${read.value[name]}` };
    }
  }
  return { ok: true, value: read.value as ParamValues<S> };
};

/** A recorded rule's params (registration stored them with defaults filled in), against the ranges of its day. */
export const readRecordedParams = <S extends ParamSpec>(detector: string, spec: S, raw: Readonly<Record<string, unknown>>): ParamsResult<S> => {
  const unknown = unknownParam(detector, spec, raw);
  if (unknown !== undefined) return { ok: false, reason: unknown };
  const read = readValues(spec, raw, true);
  return read.ok ? { ok: true, value: read.value as ParamValues<S> } : read;
};
