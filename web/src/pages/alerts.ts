/**
 * Alerts: the live feed over /ws/alerts, resuming from the last ledger position seen (so a dropped
 * connection misses nothing and repeats nothing), filters, each alert's evidence, the rule editor
 * (register, retire) and webhook subscriptions with their delivery log.
 */
import { del, get, post, ApiError } from '../api.js';
import { errorBox, h, replace, table } from '../dom.js';
import { num, utc } from '../format.js';
import { LiveSocket } from '../live.js';
import type { Cleanup } from '../page.js';
import type { Alert, AlertFeedMessage, AlertRule, Severity } from './alertTypes.js';

const SEVERITIES: readonly Severity[] = ['info', 'warning', 'critical'];
// Of trades, then of order books (run where ingest runs, over the books).
const DETECTORS = ['flash-move', 'volume-spike', 'divergence', 'stale-feed', 'price-level', 'spoofing', 'book-arbitrage'] as const;
const SHOWN = 200;

interface Subscription {
  readonly subscriptionId: string;
  readonly url: string;
  readonly filter: { symbols?: string[]; severities?: Severity[]; rules?: string[] };
  readonly actor: string;
}
interface Delivery {
  readonly alertId: string;
  readonly attempt: number;
  readonly outcome: string;
  readonly status: number | null;
  readonly error: string | null;
  readonly recordedAt: number;
}

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));
const evidenceView = (evidence: Record<string, unknown>): HTMLElement =>
  h('dl', { class: 'evidence' }, ...Object.entries(evidence).flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, typeof v === 'number' ? num(v, Math.abs(v) < 10 ? 6 : 2) : typeof v === 'string' ? v : JSON.stringify(v))]));

export default async function alertsPage(root: HTMLElement, args: readonly string[]): Promise<Cleanup> {
  const alerts = new Map<string, Alert>();
  let position = 0;
  let selected: string | undefined = args[0];

  const symbolFilter = h('input', { type: 'search', id: 'alert-symbol', placeholder: 'BTC-USDT', 'aria-label': 'Filter by symbol' });
  const severityFilter = h('select', { id: 'alert-severity', 'aria-label': 'Filter by severity' }, h('option', { value: '' }, 'any severity'), ...SEVERITIES.map((s) => h('option', { value: s }, `${s} and above`)));
  const ruleFilter = h('input', { type: 'search', id: 'alert-rule', placeholder: 'rule id', 'aria-label': 'Filter by rule' });
  const feedState = h('span', { class: 'muted', id: 'feed-state' });
  const feedBody = h('tbody', { id: 'alert-feed' });
  const detail = h('section', { class: 'panel', id: 'alert-detail', 'aria-live': 'polite' }, h('p', { class: 'muted' }, 'Choose an alert to see its evidence.'));
  const rulesBox = h('div', { id: 'rules' });
  const subsBox = h('div', { id: 'subscriptions' });

  const ruleForm = ruleEditor(() => void loadRules());
  const subForm = subscriptionForm(() => void loadSubscriptions());
  replace(
    root,
    h('h1', {}, 'Alerts'),
    h('div', { class: 'toolbar' }, symbolFilter, severityFilter, ruleFilter, feedState),
    h(
      'div',
      { class: 'columns wide-left' },
      h('section', {}, h('h2', {}, 'Live feed'), h('div', { class: 'scroll tall' }, h('table', {}, h('thead', {}, h('tr', {}, ...['Severity', 'Symbol', 'Detector', 'Message', 'Event time', 'State'].map((c) => h('th', { scope: 'col' }, c)))), feedBody))),
      detail,
    ),
    h('div', { class: 'columns' }, h('section', {}, h('h2', {}, 'Rules'), ruleForm, rulesBox), h('section', {}, h('h2', {}, 'Webhook subscriptions'), subForm, subsBox)),
  );

  const matches = (a: Alert): boolean => {
    const sym = symbolFilter.value.trim().toUpperCase();
    const sev = severityFilter.value as Severity | '';
    const rule = ruleFilter.value.trim();
    return (sym === '' || a.symbol.includes(sym)) && (sev === '' || SEVERITIES.indexOf(a.severity) >= SEVERITIES.indexOf(sev)) && (rule === '' || a.ruleId.includes(rule));
  };
  const showDetail = (): void => {
    const a = selected === undefined ? undefined : alerts.get(selected);
    if (a === undefined) return;
    replace(
      detail,
      h('h2', {}, `${a.severity}: ${a.symbol}`),
      h('p', {}, a.message),
      h('p', { class: 'muted' }, `Rule ${a.ruleId} (${a.detector}) · event time ${utc(a.eventTime)}${a.position === undefined ? '' : ` · ledger position ${a.position.toLocaleString('en-US')}`}`),
      h('h3', {}, 'Evidence'),
      evidenceView(a.evidence),
      a.resolved ? h('div', {}, h('h3', {}, `Resolved at ${utc(a.resolved.eventTime)}`), evidenceView(a.resolved.evidence)) : null,
      a.position === undefined ? null : h('p', {}, h('a', { href: `#/compliance/${a.position}` }, 'Verify this alert is in the ledger →')),
    );
  };
  const render = (): void => {
    const rows = [...alerts.values()].filter(matches).sort((a, b) => (b.position ?? 0) - (a.position ?? 0)).slice(0, SHOWN);
    replace(
      feedBody,
      ...rows.map((a) =>
        h(
          'tr',
          { 'data-alert': a.alertId, class: a.alertId === selected ? 'selected' : '' },
          h('td', {}, h('span', { class: `sev ${a.severity}` }, a.severity)),
          h('td', {}, h('a', { href: `#/symbol/${encodeURIComponent(a.symbol)}` }, a.symbol)),
          h('td', {}, a.detector),
          h('td', {}, h('button', { type: 'button', class: 'link', onclick: () => select(a.alertId) }, a.message)),
          h('td', {}, utc(a.eventTime)),
          h('td', {}, a.resolved ? 'resolved' : 'open'),
        ),
      ),
    );
    if (rows.length === 0) replace(feedBody, h('tr', {}, h('td', { colspan: '6', class: 'muted' }, alerts.size === 0 ? 'No alerts yet: the alert engine raises one when a rule below fires (the simulator injects a flash crash soon after a first start).' : 'No alert matches the filters.')));
  };
  const select = (id: string): void => {
    selected = id;
    history.replaceState(null, '', `#/alerts/${encodeURIComponent(id)}`);
    render();
    showDetail();
  };
  for (const f of [symbolFilter, severityFilter, ruleFilter]) f.addEventListener('input', render);

  const first = await get<{ alerts: Alert[]; throughPosition: number }>(`/api/v1/alerts?limit=${SHOWN}`);
  for (const a of first.alerts) alerts.set(a.alertId, a);
  position = first.throughPosition;
  if (selected !== undefined && !alerts.has(selected)) {
    const one = await get<Alert>(`/api/v1/alerts/${encodeURIComponent(selected)}`).catch(() => undefined);
    if (one !== undefined) alerts.set(one.alertId, one);
  }
  render();
  showDetail();
  const feed = new LiveSocket(
    () => `/ws/alerts?from=${position}`,
    (m) => {
      const msg = m as AlertFeedMessage;
      if (msg.position <= position) return;
      position = msg.position;
      if (msg.type === 'alert-raised') alerts.set(msg.alert.alertId, { ...msg.alert, position: msg.position, resolved: null });
      else {
        const a = alerts.get(msg.resolution.alertId);
        if (a !== undefined) alerts.set(a.alertId, { ...a, resolved: msg.resolution });
      }
      feedState.textContent = `through ledger position ${position.toLocaleString('en-US')}`;
      render();
      if (selected === (msg.type === 'alert-raised' ? msg.alert.alertId : msg.resolution.alertId)) showDetail();
    },
  );
  feedState.textContent = `through ledger position ${position.toLocaleString('en-US')}`;

  const loadRules = async (): Promise<void> => {
    const { rules } = await get<{ rules: AlertRule[] }>('/api/v1/alert-rules');
    const live = rules.filter((r) => !r.retired);
    replace(
      rulesBox,
      table(
        ['Rule', 'Detector', 'Symbols', 'Severity', 'Parameters', ''],
        live.map((r) => [
          r.ruleId,
          r.detector,
          r.symbols === '*' ? 'all' : r.symbols.join(', '),
          h('span', { class: `sev ${r.severity}` }, r.severity),
          Object.entries(r.params).map(([k, v]) => `${k}=${String(v)}`).join(', ') || 'defaults',
          h('button', { type: 'button', 'data-retire': r.ruleId, onclick: () => void retire(r.ruleId) }, 'Retire'),
        ]),
        { id: 'rules-table' },
      ),
      h('p', { class: 'muted' }, `${live.length.toLocaleString('en-US')} active, ${(rules.length - live.length).toLocaleString('en-US')} retired.`),
    );
  };
  const retire = async (ruleId: string): Promise<void> => {
    try {
      await del(`/api/v1/alert-rules/${encodeURIComponent(ruleId)}?reason=${encodeURIComponent('retired from the dashboard')}`);
      await loadRules();
    } catch (e) {
      rulesBox.prepend(errorBox(`Could not retire ${ruleId}: ${messageOf(e)}`));
    }
  };
  const loadSubscriptions = async (): Promise<void> => {
    try {
      const { subscriptions } = await get<{ subscriptions: Subscription[] }>('/api/v1/subscriptions');
      replace(
        subsBox,
        subscriptions.length === 0
          ? h('p', { class: 'muted' }, 'No webhook yet: add one above to have alerts POSTed to it (signed with its secret).')
          : table(
              ['Subscription', 'URL', 'Filter', ''],
              subscriptions.map((s) => [s.subscriptionId, s.url, JSON.stringify(s.filter), h('button', { type: 'button', onclick: () => void deliveries(s.subscriptionId) }, 'Delivery log')]),
            ),
      );
    } catch (e) {
      replace(subsBox, errorBox(e instanceof ApiError && e.status === 403 ? `Webhook subscriptions: ${e.message}` : messageOf(e)));
    }
  };
  const deliveries = async (id: string): Promise<void> => {
    const log = await get<{ deliveries: Delivery[] }>(`/api/v1/subscriptions/${encodeURIComponent(id)}/deliveries`);
    subsBox.querySelector('.delivery-log')?.remove();
    subsBox.append(
      h(
        'div',
        { class: 'delivery-log' },
        h('h3', {}, `Deliveries of ${id}`),
        log.deliveries.length === 0 ? h('p', { class: 'muted' }, 'No delivery tried yet.') : table(['Alert', 'Attempt', 'Outcome', 'Status', 'Error', 'Recorded'], log.deliveries.map((d) => [d.alertId, d.attempt, d.outcome, d.status ?? '–', d.error ?? '', utc(d.recordedAt)])),
      ),
    );
  };
  await loadRules();
  // Subscriptions are a trader's: ask for the key only when the user opens them.
  replace(subsBox, h('button', { type: 'button', id: 'show-subscriptions', onclick: () => void loadSubscriptions() }, 'Show subscriptions (needs a trader key)'));
  return () => feed.close();
}

/** Register a rule: detector, symbols (or all), severity and parameters as JSON. */
const ruleEditor = (done: () => void): HTMLFormElement => {
  const detector = h('select', { id: 'rule-detector', name: 'detector' }, ...DETECTORS.map((d) => h('option', { value: d }, d)));
  const symbols = h('input', { id: 'rule-symbols', name: 'symbols', placeholder: 'BTC-USDT,ETH-USDT or * for all', required: true, value: '*' });
  const severity = h('select', { id: 'rule-severity', name: 'severity' }, ...SEVERITIES.map((s) => h('option', { value: s, selected: s === 'warning' }, s)));
  const params = h('input', { id: 'rule-params', name: 'params', placeholder: '{"level": 42000}', value: '{}' });
  const ruleId = h('input', { id: 'rule-id', name: 'ruleId', placeholder: 'optional rule id' });
  const message = h('p', { class: 'muted', role: 'status', id: 'rule-message' });
  const form = h(
    'form',
    { class: 'stack', id: 'rule-form' },
    h('label', {}, 'Detector ', detector),
    h('label', {}, 'Symbols ', symbols),
    h('label', {}, 'Severity ', severity),
    h('label', {}, 'Parameters (JSON) ', params),
    h('label', {}, 'Rule id ', ruleId),
    h('button', { class: 'primary', id: 'rule-register' }, 'Register rule'),
    message,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    let parsed: unknown;
    try {
      parsed = JSON.parse(params.value || '{}');
    } catch {
      message.textContent = 'Parameters: not JSON. Write an object such as {"level": 42000}.';
      return;
    }
    const list = symbols.value.trim() === '*' ? '*' : symbols.value.split(',').map((s) => s.trim().toUpperCase()).filter((s) => s !== '');
    const body = { detector: detector.value, symbols: list, severity: severity.value, params: parsed, ...(ruleId.value.trim() === '' ? {} : { ruleId: ruleId.value.trim() }) };
    post<{ ruleId: string; created: boolean }>('/api/v1/alert-rules', body).then(
      (r) => {
        message.textContent = r.created ? `Rule ${r.ruleId} registered.` : `Rule ${r.ruleId} was already registered.`;
        done();
      },
      (err: unknown) => {
        message.textContent = `Not registered: ${messageOf(err)}`;
      },
    );
  });
  return form;
};

/** Add a webhook: a URL, a secret to sign deliveries, an optional severity filter. */
const subscriptionForm = (done: () => void): HTMLFormElement => {
  const url = h('input', { type: 'url', id: 'sub-url', required: true, placeholder: 'https://example.org/hook' });
  const secret = h('input', { type: 'password', id: 'sub-secret', required: true, autocomplete: 'off' });
  const severity = h('select', { id: 'sub-severity' }, h('option', { value: '' }, 'every severity'), ...SEVERITIES.map((s) => h('option', { value: s }, `${s} only`)));
  const message = h('p', { class: 'muted', role: 'status' });
  const form = h('form', { class: 'stack' }, h('label', {}, 'URL ', url), h('label', {}, 'Secret ', secret), h('label', {}, 'Severity ', severity), h('button', {}, 'Add webhook'), message);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    post<{ subscriptionId: string }>('/api/v1/subscriptions', { url: url.value, secret: secret.value, filter: severity.value === '' ? {} : { severities: [severity.value] } }).then(
      (r) => {
        message.textContent = `Subscription ${r.subscriptionId} added.`;
        done();
      },
      (err: unknown) => {
        message.textContent = `Not added: ${messageOf(err)}`;
      },
    );
  });
  return form;
};
