/**
 * WebSocket /ws/alerts?symbols=&severity=&rule=&from=<ledger position>: every alert raised or
 * resolved after `from`, in ledger order, then live — none missing, none repeated.
 *
 * What goes out always comes from this process's alert book, which its feed fills in ledger order
 * with no gap; a broadcast only says "there is more". Why not send the broadcast message itself:
 * on the cluster every API process's feed publishes every alert on the shared Redis channel, so a
 * message from a process whose feed is ahead can arrive before this process's earlier ones, and
 * sending it would skip them. Why no gap: the route subscribes before it reads the book, and the
 * local feed publishes each alert after indexing it, so whatever the book lacks at first brings a
 * broadcast once it is there. Why no repeat: every message carries its ledger position and
 * nothing at or below the last one sent goes out. A reconnecting client passes the last position
 * it saw as `from`.
 */
import type { FastifyInstance } from 'fastify';
import type { HttpPlatform } from '../httpPlatform.js';
import type { AlertFeedMessage } from '../../../domain/ports.js';
import { parseInteger, parseSymbol } from '../params.js';
import { QUERY_TEXT, text } from '../schemas/common.js';
import { upgradeRequired, WEBSOCKET_KEY, websocketResponses } from '../upgradeRequired.js';
import { ALERTS_CHANNEL } from '../../../domain/names.js';

const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
const SEVERITY_RANK = { info: 0, warning: 1, critical: 2 } as const;

interface Filter {
  readonly symbols: ReadonlySet<string> | undefined;
  readonly minSeverity: number;
  readonly rule: string | undefined;
}

type Query = { symbols?: string; severity?: '' | keyof typeof SEVERITY_RANK; rule?: string; from?: string };

const parseFilter = (q: Query): Filter => ({
  symbols: q.symbols === undefined || q.symbols === '' ? undefined : new Set(q.symbols.split(',').map(parseSymbol)),
  minSeverity: q.severity === undefined || q.severity === '' ? 0 : SEVERITY_RANK[q.severity],
  rule: q.rule === '' ? undefined : q.rule,
});

const querySchema = {
  type: 'object',
  properties: { symbols: text(12_000), severity: { type: 'string', enum: ['', ...Object.keys(SEVERITY_RANK)] }, rule: QUERY_TEXT, from: QUERY_TEXT, key: WEBSOCKET_KEY },
};

export default async function alertStreamRoutes(app: FastifyInstance, opts: { platform: HttpPlatform }): Promise<void> {
  const { platform } = opts;
  app.route<{ Querystring: Query }>({
    method: 'GET',
    url: '/ws/alerts',
    schema: { querystring: querySchema, response: websocketResponses('each alert raised or resolved after `from` as JSON {type, position, alert | resolution}, then {type: caught-up, position}, then live ones') },
    handler: upgradeRequired('/ws/alerts'),
    wsHandler: (socket, req) => {
      let filter: Filter;
      let from: number;
      try {
        filter = parseFilter(req.query);
        from = parseInteger(req.query.from, 'from (a ledger position)', { min: 0, max: Number.MAX_SAFE_INTEGER }, platform.alertFeed.stats().checkpoint)!;
      } catch (e) {
        socket.close(1008, e instanceof Error ? e.message.slice(0, 120) : 'bad query');
        return;
      }
      // Resolutions are about an alert; their symbol/severity/rule is the alert's.
      const wanted = (m: AlertFeedMessage): boolean => {
        const a = m.type === 'alert-raised' ? m.alert : platform.alerts.alert(m.resolution.alertId);
        if (a === undefined) return false;
        return (filter.symbols === undefined || filter.symbols.has(a.symbol)) && SEVERITY_RANK[a.severity] >= filter.minSeverity && (filter.rule === undefined || filter.rule === a.ruleId);
      };
      let lastSent = from;
      const send = (m: AlertFeedMessage): void => {
        if (m.position <= lastSent) return;
        lastSent = m.position;
        if (!wanted(m) || socket.readyState !== socket.OPEN) return;
        if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
          socket.close(1013, `client too slow: reconnect with from=${lastSent}`);
          return;
        }
        socket.send(JSON.stringify(m));
      };
      const drain = (): void => {
        for (const m of platform.alerts.messagesAfter(lastSent)) send(m);
      };
      const unsubscribe = platform.broadcaster.subscribe(ALERTS_CHANNEL, (message) => {
        if ((message as AlertFeedMessage).position > lastSent) drain();
      });
      socket.on('close', unsubscribe);
      drain();
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify({ type: 'caught-up', position: Math.max(lastSent, platform.alertFeed.stats().checkpoint) }));
    },
  });
}
