/** Reports: what a historical or compliance report will hold, until the report routes exist. */
import { emptyState, h, replace } from '../dom.js';
import type { Cleanup } from '../page.js';

export default async function reportsPage(root: HTMLElement): Promise<Cleanup> {
  replace(
    root,
    h('h1', {}, 'Reports'),
    emptyState(
      'Reports are not produced yet',
      'A historical report (returns, drawdowns, risk, correlations, seasonality, batch view versions) and a compliance report (events, corrections and their actors, alerts, verification, the signed checkpoint) will be printable here and through `tickvault report --pdf`. Until then: the Risk, Network and Compliance pages show the same figures live.',
    ),
  );
  return () => undefined;
}
