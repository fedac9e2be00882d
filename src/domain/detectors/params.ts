/**
 * Reading a rule's params: each detector declares its numeric params with a default and a range,
 * and an unknown or out-of-range param is an error that names it, so a bad rule is refused at
 * registration (400) rather than misbehaving later.
 */
export interface NumberParam {
  readonly default: number;
  readonly min: number;
  readonly max: number;
  readonly integer?: boolean;
  readonly help: string;
}

export type ParamSpec = Readonly<Record<string, NumberParam>>;
export type ParamValues<S extends ParamSpec> = { readonly [K in keyof S]: number };

export type ParamsResult<S extends ParamSpec> = { ok: true; value: ParamValues<S> } | { ok: false; reason: string };

export const readParams = <S extends ParamSpec>(detector: string, spec: S, raw: Readonly<Record<string, unknown>>): ParamsResult<S> => {
  for (const name of Object.keys(raw)) {
    if (!(name in spec)) return { ok: false, reason: `params.${name}: ${detector} has no such param (known: ${Object.keys(spec).join(', ')})` };
  }
  const out: Record<string, number> = {};
  for (const [name, p] of Object.entries(spec)) {
    const v = raw[name] ?? p.default;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < p.min || v > p.max || (p.integer === true && !Number.isInteger(v))) {
      return { ok: false, reason: `params.${name}: expected ${p.integer === true ? 'an integer' : 'a number'} in [${p.min}, ${p.max}] (${p.help}), got ${JSON.stringify(v)}` };
    }
    out[name] = v;
  }
  return { ok: true, value: out as ParamValues<S> };
};
