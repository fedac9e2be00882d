/**
 * The metric names a PromQL expression reads: what is left after taking out strings, label
 * matchers, range and subquery brackets, the label lists of `by`/`without`/`on`/`ignoring`/
 * `group_left`/`group_right`, durations and numbers, function names (an identifier before `(`) and
 * keywords.
 */
const KEYWORDS = new Set(['and', 'or', 'unless', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'offset', 'atan2', 'inf', 'nan']);

export const promqlMetricNames = (expr: string): string[] => {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, ' ')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\$\{?\w+\}?/g, ' ')
    // Durations (5m, 1h30m) and numbers (0.99, 1e3).
    .replace(/\b(?:\d+(?:ms|[smhdwy]))+\b|\b\d+(?:\.\d+)?(?:e[+-]?\d+)?\b/gi, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/gi, ' ');
  const names = new Set<string>();
  for (const m of stripped.matchAll(/([A-Za-z_:][A-Za-z0-9_:]*)(\s*\()?/g)) {
    const [, id, call] = m;
    if (call !== undefined || KEYWORDS.has(id!.toLowerCase())) continue;
    names.add(id!);
  }
  return [...names];
};
