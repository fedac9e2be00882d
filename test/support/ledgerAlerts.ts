/** The alerts a ledger holds, and the alerts a from-scratch fold concludes over it: what alert-engine tests compare. */
import { createAlertFold } from '../../src/domain/detectors/alertFold.js';
import { upcastEvent } from '../../src/domain/events/catalogue.js';
import type { Ledger } from '../../src/domain/ports.js';

/** Alert ids in the ledger, by kind, each as often as it was appended. */
export const alertsIn = async (ledger: Ledger): Promise<string[]> =>
  (await ledger.read(0, 1_000_000))
    .filter((e) => e.type === 'AlertRaised' || e.type === 'AlertResolved')
    .map((e) => `${e.type} ${(e.data as { alertId: string }).alertId}`);

/** What one alert fold from position 0 concludes over the ledger's rules and trades. */
export const alertsFromScratch = async (ledger: Ledger, allowedLatenessMs: number): Promise<string[]> => {
  const fold = createAlertFold({ allowedLatenessMs });
  const out: string[] = [];
  for (const raw of await ledger.read(0, 1_000_000)) {
    const e = upcastEvent(raw);
    if (e !== undefined) for (const o of fold.apply(e)) out.push(`${o.type} ${o.data.alertId}`);
  }
  return out;
};
