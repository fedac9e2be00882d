/** Reads Prometheus text exposition (what /metrics answers) into metric families, for tests. */
export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface MetricFamily {
  readonly name: string;
  readonly type: string;
  readonly help: string;
  readonly samples: Sample[];
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** The family a sample belongs to: histogram and summary samples carry a suffix. */
const familyOf = (families: Map<string, MetricFamily>, sample: string): MetricFamily | undefined =>
  families.get(sample) ?? families.get(sample.replace(/_(bucket|sum|count)$/, ''));

export const parseExposition = (text: string): Map<string, MetricFamily> => {
  const families = new Map<string, MetricFamily>();
  const helps = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const meta = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
    if (meta !== null) {
      const [, kind, name, rest] = meta as unknown as [string, string, string, string];
      if (kind === 'HELP') helps.set(name, rest);
      else families.set(name, { name, type: rest, help: helps.get(name) ?? '', samples: [] });
      continue;
    }
    const m = SAMPLE.exec(line);
    if (m === null) throw new Error(`not a Prometheus sample line: ${JSON.stringify(line)}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(LABEL)) labels[l[1]!] = l[2]!;
    const family = familyOf(families, m[1]!);
    if (family === undefined) throw new Error(`sample ${m[1]} has no # TYPE line before it`);
    family.samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return families;
};

/** The value of the sample `name` whose labels include `labels` (0 when there is none yet). */
export const valueOf = (families: Map<string, MetricFamily>, name: string, labels: Record<string, string> = {}): number => {
  const family = familyOf(families, name);
  const sample = family?.samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  return sample?.value ?? 0;
};
