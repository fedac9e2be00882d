/**
 * Who may do what: five roles, each allowed everything the one before it is, plus its own
 * (viewer: market data, alerts, analytics; trader: + alert rules, subscriptions, backtests,
 * predictions; risk: + portfolios, risk assessments; compliance: + replay, ledger, proofs,
 * corrections; admin: + keys). Which route needs which role is the HTTP layer's table
 * (src/adapters/http/access/routeRoles.ts).
 */
import * as t from 'io-ts';

export const ROLES = ['viewer', 'trader', 'risk', 'compliance', 'admin'] as const;
export const Role = t.keyof({ viewer: null, trader: null, risk: null, compliance: null, admin: null });
export type Role = t.TypeOf<typeof Role>;

export const isRole = (s: unknown): s is Role => Role.is(s);

/** True when `held` allows what `needed` allows. */
export const roleAllows = (held: Role, needed: Role): boolean => ROLES.indexOf(held) >= ROLES.indexOf(needed);
