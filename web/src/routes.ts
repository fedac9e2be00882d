/**
 * Which routes this platform serves (GET /api/v1/routes, read once): a page whose data comes from
 * a route another part of the platform has not shipped yet shows its empty state without asking
 * for it, so the browser logs no failed request.
 */
import { get } from './api.js';

let served: Promise<RegExp[]> | null = null;

const patternOf = (endpoint: string): RegExp => {
  const [method, url = ''] = endpoint.split(' ');
  const pathPart = url.split('?')[0]!.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+');
  return new RegExp(`^${method === 'WS' ? 'GET' : method} ${pathPart}$`);
};

/** Whether `GET path` (query ignored) is a route of this platform. */
export const isServed = async (path: string, method = 'GET'): Promise<boolean> => {
  served ??= get<{ endpoints: string[] }>('/api/v1/routes').then((r) => r.endpoints.map(patternOf));
  const asked = `${method} ${path.split('?')[0]}`;
  return (await served).some((p) => p.test(asked));
};
